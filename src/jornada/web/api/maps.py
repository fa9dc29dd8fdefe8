"""The JSON API for workspaces, maps, their elements, versions, comments and lint."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import PlainTextResponse

from jornada.model import MapFormat, dump_map
from jornada.model.lint import Diagnostic, lint
from jornada.store import MapKey
from jornada.web import actions, maps
from jornada.web.deps import Ctx, CurrentUser, Id, MaybeNumber, Number
from jornada.web.editing import check_collection, find_element
from jornada.web.errors import BadInput
from jornada.web.schemas import (
    MAX_NUMBER,
    ChangeOut,
    CommentIn,
    CommentOut,
    Done,
    ElementIn,
    ElementOut,
    ElementSaved,
    LintIn,
    MapDocumentIn,
    MapInfoOut,
    MapOut,
    MapSave,
    MapStart,
    MapTextSave,
    ResolveIn,
    RestoreIn,
    VersionOut,
    WorkspaceIn,
    WorkspaceOut,
    WorkspacePatch,
)

router = APIRouter(tags=["maps"])

Slug = Annotated[str, Path(max_length=80)]
Version = Annotated[int, Query(ge=1, le=MAX_NUMBER, description="The version the editor loaded.")]
WS = "/workspaces/{workspace}"
MAP = WS + "/maps/{map_id}"


@router.get("/workspaces", response_model=list[WorkspaceOut], summary="Every workspace")
def list_workspaces(ctx: Ctx, user: CurrentUser) -> list[WorkspaceOut]:
    return [WorkspaceOut.of(w) for w in ctx.store.workspaces()]


@router.post(
    "/workspaces", response_model=WorkspaceOut, status_code=201, summary="Create a workspace"
)
def create_workspace(body: WorkspaceIn, ctx: Ctx, user: CurrentUser) -> WorkspaceOut:
    created = actions.create_workspace(ctx, user, body.slug, body.name, body.description)
    return WorkspaceOut.of(created)


@router.get(WS, response_model=WorkspaceOut, summary="One workspace")
def read_workspace(workspace: Slug, ctx: Ctx, user: CurrentUser) -> WorkspaceOut:
    return WorkspaceOut.of(ctx.store.get_workspace(workspace))


@router.patch(WS, response_model=WorkspaceOut, summary="Rename or describe a workspace")
def update_workspace(
    workspace: Slug, body: WorkspacePatch, ctx: Ctx, user: CurrentUser
) -> WorkspaceOut:
    changed = actions.update_workspace(ctx, user, workspace, body.name, body.description)
    return WorkspaceOut.of(changed)


@router.delete(WS, response_model=Done, summary="Delete a workspace with its maps and runs")
def delete_workspace(workspace: Slug, ctx: Ctx, user: CurrentUser) -> Done:
    actions.delete_workspace(ctx, user, workspace)
    return Done()


@router.get(WS + "/maps", response_model=list[MapInfoOut], summary="A workspace's maps")
def list_maps(workspace: Slug, ctx: Ctx, user: CurrentUser) -> list[MapInfoOut]:
    return [MapInfoOut.of(m) for m in ctx.store.maps(workspace)]


@router.post(
    WS + "/maps",
    response_model=VersionOut,
    status_code=201,
    summary="Start a map from a template or blank",
)
def create_map(workspace: Slug, body: MapStart, ctx: Ctx, user: CurrentUser) -> VersionOut:
    journey = maps.new_map(
        body.template,
        body.language.value,
        name=body.name,
        company=body.company,
        map_id=body.id,
        ui_lang=user.language.value,
    )
    target = ctx.store.get_workspace(workspace)
    return VersionOut.of(maps.create(ctx, user, target, journey, body.template))


@router.post(
    WS + "/maps/document",
    response_model=VersionOut,
    status_code=201,
    summary="Create a map from a YAML or JSON document",
)
def import_map(workspace: Slug, body: MapDocumentIn, ctx: Ctx, user: CurrentUser) -> VersionOut:
    journey = maps.from_document(body.text, body.format, user.language.value)
    target = ctx.store.get_workspace(workspace)
    return VersionOut.of(maps.create(ctx, user, target, journey, body.format))


@router.get(MAP, response_model=MapOut, summary="A map at its current (or a given) version")
def read_map(
    workspace: Slug,
    map_id: Slug,
    ctx: Ctx,
    user: CurrentUser,
    version: MaybeNumber = None,
) -> MapOut:
    loaded = ctx.store.get_map(MapKey(workspace, map_id), version)
    diagnostics = lint(loaded.journey, lang=user.language.value)
    return MapOut(
        workspace=workspace,
        map=map_id,
        version=loaded.version,
        document=loaded.journey,
        lint=diagnostics,
    )


@router.put(MAP, response_model=VersionOut, summary="Save the whole map")
def save_map(
    workspace: Slug, map_id: Slug, body: MapSave, ctx: Ctx, user: CurrentUser
) -> VersionOut:
    """Refused with 409 when someone saved after ``version``; nothing is written then."""
    key = MapKey(workspace, map_id)
    return VersionOut.of(
        actions.save_document(ctx, user, key, body.document, body.version, body.message)
    )


@router.put(
    MAP + "/document",
    response_model=VersionOut,
    summary="Save the whole map from YAML or JSON text",
)
def save_map_text(
    workspace: Slug, map_id: Slug, body: MapTextSave, ctx: Ctx, user: CurrentUser
) -> VersionOut:
    journey = maps.from_document(body.text, body.format, user.language.value)
    key = MapKey(workspace, map_id)
    return VersionOut.of(actions.save_document(ctx, user, key, journey, body.version, body.message))


@router.delete(MAP, response_model=Done, summary="Delete a map with its history")
def delete_map(workspace: Slug, map_id: Slug, ctx: Ctx, user: CurrentUser) -> Done:
    actions.delete_map(ctx, user, MapKey(workspace, map_id))
    return Done()


@router.get(
    MAP + "/download",
    response_class=PlainTextResponse,
    summary="The map as a YAML or JSON file",
    responses={
        200: {
            "content": {
                "text/yaml": {"schema": {"type": "object"}},  # the map document, as YAML
                "application/json": {"schema": {"type": "object"}},
            }
        }
    },
)
def download_map(
    workspace: Slug,
    map_id: Slug,
    ctx: Ctx,
    user: CurrentUser,
    format: Literal["yaml", "json"] = "yaml",
    version: MaybeNumber = None,
) -> PlainTextResponse:
    loaded = ctx.store.get_map(MapKey(workspace, map_id), version)
    text = dump_map(loaded.journey, MapFormat(format))
    media = "application/json" if format == "json" else "text/yaml"
    name = f"{map_id}-v{loaded.version}.{format}"
    return PlainTextResponse(
        text,
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    MAP + "/elements/{collection}/{key}", response_model=ElementOut, summary="One element of a map"
)
def read_element(
    workspace: Slug, map_id: Slug, collection: Slug, key: Slug, ctx: Ctx, user: CurrentUser
) -> ElementOut:
    lang = user.language.value
    check_collection(collection, lang)
    loaded = ctx.store.get_map(MapKey(workspace, map_id))
    _, element = find_element(loaded.journey, collection, key, lang)
    return ElementOut(
        collection=collection,
        key=key,
        version=loaded.version,
        element=element.model_dump(mode="json", exclude_defaults=True),
    )


@router.post(
    MAP + "/elements/{collection}",
    response_model=ElementSaved,
    status_code=201,
    summary="Add an element",
)
def add_element(
    workspace: Slug, map_id: Slug, collection: Slug, body: ElementIn, ctx: Ctx, user: CurrentUser
) -> ElementSaved:
    key = MapKey(workspace, map_id)
    saved, new_key = actions.save_element(
        ctx, user, key, collection, None, body.element, body.version
    )
    return ElementSaved(collection=collection, key=new_key, saved=VersionOut.of(saved))


@router.put(
    MAP + "/elements/{collection}/{key}", response_model=ElementSaved, summary="Replace an element"
)
def put_element(
    workspace: Slug,
    map_id: Slug,
    collection: Slug,
    key: Slug,
    body: ElementIn,
    ctx: Ctx,
    user: CurrentUser,
) -> ElementSaved:
    """The whole element is replaced (fields left out take their defaults); ``map`` as the
    collection and the map's id as the key replace the map's own fields."""
    map_key = MapKey(workspace, map_id)
    element = None if collection == "map" else key
    saved, _ = actions.save_element(
        ctx, user, map_key, collection, element, body.element, body.version
    )
    return ElementSaved(collection=collection, key=key, saved=VersionOut.of(saved))


@router.delete(
    MAP + "/elements/{collection}/{key}", response_model=VersionOut, summary="Remove an element"
)
def remove_element(
    workspace: Slug,
    map_id: Slug,
    collection: Slug,
    key: Slug,
    version: Version,
    ctx: Ctx,
    user: CurrentUser,
) -> VersionOut:
    map_key = MapKey(workspace, map_id)
    return VersionOut.of(actions.delete_element(ctx, user, map_key, collection, key, version))


@router.get(MAP + "/versions", response_model=list[VersionOut], summary="Version history")
def list_versions(workspace: Slug, map_id: Slug, ctx: Ctx, user: CurrentUser) -> list[VersionOut]:
    return [VersionOut.of(v) for v in ctx.store.versions(MapKey(workspace, map_id))]


@router.get(MAP + "/diff", response_model=list[ChangeOut], summary="Changes between versions")
def diff_versions(
    workspace: Slug,
    map_id: Slug,
    ctx: Ctx,
    user: CurrentUser,
    a: Number,
    b: Number,
) -> list[ChangeOut]:
    return [ChangeOut.of(c) for c in ctx.store.diff(MapKey(workspace, map_id), a, b)]


@router.post(MAP + "/restore", response_model=VersionOut, summary="Restore an old version")
def restore_version(
    workspace: Slug, map_id: Slug, body: RestoreIn, ctx: Ctx, user: CurrentUser
) -> VersionOut:
    key = MapKey(workspace, map_id)
    return VersionOut.of(actions.restore(ctx, user, key, body.restore, body.version))


@router.get(MAP + "/comments", response_model=list[CommentOut], summary="Comments on a map")
def list_comments(
    workspace: Slug,
    map_id: Slug,
    ctx: Ctx,
    user: CurrentUser,
    element_id: Annotated[str | None, Query(max_length=80)] = None,
) -> list[CommentOut]:
    found = ctx.store.comments(MapKey(workspace, map_id), element_id=element_id)
    return [CommentOut.of(c) for c in found]


@router.post(
    MAP + "/comments",
    response_model=CommentOut,
    status_code=201,
    summary="Comment on the map or one of its elements",
)
def add_comment(
    workspace: Slug, map_id: Slug, body: CommentIn, ctx: Ctx, user: CurrentUser
) -> CommentOut:
    key = MapKey(workspace, map_id)
    return CommentOut.of(actions.add_comment(ctx, user, key, body.text, body.element_id))


@router.put(
    "/comments/{comment_id}/resolved",
    response_model=CommentOut,
    summary="Resolve or reopen a comment",
)
def resolve_comment(comment_id: Id, body: ResolveIn, ctx: Ctx, user: CurrentUser) -> CommentOut:
    return CommentOut.of(actions.resolve_comment(ctx, user, comment_id, body.resolved))


@router.post("/lint", response_model=list[Diagnostic], summary="Check a map without saving it")
def lint_map(body: LintIn, user: CurrentUser) -> list[Diagnostic]:
    """What the editor shows beside the map while someone types: the map's lint results,
    or a 422 naming the line that cannot be read."""
    lang = user.language.value
    if body.document is not None:
        journey = body.document
    elif body.text is not None:
        journey = maps.from_document(body.text, body.format, lang)
    else:
        raise BadInput("lint_needs_map", lang)
    return lint(journey, lang=lang)
