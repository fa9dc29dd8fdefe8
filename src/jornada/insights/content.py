"""Content by stage and role: what the inventory offers, what buyers consume, where the holes are.

The inventory is the workspace ``content`` table plus the map's content (``map_content``).
An asset belongs to a stage and to a buying-group role: its ``role``, else the role of its
``persona`` (from the map's personas, else from the contacts); an asset with neither is
*generic* and serves every role of its stage. Consumption counts touches on an asset
(``steps.content_id``) by contacts of each role, in the asset's stage (the touch's own
stage when the asset is not in the inventory). Touches by unidentified visitors count for
the assets but not for any role.

A cell (stage x role) is a gap when the role is active in the stage but consumes nothing
there, while the other roles of the stage do: ``expected_touches`` is what the role would
consume if it read the stage's content in proportion to its share of the stage's events.
The gap is ``no_asset`` when the inventory has nothing for the cell, ``no_consumption``
when it has assets nobody of that role touches.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from jornada.i18n import t
from jornada.insights.cache import (
    JOURNEY_FACTS,
    ROLE_NUMBERS,
    STEPS,
    cached_stamp,
    derived_scans,
    ensure_steps,
    journey_condition,
    journey_scan,
    keep_table,
    scalar,
)
from jornada.insights.context import Context, Finding, Result, finding

MIN_EXPECTED = 10.0
"""A cell with no touch is a gap when it would expect at least this many (Poisson chance of
zero below 0.005%)."""
MIN_SHARE = 0.02
"""...and when the role is active in the stage in at least this share of journeys."""

_TOUCHES = "_journey_content_touches"
_ACTIVITY = "_journey_content_activity"
_CONSUMED = "_journey_content_consumed"
_GATED = "_journey_content_gated"

# Persona -> role: the map's personas first, else what the contacts say.
_PERSONA_ROLE = """(
    SELECT persona, arg_min(role, rank) AS role FROM (
        SELECT persona, role, 0 AS rank FROM map_personas WHERE role IS NOT NULL
        UNION ALL
        SELECT persona, role, 1 FROM contacts WHERE persona IS NOT NULL AND role IS NOT NULL
    ) GROUP BY persona
)"""

COVERAGE_SCHEMA = pa.schema(
    [("stage", pa.string()), ("position", pa.int32()), ("role", pa.string()),
     ("assets", pa.int64()), ("generic_assets", pa.int64()), ("gated_assets", pa.int64()),
     ("map_assets", pa.int64()), ("touches", pa.int64()), ("cases_consuming", pa.int64()),
     ("role_events", pa.int64()), ("role_cases", pa.int64()),
     ("expected_touches", pa.float64())]
)  # fmt: skip
GAP_SCHEMA = pa.schema(
    [("stage", pa.string()), ("position", pa.int32()), ("role", pa.string()),
     ("gap", pa.string()), ("assets", pa.int64()), ("touches", pa.int64()),
     ("expected_touches", pa.float64()), ("role_events", pa.int64()),
     ("role_cases", pa.int64()), ("share_of_journeys", pa.float64()),
     ("other_roles_assets", pa.int64()), ("other_roles_touches", pa.int64()),
     ("previous_stage_assets", pa.int64()), ("previous_stage_touches", pa.int64()),
     ("next_stage_assets", pa.int64()), ("next_stage_touches", pa.int64())]
)  # fmt: skip


def analyse(ctx: Context) -> Result:
    by_position = bool(ctx.con.execute("SELECT count(*) FROM stages").fetchall()[0][0])
    ensure_steps(ctx)
    # Role codes: the steps' role numbers, then roles only the map names.
    codes = [str(r[0]) for r in ctx.con.execute(
        f"SELECT role FROM {ROLE_NUMBERS} ORDER BY number"
    ).fetchall()]  # fmt: skip
    codes += sorted(
        str(r[0]) for r in ctx.con.execute("SELECT DISTINCT role FROM map_roles").fetchall()
        if str(r[0]) not in codes
    )  # fmt: skip
    inventory = _inventory(ctx, by_position)
    touches = journey_scan(ctx, _TOUCHES, lambda where: _touches_sql(where, by_position, inventory))
    derived = derived_scans(
        ctx, _TOUCHES, touches,
        {_ACTIVITY: _activity_sql, _CONSUMED: _consumed_sql, _GATED: _gated_cases_sql},
    )  # fmt: skip
    assets = ctx.con.execute(f"SELECT * FROM {_ASSETS}").fetchall()
    roles = sorted(set(codes) | {str(a[2]) for a in assets if a[2] is not None})
    stages = _stage_list(ctx, {str(a[1]) for a in assets if a[1] is not None})
    # Events and journeys per stage and role, content touches and journeys per asset stage
    # and role, and all journeys in scope: one query (each query costs its planning).
    rows = ctx.con.execute(f"""
