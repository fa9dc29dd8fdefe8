"""The content grid: assets and touches per stage and buying-group role, gaps outlined."""

from __future__ import annotations

from jornada.i18n import t
from jornada.render import fmt, style
from jornada.render.chart.kit import (
    NAME_W,
    PAD,
    WIDTH,
    Row,
    baseline,
    block,
    document,
    header,
    ink_on,
    label,
    mix,
    no_data,
    rect,
    stage_positions,
    whole,
)
from jornada.render.data import ReportData
from jornada.render.text import fit, text_width

HEAD_SIZE = 11.0  # stage names over the columns
CELL_H = 46.0
LIGHT, DARK = "#f1f6fb", "#1d5c96"  # the assets scale, from none to the most


def _role_order(data: ReportData, rows: list[Row]) -> list[str]:
    """Roles in the map's order, then any others in the order the table names them."""
    seen = [str(r["role"]) for r in rows]
    mapped = [r.id for r in data.journey.roles] if data.journey is not None else []
    return [r for r in mapped if r in seen] + list(
        dict.fromkeys(r for r in seen if r not in mapped)
    )


def _cell_width(names: list[str]) -> float:
    """Wide enough for the longest single word of a stage name (words are not broken),
    between 84 and 124 px; longer words are cut."""
    words = [w for name in names for w in name.split()] or [""]
    widest = max(text_width(w, HEAD_SIZE) for w in words)
    return min(124.0, max(84.0, widest + 12))


def content_heatmap_svg(data: ReportData) -> str:
    """A stage x role grid: the shade and large number give the assets on offer, the small
    number the role's touches; gaps (a role active in a stage that reads nothing there) are
    outlined and named."""
    lang, title = data.lang, t("charts.content.title", data.lang)
    rows = [r for r in data.rows("content_coverage") if r.get("stage") is not None]
    rows = [r for r in rows if r.get("role") is not None]
    if not rows:
        return no_data("content_heatmap", title, lang)
    order = stage_positions(data, rows)
    stages = sorted({str(r["stage"]) for r in rows}, key=lambda s: order.get(s, 1e9))
    roles = _role_order(data, rows)
    cells = {(str(r["stage"]), str(r["role"])): r for r in rows}
    gaps = {
        (str(g["stage"]), str(g["role"])): str(g.get("gap") or "")
        for g in data.rows("content_gaps")
    }
    cell_w = _cell_width([data.name(s) for s in stages])
    width = max(WIDTH, 2 * PAD + NAME_W + len(stages) * cell_w)
    parts, y = header(title, t("charts.content.subtitle", lang), width)
    grid_x = PAD + NAME_W
    for i, stage in enumerate(stages):
        head, _ = block(
            grid_x + (i + 0.5) * cell_w,
            y - 2,
            data.name(stage),
            cell_w - 8,
            size=HEAD_SIZE,
            anchor="middle",
            hang=True,
        )
        parts.append(head)
    y += 34
    most = max(whole(r, "assets") for r in rows) or 1
    for role in roles:
        parts.append(block(grid_x - 10, y + CELL_H / 2, data.name(role), NAME_W - 14)[0])
        for i, stage in enumerate(stages):
            spot = (grid_x + i * cell_w, y, cell_w)
            parts += _cell(data, cells.get((stage, role)), gaps.get((stage, role)), spot, most)
        y += CELL_H
    legend, y = _content_legend(grid_x, y + 22, most, lang)
    return document(width, y + PAD - 6, title, parts + legend, kind="content_heatmap")


def _cell(
    data: ReportData,
    cell: Row | None,
    gap: str | None,
    spot: tuple[float, float, float],
    most: int,
) -> list[str]:
    """One grid cell: the assets large, the role's touches (or the gap's kind) small; a
    blank dashed cell when the table has no row for it."""
    lang = data.lang
    x, y, w, h = spot[0] + 2, spot[1] + 2, spot[2] - 4, CELL_H - 4
    if cell is None:
        return [rect(x, y, w, h, style.PAPER, stroke=style.RULE, stroke_dasharray="3 3")]
    assets, touches = whole(cell, "assets"), whole(cell, "touches")
    active = whole(cell, "role_events") > 0 or assets > 0 or touches > 0
    fill = mix(LIGHT, DARK, assets / most) if active else style.PAPER
    ink = ink_on(fill)
    detail = f"{data.name(str(cell['stage']))} × {data.name(str(cell['role']))}: " + t(
        "charts.content.touches", lang, count=fmt.number(touches, lang)
    )
    outline = {"stroke": style.FRICTION, "stroke_width": 2.5} if gap else {"stroke": style.RULE}
    box = rect(
        x,
        y,
        w,
        h,
        fill,
        rx=3,
        class_="cell" + (" gap" if gap else ""),
        data_stage=cell["stage"],
        data_role=cell["role"],
        data_assets=assets,
        data_touches=touches,
        data_gap=gap or None,
        tip=detail,
        **outline,
    )
    parts = [box]
    cx = x + w / 2
    if not active:
        parts.append(
            label(
                cx,
                baseline(y + h / 2, style.SMALL_SIZE),
                t("charts.content.inactive", lang),
                size=style.SMALL_SIZE,
                anchor="middle",
                fill=style.MUTED,
                cls="note",
            )
        )
        return parts
    parts.append(
        label(
            cx,
            y + 19,
            fmt.number(assets, lang),
            size=14,
            anchor="middle",
            bold=assets > 0,
            fill=ink if assets else style.MUTED,
            cls="value",
            data_field="assets",
        )
    )
    if gap:
        note, colour = (
            t(f"charts.content.gap.{gap}", lang),
            style.FRICTION if ink == style.INK else ink,
        )
    else:
        note, colour = fmt.number(touches, lang), ink if ink != style.INK else style.MUTED
    parts.append(
        label(
            cx,
            y + 35,
            fit(note, style.SMALL_SIZE, w - 6),
            size=style.SMALL_SIZE,
            anchor="middle",
            bold=bool(gap),
            fill=colour,
            cls="note",
            data_field="gap" if gap else "touches",
        )
    )
    return parts


def _content_legend(x: float, y: float, most: int, lang: str) -> tuple[list[str], float]:
    """The shade scale from no assets to the most, and what an outlined cell means."""
    size = style.SMALL_SIZE + 1
    parts = [label(x, y, "0", size=size, anchor="end", fill=style.MUTED, cls="legend")]
    for i in range(5):
        parts.append(rect(x + 6 + i * 18, y - 10, 18, 12, mix(LIGHT, DARK, i / 4)))
    end = x + 6 + 5 * 18 + 5
    parts.append(label(end, y, fmt.number(most, lang), size=size, fill=style.MUTED, cls="legend"))
    end += text_width(fmt.number(most, lang), size) + 6
    parts.append(
        label(end, y, t("charts.content.scale", lang), size=size, fill=style.MUTED, cls="legend")
    )
    y += 20
    parts.append(rect(x + 6, y - 10, 18, 12, LIGHT, stroke=style.FRICTION, stroke_width=2))
    parts.append(
        label(
            x + 30,
            y,
            t("charts.content.legend_gap", lang),
            size=size,
            fill=style.MUTED,
            cls="legend",
        )
    )
    return parts, y + 4
