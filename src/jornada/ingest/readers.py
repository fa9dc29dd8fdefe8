"""Raw readers: land any export in DuckDB as text, with every record accounted for.

``load_raw`` creates a table ``_row BIGINT`` + one VARCHAR column per source column, and
``{table}_rejects(_row, reason, raw)`` for records that cannot be split into columns.
Typing happens later (see :mod:`jornada.ingest.parse`) so bad values become per-row
rejections, not failures.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from jornada.ingest.sniff import (
    CHUNK_BYTES,
    CsvDialect,
    CsvLayout,
    FileFormat,
    InputError,
    clean_column_names,
    cp1252_fallback_errors,
    detect_format,
    open_binary,
    python_codec,
    sniff_layout,
    transcode_to_utf8,
)
from jornada.ingest.xes import XES_COLUMNS, iter_xes_batches

__all__ = [
    "CsvDialect",
    "FileFormat",
    "InputError",
    "RawSource",
    "TextTableWriter",
    "detect_format",
    "load_raw",
    "text_batch",
]

BATCH_ROWS = 50_000
MAX_LINE_BYTES = 4 * 1024 * 1024
MAX_REPAIR_ROUNDS = 8
RAW_CHARS = 2_000
RAW_BYTES = 4 * RAW_CHARS


@dataclass(frozen=True)
class RawSource:
    """What ``load_raw`` landed: the table, its source columns and the record accounting."""

    path: Path
    format: FileFormat
    table: str
    columns: tuple[str, ...]
    rows: int
    rejected: int
    dialect: CsvDialect | None
    sheet: str | None
    types: dict[str, str] = field(default_factory=dict)
    """DuckDB types of columns landed typed (Parquet scalars); absent means text."""


def load_raw(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    table: str,
    *,
    format: FileFormat | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> RawSource:
    """Create (replace) ``table`` and ``{table}_rejects`` from an export file, all text.

    ``rows + rejected`` equals the number of records in the file. Raises
    :class:`InputError` for a file that cannot be read as its format at all.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found" if not path.exists() else "is not a file", source=path)
    fmt = FileFormat(format) if format else detect_format(path)
    rejects = f"{table}_rejects"
    con.execute(
        f"CREATE OR REPLACE TABLE {_ident(rejects)} (_row BIGINT, reason VARCHAR, raw VARCHAR)"
    )
    try:
        if fmt is FileFormat.CSV:
            return _load_csv(con, path, table, encoding=encoding, delimiter=delimiter)
        if fmt is FileFormat.PARQUET:
            return _load_parquet(con, path, table)
        if fmt is FileFormat.JSONL:
            return _load_jsonl(con, path, table)
        if fmt is FileFormat.XLSX:
            return _load_xlsx(con, path, table, sheet)
        return _load_xes(con, path, table)
    except duckdb.Error as err:
        _drop(con, table, rejects)
        reason = str(err).strip().splitlines()[0]
        raise InputError(f"cannot be read as {fmt.value} ({reason})", source=path) from None
    except InputError:
        _drop(con, table, rejects)
        raise
    except OSError as err:
        _drop(con, table, rejects)
        reason = err.strerror or type(err).__name__
        raise InputError(f"cannot be read ({reason}); is it cut short?", source=path) from None


# --- CSV ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reject:
    reason: str
    raw: str


@dataclass(frozen=True)
class _BadRecord:
    """A record DuckDB could not split: where it starts and how many lines to take out."""

    line: int
    position: int  # 1-based byte offset of the record's line, as DuckDB reports it
    lines: int
    reason: str
    raw: str


