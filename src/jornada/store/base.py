"""What every part of the store shares: the engine, the clock, transactions, the audit log.

Each concept (users, sessions, workspaces, maps, comments, analysis runs, audit) adds its
methods in its own module as a mixin of :class:`StoreBase`; :class:`jornada.store.Store`
puts them together. Every change and its audit entry commit in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from jornada.store.database import READ_ONLY
from jornada.store.errors import InvalidInput, NotFound
from jornada.store.models import AuditRow, MapRow, UserRow, WorkspaceRow
from jornada.store.records import MapKey, User, UserRole

Clock = Callable[[], dt.datetime]

SLUG = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,79}$")
"""Workspace slugs follow the map's id rule, so both can sit in a URL as they are."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Policy:
    """Sign-in and session rules (the defaults suit a company intranet)."""

    session_idle: dt.timedelta = dt.timedelta(hours=8)
    """A session unused this long ends."""
    session_max_age: dt.timedelta = dt.timedelta(days=7)
    """No session outlives this, used or not."""
    session_touch_every: dt.timedelta = dt.timedelta(minutes=1)
    """``touch_session`` records use no more often than this."""
    login_window: dt.timedelta = dt.timedelta(minutes=15)
    login_max_failures: int = 5
    """Failures per email or per address within the window before sign-in is refused."""
    min_password_length: int = 10


class StoreBase:
    """The engine, clock, password hasher and policy, and the helpers every mixin uses."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock = utc_now,
        hasher: PasswordHasher | None = None,
        policy: Policy | None = None,
    ) -> None:
        self.engine = engine
        self._read_engine = engine.execution_options(**{READ_ONLY: True})
        self.clock = clock
        self.hasher = hasher or PasswordHasher()
        self.policy = policy or Policy()

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any error."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A consistent read that takes no write lock."""
        with Session(self._read_engine) as session, session.begin():
            yield session

    def _now(self) -> dt.datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the store's clock must return timezone-aware datetimes")
        return now.astimezone(dt.UTC)

    def _audit(
        self,
        session: Session,
        by: User | None,
        action: str,
        object_type: str,
        object_id: object,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Record a change in the transaction that makes it."""
        session.add(
            AuditRow(
                at=self._now(),
                user_id=by.id if by else None,
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                detail=detail or {},
            )
        )

    @staticmethod
    def _workspace_row(session: Session, slug: str, lang: str = "en") -> WorkspaceRow:
        row = session.scalar(select(WorkspaceRow).where(WorkspaceRow.slug == slug))
        if row is None:
            raise NotFound("workspace.not_found", lang, workspace=slug)
        return row

    @classmethod
    def _map_row(cls, session: Session, key: MapKey, lang: str = "en") -> MapRow:
        workspace = cls._workspace_row(session, key.workspace, lang)
        row = session.scalar(
            select(MapRow).where(MapRow.workspace_id == workspace.id, MapRow.slug == key.map)
        )
        if row is None:
            raise NotFound("map.not_found", lang, map=str(key))
        return row

    @staticmethod
    def _check_slug(slug: str, lang: str) -> None:
        if not SLUG.match(slug):
            raise InvalidInput("slug.invalid", lang, slug=slug[:100])

    @staticmethod
    def _check_length(text: str, limit: int, lang: str) -> str:
        """``text`` trimmed, or :class:`InvalidInput` when it does not fit its column
        (PostgreSQL would refuse it, SQLite would keep it: both must behave alike)."""
        text = text.strip()
        if len(text) > limit:
            raise InvalidInput("text.too_long", lang, start=text[:30], limit=limit)
        return text


def user_record(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        role=UserRole(row.role),
        business_unit=row.business_unit,
        language=row.language,
        active=row.active,
        created_at=row.created_at,
    )


def lang_of(user: User | None) -> str:
    """The language to speak to ``user`` in (English for the system itself)."""
    return user.language.value if user else "en"
