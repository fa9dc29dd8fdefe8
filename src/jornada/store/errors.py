"""What the store refuses, as one-line messages in the user's language.

Each error keeps its catalogue key and parameters, so the web layer can show it again in
another language with :meth:`StoreError.message`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jornada.errors import JornadaError
from jornada.i18n import t


class StoreError(JornadaError):
    """Base of the store's errors; ``str(error)`` is the message in ``lang``."""

    def __init__(self, key: str, lang: str = "en", /, **params: Any) -> None:
        self.key = key
        self.params = params
        self.lang = lang
        super().__init__(self.message(lang))

    def message(self, lang: str) -> str:
        """The same message in another language."""
        return t(f"store.{self.key}", lang, **self.params)


class NotFound(StoreError):
    """A user, session, workspace, map, version, comment or run that does not exist."""

    http_status = 404


class AlreadyExists(StoreError):
    """An email, workspace slug or map id already taken."""

    http_status = 409


class InvalidInput(StoreError):
    """A value the store cannot keep (short password, bad slug, empty comment...)."""

    http_status = 422


class StaleEdit(StoreError):
    """Someone saved the map after the editor opened it; nothing was written."""

    http_status = 409

    def __init__(
        self,
        lang: str,
        *,
        map_key: str,
        expected: int,
        current: int,
        author: str,
        saved_at: dt.datetime,
    ) -> None:
        self.expected = expected
        self.current = current
        self.author = author
        self.saved_at = saved_at
        super().__init__(
            "stale_edit",
            lang,
            map=map_key,
            expected=expected,
            current=current,
            author=author,
            when=saved_at.strftime("%Y-%m-%d %H:%M UTC"),
        )


class Unavailable(StoreError):
    """The database cannot be reached or opened."""

    http_status = 503
    exit_code = 3


class LoginRefused(StoreError):
    """Wrong email or password, or an inactive account (never says which)."""

    http_status = 401


class TooManyAttempts(StoreError):
    """Too many failed sign-ins for an email or an address; ``retry_at`` says until when."""

    http_status = 429

    def __init__(self, lang: str, *, retry_at: dt.datetime, minutes: int) -> None:
        self.retry_at = retry_at
        super().__init__(
            "too_many_attempts", lang, when=retry_at.strftime("%H:%M UTC"), minutes=minutes
        )
