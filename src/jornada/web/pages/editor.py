"""Pages of the map editor: the collections of a map with lint results beside them, one
form per element (generated from the model), the raw YAML tab, version history with diff
and restore, and comments on the map or any element.

A refused save (stale version, not allowed, bad value) shows the same form again with the
user's input and the one-line reason, so nothing typed is lost.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from jornada.errors import JornadaError
from jornada.model import JourneyMap, MapFormat, dump_map
from jornada.model.lint import lint
from jornada.store import MapKey, User
from jornada.web import actions, forms, maps, plans
from jornada.web.deps import Ctx, CurrentUser, Id, MaybeNumber, Number
from jornada.web.editing import element_key, find_element
from jornada.web.errors import BadInput, error_message
from jornada.web.pages.render import Submitted, render, submitted

router = APIRouter(include_in_schema=False)
Form = Annotated[Submitted, Depends(submitted)]
MAP = "/w/{workspace}/m/{map_id}"


def _base(workspace: str, map_id: str) -> str:
    return f"/w/{workspace}/m/{map_id}"


@router.get(MAP, response_class=HTMLResponse)
def editor(
    workspace: str, map_id: str, request: Request, ctx: Ctx, user: CurrentUser, tab: str = "map"
) -> Response:
    key = MapKey(workspace, map_id)
    loaded = ctx.store.get_map(key)
    lang = user.language.value
    if tab not in forms.EDITABLE:
        tab = forms.MAP
    journey = loaded.journey
    context: dict[str, Any] = {
        **_shared(ctx, key, journey, loaded.version, lang),
        "tab": tab,
        "items": _items(journey, tab, lang),
        "fields": forms.form_fields(forms.MAP, journey, lang, journey) if tab == forms.MAP else [],
        "comments": ctx.store.comments(key),
    }
    return render(request, "editor.html", context, title=plans.map_label(journey, lang))


def _shared(ctx: Ctx, key: MapKey, journey: JourneyMap, version: int, lang: str) -> dict[str, Any]:
    """What every editor page shows: the map, its version, tabs and lint results."""
    tabs = [
        (
            name,
            forms.field_label(name, lang) if name != forms.MAP else "",
            len(getattr(journey, name)) if name != forms.MAP else None,
        )
        for name in forms.EDITABLE
    ]
    return {
        "workspace": ctx.store.get_workspace(key.workspace),
        "key": key,
        "journey": journey,
        "version": version,
        "tabs": tabs,
        "diagnostics": lint(journey, lang=lang),
        "base": _base(*key),
        "map_name": plans.map_label(journey, lang),
    }


def _items(journey: JourneyMap, collection: str, lang: str) -> list[dict[str, Any]]:
    """The rows of a collection's list: key, name and a short description."""
    if collection == forms.MAP:
        return []
    rows = []
    for index, item in enumerate(getattr(journey, collection)):
        name = item.label(lang) if hasattr(item, "label") else _emotion_name(journey, item, lang)
        detail = [
            f"{k}: {v}"
            for k, v in item.model_dump(mode="json", exclude_defaults=True).items()
            if k
            in (
                "stage",
                "phase",
                "channel",
                "owner_bu",
                "status",
                "severity",
                "metric",
                "kind",
                "format",
                "role",
                "observed",
                "target",
            )
        ]
        rows.append(
            {"key": element_key(collection, index, item), "name": name, "detail": ", ".join(detail)}
        )
    return rows


def _emotion_name(journey: JourneyMap, emotion: Any, lang: str) -> str:
    parts = [emotion.stage, emotion.touchpoint, emotion.persona]
    names = []
    for part in parts:
        if part:
            element = journey.element(part)
            names.append(element.label(lang) if element is not None else part)
    return " › ".join(names)


@router.get(MAP + "/new/{collection}", response_class=HTMLResponse)
def new_element(
    workspace: str, map_id: str, collection: str, request: Request, ctx: Ctx, user: CurrentUser
) -> Response:
    return _element_page(request, ctx, user, MapKey(workspace, map_id), collection, None)


@router.get(MAP + "/e/{collection}/{key}", response_class=HTMLResponse)
def edit_element(
    workspace: str,
    map_id: str,
    collection: str,
    key: str,
    request: Request,
    ctx: Ctx,
    user: CurrentUser,
) -> Response:
    return _element_page(request, ctx, user, MapKey(workspace, map_id), collection, key)


