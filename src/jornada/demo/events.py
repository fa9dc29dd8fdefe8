"""Events inside visits: timestamps, touchpoints, the buyer behind each touch, content."""

from __future__ import annotations

import numpy as np

from jornada.demo import world
from jornada.demo._arrays import Bools, Floats, Ints, group_of, starts_of
from jornada.demo.compiled import Compiled
from jornada.demo.content import Inventory
from jornada.demo.people import Contacts


def times_in_visits(
    rng: np.random.Generator, start_us: Ints, end_us: Ints, counts: Ints
) -> tuple[Ints, Ints]:
    """(visit index, timestamp) of each event, sorted in time inside each visit."""
    visit = group_of(counts)
    u = rng.random(len(visit))
    u = u[np.lexsort((u, visit))]
    span = (end_us - start_us).astype(np.float64)
    ts = start_us[visit] + (u * span[visit]).astype(np.int64)
    return visit, ts


def online_tilt(comp: Compiled, per_stage: Floats, extra_offline: float, target: float) -> float:
    """Factor on online touchpoints' weights that makes the expected online share ``target``."""
    online = comp.tp_kind == 0
    n_stages = len(world.STAGES)
    on_w = np.bincount(comp.tp_stage, weights=comp.tp_weight * online, minlength=n_stages)
    off_w = np.bincount(comp.tp_stage, weights=comp.tp_weight * ~online, minlength=n_stages)
    total = per_stage.sum() + extra_offline
    if total <= 0:
        return 1.0

    def share(theta: float) -> float:
        den = theta * on_w + off_w
        part = np.divide(theta * on_w, den, out=np.zeros(n_stages), where=den > 0)
        return float((per_stage * part).sum() / total)

    lo, hi = -8.0, 8.0
    for _ in range(50):
        mid = (lo + hi) / 2
        if share(float(np.exp(mid))) < target:
            lo = mid
        else:
            hi = mid
    return float(np.exp((lo + hi) / 2))


def draw_touchpoints(rng: np.random.Generator, comp: Compiled, stage: Ints, theta: float) -> Ints:
    """An everyday touchpoint of each event's stage, online ones weighted by ``theta``."""
    n_tp = len(comp.tp_stage)
    weights = comp.tp_weight * np.where(comp.tp_kind == 0, theta, 1.0)
    table = np.zeros((len(world.STAGES), n_tp))
    table[comp.tp_stage, np.arange(n_tp)] = weights
    cum = np.cumsum(table, axis=1)
    u = rng.random(len(stage)) * cum[stage, -1]
    out = np.empty(len(stage), dtype=np.int64)
    for s in range(len(world.STAGES)):
        rows = np.flatnonzero(stage == s)
        out[rows] = np.searchsorted(cum[s], u[rows], side="right")
    return np.minimum(out, n_tp - 1)


def engaged_slots(contacts: Contacts, n_accounts: int) -> tuple[Ints, Ints]:
    """Per account, the engaged contacts (index, role) padded with -1."""
    engaged = np.flatnonzero(contacts.engaged)
    acc = contacts.account[engaged]
    counts = np.bincount(acc, minlength=n_accounts)
    width = max(int(counts.max()) if len(counts) else 1, 1)
    slot = np.arange(len(engaged)) - np.repeat(starts_of(counts), counts)
    index = np.full((n_accounts, width), -1, dtype=np.int64)
    role = np.zeros((n_accounts, width), dtype=np.int64)
    index[acc, slot] = engaged
    role[acc, slot] = contacts.role[engaged]
    return index, role


def pick_contacts(
    rng: np.random.Generator,
    comp: Compiled,
    contacts: Contacts,
    account: Ints,
    tp: Ints,
    n_accounts: int,
) -> Ints:
    """The engaged contact behind each event, by role affinity; -1 for anonymous visits."""
    index, role = engaged_slots(contacts, n_accounts)
    out = np.empty(len(account), dtype=np.int64)
    chunk = 200_000
    for lo in range(0, len(account), chunk):
        a, t = account[lo : lo + chunk], tp[lo : lo + chunk]
        w = comp.affinity[t[:, None], role[a]] * (index[a] >= 0)
        cum = np.cumsum(w, axis=1)
        total = cum[:, -1]
        u = rng.random(len(a)) * total
        col = (cum <= u[:, None]).sum(axis=1)
        col = np.where(total > 0, np.minimum(col, w.shape[1] - 1), 0)
        out[lo : lo + chunk] = index[a, col]
    anonymous = rng.random(len(account)) < comp.tp_anonymous[tp]
    out[anonymous] = -1
    return out


def cover_engaged_roles(
    rng: np.random.Generator,
    contacts: Contacts,
    account: Ints,
    contact: Ints,
    n_accounts: int,
) -> None:
    """Make every engaged required role show up at least once in its account's events."""
    n_roles = len(world.ROLE_IDS)
    required = np.array([r.required for r in world.ROLES])
    seen = np.zeros((n_accounts, n_roles), dtype=np.bool_)
    known = contact >= 0
    seen[account[known], contacts.role[contact[known]]] = True
    per_account = np.bincount(account, minlength=n_accounts)
    missing = contacts.engaged_roles & required & ~seen & (per_account > 0)[:, None]
    acc, role = np.nonzero(missing)
    if len(acc) == 0:
        return
    who = np.full((n_accounts, n_roles), -1, dtype=np.int64)
    engaged = np.flatnonzero(contacts.engaged)
    who[contacts.account[engaged], contacts.role[engaged]] = engaged
    k = np.bincount(acc, minlength=n_accounts)
    m = np.arange(len(acc)) - np.repeat(starts_of(k), k)
    first_event = starts_of(per_account)
    offset = np.floor((m + rng.random(len(acc))) / k[acc] * per_account[acc]).astype(np.int64)
    position = first_event[acc] + np.minimum(offset, per_account[acc] - 1)
    contact[position] = who[acc, role]


def content_ids(
    rng: np.random.Generator,
    comp: Compiled,
    inventory: Inventory,
    tp: Ints,
    role: Ints,
    language: Ints,
) -> tuple[Ints, Bools]:
    """An asset for each content touch (row index in the inventory) and the content mask.

    ``role`` is -1 for anonymous touches, which draw any role's asset.
    """
    ctp = comp.tp_content[tp]
    is_content = ctp >= 0
    rows = np.flatnonzero(is_content)
    c = ctp[rows]
    r = role[rows]
    anonymous = r < 0
    allowed = inventory.has_role[c[anonymous]]
    cum = np.cumsum(allowed, axis=1)
    u = np.floor(rng.random(int(anonymous.sum())) * cum[:, -1])
    r[anonymous] = (cum <= u[:, None]).sum(axis=1)
    key = inventory.key(c, r, language[rows])
    asset = np.full(len(tp), -1, dtype=np.int64)
    count = inventory.counts[key]
    pick = np.floor(rng.random(len(rows)) * count).astype(np.int64)
    asset[rows] = np.where(count > 0, inventory.starts[key] + pick, -1)
    return asset, asset >= 0
