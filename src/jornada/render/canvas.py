"""The journey canvas: stages as columns, the map's lanes as rows, the data laid over it.

Columns are the map's stages in order (without a map, the stages the data shows), with
pre- and post-purchase tinted apart and a labelled divider between them. Each lane (goals,
touchpoints, channels, business units, experience, pain points, moments of truth,
content, messages, KPIs, initiatives) has its title on the left; lanes with nothing in any
stage are left out. Cells grow to their content, so the tallest cell sets its lane's
height and nothing overlaps. Where the data differs from the design the canvas says so:
dashed for designed but never observed, orange for observed but not in the map, red for
measured friction and content gaps, and the experience curve set against its targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jornada.i18n import t
from jornada.model.elements import Lang, Phase
from jornada.render import canvas_legend
from jornada.render.canvas_blocks import (
    NOTE_SIZE,
    Block,
    Para,
    esc,
    note,
    num,
    paragraphs,
    stack,
    text_svg,
)
from jornada.render.canvas_curve import axis, curve
from jornada.render.canvas_facts import Canvas, Column, Facts, collect, columns
from jornada.render.canvas_lanes import LANES, journey_wide
from jornada.render.canvas_observed import feelings
from jornada.render.data import ReportData
from jornada.render.fmt import number, share
from jornada.render.style import (
    INK,
    LABEL_SIZE,
    MUTED,
    PANEL,
    PAPER,
    POST_PURCHASE,
    PRE_PURCHASE,
    RULE,
    TITLE_SIZE,
)
from jornada.render.text import FONT_FAMILY, fit

MARGIN = 28.0
TITLE_W = 156.0  # lane titles
COL_W = 208.0
COL_GAP = 6.0
DIVIDER_W = 34.0  # the gutter between pre- and post-purchase stages
PAD = 8.0  # inside a cell
ITEM_GAP = 6.0  # between items of a cell
LANE_GAP = 6.0
BAND_H = 26.0
AXIS_W = 30.0  # experience axis labels at the right of its title cell
INNER_W = COL_W - 2 * PAD
PHASE_FILL = {Phase.pre_purchase: PRE_PURCHASE, Phase.post_purchase: POST_PURCHASE}
CELL_FILL = {Phase.pre_purchase: "#f8fafc", Phase.post_purchase: "#f7fbf8", None: "#fafafa"}


def _tr(key: str, lang: str, **params: object) -> str:
    return t(f"canvas.{key}", lang, **params)


@dataclass(frozen=True)
class Lane:
    """One row of the canvas: its key, title block and one list of blocks per stage."""

    key: str
    title: Block
    cells: dict[str, list[Block]]


@dataclass
class Grid:
    """Where each column sits, left to right, with the dividers between phases."""

    x: dict[str, float]
    dividers: list[float]  # centre x of each gutter
    right: float

    @classmethod
    def of(cls, cols: Sequence[Column]) -> Grid:
        x = MARGIN + TITLE_W + COL_GAP
        places: dict[str, float] = {}
        dividers: list[float] = []
        for index, column in enumerate(cols):
            before = cols[index - 1].phase if index else None
            if index and before and column.phase and before != column.phase:
                dividers.append(x - COL_GAP + DIVIDER_W / 2)
                x += DIVIDER_W
            places[column.id] = x
            x += COL_W + COL_GAP
        return cls(places, dividers, max(x - COL_GAP, MARGIN + TITLE_W + 2 * COL_W))


def _frame(x: float, y: float, w: float, h: float, fill: str, stroke: str = "none") -> str:
    return (
        f'<rect class="cell-frame" x="{num(x)}" y="{num(y)}" width="{num(w)}" '
        f'height="{num(h)}" rx="3" fill="{fill}" stroke="{stroke}"/>'
    )


def cell(
    x: float,
    y: float,
    w: float,
    h: float,
    content: str,
    *,
    lane: str,
    stage: str = "",
    fill: str = PAPER,
    stroke: str = "none",
) -> str:
    """A cell: a group with its frame (``rect.cell-frame``) and what is drawn inside it;
    ``data-lane``/``data-stage`` say which cell it is."""
    return (
        f'<g class="cell" data-lane="{esc(lane)}" data-stage="{esc(stage)}">'
        f"{_frame(x, y, w, h, fill, stroke)}{content}</g>"
    )


def _lane_title(key: str, lang: str, axis: bool) -> Block:
    width = TITLE_W - 2 * PAD - (AXIS_W if axis else 0)
    title = _tr(f"lane.{key}", lang)
    paras = [Para(title, LABEL_SIZE, bold=True, lines=3)]
    hint = t(f"canvas.hint.{key}", lang)
    if hint != f"canvas.hint.{key}":
        paras.append(Para(hint, NOTE_SIZE, fill=MUTED, lines=4))
    body, bottom = paragraphs(paras, 0, 0, width)
    return Block(bottom, f"<title>{esc(title)}</title>{body}")


def build_lanes(canvas: Canvas) -> list[Lane]:
    """The lanes with something in at least one stage, top to bottom."""
    lanes = []
    for key, builder in LANES:
        cells = builder(canvas)
        if any(cells.values()):
            lanes.append(Lane(key, _lane_title(key, canvas.lang, key == "experience"), cells))
    return lanes


def map_name(data: ReportData) -> str | None:
    """The map's name in the report's language, if there is a map."""
    if data.journey is None:
        return None
    return data.journey.labels.get(Lang(data.lang), data.journey.name)


def _joined_title(*parts: str | None) -> str:
    return ": ".join(p for p in parts if p)


def _header(data: ReportData, facts: Facts, width: float) -> Block:
    """The canvas title, the map's name and what it is made from."""
    lang = data.lang
    name = map_name(data) or _tr("data_only.name", lang)
    if data.journey is not None and facts.measured:
        summary = data.summary
        sub = _tr(
            "subtitle.data",
            lang,
            events=number(summary.get("events"), lang),
            journeys=number(summary.get("cases"), lang),
            win_rate=share(summary.get("win_rate"), lang, 0),
        )
    elif data.journey is not None:
        sub = _tr("subtitle.map_only", lang)
    else:
        sub = _tr("subtitle.data_only", lang)
    paras = [
        Para(_tr("title", lang).upper(), NOTE_SIZE + 0.5, bold=True, fill=MUTED, lines=1),
        Para(name, TITLE_SIZE + 4, bold=True, lines=2),
        Para(sub, LABEL_SIZE, fill=MUTED, lines=2),
    ]
    body, bottom = paragraphs(paras, 0, 0, width)
    return Block(bottom, f"<title>{esc(name)}</title>{body}")


