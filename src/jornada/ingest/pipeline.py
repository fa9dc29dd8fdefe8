"""Importing one export file into a workspace, all in SQL, all or nothing.

1. The raw reader lands every record as text (``_raw``), counting records it cannot split.
2. A mapping names the source column of each canonical column.
3. One SELECT types every column and names the first problem of each row (``_typed``).
4. Events get their touchpoint and stage from the map's matching rules.
5. Rows already in the workspace (same key) are skipped; the rest are inserted, with
   personal fields hashed when asked. Rejected rows go to a CSV beside the workspace.
The import runs in one transaction: a failure leaves the workspace as it was.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jornada.files import write_csv
from jornada.ingest import parse
from jornada.ingest.mapping import (
    ColumnMapping,
    Kind,
    guess_kind,
    guess_mapping,
    load_mapping_file,
)
from jornada.ingest.readers import load_raw
from jornada.ingest.report import ImportReport
from jornada.ingest.resolve import lookup_values, quote, touchpoint_case
from jornada.model import JourneyMap
from jornada.workspace import Workspace
from jornada.workspace.schema import TABLES, Column

WON = ("won", "win", "ganado", "ganada", "ganho", "ganha", "closed won", "closedwon",
       "closed_won", "true", "1", "yes", "si", "sí", "sim")  # fmt: skip
LOST = ("lost", "loss", "perdido", "perdida", "closed lost", "closedlost", "closed_lost",
        "false", "0", "no", "não", "nao")  # fmt: skip


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _col(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _typed_expr(column: Column, text: str, date_order: str, decimal: str, tz: str) -> str:
    """SQL typing the trimmed text ``text`` as ``column``'s type (NULL when unreadable).

    The common case — ISO timestamps, plain numbers — takes DuckDB's own cast; only what
    that cast cannot read goes through the slower, more forgiving parsers.
    """
    if column.sql_type == "TIMESTAMPTZ":
        slow = parse.timestamp_sql(text, date_order, tz=tz)
        if tz != "UTC":
            return slow
        fast = f"try_cast({text} AS TIMESTAMPTZ)"
        return f"(CASE WHEN {fast} IS NOT NULL THEN {fast} ELSE {slow} END)"
    if column.sql_type in ("DOUBLE", "BIGINT"):
        slow = parse.number_sql(text, decimal)
        fast = f"try_cast({text} AS DOUBLE)"
        plain = "TRUE" if decimal == "." else f"NOT contains({text}, '.')"
        number = f"(CASE WHEN {fast} IS NOT NULL AND {plain} THEN {fast} ELSE {slow} END)"
        if column.sql_type == "BIGINT":
            return f"TRY_CAST(round({number}) AS BIGINT)"
        return number
    if column.sql_type == "BOOLEAN":
        return parse.boolean_sql(text)
    return text


NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
           "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "REAL")  # fmt: skip


def _native_expr(column: Column, source: str, source_type: str, tz: str) -> str | None:
    """SQL converting a natively typed source column, or None to go through text."""
    kind = source_type.upper()
    if column.sql_type == "VARCHAR":
        return f"CAST({source} AS VARCHAR)"
    if column.sql_type == "TIMESTAMPTZ":
        if kind.startswith("TIMESTAMP WITH TIME ZONE"):
            return source
        if kind.startswith(("TIMESTAMP", "DATE")):
            return f"timezone({quote(tz)}, CAST({source} AS TIMESTAMP))"
        return None
    numeric = kind in NUMERIC or kind.startswith("DECIMAL")
    if column.sql_type in ("DOUBLE", "BIGINT") and numeric:
        return f"TRY_CAST({source} AS {column.sql_type})"
    if column.sql_type == "BOOLEAN" and (kind == "BOOLEAN" or numeric):
        return source if kind == "BOOLEAN" else f"({source} <> 0)"
    return None


def _outcome_expr(source: str) -> str:
    """Won, lost or open from an outcome or a stage name in any of the three languages."""
    value = f"lower(trim({source}))"
    won = ", ".join(quote(w) for w in WON)
    lost = ", ".join(quote(w) for w in LOST)
    return (
        f"CASE WHEN {source} IS NULL OR trim({source}) = '' THEN NULL "
        f"WHEN {value} IN ({won}) OR {value} LIKE '%won%' OR {value} LIKE '%ganad%' "
        f"OR {value} LIKE '%ganh%' THEN 'won' "
        f"WHEN {value} IN ({lost}) OR {value} LIKE '%lost%' OR {value} LIKE '%perdid%' "
        "THEN 'lost' ELSE 'open' END"
    )


def _trimmed(text: str) -> str:
    """``text`` without surrounding spaces, NULL when blank. Most values have no spaces to
    remove: checking the ends is several times cheaper than ``trim`` on every value."""
    return (
        f"CASE WHEN {text} = '' THEN NULL "
        f"WHEN starts_with({text}, ' ') OR ends_with({text}, ' ') THEN nullif(trim({text}), '') "
        f"ELSE {text} END"
    )


def typed_select(
    mapping: ColumnMapping,
    date_order: str,
    decimal: str,
    types: dict[str, str] | None = None,
) -> str:
    """SELECT over ``_raw`` giving every canonical column typed, plus ``_reason``: the
    first problem of the row (a required value missing, a value that cannot be read)."""
    table = TABLES[mapping.kind.value]
    exprs: list[str] = []
    texts: list[str] = []  # helper columns, dropped from the result
    reasons: list[str] = []
    for column in table.columns:
        if column.name in ("import_id", "source_row"):
            continue
        name = _col(column.name)
        if column.name in mapping.constants:
            raw: str | None = quote(mapping.constants[column.name])
        elif column.name in mapping.columns:
            raw = _col(mapping.columns[column.name])
        else:
            raw = None
        if column.name == "outcome" and mapping.kind is Kind.opportunities:
            source = raw or (_col(mapping.columns["stage"]) if "stage" in mapping.columns else None)
            exprs.append(f"{_outcome_expr(source) if source else 'NULL'} AS outcome")
            continue
        if raw is None:
            exprs.append(f"CAST(NULL AS {column.sql_type}) AS {name}")
            if column.required:
                reasons.append(f"WHEN TRUE THEN 'missing {column.name}'")
            continue
        source_type = (types or {}).get(mapping.columns.get(column.name, ""))
        native = _native_expr(column, raw, source_type, mapping.timezone) if source_type else None
        if native is not None:
            has_name = _col(f"__has_{column.name}")
            texts.append(has_name)
            exprs.append(f"({raw} IS NOT NULL) AS {has_name}")
            exprs.append(f"{native} AS {name}")
            present, shown = has_name, "'(not convertible)'"
        else:
            if source_type:
                raw = f"CAST({raw} AS VARCHAR)"
            text_name = _col(f"__text_{column.name}")
            texts.append(text_name)
            exprs.append(f"{_trimmed(raw)} AS {text_name}")
            typed = _typed_expr(column, text_name, date_order, decimal, mapping.timezone)
            exprs.append(f"{typed} AS {name}")
            present, shown = f"{text_name} IS NOT NULL", text_name
        if column.required:
            reasons.append(f"WHEN NOT ({present}) THEN 'missing {column.name}'")
        if column.sql_type != "VARCHAR":
            reasons.append(
                f"WHEN {name} IS NULL AND {present} THEN "
                f"'unparseable {column.name}: ' || left({shown}, 60)"
            )
    reason = ("CASE " + " ".join(reasons) + " END") if reasons else "CAST(NULL AS VARCHAR)"
    exclude = f" EXCLUDE ({', '.join(texts)})" if texts else ""
    return f"""
