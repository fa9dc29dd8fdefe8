"""One batch of accounts turned into events and table rows, all vectorised."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from jornada.demo import journeys as jr
from jornada.demo import world
from jornada.demo._arrays import (
    DAY_US,
    Ints,
    cumsum_before_in_runs,
    first_in_runs,
    last_in_runs,
    starts_of,
)
from jornada.demo.compiled import Compiled
from jornada.demo.config import WorldConfig
from jornada.demo.content import Inventory
from jornada.demo.events import (
    content_ids,
    cover_engaged_roles,
    draw_touchpoints,
    online_tilt,
    pick_contacts,
    times_in_visits,
)
from jornada.demo.people import Accounts, RepBooks, draw_accounts, draw_contacts
from jornada.demo.tables import (
    Batch,
    account_table,
    contact_table,
    event_table,
    feedback_table,
    opportunity_table,
)


@dataclass
class Carry:
    """What one batch hands the next: counters, rep books, realised stage changes."""

    books: RepBooks = field(default_factory=RepBooks)
    accounts: int = 0
    contacts: int = 0
    opportunities: int = 0
    feedback: int = 0
    events: int = 0
    backs: int = 0
    forwards: int = 0
    rep_keys: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Context:
    config: WorldConfig
    comp: Compiled
    inventory: Inventory
    horizon_us: int


@dataclass(frozen=True)
class RawEvents:
    """Events of a batch before buyers and content are attached, grouped by account."""

    account: Ints
    ts: Ints
    tp: Ints
    deal: Ints
    pre_last_us: Ints
    lost_close_us: Ints


def build_batch(
    rng: np.random.Generator, n_accounts: int, ctx: Context, carry: Carry, room: int
) -> Batch:
    """Draw ``n_accounts`` accounts and their events; keep at most ``room`` events."""
    cfg = ctx.config
    accounts = draw_accounts(rng, n_accounts, carry.accounts + 1, cfg, ctx.horizon_us, carry.books)
    contacts = draw_contacts(rng, accounts)
    plan = jr.plan_journeys(rng, accounts, contacts, cfg)
    post, deals = jr.post_purchase(rng, accounts, plan, cfg, ctx.horizon_us)
    raw = _raw_events(rng, ctx, carry, accounts, plan, post, deals)

    keep = np.flatnonzero(raw.ts <= ctx.horizon_us)[:room]
    account, ts, tp, deal = raw.account[keep], raw.ts[keep], raw.tp[keep], raw.deal[keep]
    horizon = np.full(accounts.n, ctx.horizon_us, dtype=np.int64)
    n_kept_accounts = accounts.n
    if len(keep) == room and room < int((raw.ts <= ctx.horizon_us).sum()):
        last = int(account[-1])
        horizon[last] = int(ts[-1])
        n_kept_accounts = last + 1
    _count_stage_changes(ctx.comp, carry, account, tp)

    comp = ctx.comp
    contact = pick_contacts(rng, comp, contacts, account, tp, accounts.n)
    cover_engaged_roles(rng, contacts, account, contact, accounts.n)
    role = np.where(contact >= 0, contacts.role[np.maximum(contact, 0)], -1)
    ctp = comp.tp_content[tp]
    no_asset = (ctp >= 0) & (role >= 0)
    no_asset[no_asset] = ~ctx.inventory.has_role[ctp[no_asset], role[no_asset]]
    tp = np.where(no_asset, comp.tp_fallback[comp.tp_stage[tp]], tp)
    asset, _ = content_ids(rng, comp, ctx.inventory, tp, role, accounts.language[account])

    opp = _opportunities(rng, ctx, accounts, plan, deals, raw, account, ts, tp, deal, horizon)
    opp_of_event = _event_opportunities(comp, account, tp, deal, opp, accounts.n, len(deals.kind))

    batch = Batch(
        events=event_table(rng, comp, carry, accounts, account, ts, tp, contact, asset,
                           opp_of_event, ctx.inventory),
        accounts=account_table(accounts, n_kept_accounts),
        contacts=contact_table(accounts, contacts, carry.contacts, n_kept_accounts),
        opportunities=opportunity_table(opp, accounts, carry.opportunities),
        feedback=feedback_table(rng, ctx, carry, accounts, account, ts, tp, contact, horizon),
    )  # fmt: skip
    kept_contacts = int(np.searchsorted(contacts.account, n_kept_accounts))
    carry.rep_keys.update(int(k) for k in np.unique(accounts.owner[:n_kept_accounts]) if k >= 0)
    carry.accounts += n_kept_accounts
    carry.contacts += kept_contacts
    carry.opportunities += len(opp.account)
    carry.events += len(account)
    carry.feedback += batch.feedback.num_rows
    return batch


def _raw_events(
    rng: np.random.Generator,
    ctx: Context,
    carry: Carry,
    accounts: Accounts,
    plan: jr.Plan,
    post: jr.Visits,
    deals: jr.PostDeals,
) -> RawEvents:
    cfg, comp = ctx.config, ctx.comp
    n = accounts.n
    # Backward steps: enough that, with life after the sale and earlier batches, the
    # share of backward stage changes comes out at the configured rate.
    b = cfg.backtracking_rate
    post_back, post_fwd = jr.stage_changes(
        np.concatenate([post.account, deals.account]),
        np.concatenate([post.start_us, deals.created_us]),
        np.concatenate([post.stage, np.full(len(deals.account), jr.RETENTION)]),
        np.concatenate([post.events, deals.events]),
    )
    has_post = np.zeros(n, dtype=np.bool_)
    has_post[post.account[post.events > 0]] = True
    has_post[deals.account] = True
    post_fwd += int(has_post.sum())
    distance = float((plan.final_pos - plan.start_pos).sum())
    deficit = b * (carry.backs + carry.forwards) - carry.backs
    denom = 1.0 - b * (1.0 + jr.MEAN_BACK_LENGTH)
    target = (b * (distance + post_fwd) - (1.0 - b) * post_back + deficit) / denom
    backs = jr.backs_per_account(rng, plan, target)
    v_acc, v_pos = jr.pre_purchase_walk(rng, plan, backs)

    weight = rng.gamma(2.0, 1.0, len(v_acc)) * jr.PRE_DWELL[v_pos]
    total = np.bincount(v_acc, weights=weight, minlength=n)
    pre_us = plan.end_us - accounts.start_us
    dwell = (weight / total[v_acc] * pre_us[v_acc]).astype(np.int64)
    v_start = accounts.start_us[v_acc] + cumsum_before_in_runs(dwell, v_acc)
    act = np.array([s.activity for s in world.SEGMENTS])[accounts.segment]
    v_events = 3 + rng.poisson(jr.PRE_RATE[v_pos] * act[v_acc] * dwell / DAY_US)

    per_stage = np.bincount(v_pos, weights=v_events, minlength=len(world.STAGES)).astype(float)
    per_stage += np.bincount(post.stage, weights=post.events, minlength=len(world.STAGES))
    theta = online_tilt(comp, per_stage, float(deals.events.sum()), cfg.online_share)

    # Before the sale
    visit, ts = times_in_visits(rng, v_start, v_start + dwell, v_events)
    account = v_acc[visit]
    stage = v_pos[visit]
    tp = draw_touchpoints(rng, comp, stage, theta)
    last = last_in_runs(account)
    if comp.lift >= 0:
        lift_stage = comp.tp_stage[comp.lift]
        at_stage = np.flatnonzero(v_pos == lift_stage)
        first_visit = at_stage[first_in_runs(v_acc[at_stage])]
        first_visit = first_visit[plan.lift[v_acc[first_visit]]]
        v_first_event = starts_of(v_events)
        spot = v_first_event[first_visit] + np.floor(
            rng.random(len(first_visit)) * v_events[first_visit]
        ).astype(np.int64)
        tp[spot] = comp.lift
    won_last = last & plan.won[account]
    tp[won_last] = comp.contract_signed
    lost_close = np.zeros(n, dtype=np.int64)
    lag = (rng.uniform(7, 40, n) * DAY_US).astype(np.int64)
    if comp.friction >= 0:
        exits = (
            last
            & ~plan.won[account]
            & (stage == comp.tp_stage[comp.friction])
            & (rng.random(len(tp)) < cfg.friction_exit_share)
        )
        tp[exits] = comp.friction
        if cfg.friction_dwell_days > 0:
            delay = np.where(
                tp == comp.friction,
                rng.exponential(cfg.friction_dwell_days * DAY_US, len(tp)),
                0.0,
            ).astype(np.int64)
            shift = cumsum_before_in_runs(delay, account)
            extra = np.zeros(n, dtype=np.int64)
            extra[account[last]] = shift[last]
            lag[account[last]] += delay[last]
            span = pre_us[account].astype(np.float64)
            rel = (ts - accounts.start_us[account] + shift).astype(np.float64)
            ts = accounts.start_us[account] + (rel * span / (span + extra[account])).astype(
                np.int64
            )
    pre_last = np.zeros(n, dtype=np.int64)
    pre_last[account[last]] = ts[last]
    lost_close = pre_last + lag

    # After the sale: visits, then renewal and upsell conversations
    p_visit, p_ts = times_in_visits(rng, post.start_us, post.end_us, post.events)
    p_acc = post.account[p_visit]
    p_tp = draw_touchpoints(rng, comp, post.stage[p_visit], theta)
    onboarding = post.first_onboarding[p_visit]
    p_first = first_in_runs(p_visit) & onboarding
    p_last = last_in_runs(p_visit) & onboarding & (post.end_us[p_visit] < ctx.horizon_us)
    p_tp[p_first] = comp.kickoff
    p_tp[p_last] = comp.go_live
    d_visit, d_ts = times_in_visits(rng, deals.created_us, deals.events_end_us, deals.events)
    d_tp = np.where(deals.kind[d_visit] == 1, comp.renewal, comp.upsell)

    after_acc = np.concatenate([p_acc, deals.account[d_visit]])
    after_ts = np.concatenate([p_ts, d_ts])
    after_tp = np.concatenate([p_tp, d_tp])
    after_deal = np.concatenate([np.full(len(p_acc), -1, dtype=np.int64), d_visit])
    order = np.lexsort((after_ts, after_acc))
    all_acc = np.concatenate([account, after_acc[order]])
    merge = np.argsort(all_acc, kind="stable")
    return RawEvents(
        account=all_acc[merge],
        ts=np.concatenate([ts, after_ts[order]])[merge],
        tp=np.concatenate([tp, after_tp[order]])[merge],
        deal=np.concatenate([np.full(len(account), -1, dtype=np.int64), after_deal[order]])[merge],
        pre_last_us=pre_last,
        lost_close_us=lost_close,
    )


def _count_stage_changes(comp: Compiled, carry: Carry, account: Ints, tp: Ints) -> None:
    stage = comp.tp_stage[tp]
    same = ~first_in_runs(account)[1:]
    step = np.diff(stage)[same]
    carry.backs += int((step < 0).sum())
    carry.forwards += int((step > 0).sum())


@dataclass(frozen=True)
class Opportunities:
    """A batch's deals: new business (kind 0), renewals (1), upsells (2)."""

    account: Ints
    kind: Ints
    created_us: Ints
    closed_us: Ints
    outcome: Ints
    """0 won, 1 lost, 2 open."""
    amount: np.ndarray
    deal: Ints
    """Index into the batch's post-purchase deals; -1 for new business."""


