"""Friction: the touchpoints where journeys stop, go back, wait, complain or need help.

One row per touchpoint and stage (``friction``) with five signals, each measured like for
like, so a touchpoint is compared with what buyers do around it:

- exit: of the journeys that end badly in its stage (lost, or open and silent for
  :data:`STALL_DAYS`), the share whose last touch is this one, against its share of the
  stage's touches that had a next one (what a last touch drawn at random would give);
- backtrack: how often a touch is followed by a move to an earlier stage, against the
  rest of its stage;
- dwell: the wait until the next event against the rest of the stage, waits that stay in
  the stage against waits that stay, waits before a stage change against those, on a log
  scale so a few very long waits do not decide it alone;
- feedback: survey scores tied to it, standardised per survey (z), against the other
  answers to the same survey in its stage (or anywhere, when its stage has none), and the
  share of negative answers (the bottom of each survey's scale, :func:`negative_max`);
- support: how often the next touch, in the same stage, is a support contact
  (:data:`SUPPORT_PATTERN`), against the stage's share of support touches.

Each signal is scored 0-1 from the lower end of a one-sided 99.5% interval, so small
samples cannot produce large effects; :data:`WEIGHTS` add them into one 0-1 score.
"""

from __future__ import annotations

import weakref
from typing import Any, NamedTuple

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jornada.engine.discovery import quote
from jornada.engine.options import CaseKey
from jornada.engine.prepare import CASE_TYPE, NODE_TYPE, prepared_generation
from jornada.i18n import t
from jornada.insights.cache import (
    JOURNEY_FACTS,
    ROLE_MASKS,
    STEPS,
    cached_stamp,
    ensure_steps,
    journey_condition,
    keep_table,
    prepared_state,
    role_bit,
    set_stamp,
)
from jornada.insights.context import Context, Finding, Result, finding
from jornada.insights.sentiment import feedback_fingerprint

STALL_DAYS = 90
"""An open journey with no event in the last ``STALL_DAYS`` days of the data has stalled."""
Z = 2.576
"""One-sided 99.5% normal quantile for the lower bounds that score each signal."""
WEIGHTS = {"exit": 0.4, "dwell": 0.2, "feedback": 0.2, "backtrack": 0.1, "support": 0.1}
"""How the five signal strengths (each 0-1) add up to a touchpoint's score."""
FULL = {"exit": 4.0, "dwell": 8.0, "feedback": 1.0, "backtrack": 4.0, "support": 4.0}
"""The effect at which a signal's strength reaches 1: a ratio for exit, dwell, backtrack
and support (strength grows with its logarithm from ratio 1), standard units of score
for feedback (strength grows linearly from 0)."""
MIN_SCORE = 0.1
"""Touchpoints scoring below this produce no finding."""
SUPPORT_PATTERN = r"support|ticket|soporte|suporte|chamado|help ?desk|service ?desk"
"""Touchpoints whose id (the activity, without a map), map name or map channel matches
this (any case) are support contacts."""

Array = np.ndarray[Any, np.dtype[Any]]


def support_nodes(ctx: Context) -> list[str]:
    """Support touchpoints: their id, or the map's name or channel for them, matches
    :data:`SUPPORT_PATTERN` (without a map, activities are the touchpoints)."""
    known = _node_values(ctx)
    rows = ctx.con.execute(
        """SELECT DISTINCT node FROM (
               SELECT unnest($1::VARCHAR[]) AS node, NULL AS label
               UNION ALL SELECT touchpoint, name FROM map_touchpoints
               UNION ALL SELECT touchpoint, channel FROM map_touchpoints)
           WHERE regexp_matches(lower(node), $2) OR regexp_matches(lower(label), $2)
           ORDER BY node""",
        [known, SUPPORT_PATTERN],
    ).fetchall()
    present = set(known)
    return [row[0] for row in rows if row[0] in present]


def _node_values(ctx: Context) -> list[str]:
    """Every touchpoint in ``steps``: the values of the ENUM type ``prepare`` gives them
    (no scan), or the distinct values when ``steps`` was built without it."""
    try:
        rows = ctx.con.execute(f"SELECT unnest(enum_range(NULL::{NODE_TYPE}))").fetchall()
    except duckdb.Error:
        rows = ctx.con.execute("SELECT DISTINCT node::VARCHAR FROM steps").fetchall()
    return [str(row[0]) for row in rows if row[0] is not None]


class _Sets(NamedTuple):
    """SQL templates that keep sets of journeys exactly: ``collect`` aggregates the
    journeys of a group of rows (``{}`` is an optional FILTER condition), ``size`` counts
    one set, ``union`` counts the union of a column of sets, ``common`` counts the
    intersection of two sets."""

    collect: str
    size: str
    union: str
    common: str


def _journey_sets(ctx: Context) -> _Sets:
    """Bitmaps over the journeys' ENUM codes when ``case_id`` has an ENUM type (as
    ``prepare`` makes it), else lists of ids."""
    try:
        ((top,),) = ctx.con.execute("SELECT max(enum_code(case_id)) FROM cases").fetchall()
    except duckdb.Error:
        return _Sets(
            "list(DISTINCT case_id::VARCHAR) FILTER (WHERE {})",
            "coalesce(len({}), 0)",
            "len(list_distinct(flatten(list({}))))",
            "coalesce(len(list_intersect({}, {})), 0)",
        )
    return _Sets(
        f"bitstring_agg(enum_code(case_id), 0, {int(top or 0)}) FILTER (WHERE {{}})",
        "coalesce(bit_count({}), 0)",
        "coalesce(bit_count(bit_or({})), 0)",
        "coalesce(bit_count({} & {}), 0)",
    )