SELECT *{exclude}, {reason} AS _reason
FROM (SELECT _row, {", ".join(exprs)} FROM _raw)
"""


def _resolved_select(journey: JourneyMap | None) -> str:
    """Events with touchpoint, stage, channel kind and unit filled from the map."""
    if journey is None:
        return "SELECT * FROM _valid"
    return f"""
SELECT v.* EXCLUDE (_touchpoint) REPLACE (
    v._touchpoint AS touchpoint,
    coalesce(sn.stage_id, tp.stage, v.stage) AS stage,
    coalesce(v.channel, tp.channel) AS channel,
    coalesce(v.channel_kind, tp.channel_kind) AS channel_kind,
    coalesce(v.business_unit, nullif(tp.owner_bu, '')) AS business_unit
)
FROM (SELECT *, coalesce(touchpoint, {touchpoint_case(journey)}) AS _touchpoint FROM _valid) v
LEFT JOIN _map_touchpoints tp ON tp.id = v._touchpoint
LEFT JOIN _map_stage_names sn ON sn.name = lower(v.stage)
"""


def _register_map(ws: Workspace, journey: JourneyMap) -> None:
    values = lookup_values(journey)
    con = ws.con
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _map_touchpoints "
        "(id VARCHAR, stage VARCHAR, channel VARCHAR, channel_kind VARCHAR, owner_bu VARCHAR)"
    )
    if values["touchpoints"]:
        con.executemany(
            "INSERT INTO _map_touchpoints VALUES (?, ?, ?, ?, ?)", values["touchpoints"]
        )
    con.execute("CREATE OR REPLACE TEMP TABLE _map_stage_names (name VARCHAR, stage_id VARCHAR)")
    if values["stage_names"]:
        con.executemany("INSERT INTO _map_stage_names VALUES (?, ?)", values["stage_names"])


def _pseudonymised(ws: Workspace, kind: Kind, pseudonymize: bool) -> list[str]:
    secret = ws.setting("secret") or ""
    out = []
    for column in TABLES[kind.value].columns:
        if column.name in ("import_id", "source_row"):
            continue
        name = _col(column.name)
        if pseudonymize and column.personal:
            out.append(f"CASE WHEN {name} IS NULL THEN NULL ELSE "
                       f"substr(sha256({quote(secret)} || ':' || {name}), 1, 20) END")  # fmt: skip
        else:
            out.append(name)
    return out


@dataclass(frozen=True)
class Landing:
    """Text rows waiting in ``_raw`` (with ``_raw_rejects``), whoever put them there."""

    source: str
    columns: tuple[str, ...]
    rejected: int
    """Records the reader could not split into columns (already in ``_raw_rejects``)."""
    date_order: str = "ymd"
    decimal: str = "."
    info: dict[str, object] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    """DuckDB types of source columns landed typed (not text)."""


def already_imported(ws: Workspace, sha: str, source: str) -> ImportReport | None:
    """The report of a source with this fingerprint imported before: nothing changes."""
    previous = ws.con.execute(
        "SELECT kind, rows_read, rows_loaded, rows_rejected, rows_duplicate FROM imports "
        "WHERE sha256 = ? ORDER BY import_id LIMIT 1",
        [sha],
    ).fetchone()
    if previous is None:
        return None
    was_kind, read, loaded, rejected, duplicate = previous
    return ImportReport(source, str(was_kind), rows_read=int(read), rows_rejected=int(rejected),
                        rows_duplicate=int(loaded + duplicate), already_imported=True)  # fmt: skip


@contextmanager
def transaction(ws: Workspace) -> Iterator[None]:
    """All or nothing; the staging tables are gone afterwards either way."""
    con = ws.con
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        for temp in ("_raw", "_raw_rejects", "_typed"):
            con.execute(f"DROP TABLE IF EXISTS {temp}")


def import_file(
    ws: Workspace,
    path: Path,
    *,
    kind: Kind | None = None,
    mapping_file: Path | None = None,
    journey: JourneyMap | None = None,
    pseudonymize: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    rejected_dir: Path | None = None,
) -> ImportReport:
    """Import one file; the report accounts for every row read."""
    path = Path(path)
    sha = file_sha256(path)
    done = already_imported(ws, sha, str(path))
    if done is not None:
        return done
    with transaction(ws):
        raw = load_raw(ws.con, path, "_raw", encoding=encoding, delimiter=delimiter, sheet=sheet)
        if mapping_file is not None:
            mapping = load_mapping_file(mapping_file, raw.columns, source=path.name)
        else:
            kind = kind or guess_kind(path, raw.columns)
            mapping = guess_mapping(kind, raw.columns, source=path.name)
        dialect = raw.dialect
        landing = Landing(
            str(path), raw.columns, raw.rejected,
            date_order=dialect.date_order if dialect else "ymd",
            decimal=dialect.decimal if dialect else ".",
            info=_dialect_info(raw), types=raw.types,
        )  # fmt: skip
        return load_landed(ws, landing, mapping, sha, journey=journey,
                           pseudonymize=pseudonymize, rejected_dir=rejected_dir)  # fmt: skip


def load_landed(
    ws: Workspace,
    landing: Landing,
    mapping: ColumnMapping,
    sha: str,
    *,
    journey: JourneyMap | None = None,
    pseudonymize: bool = False,
    rejected_dir: Path | None = None,
) -> ImportReport:
    """Type, check, resolve, dedupe and insert what waits in ``_raw``; record the import.

    Call inside :func:`transaction`."""
    con = ws.con
    kind = mapping.kind
    date_order = mapping.date_order or landing.date_order
    decimal = mapping.decimal or landing.decimal
    report = ImportReport(landing.source, kind.value, mapping=mapping.as_dict(),
                          dialect=landing.info)  # fmt: skip
    typed = typed_select(mapping, date_order, decimal, landing.types)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _typed AS {typed}")
    if kind is Kind.events and journey is not None:
        _register_map(ws, journey)
    table = TABLES[kind.value]
    key = [_col(k) for k in table.key]
    same_key = " AND ".join(f"t.{k} IS NOT DISTINCT FROM f.{k}" for k in key)
    resolved = _resolved_select(journey if kind is Kind.events else None)
    # Identical events inside one file are kept (logs may repeat an activity at the same
    # instant), and so are identical rows of a path table (each counts journeys); a
    # reference row (account, contact, deal…) is kept once per key.
    once = (
        ""
        if kind in (Kind.events, Kind.paths)
        else (f"QUALIFY row_number() OVER (PARTITION BY {', '.join(key)} ORDER BY _row) = 1")
    )
    # Rows already in the workspace are skipped (no need to look in an empty table).
    new = "TRUE" if ws.count(table.name) == 0 else (
        f"NOT EXISTS (SELECT 1 FROM {table.name} t WHERE {same_key})"
    )  # fmt: skip
    import_id = _scalar(ws, "SELECT coalesce(max(import_id), 0) + 1 FROM imports")
    columns = [c.name for c in table.columns if c.name not in ("import_id", "source_row")]
    values = _pseudonymised(ws, kind, pseudonymize)
    inserted = con.execute(f"""
