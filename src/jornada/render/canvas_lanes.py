"""What goes into each cell of the journey canvas: one function per lane.

A lane function gets the canvas context and returns, per stage id, the blocks of that
stage's cell (see :mod:`jornada.render.canvas_blocks`). Designed items come from the map;
measured ones from :mod:`jornada.render.canvas_facts`; the difference between the two is
what the styles show (dashed: designed, not observed; orange: observed, not in the map).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from jornada.i18n import t
from jornada.model import JourneyMap
from jornada.model.elements import Emotion, Initiative, Kpi, Message, Touchpoint
from jornada.render import canvas_marks as marks
from jornada.render.canvas_blocks import (
    NOTE_SIZE,
    PLAIN,
    Block,
    Chip,
    Look,
    Para,
    chip_rows,
    entry,
    note,
    num,
)
from jornada.render.canvas_facts import Column, Facts, Unmapped
from jornada.render.data import ReportData
from jornada.render.fmt import number, share
from jornada.render.kpis import KpiStatus, kpi_statuses
from jornada.render.style import (
    CHANNEL_COLOURS,
    FRICTION,
    GOOD,
    INK,
    MUTED,
    RULE,
    bu_colours,
)

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


def _sub(text: str, fill: str = MUTED) -> Para:
    return Para(text, NOTE_SIZE, fill=fill, lines=2)


def _name(text: str, lines: int = 2, fill: str = INK) -> Para:
    return Para(text, lines=lines, fill=fill)


def _joined(parts: Iterable[str | None]) -> str:
    return " · ".join(p for p in parts if p)


# Customer goals -----------------------------------------------------------------------


def goals(c: Canvas) -> Cells:
    """The jobs the customer wants done at each stage, as the map states them."""
    cells = c.empty_cells()
    for stage in c.journey.stages if c.journey else []:
        cells[stage.id] = [
            entry(
                [_name(goal, 3)],
                c.width,
                title=goal,
                look=PLAIN,
                marker=marks.bullet(),
                kind="goal",
            )
            for goal in stage.customer_goals
        ]
    return cells


# Touchpoints --------------------------------------------------------------------------


def _touch_counts(c: Canvas, touchpoint: str) -> str | None:
    events = c.facts.events.get(touchpoint)
    if events is None:
        return None
    journeys = c.facts.journeys.get(touchpoint)
    if journeys is None:
        return c.tr("tp.events_only", events=c.n(events))
    return c.tr("tp.events", events=c.n(events), journeys=c.n(journeys))


def _designed_touchpoint(c: Canvas, tp: Touchpoint) -> Block:
    label = tp.label(c.lang)
    never = tp.id in c.facts.never
    critical = c.tr("tp.critical") if tp.critical else None
    if never:
        sub = _joined([critical, c.tr("tp.never")])
        look = Look(stroke=MUTED, dashed=True, stroke_width=1.3 if tp.critical else 1.0)
        fill = MUTED
    else:
        sub = _joined([critical, _touch_counts(c, tp.id)])
        look = Look(stroke=INK, stroke_width=1.8) if tp.critical else Look()
        fill = INK
    paras = [_name(label, fill=fill)] + ([_sub(sub)] if sub else [])
    state = "never" if never else "designed"
    return entry(
        paras,
        c.width,
        title=_joined([label, sub]),
        look=look,
        marker=marks.channel(tp.channel_kind.value),
        kind="touchpoint",
        data={"touchpoint": tp.id, "state": state, "critical": str(tp.critical).lower()},
    )


def _unmapped_touchpoint(c: Canvas, item: Unmapped) -> Block:
    label = c.data.name(item.id)
    sub = c.tr("tp.unmapped", events=c.n(item.events))
    kind = next((r["channel_kind"] for r in c.facts.profile if r["touchpoint"] == item.id), "")
    return entry(
        [_name(label), _sub(sub, INK)],
        c.width,
        title=_joined([label, sub]),
        look=Look(fill=marks.UNMAPPED_FILL, stroke=marks.UNMAPPED_STROKE, stroke_width=1.4),
        marker=marks.channel(str(kind or "unknown")),
        kind="touchpoint",
        data={"touchpoint": item.id, "state": "unmapped", "critical": "false"},
    )


def _observed_touchpoint(c: Canvas, row: dict[str, object]) -> Block:
    tp = str(row["touchpoint"])
    label = c.data.name(tp)
    sub = _touch_counts(c, tp)
    return entry(
        [_name(label)] + ([_sub(sub)] if sub else []),
        c.width,
        title=_joined([label, sub]),
        marker=marks.channel(str(row.get("channel_kind") or "unknown")),
        kind="touchpoint",
        data={"touchpoint": tp, "state": "observed", "critical": "false"},
    )


def touchpoints(c: Canvas) -> Cells:
    """The map's touchpoints per stage (with the touches measured), then those the data
    shows at the stage that the map lacks; without a map, the touchpoints observed."""
    cells = c.empty_cells()
    for column in c.columns:
        if c.journey is not None:
            blocks = [_designed_touchpoint(c, tp) for tp in c.journey.touchpoints_at(column.id)]
        else:
            rows = [r for r in c.facts.profile if r.get("stage") == column.id]
            rows.sort(key=lambda r: -int(r.get("events") or 0))
            blocks = [_observed_touchpoint(c, row) for row in rows]
        extra = c.facts.unmapped.get(column.id, []) if c.journey is not None else []
        blocks += [_unmapped_touchpoint(c, item) for item in extra]
        cells[column.id] = blocks
    return cells


# Channels -----------------------------------------------------------------------------

KINDS = ("online", "personal", "physical", "unknown")
BAR_H = 12.0
MAP_BAR_H = 6.0
REFERENCE_ONLINE = 0.65


def _bar(shares: dict[str, float], width: float, height: float, reference: float | None) -> str:
    parts = [f'<rect x="0" y="0" width="{num(width)}" height="{num(height)}" fill="{RULE}"/>']
    x = 0.0
    for kind in KINDS:
        w = width * max(shares.get(kind, 0.0), 0.0)
        if w > 0:
            parts.append(
                f'<rect x="{num(x)}" y="0" width="{num(w)}" height="{num(height)}" '
                f'fill="{CHANNEL_COLOURS[kind]}"/>'
            )
        x += w
    if reference is not None:
        rx = width * reference
        parts.append(
            f'<line x1="{num(rx)}" y1="-3" x2="{num(rx)}" y2="{num(height + 3)}" stroke="{INK}" '
            f'stroke-width="2" class="reference"/>'
        )
    return "".join(parts)


def _observed_mix(c: Canvas, row: dict[str, object]) -> list[Block]:
    def value(key: str) -> float:
        raw = row.get(key)
        return float(raw) if isinstance(raw, int | float) else 0.0

    shares = {kind: value(f"{kind}_share") for kind in ("online", "personal", "physical")}
    events = value("events")
    shares["unknown"] = value("unknown") / events if events else 0.0
    ref_raw = row.get("reference_online_share")
    reference = float(ref_raw) if isinstance(ref_raw, int | float) else None
    online = share(shares["online"], c.lang, 0)
    caption = (
        c.tr("channel.observed", online=online, reference=share(reference, c.lang, 0))
        if reference is not None
        else c.tr("channel.observed_post", online=online)
    )
    split = c.tr(
        "channel.split",
        personal=share(shares["personal"], c.lang, 0),
        physical=share(shares["physical"], c.lang, 0),
    )
    bar = Block(
        BAR_H,
        f'<g class="mix" data-online="{shares["online"]:.4f}">'
        f"<title>{caption} · {split}</title>" + _bar(shares, c.width, BAR_H, reference) + "</g>",
    )
    return [bar, note(_joined([caption, split]), c.width, fill=INK)]


def _designed_mix(c: Canvas, stage: str) -> list[Block]:
    if c.journey is None:
        return []
    counts = Counter(tp.channel_kind.value for tp in c.journey.touchpoints_at(stage))
    total = sum(counts.values())
    if not total:
        return []
    shares = {kind: counts.get(kind, 0) / total for kind in KINDS}
    caption = c.tr(
        "channel.map",
        online=counts.get("online", 0),
        personal=counts.get("personal", 0),
        physical=counts.get("physical", 0),
    )
    bar = Block(
        MAP_BAR_H,
        f'<g class="map-mix"><title>{caption}</title>'
        + _bar(shares, c.width, MAP_BAR_H, None)
        + "</g>",
    )
    return [bar, note(caption, c.width)]


def channels(c: Canvas) -> Cells:
    """Per stage, the observed channel-kind mix against the 65 % online reference and
    the map's designed mix (its touchpoints by kind)."""
    cells = c.empty_cells()
    for column in c.columns:
        row = c.facts.mix.get(column.id)
        observed = _observed_mix(c, row) if row else []
        cells[column.id] = observed + _designed_mix(c, column.id)
    return cells


