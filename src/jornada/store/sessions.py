"""Signed-in browsers: random 256-bit tokens, kept only as SHA-256 hashes.

A session ends after ``Policy.session_idle`` without use (``touch_session`` pushes that
back, writing at most once a minute) and in any case ``Policy.session_max_age`` after it
began. Each carries a CSRF secret for the web layer's forms.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as OrmSession

from jornada.store.base import StoreBase, user_record
from jornada.store.models import SessionRow, UserRow
from jornada.store.records import Session, User


def token_hash(token: str) -> str:
    """What the database keeps of a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_matches(session: Session, submitted: str) -> bool:
    """Whether a form's CSRF token is this session's secret (in constant time)."""
    return hmac.compare_digest(session.csrf_secret.encode(), submitted.encode())


class SessionMethods(StoreBase):
    """Creating, finding, refreshing and ending sessions."""

    def create_session(self, user: User) -> tuple[str, Session]:
        """A new session for a signed-in user: the token for the cookie, and the session."""
        token = secrets.token_urlsafe(32)
        now = self._now()
        with self._write() as session:
            session.execute(delete(SessionRow).where(SessionRow.expires_at <= now))
            row = SessionRow(
                token_hash=token_hash(token),
                user_id=user.id,
                created_at=now,
                last_seen_at=now,
                expires_at=min(now + self.policy.session_idle, now + self.policy.session_max_age),
                csrf_secret=secrets.token_urlsafe(32),
            )
            session.add(row)
            session.flush()
            self._audit(session, user, "login", "session", row.id)
            return token, self._record(session, row)

    def resolve_session(self, token: str) -> Session | None:
        """The live session of a token; ``None`` if unknown, ended or the user is inactive."""
        with self._read() as session:
            row = self._live_row(session, token)
            return self._record(session, row) if row else None

    def touch_session(self, token: str) -> Session | None:
        """Mark the session used now, pushing its idle end back (never past its max age).

        Called on every request, it writes at most once per ``Policy.session_touch_every``
        so pages do not queue for SQLite's write lock.
        """
        now = self._now()
        with self._read() as session:
            row = self._live_row(session, token)
            if row is None or now - row.last_seen_at < self.policy.session_touch_every:
                return self._record(session, row) if row else None
        with self._write() as session:
            row = self._live_row(session, token)
            if row is None:
                return None
            row.last_seen_at = now
            row.expires_at = min(
                now + self.policy.session_idle, row.created_at + self.policy.session_max_age
            )
            return self._record(session, row)

    def revoke_session(self, token: str) -> None:
        """End a session (signing out); unknown tokens are ignored."""
        with self._write() as session:
            row = session.scalar(
                select(SessionRow).where(SessionRow.token_hash == token_hash(token))
            )
            if row is None:
                return
            user = session.get_one(UserRow, row.user_id)
            session.delete(row)
            self._audit(session, user_record(user), "logout", "session", row.id)

    def _live_row(self, session: OrmSession, token: str) -> SessionRow | None:
        row = session.scalar(
            select(SessionRow)
            .join(UserRow, UserRow.id == SessionRow.user_id)
            .where(
                SessionRow.token_hash == token_hash(token),
                SessionRow.expires_at > self._now(),
                UserRow.active.is_(True),
            )
        )
        return row

    @staticmethod
    def _record(session: OrmSession, row: SessionRow) -> Session:
        return Session(
            id=row.id,
            user=user_record(session.get_one(UserRow, row.user_id)),
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            expires_at=row.expires_at,
            csrf_secret=row.csrf_secret,
        )
