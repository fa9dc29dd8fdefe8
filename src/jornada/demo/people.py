"""Accounts, their buying groups and the reps who own them, drawn a batch at a time."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from jornada.demo import world
from jornada.demo._arrays import DAY_US, Bools, Floats, Ints, choice, group_of, rank_in_group
from jornada.demo.config import WorldConfig
from jornada.demo.names import FIRST_NAMES, LAST_NAMES, NAME_CORES

REP_KEY = 100_000
"""An owner is encoded as region index * REP_KEY + the rep's number in the region."""

# Roles filling buying-group seats beyond the four required ones.
EXTRA_ROLE_WEIGHTS = {
    "end_user": 0.42,
    "it_security": 0.18,
    "legal_counsel": 0.1,
    "technical_evaluator": 0.15,
    "operations_lead": 0.15,
}
ENGAGED_COVERAGE = np.array([0.1, 0.25, 0.35, 0.3])
"""Chance that 1, 2, 3 or 4 required roles take part in the journey."""


@dataclass
class RepBooks:
    """Which rep gets the next account: books fill up region by region across batches."""

    fill: Ints = field(default_factory=lambda: np.zeros(len(world.REGIONS), dtype=np.int64))
    overloaded_fill: int = 0


@dataclass(frozen=True)
class Accounts:
    number: Ints
    region: Ints
    country: Ints
    language: Ints
    segment: Ints
    industry: Ints
    employees: Ints
    start_us: Ints
    created_us: Ints
    group_size: Ints
    owner: Ints
    overloaded: Bools
    name_core: Ints
    name_suffix: Ints

    @property
    def n(self) -> int:
        return len(self.number)


@dataclass(frozen=True)
class Contacts:
    account: Ints
    role: Ints
    persona: Ints
    engaged: Bools
    first_name: Ints
    last_name: Ints
    created_us: Ints
    engaged_roles: Bools
    """[account, role]: the role takes part in the account's journey."""
    coverage: Floats


def _weights(values: list[float]) -> Floats:
    return np.array(values, dtype=np.float64)


def draw_accounts(
    rng: np.random.Generator,
    n: int,
    first_number: int,
    config: WorldConfig,
    horizon_us: int,
    books: RepBooks,
) -> Accounts:
    """Draw ``n`` accounts and give each an owner (or none)."""
    region = choice(rng, _weights([r.weight for r in world.REGIONS]), n)
    country_codes = [c.code for c in world.COUNTRIES]
    width = max(len(r.countries) for r in world.REGIONS)
    country_w = np.zeros((len(world.REGIONS), width))
    country_ix = np.zeros((len(world.REGIONS), width), dtype=np.int64)
    for i, r in enumerate(world.REGIONS):
        for j, (code, w) in enumerate(r.countries):
            country_w[i, j] = w
            country_ix[i, j] = country_codes.index(code)
    cum = np.cumsum(country_w, axis=1)[region]
    col = (cum <= (rng.random(n) * cum[:, -1])[:, None]).sum(axis=1)
    country = country_ix[region, np.minimum(col, width - 1)]
    lang_of_country = np.array(
        [world.LANGUAGES.index(c.language) for c in world.COUNTRIES], dtype=np.int64
    )
    language = lang_of_country[country]
    segment = choice(rng, _weights([s.weight for s in world.SEGMENTS]), n)
    industry = choice(rng, _weights([i.weight for i in world.INDUSTRIES]), n)
    lo = np.array([s.employees[0] for s in world.SEGMENTS], dtype=np.float64)[segment]
    hi = np.array([s.employees[1] for s in world.SEGMENTS], dtype=np.float64)[segment]
    employees = np.exp(rng.uniform(np.log(lo), np.log(hi))).astype(np.int64)
    span_us = int(config.history_years * 365.25 * DAY_US)
    start_us = horizon_us - span_us + (rng.random(n) * (span_us - 14 * DAY_US)).astype(np.int64)
    created_us = start_us - (rng.random(n) * 45 * DAY_US).astype(np.int64)
    g_lo = np.array([s.buying_group[0] for s in world.SEGMENTS], dtype=np.int64)[segment]
    g_hi = np.array([s.buying_group[1] for s in world.SEGMENTS], dtype=np.int64)[segment]
    group_size = g_lo + np.floor(rng.random(n) * (g_hi - g_lo + 1)).astype(np.int64)
    owner, overloaded = _assign_owners(rng, region, segment, group_size, config, books)
    name_core = np.floor(rng.random(n) * len(NAME_CORES["es"])).astype(np.int64)
    name_suffix = np.floor(rng.random(n) * 2).astype(np.int64)
    return Accounts(
        number=np.arange(first_number, first_number + n, dtype=np.int64),
        region=region,
        country=country,
        language=language,
        segment=segment,
        industry=industry,
        employees=employees,
        start_us=start_us,
        created_us=created_us,
        group_size=group_size,
        owner=owner,
        overloaded=overloaded,
        name_core=name_core,
        name_suffix=name_suffix,
    )


