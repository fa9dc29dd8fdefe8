"""Connecting to the store's database and bringing its schema up to date.

A plain path or ``sqlite:///path`` means an SQLite file, opened in WAL mode with foreign
keys enforced; writing transactions start with ``BEGIN IMMEDIATE`` so two writers queue
for the lock instead of failing half-way. ``postgresql://`` (or ``postgres://``) means
PostgreSQL through psycopg 3.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url

from jornada.store.errors import InvalidInput

READ_ONLY = "jornada_read_only"
"""Execution option marking an engine whose SQLite transactions only read."""

SQLITE_BUSY_SECONDS = 30.0


def database_url(target: str | Path) -> URL:
    """The SQLAlchemy URL for a path or a URL, with the driver the store uses."""
    text = str(target)
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))
    url = make_url(text)
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        if url.database in (None, "", ":memory:"):
            raise InvalidInput("database.memory")
        return url.set(drivername="sqlite")
    raise InvalidInput("database.unsupported", scheme=url.drivername)


def make_engine(url: URL) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and immediate write locks."""
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def migrations_dir() -> str:
    """The Alembic scripts shipped inside the package (works from an installed wheel)."""
    return str(resources.files("jornada.store").joinpath("migrations"))


def alembic_config(url: URL | str | None = None) -> Config:
    """An Alembic configuration for the packaged migrations, optionally bound to ``url``."""
    config = Config()
    config.set_main_option("script_location", migrations_dir())
    # New revisions are named r<id>_<slug>.py: importable module names, oldest first.
    config.set_main_option("file_template", "r%%(rev)s_%%(slug)s")
    if url is not None:
        url = url if isinstance(url, URL) else database_url(url)
        config.set_main_option("sqlalchemy.url", url.render_as_string(hide_password=False))
    return config


def head_revision() -> str:
    """The newest schema revision the package knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None`` when it has no schema yet)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


MIGRATION_LOCK = 7_271_826_001
"""PostgreSQL advisory lock key held while migrating (SQLite's write lock does the same)."""


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to ``revision`` (by default the newest) in one transaction.

    Several app processes starting at once queue for a lock, so only the first migrates.
    """
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
