"""Everything a report shows, as files to reuse: SVG and PNG of each drawing, Mermaid of
the journey, the workshop worksheets (CSV and XLSX) and one JSON of all the numbers.

The workshop worksheets are what a journey-mapping session fills in: a map template with
the stages as columns and the canvas lanes as rows (pre-filled from the map when there is
one), and the ranked findings. Every text cell that a spreadsheet would run as a formula
(``= + - @``, tab, carriage return) starts with an apostrophe.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import resvg_py

from jornada.files import neutralise_formulas, staged_dir, write_csv, write_json
from jornada.i18n import t
from jornada.model.elements import Lang
from jornada.render.data import ReportData
from jornada.render.report import Drawings, drawings

LANES = (
    "goals", "touchpoints", "channels", "owners", "emotions", "pain_points",
    "moments_of_truth", "content", "messages", "kpis", "initiatives",
)  # fmt: skip
PNG_ZOOM = 2.0


def svg_png(svg: str, zoom: float = PNG_ZOOM) -> bytes:
    """``svg`` rasterised to PNG on white (no browser needed)."""
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, background="#ffffff", zoom=zoom))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "drawing"


def _stages(data: ReportData) -> list[tuple[str, str]]:
    """(id, label) of the stages in order: the map's, else the funnel's."""
    if data.journey is not None and data.journey.stages:
        return [(s.id, s.label(Lang(data.lang))) for s in data.journey.stages]
    rows = sorted(data.rows("funnel"), key=lambda r: r.get("position") or 0)
    return [(str(r["stage"]), str(r["stage"])) for r in rows]


def _names(items: Iterable[Any], lang: str) -> str:
    return "\n".join(item.label(Lang(lang)) for item in items)


def map_template(data: ReportData) -> pa.Table:
    """The stages × lanes worksheet: one row per lane, one column per stage."""
    lang, journey = data.lang, data.journey
    stages = _stages(data)
    columns: dict[str, list[str]] = {t("report.sheet.lane", lang): [
        t(f"report.lane.{lane}", lang) for lane in LANES]}  # fmt: skip
    for stage_id, label in stages:
        cells = []
        for lane in LANES:
            cells.append(_cell(data, lane, stage_id) if journey is not None else "")
        columns[label] = cells
    return pa.table(columns)


def _cell(data: ReportData, lane: str, stage_id: str) -> str:
    """What the map says for ``lane`` at ``stage_id``, one item per line."""
    journey, lang = data.journey, data.lang
    assert journey is not None
    touchpoints = [tp for tp in journey.touchpoints if tp.stage == stage_id]
    if lane == "goals":
        return "\n".join(journey.stage(stage_id).customer_goals)
    if lane == "touchpoints":
        return _names(touchpoints, lang)
    if lane == "channels":
        return "\n".join(sorted({f"{tp.channel} ({tp.channel_kind.value})" for tp in touchpoints}))
    if lane == "owners":
        owners = dict.fromkeys(tp.owner_bu for tp in touchpoints if tp.owner_bu)
        return "\n".join(data.name(bu) for bu in owners)
    if lane == "emotions":
        return "\n".join(
            e.target_feeling or e.observed_feeling or "" for e in journey.emotions
            if e.stage == stage_id and (e.target_feeling or e.observed_feeling)
        )  # fmt: skip
    if lane == "pain_points":
        return _names((p for p in journey.pain_points if p.stage == stage_id), lang)
    if lane == "moments_of_truth":
        return _names((m for m in journey.moments_of_truth if m.stage == stage_id), lang)
    if lane == "content":
        return _names((c for c in journey.content if stage_id in c.stages), lang)
    if lane == "messages":
        ids = {tp.id for tp in touchpoints}
        return _names((m for m in journey.messages if ids & set(m.touchpoints)), lang)
    if lane == "kpis":
        return "\n".join(
            f"{k.label(Lang(lang))}: {k.target:g} {k.unit or ''}".strip()
            for k in journey.kpis if k.stage == stage_id
        )  # fmt: skip
    # initiatives: those aimed at the stage's pain points or touchpoints
    pains = {p.id for p in journey.pain_points if p.stage == stage_id}
    ids = {tp.id for tp in touchpoints}
    return _names(
        (i for i in journey.initiatives if pains & set(i.pain_points) or ids & set(i.touchpoints)),
        lang,
    )


def findings_sheet(data: ReportData) -> pa.Table:
    """The ranked findings, one per row, evidence as JSON text."""
    lang = data.lang
    keys = ("rank", "kind", "subject", "stage", "score", "action", "evidence")
    rows = {t(f"report.sheet.{k}", lang): [] for k in keys}  # type: dict[str, list[Any]]
    for index, f in enumerate(data.findings, start=1):
        values = (
            int(f.get("rank", index)),
            t(f"cli.kind.{f.get('kind')}", lang),
            str(f.get("subject", "")),
            data.name(f["stage"]) if f.get("stage") else "",
            float(f.get("score", 0.0)),
            str(f.get("action", "")),
            json.dumps(f.get("evidence", {}), ensure_ascii=False, sort_keys=True),
        )
        for key, value in zip(rows, values, strict=True):
            rows[key].append(value)
    return pa.table(rows)


def write_xlsx(sheets: dict[str, pa.Table], path: Path) -> Path:
    """Write ``sheets`` (name → table) as one XLSX workbook, formulas neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for name, table in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        safe = neutralise_formulas(table)
        sheet.append(safe.column_names)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in safe.to_pylist():
            sheet.append(list(row.values()))
        for column in sheet.columns:
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = 28
            for cell in column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "B2"
    tmp = path.with_name(f".{path.name}.tmp")
    book.save(tmp)
    tmp.replace(path)
    return path