SELECT 1 AS part, stage_key, role_code, sum(events)::BIGINT, count(*) FROM {derived[_ACTIVITY]}
GROUP BY ALL
UNION ALL
SELECT 2, asset_key, role_code, sum(touches)::BIGINT, count(*) FROM {derived[_CONSUMED]}
GROUP BY ALL
UNION ALL
SELECT 3, NULL, NULL, NULL, ({_cases_sql(ctx, touches)})
""").fetchall()  # fmt: skip
    activity = [row[1:] for row in rows if row[0] == 1]
    consumed = [row[1:] for row in rows if row[0] == 2]
    all_cases = int(next(row[4] for row in rows if row[0] == 3))
    gated = ctx.table(_gated_sql(derived[_GATED], by_position))
    names = {position: stage for stage, position in stages}

    def cell(stage_key: Any, code: Any) -> tuple[str, str]:
        return str(names.get(stage_key) if by_position else stage_key), codes[int(code) - 1]

    cells = _cells(
        stages, roles,
        {cell(st, r): (int(e), int(c)) for st, r, e, c in activity},
        {cell(st, r): (int(t), int(c)) for st, r, t, c in consumed},
        _stock(assets, roles),
    )  # fmt: skip
    gaps = _gaps(cells, all_cases)
    return Result(
        tables={
            "content_coverage": pa.Table.from_pylist(cells, schema=COVERAGE_SCHEMA),
            "content_gaps": pa.Table.from_pylist(gaps, schema=GAP_SCHEMA),
            "content_gated": gated,
        },
        findings=_findings(ctx, gaps),
    )


_FACTS = "_journey_content_asset_facts"
"""Per asset: its stage and whether it is gated (the workspace's inventory, then the map's)."""
_ASSETS = "_journey_content_assets"
"""One row per asset and role it serves (role NULL: generic)."""
_KEYS = "_journey_content_asset_keys"
"""Per asset the steps touch, typed like the steps' ``content_id``: the stage key of its
stage (its position when there is a stage list, else its name; NULL when the inventory
does not place it) and its access code (1 free, 2 gated, 3 unknown)."""
_ACCESS = "CASE access WHEN 1 THEN 'free' WHEN 2 THEN 'gated' ELSE 'unknown' END"


def _inventory(ctx: Context, by_position: bool) -> str:
    """Build the inventory tables (:data:`_FACTS`, :data:`_ASSETS`, :data:`_KEYS`) unless
    they were built for this inventory, map and steps; returns the inventory's
    fingerprint, which the cached aggregate's query carries so that a new inventory or map
    rebuilds it too."""
    fingerprint = str(scalar(ctx.con, """
SELECT concat_ws('/',
    (SELECT count(*) || ':' || coalesce(sum(hash(c)), 0) FROM content c),
    (SELECT count(*) || ':' || coalesce(sum(hash(m)), 0) FROM map_content m),
    (SELECT count(*) || ':' || coalesce(sum(hash(p)), 0) FROM map_personas p))
"""))  # fmt: skip
    stamp = f"{cached_stamp(ctx.con, STEPS)}:{fingerprint}:{by_position}"
    keep_table(ctx.con, _FACTS, """
