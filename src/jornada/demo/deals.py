"""Deals of a batch: new business, renewals and upsells, and the deal behind each event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from jornada.demo import journeys as jr
from jornada.demo import world
from jornada.demo._arrays import Floats, Ints, first_in_runs
from jornada.demo.compiled import Compiled
from jornada.demo.people import Accounts

if TYPE_CHECKING:
    from jornada.demo.batch import Context, RawEvents


@dataclass(frozen=True)
class Opportunities:
    """A batch's deals: new business (kind 0), renewals (1), upsells (2)."""

    account: Ints
    kind: Ints
    created_us: Ints
    closed_us: Ints
    outcome: Ints
    """0 won, 1 lost, 2 open."""
    amount: Floats
    deal: Ints
    """Index into the batch's post-purchase deals; -1 for new business."""


def opportunities(
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


def event_opportunities(
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
