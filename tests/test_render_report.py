"""The executive report and the exports: self-contained, translated, escaped, and laid out
without overlapping labels in a real Chromium."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jornada.i18n import LANGS, catalogue
from jornada.model import JourneyMap, loads_map
from jornada.model.io import to_data
from jornada.render.data import ReportData, load
from jornada.render.exports import write_exports
from jornada.render.report import drawings, render_report
from tests.utils.browser import overlapping, screenshot, text_boxes
from tests.utils.maps import MINIMAL_YAML
from tests.utils.report import demo_report

TEMPLATE = Path(__file__).parents[1] / "src" / "jornada" / "render" / "templates"
HOSTILE = '<script>alert(\'x\')</script> & "Ação" 🚀 =HYPERLINK("http://evil") ' + "é" * 150
FORMULA = "=1+2"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from jornada.cli import main; main()", *args], cwd=cwd,
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600,
    )  # fmt: skip


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ReportData]:
    """The same demo world analysed once per language."""
    out = {}
    for lang in LANGS:
        out[lang] = demo_report(tmp_path_factory.mktemp(f"report-{lang}"), lang=lang)
    return out


def _hostile_map(journey: JourneyMap) -> JourneyMap:
    data = to_data(journey)
    data["name"] = HOSTILE
    data["labels"] = {}
    data["touchpoints"][0]["name"] = HOSTILE
    data["touchpoints"][0]["labels"] = {}
    data["business_units"][0]["name"] = FORMULA
    data["business_units"][0]["labels"] = {}
    data["kpis"][0]["name"] = "@SUM(A1:A9)"
    data["kpis"][0]["labels"] = {}
    return JourneyMap.model_validate(data)


def test_report_is_self_contained_and_has_every_section(reports: dict[str, ReportData]) -> None:
    html = render_report(reports["en"])
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    for section in ("summary", "findings", "subway", "canvas", "charts", "empathy", "units",
                    "lint", "quality"):  # fmt: skip
        assert f'<section id="{section}">' in html, section
    # Nothing is fetched: no scripts, no stylesheets, no remote images or fonts.
    assert not re.search(r"<script|<link|<iframe|@import|\bsrc=|url\(", html, re.I)
    assert not re.search(r"""(?:href|src)=["']?https?:""", html, re.I)
    # The top findings are there with their actions.
    top = reports["en"].findings[0]
    assert top["action"].split(":")[0][:40] in html.replace("&#39;", "'")
    # Every business unit of the map has its page.
    assert reports["en"].journey is not None
    for unit in reports["en"].journey.business_units:
        assert f'id="unit-{unit.id}"' in html


def test_template_keys_exist_in_every_catalogue() -> None:
    text = (TEMPLATE / "report.html.j2").read_text(encoding="utf-8")
    keys = set(re.findall(r"""tr\(["']([a-z_.]+)["']""", text))
    assert len(keys) > 40
    for lang in LANGS:
        missing = {k for k in keys if k not in catalogue(lang, "report")}
        assert not missing, (lang, missing)


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_report_has_no_untranslated_text(reports: dict[str, ReportData], lang: str) -> None:
    html = render_report(reports[lang])
    # No catalogue key leaked (a key is what t() returns when a text is missing).
    leaked = re.findall(r"\b(?:report|charts|subway|canvas|cli)\.[a-z_]+(?:\.[a-z_]+)?\b", html)
    assert not leaked, leaked[:5]
    english = render_report(reports["en"])
    assert f'<html lang="{lang}">' in html
    # Every report catalogue text that differs between the languages appears only in its own.
    for key, text in catalogue("en", "report").items():
        own = catalogue(lang, "report")[key]
        if "{" in text or own == text or len(text) < 12:
            continue
        if text in english:
            assert text not in html, (lang, key, text)
    # Numbers are written the language's way (decimal comma).
    assert re.search(r"\d+,\d\s?%", html)