def _has_case_codes(ctx: Context) -> bool:
    """``case_id`` has the ENUM type ``prepare`` gives it (journeys have integer codes)."""
    if prepared_generation(ctx.con) is not None:  # prepare wrote it: always coded
        return True
    try:
        ctx.con.execute(f"SELECT NULL::{CASE_TYPE}, enum_code(case_id) FROM cases LIMIT 0")
    except duckdb.Error:
        return False
    return True


def _stage_key(ctx: Context) -> str:
    """Group by stage position (an integer, fast) when every staged event has one; by the
    stage's name otherwise (stages missing from the workspace's stage list)."""
    ((loose,),) = ctx.con.execute(
        "SELECT count(*) FROM steps WHERE stage IS NOT NULL AND stage_pos IS NULL"
    ).fetchall()
    return "stage" if loose else "stage_pos"


def touchpoints_sql(ctx: Context, support: list[str]) -> str:
    """Per touchpoint and stage: touches, journeys, exits, backward moves, support next,
    waits (count, sum and sum of squares of log(1 + hours): all, and those staying in the
    stage) and the median wait; with its stage's median wait, journeys and support
    events, and all journeys in scope. Counts are sums of 0/1 (cheaper than FILTER);
    exits are the journeys whose last touch it is, intersected with those ending badly
    (sets of journeys, so the steps are read twice: once per touchpoint, once per stage).
    The steps are :data:`STEPS`, in time order: a period reads only the rows it spans."""
    ensure_steps(ctx)
    where = ctx.scope("steps")
    key = _stage_key(ctx)
    sets = _journey_sets(ctx)
    listed = ", ".join(quote(s) for s in support)
    is_support = f"node IN ({listed})" if support else "FALSE"
    support_next = f"next_node IN ({listed})" if support else "FALSE"
    label = (
        "p.stage_key AS stage"
        if key == "stage"
        else "(SELECT any_value(stage) FROM stages WHERE position = p.stage_key) AS stage"
    )
    return f"""
WITH per_touchpoint AS MATERIALIZED (
    SELECT node, {key} AS stage_key,
           count(*) AS events,
           {sets.collect.format("TRUE")} AS journeys,
           {sets.collect.format("next_node IS NULL")} AS last_journeys,
           count(next_node) AS touches_before_next,
           coalesce(sum((next_stage_pos < stage_pos)::INT), 0) AS backward,
           coalesce(sum((stays AND {support_next})::INT), 0) AS support_next,
           coalesce(sum((stays AND next_node IS NOT NULL)::INT), 0) AS touches_before_stay,
           median(gap) AS median_gap,
           count(w) AS n_all,
           coalesce(sum(w), 0) AS sum_all,
           coalesce(sum(w * w), 0) AS sq_all,
           coalesce(sum((stays AND w IS NOT NULL)::INT), 0) AS n_stay,
           coalesce(sum(w * stays::INT), 0) AS sum_stay,
           coalesce(sum(w * w * stays::INT), 0) AS sq_stay
    FROM (SELECT node, {key}, case_id, next_node, next_stage_pos, stage_pos, gap,
                 ln(1 + gap / 3600.0) AS w,
                 next_node_stage_pos IS NOT DISTINCT FROM stage_pos AS stays
          FROM {STEPS} steps WHERE {where})
    GROUP BY node, stage_key
),
per_stage AS (
    SELECT {key} AS stage_key, median(gap) AS stage_median_gap
    FROM {STEPS} steps WHERE {where} GROUP BY stage_key
),
exiting AS (
    SELECT {sets.collect.format("TRUE")} AS journeys FROM cases
    WHERE outcome = 'lost'
       OR (outcome = 'open'
           AND ended_at < (SELECT max(ended_at) FROM cases) - to_days({STALL_DAYS}))
),
stage_journeys AS (
    SELECT stage_key, {sets.union.format("journeys")} AS stage_cases,
           coalesce(sum(events) FILTER (WHERE {is_support}), 0) AS stage_support_events
    FROM per_touchpoint GROUP BY stage_key
)
SELECT p.node::VARCHAR AS touchpoint, {label},
       p.* EXCLUDE (node, stage_key, journeys, last_journeys),
       {sets.size.format("p.journeys")} AS cases,
       {sets.common.format("p.last_journeys", "(SELECT journeys FROM exiting)")} AS exits,
       st.stage_median_gap, j.stage_cases, j.stage_support_events,
       (SELECT {sets.union.format("journeys")} FROM per_touchpoint) AS all_cases
FROM per_touchpoint p
LEFT JOIN per_stage st ON st.stage_key IS NOT DISTINCT FROM p.stage_key
LEFT JOIN stage_journeys j ON j.stage_key IS NOT DISTINCT FROM p.stage_key
ORDER BY stage, touchpoint
"""


JOURNEYS = "friction_journeys"
"""Temporary table: the counts of :func:`touchpoints_sql` per journey, touchpoint and
stage (``g``, an index into :data:`GROUPS`), with the journey's outcome, segment and
whether it ended badly. Filters that keep or drop whole journeys (outcome, segment,
role) add these rows up instead of reading the steps again."""
GROUPS = "friction_groups"
"""Temporary table: one row per touchpoint and stage key (``g``), with its stage label
and stage index (``sg``)."""


class _Order(NamedTuple):
    """The waits of a set of groups, sorted by group then wait: each row's journey code
    and wait, and where each group starts (one more entry than groups)."""

    cases: Array
    gaps: Array
    starts: Array