# Business units -----------------------------------------------------------------------


def _unit_order(c: Canvas) -> list[str]:
    units = [unit.id for unit in c.journey.business_units] if c.journey else []
    seen = {str(r["business_unit"]) for r in c.facts.profile if r.get("business_unit")}
    return units + sorted(seen - set(units))


def units(c: Canvas) -> Cells:
    """The business units that own (or share) each stage's touchpoints, with how many."""
    colours = bu_colours(_unit_order(c))
    cells = c.empty_cells()
    for column in c.columns:
        counts: Counter[str] = Counter()
        if c.journey is not None:
            for tp in c.journey.touchpoints_at(column.id):
                counts.update([tp.owner_bu] if tp.owner_bu else [])
                counts.update(tp.shared_bus)
        else:
            counts.update(
                str(r["business_unit"])
                for r in c.facts.profile
                if r.get("stage") == column.id and r.get("business_unit")
            )
        chips = [
            Chip(
                c.tr("bu.count", name=c.data.name(unit), n=count),
                colours.get(unit, MUTED),
                c.tr("bu.title", name=c.data.name(unit), n=count),
                "unit",
                (("unit", unit),),
            )
            for unit, count in counts.most_common()
        ]
        cells[column.id] = [chip_rows(chips, c.width)] if chips else []
    return cells


