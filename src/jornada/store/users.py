"""People: accounts with argon2id password hashes, and signing in with rate limiting.

Sign-in is refused for 15 minutes (``Policy.login_window``) once 5 attempts failed for the
same email or from the same address within that window; a successful sign-in clears the
email's count but never the address's, so one valid account cannot unlock guessing at
others. Unknown emails cost the same argon2 check as known ones.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jornada.model import Lang
from jornada.store.base import StoreBase, lang_of, user_record
from jornada.store.errors import (
    AlreadyExists,
    InvalidInput,
    LoginRefused,
    NotFound,
    TooManyAttempts,
)
from jornada.store.models import LoginAttemptRow, SessionRow, UserRow
from jornada.store.records import User, UserRole

_UNSET: Any = object()
MAX_EMAIL = 320
MAX_NAME = 200
MAX_KEY = 400


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively: they are kept trimmed and lowercased."""
    return email.strip().lower()


class UserMethods(StoreBase):
    """Accounts and sign-in."""

    _dummy_hash: str | None = None

    def create_user(
        self,
        email: str,
        password: str,
        *,
        display_name: str,
        role: UserRole,
        business_unit: str | None = None,
        language: Lang = Lang.en,
        by: User | None = None,
    ) -> User:
        """A new active account; ``by`` is the admin who made it (``None``: the system)."""
        lang = lang_of(by)
        email = normalise_email(email)
        if "@" not in email or len(email) > MAX_EMAIL:
            raise InvalidInput("user.bad_email", lang, email=email[:100])
        display_name = self._check_length(display_name, MAX_NAME, lang)
        self._check_role(role, business_unit, lang)
        self._check_password(password, lang)
        password_hash = self.hasher.hash(password)
        try:
            with self._write() as session:
                row = UserRow(
                    email=email,
                    display_name=display_name or email,
                    role=role,
                    business_unit=business_unit if role is UserRole.bu_owner else None,
                    password_hash=password_hash,
                    active=True,
                    language=language,
                    created_at=self._now(),
                )
                session.add(row)
                session.flush()
                detail = {"email": email, "role": role.value, "business_unit": row.business_unit}
                self._audit(session, by, "create", "user", row.id, detail)
                return user_record(row)
        except IntegrityError:
            raise AlreadyExists("user.exists", lang, email=email) from None

    def get_user(self, user_id: int) -> User:
        with self._read() as session:
            row = session.get(UserRow, user_id)
            if row is None:
                raise NotFound("user.not_found", "en", user=user_id)
            return user_record(row)

    def find_user(self, email: str) -> User | None:
        """The account with this email, in any letter case."""
        with self._read() as session:
            row = session.scalar(select(UserRow).where(UserRow.email == normalise_email(email)))
            return user_record(row) if row else None

    def users(self) -> list[User]:
        """Every account, by display name."""
        with self._read() as session:
            rows = session.scalars(select(UserRow).order_by(UserRow.display_name, UserRow.id))
            return [user_record(row) for row in rows]

    def update_user(
        self,
        user_id: int,
        *,
        by: User,
        display_name: str | None = None,
        role: UserRole | None = None,
        business_unit: str | None = _UNSET,
        language: Lang | None = None,
        active: bool | None = None,
    ) -> User:
        """Change what is given; deactivating an account also ends its sessions.

        The last active admin can be neither demoted nor deactivated.
        """
        lang = lang_of(by)
        with self._write() as session:
            row = self._user_row(session, user_id, lang)
            new_role = role or UserRole(row.role)
            new_bu = row.business_unit if business_unit is _UNSET else business_unit
            self._check_role(new_role, new_bu, lang)
            wanted: dict[str, Any] = {
                "business_unit": new_bu if new_role is UserRole.bu_owner else None
            }
            if display_name is not None:
                wanted["display_name"] = (
                    self._check_length(display_name, MAX_NAME, lang) or row.email
                )
            for name, value in (("role", role), ("language", language), ("active", active)):
                if value is not None:
                    wanted[name] = value
            was_admin = row.active and row.role == UserRole.admin
            changes = _apply(row, wanted)
            session.flush()
            if was_admin and not _admins_left(session):
                raise InvalidInput("user.last_admin", lang)
            if not row.active:
                session.execute(delete(SessionRow).where(SessionRow.user_id == row.id))
            if changes:
                self._audit(session, by, "update", "user", row.id, changes)
            return user_record(row)

    def set_password(self, user_id: int, password: str, *, by: User) -> None:
        """Replace a password; every session of that account ends."""
        lang = lang_of(by)
        self._check_password(password, lang)
        password_hash = self.hasher.hash(password)
        with self._write() as session:
            row = self._user_row(session, user_id, lang)
            row.password_hash = password_hash
            session.execute(delete(SessionRow).where(SessionRow.user_id == row.id))
            self._audit(session, by, "password", "user", row.id)

    def authenticate(
        self, email: str, password: str, *, ip: str | None = None, lang: str = "en"
    ) -> User:
        """The account if the password is right, else :class:`LoginRefused`.

        Raises :class:`TooManyAttempts` (without checking the password) while the email or
        the address is locked out. Every checked attempt is recorded.
        """
        email = normalise_email(email)
        keys = [key[:MAX_KEY] for key in [f"email:{email}"] + ([f"ip:{ip}"] if ip else [])]
        now = self._now()
        with self._read() as session:
            self._refuse_if_locked(session, keys, now, lang)
            row = session.scalar(select(UserRow).where(UserRow.email == email))
            stored = row.password_hash if row and row.active else None
            user = user_record(row) if row else None
        ok = self._verify(stored, password)
        with self._write() as session:
            for key in keys:
                session.add(LoginAttemptRow(key=key, at=now, success=ok))
            session.execute(
                delete(LoginAttemptRow).where(LoginAttemptRow.at < now - dt.timedelta(days=1))
            )
            if ok and stored and user and self.hasher.check_needs_rehash(stored):
                session.get_one(UserRow, user.id).password_hash = self.hasher.hash(password)
        if not ok or user is None:
            raise LoginRefused("login.refused", lang)
        return user

    def _refuse_if_locked(
        self, session: Session, keys: list[str], now: dt.datetime, lang: str
    ) -> None:
        window, limit = self.policy.login_window, self.policy.login_max_failures
        for key in keys:
            since = now - window
            if key.startswith("email:"):
                last_success = session.scalar(
                    select(func.max(LoginAttemptRow.at)).where(
                        LoginAttemptRow.key == key, LoginAttemptRow.success.is_(True)
                    )
                )
                since = max(since, last_success) if last_success else since
            failures = session.scalars(
                select(LoginAttemptRow.at)
                .where(
                    LoginAttemptRow.key == key,
                    LoginAttemptRow.success.is_(False),
                    LoginAttemptRow.at > since,
                )
                .order_by(LoginAttemptRow.at.desc())
                .limit(limit)
            ).all()
            if len(failures) >= limit:
                # Refused until the oldest of the last ``limit`` failures leaves the window.
                retry_at = failures[-1] + window
                minutes = max(1, math.ceil((retry_at - now).total_seconds() / 60))
                raise TooManyAttempts(lang, retry_at=retry_at, minutes=minutes)

    def _verify(self, stored: str | None, password: str) -> bool:
        """Check a password against a hash, or spend the same time on a dummy one."""
        if stored is None:
            if self._dummy_hash is None:
                self._dummy_hash = self.hasher.hash("jornada: no such account")
            stored = self._dummy_hash
            password = password + "\0"  # never matches the dummy
        try:
            return self.hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _check_password(self, password: str, lang: str) -> None:
        if len(password) < self.policy.min_password_length:
            raise InvalidInput("password.too_short", lang, length=self.policy.min_password_length)

    @classmethod
    def _check_role(cls, role: UserRole, business_unit: str | None, lang: str) -> None:
        if role is UserRole.bu_owner and not business_unit:
            raise InvalidInput("user.bu_required", lang)
        if role is UserRole.bu_owner and business_unit:
            cls._check_slug(business_unit, lang)

    @staticmethod
    def _user_row(session: Session, user_id: int, lang: str) -> UserRow:
        row = session.get(UserRow, user_id)
        if row is None:
            raise NotFound("user.not_found", lang, user=user_id)
        return row


def _apply(row: UserRow, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the values that differ and return them as ``{field: [old, new]}``."""
    changes: dict[str, list[Any]] = {}
    for name, value in values.items():
        old = getattr(row, name)
        if old != value:
            setattr(row, name, value)
            changes[name] = [_plain(old), _plain(value)]
    return changes


def _admins_left(session: Session) -> bool:
    admins = select(func.count()).where(UserRow.role == UserRole.admin, UserRow.active.is_(True))
    return bool(session.scalar(admins))


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)
