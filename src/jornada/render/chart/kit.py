"""The parts every chart is built from: the SVG document, labels that keep their full text,
linear scales with round ticks, and label placement that never lets two labels overlap.

Charts are laid out in Python with the measured widths of :mod:`jornada.render.text`, so
each label is placed knowing the room it takes; :class:`Placer` keeps the boxes already
used in a drawing and finds a free spot for the next label.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from jornada.i18n import t
from jornada.render import style
from jornada.render.data import ReportData
from jornada.render.text import FONT_FAMILY, esc, fit, text_width, wrap

PAD = 24  # margin around every chart
ASCENT = 0.95  # share of the font size above the baseline (DejaVu Sans: 0.93)
DESCENT = 0.26  # share below it (DejaVu Sans: 0.24)
LINE = 1.35  # line height, in font sizes, for stacked labels

BAR = "#3b6ea5"  # the one colour of single-series bars
TRACK = "#edf1f5"  # the 100 % track behind share bars
NAME_W = 150.0  # the column of category names left of the bars
ROW = 34.0  # height of one bar row
BAR_H = 18.0
WIDTH = 760.0

Row = dict[str, Any]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(value: object) -> str:
    """``value`` as text without the control characters XML cannot carry."""
    return _NOT_XML.sub("", str(value))


def num(value: float) -> str:
    """A coordinate written short: ``12.5``, ``40``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def attrs(**values: Any) -> str:
    """Attributes written out (``data_value`` becomes ``data-value``); None is left out.
    Coordinates are rounded to a tenth of a pixel, ``data-*`` numbers kept exact."""
    out = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):  # coordinates short, data values exact
            text = f"{value:.10g}" if name.startswith("data-") else num(value)
        else:
            text = clean(value)
        out.append(f' {name}="{esc(text)}"')
    return "".join(out)


