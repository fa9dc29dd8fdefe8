"""The import pipeline on real files: mappings, typing, rejects, duplicates, map resolution."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jornada.errors import JornadaError
from jornada.ingest.batch import import_paths
from jornada.ingest.mapping import ALIASES, Kind, MappingError
from jornada.ingest.pipeline import import_file
from jornada.model import loads_map
from jornada.workspace import Workspace
from tests.utils.maps import MINIMAL_YAML

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture
def ws() -> Workspace:
    return Workspace.open(":memory:")


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_mapping_file_names_columns_constants_and_zone(ws: Workspace, tmp_path: Path) -> None:
    data = _csv(tmp_path / "export.csv", "Quando;Quem;O quê\n02/03/2025 10:00;ACME;Ligação\n")
    mapping = _csv(
        tmp_path / "map.yaml",
        "kind: events\ncolumns:\n  timestamp: Quando\n  account_id: Quem\n  activity: O quê\n"
        "constants:\n  source_system: planilha\ndate_order: dmy\ntimezone: America/Sao_Paulo\n",
    )
    report = import_file(ws, data, mapping_file=mapping)
    assert (report.kind, report.rows_loaded) == ("events", 1)
    row = ws.con.execute(
        "SELECT account_id, activity, source_system, strftime(timestamp, '%Y-%m-%d %H:%M') "
        "FROM events"
    ).fetchone()
    assert row == ("ACME", "Ligação", "planilha", "2025-03-02 13:00")


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("kind: nothing\ncolumns: {}\n", "kind 'nothing' is unknown"),
        ("kind: events\ncolumns:\n  when: Quando\n", "columns.when: not a column of events"),
        ("kind: events\ncolumns:\n  timestamp: Hora\n", "'Hora' is not a column of export.csv"),
        ("kind: events\ncolumns:\n  timestamp: Quando\n", "no column for activity"),
    ],
)
def test_bad_mapping_files(ws: Workspace, tmp_path: Path, yaml_text: str, message: str) -> None:
    data = _csv(tmp_path / "export.csv", "Quando;Quem;O quê\n02/03/2025 10:00;ACME;Ligação\n")
    mapping = _csv(tmp_path / "map.yaml", yaml_text)
    with pytest.raises(MappingError, match=message):
        import_file(ws, data, mapping_file=mapping)
    assert ws.count("events") == 0 and ws.scalar("SELECT count(*) FROM imports") == 0


def test_formula_cells_land_as_text_and_are_neutralised_in_rejects(
    ws: Workspace, tmp_path: Path
) -> None:
    text = (
        "timestamp,account_id,activity,amount\n"
        '2025-01-01,=HYPERLINK("http://x"),+1 call,10\n'
        "2025-01-02,@SUM(A1),-2 demo,oops\n"
    )
    report = import_file(ws, _csv(tmp_path / "events.csv", text))
    assert (report.rows_loaded, report.rows_rejected) == (1, 1)
    assert ws.con.execute("SELECT account_id, activity FROM events").fetchone() == (
        '=HYPERLINK("http://x")',
        "+1 call",
    )
    assert report.rejected_file is not None
    rows = list(csv.DictReader(report.rejected_file.open()))
    assert rows[0]["account_id"] == "'@SUM(A1)" and rows[0]["activity"] == "'-2 demo"
    assert rows[0]["reason"] == "unparseable amount: oops" and rows[0]["row"] == "2"


def test_reference_rows_keep_the_first_of_a_repeated_key(ws: Workspace, tmp_path: Path) -> None:
    text = "id,name,industry\nA1,Acme,food\nA1,Acme duplicate,food\nB2,Beta,mining\n"
    report = import_file(ws, _csv(tmp_path / "accounts.csv", text))
    assert (report.rows_loaded, report.rows_duplicate) == (2, 1)
    assert ws.con.execute("SELECT name FROM accounts WHERE account_id = 'A1'").fetchone() == (
        "Acme",
    )


def test_map_rules_resolve_touchpoints_and_stage_names(ws: Workspace, tmp_path: Path) -> None:
    journey = loads_map(
        MINIMAL_YAML.replace(
            "    owner_bu: marketing\n",
            "    owner_bu: marketing\n    match:\n      - activity: 'page view*'\n",
            1,
        ).replace(
            "    shared_bus:",
            "    match:\n      - activity_regex: '^Proposal (sent|viewed)$'\n    shared_bus:",
        )
    )
    text = (
        "timestamp,account_id,activity,stage\n"
        "2025-01-01,A,Page View: pricing,\n"
        "2025-01-02,A,Proposal sent,\n"
        "2025-01-03,A,Coffee with the CEO,Retention\n"
    )
    report = import_file(ws, _csv(tmp_path / "events.csv", text), journey=journey)
    rows = ws.con.execute(
        "SELECT activity, touchpoint, stage, channel_kind, business_unit FROM events "
        "ORDER BY timestamp"
    ).fetchall()
    assert rows == [
        ("Page View: pricing", "website", "discovery", "online", "marketing"),
        ("Proposal sent", "proposal", "purchase", "personal", "sales"),
        ("Coffee with the CEO", None, "retention", None, None),
    ]
    assert report.unmapped_activities == [("Coffee with the CEO", 1)]


def test_empty_and_header_only_files(ws: Workspace, tmp_path: Path) -> None:
    report = import_file(ws, _csv(tmp_path / "events.csv", "timestamp,account_id,activity\n"))
    assert (report.rows_read, report.rows_loaded) == (0, 0)
    with pytest.raises(JornadaError):
        import_file(ws, _csv(tmp_path / "empty.csv", ""), kind=Kind.events)


def test_a_folder_imports_reference_tables_first(ws: Workspace, tmp_path: Path) -> None:
    _csv(tmp_path / "events.csv", "timestamp,account_id,activity\n2025-01-01,A,call\n")
    _csv(tmp_path / "accounts.csv", "account_id,name\nA,Acme\n")
    _csv(tmp_path / "notes.md", "not data")
    _csv(tmp_path / "products.csv", "sku,label\n1,Sensor\n")
    reports = import_paths(ws, [tmp_path])
    assert [r.kind for r in reports] == ["accounts", "events", "unknown"]
    assert reports[2].skipped and "cannot tell which table" in reports[2].skipped
    with pytest.raises(MappingError, match="products.csv: cannot tell which table"):
        import_paths(ws, [tmp_path / "products.csv"])


@pytest.mark.skipif(not DOCS.is_dir(), reason="runs only from a source checkout")
def test_every_alias_is_documented() -> None:
    text = (DOCS / "data-format.md").read_text(encoding="utf-8")
    for kind, columns in ALIASES.items():
        assert f"## {kind.value}" in text
        for canonical, aliases in columns.items():
            assert f"`{canonical}`" in text
            for alias in aliases:
                assert f"`{alias}`" in text, f"{kind.value}.{canonical}: {alias}"