def _assign_owners(
    rng: np.random.Generator,
    region: Ints,
    segment: Ints,
    group_size: Ints,
    config: WorldConfig,
    books: RepBooks,
) -> tuple[Ints, Bools]:
    """Owners fill books of ``relationships_per_rep`` contacts; one rep may be overloaded.

    Small accounts are the likeliest to have no owner at all.
    """
    n = len(region)
    seg_factor = np.array([1.6, 0.7, 0.2])[segment]
    unowned = rng.random(n) < config.unowned_account_share * seg_factor / 1.1
    overloaded = np.zeros(n, dtype=np.bool_)
    over_region = -1
    if config.overloaded_rep_region is not None:
        over_region = world.REGION_IDS.index(config.overloaded_rep_region)
        cap = config.overloaded_load_factor * config.relationships_per_rep
        candidate = ~unowned & (region == over_region) & (rng.random(n) < 0.5)
        sizes = np.where(candidate, group_size, 0)
        before = books.overloaded_fill + np.cumsum(sizes) - sizes
        overloaded = candidate & (before < cap)
        books.overloaded_fill += int(sizes[overloaded].sum())
    owner = np.full(n, -1, dtype=np.int64)
    owner[overloaded] = over_region * REP_KEY + 1
    normal = ~unowned & ~overloaded
    for r in range(len(world.REGIONS)):
        mine = normal & (region == r)
        sizes = group_size[mine]
        before = books.fill[r] + np.cumsum(sizes) - sizes
        first_rep = 2 if r == over_region else 1
        owner[mine] = r * REP_KEY + first_rep + before // config.relationships_per_rep
        books.fill[r] += int(sizes.sum())
    return owner, overloaded


def draw_contacts(rng: np.random.Generator, accounts: Accounts) -> Contacts:
    """Buying groups: the required roles first (some silent), then extra seats."""
    n_acc = accounts.n
    n_req = len(world.REQUIRED_ROLE_IDS)
    req_index = np.array([world.ROLE_IDS.index(r) for r in world.REQUIRED_ROLE_IDS])
    perm = np.argsort(rng.random((n_acc, n_req)), axis=1)
    present = np.minimum(accounts.group_size, n_req)
    k = 1 + choice(rng, ENGAGED_COVERAGE, n_acc)
    k = np.minimum(k, present)
    engaged_roles = np.zeros((n_acc, len(world.ROLE_IDS)), dtype=np.bool_)
    for j in range(n_req):
        on = j < k
        engaged_roles[np.flatnonzero(on), req_index[perm[on, j]]] = True
    optional = np.array([not r.required for r in world.ROLES])
    engaged_roles[:, optional] = True

    sizes = accounts.group_size
    account = group_of(sizes)
    seat = rank_in_group(sizes)
    n = len(account)
    extra_roles = np.array([world.ROLE_IDS.index(r) for r in EXTRA_ROLE_WEIGHTS])
    extra = extra_roles[choice(rng, _weights(list(EXTRA_ROLE_WEIGHTS.values())), n)]
    required_seat = seat < n_req
    role = np.where(
        required_seat, req_index[perm[account, np.minimum(seat, n_req - 1)]], extra
    ).astype(np.int64)
    engaged = engaged_roles[account, role] & (required_seat | (rng.random(n) < 0.75))
    # A required seat that is silent stays silent; an extra seat of a silent role too.
    persona_of_role = [
        [p for p, persona in enumerate(world.PERSONAS) if persona.role == r] for r in world.ROLE_IDS
    ]
    width = max(len(p) for p in persona_of_role)
    persona_table = np.array(
        [p + [p[0]] * (width - len(p)) for p in persona_of_role], dtype=np.int64
    )
    persona_count = np.array([len(p) for p in persona_of_role], dtype=np.int64)
    persona = persona_table[role, np.floor(rng.random(n) * persona_count[role]).astype(np.int64)]
    first_name = np.floor(rng.random(n) * len(FIRST_NAMES["es"])).astype(np.int64)
    last_name = np.floor(rng.random(n) * len(LAST_NAMES["es"])).astype(np.int64)
    created_us = accounts.start_us[account] - (rng.random(n) * 30 * DAY_US).astype(np.int64)
    coverage = k.astype(np.float64) / n_req
    return Contacts(
        account=account,
        role=role,
        persona=persona,
        engaged=engaged,
        first_name=first_name,
        last_name=last_name,
        created_us=created_us,
        engaged_roles=engaged_roles,
        coverage=coverage,
    )
