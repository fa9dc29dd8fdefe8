"""Running a preset: vendor tables in, canonical tables out through the one import path.

A preset's builders are SQL (one SELECT per canonical table, over the ``_src_*`` views and
the canonical tables already loaded). Each SELECT yields candidate rows: the canonical
columns as text plus bookkeeping columns:

``_why``      a reason the preset already knows the row cannot be placed (or NULL)
``_deleted``  the row is flagged deleted at the source
``_file``, ``_line``  where it came from
``_part``     which kind of row (orders the rows: engagements before stage changes…)
``_version``  1 for the current version of a record, 2… for older ones
``_group``    the record (older versions of a rejected record are rejected with it)
``_fan``      what tells apart the rows one source row became (one per contact…)

Rows that point at an account, contact or opportunity the workspace does not hold, and
events linked to none of them, are rejected with the reason. The placeable rows land in
``_raw`` (``_row`` numbered in a stable order), the others in ``_raw_rejects``, and
:func:`~jornada.ingest.pipeline.load_landed` types, checks, dedupes and inserts them, one
canonical table at a time, inside one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from jornada.ingest.batch import use_map
from jornada.ingest.mapping import ColumnMapping, Kind
from jornada.ingest.pipeline import (
    Landing,
    already_imported,
    file_sha256,
    load_landed,
    transaction,
)
from jornada.ingest.presets.sources import (
    PresetError,
    Source,
    Staged,
    drop_staging,
    find_files,
    stage,
    unused_files,
)
from jornada.ingest.presets.vocabulary import literal
from jornada.ingest.report import ImportReport
from jornada.model import JourneyMap
from jornada.workspace import Workspace
from jornada.workspace.schema import TABLES

# Reference tables first, so every reference can be checked against what is loaded.
ORDER = (Kind.reps, Kind.accounts, Kind.contacts, Kind.opportunities, Kind.events)
UNREADABLE = "record cannot be split into columns"
META = ("_why", "_deleted", "_file", "_line", "_part", "_version", "_group", "_fan")


@dataclass(frozen=True)
class Nouns:
    """What the vendor calls an account, a contact and an opportunity (for reasons)."""

    account: str
    contact: str
    opportunity: str


Builder = Callable[["Context"], str]
Check = Callable[["Context", int], str]


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    nouns: Nouns
    sources: tuple[Source, ...]
    builders: Mapping[Kind, Builder]
    checks: Mapping[Kind, tuple[tuple[str, Check], ...]]
    """Per table, counts worth knowing that reject nothing: (label, SQL count given the
    import id of the rows just loaded)."""


@dataclass(frozen=True)
class Context:
    preset: Preset
    staged: Mapping[str, Staged]
    include_deleted: bool

    def __getitem__(self, name: str) -> Staged:
        return self.staged[name]


def fingerprint(file_hashes: list[str], kind: Kind, *, include_deleted: bool = False) -> str:
    """SHA-256 over the sorted file hashes and the table name: the same folder gives the
    same fingerprint, whatever the file order. Keeping deleted records (which loads other
    rows) is told apart."""
    digest = hashlib.sha256()
    for file_hash in sorted(file_hashes):
        digest.update(file_hash.encode("ascii") + b"\n")
    digest.update(kind.value.encode("ascii"))
    if include_deleted:
        digest.update(b"\ninclude_deleted")
    return digest.hexdigest()


def run_preset(
    ws: Workspace,
    preset: Preset,
    directory: Path,
    *,
    journey: JourneyMap | None = None,
    pseudonymize: bool = False,
    rejected_dir: Path | None = None,
    include_deleted: bool = False,
) -> list[ImportReport]:
    """Import a folder of ``preset``'s tables; one report per canonical table."""
    directory = Path(directory)
    if not directory.is_dir():
        raise PresetError(
            f"{directory}: not a folder; give the folder that holds the {preset.title} files"
        )
    files = find_files(directory, preset.sources)
    if not files:
        names = ", ".join(f"{s.files[0]}.csv" for s in preset.sources[:4])
        raise PresetError(
            f"{directory}: no {preset.title} tables here (looked for {names} and the like)"
        )
    hashes = [file_sha256(path) for path in files.values()]
    shas = {kind: fingerprint(hashes, kind, include_deleted=include_deleted) for kind in ORDER}
    sources = {kind: str(directory / f"{preset.name}.{kind.value}") for kind in ORDER}
    done = {kind: already_imported(ws, shas[kind], sources[kind]) for kind in ORDER}
    if all(report is not None for report in done.values()):
        return [report for report in done.values() if report is not None]
    if journey is not None:
        use_map(ws, journey)
    info: dict[str, object] = {
        "format": preset.name,
        "files": {name: path.name for name, path in files.items()},
        "files_not_used": unused_files(directory, files),
    }
    reports: list[ImportReport] = []
    try:
        # Files land before the transaction: a file a reader rejects stops the import with
        # its message, the workspace untouched.
        context = Context(preset, stage(ws.con, preset.sources, files), include_deleted)
        with transaction(ws):
            for kind in ORDER:
                previous = done[kind]
                if previous is not None:
                    reports.append(previous)
                    continue
                landing = _land(ws.con, context, kind, sources[kind], info)
                report = load_landed(
                    ws, landing, _identity(ws.con, kind), shas[kind],
                    journey=journey if kind is Kind.events else None,
                    pseudonymize=pseudonymize, rejected_dir=rejected_dir,
                )  # fmt: skip
                report.reasons = _reasons(ws.con, report.reasons)
                checks = _checks(ws.con, context, kind, report.import_id)
                if checks:
                    report.dialect = {**report.dialect, "checks": checks}
                reports.append(report)
    finally:
        drop_staging(ws.con, preset.sources)
        ws.con.execute("DROP TABLE IF EXISTS _cand")
    return reports


