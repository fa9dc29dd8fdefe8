"""Signing in and out, the session cookie, CSRF protection and the request's language.

The session cookie holds a random token (the store keeps only its hash) and is
``HttpOnly``, ``SameSite=Lax``, ``Path=/`` and ``Secure`` when the settings say so or the
request came over https. Every request that is not GET/HEAD/OPTIONS must carry the
session's CSRF secret, as the form field ``csrf_token`` or the ``X-CSRF-Token`` header,
compared in constant time; the only exceptions are the two sign-in routes, which have no
session yet: the sign-in form carries a token matching its own short-lived cookie, and the
JSON sign-in requires an ``application/json`` body (which no other site's form can send).
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from jornada.i18n import LANGS
from jornada.store import Session, User, csrf_matches
from jornada.web.context import AppContext
from jornada.web.errors import CsrfRefused, NotSignedIn

SESSION_COOKIE = "jornada_session"
LOGIN_COOKIE = "jornada_login"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SIGN_IN_ROUTES = frozenset({("POST", "/login"), ("POST", "/api/session")})
TOUCH_AFTER_SECONDS = 60
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def app_context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def session_of(request: Request) -> Session | None:
    """The request's live session (looked up once per request), or ``None``.

    A session used more than a minute ago is marked used now, pushing its idle end back.
    """
    if hasattr(request.state, "session"):
        found: Session | None = request.state.session
        return found
    token = request.cookies.get(SESSION_COOKIE)
    session = None
    if token:
        store = app_context(request).store
        session = store.resolve_session(token)
        if session is not None:
            idle = (store.clock() - session.last_seen_at).total_seconds()
            if idle > TOUCH_AFTER_SECONDS:
                session = store.touch_session(token)
    request.state.session = session
    return session


def current_session(request: Request) -> Session:
    """The signed-in session, or :class:`NotSignedIn` (pages turn it into the sign-in form)."""
    session = session_of(request)
    if session is None:
        raise NotSignedIn("sign_in_first", request_language(request))
    return session


def current_user(request: Request) -> User:
    return current_session(request).user


def request_language(request: Request) -> str:
    """The language to answer in: the user's own, else ``?lang=``, else the browser's
    first supported language, else the app's default."""
    session = getattr(request.state, "session", None)
    if session is not None:
        return str(session.user.language.value)
    asked = request.query_params.get("lang", "")
    if asked in LANGS:
        return asked
    browser = browser_language(request.headers.get("accept-language", ""))
    return browser or str(app_context(request).settings.default_language.value)


def browser_language(accept_language: str) -> str | None:
    """The first language of an ``Accept-Language`` header the app speaks."""
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return None


async def csrf_guard(request: Request) -> None:
    """Refuse a state change that does not carry the session's CSRF secret.

    Installed on the whole app, so every route, present and future, is covered.
    """
    if request.method in SAFE_METHODS:
        return
    if (request.method, request.url.path) in SIGN_IN_ROUTES:
        return
    session = await run_in_threadpool(session_of, request)
    lang = request_language(request)
    if session is None:
        raise NotSignedIn("sign_in_first", lang)
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    if not submitted or not csrf_matches(session, submitted):
        raise CsrfRefused("csrf_refused", lang)


def check_login_token(request: Request, submitted: str) -> None:
    """The sign-in form's token must match the cookie the form page set."""
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), submitted.encode()):
        raise CsrfRefused("login_form_expired", request_language(request))


def login_token(request: Request) -> str:
    """The sign-in form's token: the one its cookie already holds, or a new one."""
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)


def set_login_cookie(request: Request, response: Response, token: str) -> None:
    """Keep the sign-in form's token in a cookie for the form to match."""
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def sign_in(request: Request, email: str, password: str) -> tuple[str, Session]:
    """Check the password (rate limited by the store) and open a session."""
    store = app_context(request).store
    lang = request_language(request)
    user = store.authenticate(email, password, ip=client_address(request), lang=lang)
    token, session = store.create_session(user)
    request.state.session = session
    return token, session


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    policy = app_context(request).store.policy
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(policy.session_max_age.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/")


def sign_out(request: Request, response: Response) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        app_context(request).store.revoke_session(token)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request)
    )


def _secure(request: Request) -> bool:
    return app_context(request).settings.secure_cookies or request.url.scheme == "https"
