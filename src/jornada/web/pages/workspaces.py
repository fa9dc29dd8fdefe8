"""Pages for workspaces: the list, one workspace (its maps, data and analysis runs),
starting a map, uploading data with its validation report and running an analysis."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jornada.errors import JornadaError
from jornada.model.templates import TEMPLATES
from jornada.store import MapKey
from jornada.web import actions, maps
from jornada.web.data import Upload, import_uploads, run_analysis
from jornada.web.deps import Ctx, CurrentUser
from jornada.web.errors import BadInput, error_message
from jornada.web.pages.render import Submitted, render, submitted

router = APIRouter(include_in_schema=False)
Form = Annotated[Submitted, Depends(submitted)]
MAX_MAP_UPLOAD = 5_000_000


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ctx: Ctx, user: CurrentUser) -> Response:
    listed = [(w, ctx.store.maps(w.slug)) for w in ctx.store.workspaces()]
    return render(request, "home.html", {"workspaces": listed})


@router.post("/workspaces")
def create_workspace(form: Form, ctx: Ctx, user: CurrentUser) -> Response:
    created = actions.create_workspace(
        ctx, user, form.get("slug").strip(), form.get("name"), form.get("description")
    )
    return RedirectResponse(f"/w/{created.slug}?done=workspace_created", status_code=303)


@router.get("/w/{workspace}", response_class=HTMLResponse)
def workspace_page(workspace: str, request: Request, ctx: Ctx, user: CurrentUser) -> Response:
    return _workspace(request, ctx, workspace)


def _workspace(
    request: Request,
    ctx: Ctx,
    slug: str,
    reports: list[dict[str, object]] | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    target = ctx.store.get_workspace(slug)
    context = {
        "workspace": target,
        "maps": ctx.store.maps(slug),
        "runs": ctx.store.analysis_runs(slug),
        "templates": [*TEMPLATES, maps.BLANK],
        "reports": reports,
        "error": error,
    }
    return render(request, "workspace.html", context, status, target.name)


@router.post("/w/{workspace}/delete")
def delete_workspace(workspace: str, ctx: Ctx, user: CurrentUser) -> Response:
    actions.delete_workspace(ctx, user, workspace)
    return RedirectResponse("/?done=workspace_deleted", status_code=303)


@router.post("/w/{workspace}/maps")
async def create_map(workspace: str, form: Form, ctx: Ctx, user: CurrentUser) -> Response:
    """Start a map from a template, blank, or from an uploaded YAML/JSON file."""
    lang = user.language.value
    target = ctx.store.get_workspace(workspace)
    if form.files:
        upload = form.files[0]
        raw = await upload.read(MAX_MAP_UPLOAD + 1)
        if len(raw) > MAX_MAP_UPLOAD:
            raise BadInput("map_too_long", lang, limit=MAX_MAP_UPLOAD)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadInput("not_utf8", lang, name=(upload.filename or "")[:60]) from None
        fmt = "json" if (upload.filename or "").lower().endswith(".json") else "yaml"
        journey = maps.from_document(text, fmt, lang)
        message = upload.filename or fmt
    else:
        journey = maps.new_map(
            form.get("template", "lifecycle"),
            form.get("language", lang),
            name=form.get("name"),
            company=form.get("company"),
            map_id=form.get("id"),
            ui_lang=lang,
        )
        message = form.get("template", "lifecycle")
    created = maps.create(ctx, user, target, journey, message)
    return RedirectResponse(f"/w/{workspace}/m/{created.key.map}?done=map_created", status_code=303)


@router.post("/w/{workspace}/uploads", response_class=HTMLResponse)
def upload_data(
    workspace: str, request: Request, form: Form, ctx: Ctx, user: CurrentUser
) -> Response:
    """Import the uploaded files and show their validation report on the workspace page."""
    target = ctx.store.get_workspace(workspace)
    map_id = form.get("map")
    uploads = [Upload(f.filename or "", f.file) for f in form.files]
    try:
        reports = import_uploads(
            ctx, user, target, uploads, MapKey(workspace, map_id) if map_id else None
        )
    except JornadaError as exc:
        message = error_message(exc, user.language.value)
        return _workspace(request, ctx, workspace, error=message, status=int(exc.http_status))
    return _workspace(request, ctx, workspace, reports=reports)


@router.post("/w/{workspace}/runs")
def create_run(workspace: str, form: Form, ctx: Ctx, user: CurrentUser) -> Response:
    lang = user.language.value
    target = ctx.store.get_workspace(workspace)
    map_id = form.get("map")
    run = run_analysis(
        ctx,
        user,
        target,
        label=form.get("label"),
        since=_day(form.get("since"), "since", lang),
        until=_day(form.get("until"), "until", lang),
        map_key=MapKey(workspace, map_id) if map_id else None,
    )
    return RedirectResponse(f"/w/{workspace}/runs/{run.id}?done=run_created", status_code=303)


def _day(text: str, name: str, lang: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput("bad_date", lang, field=name, value=text[:20]) from None