def test_hostile_names_are_escaped_in_report_and_exports(
    reports: dict[str, ReportData], tmp_path: Path
) -> None:
    base = reports["en"]
    assert base.journey is not None
    data = ReportData(**{**base.__dict__, "journey": _hostile_map(base.journey)})
    html = render_report(data)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    files = write_exports(data, tmp_path / "x")
    names = {p.name for p in files}
    assert {"workshop.xlsx", "map-template.csv", "findings.csv", "report.json",
            "journey.mmd", "subway.svg", "subway.png", "canvas.svg"} <= names  # fmt: skip
    for svg in (tmp_path / "x").glob("*.svg"):
        assert "<script" not in svg.read_text(encoding="utf-8"), svg.name
    # Spreadsheet cells never start with a formula character.
    with (tmp_path / "x" / "map-template.csv").open(encoding="utf-8") as handle:
        cells = [c for row in csv.reader(handle) for c in row]
    assert any(c.startswith("'=") for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    book = load_workbook(tmp_path / "x" / "workshop.xlsx")
    values = [c.value for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert not [v for v in values if isinstance(v, str) and v[:1] in ("=", "+", "-", "@")]
    assert any(isinstance(v, str) and v.startswith("'=1+2") for v in values)
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in files if p.suffix == ".png")


def test_exports_hold_the_numbers_of_the_analysis(
    reports: dict[str, ReportData], tmp_path: Path
) -> None:
    data = reports["es"]
    write_exports(data, tmp_path / "e")
    everything = json.loads((tmp_path / "e" / "report.json").read_text(encoding="utf-8"))
    assert everything["summary"]["events"] == data.summary["events"]
    assert len(everything["tables"]["transitions"]) == data.table("transitions").num_rows
    book = load_workbook(tmp_path / "e" / "workshop.xlsx")
    assert book.sheetnames == ["Plantilla del mapa", "Hallazgos"]
    template = book["Plantilla del mapa"]
    assert data.journey is not None
    header = [c.value for c in template[1]]
    assert header[1:] == [s.label("es") for s in data.journey.stages]
    assert template.max_row == 12  # header + 11 lanes
    findings = book["Hallazgos"]
    assert findings.max_row == len(data.findings) + 1
    mermaid = (tmp_path / "e" / "journey.mmd").read_text(encoding="utf-8")
    assert mermaid.startswith("flowchart")


def test_report_without_a_map_and_with_a_minimal_map(
    reports: dict[str, ReportData], tmp_path: Path
) -> None:
    base = reports["en"]
    bare = ReportData(**{**base.__dict__, "journey": None, "lint": []})
    html = render_report(bare)
    assert "Customer journey (no map)" in html and "No map was given" in html
    minimal = ReportData(**{**base.__dict__, "journey": loads_map(MINIMAL_YAML)})
    assert '<section id="canvas">' in render_report(minimal)
    write_exports(minimal, tmp_path / "m")
    assert (tmp_path / "m" / "workshop.xlsx").is_file()


def test_report_command_on_files_writes_report_and_exports(tmp_path: Path) -> None:
    world = _run("demo-data", "--events", "6000", "--seed", "5", "--out", "w", cwd=tmp_path)
    assert world.returncode == 0, world.stderr
    result = _run("report", "w", "--lang", "pt", "--out", "out/relatorio.html",
                  "--exports", "out/arquivos", "--outcome", "won", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "relatorio.html").read_text(encoding="utf-8")
    assert "Somente jornadas com" in html and "resultado = won" in html
    assert (tmp_path / "out" / "arquivos" / "workshop.xlsx").is_file()
    assert "out/relatorio.html" in result.stdout


def test_report_command_refuses_bad_input_in_one_line(tmp_path: Path) -> None:
    result = _run("report", "--lang", "es", cwd=tmp_path)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert not (tmp_path / "jornada-report.html").exists()


def _open(page: Any, html: str, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri())
    return path


@pytest.mark.parametrize("lang", LANGS)
def test_report_in_chromium_has_no_overlapping_labels(
    reports: dict[str, ReportData], page: Any, tmp_path: Path, lang: str
) -> None:
    data = reports[lang]
    art = drawings(data)
    _open(page, render_report(data, art=art), tmp_path, f"report-{lang}")
    svgs = page.evaluate("document.querySelectorAll('svg').length")
    assert svgs >= 8
    boxes = text_boxes(page)
    assert len(boxes) > 100
    assert overlapping(boxes) == []
    screenshot(page, f"report-{lang}")
    # It prints: A4 and Letter both give a PDF with several pages.
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=True)
        assert pdf[:5] == b"%PDF-"
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 5


def test_hostile_report_in_chromium(reports: dict[str, ReportData], page: Any,
                                    tmp_path: Path) -> None:  # fmt: skip
    base = reports["en"]
    assert base.journey is not None
    data = ReportData(**{**base.__dict__, "journey": _hostile_map(base.journey)})
    _open(page, render_report(data), tmp_path, "hostile")
    assert page.evaluate("typeof window.alertCalled") == "undefined"
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    assert overlapping(text_boxes(page)) == []
    screenshot(page, "report-hostile")


def test_analysis_folder_loads_back(reports: dict[str, ReportData], tmp_path: Path) -> None:
    from jornada.files import write_json, write_parquet

    data = reports["en"]
    for name, table in data.tables.items():
        write_parquet(table, tmp_path / f"{name}.parquet")
    write_json(data.summary, tmp_path / "summary.json")
    write_json({"findings": data.findings}, tmp_path / "findings.json")
    again = load(tmp_path, data.journey, "en")
    assert set(again.tables) == set(data.tables)
    assert again.findings == data.findings
    assert render_report(again, art=drawings(data)).count("<svg") == render_report(
        data, art=drawings(data)
    ).count("<svg")
