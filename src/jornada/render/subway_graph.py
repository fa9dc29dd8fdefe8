"""The observed journey as a graph: stage columns, stations and the flows between them.

Both the subway map (:mod:`jornada.render.subway`) and the Mermaid export
(:mod:`jornada.render.mermaid`) draw the same graph, so it is read from the analysis
tables once, here: ``touchpoint_profile`` (each touchpoint's usual stage, channel kind,
owner and events), ``transitions`` (moves between touchpoints or stages), ``funnel``
(journeys reaching each stage), ``touchpoint_lift``, ``friction`` and the findings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jornada.i18n import t
from jornada.render.data import ReportData

UNASSIGNED = "__unassigned__"
MORE_PREFIX = "__more__:"
PHASES = ("pre_purchase", "post_purchase")
# A friction-table score at least this high marks a touchpoint even without a finding.
FRICTION_SCORE = 0.5
LEVELS = ("touchpoint", "stage")


@dataclass(frozen=True)
class Column:
    """One stage of the journey, drawn as a column."""

    id: str
    label: str
    phase: str | None
    reached: int | None = None


@dataclass(frozen=True)
class Station:
    """A touchpoint (or, at stage level, a stage) placed in its stage column."""

    id: str
    label: str
    column: str
    channel_kind: str
    business_unit: str | None
    events: int
    critical: bool = False
    marked_critical: bool = False
    friction: bool = False
    hidden: tuple[str, ...] = ()
    in_map: bool = True  # False for a touchpoint seen in the data that the map lacks


@dataclass(frozen=True)
class Flow:
    """Moves from one station to another, as counted in ``transitions``."""

    source: str
    target: str
    count: int
    cases: int
    backward: bool
    merged: bool = False  # several touchpoints folded into "+k more": cases not distinct


@dataclass
class JourneyGraph:
    """What a drawing of the observed journey needs, already filtered."""

    level: str
    columns: list[Column]
    stations: list[Station]
    flows: list[Flow]
    total: int
    min_share: float
    business_units: list[str] = field(default_factory=list)

    def column_of(self) -> dict[str, str]:
        """Station id -> column id."""
        return {s.id: s.column for s in self.stations}


def build_graph(
    data: ReportData,
    *,
    level: str = "touchpoint",
    min_share: float = 0.0,
    max_stations_per_stage: int | None = None,
) -> JourneyGraph:
    """The journey graph at ``level`` ("touchpoint" or "stage").

    Flows keep only moves between two different stations whose count is at least
    ``min_share`` of all moves at that level (self-loops included in the total). With
    ``max_stations_per_stage`` the busiest touchpoints of each stage stay and the rest
    become one "+k more" station that carries their flows.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level '{level}': use one of {', '.join(LEVELS)}")
    profile = data.rows("touchpoint_profile")
    rows = [r for r in data.rows("transitions") if r.get("level") == level]
    columns = _columns(data, profile, rows if level == "stage" else [])
    if level == "stage":
        stations = _stage_stations(data, columns, profile)
    else:
        stations = _touchpoint_stations(data, profile, rows)
        if any(s.column == UNASSIGNED for s in stations):
            columns.append(Column(UNASSIGNED, t("subway.unassigned", data.lang), None))
    total = sum(int(r.get("count") or 0) for r in rows)
    flows = _flows(rows, total, min_share)
    if level == "touchpoint" and max_stations_per_stage is not None:
        stations, flows = _group_quiet(data, stations, flows, max_stations_per_stage)
    return JourneyGraph(
        level=level,
        columns=columns,
        stations=stations,
        flows=flows,
        total=total,
        min_share=min_share,
        business_units=_business_units(data, stations),
    )


# Columns -------------------------------------------------------------------------------