class _CsvFile:
    """The CSV bytes DuckDB reads: the original file, or a UTF-8 rewrite of it."""

    def __init__(self, path: Path, layout: CsvLayout, tmp: Path) -> None:
        self.path, self.layout, self.tmp = path, layout, tmp
        self.fallback = self.newlines = False
        self.source, self.gzipped = path, layout.gzipped
        self.rewrites = 0
        dialect = layout.dialect
        if dialect.encoding != "utf-8" or dialect.double_encoded:
            self.rewrite()

    def rewrite(self) -> None:
        """Transcode the original again with the current repairs."""
        dialect = self.layout.dialect
        self.source, self.gzipped = self.next_path(), False
        transcode_to_utf8(
            self.path,
            self.source,
            codec=python_codec(dialect.encoding, dialect.bom),
            errors=cp1252_fallback_errors() if dialect.encoding == "utf-8" else "strict",
            repair=dialect.double_encoded,
            newlines=self.newlines,
        )

    def next_path(self) -> Path:
        self.rewrites += 1
        return self.tmp / f"source{self.rewrites}.csv"


def _load_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    *,
    encoding: str | None,
    delimiter: str | None,
) -> RawSource:
    layout = sniff_layout(path, encoding=encoding, delimiter=delimiter)
    dialect = layout.dialect
    header = layout.header if dialect.has_header else ()
    names = clean_column_names(header + ("",) * (layout.width - len(header)))
    if layout.width == 0:
        con.execute(f"CREATE OR REPLACE TABLE {_ident(table)} (_row BIGINT)")
        return RawSource(path, FileFormat.CSV, table, (), 0, 0, dialect, None)
    rejects: list[_Reject] = []
    with tempfile.TemporaryDirectory(prefix="jornada-") as tmp:
        csv_file = _CsvFile(path, layout, Path(tmp))
        bad = _scan_until_clean(con, csv_file, table, names, rejects)
    rows = _settle_rejects(con, table, names, rejects, bad, layout)
    rejected = _count_rejects(con, table)
    return RawSource(path, FileFormat.CSV, table, names, rows, rejected, dialect, None)


def _scan_until_clean(
    con: duckdb.DuckDBPyConnection,
    csv_file: _CsvFile,
    table: str,
    names: tuple[str, ...],
    rejects: list[_Reject],
) -> list[_BadRecord]:
    """Scan into ``table``, replacing records DuckDB rejects by numbered sentinel records
    and scanning again, until every record lands (or the rounds run out: returns the rest).
    """
    layout = csv_file.layout
    rounds = 0
    while True:
        try:
            bad, invalid = _scan_csv(con, csv_file.source, csv_file.gzipped, layout, table, names)
        except duckdb.InvalidInputException as err:
            if "invalid state" not in str(err) or csv_file.newlines:
                raise
            # records ended by both \r\n and \n in one file: end them all with \n
            csv_file.newlines = True
            csv_file.rewrite()
            continue
        if invalid and not csv_file.fallback:
            # a UTF-8 sample and cp1252 bytes further on: read those bytes as cp1252
            csv_file.fallback = True
            csv_file.rewrite()
            continue
        if not bad or rounds == MAX_REPAIR_ROUNDS:
            return bad
        rounds += 1
        # each rejected record becomes a sentinel record, so a rescan numbers every record
        target = csv_file.next_path()
        raws = _replace_records(csv_file.source, target, bad, layout, first=len(rejects))
        rejects += (_Reject(b.reason, raw or b.raw) for b, raw in zip(bad, raws, strict=True))
        csv_file.source, csv_file.gzipped = target, False


