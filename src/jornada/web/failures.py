"""The one error handler: every refusal becomes ``{"error": {...}}`` for the API and a
page with the same one-line message for people (signing in first when needed)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from jornada.errors import JornadaError
from jornada.i18n import t
from jornada.web.auth import request_language
from jornada.web.errors import NotSignedIn, error_body, error_code, error_message


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(JornadaError, _jornada_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]


def wants_json(request: Request) -> bool:
    """API paths answer JSON; pages answer HTML."""
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def failure(request: Request, status: int, code: str, message: str) -> Response:
    """The error as JSON for the API, as a page for a person."""
    if wants_json(request):
        return JSONResponse(error_body(status, code, message), status_code=status)
    from jornada.web.pages.render import error_page

    return error_page(request, status, message)


async def _jornada_error(request: Request, exc: JornadaError) -> Response:
    lang = request_language(request)
    if isinstance(exc, NotSignedIn) and not wants_json(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/"
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    status = int(getattr(exc, "http_status", 400))
    return failure(request, status, error_code(exc), error_message(exc, lang))


async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """422 naming the first wrong value: where (``body.email``) and what is wrong."""
    lang = request_language(request)
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid"}
    where = ".".join(str(p) for p in first.get("loc", ())) or "request"
    problem = " ".join(str(first.get("msg", "invalid")).split())
    message = t("web.invalid_request", lang, where=where, problem=problem)
    return failure(request, 422, "invalid", message)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    lang = request_language(request)
    key = {404: "web.page_not_found", 405: "web.method_not_allowed"}.get(exc.status_code)
    message = t(key, lang) if key else str(exc.detail)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    response = failure(request, exc.status_code, code, message)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response