INSERT INTO {table.name} ({", ".join(_col(c) for c in columns)}, import_id, source_row)
SELECT {", ".join(values)}, {import_id}, _row FROM (
    WITH _valid AS (SELECT * EXCLUDE (_reason) FROM _typed WHERE _reason IS NULL)
    SELECT * FROM ({resolved}) f
    WHERE {new}
    {once}
)
""").fetchone()
    total_typed, typed_rejects = con.execute(
        "SELECT count(*), count(_reason) FROM _typed"
    ).fetchone() or (0, 0)
    report.rows_loaded = int(inserted[0]) if inserted else 0
    report.rows_rejected = int(typed_rejects) + landing.rejected
    report.rows_read = int(total_typed) + landing.rejected
    report.rows_duplicate = int(total_typed) - int(typed_rejects) - report.rows_loaded
    if not report.balanced or report.rows_duplicate < 0:
        raise AssertionError(
            f"{landing.source}: import accounting does not add up: {report.to_dict()}"
        )
    report.reasons = _reasons(ws, landing.rejected)
    if kind is Kind.events and journey is not None:
        rows = con.execute(
            "SELECT activity, count(*) AS n FROM events WHERE import_id = ? AND touchpoint IS NULL "
            "GROUP BY activity ORDER BY n DESC, activity",
            [import_id],
        ).fetchall()
        report.unmapped_activities = [(str(a), int(n)) for a, n in rows]
    if report.rows_rejected:
        report.rejected_file = _write_rejects(ws, landing, rejected_dir)
    con.execute(
        "INSERT INTO imports (import_id, kind, source, sha256, rows_read, rows_loaded, "
        "rows_rejected, rows_duplicate) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [import_id, kind.value, landing.source, sha, report.rows_read, report.rows_loaded,
         report.rows_rejected, report.rows_duplicate],
    )  # fmt: skip
    report.import_id = import_id
    return report


def _scalar(ws: Workspace, sql: str) -> int:
    return int(ws.scalar(sql) or 0)


def _reasons(ws: Workspace, raw_rejected: int) -> list[tuple[str, int]]:
    rows = ws.con.execute(
        "SELECT split_part(_reason, ':', 1) AS reason, count(*) AS n FROM _typed "
        "WHERE _reason IS NOT NULL GROUP BY reason ORDER BY n DESC, reason"
    ).fetchall()
    reasons = [(str(r), int(n)) for r, n in rows]
    if raw_rejected:
        rows = ws.con.execute(
            "SELECT split_part(reason, ':', 1) AS reason, count(*) AS n FROM _raw_rejects "
            "GROUP BY reason ORDER BY n DESC, reason"
        ).fetchall()
        reasons += [(str(r), int(n)) for r, n in rows]
    return sorted(reasons, key=lambda item: -item[1])


def _write_rejects(ws: Workspace, landing: Landing, rejected_dir: Path | None) -> Path:
    columns = landing.columns
    if rejected_dir is not None:
        target_dir = rejected_dir
    elif ws.path != ":memory:":
        target_dir = Path(ws.path).parent / "rejected"
    else:  # a throw-away workspace: never litter the working directory
        target_dir = Path(tempfile.mkdtemp(prefix="jornada-rejected-"))
    target_dir.mkdir(parents=True, exist_ok=True)
    out = target_dir / f"{Path(landing.source).name}.rejected.csv"
    # Rows typed but invalid keep their columns; records that could not even be split
    # into columns keep their raw text.
    source = ", ".join(f"r.{_col(c)}" for c in columns)
    nulls = ", ".join(f"NULL AS {_col(c)}" for c in columns)
    table = ws.con.sql(f"""
SELECT r._row AS row, t._reason AS reason, NULL AS raw{", " + source if source else ""}
FROM _typed t JOIN _raw r USING (_row) WHERE t._reason IS NOT NULL
UNION ALL BY NAME
SELECT _row AS row, reason, raw{", " + nulls if nulls else ""} FROM _raw_rejects
ORDER BY row
""").to_arrow_table()
    write_csv(table, out)
    return out


def _dialect_info(raw: object) -> dict[str, object]:
    dialect = getattr(raw, "dialect", None)
    info: dict[str, object] = {"format": str(getattr(raw, "format", ""))}
    if dialect is not None:
        for name in ("encoding", "delimiter", "decimal", "date_order", "double_encoded"):
            info[name] = getattr(dialect, name, None)
    return info
