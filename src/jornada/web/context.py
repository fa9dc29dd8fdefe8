"""What every request shares: the settings, the store, the open workspaces and the
drawings' cache. One :class:`AppContext` per app, kept on ``app.state``."""

from __future__ import annotations

from dataclasses import dataclass

from jornada.store import Store
from jornada.web.settings import Settings
from jornada.web.views import ViewCache
from jornada.web.workspaces import WorkspacePool


@dataclass
class AppContext:
    settings: Settings
    store: Store
    pool: WorkspacePool
    views: ViewCache

    def close(self) -> None:
        self.pool.close()
        self.store.close()