class _Prepared(NamedTuple):
    """What :func:`_prepared` keeps per connection for one state of the prepared data."""

    stamp: str
    labels: list[tuple[str, str | None, int]]
    """Per group ``g``: touchpoint, stage label, stage index ``sg``."""
    touchpoint: _Order
    stage: _Order
    journeys: int
    """How many journey codes the ENUM type of ``case_id`` has."""


_KEPT: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, _Prepared] = weakref.WeakKeyDictionary()
"""The sorted waits of :func:`_prepared`, per connection (too large for a query each)."""


def _prepared_stamp(ctx: Context, key: str, support: list[str]) -> str:
    """What the cached tables depend on: the prepared state of the workspace
    (:func:`jornada.insights.cache.prepared_state`: a new one each time ``prepare``
    rebuilds ``steps`` and ``cases``), the stage key and the support touchpoints."""
    tables = prepared_state(ctx)
    return f"{tables}:{key}:{','.join(support)}"


def _order(cases: Array, groups: Array, gaps: Array, count: int) -> _Order:
    order = np.lexsort((gaps, groups))
    starts = np.searchsorted(groups[order], np.arange(count + 1))
    return _Order(cases[order], gaps[order], starts)


def _prepared(ctx: Context, key: str, support: list[str]) -> _Prepared:
    """Build (once per state of the prepared data, :func:`_prepared_stamp`) the groups,
    the per-journey counts (:data:`JOURNEYS`) and the waits sorted per touchpoint and per
    stage, kept in memory for exact medians of any set of journeys."""
    stamp = _prepared_stamp(ctx, key, support)
    kept = _KEPT.get(ctx.con)
    if cached_stamp(ctx.con, JOURNEYS) == stamp and kept is not None and kept.stamp == stamp:
        return kept
    con = ctx.con
    ensure_steps(ctx)  # the role bits (ROLE_MASKS) of each journey
    listed = ", ".join(quote(s) for s in support)
    support_next = f"next_node IN ({listed})" if support else "FALSE"
    label = (
        "stage_key"
        if key == "stage"
        else "(SELECT any_value(stage) FROM stages WHERE position = stage_key)"
    )
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE {GROUPS} AS
SELECT (row_number() OVER (ORDER BY node, stage_key) - 1)::INTEGER AS g,
       (dense_rank() OVER (ORDER BY stage_key) - 1)::INTEGER AS sg,
       node, stage_key, node::VARCHAR AS touchpoint, {label}::VARCHAR AS stage
FROM (SELECT DISTINCT node, {key} AS stage_key FROM steps)
""")  # fmt: skip
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE {JOURNEYS} AS
WITH rows AS (
    SELECT s.case_id, gr.g, gr.sg, s.next_node,
           ln(1 + s.gap / 3600.0) AS w,
           s.next_stage_pos < s.stage_pos AS backward,
           s.next_node_stage_pos IS NOT DISTINCT FROM s.stage_pos AS stays
    FROM steps s
    JOIN {GROUPS} gr ON gr.node = s.node AND gr.stage_key IS NOT DISTINCT FROM s.{key}
),
per_journey AS (
    SELECT case_id, g, any_value(sg) AS sg,
           count(*) AS events,
           count(next_node) AS touches_before_next,
           coalesce(sum(backward::INT), 0) AS backward,
           coalesce(sum((stays AND {support_next})::INT), 0) AS support_next,
           coalesce(sum((stays AND next_node IS NOT NULL)::INT), 0) AS touches_before_stay,
           count(w) AS n_all, sum(w) AS sum_all, sum(w * w) AS sq_all,
           coalesce(sum((stays AND w IS NOT NULL)::INT), 0) AS n_stay,
           sum(w * stays::INT) AS sum_stay, sum(w * w * stays::INT) AS sq_stay,
           bool_or(next_node IS NULL) AS last
    FROM rows GROUP BY case_id, g
)
SELECT j.*, c.outcome AS _outcome, c.segment AS _segment,
       coalesce(rm._roles, 0::BIGINT) AS _roles,
       coalesce(c.outcome = 'lost'
                OR (c.outcome = 'open'
                    AND c.ended_at < (SELECT max(ended_at) FROM cases) - to_days({STALL_DAYS})),
                FALSE) AS exiting,
       row_number() OVER (PARTITION BY j.case_id, j.sg ORDER BY j.g) = 1 AS first_in_stage,
       row_number() OVER (PARTITION BY j.case_id ORDER BY j.g) = 1 AS first_in_journey
FROM per_journey j LEFT JOIN cases c ON c.case_id = j.case_id
LEFT JOIN {ROLE_MASKS} rm ON rm.case_id = j.case_id
""")  # fmt: skip
    labels = [
        (str(tp), stage, int(sg))
        for _, sg, tp, stage in con.execute(
            f"SELECT g, sg, touchpoint, stage FROM {GROUPS} ORDER BY g"
        ).fetchall()
    ]
    waits = con.sql(f"""
SELECT enum_code(s.case_id)::INTEGER AS c, gr.g, gr.sg, s.gap
FROM steps s
JOIN {GROUPS} gr ON gr.node = s.node AND gr.stage_key IS NOT DISTINCT FROM s.{key}
WHERE s.gap IS NOT NULL
""").fetchnumpy()  # fmt: skip
    ((top,),) = con.execute(f"SELECT len(enum_range(NULL::{CASE_TYPE}))").fetchall()
    cases = np.asarray(waits["c"], dtype=np.int64)
    gaps = np.asarray(waits["gap"], dtype=float)
    stages = max((sg for _, _, sg in labels), default=-1) + 1
    kept = _Prepared(
        stamp,
        labels,
        _order(cases, np.asarray(waits["g"], dtype=np.int64), gaps, len(labels)),
        _order(cases, np.asarray(waits["sg"], dtype=np.int64), gaps, stages),
        int(top),
    )
    set_stamp(con, JOURNEYS, stamp)
    _KEPT[con] = kept
    return kept


