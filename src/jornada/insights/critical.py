"""Critical touchpoints: the moments that decide wins, measured two ways.

``touchpoint_lift``: per touchpoint, the win rate of the decided journeys that had it
against those that did not, among the journeys that reached its stage (a late touchpoint is
not compared with journeys that never got there). Won journeys count only what happened
before the win. The difference of the two rates comes with a 95% Newcombe hybrid score
interval (Newcombe 1998, method 10: the Wilson intervals of both rates combined), and with
the mean satisfaction score (each survey scaled 0-1 between its lowest and highest
answer) of the journeys with and without it.

``markov_removal``: first-order Markov removal effects (:mod:`jornada.insights.markov`),
for the journeys and, when the workspace holds one, for an imported path table.

Findings (``critical_touchpoint``): a touchpoint whose lift stays away from 0 under a
Bonferroni-adjusted interval (over all touchpoints tested) and is at least
:data:`MIN_LIFT`; a touchpoint the map marks critical that shows no lift; for path tables
(no outcomes per journey), a touchpoint whose removal effect is at least
:data:`LARGE_REMOVAL`. See docs/insights-critical.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from statistics import NormalDist
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from jornada.engine.options import Filters
from jornada.engine.prepare import NODE_TYPE
from jornada.i18n import t
from jornada.insights import markov
from jornada.insights.cache import (
    JOURNEY_FACTS,
    cached_stamp,
    ensure_steps,
    journey_condition,
    prepared_state,
    role_bit,
    set_stamp,
)
from jornada.insights.context import Context, Finding, Result, finding
from jornada.insights.sentiment import feedback_fingerprint

KIND = "critical_touchpoint"
CONFIDENCE = 0.95
MIN_CASES = 20
"""Journeys needed on each side (with, without) before a lift is tested."""
MIN_LIFT = 0.05
"""Smallest win-rate difference (5 points) worth a finding."""
NO_EFFECT_BOUND = 0.15
"""A touchpoint marked critical "shows no effect" when its 95% interval holds 0 and stays
below a lift of this size."""
NO_EFFECT_WEIGHT = 0.1
"""Score of a critical-without-effect finding: this times the share of journeys reaching
its stage (a map to correct, not a lever on wins)."""
LARGE_REMOVAL = 0.5
"""Removal effect from which a path table's touchpoint is a finding: without it, at least
half the conversions would be lost."""

Vector = npt.NDArray[np.float64]


def _z(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def newcombe_interval(
    won_a: Vector, cases_a: Vector, won_b: Vector, cases_b: Vector, z: float
) -> tuple[Vector, Vector]:
    """Newcombe's hybrid score interval for ``won_a/cases_a - won_b/cases_b`` (NaN when a
    side is empty)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p_a, p_b = won_a / cases_a, won_b / cases_b
        low_a, high_a = wilson_interval(won_a, cases_a, z)
        low_b, high_b = wilson_interval(won_b, cases_b, z)
        diff = p_a - p_b
        low = diff - np.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2)
        high = diff + np.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2)
    return low, high


def wilson_interval(won: Vector, cases: Vector, z: float) -> tuple[Vector, Vector]:
    """Wilson score interval of ``won / cases``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = won / cases
        centre = (p + z * z / (2 * cases)) / (1 + z * z / cases)
        half = z * np.sqrt(p * (1 - p) / cases + z * z / (4 * cases * cases)) / (1 + z * z / cases)
    return centre - half, centre + half


def measures_sql(ctx: Context, nodes: int) -> str:
    """Everything both measures need, in one pass over ``steps`` (the kept steps are read
    once, then aggregated twice): rows ``part = 'moves'`` are the chain's transitions
    (:func:`markov.transitions_of`); rows ``part = 'journeys'`` are one per decided journey
    (:func:`journeys_sql`)."""
    return f"""
WITH kept AS MATERIALIZED ({markov.journey_steps(ctx)})
SELECT 'moves' AS part, * FROM ({markov.transitions_of("kept")})
UNION ALL BY NAME
SELECT 'journeys' AS part, * EXCLUDE (case_id) FROM ({journeys_sql(ctx, nodes, "kept")})
"""


def journeys_sql(ctx: Context, nodes: int, kept: str) -> str:
    """One row per decided journey of the :func:`markov.journey_steps` rows in ``kept``:
    won, the furthest stage reached before the win, the touchpoints it had (``nodes`` bits,
    one per touchpoint code) and its feedback (scores scaled 0-1 per survey, summed, and
    how many)."""
    if ctx.options.case.value == "contact":
        key, feedback_key = "c.case_id::VARCHAR", "contact_id"
    else:
        key, feedback_key = "c.account_id", "account_id"
    return f"""
