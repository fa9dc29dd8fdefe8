"""Designed vs actual: what the map says against what the data shows.

Rows of ``designed_vs_actual``, by ``kind``:

- ``critical_not_observed`` / ``touchpoint_never_observed``: map touchpoints without a
  single event in scope (critical ones apart);
- ``activity_not_in_map``: touches whose touchpoint is not in the map, either because no
  matching rule caught the activity (the node is the raw activity name) or because the data
  names a touchpoint the map lacks;
- ``flow_not_expected``: observed transitions between two map touchpoints that go back to
  an earlier stage or skip two stages or more, in the map's stage order;
- ``role_not_required``: roles taking part in at least half of the closed journeys that
  the map does not mark as required.

``phase_balance`` compares the map's share of touchpoints before and after the purchase
with the data's share of touches. Everything is empty without a map, except the data side
of ``phase_balance``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

import pyarrow as pa

from jornada.i18n import t
from jornada.insights.cache import (
    JOURNEY_FACTS,
    ROLE_CODES,
    STEPS,
    journey_condition,
    journey_scans,
    keep_table,
    prepared_state,
    scalar,
)
from jornada.insights.context import Context, Finding, Result, finding

SKIP = 3
"""A forward flow is unexpected when it moves this many stages or more (skips two)."""
MAX_FLOWS = 50
"""Unexpected flows listed, by volume."""
UNMAPPED_SHARE = 0.01
"""Unmapped activities are a finding from this share of touches..."""
UNMAPPED_CASE_SHARE = 0.05
"""...or this share of journeys."""
FLOW_SHARE = 0.25
"""Unexpected flows are a finding when this share of journeys takes at least one."""
TYPICAL_SHARE = 0.5
PHASE_MIN_MAP_SHARE = 0.2
"""A phase is under-mapped below this share of the map's touchpoints..."""
PHASE_MIN_EVENT_SHARE = 0.3
"""...when it holds at least this share of the touches."""

ITEM_SCHEMA = pa.schema(
    [("item", pa.int64()), ("kind", pa.string()), ("subject", pa.string()),
     ("stage", pa.string()), ("to_subject", pa.string()), ("to_stage", pa.string()),
     ("events", pa.int64()), ("cases", pa.int64()), ("share_of_events", pa.float64()),
     ("share_of_cases", pa.float64()), ("critical", pa.bool_()), ("owner_bu", pa.string()),
     ("unmatched_activity", pa.bool_())]
)  # fmt: skip
PHASE_SCHEMA = pa.schema(
    [("phase", pa.string()), ("map_touchpoints", pa.int64()), ("map_share", pa.float64()),
     ("events", pa.int64()), ("event_share", pa.float64())]
)  # fmt: skip


def analyse(ctx: Context) -> Result:
    touchpoints = {
        str(r[0]): {"stage": r[1], "critical": bool(r[2]), "owner_bu": r[3], "position": r[4]}
        for r in ctx.con.execute("""
SELECT t.touchpoint, t.stage, t.critical, t.owner_bu, s.position
FROM map_touchpoints t LEFT JOIN map_stages s ON s.stage = t.stage""").fetchall()
    }  # fmt: skip
    fingerprint = _map_nodes(ctx, touchpoints)
    scans = journey_scans(
        ctx,
        {_NODES: _nodes_sql, _FLOWS: lambda where: _flows_sql(where, fingerprint)},
        inline={_FLOWS},
    )
    per_node = scans[_NODES]
    nodes = ctx.con.execute(f"""
SELECT node::VARCHAR, stage_pos, sum(events)::BIGINT FROM {per_node}
GROUP BY node, stage_pos""").fetchall()  # fmt: skip
    has_map = bool(touchpoints)
    items: list[dict[str, Any]] = []
    moves = (0, 0, 0)
    cases, extra_roles = _journeys_and_roles(ctx, _scoped_cases(ctx, per_node))
    if has_map:
        unexpected, moves = _unexpected_flows(ctx, touchpoints, scans)
        items = [
            *_never_observed(touchpoints, nodes),
            *_unmapped(ctx, touchpoints, nodes, per_node, cases),
            *unexpected,
            *extra_roles,
        ]
        for number, item in enumerate(items, start=1):
            item["item"] = number
    balance = _balance(ctx, nodes)
    result = Result(tables={
        "designed_vs_actual": pa.Table.from_pylist(items, schema=ITEM_SCHEMA),
        "phase_balance": pa.Table.from_pylist(balance, schema=PHASE_SCHEMA),
    })  # fmt: skip
    if has_map:
        result.findings = [
            *_observed_findings(ctx, items, touchpoints),
            *_unmapped_findings(ctx, items),
            *_flow_findings(ctx, items, moves, cases),
            *_balance_findings(ctx, balance),
        ]
    return result


