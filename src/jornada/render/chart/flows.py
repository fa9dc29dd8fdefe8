"""The flow (Sankey) diagram of moves between stages, forward and back.

Stages are columns in journey order. Every move is a band whose thickness is the number
of moves, on one scale: forward moves run left to right between the columns; moves back
to an earlier stage leave their column on the right, drop into a lane under the columns,
run back and rise into the earlier column from the left (red). Each column is as tall as
the larger of what enters and what leaves it, so the bands of a column add up to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jornada.i18n import t
from jornada.render import fmt, style
from jornada.render.chart.kit import (
    PAD,
    Box,
    Placer,
    Row,
    baseline,
    block,
    document,
    header,
    label,
    no_data,
    num,
    rect,
    shape,
    stage_positions,
    text_box,
    whole,
)
from jornada.render.data import ReportData

NODE_W = 14.0
BAND = 230.0  # height of the tallest column
LANE_GAP = 18.0  # between the lanes of backward moves (room for a label)
FORWARD = "#0072b2"
NODE = "#334e68"


@dataclass
class Node:
    """A stage column: where it stands and how its bands are stacked on each side."""

    stage: str
    x: float
    flows_in: list[Row] = field(default_factory=list)
    flows_out: list[Row] = field(default_factory=list)
    top: float = 0.0
    height: float = 0.0

    def total(self, side: str, back: bool | None = None) -> int:
        flows = self.flows_in if side == "in" else self.flows_out
        return sum(int(f["count"]) for f in flows if back is None or f["back"] is back)


def _flows(data: ReportData, min_share: float) -> tuple[list[Row], list[str]]:
    """The stage-level moves kept (at least ``min_share`` of all moves; no self-loops),
    each marked ``back`` when it returns to an earlier stage, and their stages in order."""
    rows = [
        dict(r)
        for r in data.rows("transitions")
        if r.get("level") == "stage"
        and r.get("source") is not None
        and r.get("target") is not None
        and r["source"] != r["target"]
        and whole(r, "count") > 0
    ]
    total = sum(int(r["count"]) for r in rows)
    kept = [r for r in rows if int(r["count"]) >= min_share * total]
    seen = [{"stage": str(s)} for r in kept for s in (r["source"], r["target"])]
    order = stage_positions(data, seen)
    stages = sorted({row["stage"] for row in seen}, key=lambda s: order.get(s, 1e9))
    place = {s: i for i, s in enumerate(stages)}
    for row in kept:
        row["source"], row["target"] = str(row["source"]), str(row["target"])
        row["back"] = bool(row.get("backward")) or place[row["target"]] < place[row["source"]]
    return kept, stages


def sankey_svg(data: ReportData, min_share: float = 0.0) -> str:
    """Stages as columns in journey order, forward moves as bands between them and moves
    back as red bands in lanes under them; band thickness is the number of moves. Moves
    under ``min_share`` of all stage moves are left out."""
    lang = data.lang
    title = t("charts.sankey.title", lang)
    flows, stages = _flows(data, min_share)
    if not flows:
        return no_data("sankey", title, lang)
    width = max(900.0, 2 * PAD + 124 * len(stages))
    parts, y = header(title, t("charts.sankey.subtitle", lang), width)
    col = (width - 2 * PAD) / len(stages)
    nodes = {s: Node(s, PAD + (i + 0.5) * col) for i, s in enumerate(stages)}
    for flow in flows:
        nodes[flow["source"]].flows_out.append(flow)
        nodes[flow["target"]].flows_in.append(flow)
    unit = BAND / max(max(n.total("in"), n.total("out")) for n in nodes.values())
    # A backward band must stay thin enough to turn between two columns.
    widest = min(col * 0.3, 48.0)
    unit = min(unit, widest / max([int(f["count"]) for f in flows if f["back"]] + [1]))
    labels, top = _node_labels(data, nodes, y, col)
    for node in nodes.values():
        node.top = top
        node.height = max(max(node.total("in"), node.total("out")) * unit, 2.0)
    ends = _stack(nodes, {s: i for i, s in enumerate(stages)}, unit)
    backward = [f for f in flows if f["back"]]
    lanes, bottom = _lanes(backward, nodes, col, unit)
    placer = Placer()  # band labels keep off the columns and off each other
    for node in nodes.values():
        placer.take(Box(node.x - NODE_W / 2, node.top, node.x + NODE_W / 2, node.top + node.height))
    bands = [_forward(data, f, nodes, ends, unit, placer) for f in flows if not f["back"]]
    backs = [_backward(data, f, nodes, ends, unit, lanes[id(f)], col, placer) for f in backward]
    columns = [_column(node) for node in nodes.values()]
    if min_share > 0:
        hidden = t("charts.sankey.hidden", lang, share=fmt.share(min_share, lang))
        labels.append(
            label(PAD, bottom + 10, hidden, size=style.SMALL_SIZE, fill=style.MUTED, cls="note")
        )
        bottom += 18
    body = parts + backs + bands + columns + labels
    return document(width, bottom + PAD - 6, title, body, kind="sankey")


def _node_labels(
    data: ReportData, nodes: dict[str, Node], y: float, col: float
) -> tuple[list[str], float]:
    """Each stage's name (up to two lines) and its number of moves above its column; and
    the height where the columns can start."""
    parts = []
    bottom = y
    for node in nodes.values():
        moves = max(node.total("in"), node.total("out"))
        name, box = block(
            node.x, y, data.name(node.stage), col - 12, anchor="middle", bold=True, hang=True
        )
        count = t("charts.sankey.moves", data.lang, count=fmt.number(moves, data.lang))
        parts += [
            name,
            label(
                node.x,
                box.y1 + 13,
                count,
                size=style.SMALL_SIZE,
                anchor="middle",
                fill=style.MUTED,
                cls="note",
            ),
        ]
        bottom = max(bottom, box.y1 + 16)
    return parts, bottom + 8


def _column(node: Node) -> str:
    return rect(
        node.x - NODE_W / 2,
        node.top,
        NODE_W,
        node.height,
        NODE,
        class_="node",
        data_stage=node.stage,
        data_in=node.total("in", False),
        data_out=node.total("out", False),
        data_back_in=node.total("in", True),
        data_back_out=node.total("out", True),
    )


def _stack(
    nodes: dict[str, Node], order: dict[str, int], unit: float
) -> dict[tuple[int, str], float]:
    """Where each band's top edge meets each column, keyed by (id of the band, side).

    Forward bands stack down from the column's top, nearest stage first; backward bands
    stack up from its bottom, so they turn down to their lanes as soon as they can, the
    furthest-reaching highest so that the turns nest instead of crossing."""
    ends: dict[tuple[int, str], float] = {}
    for node in nodes.values():
        for side, flows, other in (
            ("out", node.flows_out, "target"),
            ("in", node.flows_in, "source"),
        ):

            def reach(flow: Row, other: str = other, here: str = node.stage) -> int:
                return abs(order[flow[other]] - order[here])

            y = node.top
            for flow in sorted((f for f in flows if not f["back"]), key=reach):
                ends[(id(flow), side)] = y
                y += int(flow["count"]) * unit
            y = node.top + node.height
            for flow in sorted((f for f in flows if f["back"]), key=reach):
                y -= int(flow["count"]) * unit
                ends[(id(flow), side)] = y
    return ends


def _lanes(
    backward: list[Row], nodes: dict[str, Node], col: float, unit: float
) -> tuple[dict[int, float], float]:
    """The centre line of each backward band's lane, and the bottom of the lowest lane.

    Short returns are laid first, each as high as it fits: under the columns it passes, in
    the first gap between the lanes already laid across its reach (so bands whose reach
    overlaps never share a height)."""
    centres: dict[int, float] = {}
    laid: list[tuple[float, float, float, float]] = []  # reach left, right; lane top, bottom
    columns = max(n.top + n.height for n in nodes.values())
    ranked = sorted(
        backward, key=lambda f: (nodes[f["source"]].x - nodes[f["target"]].x, -int(f["count"]))
    )
    for flow in ranked:
        # A move marked backward in the data may run forward in the drawing's stage order
        # (a map whose stages differ from the data's): the lane spans both ends anyway.
        ends = sorted((nodes[flow["target"]].x, nodes[flow["source"]].x))
        left, right = ends[0] - col / 2, ends[1] + col / 2
        w = int(flow["count"]) * unit
        spanned = [n.top + n.height for n in nodes.values() if left <= n.x <= right]
        top = max(spanned, default=columns) + LANE_GAP
        crossing = sorted((a, b) for x0, x1, a, b in laid if x0 < right and left < x1)
        for lane_top, lane_bottom in crossing:
            if top + w + LANE_GAP <= lane_top:
                break
            top = max(top, lane_bottom + LANE_GAP)
        centres[id(flow)] = top + w / 2
        laid.append((left, right, top, top + w))
    return centres, max([b for *_, b in laid] + [columns]) + LANE_GAP


def _forward(
    data: ReportData,
    flow: Row,
    nodes: dict[str, Node],
    ends: dict[tuple[int, str], float],
    unit: float,
    placer: Placer,
) -> str:
    """A forward band between two columns, with its count written on it when it is thick
    enough and the spot is free."""
    source, target = nodes[flow["source"]], nodes[flow["target"]]
    h = int(flow["count"]) * unit
    x0, x1 = source.x + NODE_W / 2, target.x - NODE_W / 2
    y0, y1 = ends[(id(flow), "out")], ends[(id(flow), "in")]
    xm = (x0 + x1) / 2
    d = (
        f"M{num(x0)},{num(y0)} C{num(xm)},{num(y0)} {num(xm)},{num(y1)} {num(x1)},{num(y1)}"
        f" L{num(x1)},{num(y1 + h)} C{num(xm)},{num(y1 + h)} {num(xm)},{num(y0 + h)}"
        f" {num(x0)},{num(y0 + h)} Z"
    )
    svg = _band(
        data, flow, d, h, {"fill": FORWARD, "fill_opacity": 0.3, "class_": "ribbon forward"}
    )
    count = fmt.number(int(flow["count"]), data.lang)
    if h < style.SMALL_SIZE + 3:
        return svg
    for at in (0.5, 0.25, 0.75):  # along the band's centre line, middle first
        x, y = _on_band((x0, y0 + h / 2), (x1, y1 + h / 2), at)
        base = baseline(y, style.SMALL_SIZE)
        box = text_box(x, base, count, style.SMALL_SIZE, "middle")
        if placer.free(box):
            placer.take(box)
            return svg + label(
                x,
                base,
                count,
                size=style.SMALL_SIZE,
                anchor="middle",
                cls="value flow",
                data_source=flow["source"],
                data_target=flow["target"],
            )
    return svg


def _on_band(
    start: tuple[float, float], end: tuple[float, float], at: float
) -> tuple[float, float]:
    """The point ``at`` (0 to 1) along a band's centre line: the cubic curve whose control
    points sit halfway across, level with each end."""
    (x0, y0), (x1, y1) = start, end
    xm = (x0 + x1) / 2
    u = 1 - at
    x = u**3 * x0 + 3 * u * u * at * xm + 3 * u * at * at * xm + at**3 * x1
    y = u**3 * y0 + 3 * u * u * at * y0 + 3 * u * at * at * y1 + at**3 * y1
    return x, y


def _backward(
    data: ReportData,
    flow: Row,
    nodes: dict[str, Node],
    ends: dict[tuple[int, str], float],
    unit: float,
    bottom: float,
    col: float,
    placer: Placer,
) -> str:
    """A backward band: out of the later column to the right, down into its lane, back
    under the columns, and up into the earlier column from the left."""
    source, target = nodes[flow["source"]], nodes[flow["target"]]
    w = int(flow["count"]) * unit
    xa, xb = source.x + NODE_W / 2, target.x - NODE_W / 2
    ya = ends[(id(flow), "out")] + w / 2
    yb = ends[(id(flow), "in")] + w / 2
    ka = min((bottom - ya) * 0.7, col * 0.42)
    kb = min((bottom - yb) * 0.7, col * 0.42)
    d = (
        f"M{num(xa)},{num(ya)} C{num(xa + ka)},{num(ya)} {num(xa + ka)},{num(bottom)}"
        f" {num(xa)},{num(bottom)} L{num(xb)},{num(bottom)} C{num(xb - kb)},{num(bottom)}"
        f" {num(xb - kb)},{num(yb)} {num(xb)},{num(yb)}"
    )
    look = {
        "fill": "none",
        "stroke": style.BACKWARD,
        "stroke_opacity": 0.35,
        "stroke_width": max(w, 1.0),
        "class_": "ribbon backward",
    }
    svg = _band(data, flow, d, w, look)
    text = t("charts.sankey.back", data.lang, count=fmt.number(int(flow["count"]), data.lang))
    x = (xa + xb) / 2
    inside = w >= style.SMALL_SIZE + 3
    for y in ([bottom] if inside else []) + [bottom + w / 2 + 9, bottom - w / 2 - 9]:
        base = baseline(y, style.SMALL_SIZE)
        box = text_box(x, base, text, style.SMALL_SIZE, "middle")
        if placer.free(box):
            placer.take(box)
            return svg + label(
                x,
                base,
                text,
                size=style.SMALL_SIZE,
                anchor="middle",
                fill=style.BACKWARD if y != bottom else style.INK,
                cls="value back",
            )
    return svg


def _band(data: ReportData, flow: Row, d: str, h: float, look: dict[str, Any]) -> str:
    """A band's path with its numbers as data attributes and its move as a tooltip."""
    count = int(flow["count"])
    move = f"{data.name(flow['source'])} → {data.name(flow['target'])}"
    return shape(
        "path",
        tip=f"{move}: {fmt.number(count, data.lang)}",
        d=d,
        **look,
        data_source=flow["source"],
        data_target=flow["target"],
        data_count=count,
        data_width=round(h, 3),
    )
