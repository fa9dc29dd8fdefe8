"""Small signs drawn at the left of canvas entries (10 x 10 px at the origin).

Each sign pairs a shape with a colour, so it still reads printed in grey; the canvas
legend draws the same signs with their meaning.
"""

from __future__ import annotations

import math

from jornada.model.elements import InitiativeStatus, Severity
from jornada.render.style import (
    CHANNEL_COLOURS,
    CRITICAL,
    FRICTION,
    GOOD,
    INK,
    MUTED,
    PAPER,
    RULE,
    TARGET,
)

SEVERITY_COLOURS = {Severity.low: MUTED, Severity.medium: CRITICAL, Severity.high: FRICTION}
STATUS_COLOURS = {
    InitiativeStatus.idea: MUTED,
    InitiativeStatus.planned: TARGET,
    InitiativeStatus.in_progress: "#0072b2",
    InitiativeStatus.done: GOOD,
    InitiativeStatus.dropped: RULE,
}
UNMAPPED_FILL = "#fff4dc"
UNMAPPED_STROKE = CRITICAL
FRICTION_FILL = "#fdeceb"


def channel(kind: str) -> str:
    """A dot in the colour of the channel kind (online, personal, physical)."""
    colour = CHANNEL_COLOURS.get(kind, CHANNEL_COLOURS["unknown"])
    return f'<circle cx="5" cy="5" r="4.2" fill="{colour}"/>'


def severity(level: Severity) -> str:
    """One, two or three rising bars: low, medium, high."""
    filled = {Severity.low: 1, Severity.medium: 2, Severity.high: 3}[level]
    colour = SEVERITY_COLOURS[level]
    bars = []
    for index in range(3):
        height = 4 + 3 * index
        fill = colour if index < filled else RULE
        bars.append(
            f'<rect x="{index * 3.6:.1f}" y="{10 - height}" width="2.6" height="{height}" '
            f'fill="{fill}"/>'
        )
    return "".join(bars)


def friction() -> str:
    """A warning triangle: friction measured in the data."""
    return (
        f'<path d="M5 0.5 L10 9.5 L0 9.5 Z" fill="{FRICTION}"/>'
        f'<rect x="4.4" y="3.4" width="1.2" height="3.3" fill="{PAPER}"/>'
        f'<rect x="4.4" y="7.4" width="1.2" height="1.2" fill="{PAPER}"/>'
    )


def star(colour: str = TARGET) -> str:
    """A five-pointed star: a moment of truth."""
    points = []
    for index in range(10):
        radius = 5.2 if index % 2 == 0 else 2.2
        angle = math.pi / 2 + index * math.pi / 5
        points.append(f"{5 + radius * math.cos(angle):.2f},{5.4 - radius * math.sin(angle):.2f}")
    return f'<polygon points="{" ".join(points)}" fill="{colour}"/>'


def document(colour: str = MUTED) -> str:
    """A page with a folded corner: a content asset."""
    return (
        f'<path d="M1.5 0.5 H6.5 L9 3 V10 H1.5 Z" fill="{PAPER}" stroke="{colour}" '
        f'stroke-width="1.1"/><path d="M6.5 0.5 V3 H9" fill="none" stroke="{colour}" '
        f'stroke-width="1.1"/>'
    )


def envelope(colour: str = MUTED) -> str:
    """An envelope: a message of the message map."""
    return (
        f'<rect x="0.5" y="1.5" width="9.5" height="7" fill="{PAPER}" stroke="{colour}" '
        f'stroke-width="1.1"/><path d="M0.8 2 L5.25 5.6 L9.7 2" fill="none" '
        f'stroke="{colour}" stroke-width="1.1"/>'
    )


def kpi(met: bool | None) -> str:
    """A target: filled green when met, red when missed, hollow grey with no measure."""
    if met is None:
        return f'<circle cx="5" cy="5" r="4" fill="{PAPER}" stroke="{MUTED}" stroke-width="1.4"/>'
    colour = GOOD if met else FRICTION
    return (
        f'<circle cx="5" cy="5" r="4.6" fill="{colour}"/>'
        f'<circle cx="5" cy="5" r="1.7" fill="{PAPER}"/>'
    )


def progress(status: InitiativeStatus, share: float) -> str:
    """A ring in the status colour, filled like a pie to the initiative's progress."""
    colour = STATUS_COLOURS[status]
    ring = f'<circle cx="5" cy="5" r="4.5" fill="{PAPER}" stroke="{colour}" stroke-width="1.3"/>'
    share = min(max(share, 0.0), 1.0)
    if share >= 0.999:
        return ring + f'<circle cx="5" cy="5" r="3.2" fill="{colour}"/>'
    if share <= 0.001:
        return ring
    angle = 2 * math.pi * share
    x, y = 5 + 3.2 * math.sin(angle), 5 - 3.2 * math.cos(angle)
    large = 1 if share > 0.5 else 0
    wedge = f'<path d="M5 5 L5 1.8 A3.2 3.2 0 {large} 1 {x:.2f} {y:.2f} Z" fill="{colour}"/>'
    return ring + wedge


def bullet() -> str:
    """A small dot before a customer goal."""
    return f'<circle cx="4" cy="5.5" r="2.2" fill="{INK}"/>'