_NODES = "_journey_designed_nodes"
_MAP_NODES = "_journey_designed_map_nodes"
"""The map's touchpoints seen in the steps, typed like ``steps.node`` (an ENUM after
``prepare``: joins compare codes), with their stage's position."""
_FLOWS = "_journey_designed_flows"


def _nodes_sql(where: str) -> str:
    """Per journey, node and stage position: touches, and whether the node is a raw
    activity name (no touchpoint of the map matched it)."""
    return f"""
SELECT case_id, node, stage_pos, count(*) AS events, any_value(stage) AS stage,
       bool_or(unmatched) AS unmatched
FROM {STEPS} s WHERE {where}
GROUP BY case_id, node, stage_pos
"""


def _item(kind: str, subject: str, **values: Any) -> dict[str, Any]:
    return {"kind": kind, "subject": subject, **values}


def _never_observed(
    touchpoints: dict[str, dict[str, Any]], nodes: list[tuple[Any, ...]]
) -> list[dict[str, Any]]:
    seen = {str(n[0]) for n in nodes}
    out = []
    for tp, info in touchpoints.items():
        if tp in seen:
            continue
        kind = "critical_not_observed" if info["critical"] else "touchpoint_never_observed"
        out.append(_item(kind, tp, stage=info["stage"], events=0, cases=0,
                         critical=info["critical"], owner_bu=info["owner_bu"]))  # fmt: skip
    return sorted(out, key=lambda r: (r["kind"], r["subject"]))


def _unmapped(
    ctx: Context,
    touchpoints: dict[str, dict[str, Any]],
    nodes: list[tuple[Any, ...]],
    per_node: str,
    cases: int,
) -> list[dict[str, Any]]:
    """Nodes not in the map, with their journeys and whether they are raw activity names."""
    total = sum(int(n[2]) for n in nodes)
    missing = sorted({str(n[0]) for n in nodes} - set(touchpoints))
    if not missing:
        return []
    rows = ctx.con.execute(f"""
SELECT node::VARCHAR, any_value(stage), sum(events), count(DISTINCT case_id), bool_or(unmatched)
FROM {per_node} WHERE node NOT IN (SELECT node FROM {_MAP_NODES})
GROUP BY node""").fetchall()  # fmt: skip
    out = [
        _item(
            "activity_not_in_map", str(node), stage=stage, events=int(events),
            cases=int(node_cases), share_of_events=events / total if total else None,
            share_of_cases=node_cases / cases if cases else None,
            unmatched_activity=bool(unmatched),
        )
        for node, stage, events, node_cases, unmatched in rows
    ]  # fmt: skip
    return sorted(out, key=lambda r: (-r["events"], r["subject"]))


def _unexpected_flows(
    ctx: Context, touchpoints: dict[str, dict[str, Any]], scans: dict[str, str]
) -> tuple[list[dict[str, Any]], tuple[int, int, int]]:
    """Flows between map touchpoints that go back or skip two stages or more (flagged by
    :func:`_flows_sql`); with the touches moving between map touchpoints, those unexpected,
    and the journeys taking one."""
    rows = ctx.con.execute(f"""
WITH f AS MATERIALIZED (SELECT * FROM {scans[_FLOWS]})
SELECT FALSE, node::VARCHAR, next_node::VARCHAR, sum(n)::BIGINT, bool_or(mapped),
       bool_or(unexpected)
FROM f GROUP BY node, next_node
UNION ALL
SELECT TRUE, NULL, NULL, count(DISTINCT case_id), NULL, NULL FROM f WHERE unexpected
""").fetchall()  # fmt: skip
    flows = [
        (str(a), str(b), int(n), on_map, odd) for part, a, b, n, on_map, odd in rows if not part
    ]
    taking = sum(int(row[3]) for row in rows if row[0])
    mapped = sum(n for _, _, n, is_mapped, _ in flows if is_mapped)
    found = sorted(
        ((a, b, n) for a, b, n, _, odd in flows if odd), key=lambda f: (-f[2], f[0], f[1])
    )
    if not found:
        return [], (mapped, 0, 0)
    total = sum(n for _, _, n, _, _ in flows)
    items = [
        _item(
            "flow_not_expected", source, stage=touchpoints[source]["stage"], to_subject=target,
            to_stage=touchpoints[target]["stage"], events=n,
            share_of_events=n / total if total else None,
        )
        for source, target, n in found[:MAX_FLOWS]
    ]  # fmt: skip
    return items, (mapped, sum(n for _, _, n in found), taking)


