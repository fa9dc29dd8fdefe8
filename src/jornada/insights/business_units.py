"""The business units' view: who handles which touches, and where journeys stall on them.

An event belongs to its ``business_unit``, else to the map's owner of its touchpoint.
Friction proxies per unit:

- ``backward_moves``: its touches after which the journey goes back to an earlier stage;
- ``exits``: journeys that end on its touch before buying (lost, or open and silent for
  ``DORMANT_DAYS`` before the newest event), against ``expected_exits``: what it would
  have if journeys left each stage in proportion to the units' share of that stage's
  touches (a unit working late stages is not blamed for the late stages' exits);
- ``post_purchase_exits``: won journeys that went silent after a post-purchase touch of
  the unit, against the same kind of expectation.

A touchpoint is shared when two or more units are named on it in the map, or handle at
least ``SHARED_MIN_SHARE`` of its touches (and ``SHARED_MIN_EVENTS``) in the data.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import pyarrow as pa

from jornada.i18n import t
from jornada.insights.cache import STEPS, derived_scans, journey_scan
from jornada.insights.context import Context, Finding, Result, finding

DORMANT_DAYS = 180
SHARED_MIN_SHARE = 0.05
SHARED_MIN_EVENTS = 10
EXIT_RATIO = 1.5
"""A unit is flagged when its exits reach this multiple of the expectation..."""
EXIT_Z = 3.0
"""...with a Poisson z of at least this..."""
MIN_EXITS = 20
"""...and at least this many exits."""
UNOWNED_MIN_SHARE = 0.01
"""A shared touchpoint without owner is flagged from this share of all touches."""

VIEW_SCHEMA = pa.schema(
    [("business_unit", pa.string()), ("name", pa.string()),
     ("touchpoints_owned", pa.int64()), ("touchpoints_observed", pa.int64()),
     ("shared_touchpoints", pa.int64()), ("events", pa.int64()), ("event_share", pa.float64()),
     ("cases", pa.int64()), ("case_share", pa.float64()), ("backward_moves", pa.int64()),
     ("backward_rate", pa.float64()), ("exits", pa.int64()), ("exit_share", pa.float64()),
     ("expected_exits", pa.float64()), ("exit_ratio", pa.float64()),
     ("post_purchase_exits", pa.int64()), ("expected_post_purchase_exits", pa.float64())]
)  # fmt: skip
SHARED_SCHEMA = pa.schema(
    [("touchpoint", pa.string()), ("owner", pa.string()),
     ("shared_with", pa.list_(pa.string())), ("designed_bus", pa.list_(pa.string())),
     ("observed_bus", pa.list_(pa.string())), ("events", pa.int64())]
)  # fmt: skip


def analyse(ctx: Context) -> Result:
    owners = {str(tp): str(bu) for tp, bu in ctx.con.execute(
        "SELECT touchpoint, owner_bu FROM map_touchpoints WHERE owner_bu IS NOT NULL"
    ).fetchall()}  # fmt: skip
    designed: dict[str, set[str]] = defaultdict(set)
    designed_rows = ctx.con.execute("SELECT touchpoint, business_unit FROM map_touchpoint_bus")
    for tp, bu in designed_rows.fetchall():
        designed[str(tp)].add(str(bu))
    names = dict(ctx.con.execute("SELECT business_unit, name FROM map_business_units").fetchall())
    per_case = journey_scan(ctx, _PER_CASE, _per_case_sql)
    touches = ctx.con.execute(f"""
SELECT node, business_unit, stage_pos, sum(events)::BIGINT, sum(backward)::BIGINT
FROM {per_case} GROUP BY ALL ORDER BY ALL""").fetchall()  # fmt: skip
    fallback = any(unit is None and str(node) in owners for node, unit, *_ in touches)
    units_of = derived_scans(
        ctx, _PER_CASE, per_case, {_UNITS: lambda base: _units_sql(base, fallback, owners)}
    )[_UNITS]
    cases = ctx.con.execute(f"""
