"""Text in drawings: escaping, measured widths, fitting labels into the room they have.

Drawings are laid out in Python before any browser sees them, so label widths are
estimated from the advance widths of DejaVu Sans (the font Debian's Chromium falls back
to and the first one our drawings ask for). The estimate errs wide, so a label that fits
here fits on screen; the browser tests check the real bounding boxes.
"""

from __future__ import annotations

import html
import unicodedata

# Advance widths (per 1000 units of font size) of the printable ASCII characters
# 32..126 in DejaVu Sans and DejaVu Sans Bold.
_REGULAR = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 "
    "636 636 636 636 337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 "
    "557 863 748 787 603 787 695 635 611 732 684 989 685 611 685 390 337 390 838 500 500 613 "
    "635 550 635 615 352 635 634 278 278 579 278 974 634 612 635 635 411 521 392 634 592 818 "
    "592 592 525 636 337 636 838"
)
_BOLD = (
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 "
    "696 696 696 696 400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 "
    "637 995 837 850 733 850 770 720 682 812 774 1103 771 724 725 457 365 457 838 500 500 675 "
    "716 593 716 678 435 716 712 343 343 665 343 1042 712 687 716 716 493 595 478 712 652 924 "
    "645 652 582 712 365 712 838"
)
_WIDTHS = {
    False: tuple(int(w) for w in _REGULAR.split()),
    True: tuple(int(w) for w in _BOLD.split()),
}
# Room left for hinting and for fonts a little wider than DejaVu Sans.
_SAFETY = 1.06

FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"
ELLIPSIS = "…"


def esc(value: object) -> str:
    """``value`` as text safe inside SVG/HTML elements and attribute values."""
    return html.escape(str(value), quote=True)


def _char_width(char: str, bold: bool) -> int:
    code = ord(char)
    if 32 <= code <= 126:
        return _WIDTHS[bold][code - 32]
    if unicodedata.combining(char):
        return 0
    base = unicodedata.normalize("NFKD", char)[:1]
    if base and base != char and 32 <= ord(base) <= 126:
        return _WIDTHS[bold][ord(base) - 32]
    if unicodedata.east_asian_width(char) in ("W", "F") or code > 0xFFFF:
        return 1000 if not bold else 1050  # CJK and emoji take a full em (or more)
    return 700 if not bold else 760


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The estimated rendered width of ``text`` at ``size`` px (errs wide)."""
    units = sum(_char_width(c, bold) for c in text)
    return units * size / 1000 * _SAFETY


def fit(text: str, size: float, width: float, *, bold: bool = False) -> str:
    """``text`` cut with an ellipsis so that it fits in ``width`` px at ``size`` px."""
    if text_width(text, size, bold=bold) <= width:
        return text
    room = width - text_width(ELLIPSIS, size, bold=bold)
    used = 0.0
    kept: list[str] = []
    for char in text:
        used += _char_width(char, bold) * size / 1000 * _SAFETY
        if used > room:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ELLIPSIS if kept else ""


def wrap(text: str, size: float, width: float, *, lines: int = 2, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines of ``width`` px; the last is cut."""
    words = text.split()
    if lines <= 1:
        return [fit(" ".join(words), size, width, bold=bold)] if words else []
    out: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= width or not current:
            current = candidate
            continue
        out.append(current)
        current = word
        if len(out) == lines - 1:
            current = " ".join(words[index:])
            break
    if current:
        out.append(current)
    out = out[:lines]
    return [fit(line, size, width, bold=bold) for line in out]
