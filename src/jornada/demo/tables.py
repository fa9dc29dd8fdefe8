"""Canonical table schemas and the Arrow tables of one batch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jornada.demo import world
from jornada.demo._arrays import DAY_US, Ints, ids, take, timestamps
from jornada.demo.compiled import SURVEYS, Compiled
from jornada.demo.content import Inventory
from jornada.demo.names import FIRST_NAMES, INDUSTRY_WORDS, LAST_NAMES, NAME_CORES, ascii_slug
from jornada.demo.people import REP_KEY, Accounts, Contacts
from jornada.demo.verbatims import compose

if TYPE_CHECKING:
    from jornada.demo.batch import Carry, Context
    from jornada.demo.deals import Opportunities

TS = pa.timestamp("us", tz="UTC")
S = pa.string()

SCHEMAS: dict[str, pa.Schema] = {
    "events": pa.schema(
        [("event_id", pa.int64()), ("timestamp", TS), ("account_id", S), ("contact_id", S),
         ("activity", S), ("touchpoint", S), ("stage", S), ("channel", S), ("channel_kind", S),
         ("business_unit", S), ("content_id", S), ("opportunity_id", S), ("source_system", S)]
    ),
    "accounts": pa.schema(
        [("account_id", S), ("name", S), ("industry", S), ("segment", S),
         ("employees", pa.int64()), ("region", S), ("country", S), ("language", S),
         ("owner_rep_id", S), ("created_at", TS)]
    ),
    "contacts": pa.schema(
        [("contact_id", S), ("account_id", S), ("first_name", S), ("last_name", S),
         ("email", S), ("job_title", S), ("role", S), ("persona", S), ("department", S),
         ("seniority", S), ("language", S), ("created_at", TS)]
    ),
    "reps": pa.schema([("rep_id", S), ("name", S), ("team", S), ("region", S)]),
    "opportunities": pa.schema(
        [("opportunity_id", S), ("account_id", S), ("type", S), ("created_at", TS),
         ("closed_at", TS), ("outcome", S), ("amount", pa.float64()), ("currency", S),
         ("owner_rep_id", S)]
    ),
    "feedback": pa.schema(
        [("feedback_id", S), ("timestamp", TS), ("account_id", S), ("contact_id", S),
         ("survey", S), ("score", pa.int64()), ("verbatim", S), ("language", S), ("stage", S),
         ("touchpoint", S)]
    ),
    "content": pa.schema(
        [("content_id", S), ("title", S), ("format", S), ("stage", S), ("role", S),
         ("gated", pa.bool_()), ("language", S)]
    ),
}  # fmt: skip
TABLES: tuple[str, ...] = tuple(SCHEMAS)


@dataclass(frozen=True)
class Batch:
    events: pa.Table
    accounts: pa.Table
    contacts: pa.Table
    opportunities: pa.Table
    feedback: pa.Table


def _strings(values: list[str]) -> pa.Array:
    return pa.array(values, type=S)


LANGS = _strings(list(world.LANGUAGES))
N_FIRST = len(FIRST_NAMES["es"])
N_LAST = len(LAST_NAMES["es"])
N_CORE = len(NAME_CORES["es"])
FIRST = _strings([n for lang in world.LANGUAGES for n in FIRST_NAMES[lang]])
LAST = _strings([n for lang in world.LANGUAGES for n in LAST_NAMES[lang]])
FIRST_ASCII = _strings([ascii_slug(n) for lang in world.LANGUAGES for n in FIRST_NAMES[lang]])
LAST_ASCII = _strings([ascii_slug(n) for lang in world.LANGUAGES for n in LAST_NAMES[lang]])
CORES = _strings([c for lang in world.LANGUAGES for c in NAME_CORES[lang]])
CORE_SLUGS = _strings([ascii_slug(c) for lang in world.LANGUAGES for c in NAME_CORES[lang]])
INDUSTRY_IDS = [i.id for i in world.INDUSTRIES]
WORDS = _strings([INDUSTRY_WORDS[i][lang] for lang in world.LANGUAGES for i in INDUSTRY_IDS])
WORD_SLUGS = _strings(
    [ascii_slug(INDUSTRY_WORDS[i][lang]) for lang in world.LANGUAGES for i in INDUSTRY_IDS]
)
SUFFIXES = _strings([c.legal_suffixes[k % len(c.legal_suffixes)] for c in world.COUNTRIES
                     for k in range(2)])  # fmt: skip
WEB = _strings([c.web_suffix for c in world.COUNTRIES])
COUNTRY_CODES = _strings([c.code for c in world.COUNTRIES])
REGION_CODES = _strings([r.code for r in world.REGIONS])
REGIONS = _strings(list(world.REGION_IDS))
SEGMENTS = _strings([s.id for s in world.SEGMENTS])
ROLES = _strings(list(world.ROLE_IDS))
PERSONAS = _strings([p.id for p in world.PERSONAS])
DEPARTMENTS = _strings([p.department for p in world.PERSONAS])
SENIORITY = _strings([p.seniority for p in world.PERSONAS])
TITLES = _strings([p.job_titles.get(lang) for p in world.PERSONAS for lang in world.LANGUAGES])
OPP_TYPES = _strings(["new_business", "renewal", "upsell"])
OUTCOMES = _strings(["won", "lost", "open"])


def rep_ids(keys: Ints) -> pa.Array:
    """REP-BR-0007 style ids for encoded owners; null where the key is -1."""
    missing = keys < 0
    safe = np.maximum(keys, 0)
    code = take(REGION_CODES, safe // REP_KEY)
    number = pc.utf8_lpad(pc.cast(pa.array(safe % REP_KEY), S), 4, "0")
    joined = pc.binary_join_element_wise("REP-", code, "-", number, "")
    return pc.if_else(pa.array(missing), pa.scalar(None, S), joined)


def _account_names(accounts: Accounts, n: int) -> tuple[pa.Array, pa.Array]:
    lang = accounts.language[:n]
    word = take(WORDS, lang * len(INDUSTRY_IDS) + accounts.industry[:n])
    core = take(CORES, lang * N_CORE + accounts.name_core[:n])
    suffix = take(SUFFIXES, accounts.country[:n] * 2 + accounts.name_suffix[:n])
    latin = pc.binary_join_element_wise(word, core, suffix, " ")
    english = pc.binary_join_element_wise(core, word, suffix, " ")
    name = pc.if_else(pa.array(lang == world.LANGUAGES.index("en")), english, latin)
    domain = pc.binary_join_element_wise(
        take(CORE_SLUGS, lang * N_CORE + accounts.name_core[:n]),
        take(WORD_SLUGS, lang * len(INDUSTRY_IDS) + accounts.industry[:n]),
        take(WEB, accounts.country[:n]),
        "",
    )
    return name, domain


def account_ids(numbers: Ints) -> pa.Array:
    return ids("ACC-", numbers, 6)


def account_table(accounts: Accounts, n: int) -> pa.Table:
    name, _ = _account_names(accounts, n)
    return pa.Table.from_arrays(
        [
            account_ids(accounts.number[:n]),
            name,
            take(_strings(INDUSTRY_IDS), accounts.industry[:n]),
            take(SEGMENTS, accounts.segment[:n]),
            pa.array(accounts.employees[:n], pa.int64()),
            take(REGIONS, accounts.region[:n]),
            take(COUNTRY_CODES, accounts.country[:n]),
            take(LANGS, accounts.language[:n]),
            rep_ids(accounts.owner[:n]),
            timestamps(accounts.created_us[:n]),
        ],
        schema=SCHEMAS["accounts"],
    )


def contact_table(
    accounts: Accounts, contacts: Contacts, first_number: int, n_accounts: int
) -> pa.Table:
    n = int(np.searchsorted(contacts.account, n_accounts))
    acc = contacts.account[:n]
    lang = accounts.language[acc]
    _, domain = _account_names(accounts, n_accounts)
    first = contacts.first_name[:n] + lang * N_FIRST
    last = contacts.last_name[:n] + lang * N_LAST
    email = pc.binary_join_element_wise(
        take(FIRST_ASCII, first), ".", take(LAST_ASCII, last), "@", domain.take(pa.array(acc)), ""
    )
    persona = contacts.persona[:n]
    return pa.Table.from_arrays(
        [
            ids("CON-", first_number + np.arange(1, n + 1, dtype=np.int64), 7),
            account_ids(accounts.number[acc]),
            take(FIRST, first),
            take(LAST, last),
            email,
            take(TITLES, persona * 3 + lang),
            take(ROLES, contacts.role[:n]),
            take(PERSONAS, persona),
            take(DEPARTMENTS, persona),
            take(SENIORITY, persona),
            take(LANGS, lang),
            timestamps(contacts.created_us[:n]),
        ],
        schema=SCHEMAS["contacts"],
    )


def event_table(
    rng: np.random.Generator,
    comp: Compiled,
    carry: Carry,
    accounts: Accounts,
    account: Ints,
    ts: Ints,
    tp: Ints,
    contact: Ints,
    asset: Ints,
    opportunity: Ints,
    inventory: Inventory,
) -> pa.Table:
    n = len(account)
    activity = comp.activity_starts[tp] + np.floor(rng.random(n) * comp.activity_counts[tp]).astype(
        np.int64
    )
    return pa.Table.from_arrays(
        [
            pa.array(carry.events + np.arange(1, n + 1, dtype=np.int64), pa.int64()),
            timestamps(ts),
            account_ids(accounts.number[account]),
            _contact_ids(carry, contact),
            take(comp.activities, activity),
            take(comp.tp_ids, tp),
            take(comp.stage_ids, comp.tp_stage[tp]),
            take(comp.tp_channels, tp),
            take(comp.tp_kinds, tp),
            take(comp.tp_bus, tp),
            take(inventory.table.column("content_id").combine_chunks(), asset, asset < 0),
            _opportunity_ids(carry.opportunities, opportunity),
            take(comp.tp_sources, tp),
        ],
        schema=SCHEMAS["events"],
    )


def _contact_ids(carry: Carry, contact: Ints) -> pa.Array:
    numbers = ids("CON-", carry.contacts + np.maximum(contact, 0) + 1, 7)
    return pc.if_else(pa.array(contact < 0), pa.scalar(None, S), numbers)


def _opportunity_ids(first: int, row: Ints) -> pa.Array:
    numbers = ids("OPP-", np.maximum(row, 0) + 1 + first, 7)
    return pc.if_else(pa.array(row < 0), pa.scalar(None, S), numbers)


def opportunity_table(opp: Opportunities, accounts: Accounts, first_number: int) -> pa.Table:
    n = len(opp.account)
    closed = opp.closed_us
    return pa.Table.from_arrays(
        [
            _opportunity_ids(first_number, np.arange(n, dtype=np.int64)),
            account_ids(accounts.number[opp.account]),
            take(OPP_TYPES, opp.kind),
            timestamps(opp.created_us),
            timestamps(np.maximum(closed, 0), closed < 0),
            take(OUTCOMES, opp.outcome),
            pa.array(opp.amount, pa.float64()),
            pa.array(["USD"] * n, S) if n else pa.array([], S),
            rep_ids(accounts.owner[opp.account]),
        ],
        schema=SCHEMAS["opportunities"],
    )


# Score scale per survey: centre, spread, minimum, maximum, and the top of the negative
# and of the neutral band.
SCALES = {
    "nps": (8.0, 2.0, 0, 10, 6, 8),
    "csat": (4.0, 0.9, 1, 5, 2, 3),
    "ces": (5.3, 1.2, 1, 7, 3, 5),
}


def feedback_table(
    rng: np.random.Generator,
    ctx: Context,
    carry: Carry,
    accounts: Accounts,
    account: Ints,
    ts: Ints,
    tp: Ints,
    contact: Ints,
    horizon: Ints,
) -> pa.Table:
    """Surveys answered after touches; the friction touchpoint scores worse."""
    comp, cfg = ctx.comp, ctx.config
    survey = comp.tp_survey[tp]
    asked = (survey >= 0) & (contact >= 0) & (rng.random(len(tp)) < comp.tp_survey_rate[tp])
    rows = np.flatnonzero(asked)
    when = ts[rows] + (rng.uniform(2, 96, len(rows)) * DAY_US / 24).astype(np.int64)
    ok = when <= horizon[account[rows]]
    rows, when = rows[ok], when[ok]
    acc, kind, t = account[rows], survey[rows], tp[rows]
    mood = rng.normal(0.0, 0.6, accounts.n)
    z = mood[acc] + rng.normal(0.0, 0.8, len(rows))
    if comp.friction >= 0:
        z -= cfg.friction_score_penalty * (t == comp.friction)
    score = np.zeros(len(rows), dtype=np.int64)
    sentiment = np.zeros(len(rows), dtype=np.int64)
    for s, name in enumerate(SURVEYS):
        centre, spread, low, high, negative, neutral = SCALES[name]
        mine = kind == s
        value = np.clip(np.round(centre + spread * z[mine]), low, high).astype(np.int64)
        score[mine] = value
        sentiment[mine] = np.where(value <= negative, 0, np.where(value <= neutral, 1, 2))
    lang = accounts.language[acc]
    blank = rng.random(len(rows)) < 0.2
    verbatim = compose(rng, comp.tp_topic[t], lang, sentiment, blank)
    n = len(rows)
    return pa.Table.from_arrays(
        [
            ids("FB-", carry.feedback + np.arange(1, n + 1, dtype=np.int64), 7),
            timestamps(when),
            account_ids(accounts.number[acc]),
            _contact_ids(carry, contact[rows]),
            take(_strings(list(SURVEYS)), kind),
            pa.array(score, pa.int64()),
            verbatim,
            take(LANGS, lang),
            take(comp.stage_ids, comp.tp_stage[t]),
            take(comp.tp_ids, t),
        ],
        schema=SCHEMAS["feedback"],
    )
