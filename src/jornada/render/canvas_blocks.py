"""The pieces the journey canvas and the empathy maps stack inside their cells.

A :class:`Block` is a piece of drawing laid out at the origin with a known height, so a
cell is a column of blocks and grows to its content: the layout never guesses a height
and nothing overlaps. Every text is escaped, cut to the room it has, marked ``lbl`` for
the overlap checks, and the full text goes into the block's ``<title>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jornada.render.style import INK, LABEL_SIZE, MUTED, PAPER, RULE
from jornada.render.text import esc as _esc
from jornada.render.text import fit, text_width, wrap

# DejaVu Sans ascent and descent per unit of font size: the box a browser gives a text.
ASCENT = 0.93
DESCENT = 0.24
LEADING = 0.16  # extra room between two lines of one paragraph, per unit of size
PARA_GAP = 2.0  # between two paragraphs of one block
ENTRY_SIZE = LABEL_SIZE - 1
NOTE_SIZE = 9.5
PAD_X = 7.0
PAD_Y = 5.0
MARKER_W = 14.0


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def esc(value: object) -> str:
    """``value`` escaped for SVG, without the control characters XML cannot carry."""
    return _esc(_NOT_XML.sub("", str(value)))


def num(value: float) -> str:
    """A coordinate written short: ``12.5``, ``3``."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Block:
    """A piece of a cell drawn at the origin: how tall it is and its SVG."""

    height: float
    svg: str

    def at(self, x: float, y: float) -> str:
        """The block moved to ``(x, y)``."""
        return f'<g transform="translate({num(x)},{num(y)})">{self.svg}</g>'


@dataclass(frozen=True)
class Para:
    """A paragraph before wrapping: text, size, weight, colour and most lines allowed."""

    text: str
    size: float = ENTRY_SIZE
    bold: bool = False
    fill: str = INK
    lines: int = 2


@dataclass(frozen=True)
class Look:
    """How an entry's box is drawn: fill, outline and whether the outline is dashed."""

    fill: str = PAPER
    stroke: str = RULE
    dashed: bool = False
    stroke_width: float = 1.0


PLAIN = Look(fill="none", stroke="none")


def text_svg(
    text: str,
    x: float,
    baseline: float,
    size: float,
    *,
    bold: bool = False,
    fill: str = INK,
    anchor: str = "start",
    extra: str = "",
) -> str:
    """One ``<text class="lbl">`` (the caller has already cut ``text`` to its room)."""
    weight = ' font-weight="bold"' if bold else ""
    anchor_attr = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return (
        f'<text class="lbl{extra}" x="{num(x)}" y="{num(baseline)}" font-size="{num(size)}"'
        f'{weight}{anchor_attr} fill="{fill}">{esc(text)}</text>'
    )


def paragraphs(paras: Sequence[Para], x: float, top: float, width: float) -> tuple[str, float]:
    """Paragraphs wrapped to ``width`` from ``top`` down; returns their SVG and bottom."""
    parts: list[str] = []
    y = top
    for index, para in enumerate(paras):
        if index:
            y += PARA_GAP
        for line in wrap(para.text, para.size, width, lines=para.lines, bold=para.bold):
            baseline = y + ASCENT * para.size
            parts.append(text_svg(line, x, baseline, para.size, bold=para.bold, fill=para.fill))
            y = baseline + DESCENT * para.size + LEADING * para.size
        y -= LEADING * para.size
    return "".join(parts), y


def paragraphs_height(paras: Sequence[Para], width: float) -> float:
    """How tall :func:`paragraphs` draws ``paras`` at ``width``."""
    return paragraphs(paras, 0, 0, width)[1]


