"""The JSON API for data and analyses: uploads and their validation reports, analysis
runs, their tables, drawings and findings, the periodic review, the action plan and the
downloads (report, exports)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from jornada.engine import Outcome
from jornada.model import InitiativeStatus
from jornada.render.data import ReportData
from jornada.store import AnalysisRun, MapKey
from jornada.web import actions, downloads, plans, views
from jornada.web.context import AppContext
from jornada.web.data import Upload, import_uploads, run_analysis
from jornada.web.deps import Ctx, CurrentUser, Id, MaybeNumber, Number
from jornada.web.errors import Missing
from jornada.web.schemas import (
    BoardOut,
    ElementSaved,
    FromFindingIn,
    ImportReportOut,
    ReviewOut,
    RunIn,
    RunOut,
    StatusIn,
    TableOut,
    TablesOut,
    UnitOut,
    VersionOut,
)

router = APIRouter(tags=["analyses"])

Slug = Annotated[str, Path(max_length=80)]
WS = "/workspaces/{workspace}"
RUN = WS + "/runs/{run_id}"
MAP = WS + "/maps/{map_id}"
SVG: dict[int | str, dict[str, Any]] = {200: {"content": {"image/svg+xml": {}}}}


class ViewParams(BaseModel):
    """The query parameters that narrow a view of a run (the analysis runs again)."""

    outcome: Outcome | None = None
    segment: str | None = Field(default=None, max_length=200)
    role: str | None = Field(default=None, max_length=200)


@router.post(
    WS + "/uploads",
    response_model=list[ImportReportOut],
    summary="Upload export files and import them",
)
def upload(
    workspace: Slug,
    ctx: Ctx,
    user: CurrentUser,
    files: Annotated[list[UploadFile], File(description="CSV, XLSX, Parquet, JSONL or XES")],
    map: Annotated[str | None, Form(max_length=80)] = None,
) -> list[ImportReportOut]:
    """One validation report per file: rows read = loaded + rejected + duplicates, why rows
    were rejected, activities no touchpoint of the map matches."""
    target = ctx.store.get_workspace(workspace)
    uploads = [Upload(f.filename or "", f.file) for f in files]
    key = MapKey(workspace, map) if map else None
    reports = import_uploads(ctx, user, target, uploads, key)
    return [ImportReportOut.model_validate(r) for r in reports]


@router.get(WS + "/runs", response_model=list[RunOut], summary="A workspace's analysis runs")
def list_runs(workspace: Slug, ctx: Ctx, user: CurrentUser) -> list[RunOut]:
    return [RunOut.of(r, findings=False) for r in ctx.store.analysis_runs(workspace)]


@router.post(
    WS + "/runs",
    response_model=RunOut,
    status_code=201,
    summary="Analyse a period and keep it as a run",
)
def create_run(workspace: Slug, body: RunIn, ctx: Ctx, user: CurrentUser) -> RunOut:
    target = ctx.store.get_workspace(workspace)
    key = MapKey(workspace, body.map) if body.map else None
    run = run_analysis(
        ctx, user, target, label=body.label, since=body.since, until=body.until, map_key=key
    )
    return RunOut.of(run)


@router.get(RUN, response_model=RunOut, summary="One analysis run")
def read_run(workspace: Slug, run_id: Id, ctx: Ctx, user: CurrentUser) -> RunOut:
    return RunOut.of(_run(ctx, workspace, run_id, user.language.value))


@router.get(RUN + "/tables", response_model=TablesOut, summary="The run's tables")
def list_tables(workspace: Slug, run_id: Id, ctx: Ctx, user: CurrentUser) -> TablesOut:
    data = _data(ctx, workspace, run_id, user.language.value, ViewParams())
    discovery, insights = views.table_names(data)
    return TablesOut(discovery=discovery, insights=insights)


@router.get(RUN + "/tables/{name}", response_model=TableOut, summary="One table of a run")
def read_table(
    workspace: Slug,
    run_id: Id,
    name: Slug,
    ctx: Ctx,
    user: CurrentUser,
    params: Annotated[ViewParams, Query()],
    limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
) -> TableOut:
    data = _data(ctx, workspace, run_id, user.language.value, params)
    if name not in data.tables:
        raise Missing("no_table", user.language.value, table=name)
    table = data.tables[name]
    rows = downloads.plain_rows(table.slice(0, limit).to_pylist())
    return TableOut(name=name, columns=table.column_names, rows=rows, total=table.num_rows)


@router.get(
    RUN + "/findings", response_model=list[dict[str, Any]], summary="The run's ranked findings"
)
def read_findings(
    workspace: Slug,
    run_id: Id,
    ctx: Ctx,
    user: CurrentUser,
    params: Annotated[ViewParams, Query()],
) -> list[dict[str, Any]]:
    return _data(ctx, workspace, run_id, user.language.value, params).findings


@router.get(
    RUN + "/drawings/{name}",
    response_class=Response,
    responses=SVG,
    summary="A drawing of the run as SVG",
)
def read_drawing(
    workspace: Slug,
    run_id: Id,
    name: Slug,
    ctx: Ctx,
    user: CurrentUser,
    params: Annotated[ViewParams, Query()],
    level: Literal["touchpoint", "stage"] = "touchpoint",
    min_share: Annotated[float, Query(ge=0, le=1)] = 0.0,
) -> Response:
    """``subway``, ``canvas``, ``chart-<name>`` or ``empathy-<persona>``."""
    lang = user.language.value
    data = _data(ctx, workspace, run_id, lang, params)
    svg = ctx.views.drawn(
        data,
        (name, level, min_share),
        lambda: downloads.drawing(data, name, level=level, min_share=min_share),
    )
    return Response(svg, media_type="image/svg+xml")


@router.get(
    RUN + "/report",
    response_class=Response,
    responses={200: {"content": {"text/html": {}}}},
    summary="The executive report as one HTML file",
)
def read_report(
    workspace: Slug,
    run_id: Id,
    ctx: Ctx,
    user: CurrentUser,
    params: Annotated[ViewParams, Query()],
) -> Response:
    data = _data(ctx, workspace, run_id, user.language.value, params)
    html = downloads.report_html(data)
    name = f"{workspace}-run{run_id}-report.html"
    return Response(
        html,
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    RUN + "/exports",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
    summary="Every drawing, worksheet and number as a zip",
)
def read_exports(
    workspace: Slug,
    run_id: Id,
    ctx: Ctx,
    user: CurrentUser,
    params: Annotated[ViewParams, Query()],
) -> Response:
    data = _data(ctx, workspace, run_id, user.language.value, params)
    name = f"{workspace}-run{run_id}-exports.zip"
    return Response(
        downloads.exports_zip(data),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(WS + "/review", response_model=ReviewOut, summary="Compare two analysis runs")
def review(
    workspace: Slug,
    ctx: Ctx,
    user: CurrentUser,
    a: Number,
    b: Number,
) -> ReviewOut:
    lang = user.language.value
    _run(ctx, workspace, a, lang)
    _run(ctx, workspace, b, lang)
    return ReviewOut.of(ctx.store.compare_runs(a, b))


@router.get(MAP + "/initiatives", response_model=BoardOut, summary="Initiatives by status")
def read_board(workspace: Slug, map_id: Slug, ctx: Ctx, user: CurrentUser) -> BoardOut:
    loaded = ctx.store.get_map(MapKey(workspace, map_id))
    columns = {
        status: [i.model_dump(mode="json", exclude_defaults=True) for i in items]
        for status, items in plans.board(loaded.journey).items()
    }
    return BoardOut(version=loaded.version, columns=columns)


@router.put(
    MAP + "/initiatives/{initiative_id}/status",
    response_model=VersionOut,
    summary="Move an initiative to another status",
)
def move_initiative(
    workspace: Slug, map_id: Slug, initiative_id: Slug, body: StatusIn, ctx: Ctx, user: CurrentUser
) -> VersionOut:
    key = MapKey(workspace, map_id)
    status = InitiativeStatus(body.status).value
    return VersionOut.of(
        actions.move_initiative(ctx, user, key, initiative_id, status, body.version)
    )


@router.post(
    MAP + "/initiatives/from-finding",
    response_model=ElementSaved,
    status_code=201,
    summary="Create an initiative from a finding",
)
def initiative_from_finding(
    workspace: Slug, map_id: Slug, body: FromFindingIn, ctx: Ctx, user: CurrentUser
) -> ElementSaved:
    key = MapKey(workspace, map_id)
    run = _run(ctx, workspace, body.run, user.language.value)
    saved, initiative_id = actions.initiative_from_finding(
        ctx,
        user,
        key,
        run,
        body.rank,
        body.version,
        name=body.name,
        owner_bu=body.owner_bu,
        target_kpi=body.target_kpi,
    )
    return ElementSaved(collection="initiatives", key=initiative_id, saved=VersionOut.of(saved))


@router.get(MAP + "/units/{unit}", response_model=UnitOut, summary="One business unit's view")
def read_unit(
    workspace: Slug,
    map_id: Slug,
    unit: Slug,
    ctx: Ctx,
    user: CurrentUser,
    run: MaybeNumber = None,
) -> UnitOut:
    lang = user.language.value
    journey = ctx.store.get_map(MapKey(workspace, map_id)).journey
    data = _data(ctx, workspace, run, lang, ViewParams()) if run else None
    view = plans.unit_view(journey, unit, data, lang)
    return UnitOut(
        unit=view.unit.model_dump(mode="json", exclude_defaults=True),
        owned=[tp.id for tp in view.owned],
        shared=[tp.id for tp in view.shared],
        initiatives=[i.id for i in view.initiatives],
        pain_points=[p.id for p in view.pain_points],
        numbers=downloads.plain_rows([view.numbers])[0],
        friction=downloads.plain_rows(view.friction),
        shared_observed=downloads.plain_rows(view.shared_observed),
        findings=view.findings,
    )


def _run(ctx: AppContext, workspace: str, run_id: int, lang: str) -> AnalysisRun:
    run = ctx.store.get_analysis_run(run_id)
    if run.workspace != workspace:
        raise Missing("no_run", lang, run=run_id)
    return run


def _data(
    ctx: AppContext, workspace: str, run_id: int, lang: str, params: ViewParams
) -> ReportData:
    target = ctx.store.get_workspace(workspace)
    run = _run(ctx, workspace, run_id, lang)
    filters = views.view_filters(
        lang,
        outcome=params.outcome.value if params.outcome else None,
        segment=params.segment,
        role=params.role,
    )
    return views.run_data(ctx, target, run, lang, filters)
