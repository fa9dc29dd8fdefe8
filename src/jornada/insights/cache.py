"""Per-connection caches the insight analyses share.

A cached table is a DuckDB temporary table (gone with the connection) stamped with the
state of what it was built from; :func:`cached_stamp` and :func:`set_stamp` keep the
stamps. :func:`journey_scan` and :func:`derived_scans` give the journey analyses
per-journey aggregates built once per prepared workspace, so a re-computation under
another filter adds up rows instead of scanning the steps again.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable, Collection
from typing import Any

import duckdb

from jornada.engine.discovery import quote, scope
from jornada.engine.options import Filters
from jornada.engine.prepare import prepared_generation
from jornada.insights.context import Context


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """The first value of a query's first row (None without rows); reads every row so
    the connection is free afterwards."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


_STAMPS: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, str]] = (
    weakref.WeakKeyDictionary()
)
"""Per connection, the state each cached table was built from. Kept in Python beside the
connection (temporary tables live and die with it): a lookup costs no query, where even
the cheapest query costs a millisecond of planning."""


def cached_stamp(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    """The stamp :func:`set_stamp` recorded for ``name`` on this connection, if any."""
    return _STAMPS.get(con, {}).get(name)


def set_stamp(con: duckdb.DuckDBPyConnection, name: str, stamp: str) -> None:
    _STAMPS.setdefault(con, {})[name] = stamp


def journey_scan(ctx: Context, name: str, select: Callable[[str], str]) -> str:
    """Where to read ``select(where)`` from for the journeys in scope: a per-journey
    aggregate of ``steps s`` (it must keep ``case_id``) restricted by ``where``.

    Filters that keep or drop whole journeys (outcome, segment, role) read one aggregate
    over all journeys, built once per prepared workspace into the temporary table
    ``name`` with each journey's outcome, segment, furthest stage and role bits alongside
    (``_outcome``, ``_segment``, ``_max_stage_pos``, ``_roles``, also in the period
    tables): a re-computation with another filter reads those rows with a plain
    predicate instead of scanning the steps again. A period (``since``/``until``) cuts
    journeys' events, so the aggregate is rebuilt from the steps in scope into
    ``<name>_period``."""
    return journey_scans(ctx, {name: select})[name]


def journey_scans(
    ctx: Context, selects: dict[str, Callable[[str], str]], *, inline: Collection[str] = ()
) -> dict[str, str]:
    """:func:`journey_scan` for several aggregates, checking the workspace's state once.

    The selects read :data:`STEPS` (the steps in time order, contacts as integer codes):
    a period then reads only the row groups it overlaps. Under a period, the aggregates
    named in ``inline`` are returned as subqueries instead of temporary tables: cheaper
    for one read at most or two (writing a table of every journey's rows in the period
    costs about as much as aggregating them again)."""
    filters = ctx.options.filters
    state = prepared_state(ctx)
    ensure_steps(ctx, state)
    out = {}
    if not filters.whole_journeys:
        for name, select in selects.items():
            sql = _with_journey(select(ctx.scope("s")))
            if name in inline:
                out[name] = f"({sql})"
                continue
            ctx.con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_period AS {sql}")
            out[name] = f"{name}_period"
        return out
    for name, select in selects.items():
        full = _with_journey(select("TRUE"))
        keep_table(ctx.con, name, full, f"{state}:{full}")
        out[name] = _scoped(ctx.con, filters, name)
    return out


def derived_scans(
    ctx: Context, base: str, source: str, selects: dict[str, Callable[[str], str]]
) -> dict[str, str]:
    """Where to read aggregates of a :func:`journey_scan` aggregate from: ``select(table)``
    must keep ``case_id``, ``_outcome``, ``_segment`` and ``_roles``. Without a period each
    is cached as the temporary table ``name``, rebuilt when ``base`` (named ``source``) was; with a
    period it is computed from ``source``. Smaller than the base aggregate (typically one
    row per journey and key, so that journeys are counted with ``count(*)`` rather than
    ``count(DISTINCT case_id)``), they make a re-computation with a journey filter cheap."""
    filters = ctx.options.filters
    if not filters.whole_journeys:
        return {name: f"({select(source)})" for name, select in selects.items()}
    out = {}
    base_stamp = cached_stamp(ctx.con, base)
    for name, select in selects.items():
        sql = select(base)
        keep_table(ctx.con, name, sql, f"{base_stamp}:{sql}")
        out[name] = _scoped(ctx.con, filters, name)
    return out


def keep_table(con: duckdb.DuckDBPyConnection, name: str, sql: str, stamp: str) -> None:
    """(Re)build the temporary table ``name`` from ``sql`` unless it was built for ``stamp``."""
    if cached_stamp(con, name) != stamp:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
        set_stamp(con, name, stamp)


def _scoped(con: duckdb.DuckDBPyConnection, filters: Filters, name: str) -> str:
    """A cached per-journey table restricted to the journeys the filters keep."""
    if filters.is_empty():
        return name
    return f"(SELECT * FROM {name} j WHERE {journey_condition(con, filters, 'j')})"


STEPS = "_journey_steps"
"""The steps the journey analyses read: ``steps`` ordered by time, with the columns they
use, ``contact_code`` (an integer per contact id, NULL without contact) in place of
``contact_id``, ``role_number`` (the contact's role as its number in
:data:`ROLE_NUMBERS`, NULL without one; :data:`CONTACT_ROLES` gives a code's role),
``unmatched`` (no map touchpoint matched the activity: the node is its raw name) in place
of ``activity``, and the text labels as ENUMs of their values. Ordered by time, a period
filter skips the row groups outside it (their time ranges are known), and integers group
faster than text."""
ROLE_CODES = "_journey_role_codes"
"""Each buying-group role in ``case_roles`` with a bit (``1 << n``, the first
:data:`ROLE_BITS` roles by name; NULL for any further one)."""
ROLE_MASKS = "_journey_role_masks"
"""Per journey, the bits of the roles taking part in it (``_roles`` of the cached
aggregates): a role filter is then a bit test on each row, not a join."""
ROLE_BITS = 62
JOURNEY_FACTS = "_journey_facts"
"""One row per journey: ``_outcome``, ``_segment``, ``_max_stage_pos`` and ``_roles``, the
columns :func:`journey_scan` adds to each aggregate."""
ROLE_NUMBERS = "_journey_role_numbers"
"""The contacts' roles numbered from 1 in name order (``role_number`` of :data:`STEPS`)."""
CONTACT_CODES = "_journey_contact_codes"
CONTACT_ROLES = "_journey_contact_roles"
"""One row per ``contacts`` row: its contact's code and role (a contact id that is not in
``contacts`` has no row, as in a join with ``contacts``)."""


def ensure_steps(ctx: Context, state: str | None = None) -> None:
    """Build :data:`STEPS`, :data:`CONTACT_CODES` and :data:`CONTACT_ROLES` unless they
    were built from the same prepared state."""
    stamp = state if state is not None else prepared_state(ctx)
    if cached_stamp(ctx.con, STEPS) == stamp:
        return
    ctx.con.execute(f"""
CREATE OR REPLACE TEMP TABLE {CONTACT_CODES} AS
SELECT contact_id, (row_number() OVER ())::INTEGER AS code
FROM (SELECT contact_id FROM steps WHERE contact_id IS NOT NULL
      UNION SELECT contact_id FROM contacts WHERE contact_id IS NOT NULL)
""")  # fmt: skip
    ctx.con.execute(f"""
CREATE OR REPLACE TEMP TABLE {CONTACT_ROLES} AS
SELECT cc.code, k.role FROM contacts k JOIN {CONTACT_CODES} cc ON cc.contact_id = k.contact_id
""")  # fmt: skip
    ctx.con.execute(f"""
CREATE OR REPLACE TEMP TABLE {ROLE_CODES} AS
SELECT role, CASE WHEN n < {ROLE_BITS} THEN (1::BIGINT << n) END AS bit
FROM (SELECT role, (row_number() OVER (ORDER BY role) - 1)::INTEGER AS n
      FROM (SELECT DISTINCT role FROM case_roles WHERE role IS NOT NULL))
""")  # fmt: skip
    ctx.con.execute(f"""
CREATE OR REPLACE TEMP TABLE {ROLE_MASKS} AS
SELECT r.case_id, bit_or(rc.bit) AS _roles
FROM case_roles r JOIN {ROLE_CODES} rc ON rc.role = r.role AND rc.bit IS NOT NULL
GROUP BY r.case_id
""")  # fmt: skip
    ctx.con.execute(f"""
CREATE OR REPLACE TEMP TABLE {ROLE_NUMBERS} AS
SELECT role, (row_number() OVER (ORDER BY role))::USMALLINT AS number
FROM (SELECT DISTINCT role FROM {CONTACT_ROLES} WHERE role IS NOT NULL)
""")  # fmt: skip
    facts = _label_types(ctx.con, "cases", ("outcome", "segment"))
    ctx.con.execute(f"""
CREATE OR REPLACE TEMP TABLE {JOURNEY_FACTS} AS
SELECT c.case_id, c.outcome::{facts["outcome"]} AS _outcome,
       c.segment::{facts["segment"]} AS _segment,
       c.max_stage_pos AS _max_stage_pos, coalesce(rm._roles, 0::BIGINT) AS _roles
FROM cases c LEFT JOIN {ROLE_MASKS} rm ON rm.case_id = c.case_id
""")  # fmt: skip
    texts = ("stage", "channel_kind", "business_unit", "content_id")
    labels = _label_types(ctx.con, "steps", texts)
    ctx.con.execute(f"""
CREATE OR REPLACE TEMP TABLE {STEPS} AS
SELECT s.case_id, s.ts, s.node, s.activity = s.node::VARCHAR AS unmatched,
       s.stage::{labels["stage"]} AS stage, s.stage_pos,
       s.channel_kind::{labels["channel_kind"]} AS channel_kind,
       s.business_unit::{labels["business_unit"]} AS business_unit,
       s.content_id::{labels["content_id"]} AS content_id,
       cc.code AS contact_code, k.number AS role_number, s.next_node, s.next_stage_pos,
       s.next_node_stage_pos, s.gap
FROM steps s LEFT JOIN {CONTACT_CODES} cc ON cc.contact_id = s.contact_id
LEFT JOIN (SELECT r.code, any_value(n.number) AS number
           FROM {CONTACT_ROLES} r JOIN {ROLE_NUMBERS} n ON n.role = r.role
           GROUP BY r.code) k
       ON k.code = cc.code
ORDER BY s.ts
""")  # fmt: skip
    set_stamp(ctx.con, STEPS, stamp)


MAX_LABELS = 10_000
"""A text column of the steps becomes an ENUM up to this many distinct values; past it (a
content id per web page, say) it stays text, as the type would be a query as long as the
values and slow to plan."""


def _label_types(
    con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]
) -> dict[str, str]:
    """For each text column of ``table``, an ENUM type of its values (VARCHAR when it has
    none or more than :data:`MAX_LABELS`): stored as small integers, the labels group and
    aggregate several times faster than text, and still compare with and read as text."""
    lists = ", ".join(
        f"CASE WHEN count(DISTINCT {c}) <= {MAX_LABELS} "
        f"THEN list(DISTINCT {c}::VARCHAR) FILTER (WHERE {c} IS NOT NULL) END"
        for c in columns
    )
    values = con.execute(f"SELECT {lists} FROM {table}").fetchall()[0]
    out = {}
    for column, found in zip(columns, values, strict=True):
        labels = sorted(found or [])
        out[column] = f"ENUM({', '.join(quote(v) for v in labels)})" if labels else "VARCHAR"
    return out


