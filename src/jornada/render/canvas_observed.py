"""The canvas lanes where the map meets the data: touchpoints (designed, never observed,
observed but not in the map, with their measured touches), the channel-kind mix against
the 65/35 reference, the owner business units, and the experience curve's stage values.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from jornada.model import JourneyMap
from jornada.model.elements import Emotion, Touchpoint
from jornada.render import canvas_marks as marks
from jornada.render.canvas_blocks import (
    Block,
    Chip,
    Look,
    chip_rows,
    entry,
    esc,
    note,
    num,
)
from jornada.render.canvas_facts import (
    Canvas,
    Cells,
    Unmapped,
    joined,
    name_para,
    sub_para,
)
from jornada.render.fmt import share
from jornada.render.style import (
    CHANNEL_COLOURS,
    FRICTION,
    INK,
    MUTED,
    RULE,
    bu_colours,
)

# Touchpoints --------------------------------------------------------------------------


def _meter(c: Canvas, touchpoint: str, kind: str) -> tuple[float, str] | None:
    """The touchpoint's touches against the busiest touchpoint's, in its channel colour."""
    events = c.facts.events.get(touchpoint)
    busiest = max(c.facts.events.values(), default=0)
    if not events or not busiest:
        return None
    return events / busiest, CHANNEL_COLOURS.get(kind, CHANNEL_COLOURS["unknown"])


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
        sub = joined([critical, c.tr("tp.never")])
        look = Look(stroke=MUTED, dashed=True, stroke_width=1.3 if tp.critical else 1.0)
        fill = MUTED
    else:
        sub = joined([critical, _touch_counts(c, tp.id)])
        look = Look(stroke=INK, stroke_width=1.8) if tp.critical else Look()
        fill = INK
    paras = [name_para(label, fill=fill)] + ([sub_para(sub)] if sub else [])
    state = "never" if never else "designed"
    return entry(
        paras,
        c.width,
        title=joined([label, sub]),
        look=look,
        marker=marks.channel(tp.channel_kind.value),
        kind="touchpoint",
        data={"touchpoint": tp.id, "state": state, "critical": str(tp.critical).lower()},
        meter=None if never else _meter(c, tp.id, tp.channel_kind.value),
    )


def _unmapped_touchpoint(c: Canvas, item: Unmapped) -> Block:
    label = c.data.name(item.id)
    sub = c.tr("tp.unmapped", events=c.n(item.events))
    kind = next((r["channel_kind"] for r in c.facts.profile if r["touchpoint"] == item.id), "")
    kind = str(kind or "unknown")
    return entry(
        [name_para(label), sub_para(sub, INK)],
        c.width,
        title=joined([label, sub]),
        look=Look(fill=marks.UNMAPPED_FILL, stroke=marks.UNMAPPED_STROKE, stroke_width=1.4),
        marker=marks.channel(kind),
        kind="touchpoint",
        data={"touchpoint": item.id, "state": "unmapped", "critical": "false"},
        meter=_meter(c, item.id, kind),
    )


def _observed_touchpoint(c: Canvas, row: dict[str, object]) -> Block:
    tp = str(row["touchpoint"])
    label = c.data.name(tp)
    sub = _touch_counts(c, tp)
    kind = str(row.get("channel_kind") or "unknown")
    return entry(
        [name_para(label)] + ([sub_para(sub)] if sub else []),
        c.width,
        title=joined([label, sub]),
        marker=marks.channel(kind),
        kind="touchpoint",
        data={"touchpoint": tp, "state": "observed", "critical": "false"},
        meter=_meter(c, tp, kind),
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
        f"<title>{esc(caption)} · {esc(split)}</title>"
        + _bar(shares, c.width, BAR_H, reference)
        + "</g>",
    )
    return [bar, note(joined([caption, split]), c.width, fill=INK)]


def _designed_mix(c: Canvas, stage: str) -> list[Block]:
    if c.journey is None:
        return []
    counts = Counter(tp.channel_kind.value for tp in c.journey.touchpoints_at(stage))
    total = sum(counts.values())
    if not total:
        return []
    shares = {kind: counts.get(kind, 0) / total for kind in KINDS}
    online, personal, physical = (counts.get(k, 0) for k in ("online", "personal", "physical"))
    caption = c.tr("channel.map", online=online, total=total)
    title = c.tr("channel.map_title", online=online, personal=personal, physical=physical)
    bar = Block(
        MAP_BAR_H,
        f'<g class="map-mix"><title>{esc(title)}</title>'
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
