"""What the journey canvas knows: the analysis's facts by stage and touchpoint, the
columns, and the :class:`Canvas` context every lane function reads.

The canvas sets the designed map (its stages, touchpoints, targets) against these facts.
Every lookup is built once from the aggregated tables (tens to hundreds of rows) and is
empty when the analysis did not produce the table, so a map without data still draws.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from jornada.i18n import t
from jornada.model import JourneyMap
from jornada.model.elements import Phase
from jornada.render.canvas_blocks import NOTE_SIZE, Block, Para
from jornada.render.data import ReportData
from jornada.render.fmt import number
from jornada.render.kpis import KpiStatus, kpi_statuses
from jornada.render.style import INK, MUTED

FRICTION_MIN_SCORE = 0.1
"""Friction scores below this are noise (the same floor the friction findings use)."""
FRICTION_PER_STAGE = 2
"""Measured frictions shown per stage, worst first."""
NEVER_OBSERVED = ("touchpoint_never_observed", "critical_not_observed")
NOT_IN_MAP = "activity_not_in_map"


@dataclass(frozen=True)
class Column:
    """A stage as a column of the canvas."""

    id: str
    label: str
    phase: Phase | None


@dataclass(frozen=True)
class Unmapped:
    """A touchpoint seen in the data at a stage that the map does not have."""

    id: str
    stage: str
    events: int
    journeys: int | None


@dataclass
class Facts:
    """Lookups over one analysis; each one empty when its table is absent."""

    events: dict[str, int] = field(default_factory=dict)  # touchpoint -> events
    journeys: dict[str, int] = field(default_factory=dict)  # touchpoint -> journeys
    never: set[str] = field(default_factory=set)  # map touchpoints never observed
    unmapped: dict[str, list[Unmapped]] = field(default_factory=dict)  # by stage
    mix: dict[str, dict[str, Any]] = field(default_factory=dict)  # channel_mix by stage
    curve: dict[str, dict[str, Any]] = field(default_factory=dict)  # experience by stage
    low_points: set[str] = field(default_factory=set)  # stages with an emotion finding
    friction: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by stage
    gaps: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # content gaps
    funnel: dict[str, dict[str, Any]] = field(default_factory=dict)
    stage_time: dict[str, dict[str, Any]] = field(default_factory=dict)
    profile: list[dict[str, Any]] = field(default_factory=list)  # touchpoint_profile rows

    @property
    def measured(self) -> bool:
        """Whether any touch was analysed at all."""
        return bool(self.events or self.funnel or self.mix)


def _by(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {str(row[key]): row for row in rows if row.get(key) is not None}


def _grouped(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row.get(key) is not None:
            out[str(row[key])].append(row)
    return dict(out)


def _designed_vs_actual(data: ReportData, facts: Facts) -> None:
    for row in data.rows("designed_vs_actual"):
        if row.get("kind") in NEVER_OBSERVED and row.get("subject"):
            facts.never.add(str(row["subject"]))
        elif row.get("kind") == NOT_IN_MAP and row.get("subject") and row.get("stage"):
            item = Unmapped(
                str(row["subject"]),
                str(row["stage"]),
                int(row.get("events") or 0),
                None if row.get("cases") is None else int(row["cases"]),
            )
            facts.unmapped.setdefault(item.stage, []).append(item)


def _frictions(data: ReportData) -> dict[str, list[dict[str, Any]]]:
    rows = [r for r in data.rows("friction") if (r.get("score") or 0) >= FRICTION_MIN_SCORE]
    rows.sort(key=lambda r: -float(r["score"]))
    return {stage: found[:FRICTION_PER_STAGE] for stage, found in _grouped(rows, "stage").items()}


def _low_points(data: ReportData) -> set[str]:
    """Stages the emotion analysis found to be a low point (a dip or a shortfall)."""
    return {
        str(f["stage"])
        for f in data.findings
        if f.get("kind") == "emotion" and f.get("stage") and not f.get("touchpoint")
    }


def collect(data: ReportData) -> Facts:
    """Every lookup the canvas needs from ``data``."""
    facts = Facts()
    facts.profile = data.rows("touchpoint_profile")
    facts.events = {str(r["touchpoint"]): int(r["events"] or 0) for r in facts.profile}
    facts.journeys = {
        str(r["touchpoint"]): int(r["cases"])
        for r in data.rows("endpoints")
        if r.get("cases") is not None
    }
    _designed_vs_actual(data, facts)
    facts.mix = _by([r for r in data.rows("channel_mix") if r.get("level") == "stage"], "stage")
    facts.curve = _by(
        [r for r in data.rows("experience_curve") if r.get("level") == "stage"], "stage"
    )
    facts.low_points = _low_points(data)
    facts.friction = _frictions(data)
    facts.gaps = _grouped(data.rows("content_gaps"), "stage")
    facts.funnel = _by(data.rows("funnel"), "stage")
    facts.stage_time = _by(data.rows("stage_time"), "stage")
    return facts


def _phase(value: object) -> Phase | None:
    try:
        return Phase(str(value))
    except ValueError:
        return None


def columns(data: ReportData, facts: Facts) -> list[Column]:
    """The canvas's stages: the map's in map order, else the data's in journey order."""
    if data.journey is not None and data.journey.stages:
        return [Column(s.id, s.label(data.lang), s.phase) for s in data.journey.stages]
    order: dict[str, tuple[float, Phase | None]] = {}
    for row in sorted(facts.funnel.values(), key=lambda r: r.get("position") or 0):
        order[str(row["stage"])] = (float(row.get("position") or 0), _phase(row.get("phase")))
    for row in facts.profile:
        stage = row.get("stage")
        if stage is not None and str(stage) not in order:
            phase = _phase(facts.mix.get(str(stage), {}).get("phase"))
            order[str(stage)] = (float(row.get("stage_pos") or 0), phase)
    ranked = sorted(order.items(), key=lambda item: item[1][0])
    return [Column(stage, data.name(stage), phase) for stage, (_, phase) in ranked]


Cells = dict[str, list[Block]]


@dataclass
class Canvas:
    """Everything a lane function needs: the data, what it measured, the columns and
    the inner width of a cell."""

    data: ReportData
    facts: Facts
    columns: list[Column]
    width: float

    @property
    def lang(self) -> str:
        return self.data.lang

    @property
    def journey(self) -> JourneyMap | None:
        return self.data.journey

    def tr(self, key: str, **params: object) -> str:
        """The canvas catalogue's text for ``key`` in the report's language."""
        return t(f"canvas.{key}", self.lang, **params)

    def n(self, value: float | None, digits: int = 0) -> str:
        return number(value, self.lang, digits)

    @cached_property
    def kpi_status(self) -> dict[str, KpiStatus]:
        """Each KPI's actual value (typed in the map or measured) and verdict, by id."""
        return {status.kpi.id: status for status in kpi_statuses(self.data)}

    def empty_cells(self) -> Cells:
        return {column.id: [] for column in self.columns}


def sub_para(text: str, fill: str = MUTED) -> Para:
    """A small second line under an entry's name."""
    return Para(text, NOTE_SIZE, fill=fill, lines=2)


def name_para(text: str, lines: int = 2, fill: str = INK) -> Para:
    """An entry's name, wrapped to ``lines``."""
    return Para(text, lines=lines, fill=fill)


def joined(parts: Iterable[str | None]) -> str:
    """The parts given, joined with a middle dot."""
    return " · ".join(p for p in parts if p)