def _scan_csv(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    gzipped: bool,
    layout: CsvLayout,
    table: str,
    names: tuple[str, ...],
) -> tuple[list[_BadRecord], bool]:
    """Read ``source`` into ``table`` (``_row`` in file order); return the records DuckDB
    rejected and whether some were not valid UTF-8."""
    tag = uuid.uuid4().hex[:12]
    errors, scans = f"_jornada_errors_{tag}", f"_jornada_scans_{tag}"
    d = layout.dialect
    columns = ", ".join(f"c{i} AS {_ident(name)}" for i, name in enumerate(names))
    con.execute(
        f"CREATE OR REPLACE TABLE {_ident(table)} AS SELECT CAST(row_number() OVER () AS BIGINT) "
        f"AS _row, {columns} FROM read_csv(?, auto_detect=false, columns=?, delim=?, quote=?, "
        "escape=?, header=?, skip=?, compression=?, store_rejects=true, rejects_table=?, "
        "rejects_scan=?, rejects_line_size_limit=?, max_line_size=?, strict_mode=true)",
        [
            str(source),
            {f"c{i}": "VARCHAR" for i in range(layout.width)},
            d.delimiter,
            d.quotechar,
            d.quotechar,
            d.has_header,
            layout.skip,
            "gzip" if gzipped else "none",
            errors,
            scans,
            RAW_BYTES,
            MAX_LINE_BYTES,
        ],
    )
    found = con.execute(
        "SELECT line, min(line_byte_position), arg_min(error_type, byte_position), "
        "arg_min(error_message, byte_position), arg_min(csv_line, byte_position) "
        f"FROM {errors} GROUP BY line ORDER BY line"
    ).fetchall()
    _drop(con, errors, scans)
    bad = [_bad_record(*row) for row in found]
    return bad, any(row[2] == "INVALID ENCODING" for row in found)


def _bad_record(line: int, position: int, kind: str, message: str, raw: str | None) -> _BadRecord:
    text = (raw or "").lstrip("\r\n")
    body = text.rstrip("\r\n")
    multiline = "\n" in body
    if kind == "UNQUOTED VALUE" and multiline:
        # a quote opened and never closed swallowed the lines after it: take out its line
        reason = "a quote opens here and never closes; fix the quote in the file"
        return _BadRecord(line, position, 1, reason, body.split("\n", 1)[0])
    lines = 1 + body.count("\n") if len(text.encode()) < RAW_BYTES else 1
    reason = _reason(kind, message)
    if kind == "UNQUOTED VALUE" and body.count('"') % 2:
        reason = "a quote opens here and never closes; fix the quote in the file"
    return _BadRecord(line, position, lines, reason, body[:RAW_CHARS])


_FIELDS = re.compile(r"Columns: (\d+) Found: (\d+)")


def _reason(kind: str, message: str) -> str:
    fields = _FIELDS.search(message or "")
    if kind in ("MISSING COLUMNS", "TOO MANY COLUMNS") and fields:
        return f"{fields.group(2)} fields, expected {fields.group(1)}"
    return {
        "UNQUOTED VALUE": "text after a closing quote; double the quotes inside quoted text",
        "LINE SIZE OVER MAXIMUM": "record over the size limit (a quote that never closes?)",
        "INVALID ENCODING": "bytes that are not valid in the file's encoding",
    }.get(kind, (message or kind).splitlines()[0])


def _replace_records(
    source: Path, target: Path, bad: list[_BadRecord], layout: CsvLayout, *, first: int
) -> list[str]:
    """Copy ``source``, replacing each bad record's first line by a numbered sentinel
    record and emptying its other lines (line breaks stay). Returns the first lines."""
    delimiter = layout.dialect.delimiter.encode()
    todo = [(b.position, b.lines, _sentinel(first + k) + delimiter * (layout.width - 1))
            for k, b in enumerate(bad)]  # fmt: skip
    todo.reverse()
    heads: list[str] = []
    mode = "copy"
    head = bytearray()
    left = 0
    marker = b""
    last = b""
    offset = 0
    with open_binary(source) as fin, open(target, "wb") as fout:
        while chunk := fin.read(CHUNK_BYTES):
            i = 0
            while i < len(chunk):
                if mode == "copy":
                    if not todo or todo[-1][0] - 1 >= offset + len(chunk):
                        fout.write(chunk[i:])
                        break
                    position, left, marker = todo.pop()
                    start = max(position - 1 - offset, i)
                    fout.write(chunk[i:start])
                    i, mode = start, "leading"
                    head.clear()
                elif mode == "leading":  # line breaks before the record end the line before
                    j = i
                    while j < len(chunk) and chunk[j] in b"\r\n":
                        j += 1
                    fout.write(chunk[i:j])
                    i = j
                    if j < len(chunk):
                        mode = "drop"
                else:
                    end = chunk.find(b"\n", i)
                    stop = len(chunk) if end < 0 else end
                    if marker:
                        head += chunk[i:stop][: 4 * RAW_CHARS - len(head)]
                    last = chunk[stop - 1 : stop] if stop > i else last
                    i = stop
                    if end < 0:
                        continue
                    if marker:
                        fout.write(marker)
                        heads.append(_text(head))
                        marker = b""
                    fout.write(b"\r\n" if last == b"\r" else b"\n")
                    i, last, left = end + 1, b"", left - 1
                    mode = "drop" if left > 0 else "copy"
            offset += len(chunk)
    if marker:
        with open(target, "ab") as fout:
            fout.write(marker)
        heads.append(_text(head))
    return heads