def _medians(order: _Order, keep: Array) -> Array:
    """Per group, the median wait of the rows whose journey ``keep`` holds, as DuckDB's
    ``median`` computes it (the middle value, or the lower plus half the difference of
    the two middle ones); NaN for a group without any."""
    chosen = np.concatenate(([0], np.cumsum(keep[order.cases])))
    base = chosen[order.starts[:-1]]
    n = chosen[order.starts[1:]] - base
    last = max(len(order.gaps) - 1, 0)

    def nth(k: Array) -> Array:
        at = np.searchsorted(chosen, base + k + 1) - 1
        return np.asarray(order.gaps[np.clip(at, 0, last)]) if len(order.gaps) else k * 0.0

    lo, hi = nth((n - 1) // 2), nth(n // 2)
    return np.where(n > 0, np.where(lo == hi, lo, lo + (hi - lo) * 0.5), np.nan)


_SUMS = (
    "events", "touches_before_next", "backward", "support_next", "touches_before_stay",
    "n_all", "sum_all", "sq_all", "n_stay", "sum_stay", "sq_stay",
)  # fmt: skip


def _touchpoints_cached(ctx: Context, key: str, support: list[str]) -> pa.Table:
    """:func:`touchpoints_sql`'s table for filters that keep whole journeys, from
    :data:`JOURNEYS` and the kept waits (:func:`_prepared`)."""
    kept = _prepared(ctx, key, support)
    sums = ", ".join(f"coalesce(sum({name}), 0) AS {name}" for name in _SUMS)
    rows = ctx.con.execute(f"""
SELECT g, count(*) AS cases, {sums},
       count(*) FILTER (WHERE last AND exiting) AS exits,
       count(*) FILTER (WHERE first_in_stage) AS first_in_stage,
       count(*) FILTER (WHERE first_in_journey) AS first_in_journey
FROM {JOURNEYS} j WHERE {journey_condition(ctx.con, ctx.options.filters, "j")}
GROUP BY g ORDER BY g
""").fetchall()  # fmt: skip
    if not rows:
        return pa.table({})
    filters = ctx.options.filters
    if filters.is_empty():
        keep = np.ones(kept.journeys, dtype=bool)
    else:
        codes = ctx.con.execute(
            f"SELECT enum_code(c.case_id)::BIGINT AS code FROM cases c WHERE {ctx.scope('c')}"
        ).fetchnumpy()["code"]
        keep = np.zeros(kept.journeys, dtype=bool)
        keep[np.asarray(codes, dtype=np.int64)] = True
    median_gap = _medians(kept.touchpoint, keep)
    stage_median = _medians(kept.stage, keep)
    stage_cases: dict[int, int] = {}
    stage_support: dict[int, int] = {}
    for row in rows:
        _, sg = kept.labels[row[0]][0], kept.labels[row[0]][2]
        stage_cases[sg] = stage_cases.get(sg, 0) + int(row[-2])
        if kept.labels[row[0]][0] in support:
            stage_support[sg] = stage_support.get(sg, 0) + int(row[2])
    all_cases = sum(int(row[-1]) for row in rows)
    out: list[dict[str, Any]] = []
    for row in rows:
        g = int(row[0])
        touchpoint, stage, sg = kept.labels[g]
        item: dict[str, Any] = {"touchpoint": touchpoint, "stage": stage}
        item.update(zip(_SUMS, row[2 : 2 + len(_SUMS)], strict=True))
        item["median_gap"] = _float(median_gap[g])
        item["cases"] = int(row[1])
        item["exits"] = int(row[2 + len(_SUMS)])
        item["stage_median_gap"] = _float(stage_median[sg])
        item["stage_cases"] = stage_cases[sg]
        item["stage_support_events"] = stage_support.get(sg, 0)
        item["all_cases"] = all_cases
        out.append(item)
    out.sort(key=lambda r: (r["stage"] is None, r["stage"] or "", r["touchpoint"]))
    return pa.Table.from_pylist(out)


def _float(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def negative_max(survey: str, top: float, bottom: float) -> float:
    """The highest score that counts as negative on a survey, from its observed scale:
    0-10 scales and any survey named NPS: 0-6 (detractors); 1-5: 1-2; 1-7: 1-3; any
    other range: its bottom third. Higher scores are better on every survey (CES as
    "the company made it easy": invert low-is-better effort scores when importing)."""
    if "nps" in survey.lower() or 7 < top <= 10:
        return 6.0
    if top <= 5:
        return 2.0
    if top <= 7:
        return 3.0
    return bottom + (top - bottom) / 3


def feedback_sql(ctx: Context) -> str:
    """Survey answers tied to a touchpoint, counted per touchpoint, stage, survey and score
    (scores take few values; :func:`survey_groups` reads everything else from these
    counts). Answers belong to the journey of their account or contact (with ``case`` =
    opportunity: to each journey of the account, counted once)."""
    case = ctx.options.case
    if case is CaseKey.opportunity:
        answers = f"""
    SELECT DISTINCT fb.import_id, fb.source_row, fb.survey, fb.score, fb.touchpoint, fb.stage
    FROM (SELECT f.*, c.case_id, f.timestamp AS ts FROM feedback f
          JOIN cases c ON c.account_id = f.account_id) fb
    WHERE fb.score IS NOT NULL AND fb.touchpoint IS NOT NULL AND {ctx.scope("fb")}"""
    else:
        key = "contact_id" if case is CaseKey.contact else "account_id"
        answers = f"""
    SELECT fb.survey, fb.score, fb.touchpoint, fb.stage
    FROM (SELECT f.*, f.{key} AS case_id, f.timestamp AS ts FROM feedback f) fb
    WHERE fb.score IS NOT NULL AND fb.touchpoint IS NOT NULL AND {ctx.scope("fb")}"""
    return f"""
SELECT fb.touchpoint, fb.stage, fb.survey, fb.score, count(*) AS n
FROM ({answers}
) fb
GROUP BY ALL ORDER BY ALL
"""


FEEDBACK = "friction_feedback"
"""Temporary table: :func:`feedback_sql`'s counts of every answer, per journey outcome,
segment and role bits (NULL for answers outside any journey), for filters that keep whole
journeys to add up."""


def _feedback(ctx: Context) -> pa.Table:
    """:func:`feedback_sql`'s table: from :data:`FEEDBACK` when the filters keep whole
    journeys and each answer belongs to one journey (journeys by account or contact), else
    from the answers."""
    filters, case = ctx.options.filters, ctx.options.case
    if not filters.whole_journeys or case is CaseKey.opportunity:
        return _fetch(ctx, feedback_sql(ctx))
    state = prepared_state(ctx)
    ensure_steps(ctx, state)
    if filters.role is not None and role_bit(ctx.con, filters.role) is None:
        return _fetch(ctx, feedback_sql(ctx))
    key = "contact_id" if case is CaseKey.contact else "account_id"
    sql = f"""
SELECT fb.touchpoint, fb.stage, fb.survey, fb.score, f._outcome, f._segment, f._roles,
       count(*) AS n
FROM feedback fb LEFT JOIN {JOURNEY_FACTS} f ON f.case_id = fb.{key}
WHERE fb.score IS NOT NULL AND fb.touchpoint IS NOT NULL
GROUP BY ALL
"""  # fmt: skip
    keep_table(ctx.con, FEEDBACK, sql, f"{state}:{feedback_fingerprint(ctx.con)}:{sql}")
    return _fetch(ctx, f"""
SELECT touchpoint, stage, survey, score, sum(n)::BIGINT AS n
FROM {FEEDBACK} j WHERE {journey_condition(ctx.con, filters, "j")}
GROUP BY ALL ORDER BY ALL
""")  # fmt: skip


def _fetch(ctx: Context, sql: str) -> pa.Table:
    """A small aggregated result as Arrow, planned once (``execute`` binds and runs in one
    step; a relation binds first, then runs)."""
    cursor = ctx.con.execute(sql)
    names = [column[0] for column in cursor.description or ()]
    rows = cursor.fetchall()
    return pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})