@dataclass(frozen=True)
class Box:
    """A rectangle on the drawing: left, top, right, bottom."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = 1.0) -> bool:
        return (
            self.x0 < other.x1 + gap
            and other.x0 < self.x1 + gap
            and self.y0 < other.y1 + gap
            and other.y0 < self.y1 + gap
        )


def text_box(
    x: float, y: float, text: str, size: float, anchor: str = "start", *, bold: bool = False
) -> Box:
    """The box a one-line label with baseline ``y`` takes on screen (estimated wide)."""
    width = text_width(text, size, bold=bold)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(left, y - ASCENT * size, left + width, y + DESCENT * size)


@dataclass
class Placer:
    """The boxes taken in one drawing; finds a free spot for each new label."""

    boxes: list[Box] = field(default_factory=list)

    def free(self, box: Box) -> bool:
        return not any(box.overlaps(other) for other in self.boxes)

    def take(self, box: Box) -> Box:
        self.boxes.append(box)
        return box

    def avoid_path(self, points: Sequence[tuple[float, float]], margin: float = 2.0) -> None:
        """Keep labels off a polyline: small boxes along each of its segments."""
        for (xa, ya), (xb, yb) in zip(points, points[1:], strict=False):
            steps = max(1, int(math.hypot(xb - xa, yb - ya) / 4))
            for i in range(steps + 1):
                x, y = xa + (xb - xa) * i / steps, ya + (yb - ya) * i / steps
                self.boxes.append(Box(x - margin, y - margin, x + margin, y + margin))

    def first_free(self, candidates: Iterable[Box]) -> Box | None:
        """The first candidate that overlaps nothing taken, now taken; None if all do."""
        for box in candidates:
            if self.free(box):
                return self.take(box)
        return None


def label(
    x: float,
    y: float,
    text: str,
    *,
    size: float = style.LABEL_SIZE,
    anchor: str = "start",
    fill: str = style.INK,
    bold: bool = False,
    full: str | None = None,
    cls: str = "",
    **extra: Any,
) -> str:
    """A ``<text class="lbl">`` at baseline ``y``; ``full`` (when it says more than the
    text) goes in a ``<title>`` child so the whole name shows on hover."""
    title = f"<title>{esc(clean(full))}</title>" if full and full != text else ""
    return (
        f'<text class="{esc(("lbl " + cls).strip())}"'
        + attrs(x=float(x), y=float(y), font_size=size, text_anchor=anchor, fill=fill)
        + (' font-weight="bold"' if bold else "")
        + attrs(**extra)
        + f">{esc(clean(text))}{title}</text>"
    )


def name_lines(
    name: str, size: float, width: float, lines: int = 2, *, bold: bool = False
) -> tuple[list[str], bool]:
    """``name`` wrapped into ``lines`` lines of ``width`` px; True when it had to be cut."""
    name = clean(name)
    if lines > 1:
        out = wrap(name, size, width, lines=lines, bold=bold) or [fit(name, size, width, bold=bold)]
    else:  # text.wrap keeps only the first line's words when lines=1, without an ellipsis
        out = [fit(" ".join(name.split()), size, width, bold=bold)]
    return out, " ".join(out) != " ".join(name.split())


def block(
    x: float,
    y_mid: float,
    name: str,
    width: float,
    *,
    size: float = style.LABEL_SIZE,
    anchor: str = "end",
    lines: int = 2,
    fill: str = style.INK,
    bold: bool = False,
    hang: bool = False,
) -> tuple[str, Box]:
    """A name in up to ``lines`` lines centred on ``y_mid`` (hanging from it when ``hang``),
    cut to ``width`` px, with the full name as its title; and the box it takes."""
    parts, cut = name_lines(name, size, width, lines, bold=bold)
    step = size * LINE
    if hang:
        top = y_mid + ASCENT * size
    else:
        top = y_mid - (len(parts) - 1) * step / 2 + (ASCENT - DESCENT) * size / 2
    spans = "".join(
        f'<tspan x="{num(x)}" y="{num(top + i * step)}">{esc(text)}</tspan>'
        for i, text in enumerate(parts)
    )
    title = f"<title>{esc(clean(name))}</title>" if cut else ""
    widest = max(text_width(text, size, bold=bold) for text in parts)
    left = {"start": x, "middle": x - widest / 2, "end": x - widest}[anchor]
    box = Box(
        left, top - ASCENT * size, left + widest, top + (len(parts) - 1) * step + DESCENT * size
    )
    svg = (
        '<text class="lbl name"'
        + attrs(font_size=size, text_anchor=anchor, fill=fill)
        + (' font-weight="bold"' if bold else "")
        + f">{title}{spans}</text>"
    )
    return svg, box


def document(width: float, height: float, title: str, body: Iterable[str], *, kind: str) -> str:
    """A standalone SVG: white paper, the drawing's title for screen readers, our font."""
    head = (
        '<svg xmlns="http://www.w3.org/2000/svg"'
        + attrs(
            width=float(math.ceil(width)),
            height=float(math.ceil(height)),
            viewBox=f"0 0 {math.ceil(width)} {math.ceil(height)}",
            role="img",
            aria_label=title,
            font_family=FONT_FAMILY,
            class_=f"chart chart-{kind}",
            data_chart=kind,
        )
        + ">"
    )
    paper = f'<rect width="100%" height="100%" fill="{style.PAPER}"/>'
    return head + f"<title>{esc(clean(title))}</title>" + paper + "".join(body) + "</svg>"


def header(title: str, subtitle: str, width: float) -> tuple[list[str], float]:
    """The chart's title and a one- or two-line subtitle; returns them and the y below."""
    parts = [label(PAD, PAD + 16, title, size=style.TITLE_SIZE, bold=True, cls="title")]
    y = PAD + 16 + style.TITLE_SIZE * 0.4
    for text in name_lines(subtitle, style.LABEL_SIZE, width - 2 * PAD)[0]:
        y += style.LABEL_SIZE * LINE
        parts.append(label(PAD, y, text, fill=style.MUTED, cls="subtitle"))
    return parts, y + 18