def _opportunities(
    rng: np.random.Generator,
    ctx: Context,
    accounts: Accounts,
    plan: jr.Plan,
    deals: jr.PostDeals,
    raw: RawEvents,
    account: Ints,
    ts: Ints,
    tp: Ints,
    deal: Ints,
    horizon: Ints,
) -> Opportunities:
    comp = ctx.comp
    n = accounts.n
    seg = [world.SEGMENTS[i] for i in range(len(world.SEGMENTS))]
    median = np.array([s.deal_median_usd for s in seg])[accounts.segment]
    sigma = np.array([s.deal_sigma for s in seg])[accounts.segment]
    value = median * np.exp(rng.normal(0.0, 1.0, n) * sigma)
    # New business: opened at the first touch past awareness.
    engaged = np.flatnonzero(comp.tp_stage[tp] >= 1)
    first = engaged[first_in_runs(account[engaged])]
    nb_acc = account[first]
    created = ts[first]
    signed = np.full(n, -1, dtype=np.int64)
    is_signed = tp == comp.contract_signed
    signed[account[is_signed]] = ts[is_signed]
    won = signed[nb_acc] >= 0
    lost = ~plan.won[nb_acc] & (raw.lost_close_us[nb_acc] <= horizon[nb_acc])
    closed = np.where(won, signed[nb_acc], np.where(lost, raw.lost_close_us[nb_acc], -1))
    outcome = np.where(won, 0, np.where(lost, 1, 2))
    # Renewals and upsells that started before the account's horizon.
    keep = np.flatnonzero(deals.created_us <= horizon[deals.account])
    keep = keep[np.isin(deals.account[keep], np.unique(account))]
    d_acc = deals.account[keep]
    d_closed_in = deals.closed_us[keep] <= horizon[d_acc]
    d_out = np.where(d_closed_in, np.where(deals.won[keep], 0, 1), 2)
    scale = np.where(deals.kind[keep] == 1, rng.uniform(0.9, 1.15, len(keep)),
                     rng.uniform(0.15, 0.5, len(keep)))  # fmt: skip
    all_acc = np.concatenate([nb_acc, d_acc])
    all_created = np.concatenate([created, deals.created_us[keep]])
    order = np.lexsort((all_created, all_acc))
    return Opportunities(
        account=all_acc[order],
        kind=np.concatenate([np.zeros(len(nb_acc), dtype=np.int64), deals.kind[keep]])[order],
        created_us=all_created[order],
        closed_us=np.concatenate([closed, np.where(d_closed_in, deals.closed_us[keep], -1)])[order],
        outcome=np.concatenate([outcome, d_out])[order],
        amount=np.round(np.concatenate([value[nb_acc], value[d_acc] * scale]), 2)[order],
        deal=np.concatenate([np.full(len(nb_acc), -1, dtype=np.int64), keep])[order],
    )


def _event_opportunities(
    comp: Compiled,
    account: Ints,
    tp: Ints,
    deal: Ints,
    opp: Opportunities,
    n_accounts: int,
    n_deals: int,
) -> Ints:
    """Batch-local opportunity row of each event (-1 when none)."""
    out = np.full(len(account), -1, dtype=np.int64)
    nb_row = np.full(n_accounts, -1, dtype=np.int64)
    nb = np.flatnonzero(opp.kind == 0)
    nb_row[opp.account[nb]] = nb
    nb_start = np.full(n_accounts, np.iinfo(np.int64).max, dtype=np.int64)
    stage = comp.tp_stage[tp]
    engaged = np.flatnonzero(stage >= 1)
    first = engaged[first_in_runs(account[engaged])]
    nb_start[account[first]] = first
    pre = (stage <= jr.PURCHASE) & (np.arange(len(account)) >= nb_start[account])
    out[pre] = nb_row[account[pre]]
    row_of_deal = np.full(max(n_deals, 1), -1, dtype=np.int64)
    has_deal = np.flatnonzero(opp.deal >= 0)
    row_of_deal[opp.deal[has_deal]] = has_deal
    with_deal = deal >= 0
    out[with_deal] = row_of_deal[deal[with_deal]]
    return out