# Small NumPy helpers over the aggregated rows (tens of touchpoints).


def _numbers(table: pa.Table, name: str) -> Array:
    """A numeric column as floats, nulls as 0."""
    values = np.asarray(table.column(name).to_numpy(zero_copy_only=False), dtype=float)
    return np.where(np.isnan(values), 0.0, values)


def _total_by(keys: Array, values: Array) -> Array:
    """Each row's total of ``values`` over the rows sharing its key."""
    _, codes = np.unique(keys, return_inverse=True)
    return np.asarray(np.bincount(codes.ravel(), weights=values)[codes.ravel()])


def _key(*columns: list[Any]) -> Array:
    """One text key per row from several columns (None-safe), for :func:`_total_by`."""
    return np.array(["\x1f".join("" if v is None else str(v) for v in row) for row in
                     zip(*columns, strict=True)], dtype=object)  # fmt: skip


def _wilson_low(hits: Array, n: Array) -> Array:
    """Lower end of the one-sided Wilson interval for hits / n (0 where n is 0)."""
    m = np.maximum(n, 1.0)
    p = hits / m
    centre = p + Z * Z / (2 * m)
    spread = Z * np.sqrt(p * (1 - p) / m + Z * Z / (4 * m * m))
    low = (centre - spread) / (1 + Z * Z / m)
    return np.where(n > 0, np.maximum(low, 0.0), 0.0)


def _log_strength(ratio: Array, full: float) -> Array:
    """0 at ratio <= 1, 1 at ratio >= ``full``, linear in log(ratio) between."""
    safe = np.where(np.isfinite(ratio) & (ratio > 0), ratio, 1.0)
    out = np.where(np.isposinf(ratio), 1.0, np.log(safe) / np.log(full))
    return np.clip(out, 0.0, 1.0)


def _mean_var(n: Array, total: Array, square: Array) -> tuple[Array, Array]:
    """Mean and sample variance from count, sum and sum of squares (NaN when n < 2)."""
    ok = n >= 2
    m = np.where(ok, n, 2.0)
    mean = total / m
    var = np.maximum((square - total * total / m) / (m - 1), 0.0)
    return np.where(ok, mean, np.nan), np.where(ok, var, np.nan)


def _difference(
    own: tuple[Array, Array, Array], rest: tuple[Array, Array, Array]
) -> tuple[Array, Array, Array]:
    """Own mean minus rest mean, its variance (Welch) and where both sides have data;
    ``own`` and ``rest`` are (count, sum, sum of squares)."""
    mean_o, var_o = _mean_var(*own)
    mean_r, var_r = _mean_var(*rest)
    ok = np.isfinite(mean_o) & np.isfinite(mean_r)
    n_o, n_r = np.maximum(own[0], 1.0), np.maximum(rest[0], 1.0)
    var = np.where(ok, var_o / n_o + var_r / n_r, 0.0)
    return np.where(ok, mean_o - mean_r, 0.0), var, ok


