"""What goes into each cell of the journey canvas: one function per lane.

A lane function gets the :class:`~jornada.render.canvas_facts.Canvas` context and returns,
per stage id, the blocks of that stage's cell (see :mod:`jornada.render.canvas_blocks`).
This module holds the lanes drawn from the map (goals, pain points, moments of truth,
content, messages, KPIs, initiatives) with the data's marks on them (measured friction,
content gaps, KPI actuals); :mod:`jornada.render.canvas_observed` holds those where the
map meets the data. :data:`LANES` lists them all, top to bottom.
"""

from __future__ import annotations

from collections.abc import Callable

from jornada.model import JourneyMap
from jornada.model.elements import Initiative, Kpi, Message
from jornada.render import canvas_marks as marks
from jornada.render.canvas_blocks import (
    PLAIN,
    Block,
    Look,
    entry,
)
from jornada.render.canvas_facts import (
    Canvas,
    Cells,
    joined,
    name_para,
    sub_para,
)
from jornada.render.canvas_observed import channels, experience, touchpoints, units
from jornada.render.fmt import share
from jornada.render.style import (
    FRICTION,
    GOOD,
    INK,
    MUTED,
)

# Customer goals -----------------------------------------------------------------------


def goals(c: Canvas) -> Cells:
    """The jobs the customer wants done at each stage, as the map states them."""
    cells = c.empty_cells()
    for stage in c.journey.stages if c.journey else []:
        cells[stage.id] = [
            entry(
                [name_para(goal, 3)],
                c.width,
                title=goal,
                look=PLAIN,
                marker=marks.bullet(),
                kind="goal",
            )
            for goal in stage.customer_goals
        ]
    return cells


# Pain points --------------------------------------------------------------------------


def pains(c: Canvas) -> Cells:
    """The map's pain points (severity as rising bars), then friction the data measured."""
    cells = c.empty_cells()
    for pain in c.journey.pain_points if c.journey else []:
        if pain.stage not in cells:
            continue
        label = pain.label(c.lang)
        where = c.data.name(pain.touchpoint) if pain.touchpoint else None
        sub = joined([c.tr(f"severity.{pain.severity.value}"), where])
        cells[pain.stage].append(
            entry(
                [name_para(label, 3), sub_para(sub)],
                c.width,
                title=joined([label, sub]),
                marker=marks.severity(pain.severity),
                kind="pain",
                data={"pain": pain.id, "severity": pain.severity.value},
            )
        )
    for stage, rows in c.facts.friction.items():
        if stage not in cells:
            continue
        for row in rows:
            label = c.data.name(str(row["touchpoint"]))
            sub = c.tr(
                "pain.measured", score=c.n(float(row["score"]), 2), journeys=c.n(row.get("cases"))
            )
            cells[stage].append(
                entry(
                    [name_para(label), sub_para(sub, INK)],
                    c.width,
                    title=joined([label, sub]),
                    look=Look(fill=marks.FRICTION_FILL, stroke=FRICTION),
                    marker=marks.friction(),
                    kind="friction",
                    data={"touchpoint": str(row["touchpoint"])},
                )
            )
    return cells


# Moments of truth ---------------------------------------------------------------------


def moments(c: Canvas) -> Cells:
    """The map's moments of truth, with the touchpoint where each happens."""
    cells = c.empty_cells()
    for moment in c.journey.moments_of_truth if c.journey else []:
        if moment.stage not in cells:
            continue
        label = moment.label(c.lang)
        where = (
            c.tr("moment.at", touchpoint=c.data.name(moment.touchpoint))
            if moment.touchpoint
            else ""
        )
        paras = [name_para(label, 3)] + ([sub_para(where)] if where else [])
        cells[moment.stage].append(
            entry(
                paras,
                c.width,
                title=joined([label, where]),
                marker=marks.star(),
                kind="moment",
                data={"moment": moment.id},
            )
        )
    return cells


# Content ------------------------------------------------------------------------------


