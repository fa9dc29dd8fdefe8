"""The Spark engine gives the same tables as DuckDB on a demo world (same SQL, transpiled).

One local Spark session (``local[2]``) for the module; skipped when PySpark, sqlglot or a
Java runtime is missing.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

pytest.importorskip("pyspark", reason="the Spark engine tests need PySpark (jornada[spark])")
pytest.importorskip("sqlglot", reason="the Spark engine tests need sqlglot (jornada[spark])")
if shutil.which("java") is None:
    pytest.skip("the Spark engine tests need a Java runtime", allow_module_level=True)

from jornada.demo import generate_world  # noqa: E402
from jornada.demo.world import STAGES  # noqa: E402
from jornada.engine import AnalysisOptions, CaseKey, Filters, Outcome, discover  # noqa: E402
from jornada.engine.analysis import Analysis  # noqa: E402
from jornada.engine.dialect import Translator, UnsupportedSQL, to_spark  # noqa: E402
from jornada.engine.spark import (  # noqa: E402
    SMALL_DATA_CONF,
    SparkUnavailable,
    discover_spark,
    export_for_spark,
    local_session,
)
from jornada.ingest.batch import import_paths  # noqa: E402
from jornada.workspace import Workspace  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)

EVENTS = 25_000
SEED = 11
REL = 1e-9

OPTIONS = {
    "default": AnalysisOptions(),
    "opportunity": AnalysisOptions(case=CaseKey.opportunity),
    "contact": AnalysisOptions(case=CaseKey.contact),
    "filtered": AnalysisOptions(
        filters=Filters(
            outcome=Outcome.won,
            segment="mid_market",
            since=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            until=dt.datetime(2026, 1, 1),
        )
    ),
    "conversion": AnalysisOptions(conversion="Contract signed"),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("spark") / "world"
    generate_world(folder, events=EVENTS, seed=SEED)
    return folder


@pytest.fixture(scope="module")
def workspace(world: Path) -> Iterator[Workspace]:
    ws = Workspace.open(":memory:")
    import_paths(ws, [world])
    ws.set_stages((stage.id, stage.phase) for stage in STAGES)
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def tables(workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_for_spark(workspace.con, tmp_path_factory.mktemp("spark") / "tables")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = local_session("jornada-tests", cores=2, memory="2g", conf=SMALL_DATA_CONF)
    yield session
    session.stop()


# Comparison -----------------------------------------------------------------------------


def _plain(kind: pa.DataType) -> pa.DataType:
    """The logical type: DuckDB's ENUM columns are dictionaries of text; its sum() of
    BIGINT is a HUGEINT (decimal(38, 0)) where Spark's is a BIGINT."""
    if pa.types.is_dictionary(kind):
        return _plain(kind.value_type)
    if pa.types.is_large_string(kind):
        return pa.string()
    if pa.types.is_decimal(kind) and kind.scale == 0:
        return pa.int64()
    return kind


def _value(value: Any) -> Any:
    return int(value) if isinstance(value, decimal.Decimal) and value == int(value) else value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=REL, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(_value(a) == _value(b))


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    """Rows sorted by every non-float column, then the floats (rounded)."""
    rows = [{k: _value(v) for k, v in row.items()} for row in table.to_pylist()]
    names = table.column_names
    floats = [n for n in names if pa.types.is_floating(table.schema.field(n).type)]
    keys = [n for n in names if n not in floats] + floats

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for name in keys:
            value = row[name]
            if isinstance(value, float):
                value = float(f"{value:.9g}")
            out.append((value is None, "" if value is None else value))
        return tuple(out)

    return sorted(rows, key=key)


def assert_same_analysis(duck: Analysis, spark: Analysis) -> None:
    assert list(spark.tables) == list(duck.tables)
    for name, expected in duck.tables.items():
        got = spark.tables[name]
        assert got.column_names == expected.column_names, name
        for want, have in zip(expected.schema, got.schema, strict=True):
            assert _plain(have.type) == _plain(want.type), (name, want.name, want.type, have.type)
        assert got.num_rows == expected.num_rows, name
        for i, (a, b) in enumerate(zip(_rows(expected), _rows(got), strict=True)):
            assert _same(a, b), f"{name} row {i}:\n duckdb {a}\n spark  {b}"
    assert spark.summary.keys() == duck.summary.keys()
    for key, value in duck.summary.items():
        assert _same(value, spark.summary[key]), (key, value, spark.summary[key])
    assert _same(spark.findings, duck.findings)


# Same tables ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(OPTIONS))
def test_spark_equals_duckdb(name: str, workspace: Workspace, tables: Path, spark: Any) -> None:
    options = OPTIONS[name]
    duck = discover(workspace.con, options)
    assert duck.summary["events"] > 0 and duck.summary["cases"] > 0
    got = discover_spark(tables, options, stages=workspace.stages(), spark=spark)
    assert_same_analysis(duck, got)


def test_exported_tables(workspace: Workspace, tables: Path) -> None:
    names = {p.name for p in tables.iterdir()}
    for table in ("events", "accounts", "contacts", "opportunities", "feedback", "content"):
        assert f"{table}.parquet" in names
    rows = workspace.con.execute(f"SELECT count(*) FROM '{tables / 'events.parquet'}'").fetchone()
    assert rows == (EVENTS,)
    stages = workspace.con.execute(f"SELECT stage FROM '{tables / 'stages.parquet'}'").fetchall()
    assert [s for (s,) in stages] == [s.id for s in STAGES]


# Constructs one by one, on both engines ----------------------------------------------------