def _map_nodes(ctx: Context, touchpoints: dict[str, dict[str, Any]]) -> str:
    """Build :data:`_MAP_NODES` unless it was built for this map and these steps; returns
    the map's fingerprint, which the queries reading the table carry so that a new map
    makes new cached aggregates."""
    layout = ";".join(f"{tp}@{info['position']}" for tp, info in sorted(touchpoints.items()))
    fingerprint = hashlib.sha256(layout.encode()).hexdigest()
    keep_table(ctx.con, _MAP_NODES, """
SELECT n.node, s.position
FROM (SELECT DISTINCT node FROM steps) n
JOIN map_touchpoints t ON t.touchpoint = n.node::VARCHAR
LEFT JOIN map_stages s ON s.stage = t.stage
""", f"{prepared_state(ctx)}:{fingerprint}")  # fmt: skip
    return fingerprint


def _flows_sql(where: str, fingerprint: str) -> str:
    """Per journey, moves from one node to another, whether both nodes are map touchpoints
    placed in a stage, and whether the move is unexpected: between such touchpoints, back
    or skipping two stages or more."""
    return f"""
SELECT f.case_id, f.node, f.next_node, f.n,
       a.position IS NOT NULL AND b.position IS NOT NULL AS mapped,
       coalesce(b.position < a.position OR b.position - a.position >= {SKIP}, FALSE)
           AS unexpected
FROM (
    SELECT case_id, node, next_node, count(*) AS n
    FROM {STEPS} s WHERE next_node IS NOT NULL AND next_node <> node AND {where}
    GROUP BY case_id, node, next_node
) f
LEFT JOIN {_MAP_NODES} a ON a.node = f.node
LEFT JOIN {_MAP_NODES} b ON b.node = f.next_node
-- map {fingerprint}
"""


def _scoped_cases(ctx: Context, per_node: str) -> str:
    """The journeys in scope with their outcome and role bits, as a query: from the cached
    journey facts when the filters keep whole journeys, else those with a touch in the
    period."""
    filters = ctx.options.filters
    if filters.whole_journeys:
        return (
            f"SELECT case_id, _outcome, _roles FROM {JOURNEY_FACTS} j "
            f"WHERE {journey_condition(ctx.con, filters, 'j')}"
        )
    return f"SELECT DISTINCT case_id, _outcome, _roles FROM {per_node}"


def _journeys_and_roles(ctx: Context, scoped: str) -> tuple[int, list[dict[str, Any]]]:
    """The journeys in scope, and the roles in most of their closed ones that the map does
    not require, counted on the journeys' role bits (through ``case_roles`` when a role has
    no bit)."""
    if scalar(ctx.con, f"SELECT count(*) FROM {ROLE_CODES} WHERE bit IS NULL"):
        counts = """
SELECT r.role, count(*) AS n FROM case_roles r
JOIN j ON j.case_id = r.case_id AND j._outcome IN ('won', 'lost')
GROUP BY r.role"""
    else:
        counts = f"""
SELECT rc.role, count(*) AS n FROM j JOIN {ROLE_CODES} rc ON (j._roles & rc.bit) <> 0
WHERE j._outcome IN ('won', 'lost')
GROUP BY rc.role"""
    rows = ctx.con.execute(f"""
WITH j AS MATERIALIZED ({scoped}),
counts AS ({counts}),
total AS (SELECT count(*) AS cases, count(*) FILTER (WHERE _outcome IN ('won', 'lost')) AS n
          FROM j)
SELECT t.cases, c.role, c.n, c.n / t.n AS share
FROM total t LEFT JOIN counts c
     ON c.role NOT IN (SELECT role FROM map_roles WHERE required)
    AND EXISTS (SELECT 1 FROM map_roles WHERE required)
    AND c.n >= {TYPICAL_SHARE} * t.n
ORDER BY c.n DESC NULLS LAST, c.role
""").fetchall()
    roles = [_item("role_not_required", str(role), cases=int(n), share_of_cases=float(share))
             for _, role, n, share in rows if role is not None]  # fmt: skip
    return int(rows[0][0]), roles