def _sentinel(number: int) -> bytes:
    return f"\x1f{number}\x1f".encode()


def _text(data: bytes | bytearray) -> str:
    return bytes(data).decode("utf-8", "replace").rstrip("\r")[:RAW_CHARS]


def _settle_rejects(
    con: duckdb.DuckDBPyConnection,
    table: str,
    names: tuple[str, ...],
    rejects: list[_Reject],
    bad: list[_BadRecord],
    layout: CsvLayout,
) -> int:
    """Move sentinel records from ``table`` to ``{table}_rejects`` (their ``_row`` kept)."""
    rejects_table = _ident(f"{table}_rejects")
    if rejects:
        first = _ident(names[0])
        sentinel = f"regexp_full_match({first}, '\\x1f\\d+\\x1f')" + "".join(
            f" AND {_ident(name)} IS NULL" for name in names[1:]
        )
        listed = pa.table(
            {
                "k": pa.array(range(len(rejects)), pa.int64()),
                "reason": pa.array([r.reason for r in rejects], pa.string()),
                "raw": pa.array([r.raw for r in rejects], pa.string()),
            }
        )
        view = f"_jornada_rejects_{uuid.uuid4().hex[:12]}"
        con.register(view, listed)
        try:
            con.execute(
                f"INSERT INTO {rejects_table} SELECT s._row, r.reason, r.raw FROM "
                f"(SELECT _row, CAST(trim({first}, e'\\x1f') AS BIGINT) AS k "
                f"FROM {_ident(table)} WHERE {sentinel}) s JOIN {view} r USING (k) ORDER BY 1"
            )
        finally:
            con.unregister(view)
        con.execute(f"DELETE FROM {_ident(table)} WHERE {sentinel}")
    if bad:
        # the repair rounds ran out: number the rest around DuckDB's own record count
        first_line = layout.skip + (1 if layout.dialect.has_header else 0)
        con.executemany(
            f"INSERT INTO {rejects_table} VALUES (?, ?, ?)",
            [[b.line - first_line, b.reason, b.raw] for b in bad],
        )
        stage = f"_jornada_stage_{uuid.uuid4().hex[:12]}"
        con.execute(f"ALTER TABLE {_ident(table)} RENAME TO {stage}")
        taken = f"SELECT _row FROM {rejects_table}"
        con.execute(
            f"CREATE TABLE {_ident(table)} AS SELECT * EXCLUDE (_old) FROM "
            f"({numbered_sql(f'(SELECT _row AS _old, * EXCLUDE (_row) FROM {stage})', taken)})"
        )
        _drop(con, stage)
    return _count(con, table)


def numbered_sql(stage: str, taken: str) -> str:
    """``stage`` rows (in file order) with ``_row``: the numbers not in ``taken``'s.

    The i-th landed row gets the i-th positive integer missing from ``taken``'s ``_row``.
    """
    return (
        f"WITH r AS (SELECT _row, row_number() OVER (ORDER BY _row) AS j FROM ({taken})), "
        "gaps AS (SELECT _row - j AS gap, max(j) AS j FROM r GROUP BY ALL), "
        f"s AS (SELECT row_number() OVER () AS i, * FROM {stage}) "
        "SELECT CAST(s.i + coalesce(gaps.j, 0) AS BIGINT) AS _row, s.* EXCLUDE (i) "
        "FROM s ASOF LEFT JOIN gaps ON s.i > gaps.gap ORDER BY s.i"
    )


