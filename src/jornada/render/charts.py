"""The report's charts as small, hand-made SVG: direct labels, few lines, no chart junk.

Each function takes a :class:`~jornada.render.data.ReportData` and returns a standalone
SVG string; when its table is empty or absent it returns a small drawing that says so.
Names come from the map in the report's language, numbers are written the way that
language writes them, and labels are placed so that no two overlap. Bars, points and
ribbons carry their numbers as ``data-*`` attributes, so tests and exports can read them.
"""

from __future__ import annotations

from collections.abc import Callable

from jornada.render.chart.content import content_heatmap_svg
from jornada.render.chart.effects import coverage_svg, critical_bars_svg
from jornada.render.chart.emotion import emotion_curve_svg
from jornada.render.chart.flows import sankey_svg
from jornada.render.chart.stages import channel_mix_svg, funnel_svg, stage_time_svg
from jornada.render.data import ReportData

__all__ = [
    "CHARTS",
    "channel_mix_svg",
    "charts",
    "content_heatmap_svg",
    "coverage_svg",
    "critical_bars_svg",
    "emotion_curve_svg",
    "funnel_svg",
    "sankey_svg",
    "stage_time_svg",
]

CHARTS: dict[str, Callable[[ReportData], str]] = {
    "funnel": funnel_svg,
    "stage_time": stage_time_svg,
    "channel_mix": channel_mix_svg,
    "content_heatmap": content_heatmap_svg,
    "critical_bars": critical_bars_svg,
    "coverage": coverage_svg,
    "emotion_curve": emotion_curve_svg,
    "sankey": sankey_svg,
}
"""Every chart by the name the report and the exports use for it, in reading order."""


def charts(data: ReportData) -> dict[str, str]:
    """Every chart of the report by name, as standalone SVG (for the report and exports)."""
    return {name: draw(data) for name, draw in CHARTS.items()}