WITH journeys AS (
    SELECT case_id, bool_or(won) AS won, max(stage_pos) AS reach,
           bitstring_agg(enum_code(node)::INTEGER, 0, {max(nodes - 1, 0)}) AS present
    FROM {kept} GROUP BY case_id
),
scales AS (
    SELECT survey, min(score) AS low, max(score) AS high FROM feedback
    GROUP BY survey HAVING max(score) > min(score)
),
scores AS (
    SELECT f.{feedback_key} AS key, sum((f.score - sc.low) / (sc.high - sc.low)) AS total,
           count(*) AS answers
    FROM feedback f JOIN scales sc ON sc.survey = f.survey
    WHERE f.score IS NOT NULL AND f.{feedback_key} IS NOT NULL
    GROUP BY f.{feedback_key}
)
SELECT j.case_id, j.won, j.reach, j.present, f.total AS score_total, f.answers
FROM journeys j
JOIN cases c ON c.case_id = j.case_id
LEFT JOIN scores f ON f.key = {key}
"""


_MOVES = "_journey_critical_moves"
"""The chain's transitions of every decided journey, summed per journey outcome, segment
and role bits (the columns a journey filter reads): a few times fewer rows than per
journey, and far fewer than the steps."""
_JOURNEYS = "_journey_critical_journeys"
""":func:`journeys_sql` of every decided journey, with its outcome, segment and role bits."""


def cached_measures_sql(ctx: Context, nodes: int) -> str | None:
    """:func:`measures_sql` for filters that keep whole journeys, from :data:`_MOVES` and
    :data:`_JOURNEYS` (built once per prepared workspace) instead of the steps; None under a
    period, or for a role only ``case_roles`` knows (past the role bits)."""
    filters = ctx.options.filters
    if not filters.whole_journeys:
        return None
    state = prepared_state(ctx)
    ensure_steps(ctx, state)
    if filters.role is not None and role_bit(ctx.con, filters.role) is None:
        return None
    stamp = f"{state}:{nodes}:{feedback_fingerprint(ctx.con)}"  # scores come from feedback
    if cached_stamp(ctx.con, _MOVES) != stamp or cached_stamp(ctx.con, _JOURNEYS) != stamp:
        whole = Context(ctx.con, replace(ctx.options, filters=Filters()), ctx.journey)
        ctx.con.execute(
            f"CREATE OR REPLACE TEMP TABLE _journey_critical_kept AS {markov.journey_steps(whole)}"
        )
        ctx.con.execute(f"""
CREATE OR REPLACE TEMP TABLE {_MOVES} AS
SELECT f._outcome, f._segment, f._roles, k.node AS source, k.target, k.won, k.stage_pos,
       count(*)::DOUBLE AS weight
FROM _journey_critical_kept k JOIN {JOURNEY_FACTS} f ON f.case_id = k.case_id
GROUP BY ALL
""")  # fmt: skip
        ctx.con.execute(f"""
CREATE OR REPLACE TEMP TABLE {_JOURNEYS} AS
SELECT j.*, f._outcome, f._segment, f._roles
FROM ({journeys_sql(whole, nodes, "_journey_critical_kept")}) j
JOIN {JOURNEY_FACTS} f ON f.case_id = j.case_id
""")  # fmt: skip
        ctx.con.execute("DROP TABLE _journey_critical_kept")
        set_stamp(ctx.con, _MOVES, stamp)
        set_stamp(ctx.con, _JOURNEYS, stamp)
    keep = journey_condition(ctx.con, filters, "j")
    return f"""
SELECT 'moves' AS part, source, target, won, stage_pos, sum(weight) AS weight
FROM {_MOVES} j WHERE {keep} GROUP BY source, target, won, stage_pos
UNION ALL BY NAME
SELECT 'journeys' AS part, won, reach, present, score_total, answers
FROM {_JOURNEYS} j WHERE {keep}
"""


@dataclass(frozen=True)
class Lookups:
    """The small tables the measures are read against, fetched in one query."""

    names: list[str]
    """Touchpoints by ENUM code (the bits of ``present``)."""
    stages: dict[int, str]
    """Stage by position."""
    mapped: dict[str, tuple[str | None, int | None, bool | None]]
    """The map's touchpoints: stage, its position, critical."""

    @classmethod
    def fetch(cls, ctx: Context) -> Lookups:
        row = ctx.con.execute(f"""
SELECT enum_range(NULL::{NODE_TYPE}),
       (SELECT list(struct_pack(s := stage, p := position)) FROM stages),
       (SELECT list(struct_pack(t := m.touchpoint, s := m.stage, p := st.position,
                                c := m.critical))
        FROM map_touchpoints m LEFT JOIN stages st ON st.stage = m.stage)
""").fetchall()[0]
        names, stages, mapped = row[0] or [], row[1] or [], row[2] or []
        return cls(
            [str(name) for name in names],
            {int(s["p"]): str(s["s"]) for s in stages},
            {str(m["t"]): (m["s"], m["p"], m["c"]) for m in mapped},
        )


