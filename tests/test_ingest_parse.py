"""SQL builders that type raw text in DuckDB: tables of tricky values and what they mean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import duckdb
import pytest

from jornada.ingest.parse import boolean_sql, number_sql, timestamp_sql

UTC = dt.UTC


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    yield connection
    connection.close()


def evaluate(
    con: duckdb.DuckDBPyConnection, values: list[str | None], expression: str
) -> list[object]:
    """``expression`` (over column ``v``) for each value, in order."""
    con.execute("CREATE OR REPLACE TABLE t (n INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [[i, v] for i, v in enumerate(values)])
    return [row[0] for row in con.execute(f"SELECT {expression} FROM t ORDER BY n").fetchall()]


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


# text, day-first reading, month-first reading (UTC)
TIMESTAMPS: list[tuple[str | None, dt.datetime | None, dt.datetime | None]] = [
    ("2024-02-13T10:00:00Z", utc(2024, 2, 13, 10), utc(2024, 2, 13, 10)),
    ("2024-02-13T10:00:00z", utc(2024, 2, 13, 10), utc(2024, 2, 13, 10)),
    ("2024-02-13 10:00:00+02:00", utc(2024, 2, 13, 8), utc(2024, 2, 13, 8)),
    ("2024-02-13T10:00:00-0300", utc(2024, 2, 13, 13), utc(2024, 2, 13, 13)),
    (
        "2024-02-13T10:00:00.250-03",
        utc(2024, 2, 13, 13, 0, 0, 250000),
        utc(2024, 2, 13, 13, 0, 0, 250000),
    ),
    ("2024-02-13 10:00:00 UTC", utc(2024, 2, 13, 10), utc(2024, 2, 13, 10)),
    (
        "2024-02-13T10:00:00,5Z",
        utc(2024, 2, 13, 10, 0, 0, 500000),
        utc(2024, 2, 13, 10, 0, 0, 500000),
    ),
    ("2024-02-13", utc(2024, 2, 13), utc(2024, 2, 13)),
    ("  2024-02-13 10:30  ", utc(2024, 2, 13, 10, 30), utc(2024, 2, 13, 10, 30)),
    ("2024/02/13 10:11:12.000", utc(2024, 2, 13, 10, 11, 12), utc(2024, 2, 13, 10, 11, 12)),
    ("13/02/2024", utc(2024, 2, 13), None),
    ("13/02/2024 10:30", utc(2024, 2, 13, 10, 30), None),
    ("13/02/2024 10:30:15", utc(2024, 2, 13, 10, 30, 15), None),
    ("13-02-2024", utc(2024, 2, 13), None),
    ("13.02.2024 08:00", utc(2024, 2, 13, 8), None),
    ("13/02/24", utc(2024, 2, 13), None),
    ("02/13/2024", None, utc(2024, 2, 13)),
    ("02/13/2024 03:45 PM", None, utc(2024, 2, 13, 15, 45)),
    ("2/1/2024 11:05:09 am", utc(2024, 1, 2, 11, 5, 9), utc(2024, 2, 1, 11, 5, 9)),
    ("3/2/2024", utc(2024, 2, 3), utc(2024, 3, 2)),
    ("13-Feb-2024", utc(2024, 2, 13), utc(2024, 2, 13)),
    ("Feb 13, 2024", utc(2024, 2, 13), utc(2024, 2, 13)),
    ("1707818400", utc(2024, 2, 13, 10), utc(2024, 2, 13, 10)),
    ("1707818400123", utc(2024, 2, 13, 10, 0, 0, 123000), utc(2024, 2, 13, 10, 0, 0, 123000)),
    ("31/02/2024", None, None),
    ("2024-13-01", None, None),
    ("45321", None, None),
    ("1234567", None, None),
    ("ontem", None, None),
    ("", None, None),
    (None, None, None),
]


@pytest.mark.parametrize("order", ["dmy", "mdy"])
def test_timestamps(con: duckdb.DuckDBPyConnection, order: str) -> None:
    got = evaluate(con, [t for t, _, _ in TIMESTAMPS], timestamp_sql("v", order))
    for (text, day_first, month_first), value in zip(TIMESTAMPS, got, strict=True):
        assert value == (day_first if order == "dmy" else month_first), (text, order)


def test_ymd_reads_day_month_forms_day_first(con: duckdb.DuckDBPyConnection) -> None:
    got = evaluate(con, ["2024-02-13", "03/02/2024"], timestamp_sql("v", "ymd"))
    assert got == [utc(2024, 2, 13), utc(2024, 2, 3)]


def test_naive_times_are_taken_in_the_given_zone(con: duckdb.DuckDBPyConnection) -> None:
    sql = timestamp_sql("v", "dmy", tz="America/Sao_Paulo")
    got = evaluate(con, ["13/02/2024 10:00", "2024-07-01 00:00", "2024-02-13T10:00:00Z"], sql)
    assert got == [utc(2024, 2, 13, 13), utc(2024, 7, 1, 3), utc(2024, 2, 13, 10)]


def test_excel_serials_only_when_asked(con: duckdb.DuckDBPyConnection) -> None:
    values = ["45335", "45335.5", "123"]
    assert evaluate(con, values, timestamp_sql("v", "dmy")) == [None, None, None]
    got = evaluate(con, values, timestamp_sql("v", "dmy", excel_serial=True))
    assert got == [utc(2024, 2, 13), utc(2024, 2, 13, 12), None]


def test_epochs_can_be_turned_off(con: duckdb.DuckDBPyConnection) -> None:
    assert evaluate(con, ["1707818400"], timestamp_sql("v", "dmy", epoch=False)) == [None]
    assert evaluate(con, ["0000000001"], timestamp_sql("v", "dmy")) == [None]


def test_timestamp_result_type(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE one AS SELECT '2024-02-13' AS v")
    kind = con.execute(f"SELECT typeof({timestamp_sql('v', 'dmy')}) FROM one").fetchall()
    assert kind == [("TIMESTAMP WITH TIME ZONE",)]


# text, read with decimal ",", read with decimal "."
NUMBERS: list[tuple[str | None, float | None, float | None]] = [
    ("1.234,56", 1234.56, 1234.56),
    ("1,234.56", 1234.56, 1234.56),
    ("1234,5", 1234.5, 1234.5),
    ("1234.567", 1234.567, 1234.567),
    ("R$ 1.234,56", 1234.56, 1234.56),
    ("€1.234", 1234.0, 1.234),
    ("1.234 EUR", 1234.0, 1.234),
    ("USD 1,000.00", 1000.0, 1000.0),
    ("1.234", 1234.0, 1.234),
    ("1,234", 1.234, 1234.0),
    ("0,500", 0.5, 0.5),
    ("1.234.567", 1234567.0, 1234567.0),
    ("1,234,567", 1234567.0, 1234567.0),
    ("1 234,56", 1234.56, 1234.56),
    ("1\u00a0234,56", 1234.56, 1234.56),
    ("1'234.50", 1234.5, 1234.5),
    ("(12,50)", -12.5, -12.5),
    ("-7,00", -7.0, -7.0),
    ("12,50-", -12.5, -12.5),
    ("\u22123,5", -3.5, -3.5),
    ("+5", 5.0, 5.0),
    ("12%", 12.0, 12.0),
    (".5", 0.5, 0.5),
    ("1.5E+3", 1500.0, 1500.0),
    ("1,5E+03", 1500.0, 1500.0),
    ("42", 42.0, 42.0),
    ("1.2.3", None, None),
    ("1.234,5,6", None, None),
    ("12 abc", None, None),
    ("--5", None, None),
    ("abc", None, None),
    ("", None, None),
    (None, None, None),
]


@pytest.mark.parametrize("decimal", [",", "."])
def test_numbers(con: duckdb.DuckDBPyConnection, decimal: str) -> None:
    got = evaluate(con, [t for t, _, _ in NUMBERS], number_sql("v", decimal))
    for (text, comma, point), value in zip(NUMBERS, got, strict=True):
        expected = comma if decimal == "," else point
        assert value == (None if expected is None else pytest.approx(expected)), text


BOOLEANS: list[tuple[str | None, bool | None]] = [
    ("true", True),
    ("FALSE", False),
    ("yes", True),
    ("No", False),
    ("sí", True),
    ("SÍ", True),
    ("si", True),
    ("sim", True),
    ("não", False),
    ("nao", False),
    ("1", True),
    ("0", False),
    ("1.0", True),
    ("x", True),
    (" X ", True),
    ("verdadeiro", True),
    ("falso", False),
    ("talvez", None),
    ("", None),
    (None, None),
]


def test_booleans(con: duckdb.DuckDBPyConnection) -> None:
    got = evaluate(con, [t for t, _ in BOOLEANS], boolean_sql("v"))
    assert got == [expected for _, expected in BOOLEANS]


def test_builders_take_any_sql_expression(con: duckdb.DuckDBPyConnection) -> None:
    con.execute('CREATE TABLE raw ("Valor total" VARCHAR, "Data" VARCHAR)')
    con.execute("INSERT INTO raw VALUES ('1.234,5', '13/02/2024')")
    got = con.execute(
        f"SELECT {number_sql(chr(34) + 'Valor total' + chr(34), ',')}, "
        f"{timestamp_sql('raw.' + chr(34) + 'Data' + chr(34), 'dmy')} FROM raw"
    ).fetchall()
    assert got == [(1234.5, utc(2024, 2, 13))]


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="date_order"):
        timestamp_sql("v", "ydm")
    with pytest.raises(ValueError, match="decimal"):
        number_sql("v", ";")
