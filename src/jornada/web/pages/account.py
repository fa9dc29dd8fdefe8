"""Pages for signing in and out, one's own settings, accounts and the audit log."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jornada.errors import JornadaError
from jornada.i18n import t
from jornada.model import Lang
from jornada.store import UserRole
from jornada.web import actions
from jornada.web.access import USERS, require
from jornada.web.auth import (
    check_login_token,
    client_address,
    login_token,
    request_language,
    set_login_cookie,
    set_session_cookie,
    sign_in,
    sign_out,
)
from jornada.web.deps import Ctx, CurrentUser, Id
from jornada.web.errors import BadInput, error_message
from jornada.web.pages.render import Submitted, render, submitted

router = APIRouter(include_in_schema=False)
Form = Annotated[Submitted, Depends(submitted)]


def _safe_next(target: str) -> str:
    """Only paths on this site: never another host after signing in."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    return _login_form(request, _safe_next(next), "", "", 200)


def _login_form(request: Request, target: str, email: str, error: str, status: int) -> Response:
    token = login_token(request)
    context = {"next": target, "email": email, "error": error, "token": token}
    page = render(
        request, "login.html", context, status, t("web.sign_in", request_language(request))
    )
    set_login_cookie(request, page, token)
    return page


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, form: Form) -> Response:
    target = _safe_next(form.get("next", "/"))
    email = form.get("email")
    try:
        check_login_token(request, form.get("csrf_token"))
        token, _ = sign_in(request, email, form.get("password"))
    except JornadaError as exc:
        message = error_message(exc, request_language(request))
        return _login_form(request, target, email, message, int(exc.http_status))
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, token)
    return response


@router.post("/logout")
def logout(request: Request, user: CurrentUser) -> Response:
    response = RedirectResponse("/login", status_code=303)
    sign_out(request, response)
    return response


@router.get("/me", response_class=HTMLResponse)
def me_page(request: Request, user: CurrentUser) -> Response:
    return render(request, "me.html", {}, title=user.display_name)


@router.post("/me/language")
def change_language(request: Request, form: Form, ctx: Ctx, user: CurrentUser) -> Response:
    lang = form.get("language")
    if lang not in {code.value for code in Lang}:
        raise BadInput(
            "bad_choice",
            user.language.value,
            field="language",
            value=lang[:20],
            allowed="es, pt, en",
        )
    actions.update_me(ctx, user, Lang(lang), None)
    back = _safe_next(form.get("next", "/"))
    return RedirectResponse(back, status_code=303)


@router.post("/me/password")
def change_password(request: Request, form: Form, ctx: Ctx, user: CurrentUser) -> Response:
    if form.get("new_password") != form.get("repeat_password"):
        raise BadInput("passwords_differ", user.language.value)
    actions.change_my_password(
        ctx, user, form.get("current_password"), form.get("new_password"), client_address(request)
    )
    response = RedirectResponse("/login?done=password", status_code=303)
    sign_out(request, response)
    return response


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, ctx: Ctx, user: CurrentUser) -> Response:
    require(user, USERS)
    units = _units(ctx)
    context = {"users": ctx.store.users(), "roles": [r.value for r in UserRole], "units": units}
    return render(request, "users.html", context, title=request_language(request))


@router.post("/admin/users")
def create_user(request: Request, form: Form, ctx: Ctx, user: CurrentUser) -> Response:
    role = _role(form.get("role"), user.language.value)
    actions.create_user(
        ctx,
        user,
        email=form.get("email"),
        password=form.get("password"),
        display_name=form.get("display_name"),
        role=role,
        business_unit=form.get("business_unit") or None,
        language=_lang(form.get("language")),
    )
    return RedirectResponse("/admin/users?done=user_created", status_code=303)


@router.post("/admin/users/{user_id}")
def update_user(user_id: Id, request: Request, form: Form, ctx: Ctx, user: CurrentUser) -> Response:
    role = _role(form.get("role"), user.language.value)
    actions.update_user(
        ctx,
        user,
        user_id,
        role=role,
        business_unit=form.get("business_unit"),
        active=form.get("active") == "on",
    )
    if form.get("password"):
        actions.set_password(ctx, user, user_id, form.get("password"))
    return RedirectResponse("/admin/users?done=user_updated", status_code=303)


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, ctx: Ctx, user: CurrentUser) -> Response:
    require(user, USERS)
    names = {u.id: u.display_name for u in ctx.store.users()}
    entries = ctx.store.audit_log(limit=300)
    return render(request, "audit.html", {"entries": entries, "names": names})


def _role(value: str, lang: str) -> UserRole:
    try:
        return UserRole(value)
    except ValueError:
        raise BadInput(
            "bad_choice",
            lang,
            field="role",
            value=value[:20],
            allowed=", ".join(r.value for r in UserRole),
        ) from None


def _lang(value: str) -> Lang:
    return Lang(value) if value in {code.value for code in Lang} else Lang.en


def _units(ctx: Ctx) -> list[tuple[str, str]]:
    """Every business unit of every map (id, name), for the BU owner choice."""
    seen: dict[str, str] = {}
    for workspace in ctx.store.workspaces():
        for info in ctx.store.maps(workspace.slug):
            for unit in ctx.store.get_map(info.key).journey.business_units:
                seen.setdefault(unit.id, unit.name)
    return sorted(seen.items(), key=lambda item: item[1].lower())