def _reason_sql(context: Context, kind: Kind) -> str:
    """The first reason a candidate row cannot be placed, in SQL over alias ``c``."""
    nouns = context.preset.nouns
    whens = ["WHEN c._why IS NOT NULL THEN c._why"]
    if not context.include_deleted:
        whens.append(f"WHEN c._deleted THEN 'deleted in {context.preset.title}'")
    refs: list[tuple[str, str, str]] = []
    if kind in (Kind.contacts, Kind.opportunities, Kind.events):
        refs.append(("account_id", "accounts", nouns.account))
    if kind is Kind.events:
        refs += [
            ("contact_id", "contacts", nouns.contact),
            ("opportunity_id", "opportunities", nouns.opportunity),
        ]
    for column, table, noun in refs:
        whens.append(
            f"WHEN c.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {table} t "
            f"WHERE t.{column} = c.{column}) THEN '{noun} not in the workspace: ' || c.{column}"
        )
    if kind is Kind.events:
        whens.append(
            "WHEN c.account_id IS NULL AND c.contact_id IS NULL AND c.opportunity_id IS NULL "
            f"THEN 'not linked to a {nouns.contact}, {nouns.account} or {nouns.opportunity}'"
        )
    return "CASE " + " ".join(whens) + " END"


def _land(
    con: duckdb.DuckDBPyConnection,
    context: Context,
    kind: Kind,
    source: str,
    info: Mapping[str, object],
) -> Landing:
    """Fill ``_raw`` and ``_raw_rejects`` with the candidates of ``kind``."""
    builder = context.preset.builders[kind]
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE _cand AS
WITH c AS ({builder(context)}),
r AS (SELECT c.*, {_reason_sql(context, kind)} AS _first FROM c)
SELECT row_number() OVER (ORDER BY _part, _version, _file, _line, _fan NULLS FIRST) AS _row,
       r.* EXCLUDE (_first),
       CASE WHEN _first IS NULL AND _group IS NOT NULL AND _version > 1
                 AND first_value(_first) OVER (PARTITION BY _part, _group ORDER BY _version)
                     IS NOT NULL
            THEN 'older version of a rejected record'
            ELSE _first END AS _reason
FROM r
""")
    described = con.execute("DESCRIBE _cand").fetchall()
    names = {str(row[0]) for row in described}
    columns = [c for c in TABLES[kind.value].names if c in names]
    text = ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' for c in columns)
    record = "_file || ' row ' || _line"
    con.execute(
        f"CREATE OR REPLACE TABLE _raw AS SELECT _row, {text}, {record} AS source_record "
        "FROM _cand WHERE _reason IS NULL ORDER BY _row"
    )
    fields = ", ".join(f'"{c}" := CAST("{c}" AS VARCHAR)' for c in columns)
    con.execute(
        "CREATE OR REPLACE TABLE _raw_rejects AS SELECT _row, _reason AS reason, "
        f"CAST(to_json(struct_pack({fields}, source_record := {record})) AS VARCHAR) AS raw "
        "FROM _cand WHERE _reason IS NOT NULL"
    )
    _add_unreadable(con, context, kind)
    rejected = con.execute("SELECT count(*) FROM _raw_rejects").fetchone()
    # Dates and numbers are read as the table's main file writes them.
    landed = [s for s in context.staged.values() if s.path is not None]
    main = next((s for s in landed if s.source.feeds is kind), landed[0])
    return Landing(
        source,
        (*columns, "source_record"),
        int(rejected[0]) if rejected else 0,
        date_order=main.date_order,
        decimal=main.decimal,
        info=dict(info),
    )


def _add_unreadable(con: duckdb.DuckDBPyConnection, context: Context, kind: Kind) -> None:
    """Records a reader could not split, reported under the table their file feeds."""
    parts = [
        f'SELECT {literal(s.file)} AS file, _row, reason, raw FROM "{s.source.landed}_rejects"'
        for s in context.staged.values()
        if s.source.feeds is kind and s.unreadable
    ]
    if not parts:
        return
    con.execute(f"""
INSERT INTO _raw_rejects
SELECT (SELECT coalesce(max(_row), 0) FROM _cand) + row_number() OVER (ORDER BY file, _row),
       '{UNREADABLE}: ' || file || ' row ' || _row || ' (' || reason || ')', raw
FROM ({" UNION ALL ".join(parts)})
""")


def _identity(con: duckdb.DuckDBPyConnection, kind: Kind) -> ColumnMapping:
    columns = [str(row[0]) for row in con.execute("DESCRIBE _raw").fetchall()]
    table = TABLES[kind.value].names
    return ColumnMapping(kind, {c: c for c in columns if c in table})


def _reasons(
    con: duckdb.DuckDBPyConnection, reported: list[tuple[str, int]]
) -> list[tuple[str, int]]:
    """The pipeline's reasons with the preset's own rejections told apart by reason."""
    rows = con.execute(
        "SELECT split_part(reason, ':', 1), count(*) FROM _raw_rejects GROUP BY 1"
    ).fetchall()
    own = {str(reason): int(n) for reason, n in rows}
    kept = [(r, n) for r, n in reported if r not in own and r != UNREADABLE]
    return sorted([*kept, *own.items()], key=lambda item: (-item[1], item[0]))


def _checks(
    con: duckdb.DuckDBPyConnection, context: Context, kind: Kind, import_id: int | None
) -> dict[str, int]:
    out: dict[str, int] = {}
    for label, check in context.preset.checks.get(kind, ()):
        row = con.execute(check(context, import_id or -1)).fetchone()
        out[label] = int(row[0]) if row and row[0] is not None else 0
    return out