def _columns(
    data: ReportData, profile: list[dict[str, Any]], stage_rows: list[dict[str, Any]]
) -> list[Column]:
    """Stage columns: the map's stages in map order, and stages only seen in the data
    placed by their position among them; pre-purchase columns before post-purchase."""
    positions: dict[str, float] = {}
    phases: dict[str, str] = {}
    reached: dict[str, int] = {}
    for row in data.rows("funnel"):
        stage = row.get("stage")
        if stage is None:
            continue
        positions.setdefault(str(stage), _number(row.get("position"), math.inf))
        if row.get("phase") in PHASES:
            phases[str(stage)] = str(row["phase"])
        if row.get("cases_reached") is not None:
            reached[str(stage)] = int(row["cases_reached"])
    for row in data.rows("channel_mix"):
        if row.get("level") == "stage" and row.get("phase") in PHASES:
            phases.setdefault(str(row.get("stage")), str(row["phase"]))
    for row in profile:
        if row.get("stage") is not None:
            pos = _number(row.get("stage_pos"), math.inf)
            stage = str(row["stage"])
            positions[stage] = min(positions.get(stage, math.inf), pos)
    for row in stage_rows:
        for key in ("source", "target"):
            if row.get(key) is not None:
                positions.setdefault(str(row[key]), math.inf)

    ordered: list[str] = []
    if data.journey is not None:
        for stage in data.journey.stages:
            ordered.append(stage.id)
            phases[stage.id] = stage.phase.value
    extra = sorted((s for s in positions if s not in ordered), key=lambda s: (positions[s], s))
    for stage in extra:  # before the first stage the data places after it
        later = [
            i for i, known in enumerate(ordered) if positions.get(known, -1) > positions[stage]
        ]
        ordered.insert(later[0] if later else len(ordered), stage)
    rank = {"pre_purchase": 0, None: 1, "post_purchase": 2}
    ordered.sort(key=lambda s: rank[phases.get(s)])
    return [Column(s, data.name(s), phases.get(s), reached.get(s)) for s in ordered]


# Stations ------------------------------------------------------------------------------


def _touchpoint_stations(
    data: ReportData, profile: list[dict[str, Any]], rows: list[dict[str, Any]]
) -> list[Station]:
    """One station per touchpoint of the profile (and any touchpoint only seen in flows)."""
    proven, marked = _critical(data)
    friction = _friction(data)
    designed = {tp.id for tp in data.journey.touchpoints} if data.journey else None
    stations: list[Station] = []
    seen: set[str] = set()
    for row in profile:
        tid = str(row["touchpoint"])
        if tid in seen:
            continue
        seen.add(tid)
        stations.append(
            Station(
                id=tid,
                label=data.name(tid),
                column=str(row["stage"]) if row.get("stage") is not None else UNASSIGNED,
                channel_kind=_kind(row.get("channel_kind")),
                business_unit=_text(row.get("business_unit")),
                events=int(row.get("events") or 0),
                critical=tid in proven,
                marked_critical=tid in marked,
                friction=tid in friction,
                in_map=designed is None or tid in designed,
            )
        )
    for row in rows:
        for key in ("source", "target"):
            tid = str(row[key])
            if tid not in seen:
                seen.add(tid)
                in_map = designed is None or tid in designed
                stations.append(
                    Station(tid, data.name(tid), UNASSIGNED, "unknown", None, 0, in_map=in_map)
                )
    return stations


def _stage_stations(
    data: ReportData, columns: list[Column], profile: list[dict[str, Any]]
) -> list[Station]:
    """One station per stage, with the events of its touchpoints and the stage's signals."""
    events: dict[str, int] = {}
    for row in profile:
        stage = str(row.get("stage"))
        events[stage] = events.get(stage, 0) + int(row.get("events") or 0)
    touch = {str(r["touchpoint"]): str(r.get("stage")) for r in profile}
    if data.journey is not None:
        for tp in data.journey.touchpoints:
            touch.setdefault(tp.id, tp.stage)
    proven, marked = _critical(data)
    friction = _friction(data)

    def stages_of(ids: Iterable[str]) -> set[str]:
        return {touch[i] for i in ids if i in touch}

    return [
        Station(
            id=c.id,
            label=c.label,
            column=c.id,
            channel_kind="stage",
            business_unit=None,
            events=events.get(c.id, 0),
            critical=c.id in stages_of(proven),
            marked_critical=c.id in stages_of(marked),
            friction=c.id in stages_of(friction),
        )
        for c in columns
    ]