SELECT business_unit, count(*) FROM {units_of} WHERE business_unit IS NOT NULL GROUP BY 1
UNION ALL
SELECT NULL, count(DISTINCT case_id) FROM {units_of}""").fetchall()  # fmt: skip
    ends = ctx.con.execute(_ends_sql(per_case)).fetchall()

    per_tp: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    units: dict[str, dict[str, Any]] = defaultdict(_unit)
    stage_events: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for node, unit, stage_pos, events, backward in touches:
        bu = unit or owners.get(str(node))
        per_tp[str(node)][bu or ""] += int(events)
        if bu is None:
            continue
        units[bu]["events"] += int(events)
        units[bu]["backward_moves"] += int(backward)
        units[bu]["observed"].add(str(node))
        stage_events[stage_pos][bu] += int(events)
    total_cases = 0
    for bu, n in cases:
        if bu is None:
            total_cases = int(n)
        else:
            units[str(bu)]["cases"] = int(n)
    _exits(units, stage_events, ends, owners)
    for tp, bu in owners.items():
        units[bu]["owned"].add(tp)
    for bu in names:
        units[str(bu)]  # every unit of the map gets a row
    shared = _shared(per_tp, designed, owners)
    for row in shared:
        for bu in {*row["designed_bus"], *row["observed_bus"]}:
            units[bu]["shared"] += 1
    view = _view_rows(units, names, total_cases)
    result = Result(tables={
        "bu_view": pa.Table.from_pylist(view, schema=VIEW_SCHEMA),
        "bu_shared_touchpoints": pa.Table.from_pylist(shared, schema=SHARED_SCHEMA),
    })  # fmt: skip
    total_events = sum(sum(v.values()) for v in per_tp.values())
    result.findings = [
        *_exit_findings(ctx, view, total_cases),
        *_unowned_findings(ctx, shared, total_events, has_map=bool(names or owners)),
    ]
    return result


def _unit() -> dict[str, Any]:
    return {"events": 0, "backward_moves": 0, "cases": 0, "observed": set(), "owned": set(),
            "shared": 0, "exits": 0, "expected_exits": 0.0, "post_exits": 0,
            "expected_post_exits": 0.0}  # fmt: skip


_PER_CASE = "_journey_bu_cases"


def _per_case_sql(where: str) -> str:
    """The one scan of the steps: per journey, touchpoint, unit and stage, the touches, those
    followed by a move back, and whether the journey ended there."""
    return f"""
SELECT case_id, node, business_unit, stage_pos, count(*) AS events,
       count(*) FILTER (WHERE next_stage_pos < stage_pos) AS backward,
       count(*) FILTER (WHERE next_node IS NULL) AS last
FROM {STEPS} s WHERE {where}
GROUP BY ALL
"""


_UNITS = "_journey_bu_units"


def _units_sql(per_case: str, fallback: bool, owners: dict[str, str]) -> str:
    """One row per journey and unit it touched (unit NULL: touches no unit owns); with
    ``fallback``, a touch without a unit counts for its touchpoint's owner in the map.
    The owners are part of the query, so a new map rebuilds the cached table."""
    unit = "j.business_unit"
    join = ""
    if fallback:
        unit = "coalesce(j.business_unit, o.owner_bu)"
        join = (
            "LEFT JOIN (SELECT touchpoint, owner_bu FROM map_touchpoints) o "
            "ON j.business_unit IS NULL AND o.touchpoint = j.node::VARCHAR"
        )
    fingerprint = ",".join(f"{tp}={bu}" for tp, bu in sorted(owners.items())) if fallback else ""
    return f"""
SELECT j.case_id, {unit} AS business_unit, any_value(j._outcome) AS _outcome,
       any_value(j._segment) AS _segment, any_value(j._roles) AS _roles
FROM {per_case} j {join}
GROUP BY j.case_id, {unit}
-- owners {fingerprint.replace(chr(10), " ")}
"""


def _ends_sql(per_case: str) -> str:
    """Last touches of journeys that ended before buying or went silent after it."""
    return f"""
SELECT j.node, j.business_unit, j.stage_pos,
       CASE WHEN c.outcome = 'won' THEN 'post' ELSE 'pre' END AS kind,
       count(*) AS n
FROM {per_case} j JOIN cases c ON c.case_id = j.case_id
WHERE j.last > 0
  AND (c.outcome = 'lost'
       OR (c.ended_at < (SELECT max(ended_at) FROM cases) - INTERVAL {DORMANT_DAYS} DAY
           AND (c.outcome = 'open'
                OR j.stage_pos IN (SELECT position FROM stages
                                   WHERE phase = 'post_purchase'))))