EDGE_ROWS = """
SELECT * FROM (VALUES
    ('a', 1, NULL::VARCHAR, TIMESTAMPTZ '2025-02-24 05:43:56.942866+00'),
    ('a', 2, 'x', TIMESTAMPTZ '2025-03-11 11:17:31.162985+00'),
    ('a', 3, 'y', TIMESTAMPTZ '2025-03-17 15:39:13.844965+00'),
    ('a', NULL, 'z', TIMESTAMPTZ '1969-12-31 23:59:59.999001+00'),
    ('b', 1, NULL, TIMESTAMPTZ '2024-01-01 00:00:00+00')
) AS t(k, pos, v, ts)
"""

EDGE_QUERIES = {
    "ordered list keeps NULL values, NULL keys last": (
        "SELECT k, list(v ORDER BY pos) AS p, len(list(v ORDER BY pos)) AS n FROM t GROUP BY k"
    ),
    "filtered list is NULL without rows": (
        "SELECT k, list(v ORDER BY pos) FILTER (WHERE pos > 1) AS p FROM t GROUP BY k"
    ),
    "list_concat skips NULL": (
        "SELECT k, list_concat([min(v)], list(v ORDER BY pos) FILTER (WHERE pos > 5)) AS p "
        "FROM t GROUP BY k"
    ),
    "arg_min skips NULL values": "SELECT k, arg_min(v, pos) AS v FROM t GROUP BY k",
    "epoch to the last bit": "SELECT k, pos, epoch(ts) AS s FROM t",
    "exact quantiles": (
        "SELECT k, median(epoch(ts)) AS m, quantile_cont(pos, 0.9) AS q FROM t GROUP BY k"
    ),
    "row_number and division": (
        "SELECT k, row_number() OVER (ORDER BY k DESC) AS r, count(*) / 3 AS d, "
        "count(*) FILTER (WHERE v IS NOT NULL) AS c FROM t GROUP BY k"
    ),
    "timestamptz literals": (
        "SELECT count(*) AS n FROM t WHERE ts >= TIMESTAMPTZ '2025-03-01T00:00:00+00:00'"
    ),
}


@pytest.mark.parametrize("name", list(EDGE_QUERIES))
def test_construct(name: str, workspace: Workspace, spark: Any) -> None:
    sql = EDGE_QUERIES[name]
    con = workspace.con
    expected = con.sql(f"WITH t AS ({EDGE_ROWS}) {sql} ORDER BY ALL").fetchall()
    session = spark.newSession()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    session.sql(to_spark(EDGE_ROWS)).createOrReplaceTempView("t")
    got = [tuple(r) for r in session.sql(to_spark(sql)).collect()]
    key = repr
    assert sorted(got, key=key) == sorted(expected, key=key) or all(
        _same(list(a), list(b))
        for a, b in zip(sorted(got, key=key), sorted(expected, key=key), strict=True)
    ), (got, expected)
    if name == "epoch to the last bit":
        assert sorted(got, key=key) == sorted(expected, key=key)  # bit for bit


def test_translator_statements() -> None:
    translator = Translator()
    assert translator.statement("DROP TYPE IF EXISTS kinds").kind == "skip"
    assert translator.statement("CREATE TYPE kinds AS ENUM (SELECT 'a')").kind == "skip"
    create = translator.statement("CREATE OR REPLACE TABLE x AS SELECT CAST('a' AS kinds) AS k")
    assert (create.kind, create.name, create.sql) == ("create", "x", "SELECT 'a' AS k")
    assert translator.statement("DROP TABLE IF EXISTS x").name == "x"
    with pytest.raises(UnsupportedSQL, match="unknown type"):
        translator.statement("SELECT CAST('a' AS other_type)")
    with pytest.raises(UnsupportedSQL, match="quantile_cont and median"):
        to_spark("SELECT quantile_disc(x, 0.5) FROM t")
    with pytest.raises(UnsupportedSQL, match="ascending"):
        to_spark("SELECT list(x ORDER BY y DESC) FROM t")


def test_missing_pyspark_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(SparkUnavailable, match=r"pip install 'jornada\[spark\]'"):
        local_session()


def test_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(SparkUnavailable, match="no Java runtime"):
        local_session()


def test_cli_engine_spark_writes_the_same_tables(world: Path, spark: Any, tmp_path: Path) -> None:
    """``jornada analyze --engine spark`` (in this process, so it reuses the session)."""
    import json

    import pyarrow.parquet as pq
    from typer.testing import CliRunner

    from jornada.cli import app

    runner = CliRunner()
    outs = {}
    for engine in ("duckdb", "spark"):
        outs[engine] = tmp_path / engine
        args = ["analyze", str(world), "--engine", engine, "--segment", "enterprise",
                "--out", str(outs[engine])]  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    written = sorted(p.name for p in outs["duckdb"].glob("*.parquet"))
    assert written == sorted(p.name for p in outs["spark"].glob("*.parquet"))
    assert "transitions.parquet" in written
    for name in written:
        expected, got = (pq.read_table(outs[e] / name) for e in ("duckdb", "spark"))
        assert got.column_names == expected.column_names, name
        assert got.num_rows == expected.num_rows, name
        for i, (a, b) in enumerate(zip(_rows(expected), _rows(got), strict=True)):
            assert _same(a, b), f"{name} row {i}:\n duckdb {a}\n spark  {b}"
    duck, spk = (json.loads((outs[e] / "summary.json").read_text()) for e in ("duckdb", "spark"))
    assert duck["cases"] > 0
    assert _same(duck, spk)
