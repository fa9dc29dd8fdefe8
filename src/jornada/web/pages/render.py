"""Rendering pages: one Jinja2 environment (autoescape on) and the context every page
shares (language, translator, user, CSRF token, a message after a change)."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from jornada.i18n import LANGS, t
from jornada.model import InitiativeStatus
from jornada.render import fmt
from jornada.web.access import allowed
from jornada.web.auth import CSRF_FIELD, request_language
from jornada.web.schemas import MAX_NUMBER


@cache
def environment() -> jinja2.Environment:
    """The pages' templates, shipped inside the package; every value is escaped."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("jornada.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        LANGS=LANGS, STATUSES=[s.value for s in InitiativeStatus], CSRF_FIELD=CSRF_FIELD
    )
    return env


def translator(lang: str) -> Any:
    """``tr("key", **params)`` in templates: the ``web`` catalogue in ``lang``."""

    def tr(key: str, **params: Any) -> str:
        return t(f"web.{key}", lang, **params)

    return tr


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200, title: str = ""
) -> HTMLResponse:
    """A page: ``template`` with ``context`` and what every page shares."""
    lang = request_language(request)
    session = getattr(request.state, "session", None)
    user = session.user if session is not None else None
    done = request.query_params.get("done", "")
    flash = t(f"web.done.{done}", lang) if done else ""
    shared = {
        "lang": lang,
        "tr": translator(lang),
        "user": user,
        "csrf": session.csrf_secret if session is not None else "",
        "can": (lambda kind: user is not None and allowed(user, kind)),
        "path": request.url.path,
        "title": title,
        "flash": "" if flash == f"web.done.{done}" else flash,
        "error": "",
        "number": lambda value, digits=0: fmt.number(value, lang, digits),
        "share": lambda value: fmt.share(value, lang),
        "date": lambda value: fmt.date(value, lang),
    }
    html = environment().get_template(template).render({**shared, **context})
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """The page every refusal shows: the one-line message and a way back."""
    title = t("web.error_title", request_language(request))
    return render(request, "error.html", {"status": status, "message": message}, status, title)


class Submitted:
    """A submitted form: every field with all its values, and the files sent."""

    def __init__(self, values: dict[str, list[str]], files: list[UploadFile]) -> None:
        self.values = values
        self.files = files

    def get(self, name: str, default: str = "") -> str:
        found = self.values.get(name)
        return found[0] if found else default

    def number(self, name: str) -> int | None:
        text = self.get(name).strip()
        if not (text.isascii() and text.isdigit()) or int(text) > MAX_NUMBER:
            return None
        return int(text)


async def submitted(request: Request) -> Submitted:
    """The request's form (read once; the CSRF check read it already)."""
    form = await request.form()
    values: dict[str, list[str]] = {}
    files: list[UploadFile] = []
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            if value.filename:
                files.append(value)
        else:
            values.setdefault(name, []).append(value)
    return Submitted(values, files)