def no_data(kind: str, title: str, lang: str) -> str:
    """A small drawing that says there is nothing to chart yet (the table is empty)."""
    width = 520.0
    parts, y = header(title, t("charts.no_data", lang), width)
    parts.append(
        f'<rect x="{PAD}" y="{num(y)}" width="{num(width - 2 * PAD)}" height="28"'
        f' fill="{style.PANEL}" stroke="{style.RULE}" rx="4"/>'
    )
    parts.append(
        label(
            PAD + 10,
            y + 18,
            t("charts.no_data_hint", lang),
            size=style.SMALL_SIZE + 1,
            fill=style.MUTED,
            cls="empty",
        )
    )
    return document(width, y + 28 + PAD, title, parts, kind=kind)


def shape(tag: str, *, tip: str | None = None, **values: Any) -> str:
    """An SVG element with these attributes; ``tip`` (escaped) shows on hover."""
    head = f"<{tag}" + attrs(**values)
    return head + (f"><title>{esc(clean(tip))}</title></{tag}>" if tip else "/>")


def rect(
    x: float, y: float, w: float, h: float, fill: str, *, tip: str | None = None, **extra: Any
) -> str:
    """A rectangle (never of negative size); ``tip`` shows on hover."""
    return shape(
        "rect", tip=tip, x=x, y=y, width=max(w, 0.0), height=max(h, 0.0), fill=fill, **extra
    )


def line(x1: float, y1: float, x2: float, y2: float, stroke: str, **extra: Any) -> str:
    return "<line" + attrs(x1=x1, y1=y1, x2=x2, y2=y2, stroke=stroke, **extra) + "/>"


def baseline(y_mid: float, size: float) -> float:
    """The baseline that centres a line of ``size`` px text on ``y_mid``."""
    return y_mid + (ASCENT - DESCENT) * size / 2


def linear(d0: float, d1: float, r0: float, r1: float) -> Callable[[float], float]:
    """The map from data ``[d0, d1]`` onto pixels ``[r0, r1]``."""
    span = (d1 - d0) or 1.0
    return lambda v: r0 + (v - d0) / span * (r1 - r0)


def nice_step(span: float, ticks: int) -> float:
    """A round step (1, 2, 2.5, 5 x 10^k) giving about ``ticks`` intervals over ``span``."""
    raw = span / max(ticks, 1) or 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw)


def ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values from the last one at or below ``lo`` to the first at or above
    ``hi`` (so a scale ending on the last tick covers every value)."""
    step = nice_step(hi - lo, count)
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9)
    return [round(i * step, 10) for i in range(first, max(last, first + 1) + 1)]


def bar_room(shares: list[float], widths: list[float], room: float) -> float:
    """The longest full-scale bar length that still leaves each bar's value label room,
    inside the bar when it is long enough, else just past its end."""
    length = room
    for _ in range(4):
        for share, width in zip(shares, widths, strict=True):
            if share * length < width + 10 and share > 0:
                length = min(length, (room - width - 10) / share, room)
            elif share == 0:
                length = min(length, room - width - 10)
    return max(length, 40.0)


def axis(
    scale: Callable[[float], float],
    values: list[float],
    y_top: float,
    y_axis: float,
    text: Callable[[float], str],
    caption: str = "",
) -> list[str]:
    """A bottom axis: faint vertical grid lines, tick labels under it, a caption at the end."""
    parts = []
    for value in values:
        x = scale(value)
        parts.append(line(x, y_top, x, y_axis, style.RULE, stroke_width=0.8, class_="grid"))
        parts.append(
            label(
                x,
                y_axis + 14,
                text(value),
                size=style.SMALL_SIZE,
                anchor="middle",
                fill=style.MUTED,
                cls="tick",
            )
        )
    if caption:
        parts.append(
            label(
                scale(values[-1]),
                y_axis + 30,
                caption,
                size=style.SMALL_SIZE,
                anchor="end",
                fill=style.MUTED,
                cls="axis",
            )
        )
    return parts


def is_missing(value: Any) -> bool:
    """None or NaN: the tables write both for 'no value'."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def value_of(row: dict[str, Any], key: str) -> float | None:
    """``row[key]`` as a float, or None when the table has no value there."""
    value: Any = row.get(key)
    return None if is_missing(value) else float(value)


