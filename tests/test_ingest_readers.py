"""Raw readers: every format lands as text, every record is accounted for, bad input says
where and what in one line.

Files are written by the factories in ``tests/utils/messy_files.py``; real exports are read
from ``../shared/realdata`` when it is there.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jornada.ingest import FileFormat, InputError, detect_format, load_raw, sniff_csv
from jornada.ingest.parse import timestamp_sql
from jornada.ingest.sniff import python_codec, transcode_to_utf8
from tests.utils import messy_files as messy

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
NEEDS_REALDATA = pytest.mark.skipif(
    not REALDATA.is_dir(), reason="../shared/realdata is absent (a fresh clone has no test data)"
)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    yield connection
    connection.close()


def rows(con: duckdb.DuckDBPyConnection, table: str = "raw") -> list[tuple[object, ...]]:
    return con.execute(f"SELECT * FROM {table} ORDER BY _row").fetchall()


def rejects(con: duckdb.DuckDBPyConnection, table: str = "raw") -> list[tuple[object, ...]]:
    return con.execute(f"SELECT * FROM {table}_rejects ORDER BY _row").fetchall()


def csv_records(path: Path, encoding: str = "utf-8", delimiter: str = ",") -> int:
    """Non-blank data records as Python's csv module counts them (the header excluded)."""
    with open(path, encoding=encoding, newline="") as fh:
        return sum(1 for record in csv.reader(fh, delimiter=delimiter) if record) - 1


# --- CSV: encodings, delimiters, numbers and dates ------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", False, "utf-8"),
        ("utf-8", True, "utf-8"),
        ("cp1252", False, "cp1252"),
        ("latin-1", False, "cp1252"),
    ],
)
def test_csv_encodings_come_back_right(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, encoding: str, bom: bool, expected: str
) -> None:
    path = messy.write_csv(tmp_path / "vendas.csv", encoding=encoding, bom=bom)
    raw = load_raw(con, path, "raw")
    assert raw.format is FileFormat.CSV
    assert raw.dialect is not None
    assert (raw.dialect.encoding, raw.dialect.bom) == (expected, bom)
    assert raw.columns == messy.HEADER
    assert [r[1:] for r in rows(con)] == [tuple(r) for r in messy.RECORDS]
    assert (raw.rows, raw.rejected) == (3, 0)


