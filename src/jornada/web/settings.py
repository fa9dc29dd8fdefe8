"""What the web app needs to know to start: where its database and files are, how to
set cookies, which language to greet people in."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from jornada.model import Lang

MiB = 1024 * 1024


class Settings(BaseModel):
    """The app's settings; :func:`jornada.web.create_app` takes one and keeps no globals."""

    model_config = ConfigDict(frozen=True)

    database: str = Field(
        description="The store: an SQLite file path, sqlite:///path or postgresql://..."
    )
    data_dir: Path = Field(
        description="Where new workspaces keep their DuckDB file, uploads and analyses."
    )
    secure_cookies: bool = Field(
        default=False, description="Mark cookies Secure (always done for https requests)."
    )
    default_language: Lang = Lang.en
    max_upload_bytes: int = Field(default=200 * MiB, ge=1)
    """Largest request body accepted (uploads included)."""
    table_rows: int = Field(default=200, ge=1)
    """Rows of an analysis table shown on a dashboard page (the download has them all)."""
    cached_analyses: int = Field(default=8, ge=0)
    """Filtered analyses kept in memory, per app."""

    def workspace_dir(self, slug: str) -> Path:
        """The folder of a workspace created in the app."""
        return self.data_dir / "workspaces" / slug