def whole(row: dict[str, Any], key: str) -> int:
    """``row[key]`` as a count: 0 when the table has no value there."""
    value = value_of(row, key)
    return 0 if value is None else int(value)


def ordered(data: ReportData, rows: list[Row]) -> list[Row]:
    """``rows`` in journey order of their ``stage``."""
    order = stage_positions(data, rows)
    return sorted(rows, key=lambda r: order.get(str(r.get("stage")), 1e9))


def stage_positions(data: ReportData, rows: Sequence[dict[str, Any]] = ()) -> dict[str, float]:
    """Stage id -> place in the journey: the map's order, else the table's ``position``,
    else the funnel's; stages nobody placed come last, in the order they appear."""
    if data.journey is not None and data.journey.stages:
        order: dict[str, float] = {k: float(v) for k, v in data.journey.stage_order().items()}
    else:
        order = {}
        for row in list(rows) + data.rows("funnel"):
            stage, position = row.get("stage"), value_of(row, "position")
            if stage is not None and stage not in order and position is not None:
                order[str(stage)] = position
    for row in rows:
        stage = row.get("stage")
        if stage is not None and str(stage) not in order:
            order[str(stage)] = 1000.0 + len(order)
    return order


def stage_phases(data: ReportData, rows: Sequence[dict[str, Any]] = ()) -> dict[str, str]:
    """Stage id -> ``pre_purchase``/``post_purchase``: from the map, else from the tables."""
    phases: dict[str, str] = {}
    for row in list(rows) + data.rows("funnel"):
        if row.get("stage") is not None and isinstance(row.get("phase"), str):
            phases.setdefault(str(row["stage"]), str(row["phase"]))
    if data.journey is not None:
        phases.update({s.id: str(s.phase) for s in data.journey.stages})
    return phases


def phase_caption(x: float, y: float, phase: str, lang: str) -> str:
    key = f"charts.phase.{phase}"
    text = t(key, lang)
    return (
        ""
        if text == key
        else label(
            x, y, text.upper(), size=style.SMALL_SIZE, bold=True, fill=style.MUTED, cls="phase"
        )
    )


def ink_on(fill: str) -> str:
    """White or ink, whichever reads better on ``fill`` (a ``#rrggbb`` colour)."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    lum = 0.2126 * r**2.2 + 0.7152 * g**2.2 + 0.0722 * b**2.2
    return style.PAPER if lum < 0.2 else style.INK


def mix(a: str, b: str, share: float) -> str:
    """The colour ``share`` of the way from ``a`` to ``b``."""
    share = min(1.0, max(0.0, share))
    channels = (
        round(int(a[i : i + 2], 16) + (int(b[i : i + 2], 16) - int(a[i : i + 2], 16)) * share)
        for i in (1, 3, 5)
    )
    return "#" + "".join(f"{c:02x}" for c in channels)


def value_label(
    x0: float, x1: float, y_mid: float, text: str, fill: str, *, size: float = style.LABEL_SIZE
) -> str:
    """A bar's value: inside its end (in white or ink, whichever reads on ``fill``) when
    the bar from ``x0`` to ``x1`` is long enough, else just past its end."""
    base = baseline(y_mid, size)
    forward = x1 >= x0
    if abs(x1 - x0) >= text_width(text, size) + 10:
        x, anchor, colour = (
            (x1 - 5, "end", ink_on(fill)) if forward else (x1 + 5, "start", ink_on(fill))
        )
    else:
        x, anchor, colour = (x1 + 5, "start", style.INK) if forward else (x1 - 5, "end", style.INK)
    return label(x, base, text, size=size, anchor=anchor, fill=colour, cls="value")