SELECT content_id, any_value(stage ORDER BY rank) AS stage, any_value(gated ORDER BY rank) AS gated
FROM (SELECT content_id, stage, gated, 0 AS rank FROM content
      UNION ALL SELECT content_id, stage, gated, 1 FROM map_content)
WHERE content_id IS NOT NULL
GROUP BY content_id
""", stamp)  # fmt: skip
    keep_table(ctx.con, _ASSETS, _assets_sql(), stamp)
    asset_stage = "p.position" if by_position else "f.stage"
    keep_table(ctx.con, _KEYS, f"""
SELECT k.content_id, {asset_stage} AS stage_key,
       (CASE WHEN f.gated THEN 2 WHEN NOT f.gated THEN 1 ELSE 3 END)::UTINYINT AS access
FROM (SELECT DISTINCT content_id FROM {STEPS} WHERE content_id IS NOT NULL) k
LEFT JOIN {_FACTS} f ON f.content_id = k.content_id::VARCHAR
LEFT JOIN stages p ON p.stage = f.stage
""", stamp)  # fmt: skip
    return fingerprint


def _touches_sql(where: str, by_position: bool, inventory: str) -> str:
    """The one scan of the steps: per stage, journey and role of the contact, all touches,
    and the content touches by the asset's stage and access (1 free, 2 gated, 3 unknown).
    Stages are positions and roles their numbers in the steps (1-based, 0 for none):
    grouping on integers is about twice as fast as on text."""
    stage = "s.stage_pos" if by_position else "s.stage"
    return f"""
SELECT {stage} AS stage_key, s.case_id, coalesce(s.role_number, 0) AS role_code,
       CASE WHEN s.content_id IS NOT NULL THEN coalesce(a.stage_key, {stage}) END AS asset_key,
       a.access, count(*)::BIGINT AS events, count(s.content_id)::BIGINT AS touches
FROM {STEPS} s LEFT JOIN {_KEYS} a ON a.content_id = s.content_id
WHERE {where}
GROUP BY ALL
-- inventory {inventory}
"""


def _assets_sql() -> str:
    """One row per asset and role it serves (role NULL: generic)."""
    return f"""
SELECT a.content_id, any_value(a.stage) AS stage, coalesce(a.role, pr.role) AS role,
       bool_or(a.gated) AS gated, bool_or(a.from_map) AS from_map