def _assetsub_para(c: Canvas, fmt: str, gated: bool, self_service: bool) -> str:
    return joined(
        [
            fmt.replace("_", " "),
            c.tr("content.gated") if gated else None,
            c.tr("content.self_service") if self_service else None,
        ]
    )


def content(c: Canvas) -> Cells:
    """The map's content assets per stage, then the gaps the data found (a role active at
    the stage with nothing to read, or not reading what exists)."""
    cells = c.empty_cells()
    for asset in c.journey.content if c.journey else []:
        label = asset.label(c.lang)
        sub = _assetsub_para(c, asset.format, asset.gated, asset.self_service)
        for stage in asset.stages:
            if stage in cells:
                cells[stage].append(
                    entry(
                        [name_para(label), sub_para(sub)],
                        c.width,
                        title=joined([label, sub]),
                        marker=marks.document(),
                        kind="content",
                        data={"asset": asset.id},
                    )
                )
    for stage, rows in c.facts.gaps.items():
        for row in rows if stage in cells else []:
            label = c.tr("content.gap", role=c.data.name(str(row["role"])))
            sub = c.tr(f"content.gap.{row.get('gap')}", events=c.n(row.get("role_events")))
            cells[stage].append(
                entry(
                    [name_para(label), sub_para(sub, INK)],
                    c.width,
                    title=joined([label, sub]),
                    look=Look(fill=marks.FRICTION_FILL, stroke=FRICTION, dashed=True),
                    marker=marks.document(FRICTION),
                    kind="gap",
                    data={"role": str(row["role"]), "gap": str(row.get("gap"))},
                )
            )
    return cells


# Messages -----------------------------------------------------------------------------


def message_stages(journey: JourneyMap, message: Message) -> list[str]:
    """The stages of the touchpoints that carry ``message``, in journey order."""
    at = {tp.id: tp.stage for tp in journey.touchpoints}
    order = journey.stage_order()
    return sorted({at[tp] for tp in message.touchpoints if tp in at}, key=order.__getitem__)


def message_block(c: Canvas, message: Message) -> Block:
    label = message.label(c.lang)
    owner = c.data.name(message.owner_bu) if message.owner_bu else None
    kind = c.tr(f"message.{message.kind.value}")
    sub = joined([None if kind.casefold() == label.casefold() else kind, owner])
    return entry(
        [name_para(label)] + ([sub_para(sub)] if sub else []),
        c.width,
        title=joined([label, sub, message.promise]),
        marker=marks.envelope(),
        kind="message",
        data={"message": message.id},
    )


def messages(c: Canvas) -> Cells:
    """The message map: each communication at the stages of the touchpoints carrying it."""
    cells = c.empty_cells()
    for message in c.journey.messages if c.journey else []:
        for stage in message_stages(c.journey, message) if c.journey else []:
            cells[stage].append(message_block(c, message))
    return cells


# KPIs ---------------------------------------------------------------------------------


def kpi_stage(journey: JourneyMap, kpi: Kpi) -> str | None:
    """The stage a KPI belongs to: its own, else its touchpoint's."""
    if kpi.stage is not None:
        return kpi.stage
    at = {tp.id: tp.stage for tp in journey.touchpoints}
    return at.get(kpi.touchpoint or "")


def value_text(c: Canvas, value: float, unit: str | None) -> str:
    """A KPI value in its unit: ``30%``, ``45 days``, ``450 USD thousands``."""
    digits = 0 if abs(value - round(value)) < 0.05 else 1
    clean = (unit or "").strip()
    if clean.lower() in {"%", "percent", "pct"}:
        return share(value / 100, c.lang, digits)
    if clean.lower() in {"days", "day", "d"}:
        return c.tr("unit.days", n=c.n(value, digits))
    return joined([c.n(value, digits), clean]).replace(" · ", " ")


