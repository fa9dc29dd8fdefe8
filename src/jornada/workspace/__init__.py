"""A workspace: one DuckDB file holding a company's canonical journey data.

Imports write into it, the engine reads from it. ``Workspace.open(":memory:")`` gives a
throw-away workspace for tests and for analysing export files directly.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from jornada.errors import JornadaError
from jornada.workspace.schema import (
    IMPORTS_DDL,
    SETTINGS_DDL,
    STAGES_DDL,
    TABLES,
    Table,
    create_sql,
)

__all__ = ["TABLES", "Table", "Workspace", "WorkspaceError"]

DEFAULT_MEMORY_LIMIT = "2GB"


class WorkspaceError(JornadaError):
    """A workspace file cannot be opened or is not a jornada workspace."""


class Workspace:
    """An open workspace. Use as a context manager, or call :meth:`close`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str) -> None:
        self.con = con
        self.path = path

    @classmethod
    def open(
        cls, path: str | os.PathLike[str] = ":memory:", *, read_only: bool = False
    ) -> Workspace:
        """Open (creating when needed) the workspace at ``path``."""
        target = str(path)
        if target != ":memory:":
            file = Path(target)
            if file.is_dir():
                raise WorkspaceError(f"{file}: is a directory; give a workspace file name")
            if read_only and not file.exists():
                raise WorkspaceError(f"{file}: no workspace here; run `jornada import` first")
            file.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(target, read_only=read_only)
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            raise WorkspaceError(f"{target}: cannot open the workspace ({first})") from None
        con.execute(
            f"SET memory_limit = '{os.environ.get('JORNADA_MEMORY', DEFAULT_MEMORY_LIMIT)}'"
        )
        con.execute("SET TimeZone = 'UTC'")
        # DuckDB draws its own progress bar on stdout when a query runs long; ours (Rich)
        # are the only ones a user should see.
        con.execute("SET enable_progress_bar = false")
        workspace = cls(con, target)
        if not read_only:
            workspace._create_schema()
        return workspace

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def _create_schema(self) -> None:
        for ddl in (IMPORTS_DDL, SETTINGS_DDL, STAGES_DDL):
            self.con.execute(ddl)
        for table in TABLES.values():
            self.con.execute(create_sql(table))
        if self.setting("secret") is None:
            self.set_setting("secret", secrets.token_hex(32))

    # Settings -----------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, value])

    # Stage order --------------------------------------------------------------------------

    def set_stages(self, stages: Iterable[tuple[str, str]]) -> None:
        """Record the stage order: ``(stage id, phase)`` pairs in journey order."""
        rows = [(stage, position, phase) for position, (stage, phase) in enumerate(stages)]
        self.con.execute("DELETE FROM stages")
        if rows:
            self.con.executemany("INSERT INTO stages VALUES (?, ?, ?)", rows)

    def stages(self) -> list[tuple[str, str]]:
        rows = self.con.execute("SELECT stage, phase FROM stages ORDER BY position").fetchall()
        return [(str(stage), str(phase)) for stage, phase in rows]

    # Inspection ---------------------------------------------------------------------------

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise KeyError(table)
        row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    def counts(self) -> dict[str, int]:
        return {name: self.count(name) for name in TABLES}

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        row = self.con.execute(sql, params or []).fetchone()
        return None if row is None else row[0]