def measures(ctx: Context, lookups: Lookups) -> tuple[pa.Table, pa.Table]:
    """The transitions and the journeys of :func:`measures_sql`."""
    nodes = len(lookups.names)
    both = ctx.table(cached_measures_sql(ctx, nodes) or measures_sql(ctx, nodes))
    part = both.column("part")
    moves = both.filter(pc.equal(part, "moves"))
    journeys = both.filter(pc.equal(part, "journeys"))
    return (
        moves.select(["source", "target", "won", "stage_pos", "weight"]),
        journeys.select(["won", "reach", "present", "score_total", "answers"]),
    )


def _bits(column: pa.ChunkedArray, width: int) -> npt.NDArray[np.bool_]:
    """DuckDB bit strings of ``width`` bits as a (rows, width) boolean matrix.

    DuckDB hands a BIT value to Arrow as bytes: one byte saying how many padding bits lead
    the first data byte, then the bits, most significant first. Text ('0'/'1') works too.
    """
    values = column.combine_chunks()
    rows = len(values)
    if rows == 0 or width == 0:
        return np.zeros((rows, width), dtype=bool)
    text = pa.types.is_string(values.type)
    if not (text or pa.types.is_binary(values.type)):
        raise TypeError(f"touchpoint bit strings arrived as {values.type}")
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)
    offsets = offsets[values.offset : values.offset + rows + 1]
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    size = 1 + (width + 7) // 8
    if not text and len(data) == rows * size:
        packed = data.reshape(rows, size)
        bits = np.unpackbits(packed[:, 1:], axis=1)[:, int(packed[0, 0]) :]
        return np.asarray(bits, dtype=bool)
    if len(data) != rows * width:
        raise ValueError(f"touchpoint bit strings are not {width} bits long")
    return np.asarray(data.reshape(rows, width) == ord("1"))


LIFT_SCHEMA = pa.schema(
    [
        ("touchpoint", pa.string()),
        ("stage", pa.string()),
        ("cases_with", pa.int64()),
        ("won_with", pa.int64()),
        ("win_rate_with", pa.float64()),
        ("cases_without", pa.int64()),
        ("won_without", pa.int64()),
        ("win_rate_without", pa.float64()),
        ("lift", pa.float64()),
        ("ci_low", pa.float64()),
        ("ci_high", pa.float64()),
        ("ratio", pa.float64()),
        ("score_with", pa.float64()),
        ("score_without", pa.float64()),
        ("reach", pa.float64()),
        ("marked_critical", pa.bool_()),
    ]
)


def _floats(table: pa.Table, name: str) -> Vector:
    return np.asarray(table.column(name).to_numpy(zero_copy_only=False), dtype=float)


def _placement(lookups: Lookups, transitions: pa.Table) -> dict[str, tuple[str | None, float]]:
    """Each touchpoint's stage and its position: the map's stage when the map has the
    touchpoint, else the stage most of its touches (in the journeys counted) carry."""
    placed: dict[str, tuple[str | None, float]] = {}
    by_stage = transitions.group_by(["source", "stage_pos"]).aggregate([("weight", "sum")])
    rows = [r for r in by_stage.to_pylist() if r["stage_pos"] is not None]
    for row in sorted(rows, key=lambda r: (-r["weight_sum"], r["stage_pos"])):
        position = row["stage_pos"]
        placed.setdefault(row["source"], (lookups.stages.get(position), float(position)))
    for touchpoint, (stage, position, _) in lookups.mapped.items():
        placed[touchpoint] = (stage, np.nan if position is None else float(position))
    return placed