def _with_journey(select: str) -> str:
    """The aggregate with its journey's outcome, segment, furthest stage and role bits
    (:data:`JOURNEY_FACTS`) alongside."""
    return (
        f"SELECT x.*, f._outcome, f._segment, f._max_stage_pos, f._roles "
        f"FROM ({select}) x JOIN {JOURNEY_FACTS} f ON f.case_id = x.case_id"
    )


def journey_condition(con: duckdb.DuckDBPyConnection, filters: Filters, alias: str) -> str:
    """The filters as a condition on a cached aggregate: outcome and segment read its
    columns, a role tests its bit in ``_roles`` (looked up once here, so each row pays a
    bit test and nothing else; a role without a bit, past the first :data:`ROLE_BITS`,
    goes through ``case_roles``); a period goes through the usual condition."""
    parts = []
    if filters.outcome is not None:
        parts.append(f"{alias}._outcome = {quote(filters.outcome.value)}")
    if filters.segment is not None:
        parts.append(f"{alias}._segment = {quote(filters.segment)}")
    if filters.role is not None:
        bit = role_bit(con, filters.role)
        if bit is None:
            role = quote(filters.role)
            parts.append(f"{alias}.case_id IN (SELECT case_id FROM case_roles WHERE role = {role})")
        else:
            parts.append(f"({alias}._roles & {bit}::BIGINT) <> 0")
    rest = dataclasses.replace(filters, outcome=None, segment=None, role=None)
    parts.append(scope(rest, alias))
    return " AND ".join(parts)