FROM (
    SELECT content_id, stage, role, persona, gated, FALSE AS from_map FROM content
    UNION ALL
    SELECT content_id, stage, NULL, persona, gated, TRUE FROM map_content
) a
LEFT JOIN {_PERSONA_ROLE} pr ON pr.persona = a.persona
WHERE a.content_id IS NOT NULL
GROUP BY a.content_id, coalesce(a.role, pr.role)
"""


def _cases_sql(ctx: Context, touches: str) -> str:
    """Journeys in scope: from the cached journey facts when the filters keep whole
    journeys, else those with a touch in the period."""
    filters = ctx.options.filters
    if filters.whole_journeys:
        kept = journey_condition(ctx.con, filters, "j")
        return f"SELECT count(*) FROM {JOURNEY_FACTS} j WHERE {kept}"
    return f"SELECT count(DISTINCT case_id) FROM {touches}"


def _stock(
    assets: list[tuple[Any, ...]], roles: list[str]
) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """Per stage and role: assets, generic ones, gated ones and the map's (the inventory
    is a few hundred rows)."""
    seen: dict[tuple[str, str], dict[str, set[str]]] = {}
    for content_id, stage, role, gated, from_map in assets:
        if stage is None:
            continue
        for served in [str(role)] if role is not None else roles:
            cell = seen.setdefault((str(stage), served), {k: set() for k in "agpm"})
            cell["a"].add(str(content_id))
            if role is None:
                cell["g"].add(str(content_id))
            if gated:
                cell["p"].add(str(content_id))
            if from_map:
                cell["m"].add(str(content_id))
    return {k: (len(v["a"]), len(v["g"]), len(v["p"]), len(v["m"])) for k, v in seen.items()}


def _stage_list(ctx: Context, asset_stages: set[str]) -> list[tuple[str, int | None]]:
    """The stages in order, then stages only the inventory names."""
    listed = [(str(st), int(pos)) for st, pos in ctx.con.execute(
        "SELECT stage, position FROM stages ORDER BY position"
    ).fetchall()]  # fmt: skip
    known = {st for st, _ in listed}
    extra: list[tuple[str, int | None]] = [(st, None) for st in sorted(asset_stages - known)]
    return [*listed, *extra]


def _cells(
    stages: list[tuple[str, int | None]],
    roles: list[str],
    activity: dict[tuple[Any, str], tuple[int, int]],
    consumed: dict[tuple[str, str], tuple[int, int]],
    stock: dict[tuple[str, str], tuple[int, int, int, int]],
) -> list[dict[str, Any]]:
    """The stage x role grid, with what a role would consume if it read the stage's content
    in proportion to its share of the stage's events."""
    cells = []
    for stage, position in stages:
        row: list[dict[str, Any]] = []
        for role in roles:
            assets, generic, gated, in_map = stock.get((stage, role), (0, 0, 0, 0))
            touches, consuming = consumed.get((stage, role), (0, 0))
            events, cases = activity.get((stage, role), (0, 0))
            row.append({
                "stage": stage, "position": position, "role": role, "assets": assets,
                "generic_assets": generic, "gated_assets": gated, "map_assets": in_map,
                "touches": touches, "cases_consuming": consuming,
                "role_events": events, "role_cases": cases,
            })  # fmt: skip
        stage_touches = sum(c["touches"] for c in row)
        stage_events = sum(c["role_events"] for c in row)
        for cell in row:
            cell["expected_touches"] = (
                stage_touches * cell["role_events"] / stage_events if stage_events else 0.0
            )
        cells += row
    return cells


def _gaps(cells: list[dict[str, Any]], all_cases: int) -> list[dict[str, Any]]:
    """Cells of an active role that consume nothing while the rest of the stage does."""
    by_key = {(c["stage"], c["role"]): c for c in cells}
    order = list(dict.fromkeys(c["stage"] for c in cells))
    out = []
    for cell in cells:
        stage_cells = [c for c in cells if c["stage"] == cell["stage"]]
        other_touches = sum(c["touches"] for c in stage_cells) - cell["touches"]
        if cell["touches"] or not other_touches or cell["expected_touches"] < MIN_EXPECTED:
            continue
        if cell["role_cases"] < MIN_SHARE * all_cases:
            continue
        index = order.index(cell["stage"])
        previous = by_key.get((order[index - 1], cell["role"])) if index else None
        following = by_key.get((order[index + 1], cell["role"])) if index + 1 < len(order) else None
        out.append({
            "stage": cell["stage"], "position": cell["position"], "role": cell["role"],
            "gap": "no_asset" if cell["assets"] == 0 else "no_consumption",
            "assets": cell["assets"], "touches": 0,
            "expected_touches": cell["expected_touches"], "role_events": cell["role_events"],
            "role_cases": cell["role_cases"],
            "share_of_journeys": cell["role_cases"] / all_cases if all_cases else None,
            "other_roles_assets": sum(c["assets"] for c in stage_cells) - cell["assets"],
            "other_roles_touches": other_touches,
            "previous_stage_assets": previous and previous["assets"],
            "previous_stage_touches": previous and previous["touches"],
            "next_stage_assets": following and following["assets"],
            "next_stage_touches": following and following["touches"],
        })  # fmt: skip
    return sorted(out, key=lambda g: (-g["expected_touches"], g["stage"], g["role"]))


def _activity_sql(touches: str) -> str:
    """Events per stage, role and journey (one row each: ``count(*)`` counts journeys)."""
    return f"""
SELECT stage_key, role_code, case_id, sum(events) AS events, _outcome, _segment, _roles
FROM {touches} WHERE role_code > 0 AND stage_key IS NOT NULL
GROUP BY stage_key, role_code, case_id, _outcome, _segment, _roles
"""