def kpi_block(c: Canvas, kpi: Kpi) -> Block:
    label = kpi.label(c.lang)
    status = c.kpi_status[kpi.id]
    target = value_text(c, kpi.target, kpi.unit)
    if status.actual is None:
        sub, colour = c.tr("kpi.no_measure", target=target), MUTED
    else:
        key = "kpi.actual_map" if status.source == "map" else "kpi.actual"
        sub = c.tr(key, target=target, actual=value_text(c, status.actual, kpi.unit))
        colour = GOOD if status.met else FRICTION
    actual = "" if status.actual is None else f"{status.actual:.4g}"
    return entry(
        [name_para(label), sub_para(sub, colour)],
        c.width,
        title=joined([label, sub]),
        marker=marks.kpi(status.met),
        kind="kpi",
        data={"kpi": kpi.id, "target": f"{kpi.target:g}", "actual": actual},
    )


def kpis(c: Canvas) -> Cells:
    """The map's KPIs at their stage: target against the actual value where one exists."""
    cells = c.empty_cells()
    for kpi in c.journey.kpis if c.journey else []:
        stage = kpi_stage(c.journey, kpi) if c.journey else None
        if stage in cells:
            cells[stage].append(kpi_block(c, kpi))
    return cells


# Initiatives --------------------------------------------------------------------------


def initiative_stage(journey: JourneyMap, initiative: Initiative) -> str | None:
    """Where an initiative acts: the earliest stage among its pain points, touchpoints,
    moments of truth and target KPI."""
    stage_of: dict[str, str | None] = {tp.id: tp.stage for tp in journey.touchpoints}
    stage_of |= {p.id: p.stage for p in journey.pain_points}
    stage_of |= {m.id: m.stage for m in journey.moments_of_truth}
    stage_of |= {k.id: kpi_stage(journey, k) for k in journey.kpis}
    linked = [*initiative.pain_points, *initiative.touchpoints, *initiative.moments_of_truth]
    linked += [initiative.target_kpi] if initiative.target_kpi else []
    order = journey.stage_order()
    stages = {s for s in (stage_of.get(i) for i in linked) if s in order}
    return min(stages, key=order.__getitem__) if stages else None


def initiative_block(c: Canvas, initiative: Initiative) -> Block:
    label = initiative.label(c.lang)
    owner = c.data.name(initiative.owner_bu) if initiative.owner_bu else initiative.owner
    status = c.tr(f"status.{initiative.status.value}")
    progress = share(initiative.progress / 100, c.lang, 0) if initiative.progress else None
    sub = joined([status, progress, owner])
    return entry(
        [name_para(label), sub_para(sub)],
        c.width,
        title=joined([label, sub]),
        marker=marks.progress(initiative.status, initiative.progress / 100),
        kind="initiative",
        data={"initiative": initiative.id, "status": initiative.status.value},
    )


def initiatives(c: Canvas) -> Cells:
    """The action plan: each initiative at the stage it acts on, with status and progress."""
    cells = c.empty_cells()
    for initiative in c.journey.initiatives if c.journey else []:
        stage = initiative_stage(c.journey, initiative) if c.journey else None
        if stage in cells:
            cells[stage].append(initiative_block(c, initiative))
    return cells


def journey_wide(c: Canvas) -> list[Block]:
    """KPIs, messages and initiatives that belong to no stage in particular."""
    journey = c.journey
    if journey is None:
        return []
    blocks = [kpi_block(c, k) for k in journey.kpis if kpi_stage(journey, k) is None]
    blocks += [message_block(c, m) for m in journey.messages if not message_stages(journey, m)]
    blocks += [
        initiative_block(c, i) for i in journey.initiatives if initiative_stage(journey, i) is None
    ]
    return blocks


LaneBuilder = Callable[[Canvas], Cells]
LANES: tuple[tuple[str, LaneBuilder], ...] = (
    ("goals", goals),
    ("touchpoints", touchpoints),
    ("channels", channels),
    ("units", units),
    ("experience", experience),
    ("pains", pains),
    ("moments", moments),
    ("content", content),
    ("messages", messages),
    ("kpis", kpis),
    ("initiatives", initiatives),
)
"""The canvas's lanes, top to bottom: key (catalogue ``lane.<key>``) and builder."""
