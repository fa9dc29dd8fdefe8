"""The journey web app: server-rendered pages and a JSON API over the same library calls
the CLI makes, with the store keeping users, maps and their versions.

    from jornada.web import Settings, create_app
    app = create_app(Settings(database="jornada.db", data_dir=Path("jornada-data")))
"""

from __future__ import annotations

from jornada.web.app import create_app
from jornada.web.settings import Settings

__all__ = ["Settings", "create_app"]