def role_bit(con: duckdb.DuckDBPyConnection, role: str) -> int | None:
    """The bit of ``role`` in the journeys' ``_roles`` (0 for a role no journey has: a test
    that nothing passes); None past the first :data:`ROLE_BITS` roles."""
    rows = con.execute(f"SELECT bit FROM {ROLE_CODES} WHERE role = ?", [role]).fetchall()
    if not rows:
        return 0
    return None if rows[0][0] is None else int(rows[0][0])


def prepared_state(ctx: Context) -> str:
    """What a cached aggregate depends on: the options and the generation of ``steps`` and
    ``cases`` (:func:`jornada.engine.prepare.prepare` writes a new one each time it runs,
    and the stage list and contacts reach the steps only through it). Without a generation
    (tables built another way), a hash of every journey's number of steps, outcome, win
    and segment, the stage list and the number of contacts stand in."""
    options = ctx.options
    generation = prepared_generation(ctx.con)
    if generation is not None:
        return f"{options.case}:{options.conversion}:{generation}"
    row = ctx.con.execute("""
SELECT (SELECT count(*) || '/' || coalesce(sum(hash(case_id, events, outcome, won_at, segment)), 0)
        FROM cases),
       (SELECT string_agg(stage || '@' || position || '@' || phase, ',' ORDER BY position)
        FROM stages),
       (SELECT count(*) FROM contacts)
""").fetchall()[0]  # fmt: skip
    return f"{options.case}:{options.conversion}:" + ":".join(str(v) for v in row)