def _critical(data: ReportData) -> tuple[set[str], set[str]]:
    """Touchpoints that significantly lift the win rate, and those the map marks critical."""
    proven: set[str] = set()
    marked: set[str] = set()
    for row in data.rows("touchpoint_lift"):
        tid = str(row.get("touchpoint"))
        if _number(row.get("ci_low"), -1.0) > 0 and _number(row.get("lift"), 0.0) > 0:
            proven.add(tid)
        if row.get("marked_critical"):
            marked.add(tid)
    for finding in data.findings:
        if finding.get("kind") != "critical_touchpoint":
            continue
        found = _finding_touchpoint(finding)
        evidence = finding.get("evidence")
        ci = evidence.get("ci95") if isinstance(evidence, dict) else None
        if found and isinstance(ci, list | tuple) and ci and _number(ci[0], -1.0) > 0:
            proven.add(found)
    if data.journey is not None:
        marked.update(tp.id for tp in data.journey.touchpoints if tp.critical)
    return proven, marked


def _friction(data: ReportData) -> set[str]:
    """Touchpoints named by friction findings or scoring high in the friction table."""
    found = {
        tid
        for f in data.findings
        if f.get("kind") == "friction" and (tid := _finding_touchpoint(f))
    }
    for row in data.rows("friction"):
        if _number(row.get("score"), 0.0) >= FRICTION_SCORE:
            found.add(str(row.get("touchpoint")))
    return found


def _finding_touchpoint(finding: dict[str, Any]) -> str | None:
    for key in ("touchpoint", "subject_id"):
        if finding.get(key):
            return str(finding[key])
    return None


def _business_units(data: ReportData, stations: list[Station]) -> list[str]:
    """Business units in the map's order, then those only seen in the data."""
    units = [bu.id for bu in data.journey.business_units] if data.journey else []
    seen = sorted({s.business_unit for s in stations if s.business_unit} - set(units))
    return units + seen


# Flows ---------------------------------------------------------------------------------


def _flows(rows: list[dict[str, Any]], total: int, min_share: float) -> list[Flow]:
    """Moves between different stations with at least ``min_share`` of ``total``."""
    floor = min_share * total
    flows = [
        Flow(
            source=str(r["source"]),
            target=str(r["target"]),
            count=int(r.get("count") or 0),
            cases=int(r.get("cases") or 0),
            backward=bool(r.get("backward")),
        )
        for r in rows
        if r.get("source") != r.get("target") and int(r.get("count") or 0) >= floor
    ]
    return sorted(flows, key=lambda f: (-f.count, f.source, f.target))


def _group_quiet(
    data: ReportData, stations: list[Station], flows: list[Flow], keep: int
) -> tuple[list[Station], list[Flow]]:
    """Keep the ``keep`` busiest stations of each column; fold the rest into "+k more"."""
    by_column: dict[str, list[Station]] = {}
    for station in stations:
        by_column.setdefault(station.column, []).append(station)
    alias: dict[str, str] = {}
    kept: list[Station] = []
    for column, members in by_column.items():
        members = sorted(members, key=lambda s: (-s.events, s.id))
        if len(members) <= keep + 1:
            kept += members
            continue
        rest = members[keep:]
        more_id = MORE_PREFIX + column
        kept += members[:keep]
        kept.append(
            Station(
                id=more_id,
                label=t("subway.more", data.lang, count=len(rest)),
                column=column,
                channel_kind="unknown",
                business_unit=None,
                events=sum(s.events for s in rest),
                hidden=tuple(s.label for s in rest),
            )
        )
        alias.update({s.id: more_id for s in rest})
    merged: dict[tuple[str, str], Flow] = {}
    for flow in flows:
        source, target = alias.get(flow.source, flow.source), alias.get(flow.target, flow.target)
        if source == target:
            continue
        old = merged.get((source, target))
        merged[(source, target)] = Flow(
            source,
            target,
            flow.count + (old.count if old else 0),
            max(flow.cases, old.cases if old else 0),
            flow.backward or (old.backward if old else False),
            merged=old is not None or flow.source in alias or flow.target in alias,
        )
    return kept, sorted(merged.values(), key=lambda f: (-f.count, f.source, f.target))


# Small readers -------------------------------------------------------------------------


def _number(value: Any, default: float) -> float:
    if value is None:
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(number) else number


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _kind(value: Any) -> str:
    return str(value) if value in ("online", "personal", "physical") else "unknown"
