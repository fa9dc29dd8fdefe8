"""What a run gives to take away: single drawings, the executive report, the exports zip,
and table rows as plain JSON values."""

from __future__ import annotations

import datetime as dt
import io
import math
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from jornada.render.canvas import canvas_svg
from jornada.render.charts import CHARTS
from jornada.render.data import ReportData
from jornada.render.empathy import empathy_svg
from jornada.render.exports import write_exports
from jornada.render.report import render_report
from jornada.render.subway import subway_svg
from jornada.web.errors import Missing


def drawing(
    data: ReportData, name: str, *, level: str = "touchpoint", min_share: float = 0.0
) -> str:
    """One drawing by name: ``subway``, ``canvas``, ``chart-<chart>``, ``empathy-<persona>``."""
    if name == "subway":
        return subway_svg(data, level=level, min_share=min_share)
    if name == "canvas":
        return canvas_svg(data)
    if name.startswith("chart-") and name[6:] in CHARTS:
        return CHARTS[name[6:]](data)
    if name.startswith("empathy-") and data.journey is not None:
        persona = name[8:]
        if any(p.id == persona for p in data.journey.personas):
            return empathy_svg(data, persona)
    raise Missing("no_drawing", data.lang, name=name)


def report_html(data: ReportData) -> str:
    """The executive report for ``data`` (the same file ``jornada report`` writes)."""
    return render_report(data)


def exports_zip(data: ReportData) -> bytes:
    """Every export of ``data`` (SVG, PNG, Mermaid, worksheets, JSON) in one zip."""
    with tempfile.TemporaryDirectory(prefix="jornada-exports-") as tmp:
        folder = Path(tmp) / "exports"
        write_exports(data, folder)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def plain_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with JSON values only (dates as ISO text, decimals as numbers, NaN as null)."""
    return [{key: _plain(value) for key, value in row.items()} for row in rows]


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