def _balance(ctx: Context, nodes: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    designed = dict(ctx.con.execute("""
SELECT s.phase, count(*) FROM map_touchpoints t JOIN map_stages s ON s.stage = t.stage
GROUP BY s.phase""").fetchall())  # fmt: skip
    phase_of = dict(ctx.con.execute("SELECT position, phase FROM stages").fetchall())
    observed: dict[str, int] = defaultdict(int)
    for _, position, events in nodes:
        phase = phase_of.get(position)
        if phase is not None:
            observed[str(phase)] += int(events)
    map_total = sum(designed.values())
    event_total = sum(observed.values())
    out = []
    for phase in ("pre_purchase", "post_purchase"):
        n = int(designed.get(phase, 0))
        out.append({
            "phase": phase, "map_touchpoints": n if map_total else None,
            "map_share": n / map_total if map_total else None,
            "events": observed[phase],
            "event_share": observed[phase] / event_total if event_total else None,
        })  # fmt: skip
    return out


def _observed_findings(
    ctx: Context, items: list[dict[str, Any]], touchpoints: dict[str, dict[str, Any]]
) -> list[Finding]:
    out = []
    never = [i for i in items if i["kind"] == "touchpoint_never_observed"]
    for item in (i for i in items if i["kind"] == "critical_not_observed"):
        action = t("journey.designed.critical_not_observed.action", ctx.lang,
                   touchpoint=item["subject"])  # fmt: skip
        out.append(finding(
            "designed_vs_actual", item["subject"], 0.5, {"kind": item["kind"], "events": 0},
            action, stage=item["stage"], touchpoint=item["subject"],
        ))  # fmt: skip
    if never:
        names = [i["subject"] for i in never]
        share = len(never) / len(touchpoints)
        evidence = {"kind": "touchpoint_never_observed", "touchpoints": names,
                    "share_of_map_touchpoints": round(share, 4)}  # fmt: skip
        action = t("journey.designed.never_observed.action", ctx.lang,
                   touchpoints=", ".join(names))  # fmt: skip
        subject = t("journey.designed.never_observed.subject", ctx.lang, n=len(never))
        out.append(finding("designed_vs_actual", subject, min(1.0, 0.15 + share), evidence,
                           action))  # fmt: skip
    return out


def _unmapped_findings(ctx: Context, items: list[dict[str, Any]]) -> list[Finding]:
    out = []
    for item in items:
        if item["kind"] != "activity_not_in_map":
            continue
        share_events = item["share_of_events"] or 0.0
        share_cases = item["share_of_cases"] or 0.0
        if share_events < UNMAPPED_SHARE and share_cases < UNMAPPED_CASE_SHARE:
            continue
        evidence = {"kind": item["kind"], "events": item["events"], "journeys": item["cases"],
                    "share_of_events": round(share_events, 4),
                    "share_of_journeys": round(share_cases, 4),
                    "unmatched_activity": item["unmatched_activity"]}  # fmt: skip
        key = "unmatched" if item["unmatched_activity"] else "unmapped"
        action = t(f"journey.designed.{key}.action", ctx.lang, subject=item["subject"],
                   share=f"{share_cases:.0%}")  # fmt: skip
        out.append(finding("designed_vs_actual", item["subject"], min(1.0, share_cases),
                           evidence, action, stage=item["stage"]))  # fmt: skip
    return out


def _flow_findings(
    ctx: Context, items: list[dict[str, Any]], moves: tuple[int, int, int], cases: int
) -> list[Finding]:
    flows = [i for i in items if i["kind"] == "flow_not_expected"]
    mapped, unexpected, taking = moves
    if not flows or not cases or taking / cases < FLOW_SHARE:
        return []
    share = taking / cases
    by_direction: dict[str, int] = defaultdict(int)
    for flow in flows:
        by_direction[f"{flow['stage']} → {flow['to_stage']}"] += flow["events"]
    evidence = {
        "kind": "flow_not_expected",
        "journeys": taking,
        "share_of_journeys": round(share, 4),
        "unexpected_moves": unexpected,
        "share_of_moves": round(unexpected / mapped, 4) if mapped else None,
        "largest": [{"from": i["subject"], "to": i["to_subject"], "times": i["events"]}
                    for i in flows[:5]],
        "by_stage": dict(sorted(by_direction.items(), key=lambda kv: -kv[1])[:5]),
    }  # fmt: skip
    first = flows[0]
    action = t("journey.designed.flows.action", ctx.lang, source=first["subject"],
               target=first["to_subject"], share=f"{share:.0%}")  # fmt: skip
    subject = t("journey.designed.flows.subject", ctx.lang)
    return [finding("designed_vs_actual", subject, min(1.0, share * 0.5), evidence, action)]


def _balance_findings(ctx: Context, balance: list[dict[str, Any]]) -> list[Finding]:
    out = []
    for row in balance:
        if row["map_share"] is None or row["event_share"] is None:
            continue
        if row["map_share"] >= PHASE_MIN_MAP_SHARE or row["event_share"] < PHASE_MIN_EVENT_SHARE:
            continue
        evidence = {"map_share": round(row["map_share"], 4),
                    "event_share": round(row["event_share"], 4),
                    "map_touchpoints": row["map_touchpoints"]}  # fmt: skip
        action = t(f"journey.designed.phase.{row['phase']}.action", ctx.lang,
                   map=f"{row['map_share']:.0%}", events=f"{row['event_share']:.0%}")  # fmt: skip
        score = min(1.0, row["event_share"] - row["map_share"])
        out.append(finding("designed_vs_actual", row["phase"], score, evidence, action))
    return out
