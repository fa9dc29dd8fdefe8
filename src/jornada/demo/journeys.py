"""Journeys as stage visits: who wins, the non-linear pre-purchase walk, life after the sale.

A visit is a stretch of time an account spends in one stage; events are drawn inside
visits. Consecutive visits differ in stage, except retention stretches split by renewals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jornada.demo import world
from jornada.demo._arrays import DAY_US, Bools, Floats, Ints, first_in_runs
from jornada.demo.config import WorldConfig
from jornada.demo.people import Accounts, Contacts

YEAR_US = 365 * DAY_US
ONBOARDING, RETENTION, ADVOCACY = (world.stage_index(s) for s in world.STAGE_IDS[4:])
PURCHASE = world.stage_index("purchase")

PRE_DWELL = np.array([1.0, 1.2, 1.5, 0.9])
"""Relative time spent per visit in awareness, consideration, evaluation, purchase."""
PRE_RATE = np.array([0.16, 0.19, 0.24, 0.24])
"""Events per day during a pre-purchase visit (before the segment's activity factor)."""
POST_RATE = {ONBOARDING: 0.15, RETENTION: 0.1, ADVOCACY: 0.12}
LOSS_STAGES = np.array([1, 2, 3])
LOSS_WEIGHTS = np.array([0.25, 0.35, 0.4])
JUMP_BACK = 0.25
"""Chance that a step back skips a stage (evaluation -> awareness) when it can."""
MEAN_BACK_LENGTH = 1.15


@dataclass(frozen=True)
class Plan:
    """The planned course of each account's new-business journey."""

    start_pos: Ints
    final_pos: Ints
    lift: Bools
    won: Bools
    pre_days: Floats
    end_us: Ints
    """When the pre-purchase walk ends: the win date for won journeys."""


@dataclass(frozen=True)
class Visits:
    account: Ints
    stage: Ints
    start_us: Ints
    end_us: Ints
    events: Ints
    first_onboarding: Bools


@dataclass(frozen=True)
class PostDeals:
    """Renewals (kind 1) and upsells (kind 2) of won accounts."""

    account: Ints
    kind: Ints
    created_us: Ints
    closed_us: Ints
    won: Bools
    events: Ints
    events_end_us: Ints


def plan_journeys(
    rng: np.random.Generator, accounts: Accounts, contacts: Contacts, config: WorldConfig
) -> Plan:
    """Decide each account's outcome from the planted effects, then its walk's extent."""
    n = accounts.n
    start_pos = np.where(rng.random(n) < 0.15, 1, 0).astype(np.int64)
    has_lift = config.lift_touchpoint is not None
    lift = (rng.random(n) < config.lift_presence) & has_lift
    seg_odds = np.array([s.win_log_odds for s in world.SEGMENTS])[accounts.segment]
    logit = (
        config.base_win_log_odds
        + seg_odds
        + config.role_coverage_strength * (contacts.coverage - 0.75)
        + (config.lift_strength * (lift - config.lift_presence) if has_lift else 0.0)
        - config.overloaded_strength * accounts.overloaded
    )
    won = rng.random(n) < 1.0 / (1.0 + np.exp(-logit))
    cum = np.cumsum(LOSS_WEIGHTS)
    loss = LOSS_STAGES[np.searchsorted(cum, rng.random(n) * cum[-1], side="right")]
    final_pos = np.where(won, PURCHASE, np.maximum(loss, start_pos)).astype(np.int64)
    seg_days = np.array([0.8, 1.0, 1.3])[accounts.segment]
    pre_days = 160.0 * seg_days * np.exp(rng.normal(0.0, 0.7, n)) * np.where(won, 1.0, 0.85)
    pre_days = np.maximum(pre_days, 14.0)
    end_us = accounts.start_us + (pre_days * DAY_US).astype(np.int64)
    return Plan(start_pos, final_pos, lift, won, pre_days, end_us)


def post_purchase(
    rng: np.random.Generator,
    accounts: Accounts,
    plan: Plan,
    config: WorldConfig,
    horizon_us: int,
) -> tuple[Visits, PostDeals]:
    """Onboarding, then customer years: retention, an optional excursion, renewal, upsell.

    The excursion is a short stay in advocacy (referrals, case studies) or back in
    onboarding (re-training); a lost renewal ends the relationship at its anniversary.
    """
    won = np.flatnonzero(plan.won)
    m = len(won)
    win = plan.end_us[won]
    seg = accounts.segment[won]
    act = np.array([s.activity for s in world.SEGMENTS])[seg]
    p_excursion = min(0.45, 2.5 * config.backtracking_rate)
    onboarding_end = win + (rng.uniform(30, 90, m) * np.array([0.8, 1.0, 1.3])[seg] * DAY_US)
    onboarding_end = onboarding_end.astype(np.int64)
    end = np.full(m, horizon_us, dtype=np.int64)
    alive = np.ones(m, dtype=np.bool_)
    v_acc: list[Ints] = []
    v_stage: list[Ints] = []
    v_start: list[Ints] = []
    v_end: list[Ints] = []
    v_first: list[Bools] = []
    d_acc: list[Ints] = []
    d_kind: list[Ints] = []
    d_created: list[Ints] = []
    d_closed: list[Ints] = []
    d_won: list[Bools] = []

    def visit(mask: Bools, stage: Ints | int, start: Ints, stop: Ints, first: bool) -> None:
        idx = np.flatnonzero(mask)
        v_acc.append(idx)
        v_stage.append(np.broadcast_to(np.asarray(stage), (m,))[idx].astype(np.int64))
        v_start.append(start[idx])
        v_end.append(stop[idx])
        v_first.append(np.full(len(idx), first))

    years = int(np.ceil(config.history_years)) + 1
    for k in range(years):
        year_start = win + k * YEAR_US
        year_end = year_start + YEAR_US
        live = alive & (year_start < end)
        x = year_start + (rng.uniform(100, 160, m) * DAY_US).astype(np.int64)
        dur = (rng.uniform(10, 35, m) * DAY_US).astype(np.int64)
        excursion = rng.random(m) < p_excursion
        exc_stage = np.where(rng.random(m) < 0.6, ADVOCACY, ONBOARDING)
        renewed = rng.random(m) < config.renewal_rate
        upsell = rng.random(m) < config.upsell_rate
        up_created = year_start + (rng.uniform(195, 225, m) * DAY_US).astype(np.int64)
        up_closed = up_created + (rng.uniform(20, 45, m) * DAY_US).astype(np.int64)
        up_won = rng.random(m) < 0.55
        if k == 0:
            visit(live, ONBOARDING, win, onboarding_end, True)
        visit(live, RETENTION, onboarding_end if k == 0 else year_start, x, False)
        visit(live & excursion, exc_stage, x, x + dur, False)
        visit(live, RETENTION, x + dur * excursion, year_end, False)
        for mask, kind, created, closed, deal_won in (
            (live, 1, year_end - 90 * DAY_US, year_end, renewed),
            (live & upsell, 2, up_created, up_closed, up_won),
        ):
            idx = np.flatnonzero(mask)
            d_acc.append(idx)
            d_kind.append(np.full(len(idx), kind, dtype=np.int64))
            d_created.append(created[idx])
            d_closed.append(closed[idx])
            d_won.append(deal_won[idx])
        churn = live & ~renewed
        end = np.where(churn, np.minimum(end, year_end), end)
        alive &= renewed
    acc = np.concatenate(v_acc)
    start = np.concatenate(v_start)
    stop = np.minimum(np.concatenate(v_end), end[acc])
    keep = start < stop
    acc, start, stop = acc[keep], start[keep], stop[keep]
    stage = np.concatenate(v_stage)[keep]
    first = np.concatenate(v_first)[keep]
    days = (stop - start) / DAY_US
    rate = np.select(
        [stage == ONBOARDING, stage == ADVOCACY],
        [POST_RATE[ONBOARDING], POST_RATE[ADVOCACY]],
        POST_RATE[RETENTION],
    )
    base = np.where(first, 3, np.where(stage == RETENTION, 0, 1))
    n_events = base + rng.poisson(rate * days * act[acc])
    order = np.lexsort((start, acc))
    visits = Visits(
        won[acc[order]], stage[order], start[order], stop[order], n_events[order], first[order]
    )
    dacc = np.concatenate(d_acc)
    created = np.concatenate(d_created)
    keep_d = created < end[dacc]
    dacc, created = dacc[keep_d], created[keep_d]
    closed = np.concatenate(d_closed)[keep_d]
    deals = PostDeals(
        account=won[dacc],
        kind=np.concatenate(d_kind)[keep_d],
        created_us=created,
        closed_us=closed,
        won=np.concatenate(d_won)[keep_d],
        events=2 + rng.poisson(1.0, len(dacc)),
        events_end_us=np.minimum(closed, end[dacc]),
    )
    return visits, deals


def stage_changes(account: Ints, start_us: Ints, stage: Ints, events: Ints) -> tuple[int, int]:
    """(backward, forward) stage changes between the non-empty visits of each account."""
    keep = events > 0
    order = np.lexsort((start_us[keep], account[keep]))
    acc, st = account[keep][order], stage[keep][order]
    same_account = ~first_in_runs(acc)[1:]
    step = np.diff(st)[same_account]
    return int((step < 0).sum()), int((step > 0).sum())


def backs_per_account(rng: np.random.Generator, plan: Plan, target_backs: float) -> Ints:
    """Spread the batch's planned backward steps over accounts, in proportion to the walk."""
    distance = (plan.final_pos - plan.start_pos).astype(np.float64)
    total = distance.sum()
    if total <= 0 or target_backs <= 0:
        return np.zeros(len(distance), dtype=np.int64)
    lam = target_backs * distance / total
    backs: Ints = np.minimum(rng.poisson(lam), 8).astype(np.int64)
    return backs


def pre_purchase_walk(rng: np.random.Generator, plan: Plan, backs: Ints) -> tuple[Ints, Ints]:
    """Stage positions visited by each account: (account, position) rows in walk order.

    Steps back are spread over the walk; the walk ends at the planned final stage.
    """
    pos = plan.start_pos.copy()
    target = plan.final_pos
    remaining = np.where(target > 0, backs, 0)
    n = len(pos)
    columns = [pos.copy()]
    active = (remaining > 0) | (pos != target)
    while active.any():
        idx = np.flatnonzero(active)
        p, r, t = pos[idx], remaining[idx], target[idx]
        must_back = (p == t) & (r > 0)
        may_back = (r > 0) & (p > 0) & (p < t)
        chance = r / np.maximum(2 * r + (t - p), 1)
        back = must_back | (may_back & (rng.random(len(idx)) < chance))
        jump = back & (p >= 2) & (rng.random(len(idx)) < JUMP_BACK)
        new = np.where(back, p - 1 - jump, p + 1)
        pos[idx] = new
        remaining[idx] = r - back
        column = np.full(n, -1, dtype=np.int64)
        column[idx] = new
        columns.append(column)
        active = (remaining > 0) | (pos != target)
    grid = np.stack(columns, axis=1)
    account, _ = np.nonzero(grid >= 0)
    return account.astype(np.int64), grid[grid >= 0]
