"""Where a workspace's files live, and its DuckDB file kept open while the app runs.

A workspace's folder holds ``workspace.duckdb`` (the data), ``uploads/`` (the files people
sent), ``rejected/`` (rows an import refused) and ``runs/<id>/`` (each analysis run written
as ``jornada analyze`` writes it). A workspace registered from a demo directory uses that
directory as its folder.

Imports and analyses rebuild tables in the DuckDB file, so each file is used by one request
at a time (a lock per file); keeping the connection open also keeps the insight analyses'
per-connection caches warm between requests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jornada.store import Workspace
from jornada.web.settings import Settings
from jornada.workspace import Workspace as DataWorkspace

DATA_FILE = "workspace.duckdb"


def workspace_folder(settings: Settings, workspace: Workspace) -> Path:
    """The folder of ``workspace``'s files."""
    if workspace.data_path:
        return Path(workspace.data_path).parent
    return settings.workspace_dir(workspace.slug)


def data_file(settings: Settings, workspace: Workspace) -> Path:
    """The DuckDB file of ``workspace``."""
    if workspace.data_path:
        return Path(workspace.data_path)
    return settings.workspace_dir(workspace.slug) / DATA_FILE


def run_folder(settings: Settings, workspace: Workspace, run_id: int) -> Path:
    """Where analysis run ``run_id`` of ``workspace`` was written."""
    return workspace_folder(settings, workspace) / "runs" / str(run_id)


@dataclass
class _Open:
    workspace: DataWorkspace
    lock: threading.Lock = field(default_factory=threading.Lock)


class WorkspacePool:
    """Open DuckDB workspaces by file, each used by one request at a time."""

    def __init__(self) -> None:
        self._open: dict[Path, _Open] = {}
        self._guard = threading.Lock()

    @contextmanager
    def use(self, path: Path) -> Iterator[DataWorkspace]:
        """The open workspace at ``path`` (opened, and created, on first use), held for the
        duration of the ``with`` block."""
        key = path.resolve()
        with self._guard:
            entry = self._open.get(key)
            if entry is None:
                entry = _Open(DataWorkspace.open(key))
                self._open[key] = entry
        with entry.lock:
            yield entry.workspace

    def forget(self, path: Path) -> None:
        """Close the workspace at ``path`` (before its files are deleted)."""
        with self._guard:
            entry = self._open.pop(path.resolve(), None)
        if entry is not None:
            with entry.lock:
                entry.workspace.close()

    def close(self) -> None:
        """Close every open workspace (when the app stops)."""
        with self._guard:
            entries, self._open = list(self._open.values()), {}
        for entry in entries:
            with entry.lock:
                entry.workspace.close()
