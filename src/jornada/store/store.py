"""The store: one object the web app opens once and calls for everything it keeps."""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy.exc import OperationalError

from jornada.store.audit import AuditMethods
from jornada.store.base import Clock, Policy, utc_now
from jornada.store.comments import CommentMethods
from jornada.store.database import database_url, make_engine, upgrade
from jornada.store.errors import Unavailable
from jornada.store.maps import MapMethods
from jornada.store.reviews import ReviewMethods
from jornada.store.sessions import SessionMethods
from jornada.store.users import UserMethods
from jornada.store.workspaces import WorkspaceMethods


class Store(
    UserMethods,
    SessionMethods,
    WorkspaceMethods,
    MapMethods,
    CommentMethods,
    ReviewMethods,
    AuditMethods,
):
    """Users, sessions, workspaces, maps and their versions, comments, analysis runs and
    the audit log, in SQLite or PostgreSQL.

    Safe to share between threads: every method runs in its own transaction.
    """

    @classmethod
    def open(
        cls,
        url: str | Path,
        *,
        clock: Clock = utc_now,
        hasher: PasswordHasher | None = None,
        policy: Policy | None = None,
    ) -> Store:
        """Connect to ``url`` (a path, ``sqlite:///path`` or ``postgresql://...``), create
        the schema or upgrade an older one to the newest revision, and return the store.

        ``clock`` (timezone-aware) and ``hasher`` are there for tests and tuning.
        """
        address = database_url(url)
        where = address.set(drivername=address.get_backend_name())
        try:
            engine = make_engine(address)
        except OSError as exc:
            raise Unavailable("database.unreachable", "en", url=where, reason=exc) from None
        try:
            upgrade(engine)
        except OperationalError as exc:
            engine.dispose()
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise Unavailable("database.unreachable", "en", url=where, reason=reason) from None
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, clock=clock, hasher=hasher, policy=policy)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