def _stage_header(canvas: Canvas, index: int, column: Column) -> Block:
    """Stage number and name, then what the data measured there."""
    name_w = INNER_W - 26
    body, bottom = paragraphs(
        [Para(column.label, LABEL_SIZE + 1, bold=True, lines=2)], 26, 0, name_w
    )
    badge = f'<circle cx="10" cy="10" r="10" fill="{INK}"/>' + text_svg(
        str(index + 1), 10, 14, 11, bold=True, fill=PAPER, anchor="middle"
    )
    blocks = [Block(max(bottom, 20.0), badge + body)]
    facts = _stage_facts(canvas, column.id)
    if facts:
        blocks.append(note(facts, INNER_W, lines=2))
    inner = stack(blocks, 4)
    return Block(inner.height, f"<title>{esc(column.label)}</title>{inner.svg}")


def _stage_facts(canvas: Canvas, stage: str) -> str:
    """Journeys reaching the stage, the share going on to a later one (not said of the
    last stage, where nobody can) and the median days spent in it."""
    lang = canvas.lang
    funnel = canvas.facts.funnel.get(stage)
    last = max((r.get("position") or 0 for r in canvas.facts.funnel.values()), default=0)
    parts = []
    if funnel:
        parts.append(_tr("stage.reached", lang, journeys=number(funnel.get("cases_reached"), lang)))
        position = funnel.get("position")
        if (
            funnel.get("conversion_to_later") is not None
            and position is not None
            and position < last
        ):
            moved = share(funnel["conversion_to_later"], lang, 0)
            parts.append(_tr("stage.moved", lang, share=moved))
    days = canvas.facts.stage_time.get(stage, {}).get("median_days")
    if days is not None:
        parts.append(_tr("stage.days", lang, days=number(days, lang, 0)))
    return " · ".join(parts)


