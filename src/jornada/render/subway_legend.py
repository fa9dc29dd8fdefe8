"""The subway map's key: rows of icons and words that wrap at the drawing's width."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jornada.render import style
from jornada.render.subway_parts import label, star, text_height, warning
from jornada.render.text import fit, text_width, wrap

Icon = Callable[[float, float], str]  # draws an icon at (left x, middle y)
SIZE = style.SMALL_SIZE
RING = 3.5


@dataclass(frozen=True)
class Item:
    """One entry of the key: words, with an icon ``width`` px wide before them."""

    text: str
    icon: Icon | None = None
    width: float = 14
    bold: bool = False

    @property
    def room(self) -> float:
        icon = self.width + 6 if self.icon else 0
        return icon + text_width(self.text, SIZE, bold=self.bold)


def draw_legend(
    rows: list[list[Item]], how: str, top: float, left: float, right: float
) -> tuple[list[str], float]:
    """The key from ``top`` between ``left`` and ``right``: a rule, the ``how``-to-read line
    (up to two lines), then each row, wrapping where it would pass ``right``. Returns the
    SVG pieces and the y where the drawing can end."""
    out = [
        f'<line x1="{left:.1f}" y1="{top - 10:.1f}" x2="{right:.1f}" y2="{top - 10:.1f}" '
        f'stroke="{style.RULE}"/>'
    ]
    y = top + 4
    if how:
        lines = wrap(how, SIZE + 1, right - left, lines=2)
        out.append(label(left, y, lines, SIZE + 1, full=how, fill=style.MUTED, cls="how"))
        y += text_height(len(lines), SIZE + 1) + 8
    for row in rows:
        x = left
        for item in row:
            if x > left and x + item.room > right:
                x, y = left + 12, y + 22
            tx = x + (item.width + 6 if item.icon else 0)
            if item.icon:
                out.append(item.icon(x, y + 4))
            text = fit(item.text, SIZE, right - tx, bold=item.bold)
            out.append(
                label(
                    tx,
                    y + 4 + SIZE * 0.35,
                    [text],
                    SIZE,
                    full=item.text,
                    bold=item.bold,
                    cls="legend",
                )  # fmt: skip
            )
            x += item.room + 16
        y += 24
    return out, y + 20


def dot_icon(colour: str) -> Icon:
    """A filled disc, as a station's channel colour."""
    return lambda x, y: f'<circle cx="{x + 7:.1f}" cy="{y:.1f}" r="6" fill="{colour}"/>'


def ring_icon(colour: str, *, dashed: bool = False) -> Icon:
    """A ring, as a station's owner (dashed: a touchpoint the map lacks)."""
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    return lambda x, y: (
        f'<circle cx="{x + 7:.1f}" cy="{y:.1f}" r="5.5" fill="{style.PAPER}" '
        f'stroke="{colour}" stroke-width="{RING}"{dash}/>'
    )


def star_icon(filled: bool) -> Icon:
    """The critical-touchpoint star."""
    return lambda x, y: star(x + 7, y, 6.5, filled=filled)


def warning_icon(x: float, y: float) -> str:
    """The friction warning sign."""
    return warning(x + 7, y, 12)


def line_icon(colour: str, width: float, *, dashed: bool = False) -> Icon:
    """A 30 px stretch of flow line (round caps kept inside it)."""
    dash = ' stroke-dasharray="6 3"' if dashed else ""
    return lambda x, y: (
        f'<line x1="{x + width / 2:.1f}" y1="{y:.1f}" x2="{x + 30 - width / 2:.1f}" '
        f'y2="{y:.1f}" stroke="{colour}" stroke-width="{width:.2f}" '
        f'stroke-linecap="round"{dash}/>'
    )