# Experience ---------------------------------------------------------------------------

CHART_H = 96.0


@dataclass(frozen=True)
class Feeling:
    """A stage's point on the experience curve."""

    observed: float | None
    measured: bool  # observed comes from the data (else from the map's estimate)
    target: float | None
    low: bool
    responses: int
    emotion: Emotion | None


def _stage_emotion(journey: JourneyMap | None, stage: str) -> Emotion | None:
    if journey is None:
        return None
    found = [e for e in journey.emotions if e.stage == stage and e.touchpoint is None]
    general = [e for e in found if e.persona is None]
    return (general or found)[0] if found else None


def feelings(c: Canvas) -> dict[str, Feeling]:
    """Observed (measured, else the map's estimate) and target emotion per stage."""
    out = {}
    for column in c.columns:
        row = c.facts.curve.get(column.id, {})
        emotion = _stage_emotion(c.journey, column.id)
        observed = row.get("observed")
        measured = observed is not None
        if observed is None and emotion is not None:
            observed = emotion.observed
        target = row.get("target")
        if target is None and emotion is not None:
            target = emotion.target
        out[column.id] = Feeling(
            None if observed is None else float(observed),
            measured,
            None if target is None else float(target),
            column.id in c.facts.low_points,
            int(row.get("responses") or 0),
            emotion,
        )
    return out


def _signed(c: Canvas, value: float) -> str:
    text = c.n(abs(value), 1)
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


def _experience_notes(c: Canvas, f: Feeling) -> list[Block]:
    notes: list[Block] = []
    if f.low:
        notes.append(note(c.tr("exp.low"), c.width, fill=FRICTION, bold=True, lines=1))
    emotion = f.emotion
    if f.observed is not None and f.measured:
        text = c.tr("exp.observed", value=_signed(c, f.observed), answers=c.n(f.responses))
        notes.append(note(text, c.width, fill=INK))
    elif f.observed is not None:
        feeling = emotion.observed_feeling if emotion and emotion.observed_feeling else "–"
        text = c.tr("exp.observed_map", feeling=feeling, value=_signed(c, f.observed))
        notes.append(note(text, c.width))
    if f.target is not None:
        wanted = emotion.target_feeling if emotion else None
        key = "exp.target" if wanted else "exp.target_value"
        notes.append(note(c.tr(key, feeling=wanted, value=_signed(c, f.target)), c.width))
    for thought in emotion.thoughts if emotion else []:
        notes.append(note(f"“{thought}”", c.width, fill=INK, lines=3))
    return notes


def experience(c: Canvas) -> Cells:
    """A room for the curve at the top of every cell, then what it says in words."""
    points = feelings(c)
    if not any(p.observed is not None or p.target is not None for p in points.values()):
        return c.empty_cells()
    return {
        column.id: [Block(CHART_H, ""), *_experience_notes(c, points[column.id])]
        for column in c.columns
    }


# Pain points --------------------------------------------------------------------------


def pains(c: Canvas) -> Cells:
    """The map's pain points (severity as rising bars), then friction the data measured."""
    cells = c.empty_cells()
    for pain in c.journey.pain_points if c.journey else []:
        if pain.stage not in cells:
            continue
        label = pain.label(c.lang)
        where = c.data.name(pain.touchpoint) if pain.touchpoint else None
        sub = _joined([c.tr(f"severity.{pain.severity.value}"), where])
        cells[pain.stage].append(
            entry(
                [_name(label, 3), _sub(sub)],
                c.width,
                title=_joined([label, sub]),
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
                    [_name(label), _sub(sub, INK)],
                    c.width,
                    title=_joined([label, sub]),
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
        paras = [_name(label, 3)] + ([_sub(where)] if where else [])
        cells[moment.stage].append(
            entry(
                paras,
                c.width,
                title=_joined([label, where]),
                marker=marks.star(),
                kind="moment",
                data={"moment": moment.id},
            )
        )
    return cells


# Content ------------------------------------------------------------------------------


def _asset_sub(c: Canvas, fmt: str, gated: bool, self_service: bool) -> str:
    return _joined(
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
        sub = _asset_sub(c, asset.format, asset.gated, asset.self_service)
        for stage in asset.stages:
            if stage in cells:
                cells[stage].append(
                    entry(
                        [_name(label), _sub(sub)],
                        c.width,
                        title=_joined([label, sub]),
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
                    [_name(label), _sub(sub, INK)],
                    c.width,
                    title=_joined([label, sub]),
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
    sub = _joined([c.tr(f"message.{message.kind.value}"), owner])
    return entry(
        [_name(label), _sub(sub)],
        c.width,
        title=_joined([label, sub, message.promise]),
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
    return _joined([c.n(value, digits), clean]).replace(" · ", " ")


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
        [_name(label), _sub(sub, colour)],
        c.width,
        title=_joined([label, sub]),
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
    sub = _joined([status, progress, owner])
    return entry(
        [_name(label), _sub(sub)],
        c.width,
        title=_joined([label, sub]),
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