def entry(
    paras: Sequence[Para],
    width: float,
    *,
    title: str,
    look: Look = Look(),
    marker: str = "",
    kind: str = "entry",
    data: dict[str, str] | None = None,
    meter: tuple[float, str] | None = None,
) -> Block:
    """A boxed item of a cell (a touchpoint, a pain point, a KPI...): optional marker on
    the left, wrapped paragraphs, full text in ``<title>``; ``data`` becomes data-* attrs;
    ``meter`` (share from 0 to 1, colour) draws a thin volume bar under the text."""
    text_x = PAD_X + (MARKER_W if marker else 0.0)
    body, bottom = paragraphs(paras, text_x, PAD_Y, width - text_x - PAD_X)
    if meter is not None:
        body += _meter(text_x, bottom + 3, width - text_x - PAD_X, *meter)
        bottom += 6
    height = bottom + PAD_Y
    dash = ' stroke-dasharray="4 3"' if look.dashed else ""
    frame = (
        f'<rect x="0.5" y="0.5" width="{num(width - 1)}" height="{num(height - 1)}" rx="4" '
        f'fill="{look.fill}" stroke="{look.stroke}" stroke-width="{num(look.stroke_width)}"'
        f"{dash}/>"
    )
    placed = (
        f'<g transform="translate({num(PAD_X)},{num(PAD_Y + 1)})">{marker}</g>' if marker else ""
    )
    attrs = "".join(f' data-{key}="{esc(value)}"' for key, value in (data or {}).items())
    svg = f'<g class="{kind}"{attrs}><title>{esc(title)}</title>{frame}{placed}{body}</g>'
    return Block(height, svg)


def _meter(x: float, y: float, width: float, share: float, colour: str) -> str:
    filled = width * min(max(share, 0.0), 1.0)
    return (
        f'<rect class="meter" x="{num(x)}" y="{num(y)}" width="{num(width)}" height="3" '
        f'rx="1.5" fill="{RULE}" fill-opacity="0.5"/><rect x="{num(x)}" y="{num(y)}" '
        f'width="{num(max(filled, 1.5))}" height="3" rx="1.5" fill="{colour}"/>'
    )


@dataclass(frozen=True)
class Chip:
    """A short tag in a row of tags: text, colour swatch and full text for the title."""

    text: str
    colour: str
    title: str
    kind: str = "chip"
    data: tuple[tuple[str, str], ...] = ()


CHIP_H = 20.0
CHIP_GAP = 5.0


def chip_rows(chips: Sequence[Chip], width: float) -> Block:
    """Tags laid out left to right, wrapping to new rows; each cut to the row's width."""
    parts: list[str] = []
    x = y = 0.0
    for chip in chips:
        label = fit(chip.text, NOTE_SIZE, width - 24)
        w = text_width(label, NOTE_SIZE) + 24
        if x > 0 and x + w > width:
            x, y = 0.0, y + CHIP_H + CHIP_GAP
        attrs = "".join(f' data-{k}="{esc(v)}"' for k, v in chip.data)
        parts.append(
            f'<g class="{chip.kind}"{attrs} transform="translate({num(x)},{num(y)})">'
            f"<title>{esc(chip.title)}</title>"
            f'<rect x="0.5" y="0.5" width="{num(w - 1)}" height="{num(CHIP_H - 1)}" rx="9.5" '
            f'fill="{tint(chip.colour)}" stroke="{chip.colour}" stroke-width="1.2"/>'
            f'<circle cx="10" cy="{num(CHIP_H / 2)}" r="4" fill="{chip.colour}" '
            f'stroke="{INK}" stroke-width="0.6"/>'
            + text_svg(label, 18, CHIP_H / 2 + 3.4, NOTE_SIZE, fill=INK)
            + "</g>"
        )
        x += w + CHIP_GAP
    height = y + CHIP_H if chips else 0.0
    return Block(height, "".join(parts))


def tint(colour: str, share: float = 0.14) -> str:
    """``colour`` (``#rrggbb``) mixed into white: ``share`` of the colour is kept."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in channels)


def note(
    text: str,
    width: float,
    *,
    size: float = NOTE_SIZE,
    fill: str = MUTED,
    lines: int = 2,
    bold: bool = False,
) -> Block:
    """Unboxed small text (hints, captions) with its full text as title."""
    body, bottom = paragraphs([Para(text, size, bold, fill, lines)], 0, 0, width)
    return Block(bottom, f'<g class="note"><title>{esc(text)}</title>{body}</g>')


def stack(blocks: Sequence[Block], gap: float) -> Block:
    """Blocks one under the other, ``gap`` apart, as one block."""
    parts: list[str] = []
    y = 0.0
    for index, block in enumerate(blocks):
        if index:
            y += gap
        parts.append(block.at(0, y))
        y += block.height
    return Block(y, "".join(parts))