def _everything(data: ReportData) -> dict[str, Any]:
    from jornada.model.io import to_data

    return {
        "lang": data.lang,
        "summary": data.summary,
        "findings": data.findings,
        "filters": data.filters,
        "imports": data.imports,
        "lint": data.lint,
        "map": to_data(data.journey) if data.journey is not None else None,
        "tables": {name: table.to_pylist() for name, table in data.tables.items()},
    }


def write_exports(data: ReportData, folder: Path, art: Drawings | None = None) -> list[Path]:
    """Write every export into ``folder``; the files appear only once all are written."""
    from jornada.render.mermaid import journey_mermaid

    art = art or drawings(data)
    lang = data.lang
    named: dict[str, str] = {"subway": art.subway, "subway-stages": art.subway_stages,
                             "canvas": art.canvas}  # fmt: skip
    named.update({f"chart-{_slug(k)}": v for k, v in art.charts.items()})
    named.update({f"empathy-{_slug(k)}": v for k, v in art.empathy.items()})
    folder = Path(folder)
    with staged_dir(folder) as tmp:
        for name, svg in named.items():
            (tmp / f"{name}.svg").write_text(svg, encoding="utf-8")
            (tmp / f"{name}.png").write_bytes(svg_png(svg))
        (tmp / "journey.mmd").write_text(journey_mermaid(data, level="stage"), encoding="utf-8")
        (tmp / "journey-touchpoints.mmd").write_text(
            journey_mermaid(data, level="touchpoint"), encoding="utf-8"
        )
        template, findings = map_template(data), findings_sheet(data)
        write_csv(template, tmp / "map-template.csv")
        write_csv(findings, tmp / "findings.csv")
        write_xlsx(
            {
                t("report.sheet.template", lang): template,
                t("report.sheet.findings", lang): findings,
            },
            tmp / "workshop.xlsx",
        )
        write_json(_everything(data), tmp / "report.json")
        names = sorted(p.name for p in tmp.iterdir())
    return [folder / name for name in names]