# --- Parquet -----------------------------------------------------------------------------


def _load_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> RawSource:
    described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    source_names = [str(row[0]) for row in described]
    names = clean_column_names(source_names)
    # Scalar columns keep their Parquet types (typing them again from text would only cost
    # time); nested values land as JSON text.
    types = {
        name: str(row[1])
        for name, row in zip(names, described, strict=True)
        if _is_scalar(str(row[1])) and str(row[1]).upper() != "VARCHAR"
    }
    columns = ", ".join(
        f"{_ident(src) if name in types else _text_sql(_ident(src), str(row[1]))} AS {_ident(name)}"
        for src, name, row in zip(source_names, names, described, strict=True)
    )
    select = f", {columns}" if columns else ""
    con.execute(
        f"CREATE OR REPLACE TABLE {_ident(table)} AS SELECT CAST(file_row_number + 1 AS BIGINT) "
        f"AS _row{select} FROM read_parquet(?, file_row_number=true)",
        [str(path)],
    )
    rows = _count(con, table)
    return RawSource(path, FileFormat.PARQUET, table, names, rows, 0, None, None, types)


def _is_scalar(type_name: str) -> bool:
    upper = type_name.upper()
    return not (upper.startswith(("STRUCT", "MAP", "UNION")) or upper.endswith("]"))


def _text_sql(column: str, type_name: str) -> str:
    """SQL turning a typed column into text: ISO timestamps, JSON for nested values."""
    upper = type_name.upper()
    if upper == "VARCHAR":
        return column
    if upper.startswith("TIMESTAMP WITH TIME ZONE"):
        return f"CAST(timezone('UTC', {column}) AS VARCHAR) || '+00:00'"
    if upper.startswith(("STRUCT", "MAP", "UNION")) or upper.endswith("]"):
        return f"CAST(to_json({column}) AS VARCHAR)"
    return f"CAST({column} AS VARCHAR)"


# --- JSON Lines --------------------------------------------------------------------------