def _pooled(parts: list[tuple[Array, Array, Array, Array]]) -> tuple[Array, Array, Array]:
    """Combine per-stratum differences (weight, difference, variance, usable) into one,
    weighting each stratum by the touchpoint's own count in it."""
    weight = sum(np.where(ok, n, 0.0) for n, _, _, ok in parts)
    diff = sum(np.where(ok, n * d, 0.0) for n, d, _, ok in parts)
    var = sum(np.where(ok, n * n * v, 0.0) for n, _, v, ok in parts)
    w = np.maximum(np.asarray(weight, dtype=float), 1.0)
    return np.asarray(diff) / w, np.asarray(var) / (w * w), np.asarray(weight) > 0


def _ratio(numerator: Array, denominator: Array) -> Array:
    return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def touchpoint_signals(tp: pa.Table, support_list: list[str]) -> dict[str, Array]:
    """Effects (for the table) and strengths 0-1 (for the score) from the counts of
    :func:`touchpoints_sql`."""
    stage = _key(tp.column("stage").to_pylist())
    col = {name: _numbers(tp, name) for name in tp.column_names if name not in
           ("touchpoint", "stage")}  # fmt: skip
    support = np.isin(np.array(tp.column("touchpoint").to_pylist(), dtype=object), support_list)
    ones = np.ones(len(support))
    out: dict[str, Array] = {}
    # Exits against the touchpoint's share of the stage's touches that had a next one.
    ended = _total_by(stage, col["exits"])
    touches = _total_by(stage, col["touches_before_next"])
    expected = (col["touches_before_next"] + 0.5) / (touches + 0.5 * _total_by(stage, ones))
    out["exit_rate"] = _ratio(col["exits"], ended)
    out["expected_exit_share"] = np.where(ended > 0, expected, np.nan)
    out["exit_ratio"] = out["exit_rate"] / expected
    out["exit"] = _log_strength(_wilson_low(col["exits"], ended) / expected, FULL["exit"])
    # Backward moves per touch against the rest of the stage.
    events, backward = col["events"], col["backward"]
    rest = (_total_by(stage, backward) - backward + 0.5) / (_total_by(stage, events) - events + 1)
    out["backtrack_origin_share"] = backward / max(float(backward.sum()), 1.0)
    out["backtrack_ratio"] = _ratio(backward, events) / rest
    out["backtrack"] = _log_strength(_wilson_low(backward, events) / rest, FULL["backtrack"])
    # Support contacts next in the same stage against the stage's support share; support
    # touchpoints themselves are not scored (a ticket opened is followed by its answer).
    share = col["stage_support_events"] / np.maximum(_total_by(stage, events), 1.0)
    before = col["touches_before_stay"]
    expected_next = (before * share + 0.5) / np.maximum(before, 1.0)
    out["support_next_share"] = _ratio(col["support_next"], before)
    out["support_ratio"] = np.where(support, np.nan, out["support_next_share"] / expected_next)
    low = _wilson_low(col["support_next"], before)
    out["support"] = np.where(support, 0.0, _log_strength(low / expected_next, FULL["support"]))
    # Waits like for like: within the stage, and before a stage change.
    for name in ("n", "sum", "sq"):
        col[f"{name}_move"] = col[f"{name}_all"] - col[f"{name}_stay"]
    parts = []
    for kind in ("stay", "move"):
        own = (col[f"n_{kind}"], col[f"sum_{kind}"], col[f"sq_{kind}"])
        rest3 = (
            _total_by(stage, own[0]) - own[0],
            _total_by(stage, own[1]) - own[1],
            _total_by(stage, own[2]) - own[2],
        )
        parts.append((own[0], *_difference(own, rest3)))
    diff, var, ok = _pooled(parts)
    out["dwell_excess"] = np.where(ok, np.exp(diff), np.nan)
    out["dwell"] = np.where(ok, _log_strength(np.exp(diff - Z * np.sqrt(var)), FULL["dwell"]), 0)
    out["dwell_ratio"] = _ratio(col["median_gap"], col["stage_median_gap"])
    return out


def survey_groups(counts: pa.Table) -> dict[str, Any]:
    """From answers counted per touchpoint, stage, survey and score (:func:`feedback_sql`),
    per touchpoint, stage and survey: answers, score sum, negative answers, negatives
    expected at the survey's own negative rate, and count, sum and sum of squares of the
    scores standardised within their survey (z)."""
    tps, stages, surveys = (counts.column(c).to_pylist() for c in ("touchpoint", "stage", "survey"))
    score, n = _numbers(counts, "score"), _numbers(counts, "n")
    names, survey = np.unique(np.array(surveys, dtype=object), return_inverse=True)
    survey = survey.ravel()
    total = np.bincount(survey, weights=n)
    mean = np.bincount(survey, weights=n * score) / total
    square = np.bincount(survey, weights=n * score * score)
    var = np.maximum(square - total * mean * mean, 0.0) / np.maximum(total - 1, 1.0)
    sd = np.where(total > 1, np.sqrt(var), 0.0)
    top = np.full(len(names), -np.inf)
    bottom = np.full(len(names), np.inf)
    np.maximum.at(top, survey, score)
    np.minimum.at(bottom, survey, score)
    cut = np.array([negative_max(str(name), t_, b) for name, t_, b in zip(names, top, bottom,
                                                                       strict=True)])  # fmt: skip
    negative = n * (score <= cut[survey])
    rate = np.bincount(survey, weights=negative) / total
    scored = sd[survey] > 0
    z = np.where(scored, (score - mean[survey]) / np.where(scored, sd[survey], 1.0), 0.0)
    _, first, group = np.unique(_key(tps, stages, surveys), return_index=True,
                                return_inverse=True)  # fmt: skip
    group = group.ravel()

    def per(values: Array) -> Array:
        return np.asarray(np.bincount(group, weights=values))

    answers = per(n)
    return {
        "touchpoint": [tps[i] for i in first],
        "stage": [stages[i] for i in first],
        "survey": [surveys[i] for i in first],
        "answers": answers,
        "sum_score": per(n * score),
        "negative": per(negative),
        "expected_negative": answers * rate[survey[first]],
        "n_z": per(n * scored),
        "sum_z": per(n * z),
        "sq_z": per(n * z * z),
    }