def touchpoint_lift(lookups: Lookups, transitions: pa.Table, journeys: pa.Table) -> pa.Table:
    """The ``touchpoint_lift`` table (columns: :data:`LIFT_SCHEMA`) from
    :func:`measures`; the transitions place the touchpoints the map does not."""
    names = lookups.names
    present = _bits(journeys.column("present"), len(names))  # journeys x touchpoints
    won = _floats(journeys, "won")
    answers = np.nan_to_num(_floats(journeys, "answers"))
    scores = np.nan_to_num(_floats(journeys, "score_total"))
    placed = _placement(lookups, transitions)
    where = [placed.get(name, (None, np.nan)) for name in names]
    position = np.array([p for _, p in where], dtype=float)
    reach = _floats(journeys, "reach")
    # Each touchpoint is compared within the journeys that reached its stage.
    with np.errstate(invalid="ignore"):
        inside = np.isnan(position)[None, :] | (reach[:, None] >= position[None, :])
    has = present & inside
    # Journeys, wins, answers and score totals summed over each touchpoint's population.
    # einsum's own loop, not a BLAS product: multi-threaded BLAS stalls on a busy machine.
    weights = np.stack([np.ones(len(won)), won, answers, scores])

    def summed(among: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
        out: npt.NDArray[np.float64] = np.einsum(
            "kj,jn->kn", weights, among.astype(float), optimize=False
        )
        return out

    reaching, won_reaching, answers_all, score_all = summed(inside)
    n_with, w_with, answers_with, score_with = summed(has)
    n_without, w_without = reaching - n_with, won_reaching - w_with
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_with, rate_without = w_with / n_with, w_without / n_without
        ratio = np.where(rate_without > 0, rate_with / rate_without, np.nan)
        mean_with = np.where(answers_with > 0, score_with / answers_with, np.nan)
        rest = answers_all - answers_with
        mean_without = np.where(rest > 0, (score_all - score_with) / rest, np.nan)
        share = reaching / len(won)
    low, high = newcombe_interval(w_with, n_with, w_without, n_without, _z(CONFIDENCE))
    columns: dict[str, Any] = {
        "touchpoint": names,
        "stage": [stage for stage, _ in where],
        "cases_with": n_with.astype(np.int64),
        "won_with": w_with.astype(np.int64),
        "win_rate_with": rate_with,
        "cases_without": n_without.astype(np.int64),
        "won_without": w_without.astype(np.int64),
        "win_rate_without": rate_without,
        "lift": rate_with - rate_without,
        "ci_low": low,
        "ci_high": high,
        "ratio": ratio,
        "score_with": mean_with,
        "score_without": mean_without,
        "reach": share,
        "marked_critical": [lookups.mapped.get(name, (None, None, None))[2] for name in names],
    }
    arrays = []
    for field in LIFT_SCHEMA:
        values = columns[field.name]
        if isinstance(values, np.ndarray) and values.dtype.kind == "f":
            arrays.append(pa.array(values, type=field.type, mask=np.isnan(values)))
        else:
            arrays.append(pa.array(values, type=field.type))
    table = pa.Table.from_arrays(arrays, schema=LIFT_SCHEMA)
    # Touchpoints only other journeys (outside the filters, after the win) had are left out.
    order = sorted(np.flatnonzero(n_with > 0),
                   key=lambda i: (np.nan_to_num(position[i], nan=np.inf), names[i]))  # fmt: skip
    return table.take(pa.array(order, pa.int64()))


def markov_removal(ctx: Context, transitions: pa.Table) -> tuple[pa.Table, dict[str, float]]:
    """Removal effects of the journeys (from :func:`markov.journey_transitions` rows), then
    of the path table when there is one; and each touchpoint's journey removal effect."""
    journeys = markov.attribute(markov.journey_chain(transitions))
    tables = [markov.removal_table(journeys, "journeys", with_value=False)]
    if _has_paths(ctx):
        tables.append(markov.removal_table(markov.paths(ctx), "paths", with_value=True))
    effects = dict(zip(journeys.states, journeys.removal_effects.tolist(), strict=True))
    return pa.concat_tables(tables), effects


def _has_paths(ctx: Context) -> bool:
    """Whether the workspace holds a path table with rows."""
    try:
        return bool(_scalar(ctx, "SELECT EXISTS (SELECT 1 FROM paths)"))
    except duckdb.CatalogException:  # not a workspace made by this version
        return False


def _scalar(ctx: Context, sql: str) -> Any:
    rows = ctx.con.execute(sql).fetchall()
    return rows[0][0] if rows else None


def analyse(ctx: Context) -> Result:
    """``markov_removal`` and ``touchpoint_lift``, and the ``critical_touchpoint`` findings."""
    lookups = Lookups.fetch(ctx)
    transitions, journeys = measures(ctx, lookups)
    removal, effects = markov_removal(ctx, transitions)
    lift = touchpoint_lift(lookups, transitions, journeys)
    has_map = bool(lookups.mapped)
    found = lift_findings(lift, effects, ctx.lang, has_map=has_map)
    found += path_findings(removal, ctx.lang)
    found.sort(key=lambda f: (-f["score"], f["subject"]))
    return Result({"markov_removal": removal, "touchpoint_lift": lift}, found)


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _points(value: float) -> str:
    return f"{value * 100:+.0f}"


def lift_findings(
    lift: pa.Table, effects: dict[str, float], lang: str, *, has_map: bool
) -> list[Finding]:
    """Touchpoints whose lift is clear after adjusting for testing them all, and (with a
    map) critical touchpoints without effect."""
    rows = [
        r
        for r in lift.to_pylist()
        if r["cases_with"] >= MIN_CASES and r["cases_without"] >= MIN_CASES
    ]
    if not rows:
        return []

    def column(name: str) -> Vector:
        return np.array([float(r[name]) for r in rows])

    z_family = _z(1 - (1 - CONFIDENCE) / len(rows))
    lows, highs = newcombe_interval(
        column("won_with"),
        column("cases_with"),
        column("won_without"),
        column("cases_without"),
        z_family,
    )
    out = []
    for row, low, high in zip(rows, lows.tolist(), highs.tolist(), strict=True):
        tp, stage, delta = row["touchpoint"], row["stage"], row["lift"]
        clear = (low > 0 or high < 0) and abs(delta) >= MIN_LIFT
        no_effect = (
            row["marked_critical"] and row["ci_low"] <= 0 <= row["ci_high"] < NO_EFFECT_BOUND
        )
        if clear:
            unmarked = has_map and delta > 0 and not row["marked_critical"]
            verdict = "lifts_wins" if delta > 0 else "hurts_wins"
            key = "unmarked" if unmarked else ("lift" if delta > 0 else "drag")
            score = abs(delta) * row["reach"]
        elif no_effect:
            verdict, key = "critical_without_effect", "no_effect"
            score = NO_EFFECT_WEIGHT * row["reach"]
        else:
            continue
        evidence = _evidence(row, effects.get(tp), (low, high), has_map)
        evidence["verdict"] = verdict
        action = t(f"critical.{key}.action", lang, touchpoint=tp, stage=stage or "-",
                   **_rates(row))  # fmt: skip
        out.append(finding(KIND, tp, score, evidence, action, stage=stage, touchpoint=tp))
    return out


def _rates(row: dict[str, Any]) -> dict[str, str]:
    return {
        "with": _pct(row["win_rate_with"]),
        "without": _pct(row["win_rate_without"]),
        "points": _points(row["lift"]),
    }


def _evidence(
    row: dict[str, Any], removal: float | None, adjusted: tuple[float, float], has_map: bool
) -> dict[str, Any]:
    def r4(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    evidence: dict[str, Any] = {
        "journeys_with": row["cases_with"],
        "win_rate_with": r4(row["win_rate_with"]),
        "journeys_without": row["cases_without"],
        "win_rate_without": r4(row["win_rate_without"]),
        "lift": r4(row["lift"]),
        "ci95": [r4(row["ci_low"]), r4(row["ci_high"])],
        "ci_adjusted": [r4(adjusted[0]), r4(adjusted[1])],
        "reach": r4(row["reach"]),
        "removal_effect": r4(removal),
    }
    if row["score_with"] is not None or row["score_without"] is not None:
        evidence["score_with"] = r4(row["score_with"])
        evidence["score_without"] = r4(row["score_without"])
    if has_map:
        evidence["marked_critical"] = bool(row["marked_critical"])
    return evidence


def path_findings(removal: pa.Table, lang: str) -> list[Finding]:
    """Path-table touchpoints without which at least half the conversions would be lost."""
    out = []
    for row in removal.to_pylist():
        if row["source"] != "paths" or row["removal_effect"] < LARGE_REMOVAL:
            continue
        evidence = {
            "source": "paths",
            "removal_effect": round(row["removal_effect"], 4),
            "attributed_conversions": round(row["attributed_conversions"], 1),
            "share": round(row["share"], 4),
            "verdict": "carries_conversions",
        }
        action = t("critical.paths.action", lang, touchpoint=row["touchpoint"],
                   effect=_pct(row["removal_effect"]), share=_pct(row["share"]))  # fmt: skip
        out.append(finding(KIND, row["touchpoint"], row["share"], evidence, action,
                           touchpoint=row["touchpoint"]))  # fmt: skip
    return out
