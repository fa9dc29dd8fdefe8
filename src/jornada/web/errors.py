"""What the web layer refuses, and the one error shape every refusal takes.

Every error a user can cause derives from :class:`jornada.errors.JornadaError` and carries
an HTTP status; the API answers ``{"error": {"status": 422, "code": "...", "message":
"..."}}`` and the pages show the same one-line message.
"""

from __future__ import annotations

from typing import Any

from jornada.errors import JornadaError
from jornada.i18n import t


class WebError(JornadaError):
    """A refusal worded in the user's language; ``code`` names it for programs."""

    http_status = 400
    code = "bad_request"

    def __init__(self, key: str, lang: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(t(f"web.{key}", lang, **params))


class BadInput(WebError):
    http_status = 422
    code = "invalid"


class NotSignedIn(WebError):
    http_status = 401
    code = "not_signed_in"


class Forbidden(WebError):
    http_status = 403
    code = "forbidden"


class CsrfRefused(WebError):
    http_status = 403
    code = "csrf"


class Missing(WebError):
    http_status = 404
    code = "not_found"


class TooLarge(WebError):
    http_status = 413
    code = "too_large"


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    """The JSON every API error answers with."""
    return {"error": {"status": status, "code": code, "message": message}}


def error_code(error: Exception) -> str:
    """A stable machine name for an error: the web code, the store key, or the class."""
    if isinstance(error, WebError):
        return error.code
    key = getattr(error, "key", None)
    if isinstance(key, str):
        return key
    return type(error).__name__.lower()


def error_message(error: Exception, lang: str) -> str:
    """The error's one-line message in ``lang`` (store errors re-worded, others as raised)."""
    reword = getattr(error, "message", None)
    if callable(reword):
        return str(reword(lang))
    return " ".join(str(error).split())