def _load_jsonl(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> RawSource:
    """One record per non-blank line (or per element of a top-level JSON array)."""
    tag = uuid.uuid4().hex[:12]
    stage, lines, errors = (
        f"_jornada_stage_{tag}",
        f"_jornada_lines_{tag}",
        f"_jornada_errors_{tag}",
    )
    with open_binary(path) as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    compression = "gzip" if _is_gzip(path) else "none"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {errors} (line BIGINT, csv_line VARCHAR)")
    if head.startswith(b"["):
        source = "read_json_objects(?, format='array', compression=?)"
        parameters: list[object] = [str(path), compression]
    else:
        con.execute(f"DROP TABLE {errors}")
        source = (
            "read_csv(?, auto_detect=false, columns={'json': 'VARCHAR'}, delim=e'\\n', quote='', "
            "escape='', header=false, compression=?, store_rejects=true, rejects_table=?, "
            "rejects_scan=?, max_line_size=?)"
        )
        parameters = [str(path), compression, errors, f"{errors}_scan", MAX_LINE_BYTES]
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {stage} AS SELECT row_number() OVER () AS _row, "
        f"CAST(json AS VARCHAR) AS line FROM {source}",
        parameters,
    )
    con.execute(f"DROP TABLE IF EXISTS {errors}_scan")
    if con.execute(f"SELECT count(*) FROM {errors}").fetchall()[0][0]:
        # lines DuckDB could not read: number the others around them
        taken = f"SELECT DISTINCT line AS _row FROM {errors}"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {stage} AS SELECT * EXCLUDE (_old) FROM "
            f"({numbered_sql(f'(SELECT _row AS _old, line FROM {stage})', taken)})"
        )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {lines} AS SELECT _row, line, "
        "CASE WHEN json_valid(line) THEN json_type(line) END AS kind FROM "
        f"(SELECT _row, ltrim(line, e'\\ufeff') AS line FROM {stage}) "
        "WHERE trim(coalesce(line, '')) <> ''"
    )
    rejects = _ident(f"{table}_rejects")
    con.execute(
        f"INSERT INTO {rejects} SELECT _row, CASE WHEN kind IS NULL THEN 'not valid JSON' "
        "ELSE 'not a JSON object but ' || CASE kind WHEN 'ARRAY' THEN 'an array' "
        "WHEN 'VARCHAR' THEN 'a string' WHEN 'BOOLEAN' THEN 'true/false' "
        "WHEN 'NULL' THEN 'null' ELSE 'a number' END END, left(line, ?) "
        f"FROM {lines} WHERE kind IS DISTINCT FROM 'OBJECT' "
        f"UNION ALL SELECT line, 'line too long or not UTF-8', arg_min(left(csv_line, ?), line) "
        f"FROM {errors} GROUP BY line ORDER BY 1",
        [RAW_CHARS, RAW_CHARS],
    )
    keysets = con.execute(
        f"SELECT json_keys(line) AS keys, min(_row) AS first FROM {lines} "
        "WHERE kind = 'OBJECT' GROUP BY keys ORDER BY first"
    ).fetchall()
    keys = list(dict.fromkeys(str(key) for keyset, _ in keysets for key in keyset))
    names = clean_column_names(keys)
    # one parse per line (json_transform) for keys DuckDB can hold in a STRUCT
    folded = Counter(key.casefold() for key in keys)
    plain = [key for key in keys if key and folded[key.casefold()] == 1]
    spec = _literal(json.dumps(dict.fromkeys(plain, "VARCHAR")))
    columns = "".join(
        f", s.{_ident(key)} AS {_ident(name)}"
        if key in plain
        else f", json_extract_string(line, {_literal(_json_path(key))}) AS {_ident(name)}"
        for key, name in zip(keys, names, strict=True)
    )
    parsed = f", json_transform(line, {spec}) AS s" if plain else ""
    con.execute(
        f"CREATE OR REPLACE TABLE {_ident(table)} AS SELECT _row{columns} "
        f"FROM (SELECT _row, line{parsed} FROM {lines} WHERE kind = 'OBJECT')"
    )
    _drop(con, stage, lines, errors)
    rows = _count(con, table)
    if rows and not names:
        raise InputError("has no columns: every record is an empty JSON object", source=path)
    return RawSource(
        path, FileFormat.JSONL, table, names, rows, _count_rejects(con, table), None, None
    )


def _json_path(key: str) -> str:
    return '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- XLSX --------------------------------------------------------------------------------


def _load_xlsx(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, sheet: str | None
) -> RawSource:
    """The first (or the named) sheet; its first non-empty row is the header."""
    import python_calamine  # imported here: only spreadsheets need it

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = list(workbook.sheet_names)
        if sheet is not None and sheet not in sheets:
            raise InputError(
                f"has no sheet {sheet!r}; its sheets: {', '.join(sheets)}", source=path
            )
        if not sheets:
            raise InputError("has no sheets", source=path)
        chosen = sheet if sheet is not None else sheets[0]
        rows = iter(workbook.get_sheet_by_name(chosen).iter_rows())
        writer = TextTableWriter(con, table)
        raw_names: list[str | None] | None = None
        batch: list[tuple[int, list[str | None]]] = []
        number = 0
        for row in rows:
            values = [_cell_text(v) for v in row]
            while values and values[-1] is None:
                values.pop()
            if raw_names is None:
                raw_names = values or None  # rows above the header are skipped
                continue
            number += 1
            if not values:
                continue
            batch.append((number, values))
            if len(batch) >= BATCH_ROWS:
                raw_names = _write_xlsx_batch(writer, raw_names, batch)
                batch = []
        if raw_names is not None:
            raw_names = _write_xlsx_batch(writer, raw_names, batch)
            writer.add_columns(clean_column_names(raw_names))
    except python_calamine.PasswordError:
        raise InputError(
            "is protected by a password; save a copy without one", source=path
        ) from None
    except python_calamine.CalamineError as err:
        with open(path, "rb") as fh:
            magic = fh.read(4)
        if magic not in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
            raise InputError(
                "is not an Excel workbook (it looks like text: rename it to .csv?)", source=path
            ) from None
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputError(
            f"is not a readable spreadsheet ({message}); save it again as .xlsx", source=path
        ) from None
    return RawSource(
        path, FileFormat.XLSX, table, tuple(writer.columns), _count(con, table), 0, None, chosen
    )


