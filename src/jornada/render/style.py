"""The look every drawing shares: colours, type sizes, strokes.

Colours come from the Okabe-Ito palette (safe for colour-blind readers), so channel kinds
and business units stay apart on screen, on a projector and printed in grey.
"""

from __future__ import annotations

from collections.abc import Iterable

INK = "#1f2933"  # text
MUTED = "#616e7c"  # secondary text, axes
RULE = "#cbd2d9"  # grid lines, frames
PAPER = "#ffffff"
PANEL = "#f5f7fa"  # column and lane backgrounds
PRE_PURCHASE = "#eef2f7"
POST_PURCHASE = "#eef7f1"

# How a touchpoint reaches the customer.
CHANNEL_COLOURS = {
    "online": "#0072b2",
    "personal": "#d55e00",
    "physical": "#009e73",
    "unknown": "#8a8a8a",
}
# Signals on stations and bars.
BACKWARD = "#cc3311"  # flows that go back to an earlier stage
CRITICAL = "#e69f00"
FRICTION = "#cc3311"
GOOD = "#117733"
TARGET = "#332288"

# Business units, in the order the map lists them (cycled past eight).
_BU_PALETTE = (
    "#0072b2", "#e69f00", "#009e73", "#cc79a7",
    "#56b4e9", "#d55e00", "#f0e442", "#000000",
)  # fmt: skip

TITLE_SIZE = 18
LABEL_SIZE = 12
SMALL_SIZE = 10


def bu_colours(unit_ids: Iterable[str]) -> dict[str, str]:
    """A stable colour per business unit id, in the given order."""
    return {uid: _BU_PALETTE[i % len(_BU_PALETTE)] for i, uid in enumerate(unit_ids)}