GROUP BY ALL
ORDER BY ALL
"""


def _exits(
    units: dict[str, dict[str, Any]],
    stage_events: dict[Any, dict[str, int]],
    ends: list[tuple[Any, ...]],
    owners: dict[str, str],
) -> None:
    """Observed and expected exits per unit; expected spreads each stage's exits over the
    units in proportion to their touches in that stage."""
    per_stage: dict[tuple[str, Any], int] = defaultdict(int)
    for node, unit, stage_pos, kind, n in ends:
        bu = unit or owners.get(str(node))
        per_stage[(kind, stage_pos)] += int(n)
        if bu is not None:
            units[bu]["exits" if kind == "pre" else "post_exits"] += int(n)
    for (kind, stage_pos), n in per_stage.items():
        events = stage_events.get(stage_pos, {})
        total = sum(events.values())
        for bu, count in events.items():
            key = "expected_exits" if kind == "pre" else "expected_post_exits"
            units[bu][key] += n * count / total


def _shared(
    per_tp: dict[str, dict[str, int]], designed: dict[str, set[str]], owners: dict[str, str]
) -> list[dict[str, Any]]:
    out = []
    for tp in sorted(set(per_tp) | set(designed)):
        counts = per_tp.get(tp, {})
        total = sum(counts.values())
        observed = sorted(
            bu for bu, n in counts.items()
            if bu and n >= SHARED_MIN_EVENTS and n >= SHARED_MIN_SHARE * total
        )  # fmt: skip
        units = set(observed) | designed.get(tp, set())
        if len(units) < 2:
            continue
        owner = owners.get(tp)
        out.append({
            "touchpoint": tp, "owner": owner,
            "shared_with": sorted(units - {owner} if owner else units),
            "designed_bus": sorted(designed.get(tp, set())), "observed_bus": observed,
            "events": total,
        })  # fmt: skip
    return sorted(out, key=lambda r: (-r["events"], r["touchpoint"]))


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _view_rows(
    units: dict[str, dict[str, Any]], names: dict[Any, Any], total_cases: int
) -> list[dict[str, Any]]:
    total_events = sum(u["events"] for u in units.values())
    total_exits = sum(u["exits"] for u in units.values())
    rows = []
    for bu, u in units.items():
        rows.append({
            "business_unit": bu, "name": names.get(bu),
            "touchpoints_owned": len(u["owned"]), "touchpoints_observed": len(u["observed"]),
            "shared_touchpoints": u["shared"], "events": u["events"],
            "event_share": _ratio(u["events"], total_events), "cases": u["cases"],
            "case_share": _ratio(u["cases"], total_cases),
            "backward_moves": u["backward_moves"],
            "backward_rate": _ratio(u["backward_moves"], u["events"]),
            "exits": u["exits"], "exit_share": _ratio(u["exits"], total_exits),
            "expected_exits": round(u["expected_exits"], 2),
            "exit_ratio": _ratio(u["exits"], u["expected_exits"]),
            "post_purchase_exits": u["post_exits"],
            "expected_post_purchase_exits": round(u["expected_post_exits"], 2),
        })  # fmt: skip
    return sorted(rows, key=lambda r: (-r["events"], r["business_unit"]))


def _excess(observed: int, expected: float) -> tuple[float, float] | None:
    """(ratio, Poisson z) when ``observed`` clearly exceeds ``expected``."""
    if observed < MIN_EXITS or expected <= 0:
        return None
    ratio = observed / expected
    z = (observed - expected) / math.sqrt(expected)
    if ratio < EXIT_RATIO or z < EXIT_Z:
        return None
    return ratio, z


def _exit_findings(ctx: Context, view: list[dict[str, Any]], cases: int) -> list[Finding]:
    out = []
    for row in view:
        for kind, observed, expected in (
            ("exits", row["exits"], row["expected_exits"]),
            ("post_purchase_exits", row["post_purchase_exits"],
             row["expected_post_purchase_exits"]),
        ):  # fmt: skip
            excess = _excess(observed, expected)
            if excess is None:
                continue
            ratio, z = excess
            share = observed / cases if cases else 0.0
            evidence = {
                kind: observed, f"expected_{kind}": round(expected, 1),
                "ratio": round(ratio, 2), "z": round(z, 2), "events": row["events"],
                "share_of_journeys": round(share, 4),
            }  # fmt: skip
            action = t(
                f"journey.business_unit.{kind}.action", ctx.lang, unit=row["business_unit"],
                exits=observed, ratio=f"{ratio:.1f}",
            )  # fmt: skip
            score = min(1.0, share * min(1.0, (ratio - 1) / 2) + 0.05)
            out.append(
                finding("business_unit", row["business_unit"], score, evidence, action,
                        business_unit=row["business_unit"])
            )  # fmt: skip
    return out


def _unowned_findings(
    ctx: Context, shared: list[dict[str, Any]], total_events: int, *, has_map: bool
) -> list[Finding]:
    if not has_map or not total_events:
        return []
    out = []
    for row in shared:
        share = row["events"] / total_events
        if row["owner"] is not None or share < UNOWNED_MIN_SHARE:
            continue
        units = ", ".join(row["shared_with"])
        evidence = {"events": row["events"], "share_of_events": round(share, 4),
                    "business_units": row["shared_with"]}  # fmt: skip
        action = t(
            "journey.business_unit.unowned.action", ctx.lang, touchpoint=row["touchpoint"],
            units=units,
        )  # fmt: skip
        out.append(
            finding("business_unit", row["touchpoint"], min(1.0, 0.1 + share * 2), evidence,
                    action, touchpoint=row["touchpoint"])
        )  # fmt: skip
    return out
