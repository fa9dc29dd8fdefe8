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
from jornada.demo.deals import event_opportunities, opportunities
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

    opp = opportunities(rng, ctx, accounts, plan, deals, raw, account, ts, tp, deal, horizon)
    opp_of_event = event_opportunities(comp, account, tp, deal, opp, accounts.n, len(deals.kind))

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
    """Every event of the batch with its touchpoint, before the horizon and size cuts."""
    n = accounts.n
    backs = jr.backs_per_account(rng, plan, _planned_backs(ctx, carry, plan, post, deals))
    v_acc, v_pos = jr.pre_purchase_walk(rng, plan, backs)
    weight = rng.gamma(2.0, 1.0, len(v_acc)) * jr.PRE_DWELL[v_pos]
    total = np.bincount(v_acc, weights=weight, minlength=n)
    pre_us = plan.end_us - accounts.start_us
    dwell = (weight / total[v_acc] * pre_us[v_acc]).astype(np.int64)
    v_start = accounts.start_us[v_acc] + cumsum_before_in_runs(dwell, v_acc)
    act = np.array([s.activity for s in world.SEGMENTS])[accounts.segment]
    v_events = 3 + rng.poisson(jr.PRE_RATE[v_pos] * act[v_acc] * dwell / DAY_US)
    pre = jr.Visits(
        v_acc, v_pos, v_start, v_start + dwell, v_events, np.zeros(len(v_acc), dtype=np.bool_)
    )

    per_stage = np.bincount(v_pos, weights=v_events, minlength=len(world.STAGES)).astype(float)
    per_stage += np.bincount(post.stage, weights=post.events, minlength=len(world.STAGES))
    theta = online_tilt(ctx.comp, per_stage, float(deals.events.sum()), ctx.config.online_share)

    account, ts, tp, pre_last, lost_close = _before_sale(rng, ctx, accounts, plan, pre, theta)
    after_acc, after_ts, after_tp, after_deal = _after_sale(rng, ctx, post, deals, theta)
    all_acc = np.concatenate([account, after_acc])
    merge = np.argsort(all_acc, kind="stable")
    return RawEvents(
        account=all_acc[merge],
        ts=np.concatenate([ts, after_ts])[merge],
        tp=np.concatenate([tp, after_tp])[merge],
        deal=np.concatenate([np.full(len(account), -1, dtype=np.int64), after_deal])[merge],
        pre_last_us=pre_last,
        lost_close_us=lost_close,
    )


def _planned_backs(
    ctx: Context, carry: Carry, plan: jr.Plan, post: jr.Visits, deals: jr.PostDeals
) -> float:
    """Backward steps to plant before the sale so that, with the stage changes after it and
    those of earlier batches, backward changes come out at the configured share."""
    b = ctx.config.backtracking_rate
    post_back, post_fwd = jr.stage_changes(
        np.concatenate([post.account, deals.account]),
        np.concatenate([post.start_us, deals.created_us]),
        np.concatenate([post.stage, np.full(len(deals.account), jr.RETENTION)]),
        np.concatenate([post.events, deals.events]),
    )
    has_post = np.zeros(len(plan.won), dtype=np.bool_)
    has_post[post.account[post.events > 0]] = True
    has_post[deals.account] = True
    post_fwd += int(has_post.sum())
    distance = float((plan.final_pos - plan.start_pos).sum())
    deficit = b * (carry.backs + carry.forwards) - carry.backs
    denom = 1.0 - b * (1.0 + jr.MEAN_BACK_LENGTH)
    return (b * (distance + post_fwd) - (1.0 - b) * post_back + deficit) / denom


def _before_sale(
    rng: np.random.Generator,
    ctx: Context,
    accounts: Accounts,
    plan: jr.Plan,
    pre: jr.Visits,
    theta: float,
) -> tuple[Ints, Ints, Ints, Ints, Ints]:
    """Pre-purchase events with the planted touches: lift, contract signed, friction exits
    and the wait after friction. Returns account, ts, touchpoint, last pre-purchase time
    and lost-deal close time per account."""
    cfg, comp = ctx.config, ctx.comp
    n = accounts.n
    v_acc, v_pos, v_events = pre.account, pre.stage, pre.events
    pre_us = plan.end_us - accounts.start_us
    visit, ts = times_in_visits(rng, pre.start_us, pre.end_us, v_events)
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
    return account, ts, tp, pre_last, pre_last + lag


def _after_sale(
    rng: np.random.Generator,
    ctx: Context,
    post: jr.Visits,
    deals: jr.PostDeals,
    theta: float,
) -> tuple[Ints, Ints, Ints, Ints]:
    """Post-purchase events (kickoff first, go-live last) and the renewal and upsell
    conversations, sorted by account and time; the last array is each event's deal."""
    comp = ctx.comp
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
    account = np.concatenate([p_acc, deals.account[d_visit]])
    ts = np.concatenate([p_ts, d_ts])
    order = np.lexsort((ts, account))
    tp = np.concatenate([p_tp, d_tp])
    deal = np.concatenate([np.full(len(p_acc), -1, dtype=np.int64), d_visit])
    return account[order], ts[order], tp[order], deal[order]


def _count_stage_changes(comp: Compiled, carry: Carry, account: Ints, tp: Ints) -> None:
    stage = comp.tp_stage[tp]
    same = ~first_in_runs(account)[1:]
    step = np.diff(stage)[same]
    carry.backs += int((step < 0).sum())
    carry.forwards += int((step > 0).sum())