def feedback_signals(counts: pa.Table) -> dict[tuple[str, str | None], dict[str, float | None]]:
    """Per touchpoint and stage: answers, negative share and ratio, mean scores (raw and
    z) against the comparison group, and the feedback strength 0-1."""
    if counts.num_rows == 0:
        return {}
    fb = survey_groups(counts)
    tps, stages, surveys = fb["touchpoint"], fb["stage"], fb["survey"]
    own = (fb["n_z"], fb["sum_z"], fb["sq_z"])
    in_stage = _key(stages, surveys)
    in_survey = _key(surveys)
    rest_stage = tuple(_total_by(in_stage, o) - o for o in own)
    rest_all = tuple(_total_by(in_survey, o) - o for o in own)
    use_stage = rest_stage[0] >= 2
    rest = (
        np.where(use_stage, rest_stage[0], rest_all[0]),
        np.where(use_stage, rest_stage[1], rest_all[1]),
        np.where(use_stage, rest_stage[2], rest_all[2]),
    )
    diff, var, ok = _difference(own, rest)
    rest_mean, _ = _mean_var(*rest)
    group = _key(tps, stages)
    # Pool the surveys of one touchpoint (usually one) weighting by answers.
    _, first, codes = np.unique(group, return_index=True, return_inverse=True)
    codes = codes.ravel()

    def total(values: Array) -> Array:
        return np.asarray(np.bincount(codes, weights=values))

    n = np.where(ok, own[0], 0.0)
    w = np.maximum(total(n), 1.0)
    pooled_diff = total(n * diff) / w
    pooled_var = total(n * n * var) / (w * w)
    usable = total(n) > 0
    low = np.where(usable, -pooled_diff - Z * np.sqrt(pooled_var), 0.0)
    strength = np.clip(low / FULL["feedback"], 0.0, 1.0)
    answers = total(fb["answers"])
    negative = total(fb["negative"])
    expected = total(fb["expected_negative"])
    n_z = total(own[0])
    mean_z = total(own[1]) / np.maximum(n_z, 1.0)
    rest_z = total(np.where(ok, own[0] * np.nan_to_num(rest_mean), 0.0)) / w
    mean_score = total(fb["sum_score"]) / np.maximum(answers, 1.0)
    out: dict[tuple[str, str | None], dict[str, float | None]] = {}
    for i, row in enumerate(first):
        out[(tps[row], stages[row])] = {
            "answers": float(answers[i]),
            "negative_share": _finite(negative[i] / answers[i] if answers[i] else None),
            "negative_ratio": _finite(negative[i] / expected[i] if expected[i] else None),
            "mean_score": _finite(mean_score[i] if answers[i] else None),
            "score_z": _finite(mean_z[i] if n_z[i] else None),
            "compared_score_z": _finite(rest_z[i] if usable[i] else None),
            "strength": float(strength[i]),
        }
    return out


def _finite(value: float | None, digits: int = 4) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), digits)


def _days(seconds: float | None) -> float | None:
    return None if seconds is None else _finite(seconds / 86400, 2)


SCHEMA = pa.schema([
    ("touchpoint", pa.string()), ("stage", pa.string()), ("events", pa.int64()),
    ("cases", pa.int64()), ("exits", pa.int64()), ("exit_rate", pa.float64()),
    ("expected_exit_share", pa.float64()), ("exit_ratio", pa.float64()),
    ("backward", pa.int64()), ("backtrack_origin_share", pa.float64()),
    ("backtrack_ratio", pa.float64()), ("median_wait_days", pa.float64()),
    ("stage_median_wait_days", pa.float64()), ("dwell_ratio", pa.float64()),
    ("dwell_excess", pa.float64()), ("answers", pa.int64()), ("negative_share", pa.float64()),
    ("negative_ratio", pa.float64()), ("mean_score", pa.float64()), ("score_z", pa.float64()),
    ("compared_score_z", pa.float64()), ("support", pa.bool_()),
    ("support_next_share", pa.float64()), ("support_ratio", pa.float64()),
    ("exit_strength", pa.float64()), ("dwell_strength", pa.float64()),
    ("feedback_strength", pa.float64()), ("backtrack_strength", pa.float64()),
    ("support_strength", pa.float64()), ("score", pa.float64()),
])  # fmt: skip
"""The ``friction`` table."""

SUPPORT_SCHEMA = pa.schema([
    ("stage", pa.string()), ("cases", pa.int64()), ("support_events", pa.int64()),
    ("support_per_case", pa.float64()),
])  # fmt: skip
"""The ``support_load`` table: support events per journey in each stage."""


