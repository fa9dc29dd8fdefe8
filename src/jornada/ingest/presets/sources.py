"""A vendor's tables in a folder: which file is which, landed as text, read by logical names.

Each :class:`Source` says what one vendor table is called (warehouse-sync names such as
``deal_data``, object names such as ``Opportunity``, UI export names) and which of its
columns the preset reads, under logical names. :func:`stage` lands every file found with
:func:`~jornada.ingest.readers.load_raw` and puts a view ``_src_<name>`` over it with one
text column per logical name (NULL when the file lacks the column; an empty view when the
folder lacks the file), so the preset's SQL never has to ask what is there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from jornada.ingest import parse
from jornada.ingest.mapping import Kind, MappingError, normalise
from jornada.ingest.readers import load_raw

SUFFIXES = (".csv", ".csv.gz", ".tsv", ".txt", ".xlsx", ".parquet", ".jsonl", ".ndjson")

# Columns every table may carry: deletion flags and the versions of a history table.
COMMON: dict[str, tuple[str, ...]] = {
    "is_deleted": ("is_deleted", "isdeleted"),
    "fivetran_deleted": ("fivetran_deleted",),
    "archived": ("archived",),
    "fivetran_active": ("fivetran_active",),
    "fivetran_start": ("fivetran_start",),
    "fivetran_synced": ("fivetran_synced",),
}


class PresetError(MappingError):
    """A folder cannot be read with a preset (no vendor tables, two files for one table,
    a table without the column that identifies its rows)."""


@dataclass(frozen=True)
class Source:
    """One vendor table and the columns read from it.

    ``columns`` maps a logical name to the source column names it may have (normalised as
    :func:`~jornada.ingest.mapping.normalise` does; ``property_<name>`` is tried too, as
    warehouse syncs of HubSpot write it). The first name present wins.
    """

    name: str
    feeds: Kind
    """The canonical table its unreadable records are reported under."""
    files: tuple[str, ...]
    """Normalised file stems: ``deal_data``, ``deal``, ``deals``…"""
    columns: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    """Regular expressions on the normalised stem (UI exports carry dates in the name)."""

    def matches(self, stem: str) -> bool:
        return stem in self.files or any(re.search(p, stem) for p in self.patterns)

    @property
    def view(self) -> str:
        return f"_src_{self.name}"

    @property
    def landed(self) -> str:
        return f"_pre_{self.name}"


@dataclass(frozen=True)
class Staged:
    """A source as landed: where it came from and how to read its values."""

    source: Source
    path: Path | None
    found: dict[str, str] = field(default_factory=dict)
    """Logical name -> source column."""
    columns: tuple[str, ...] = ()
    """Every column of the file, as landed."""
    date_order: str = "ymd"
    decimal: str = "."
    unreadable: int = 0
    """Records the reader could not split into columns (in ``<landed>_rejects``)."""

    @property
    def view(self) -> str:
        return self.source.view

    @property
    def file(self) -> str:
        return self.path.name if self.path else self.source.name

    def has(self, logical: str) -> bool:
        return logical in self.found

    def ts_value(self, column: str) -> str:
        """SQL: the column (``alias.logical``) as TIMESTAMPTZ for ordering rows (ISO text;
        NULL otherwise)."""
        return f"TRY_CAST({column} AS TIMESTAMPTZ)"

    def ts(self, column: str) -> str:
        """SQL: the column as the import reads it (the import types it with the file's
        date order and names a bad value in its rejection)."""
        return column

    def num(self, column: str) -> str:
        """SQL: the column as the import reads it (typed with the file's decimal mark)."""
        return column

    def flag(self, column: str) -> str:
        """SQL: the column read as BOOLEAN (NULL when empty or not a yes/no)."""
        return parse.boolean_sql(column)

    def deleted(self, alias: str) -> str:
        """SQL: true when the row is flagged deleted (or archived) at the source."""
        flags = [
            f"coalesce({self.flag(f'{alias}.{name}')}, false)"
            for name in ("is_deleted", "fivetran_deleted", "archived")
            if self.has(name)
        ]
        return "(" + " OR ".join(flags) + ")" if flags else "false"

    def version(self, alias: str, key: str) -> str:
        """SQL: 1 for the current version of each record, 2… for older ones (history
        tables mark versions with ``_fivetran_active``/``_fivetran_start``)."""
        order = []
        if self.has("fivetran_active"):
            order.append(f"{self.flag(f'{alias}.fivetran_active')} DESC NULLS LAST")
        for name in ("fivetran_start", "fivetran_synced"):
            if self.has(name):
                order.append(f"{self.ts_value(f'{alias}.{name}')} DESC NULLS LAST")
        order.append(f"{alias}._line")
        return f"row_number() OVER (PARTITION BY {key} ORDER BY {', '.join(order)})"


def _stem(path: Path) -> str:
    return normalise(path.name.split(".")[0])


def find_files(directory: Path, sources: tuple[Source, ...]) -> dict[str, Path]:
    """The file of each source found in ``directory`` (not recursive)."""
    found: dict[str, Path] = {}
    for path in sorted(directory.iterdir()):
        if not path.is_file() or not path.name.lower().endswith(SUFFIXES):
            continue
        stem = _stem(path)
        for source in sources:
            if source.matches(stem):
                if source.name in found:
                    raise PresetError(
                        f"{directory}: both {found[source.name].name} and {path.name} look "
                        f"like the {source.name} table; keep one of them"
                    )
                found[source.name] = path
                break
    return found


def unused_files(directory: Path, used: Mapping[str, Path]) -> list[str]:
    """Files in the folder no source reads (named in the report, so nothing goes unseen)."""
    taken = {p.name for p in used.values()}
    return sorted(
        p.name
        for p in directory.iterdir()
        if p.is_file() and p.name.lower().endswith(SUFFIXES) and p.name not in taken
    )


def _resolve(source: Source, columns: tuple[str, ...]) -> dict[str, str]:
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(normalise(column), column)
    found: dict[str, str] = {}
    for logical, names in {**COMMON, **source.columns}.items():
        for name in names:
            match = by_norm.get(name) or by_norm.get(f"property_{name}")
            if match is not None:
                found[logical] = match
                break
    return found


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def stage(
    con: duckdb.DuckDBPyConnection, sources: tuple[Source, ...], files: Mapping[str, Path]
) -> dict[str, Staged]:
    """Land each file found and create the ``_src_<name>`` view of every source."""
    staged: dict[str, Staged] = {}
    for source in sources:
        logical = [*COMMON, *source.columns]
        path = files.get(source.name)
        if path is None:
            nulls = ", ".join(f"CAST(NULL AS VARCHAR) AS {_ident(n)}" for n in logical)
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {source.view} AS SELECT CAST(NULL AS BIGINT) "
                f"AS _line, CAST(NULL AS VARCHAR) AS _file, {nulls} WHERE false"
            )
            staged[source.name] = Staged(source, None)
            continue
        raw = load_raw(con, path, source.landed)
        found = _resolve(source, raw.columns)
        missing = [r for r in source.required if r not in found]
        if missing:
            names = " or ".join(source.columns[missing[0]])
            have = ", ".join(raw.columns[:12]) + (" …" if len(raw.columns) > 12 else "")
            raise PresetError(
                f"{path.name}: no column for the {missing[0].replace('_', ' ')} of the "
                f"{source.name} table (looked for {names}); columns found: {have}"
            )
        values = ", ".join(
            f"nullif(trim(CAST({_ident(found[n])} AS VARCHAR)), '') AS {_ident(n)}"
            if n in found
            else f"CAST(NULL AS VARCHAR) AS {_ident(n)}"
            for n in logical
        )
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {source.view} AS SELECT _row AS _line, "
            f"{_literal(path.name)} AS _file, {values} FROM {_ident(source.landed)}"
        )
        dialect = raw.dialect
        staged[source.name] = Staged(
            source,
            path,
            found,
            raw.columns,
            date_order=dialect.date_order if dialect else "ymd",
            decimal=dialect.decimal if dialect else ".",
            unreadable=raw.rejected,
        )
    return staged


def drop_staging(con: duckdb.DuckDBPyConnection, sources: tuple[Source, ...]) -> None:
    for source in sources:
        con.execute(f"DROP VIEW IF EXISTS {source.view}")
        con.execute(f"DROP TABLE IF EXISTS {_ident(source.landed)}")
        con.execute(f"DROP TABLE IF EXISTS {_ident(source.landed + '_rejects')}")
