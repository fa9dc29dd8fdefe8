"""Small SVG pieces the subway map is built from: the root element, labels with a halo,
marker glyphs, and the bounds of a cubic Bézier (to keep room for curves)."""

from __future__ import annotations

import math
import re

from jornada.render import style
from jornada.render.text import FONT_FAMILY, text_width
from jornada.render.text import esc as _esc

# Top and bottom of a line of text relative to its baseline, as fractions of the size
# (DejaVu Sans ascent 0.93, descent 0.24, rounded up).
ASCENT = 0.95
DESCENT = 0.26
LINE = 1.3  # line height, as a multiple of the size

# Characters XML 1.0 does not allow (control characters, lone surrogates, non-characters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def esc(value: object) -> str:
    """``value`` escaped for SVG, without the characters XML cannot carry at all."""
    return _esc(_NOT_XML.sub("", str(value)))


def root(width: float, height: float, title: str, body: list[str]) -> str:
    """A standalone SVG document: white paper, the font, a title for screen readers."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'font-family="{esc(FONT_FAMILY)}">'
        f"<title>{esc(title)}</title>"
        f'<rect width="100%" height="100%" fill="{style.PAPER}"/>' + "".join(body) + "</svg>"
    )


def label(
    x: float,
    y: float,
    lines: list[str],
    size: float,
    *,
    full: str | None = None,
    anchor: str = "start",
    bold: bool = False,
    italic: bool = False,
    fill: str = style.INK,
    cls: str = "",
    halo: bool = False,
) -> str:
    """A text of one or more lines (first baseline at ``y``) with class ``lbl``.

    ``full`` goes into a ``<title>`` so the whole text shows on hover when the lines had to
    be cut; ``halo`` paints a white outline behind the letters so they stay legible over
    flow lines.
    """
    if not lines:
        return ""
    attrs = f'x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{fill}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if bold:
        attrs += ' font-weight="bold"'
    if italic:  # DejaVu Sans Oblique has the upright advance widths: measures still hold
        attrs += ' font-style="italic"'
    if halo:
        attrs += (
            f' stroke="{style.PAPER}" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
        )
    title = f"<title>{esc(full)}</title>" if full else ""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size * LINE:.1f}">{esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text class="{("lbl " + cls).strip()}" {attrs}>{title}{spans}</text>'


def text_height(lines: int, size: float) -> float:
    """Height of a label of ``lines`` lines, from the first line's top to the last's foot."""
    return (ASCENT + DESCENT) * size + max(lines - 1, 0) * size * LINE


def plate(x: float, y: float, lines: list[str], size: float, *, anchor: str = "middle") -> str:
    """A white, slightly see-through plate behind a label (first baseline ``y``), so flow
    lines pass under station names as they do on a subway map."""
    if not lines:
        return ""
    width = max(text_width(line, size) for line in lines) + 6
    left = x - width / 2 if anchor == "middle" else x - 3
    top = y - ASCENT * size - 1
    height = text_height(len(lines), size) + 2
    return (
        f'<rect class="plate" x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" '
        f'height="{height:.1f}" rx="3" fill="{style.PAPER}" fill-opacity="0.88"/>'
    )


def star(cx: float, cy: float, r: float, *, filled: bool) -> str:
    """A five-pointed star: filled for a proven critical touchpoint, hollow when only the
    map says so."""
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = -90 + 36 * i
        points.append(_polar(cx, cy, radius, angle))
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    fill = style.CRITICAL if filled else style.PAPER
    return (
        f'<polygon points="{path}" fill="{fill}" stroke="{"#8a5a00" if filled else style.CRITICAL}"'
        f' stroke-width="{1 if filled else 1.6}" stroke-linejoin="round"/>'
    )


def warning(cx: float, cy: float, size: float) -> str:
    """A red warning triangle with an exclamation mark drawn as shapes (no text)."""
    h = size * 0.9
    top, left, right = (cx, cy - h / 2), (cx - size / 2, cy + h / 2), (cx + size / 2, cy + h / 2)
    tri = " ".join(f"{x:.1f},{y:.1f}" for x, y in (top, left, right))
    bar_top, bar_bottom = cy - h * 0.12, cy + h * 0.2
    return (
        f'<polygon points="{tri}" fill="{style.FRICTION}" stroke="{style.PAPER}" '
        f'stroke-width="1" stroke-linejoin="round"/>'
        f'<line x1="{cx:.1f}" y1="{bar_top:.1f}" x2="{cx:.1f}" y2="{bar_bottom:.1f}" '
        f'stroke="{style.PAPER}" stroke-width="{size * 0.13:.1f}" stroke-linecap="round"/>'
        f'<circle cx="{cx:.1f}" cy="{cy + h * 0.34:.1f}" r="{size * 0.07:.1f}" '
        f'fill="{style.PAPER}"/>'
    )


def cubic_bounds(
    p0: tuple[float, float],
    p1: tuple[float, float],
    p2: tuple[float, float],
    p3: tuple[float, float],
) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of a cubic Bézier, sampled finely enough for layout."""
    xs, ys = [], []
    for i in range(33):
        u = i / 32
        a, b, c, d = (1 - u) ** 3, 3 * (1 - u) ** 2 * u, 3 * (1 - u) * u**2, u**3
        xs.append(a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0])
        ys.append(a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1])
    return min(xs), min(ys), max(xs), max(ys)


def _polar(cx: float, cy: float, r: float, degrees: float) -> tuple[float, float]:
    angle = math.radians(degrees)
    return cx + r * math.cos(angle), cy + r * math.sin(angle)