def test_utf16_excel_unicode_text(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = messy.write_csv(tmp_path / "unicode.txt", encoding="utf-16", delimiter="\t")
    raw = load_raw(con, path, "raw")
    assert raw.dialect is not None
    assert (raw.dialect.encoding, raw.dialect.delimiter, raw.dialect.bom) == (
        "utf-16-le",
        "\t",
        True,
    )
    assert [r[1:] for r in rows(con)] == [tuple(r) for r in messy.RECORDS]


def test_double_encoded_utf8_is_repaired(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = messy.write_double_encoded(tmp_path / "mojibake.csv")
    assert "SÃ£o Paulo" in path.read_text(encoding="utf-8")
    raw = load_raw(con, path, "raw")
    assert raw.dialect is not None and raw.dialect.double_encoded
    landed = {v for r in rows(con) for v in r[1:]}
    assert set(messy.ACCENTED) <= landed


def test_utf8_with_cp1252_bytes_further_on(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """A UTF-8 sample and a cp1252 line past it: that line is read as cp1252, not lost."""
    head = "id;nome\n" + "".join(f"{i};Ação\n" for i in range(1, 150_001))
    path = tmp_path / "mixed.csv"
    path.write_bytes(head.encode("utf-8") + "150001;Señalización\n".encode("cp1252"))
    raw = load_raw(con, path, "raw")
    assert (raw.rows, raw.rejected) == (150_001, 0)
    assert rows(con)[-1] == (150_001, "150001", "Señalización")


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters(con: duckdb.DuckDBPyConnection, tmp_path: Path, delimiter: str) -> None:
    path = messy.write_csv(tmp_path / "d.csv", delimiter=delimiter)
    raw = load_raw(con, path, "raw")
    assert raw.dialect is not None and raw.dialect.delimiter == delimiter
    assert raw.columns == messy.HEADER
    assert rows(con)[0] == (1, "1", "Ana", "São Paulo", "1.234,56", "13/02/2024")


def test_decimal_comma_and_day_first_sniffed(tmp_path: Path) -> None:
    dialect = sniff_csv(messy.write_csv(tmp_path / "br.csv", delimiter=";"))
    assert (dialect.decimal, dialect.date_order) == (",", "dmy")


def test_decimal_point_and_month_first_sniffed(tmp_path: Path) -> None:
    records = [
        ("1", "Ann", "Boston", "1,234.56", "02/13/2024"),
        ("2", "Bo", "Austin", "7.5", "3/1/2024"),
    ]
    dialect = sniff_csv(messy.write_csv(tmp_path / "us.csv", records, delimiter=","))
    assert (dialect.delimiter, dialect.decimal, dialect.date_order) == (",", ".", "mdy")


@pytest.mark.parametrize(
    ("delimiter", "amount", "expected"),
    [(";", "12,50", "dmy"), (",", "12.50", "mdy"), (",", "12,50", "dmy")],
)
def test_ambiguous_dates_fall_back_on_locale_hints(
    tmp_path: Path, delimiter: str, amount: str, expected: str
) -> None:
    records = [("1", "Ann", "X", amount, "01/02/2024"), ("2", "Bo", "Y", amount, "03/04/2024")]
    path = messy.write_csv(tmp_path / "a.csv", records, delimiter=delimiter)
    assert sniff_csv(path).date_order == expected


def test_iso_dates_sniff_as_ymd(tmp_path: Path) -> None:
    records = [("1", "Ann", "X", "3", "2024-02-13T10:00:00Z"), ("2", "Bo", "Y", "4", "2024-02-14")]
    assert (
        sniff_csv(messy.write_csv(tmp_path / "iso.csv", records, delimiter=",")).date_order == "ymd"
    )


def test_quoted_newlines_and_delimiters(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    records = [("1", 'diz "olá"; tchau', "linha 1\nlinha 2", "1", "x"), ("2", "b", "c", "2", "y")]
    path = messy.write_csv(tmp_path / "q.csv", records, delimiter=";")
    raw = load_raw(con, path, "raw")
    assert (raw.rows, raw.rejected) == (2, 0)
    assert rows(con)[0][1:4] == ("1", 'diz "olá"; tchau', "linha 1\nlinha 2")


def test_csv_gz(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    plain = messy.csv_text(messy.RECORDS, delimiter=";").encode("cp1252")
    path = messy.write_gzip(tmp_path / "export.csv.gz", plain)
    assert detect_format(path) is FileFormat.CSV
    raw = load_raw(con, path, "raw")
    assert raw.dialect is not None and raw.dialect.encoding == "cp1252"
    assert rows(con)[0][3] == "São Paulo"


def test_record_ends_mixed_crlf_and_lf(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "mixed-ends.csv"
    path.write_bytes(b'id,nota\r\n1,"a\nb"\r\n2,ok\n3,ok\r\n')
    raw = load_raw(con, path, "raw")
    assert (raw.rows, raw.rejected) == (3, 0)
    assert [r[2] for r in rows(con)] == ["a\nb", "ok", "ok"]


def test_column_names_cleaned(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("\ufeff Nome ,nome,,Valor  total,_row\n1,2,3,4,5\n", encoding="utf-8")
    raw = load_raw(con, path, "raw")
    assert raw.columns == ("Nome", "nome_2", "column_3", "Valor total", "_row_2")
    assert rows(con) == [(1, "1", "2", "3", "4", "5")]


def test_more_fields_than_header_names(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """Exports that end every data row with a delimiter get a ``column_N`` for it."""
    path = tmp_path / "trailing.csv"
    path.write_text("id;nome\n1;Ana;\n2;Bia;\n3;Caio;\n", encoding="utf-8")
    raw = load_raw(con, path, "raw")
    assert (raw.columns, raw.rows, raw.rejected) == (("id", "nome", "column_3"), 3, 0)


def test_file_without_header_row(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "noheader.csv"
    path.write_text("1,ana@x.com,13/02/2024\n2,bia@x.com,14/02/2024\n", encoding="utf-8")
    raw = load_raw(con, path, "raw")
    assert raw.dialect is not None and not raw.dialect.has_header
    assert raw.columns == ("column_1", "column_2", "column_3")
    assert raw.rows == 2


def test_formula_looking_cells_land_unchanged(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    raw = load_raw(con, messy.write_formulas(tmp_path / "f.csv"), "raw")
    assert [r[2] for r in rows(con)] == list(messy.FORMULAS)
    assert raw.rejected == 0


def test_encoding_and_delimiter_can_be_given(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = messy.write_csv(tmp_path / "given.csv", encoding="latin-1", delimiter="|")
    raw = load_raw(con, path, "raw", encoding="latin-1", delimiter="|")
    assert raw.dialect is not None
    assert (raw.dialect.encoding, raw.dialect.delimiter) == ("latin-1", "|")
    assert rows(con)[0][3] == "São Paulo"
    with pytest.raises(InputError, match=r"^given\.csv: cannot use 'a' as the delimiter"):
        load_raw(con, path, "raw", delimiter="a")
    with pytest.raises(InputError, match=r"^given\.csv: unknown encoding 'klingon'"):
        load_raw(con, path, "raw", encoding="klingon")


# --- CSV: broken input, exact accounting ------------------------------------------------------


def test_unclosed_quote_rejects_its_row_only(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path, records = messy.write_broken_quote(tmp_path / "broken.csv")
    raw = load_raw(con, path, "raw")
    assert raw.rows + raw.rejected == records
    assert rejects(con) == [
        (
            2,
            "a quote opens here and never closes; fix the quote in the file",
            '2,Bruno,"nunca fecha',
        )
    ]
    assert [(r[0], r[2]) for r in rows(con)] == [
        (1, "Ana"),
        (3, "Carla"),
        (4, "Diego"),
        (5, "Eva"),
        (6, "Fábio"),
    ]
    assert rows(con)[2][3] == 'tem "aspas" dentro'


def test_wrong_field_counts_are_rejected_with_their_rows(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    raw = load_raw(con, messy.write_bad_field_counts(tmp_path / "counts.csv"), "raw")
    assert (raw.rows, raw.rejected) == (3, 2)
    assert rejects(con) == [
        (2, "2 fields, expected 3", "2;Bruno"),
        (4, "4 fields, expected 3", "4;Diego;Faro;extra"),
    ]
    assert [r[0] for r in rows(con)] == [1, 3, 5]


def test_blank_lines_are_not_records(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text('id,nota\n1,"a\n\nb"\n\n2,ok\n3\n\n4,ok\n\n', encoding="utf-8")
    raw = load_raw(con, path, "raw")
    assert raw.rows + raw.rejected == csv_records(path) == 4
    assert [r[0] for r in rows(con)] == [1, 2, 4]
    assert [r[0] for r in rejects(con)] == [3]


def test_unclosed_quote_in_a_large_file(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """The quote would swallow everything after it; only its own line is rejected."""
    lines = ["id,nome,nota"] + [f"{i},n{i},ok" for i in range(1, 50_001)]
    lines[20_000] = '20000,n20000,"sem fim'
    path = tmp_path / "large.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    raw = load_raw(con, path, "raw")
    assert (raw.rows, raw.rejected) == (49_999, 1)
    assert rejects(con)[0][0] == 20_000
    assert con.execute("SELECT count(*) FROM raw WHERE _row::VARCHAR <> id").fetchall() == [(0,)]


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n"])
def test_empty_file_lands_nothing(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    raw = load_raw(con, path, "raw")
    assert (raw.columns, raw.rows, raw.rejected) == ((), 0, 0)
    assert rows(con) == []


def test_header_only_file(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("id;nome;cidade\r\n", encoding="utf-8")
    raw = load_raw(con, path, "raw")
    assert (raw.columns, raw.rows, raw.rejected) == (("id", "nome", "cidade"), 0, 0)


@pytest.mark.parametrize(
    ("writer", "message"),
    [
        (messy.write_binary_junk, "junk.csv: does not look like CSV text (binary data)"),
        (messy.write_zip, "junk.csv: is a ZIP archive (an Excel workbook?), not CSV text"),
    ],
)
def test_not_a_csv_is_one_clear_line(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, writer: object, message: str
) -> None:
    assert callable(writer)
    path = writer(tmp_path / "junk.csv")
    with pytest.raises(InputError) as caught:
        load_raw(con, path, "raw")
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text
    assert con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'raw%'"
    ).fetchall() == [(0,)]


def test_missing_file(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^nada\.csv: file not found$"):
        load_raw(con, tmp_path / "nada.csv", "raw")


def test_input_error_names_file_and_row() -> None:
    error = InputError("not a date", source=Path("/x/vendas.csv"), row=12)
    assert str(error) == "vendas.csv: row 12: not a date"


# --- transcoding in chunks ------------------------------------------------------------------


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7])
@pytest.mark.parametrize(
    ("encoding", "double"),
    [("utf-8", False), ("cp1252", False), ("utf-16-le", False), ("utf-8", True)],
)
def test_transcoding_across_chunk_edges(
    tmp_path: Path, chunk: int, encoding: str, double: bool
) -> None:
    text = "id;nome\r\n1;São Paulo — Señalización\r\n2;Ação €5\r\n"
    source = tmp_path / "in.csv"
    if double:
        source.write_bytes(text.encode("utf-8").decode("cp1252").encode("utf-8"))
    else:
        source.write_bytes(text.encode("utf-16" if encoding == "utf-16-le" else encoding))
    target = tmp_path / "out.csv"
    codec = python_codec(encoding, bom=encoding == "utf-16-le")
    transcode_to_utf8(source, target, codec=codec, repair=double, newlines=True, chunk_bytes=chunk)
    assert target.read_bytes().decode("utf-8") == text.replace("\r\n", "\n")


def test_medium_file_streams_in_bounded_memory(tmp_path: Path) -> None:
    """A ~60 MB cp1252 export: transcoding holds a few chunks, never the file; the load
    into a file-backed workspace stays inside DuckDB's memory limit."""
    source = tmp_path / "medium.csv"
    records = messy.write_big_csv(source, 60)
    script = textwrap.dedent(
        f"""
        import resource, duckdb
        from pathlib import Path
        from jornada.ingest import load_raw
        from jornada.ingest.sniff import transcode_to_utf8

        def peak():
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

        before = peak()
        transcode_to_utf8(Path({str(source)!r}), Path({str(tmp_path / "utf8.csv")!r}),
                          codec="cp1252")
        transcoding = peak() - before
        con = duckdb.connect({str(tmp_path / "w.duckdb")!r})
        con.execute("SET memory_limit = '100MB'")
        con.execute("SET enable_progress_bar = false")  # it prints to stdout when slow
        raw = load_raw(con, {str(source)!r}, "raw")
        print(raw.rows, raw.rejected, transcoding, peak() - before)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    landed, rejected, transcoding_mb, load_mb = (int(v) for v in result.stdout.split())
    assert (landed, rejected) == (records, 0)
    assert transcoding_mb < 16, f"transcoding a 60 MB file grew peak RSS by {transcoding_mb} MB"
    assert load_mb < 150, f"loading with a 100 MB DuckDB limit grew peak RSS by {load_mb} MB"


# --- XLSX, Parquet, JSON Lines ----------------------------------------------------------------


def test_xlsx_first_sheet_as_text(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    raw = load_raw(con, messy.write_xlsx(tmp_path / "book.xlsx"), "raw")
    assert (raw.format, raw.sheet) == (FileFormat.XLSX, "Dados")
    assert raw.columns == ("Data", "Valor", "Cidade", "Fórmula", "Ativo")
    assert rows(con) == [
        (1, "2024-02-13 10:30:00", "0.3", "São Paulo", "=HYPERLINK(1)", "true"),
        (2, "2024-02-14", "5", "Señalización", "@SUM(A1)", "false"),
        (4, "2024-03-01", "1234.5", "Ação", None, None),
    ]
    assert (raw.rows, raw.rejected) == (3, 0)


def test_xlsx_named_sheet(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = messy.write_xlsx(tmp_path / "book.xlsx")
    raw = load_raw(con, path, "raw", sheet="Outra")
    assert (raw.sheet, raw.columns) == ("Outra", ("x", "y"))
    assert rows(con) == [(1, "1", "um")]
    with pytest.raises(
        InputError, match=r"^book\.xlsx: has no sheet 'Nope'; its sheets: Dados, Outra$"
    ):
        load_raw(con, path, "raw", sheet="Nope")


def test_csv_renamed_xlsx(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("id;nome\n1;Ana\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_raw(con, path, "raw")
    assert str(caught.value) == (
        "export.xlsx: is not an Excel workbook (it looks like text: rename it to .csv?)"
    )


def test_parquet_scalars_keep_their_types(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    import datetime as dt

    table = pa.table(
        {
            "id": pa.array([1, 2], pa.int64()),
            "quando": pa.array(
                [dt.datetime(2024, 2, 13, 10, 30, tzinfo=dt.UTC), None],
                pa.timestamp("us", tz="UTC"),
            ),
            "dia": pa.array([dt.date(2024, 2, 13), dt.date(2024, 2, 14)]),
            "valor": pa.array([0.1, 1234.5]),
            "ok": pa.array([True, False]),
            "tags": pa.array([["a", "b"], []]),
            "meta": pa.array([{"k": 1}, {"k": 2}]),
        }
    )
    path = tmp_path / "t.parquet"
    pq.write_table(table, path)
    raw = load_raw(con, path, "raw")
    assert raw.columns == ("id", "quando", "dia", "valor", "ok", "tags", "meta")
    # Scalars land typed (no text round trip); nested values land as JSON text.
    assert set(raw.types) == {"id", "quando", "dia", "valor", "ok"}
    assert rows(con) == [
        (1, 1, dt.datetime(2024, 2, 13, 10, 30, tzinfo=dt.UTC), dt.date(2024, 2, 13), 0.1, True,
         '["a","b"]', '{"k":1}'),
        (2, 2, None, dt.date(2024, 2, 14), 1234.5, False, "[]", '{"k":2}'),
    ]  # fmt: skip
    types = {r[0]: r[1] for r in con.execute("DESCRIBE raw").fetchall()[1:]}
    assert types["tags"] == types["meta"] == "VARCHAR" and types["id"] == "BIGINT"


def test_jsonl_malformed_line_is_a_reject(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path, records = messy.write_jsonl(tmp_path / "events.jsonl")
    raw = load_raw(con, path, "raw")
    assert raw.rows + raw.rejected == records
    assert raw.columns == ("id", "nome", "meta", "ativo", "valor", "Nome_2")
    assert rows(con) == [
        (1, "1", "São Paulo", '{"a":[1,2]}', None, None, None),
        (2, "2", "Ação", None, "true", None, None),
        (5, "4", None, None, None, "12.5", None),
        (7, "6", None, None, None, None, "maiúscula"),
    ]
    assert [(r[0], r[1]) for r in rejects(con)] == [
        (3, "not valid JSON"),
        (6, "not a JSON object but an array"),
    ]


def test_jsonl_gz(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = messy.write_gzip(tmp_path / "e.ndjson.gz", b'{"id": 1}\n{"id": 2}\n')
    assert detect_format(path) is FileFormat.JSONL
    assert load_raw(con, path, "raw").rows == 2


def test_jsonl_unreadable_line_keeps_numbering(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "bad-bytes.jsonl"
    path.write_bytes(b'{"id": 1}\n{"id": "\xe9\xff"}\n\n{"id": 3}\n')
    raw = load_raw(con, path, "raw")
    assert (raw.rows, raw.rejected) == (2, 1)
    assert rows(con) == [(1, "1"), (4, "3")]
    assert rejects(con)[0][:2] == (2, "line too long or not UTF-8")


def test_json_array_file(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"id": 1, "x": "a"}, {"id": 2, "y": [1]}]), encoding="utf-8")
    raw = load_raw(con, path, "raw")
    assert rows(con) == [(1, "1", "a", None), (2, "2", None, "[1]")]
    assert raw.rejected == 0


# --- XES ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("namespace", [False, True])
def test_xes_events_in_file_order(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, namespace: bool
) -> None:
    path = messy.write_xes(tmp_path / "log.xes", namespace=namespace)
    raw = load_raw(con, path, "raw")
    assert raw.format is FileFormat.XES
    assert raw.columns[:5] == (
        "case:concept:name",
        "concept:name",
        "time:timestamp",
        "lifecycle:transition",
        "org:resource",
    )
    got = con.execute(
        'SELECT _row, "case:concept:name", "concept:name", "case:segment", tags FROM raw '
        "ORDER BY _row"
    ).fetchall()
    assert got == [
        (1, "A-1", "visita", "Enterprise", '[{"t": "a"}]'),
        (2, "A-1", "demo", "Enterprise", '[{"t": "a"}]'),
        (3, "A-1", "demo", "Enterprise", '[{"t": "a"}]'),
        (4, "B-2", "email", "Enterprise", '[{"t": "a"}]'),
    ]


def test_xes_events_outside_traces(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "stream.xes"
    path.write_text(
        '<log><event><string key="concept:name" value="a"/></event>'
        '<trace><string key="concept:name" value="c1"/>'
        '<event><string key="concept:name" value="b"/></event></trace>'
        '<event><string key="concept:name" value="z"/></event></log>',
        encoding="utf-8",
    )
    load_raw(con, path, "raw")
    got = con.execute('SELECT _row, "case:concept:name", "concept:name" FROM raw ORDER BY _row')
    assert got.fetchall() == [(1, None, "a"), (2, "c1", "b"), (3, None, "z")]


def test_not_an_xes_log(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "other.xes"
    path.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(InputError, match=r"^other\.xes: is not an XES log: no <log> element$"):
        load_raw(con, path, "raw")


def test_xes_gz_and_cut_short(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    data = messy.write_xes(tmp_path / "log.xes").read_bytes()
    path = messy.write_gzip(tmp_path / "log.xes.gz", data)
    assert load_raw(con, path, "raw").rows == 4
    cut = messy.write_gzip(tmp_path / "cut.xes.gz", data[: len(data) // 2])
    with pytest.raises(InputError, match=r"^cut\.xes\.gz: is not well-formed XML at line \d+"):
        load_raw(con, cut, "raw")


def _pm4py_log(path: Path) -> object:
    pm4py = pytest.importorskip("pm4py", reason="pm4py (the test oracle) is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pm4py.read_xes(str(path), show_progress_bar=False)


@NEEDS_REALDATA
@pytest.mark.parametrize("name", ["running-example.xes", "compressed_input_data/10_orders.xes.gz"])
def test_xes_matches_pm4py(con: duckdb.DuckDBPyConnection, name: str) -> None:
    import pandas as pd

    path = REALDATA / "pm4py_eventlogs" / name
    expected = _pm4py_log(path)
    assert isinstance(expected, pd.DataFrame)
    raw = load_raw(con, path, "raw")
    ours = con.execute(
        'SELECT "case:concept:name", "concept:name", '
        f"{timestamp_sql(chr(34) + 'time:timestamp' + chr(34), 'ymd')} FROM raw ORDER BY _row"
    ).fetchall()
    assert raw.rows == len(expected) == len(ours)
    assert [r[0] for r in ours] == expected["case:concept:name"].astype(str).tolist()
    assert [r[1] for r in ours] == expected["concept:name"].astype(str).tolist()
    theirs = pd.to_datetime(expected["time:timestamp"], format="mixed")
    theirs = theirs.dt.tz_localize("UTC") if theirs.dt.tz is None else theirs.dt.tz_convert("UTC")
    assert [pd.Timestamp(r[2]).tz_convert("UTC") for r in ours] == theirs.tolist()


# --- formats and real exports -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.csv", b"x", FileFormat.CSV),
        ("a.tsv", b"x", FileFormat.CSV),
        ("a.csv.gz", b"x", FileFormat.CSV),
        ("a.xlsx", b"x", FileFormat.XLSX),
        ("a.parquet", b"x", FileFormat.PARQUET),
        ("a.ndjson", b"x", FileFormat.JSONL),
        ("a.xes.gz", b"x", FileFormat.XES),
        ("export", b"PAR1....", FileFormat.PARQUET),
        ("export", b"PK\x03\x04", FileFormat.XLSX),
        ("export", b"\n<?xml version='1.0'?><log>", FileFormat.XES),
        ("export", b'{"a": 1}\n', FileFormat.JSONL),
        ("export", b"a;b\n1;2\n", FileFormat.CSV),
    ],
)
def test_detect_format(tmp_path: Path, name: str, head: bytes, expected: FileFormat) -> None:
    path = tmp_path / name
    path.write_bytes(head)
    assert detect_format(path) is expected


REAL_CSVS = [
    *(
        f"fivetran_hubspot_seeds/{p.name}"
        for p in sorted((REALDATA / "fivetran_hubspot_seeds").glob("*.csv"))
    ),
    *(
        f"fivetran_salesforce_seeds/{p.name}"
        for p in sorted((REALDATA / "fivetran_salesforce_seeds").glob("*.csv"))
    ),
    *(
        f"crm_sales_opportunities/{p.name}"
        for p in sorted((REALDATA / "crm_sales_opportunities").glob("*.csv"))
    ),
    "restmex2021_es_sentiment/rest-mex_2021_Sentiment_data_train.csv",
]


@NEEDS_REALDATA
def test_real_exports_land_every_record() -> None:
    con = duckdb.connect()
    for name in REAL_CSVS:
        path = REALDATA / name
        raw = load_raw(con, path, "raw")
        assert raw.dialect is not None
        expected = csv_records(path, "utf-8", raw.dialect.delimiter)
        assert (raw.rows + raw.rejected, raw.rejected) == (expected, 0), name
        assert len(raw.columns) == len({c.casefold() for c in raw.columns}), name


@NEEDS_REALDATA
def test_restmex_quirky_quoting_keeps_the_text() -> None:
    con = duckdb.connect()
    path = REALDATA / "restmex2021_es_sentiment" / "rest-mex_2021_Sentiment_data_train.csv"
    raw = load_raw(con, path, "raw")
    assert raw.columns[:3] == ("index", "Title", "Opinion")
    title = con.execute('SELECT "Title" FROM raw WHERE _row = 1').fetchall()[0][0]
    assert title == '"¡Momias, demasiado impresionante!"'