def _element_page(
    request: Request,
    ctx: Ctx,
    user: User,
    key: MapKey,
    collection: str,
    element: str | None,
    *,
    submitted_form: Submitted | None = None,
    error: str = "",
    status: int = 200,
    version: int | None = None,
) -> Response:
    lang = user.language.value
    if collection not in forms.EDITABLE:
        raise BadInput(
            "bad_choice",
            lang,
            field="collection",
            value=collection[:40],
            allowed=", ".join(forms.EDITABLE),
        )
    loaded = ctx.store.get_map(key)
    journey = loaded.journey
    current: BaseModel | None = None
    if collection == forms.MAP:
        current = journey
    elif element is not None:
        _, current = find_element(journey, collection, element, lang)
    values = submitted_form.values if submitted_form is not None else None
    fields = forms.form_fields(collection, journey, lang, current, submitted=values)
    context = {
        **_shared(ctx, key, journey, loaded.version, lang),
        "collection": collection,
        "element": element,
        "fields": fields,
        "form_version": version or loaded.version,
        "error": error,
        "comments": ctx.store.comments(key, element_id=element) if element else [],
        "title_name": current.label(lang)
        if current is not None and hasattr(current, "label")
        else "",
    }
    return render(request, "element.html", context, status, forms.field_label(collection, lang))


@router.post(MAP + "/new/{collection}", response_class=HTMLResponse)
def add_element(
    workspace: str,
    map_id: str,
    collection: str,
    request: Request,
    form: Form,
    ctx: Ctx,
    user: CurrentUser,
) -> Response:
    return _save_element(request, ctx, user, MapKey(workspace, map_id), collection, None, form)


@router.post(MAP + "/e/{collection}/{key}", response_class=HTMLResponse)
def save_element(
    workspace: str,
    map_id: str,
    collection: str,
    key: str,
    request: Request,
    form: Form,
    ctx: Ctx,
    user: CurrentUser,
) -> Response:
    element = None if collection == forms.MAP else key
    return _save_element(request, ctx, user, MapKey(workspace, map_id), collection, element, form)


def _save_element(
    request: Request,
    ctx: Ctx,
    user: User,
    key: MapKey,
    collection: str,
    element: str | None,
    form: Submitted,
) -> Response:
    lang = user.language.value
    version = form.number("version")
    shown_key = key.map if collection == forms.MAP else element
    try:
        if version is None:
            raise BadInput("no_version", lang)
        journey = ctx.store.get_map(key, version).journey
        values = dict(form.values)
        if element is not None and collection != forms.EMOTIONS:
            values["id"] = [element]
        model = forms.read_form(collection, journey, values, lang)
        data = model.model_dump(mode="json", exclude_defaults=True)
        _, saved_key = actions.save_element(ctx, user, key, collection, element, data, version)
    except JornadaError as exc:
        return _element_page(
            request,
            ctx,
            user,
            key,
            collection,
            shown_key,
            submitted_form=form,
            error=error_message(exc, lang),
            status=int(exc.http_status),
            version=version,
        )
    return RedirectResponse(f"{_base(*key)}?tab={collection}&done=saved", status_code=303)


@router.post(MAP + "/e/{collection}/{key}/delete")
def delete_element(
    workspace: str, map_id: str, collection: str, key: str, form: Form, ctx: Ctx, user: CurrentUser
) -> Response:
    lang = user.language.value
    version = form.number("version")
    if version is None:
        raise BadInput("no_version", lang)
    actions.delete_element(ctx, user, MapKey(workspace, map_id), collection, key, version)
    return RedirectResponse(
        f"{_base(workspace, map_id)}?tab={collection}&done=deleted", status_code=303
    )


@router.post(MAP + "/delete")
def delete_map(workspace: str, map_id: str, ctx: Ctx, user: CurrentUser) -> Response:
    actions.delete_map(ctx, user, MapKey(workspace, map_id))
    return RedirectResponse(f"/w/{workspace}?done=map_deleted", status_code=303)


