"""The map's KPIs against what the data measured.

A KPI's actual value comes from the map when someone typed it in, else from the analysis
when its metric is one the data can measure at that stage:

- ``win_rate``: the share of decided journeys that were won (``summary.win_rate``);
- ``stage_conversion`` at a stage: the share of journeys reaching the stage that went on to
  a later one (``funnel.conversion_to_later``);
- ``time_in_stage`` at a stage: the median days spent in it (``stage_time.median_days``);
- ``backtracking_rate``: the share of stage changes that go back;
- ``online_share``: the share of touches on online channels.

Other metrics (a ``conversion_rate`` of visits into leads, NPS, CSAT, renewal rate, …) mean
something the journey tables cannot count, so they show their target with "no measure"
until the map carries an actual value: a wrong "met" is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass

from jornada.model.elements import Kpi, KpiDirection
from jornada.render.data import ReportData

PERCENT_UNITS = {"%", "percent", "pct"}


@dataclass(frozen=True)
class KpiStatus:
    """A KPI with its actual value, where that value came from, and whether it is met."""

    kpi: Kpi
    actual: float | None
    source: str  # "map", "data" or "none"
    met: bool | None


def _measured(data: ReportData, kpi: Kpi) -> float | None:
    """The data's value for ``kpi`` in the KPI's unit, or None when not measurable."""
    percent = (kpi.unit or "").strip().lower() in PERCENT_UNITS
    scale = 100.0 if percent else 1.0
    metric = kpi.metric.strip().lower()
    if metric == "win_rate":
        rate = data.summary.get("win_rate")
        return None if rate is None else float(rate) * scale
    if metric in ("backtracking_rate", "online_share"):
        value = data.summary.get(metric)
        return None if value is None else float(value) * scale
    if metric == "stage_conversion" and kpi.stage is not None:
        for row in data.rows("funnel"):
            if row.get("stage") == kpi.stage and row.get("conversion_to_later") is not None:
                return float(row["conversion_to_later"]) * scale
    if metric == "time_in_stage" and kpi.stage is not None:
        for row in data.rows("stage_time"):
            if row.get("stage") == kpi.stage and row.get("median_days") is not None:
                return float(row["median_days"])
    return None


def kpi_statuses(data: ReportData) -> list[KpiStatus]:
    """Every KPI of the map, in map order, with its actual value and verdict."""
    if data.journey is None:
        return []
    out = []
    for kpi in data.journey.kpis:
        actual: float | None
        if kpi.actual is not None:
            actual, source = kpi.actual, "map"
        else:
            actual = _measured(data, kpi)
            source = "data" if actual is not None else "none"
        met = None
        if actual is not None:
            if kpi.direction is KpiDirection.increase:
                met = actual >= kpi.target
            else:
                met = actual <= kpi.target
        out.append(KpiStatus(kpi, actual, source, met))
    return out