def _bands(cols: Sequence[Column], grid: Grid, y: float, lang: str) -> str:
    """A tinted band over each run of stages of one phase, labelled with the phase."""
    parts = []
    index = 0
    while index < len(cols):
        phase = cols[index].phase
        end = index
        while end + 1 < len(cols) and cols[end + 1].phase == phase:
            end += 1
        if phase is not None:
            x0, x1 = grid.x[cols[index].id], grid.x[cols[end].id] + COL_W
            label = _tr(f"phase.{phase.value}", lang)
            inner = note(
                label.upper(), x1 - x0 - 2 * PAD, size=LABEL_SIZE - 1, fill=INK, lines=1, bold=True
            )
            content = inner.at(x0 + PAD, y + (BAND_H - inner.height) / 2)
            parts.append(
                cell(
                    x0,
                    y,
                    x1 - x0,
                    BAND_H,
                    content,
                    lane="phase",
                    stage=phase.value,
                    fill=PHASE_FILL[phase],
                )
            )
        index = end + 1
    return "".join(parts)


def _dividers(grid: Grid, top: float, label_h: float, bottom: float, lang: str) -> str:
    """A dashed rule through the canvas at each phase change, its label written upwards."""
    parts = []
    label = _tr("divider", lang)
    for x in grid.dividers:
        text = fit(label, LABEL_SIZE - 1, label_h - 2 * PAD, bold=True)
        cy = top + label_h / 2
        parts.append(
            f'<line x1="{num(x)}" y1="{num(top)}" x2="{num(x)}" y2="{num(bottom)}" '
            f'stroke="{INK}" stroke-width="1.6" stroke-dasharray="6 4" class="divider"/>'
        )
        rotated = (
            f'<rect x="{num(x - 8)}" y="{num(cy - label_h / 2 + PAD)}" width="16" '
            f'height="{num(label_h - 2 * PAD)}" fill="{PAPER}"/>'
            + f'<g transform="rotate(-90 {num(x)} {num(cy)})">'
            + text_svg(text, x, cy + 4, LABEL_SIZE - 1, bold=True, anchor="middle")
            + "</g>"
        )
        parts.append(
            cell(
                x - DIVIDER_W / 2,
                top,
                DIVIDER_W,
                label_h,
                f"<title>{esc(label)}</title>" + rotated,
                lane="divider",
                fill="none",
            )
        )
    return "".join(parts)


def _lane_svg(canvas: Canvas, lane: Lane, grid: Grid, y: float) -> tuple[str, float]:
    """A lane drawn at ``y``: title cell and one cell per stage; returns SVG and height."""
    stacks = {stage: stack(blocks, ITEM_GAP) for stage, blocks in lane.cells.items()}
    inner = max([lane.title.height, *(s.height for s in stacks.values())])
    height = inner + 2 * PAD
    title = lane.title.at(MARGIN + PAD, y + PAD)
    if lane.key == "experience":
        title += axis(MARGIN + TITLE_W - PAD, y + PAD)
    parts = [cell(MARGIN, y, TITLE_W, height, title, lane=lane.key, fill=PANEL)]
    for column in canvas.columns:
        x = grid.x[column.id]
        content = stacks[column.id].at(x + PAD, y + PAD)
        parts.append(
            cell(
                x,
                y,
                COL_W,
                height,
                content,
                lane=lane.key,
                stage=column.id,
                fill=CELL_FILL[column.phase],
                stroke=RULE,
            )
        )
    if lane.key == "experience":
        centre = {c.id: grid.x[c.id] + COL_W / 2 for c in canvas.columns}
        x0 = MARGIN + TITLE_W + COL_GAP
        parts.append(curve(centre, x0, grid.right, y + PAD, feelings(canvas)))
    return "".join(parts), height


def _wide_lane(canvas: Canvas, blocks: list[Block], grid: Grid, y: float) -> tuple[str, float]:
    """Items that belong to the whole journey, laid out in the stage columns' grid."""
    slots = [grid.x[c.id] for c in canvas.columns] or [MARGIN + TITLE_W + COL_GAP]
    per_row = len(slots)
    rows = [blocks[i : i + per_row] for i in range(0, len(blocks), per_row)]
    title = _lane_title("journey", canvas.lang, False)
    heights = [max(b.height for b in row) for row in rows]
    inner = max(title.height, sum(heights) + ITEM_GAP * (len(rows) - 1))
    height = inner + 2 * PAD
    content = []
    top = y + PAD
    for row, row_h in zip(rows, heights, strict=True):
        content += [block.at(slots[i] + PAD, top) for i, block in enumerate(row)]
        top += row_h + ITEM_GAP
    x0 = slots[0]
    parts = [
        cell(
            MARGIN, y, TITLE_W, height, title.at(MARGIN + PAD, y + PAD), lane="journey", fill=PANEL
        ),
        cell(
            x0,
            y,
            grid.right - x0,
            height,
            "".join(content),
            lane="journey",
            stage="*",
            fill=CELL_FILL[None],
            stroke=RULE,
        ),
    ]
    return "".join(parts), height