@router.get(MAP + "/yaml", response_class=HTMLResponse)
def yaml_tab(
    workspace: str, map_id: str, request: Request, ctx: Ctx, user: CurrentUser
) -> Response:
    key = MapKey(workspace, map_id)
    loaded = ctx.store.get_map(key)
    return _yaml_page(request, ctx, user, key, dump_map(loaded.journey), loaded.version)


def _yaml_page(
    request: Request,
    ctx: Ctx,
    user: User,
    key: MapKey,
    text: str,
    version: int,
    error: str = "",
    status: int = 200,
) -> Response:
    loaded = ctx.store.get_map(key)
    lang = user.language.value
    context = {
        **_shared(ctx, key, loaded.journey, loaded.version, lang),
        "text": text,
        "form_version": version,
        "error": error,
        "tab": "yaml",
    }
    return render(request, "yaml.html", context, status, "YAML")


@router.post(MAP + "/yaml", response_class=HTMLResponse)
def save_yaml(
    workspace: str, map_id: str, request: Request, form: Form, ctx: Ctx, user: CurrentUser
) -> Response:
    key = MapKey(workspace, map_id)
    lang = user.language.value
    text = form.get("text")
    version = form.number("version") or 0
    try:
        if not version:
            raise BadInput("no_version", lang)
        journey = maps.from_document(text, MapFormat.yaml.value, lang)
        actions.save_document(ctx, user, key, journey, version, form.get("message"))
    except JornadaError as exc:
        return _yaml_page(
            request, ctx, user, key, text, version, error_message(exc, lang), int(exc.http_status)
        )
    return RedirectResponse(f"{_base(*key)}/yaml?done=saved", status_code=303)


@router.get(MAP + "/history", response_class=HTMLResponse)
def history(workspace: str, map_id: str, request: Request, ctx: Ctx, user: CurrentUser) -> Response:
    key = MapKey(workspace, map_id)
    loaded = ctx.store.get_map(key)
    lang = user.language.value
    context = {
        **_shared(ctx, key, loaded.journey, loaded.version, lang),
        "versions": ctx.store.versions(key),
        "tab": "history",
    }
    return render(request, "history.html", context)


@router.get(MAP + "/diff", response_class=HTMLResponse)
def diff(
    workspace: str,
    map_id: str,
    request: Request,
    ctx: Ctx,
    user: CurrentUser,
    a: Number = 1,
    b: MaybeNumber = None,
) -> Response:
    key = MapKey(workspace, map_id)
    loaded = ctx.store.get_map(key)
    lang = user.language.value
    newer = b or loaded.version
    context = {
        **_shared(ctx, key, loaded.journey, loaded.version, lang),
        "a": a,
        "b": newer,
        "changes": ctx.store.diff(key, a, newer),
        "tab": "history",
    }
    return render(request, "diff.html", context)


@router.post(MAP + "/restore")
def restore(workspace: str, map_id: str, form: Form, ctx: Ctx, user: CurrentUser) -> Response:
    lang = user.language.value
    old, version = form.number("restore"), form.number("version")
    if old is None or version is None:
        raise BadInput("no_version", lang)
    actions.restore(ctx, user, MapKey(workspace, map_id), old, version)
    return RedirectResponse(f"{_base(workspace, map_id)}/history?done=restored", status_code=303)


@router.post(MAP + "/comments")
def add_comment(workspace: str, map_id: str, form: Form, ctx: Ctx, user: CurrentUser) -> Response:
    key = MapKey(workspace, map_id)
    element = form.get("element_id") or None
    actions.add_comment(ctx, user, key, form.get("text"), element)
    return RedirectResponse(_back(form, _base(*key)) + "done=commented", status_code=303)


@router.post("/comments/{comment_id}/resolve")
def resolve_comment(comment_id: Id, form: Form, ctx: Ctx, user: CurrentUser) -> Response:
    resolved = form.get("resolved", "1") != "0"
    comment = actions.resolve_comment(ctx, user, comment_id, resolved)
    return RedirectResponse(_back(form, _base(*comment.key)) + "done=resolved", status_code=303)


def _back(form: Submitted, default: str) -> str:
    """Where to return after a small change: the page it came from (on this site)."""
    target = form.get("back") or default
    if not target.startswith("/") or target.startswith("//"):
        target = default
    return target + ("&" if "?" in target else "?")