def _write_xlsx_batch(
    writer: TextTableWriter, raw_names: list[str | None], batch: list[tuple[int, list[str | None]]]
) -> list[str | None]:
    """Append a batch; cells right of the header get ``column_N`` columns."""
    width = max([len(raw_names), *(len(values) for _, values in batch)])
    raw_names = raw_names + [None] * (width - len(raw_names))
    names = clean_column_names(raw_names)
    writer.write(text_batch([n for n, _ in batch], [v for _, v in batch], names))
    return raw_names


def _cell_text(value: object) -> str | None:
    """A spreadsheet cell as text: ISO dates, numbers without float noise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --- XES ---------------------------------------------------------------------------------


def _load_xes(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> RawSource:
    writer = TextTableWriter(con, table)
    writer.add_columns(XES_COLUMNS)
    for batch in iter_xes_batches(path, BATCH_ROWS):
        writer.write(batch)
    return RawSource(
        path, FileFormat.XES, table, tuple(writer.columns), _count(con, table), 0, None, None
    )


# --- landing Arrow batches -------------------------------------------------------------


class TextTableWriter:
    """Appends Arrow batches of text columns to a new table, adding columns as they appear."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
        self.con = con
        self.table = table
        self.columns: list[str] = []
        con.execute(f"CREATE OR REPLACE TABLE {_ident(table)} (_row BIGINT)")

    def add_columns(self, names: Iterable[str]) -> None:
        known = {c.casefold() for c in self.columns}
        for name in names:
            if name.casefold() not in known:
                self.con.execute(
                    f"ALTER TABLE {_ident(self.table)} ADD COLUMN {_ident(name)} VARCHAR"
                )
                self.columns.append(name)
                known.add(name.casefold())

    def write(self, batch: pa.Table) -> None:
        """Append ``batch``: ``_row`` plus string columns (new names become new columns)."""
        if batch.num_rows == 0:
            return
        self.add_columns(n for n in batch.column_names if n != "_row")
        view = f"_jornada_batch_{uuid.uuid4().hex[:12]}"
        self.con.register(view, batch)
        try:
            self.con.execute(f"INSERT INTO {_ident(self.table)} BY NAME SELECT * FROM {view}")
        finally:
            self.con.unregister(view)


def text_batch(
    numbers: list[int], rows: list[list[str | None]], names: tuple[str, ...]
) -> pa.Table:
    """An Arrow table ``_row`` + ``names`` from row lists (short rows padded with nulls)."""
    width = len(names)
    padded = [row + [None] * (width - len(row)) for row in rows]
    columns = list(zip(*padded, strict=True)) if padded else [()] * width
    arrays = [pa.array(numbers, pa.int64())]
    arrays += [pa.array(list(col), pa.string()) for col in columns]
    return pa.Table.from_arrays(arrays, names=["_row", *names])


# --- helpers -----------------------------------------------------------------------------


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {_ident(table)}").fetchall()[0][0])


def _count_rejects(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return _count(con, f"{table}_rejects")


def _drop(con: duckdb.DuckDBPyConnection, *tables: str) -> None:
    for name in tables:
        try:
            con.execute(f"DROP TABLE IF EXISTS {_ident(name)}")
        except duckdb.TransactionException:
            return  # inside a failed transaction: its rollback removes the tables


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"