def _document(width: float, height: float, title: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" role="img" class="journey-canvas" '
        f'font-family="{esc(FONT_FAMILY)}"><title>{esc(title)}</title>'
        f'<rect width="100%" height="100%" fill="{PAPER}"/>{body}</svg>'
    )


def _loose(block: Block, y: float, width: float, lane: str, fill: str = "none") -> str:
    """A full-width cell around ``block`` (header, legend, notes), padded on every side."""
    content = block.at(MARGIN + PAD, y + PAD)
    return cell(
        MARGIN, y, width - 2 * MARGIN, block.height + 2 * PAD, content, lane=lane, fill=fill
    )


def _stage_row(canvas: Canvas, grid: Grid, y: float) -> tuple[str, float]:
    """The row of stage headers, all as tall as the tallest."""
    heads = [_stage_header(canvas, i, c) for i, c in enumerate(canvas.columns)]
    height = max([h.height for h in heads], default=0.0) + 2 * PAD
    parts = []
    for column, head in zip(canvas.columns, heads, strict=True):
        x = grid.x[column.id]
        fill = PHASE_FILL[column.phase] if column.phase else PANEL
        parts.append(
            cell(
                x,
                y,
                COL_W,
                height,
                head.at(x + PAD, y + PAD),
                lane="stage",
                stage=column.id,
                fill=fill,
            )
        )
    return "".join(parts), height


@dataclass
class Body:
    """The lanes drawn: their SVG, keys, where the stage lanes end and where all ends."""

    parts: list[str]
    keys: list[str]
    stages_end: float
    end: float


def _body(canvas: Canvas, grid: Grid, y: float, width: float) -> Body:
    """The lanes, the whole-journey lane and, when there is nothing, a note saying why."""
    parts = []
    lanes = build_lanes(canvas)
    for lane in lanes:
        svg, height = _lane_svg(canvas, lane, grid, y)
        parts.append(svg)
        y += height + LANE_GAP
    stages_end = y - LANE_GAP
    wide = journey_wide(canvas)
    if wide:
        svg, height = _wide_lane(canvas, wide, grid, y)
        parts.append(svg)
        y += height + LANE_GAP
    if not canvas.columns or not (lanes or wide):
        key = "empty.no_stages" if not canvas.columns else "empty.no_lanes"
        message = note(
            _tr(key, canvas.lang), width - 2 * MARGIN - 2 * PAD, size=LABEL_SIZE, lines=3
        )
        parts.append(_loose(message, y, width, "empty", PANEL))
        y += message.height + 2 * PAD + LANE_GAP
    return Body(parts, [lane.key for lane in lanes], stages_end, y - LANE_GAP)


def canvas_svg(data: ReportData) -> str:
    """The journey canvas of ``data`` (its map and, when analysed, what the data showed)
    as a standalone SVG document in ``data.lang``."""
    facts = collect(data)
    canvas = Canvas(data, facts, columns(data, facts), INNER_W)
    grid = Grid.of(canvas.columns)
    width = grid.right + MARGIN
    header = _header(data, facts, width - 2 * (MARGIN + PAD))
    parts = [_loose(header, MARGIN - PAD, width, "header")]
    y = MARGIN + header.height + PAD + 6
    top = y
    if any(c.phase for c in canvas.columns):
        parts.append(_bands(canvas.columns, grid, y, data.lang))
        y += BAND_H + COL_GAP
    stages, height = _stage_row(canvas, grid, y)
    parts.append(stages)
    label_h = y + height - top
    body = _body(canvas, grid, y + height + LANE_GAP, width)
    parts += body.parts
    parts.append(_dividers(grid, top, label_h, body.stages_end, data.lang))
    y = body.end
    legend = canvas_legend.legend(data.lang, body.keys, width - 2 * (MARGIN + PAD))
    if legend.height:
        parts.append(_loose(legend, y + 6, width, "legend"))
        y += legend.height + 2 * PAD + 6
    title = _joined_title(_tr("title", data.lang), map_name(data))
    return _document(width, y + MARGIN - PAD, title, "".join(parts))