def _support_load(tp: pa.Table) -> pa.Table:
    rows = []
    seen: set[str | None] = set()
    for row in tp.select(["stage", "stage_cases", "stage_support_events"]).to_pylist():
        if row["stage"] in seen:
            continue
        seen.add(row["stage"])
        cases, events = int(row["stage_cases"] or 0), int(row["stage_support_events"] or 0)
        rows.append({"stage": row["stage"], "cases": cases, "support_events": events,
                     "support_per_case": _finite(events / cases if cases else None)})  # fmt: skip
    return pa.Table.from_pylist(rows, schema=SUPPORT_SCHEMA)


def analyse(ctx: Context) -> Result:
    """The ``friction`` and ``support_load`` tables, and a ``friction`` finding for each
    touchpoint whose score reaches :data:`MIN_SCORE`, highest first."""
    support = support_nodes(ctx)
    filters = ctx.options.filters
    if filters.whole_journeys and _has_case_codes(ctx):
        tp = _touchpoints_cached(ctx, _stage_key(ctx), support)
    else:
        tp = _fetch(ctx, touchpoints_sql(ctx, support))
    if tp.num_rows == 0:
        return Result(tables={"friction": SCHEMA.empty_table(),
                              "support_load": SUPPORT_SCHEMA.empty_table()})  # fmt: skip
    signals = touchpoint_signals(tp, support)
    surveys = feedback_signals(_feedback(ctx))
    rows = []
    for i, row in enumerate(tp.to_pylist()):
        fb = surveys.get((row["touchpoint"], row["stage"]), {})
        strengths = {
            "exit": float(signals["exit"][i]),
            "dwell": float(signals["dwell"][i]),
            "feedback": float(fb.get("strength") or 0.0),
            "backtrack": float(signals["backtrack"][i]),
            "support": float(signals["support"][i]),
        }
        rows.append({
            "touchpoint": row["touchpoint"], "stage": row["stage"], "events": row["events"],
            "cases": row["cases"], "exits": row["exits"],
            "exit_rate": _finite(signals["exit_rate"][i]),
            "expected_exit_share": _finite(signals["expected_exit_share"][i]),
            "exit_ratio": _finite(signals["exit_ratio"][i]),
            "backward": row["backward"],
            "backtrack_origin_share": _finite(signals["backtrack_origin_share"][i]),
            "backtrack_ratio": _finite(signals["backtrack_ratio"][i]),
            "median_wait_days": _days(row["median_gap"]),
            "stage_median_wait_days": _days(row["stage_median_gap"]),
            "dwell_ratio": _finite(signals["dwell_ratio"][i]),
            "dwell_excess": _finite(signals["dwell_excess"][i]),
            "answers": int(fb.get("answers") or 0),
            "negative_share": fb.get("negative_share"),
            "negative_ratio": fb.get("negative_ratio"),
            "mean_score": fb.get("mean_score"),
            "score_z": fb.get("score_z"),
            "compared_score_z": fb.get("compared_score_z"),
            "support": row["touchpoint"] in support,
            "support_next_share": _finite(signals["support_next_share"][i]),
            "support_ratio": _finite(signals["support_ratio"][i]),
            **{f"{k}_strength": round(v, 4) for k, v in strengths.items()},
            "score": round(sum(WEIGHTS[k] * v for k, v in strengths.items()), 4),
        })  # fmt: skip
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    table = table.sort_by([("score", "descending"), ("stage", "ascending"),
                           ("touchpoint", "ascending")])  # fmt: skip
    all_cases = int(tp.column("all_cases")[0].as_py() or 0)
    return Result(
        tables={"friction": table, "support_load": _support_load(tp)},
        findings=_findings(ctx, table, all_cases),
    )


def _findings(ctx: Context, table: pa.Table, all_cases: int) -> list[Finding]:
    names = dict(ctx.con.execute("SELECT touchpoint, name FROM map_touchpoints").fetchall())
    stages = dict(ctx.con.execute("SELECT stage, name FROM map_stages").fetchall())
    found = []
    kept = table.filter(pc.greater_equal(table.column("score"), MIN_SCORE))
    for row in kept.to_pylist():
        strengths = {k: row[f"{k}_strength"] for k in WEIGHTS}
        main = max(strengths, key=lambda k: (strengths[k] * WEIGHTS[k], k))
        name = names.get(row["touchpoint"]) or row["touchpoint"]
        evidence = {
            "journeys": row["cases"],
            "share_of_journeys": _finite(row["cases"] / all_cases if all_cases else None),
            "exits": row["exits"],
            "exit_rate": row["exit_rate"],
            "expected_exit_share": row["expected_exit_share"],
            "exit_ratio": row["exit_ratio"],
            "median_wait_days": row["median_wait_days"],
            "stage_median_wait_days": row["stage_median_wait_days"],
            "dwell_excess": row["dwell_excess"],
            "answers": row["answers"],
            "negative_share": row["negative_share"],
            "score_z": row["score_z"],
            "compared_score_z": row["compared_score_z"],
            "backtrack_ratio": row["backtrack_ratio"],
            "support_ratio": row["support_ratio"],
            "strengths": strengths,
            "stalled_after_days": STALL_DAYS,
        }
        action = t(
            f"friction.{main}.action",
            ctx.lang,
            touchpoint=name,
            stage=stages.get(row["stage"]) or row["stage"] or "-",
            exit_rate=_percent(row["exit_rate"]),
            expected=_percent(row["expected_exit_share"]),
            wait=_number(row["median_wait_days"]),
            stage_wait=_number(row["stage_median_wait_days"]),
            negative=_percent(row["negative_share"]),
            backtrack=_number(row["backtrack_ratio"]),
            support=_number(row["support_ratio"]),
        )
        found.append(finding("friction", name, row["score"], evidence, action,
                             stage=row["stage"], touchpoint=row["touchpoint"]))  # fmt: skip
    return found


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