def _consumed_sql(touches: str) -> str:
    """Content touches per asset stage, role and journey."""
    return f"""
SELECT asset_key, role_code, case_id, sum(touches) AS touches, _outcome, _segment, _roles
FROM {touches} WHERE access IS NOT NULL AND role_code > 0 AND asset_key IS NOT NULL
GROUP BY asset_key, role_code, case_id, _outcome, _segment, _roles
"""


def _gated_cases_sql(touches: str) -> str:
    """Content touches per asset stage, access and journey, with the journey's outcome and
    furthest stage."""
    return f"""
SELECT asset_key, access, case_id, sum(touches) AS n, any_value(_outcome) AS outcome,
       any_value(_max_stage_pos) AS max_stage_pos, any_value(_outcome) AS _outcome,
       any_value(_segment) AS _segment, any_value(_roles) AS _roles
FROM {touches} WHERE access IS NOT NULL
GROUP BY asset_key, access, case_id
"""


def _gated_sql(per_case: str, by_position: bool) -> str:
    """Gated vs free assets: use per asset, and how the journeys that consumed them went
    (progression: the journey later reached a stage beyond the asset's)."""
    name = "sp.stage" if by_position else "p.asset_key"
    key = "position" if by_position else "stage"
    return f"""
WITH judged AS (
    SELECT {name} AS stage, sp.position, {_ACCESS} AS access, p.n, p.outcome,
           p.max_stage_pos > sp.position AS progressed
    FROM {per_case} p LEFT JOIN stages sp ON sp.{key} = p.asset_key
),
stock AS (
    SELECT stage, CASE WHEN gated THEN 'gated' WHEN NOT gated THEN 'free' ELSE 'unknown' END
               AS access, count(*) AS assets
    FROM {_FACTS} GROUP BY ALL
)
SELECT j.stage, j.access, coalesce(any_value(s.assets), 0) AS assets,
       sum(j.n)::BIGINT AS touches,
       sum(j.n) / nullif(any_value(s.assets), 0) AS touches_per_asset,
       count(*) AS cases_consuming,
       count(*) FILTER (WHERE j.progressed) / nullif(count(j.progressed), 0) AS progression_rate,
       count(*) FILTER (WHERE j.outcome = 'won') AS won,
       count(*) FILTER (WHERE j.outcome = 'lost') AS lost,
       count(*) FILTER (WHERE j.outcome = 'won')
           / nullif(count(*) FILTER (WHERE j.outcome IN ('won', 'lost')), 0) AS win_rate
FROM judged j LEFT JOIN stock s ON s.stage = j.stage AND s.access = j.access
GROUP BY j.stage, j.access
ORDER BY any_value(j.position) NULLS LAST, j.stage, j.access
"""


def _findings(ctx: Context, gaps: list[dict[str, Any]]) -> list[Finding]:
    out = []
    for gap in gaps:
        subject = f"{gap['stage']} × {gap['role']}"
        share = gap["share_of_journeys"] or 0.0
        evidence = {
            "gap": gap["gap"],
            "assets": gap["assets"],
            "touches": gap["touches"],
            "expected_touches": round(gap["expected_touches"], 1),
            "role_events_in_stage": gap["role_events"],
            "journeys_with_role_in_stage": gap["role_cases"],
            "share_of_journeys": round(share, 4),
            "other_roles_touches": gap["other_roles_touches"],
            "previous_stage": {"assets": gap["previous_stage_assets"],
                               "touches": gap["previous_stage_touches"]},
            "next_stage": {"assets": gap["next_stage_assets"],
                           "touches": gap["next_stage_touches"]},
        }  # fmt: skip
        action = t(
            f"journey.content_gap.{gap['gap']}.action", ctx.lang, stage=gap["stage"],
            role=gap["role"], events=gap["role_events"], assets=gap["assets"],
        )  # fmt: skip
        score = min(1.0, share + 0.1)
        out.append(
            finding("content_gap", subject, score, evidence, action,
                    stage=gap["stage"], role=gap["role"])
        )  # fmt: skip
    return out
