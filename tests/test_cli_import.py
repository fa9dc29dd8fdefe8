"""`jornada import` and `jornada analyze` on export files, good and bad."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.test_cli import assert_one_line_error, run

EVENTS_ES = """\
Fecha;Cuenta;Contacto;Actividad;Canal;Etapa;Monto
03/02/2025 09:15;ACME;ana@acme.test;Webinar asistido;webinar;Consideración;
14/02/2025 10:00;ACME;ana@acme.test;Demo del producto;reunión;Evaluación;
20/02/2025 11:30;ACME;luis@acme.test;Precios vistos;web;Consideración;
28/02/2025 16:45;ACME;luis@acme.test;Propuesta enviada;email;Compra;"12.500,50"
05/03/2025 08:00;BETA;eva@beta.test;Webinar asistido;webinar;Consideración;
31/02/2025 08:00;BETA;eva@beta.test;Demo del producto;reunión;Evaluación;
07/03/2025 08:00;;eva@beta.test;;web;Evaluación;
"""


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_import_reports_every_row_and_writes_rejects(tmp_path: Path) -> None:
    _write(tmp_path / "eventos.csv", EVENTS_ES, "cp1252")
    result = run("import", "eventos.csv", "--workspace", "ws.duckdb", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "7 rows read, 5 loaded, 2 rejected, 0 duplicates skipped" in result.stdout
    rejected = list(csv.DictReader((tmp_path / "rejected" / "eventos.csv.rejected.csv").open()))
    assert [(r["row"], r["reason"].split(":")[0]) for r in rejected] == [
        ("6", "unparseable timestamp"),
        ("7", "missing activity"),
    ]
    con = duckdb.connect(str(tmp_path / "ws.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT activity, stage, amount, strftime(timestamp, '%Y-%m-%d %H:%M') FROM events "
        "ORDER BY timestamp"
    ).fetchall()
    assert rows[0] == ("Webinar asistido", "Consideración", None, "2025-02-03 09:15")
    assert rows[3][2] == pytest.approx(12500.50)


def test_reimport_changes_nothing(tmp_path: Path) -> None:
    _write(tmp_path / "events.csv", EVENTS_ES)
    first = run("import", "events.csv", "-w", "ws.duckdb", cwd=tmp_path)
    again = run("import", "events.csv", "-w", "ws.duckdb", cwd=tmp_path)
    assert first.returncode == again.returncode == 0
    assert "already imported" in again.stdout
    _write(tmp_path / "copy.csv", EVENTS_ES + "\n")
    copy = run("import", "copy.csv", "--kind", "events", "-w", "ws.duckdb", cwd=tmp_path)
    assert "7 rows read, 0 loaded, 2 rejected, 5 duplicates skipped" in copy.stdout
    con = duckdb.connect(str(tmp_path / "ws.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM events").fetchone() == (5,)


def test_missing_required_column_is_one_line_and_loads_nothing(tmp_path: Path) -> None:
    _write(tmp_path / "events.csv", "Cuenta;Actividad\nACME;Webinar\n")
    result = run("import", "events.csv", "-w", "ws.duckdb", cwd=tmp_path)
    assert_one_line_error(result, "events.csv: no column for timestamp")
    con = duckdb.connect(str(tmp_path / "ws.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM events").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM imports").fetchone() == (0,)


def test_pseudonymize_hashes_personal_fields(tmp_path: Path) -> None:
    _write(tmp_path / "contacts.csv", "id,email,firstname,company\nc1,ana@acme.test,Ana,ACME\n")
    result = run("import", "contacts.csv", "--pseudonymize", "-w", "ws.duckdb", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(tmp_path / "ws.duckdb"), read_only=True)
    email, name, account = con.execute(
        "SELECT email, first_name, account_id FROM contacts"
    ).fetchone()
    assert "ana" not in email.lower() and len(email) == 20 and name != "Ana"
    assert account == "ACME"


def test_analyze_files_directly_with_stages_and_conversion(tmp_path: Path) -> None:
    _write(tmp_path / "events.csv", EVENTS_ES)
    result = run(
        "analyze", "events.csv", "--stages", "Consideración,Evaluación,Compra",
        "--conversion", "Propuesta enviada", "--out", "out", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["cases"] == 2 and summary["won"] == 1 and summary["win_rate"] == 0.5
    assert summary["stage_changes"] == 3 and summary["backward_changes"] == 1
    flows = list(csv.DictReader((tmp_path / "out" / "transitions.csv").open()))
    back = [f for f in flows if f["level"] == "stage" and f["backward"] == "true"]
    assert [(f["source"], f["target"]) for f in back] == [("Evaluación", "Consideración")]
    assert (tmp_path / "out" / "rejected" / "events.csv.rejected.csv").is_file()
    paths = {
        r["variant"]: r["cases"]
        for r in csv.DictReader((tmp_path / "out" / "stage_variants.csv").open())
    }
    assert paths == {
        "Consideración > Evaluación > Consideración > Compra": "1",
        "Consideración": "1",
    }
    funnel = {r["stage"]: r for r in csv.DictReader((tmp_path / "out" / "funnel.csv").open())}
    assert funnel["Consideración"]["revisited"] == "1" and funnel["Compra"]["cases_reached"] == "1"


def test_analyze_with_a_map_lists_unmapped_activities(tmp_path: Path) -> None:
    demo = run("demo", "--events", "3000", "--dir", "ws", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    # An export as a CRM gives it: raw activities, no touchpoint or stage.
    duckdb.connect().execute(
        f"COPY (SELECT timestamp, account_id, contact_id, activity, channel "
        f"FROM read_parquet('{tmp_path}/ws/data/events.parquet')) TO '{tmp_path}/events.csv'"
    )
    result = run("analyze", "events.csv", "--map", "ws/map.yaml", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "match no touchpoint of the map" in result.stdout
    imports = json.loads((tmp_path / "out" / "imports.json").read_text())
    unmapped = {u["activity"] for u in imports[0]["unmapped_activities"]}
    assert {"Review site visit: product profile", "WhatsApp message"} <= unmapped
    assert imports[0]["rows_read"] == imports[0]["rows_loaded"] == 3000
    stages = {r["source"] for r in csv.DictReader((tmp_path / "out" / "transitions.csv").open())
              if r["level"] == "stage"}  # fmt: skip
    assert stages == {"awareness", "consideration", "evaluation", "purchase", "onboarding",
                      "retention", "advocacy"}  # fmt: skip


def test_analyze_without_input_is_an_error(tmp_path: Path) -> None:
    assert_one_line_error(run("analyze", "--out", "o", cwd=tmp_path), "give export files")
    _write(tmp_path / "events.csv", "timestamp,account_id,activity\n")
    assert_one_line_error(
        run("analyze", "events.csv", "--out", "o", cwd=tmp_path), "no events to analyse"
    )


def test_package_runs_without_pm4py_imported() -> None:
    code = (
        "import sys, jornada.cli, jornada.engine, jornada.ingest.pipeline; "
        "print('pm4py' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
