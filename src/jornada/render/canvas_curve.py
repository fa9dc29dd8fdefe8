"""The experience curve: observed emotion against the map's target across the stages.

The curve lives in the top of the experience lane's cells (each keeps :data:`CHART_H`
free for it); values run from -2 (very negative) to +2 (very positive). Measured points
are filled, the map's own estimates hollow and joined by a dotted line; a pale bar shows
the gap to the target (red below it, green above it) and a red ring a low point the
emotion analysis found.
"""

from __future__ import annotations

from jornada.render.canvas_blocks import NOTE_SIZE, num, text_svg
from jornada.render.canvas_observed import CHART_H, Feeling
from jornada.render.style import FRICTION, GOOD, INK, MUTED, PAPER, RULE, TARGET

OBSERVED_STYLE = f'stroke="{INK}" stroke-width="2.2" stroke-linejoin="round" class="observed"'
ESTIMATE_STYLE = f'stroke="{INK}" stroke-width="1.6" stroke-dasharray="1.5 3" class="estimate"'
TARGET_STYLE = (
    f'stroke="{TARGET}" stroke-width="1.6" stroke-dasharray="6 4" stroke-linejoin="round" '
    'class="target"'
)


def target_mark(x: float, y: float) -> str:
    """A hollow diamond on the target line."""
    return (
        f'<path d="M{num(x)} {num(y - 4.5)} L{num(x + 4.5)} {num(y)} L{num(x)} {num(y + 4.5)} '
        f'L{num(x - 4.5)} {num(y)} Z" fill="{PAPER}" stroke="{TARGET}" stroke-width="1.5" '
        'class="target-point"/>'
    )


def gap_bar(x: float, observed_y: float, target_y: float) -> str:
    """A broad, pale bar from the observed emotion to the target: red below it, green
    above it, nothing when they meet."""
    if abs(observed_y - target_y) < 1.5:
        return ""
    colour = FRICTION if observed_y > target_y else GOOD
    return (
        f'<line x1="{num(x)}" y1="{num(observed_y)}" x2="{num(x)}" y2="{num(target_y)}" '
        f'stroke="{colour}" stroke-width="10" stroke-opacity="0.32" class="gap"/>'
    )


def observed_mark(x: float, y: float, measured: bool, low: bool) -> str:
    """A dot on the observed line: filled when measured, hollow for the map's estimate,
    ringed in red at a low point the data found."""
    ring = (
        f'<circle cx="{num(x)}" cy="{num(y)}" r="8.5" fill="none" stroke="{FRICTION}" '
        'stroke-width="2" class="low-point"/>'
        if low
        else ""
    )
    fill = INK if measured else PAPER
    kind = "measured" if measured else "estimate"
    return ring + (
        f'<circle cx="{num(x)}" cy="{num(y)}" r="4.5" fill="{fill}" stroke="{INK}" '
        f'stroke-width="1.6" class="observed-point {kind}"/>'
    )


def value_y(top: float, value: float) -> float:
    """The y of an emotion value (-2..+2) in the experience chart starting at ``top``."""
    return top + 10 + (2 - value) / 4 * (CHART_H - 20)


def curve(
    centre: dict[str, float], x0: float, x1: float, top: float, points: dict[str, Feeling]
) -> str:
    """Gridlines from ``x0`` to ``x1``, the gap bars, the target line (dashed) and the
    observed line through the stage centres ``centre`` (in stage order)."""
    parts = ['<g class="curve">']
    for value in (-2, -1, 0, 1, 2):
        y = value_y(top, value)
        colour, width = (MUTED, 1.0) if value == 0 else (RULE, 0.8)
        parts.append(
            f'<line x1="{num(x0)}" y1="{num(y)}" x2="{num(x1)}" y2="{num(y)}" '
            f'stroke="{colour}" stroke-width="{width}" stroke-dasharray="2 3"/>'
        )
    order = list(centre)
    parts += [
        gap_bar(centre[s], value_y(top, p.observed), value_y(top, p.target))
        for s, p in points.items()
        if p.observed is not None and p.target is not None
    ]
    parts += _series(order, centre, top, {s: p.target for s, p in points.items()}, TARGET_STYLE)
    parts += _observed_segments(order, centre, top, points)
    for stage in order:
        point = points[stage]
        x = centre[stage]
        if point.target is not None:
            parts.append(target_mark(x, value_y(top, point.target)))
        if point.observed is not None:
            y = value_y(top, point.observed)
            parts.append(observed_mark(x, y, point.measured, point.low))
    parts.append("</g>")
    return "".join(parts)


def _series(
    order: list[str],
    centre: dict[str, float],
    top: float,
    values: dict[str, float | None],
    style: str,
) -> list[str]:
    """Polylines through consecutive stages that have a value (a gap breaks the line)."""
    runs: list[list[str]] = [[]]
    for stage in order:
        value = values.get(stage)
        if value is None:
            runs.append([])
            continue
        runs[-1].append(f"{num(centre[stage])},{num(value_y(top, value))}")
    return [f'<polyline points="{" ".join(r)}" fill="none" {style}/>' for r in runs if len(r) > 1]


def _observed_segments(
    order: list[str], centre: dict[str, float], top: float, points: dict[str, Feeling]
) -> list[str]:
    """The observed line between neighbouring stages: solid where both ends are measured,
    dotted where one end is only the map's estimate."""
    parts = []
    for left, right in zip(order, order[1:], strict=False):
        a, b = points[left], points[right]
        if a.observed is None or b.observed is None:
            continue
        style = OBSERVED_STYLE if a.measured and b.measured else ESTIMATE_STYLE
        parts.append(
            f'<line x1="{num(centre[left])}" y1="{num(value_y(top, a.observed))}" '
            f'x2="{num(centre[right])}" y2="{num(value_y(top, b.observed))}" {style}/>'
        )
    return parts


def axis(x_right: float, top: float) -> str:
    """The scale's values, right-aligned at ``x_right``."""
    parts = []
    for value in (2, 1, 0, -1, -2):
        label = f"+{value}" if value > 0 else ("−" + str(-value) if value < 0 else "0")
        y = value_y(top, value) + 3.3
        parts.append(text_svg(label, x_right, y, NOTE_SIZE, fill=MUTED, anchor="end"))
    return "".join(parts)
