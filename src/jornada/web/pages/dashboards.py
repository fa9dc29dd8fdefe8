"""Pages of what the data says: a run's dashboard (headline numbers, charts, findings),
its tables, the subway map and canvas with their filters, the periodic review, the
initiatives board and one business unit's view."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jornada.render.charts import charts
from jornada.render.data import ReportData
from jornada.store import AnalysisRun, MapKey, User
from jornada.web import actions, downloads, plans, views
from jornada.web.context import AppContext
from jornada.web.deps import Ctx, CurrentUser, Id, MaybeNumber
from jornada.web.errors import BadInput, Missing
from jornada.web.pages.render import Submitted, render, submitted

router = APIRouter(include_in_schema=False)
Form = Annotated[Submitted, Depends(submitted)]
RUN = "/w/{workspace}/runs/{run_id}"
MAP = "/w/{workspace}/m/{map_id}"
Share = Annotated[float, Query(ge=0, le=1)]


def _run(ctx: AppContext, workspace: str, run_id: int, lang: str) -> AnalysisRun:
    run = ctx.store.get_analysis_run(run_id)
    if run.workspace != workspace:
        raise Missing("no_run", lang, run=run_id)
    return run


def _view(
    ctx: AppContext, user: User, workspace: str, run_id: int, filters: views.ViewFilters
) -> tuple[AnalysisRun, ReportData]:
    lang = user.language.value
    run = _run(ctx, workspace, run_id, lang)
    return run, views.run_data(ctx, ctx.store.get_workspace(workspace), run, lang, filters)


class Narrowing:
    """A view's query parameters that narrow the journeys (the analysis runs again); an
    empty value, as a form's "all" option sends it, narrows nothing."""

    def __init__(
        self, outcome: str | None = None, segment: str | None = None, role: str | None = None
    ) -> None:
        self.outcome, self.segment, self.role = outcome or None, segment, role


Narrowed = Annotated[Narrowing, Depends()]


def _filters(
    user: User, narrow: Narrowing, level: str | None = None, min_share: float | None = None
) -> views.ViewFilters:
    return views.view_filters(
        user.language.value,
        outcome=narrow.outcome,
        segment=narrow.segment,
        role=narrow.role,
        level=level,
        min_share=min_share,
    )


def _common(
    ctx: AppContext, workspace: str, run: AnalysisRun, data: ReportData, filters: views.ViewFilters
) -> dict[str, Any]:
    discovery, insights = views.table_names(data)
    return {
        "workspace": ctx.store.get_workspace(workspace),
        "run": run,
        "data": data,
        "filters": filters,
        "discovery": discovery,
        "insights": insights,
        "table_title": lambda name: views.table_title(name, data.lang),
        "roles": data.journey.roles if data.journey is not None else [],
        "segments": sorted(
            {str(r["segment"]) for r in data.rows("account_coverage") if r.get("segment")}
        ),
        "maps": ctx.store.maps(workspace),
    }


@router.get(RUN, response_class=HTMLResponse)
def dashboard(
    workspace: str,
    run_id: Id,
    request: Request,
    ctx: Ctx,
    user: CurrentUser,
    narrow: Narrowed,
) -> Response:
    filters = _filters(user, narrow)
    run, data = _view(ctx, user, workspace, run_id, filters)
    context = {
        **_common(ctx, workspace, run, data, filters),
        "headline": views.headline(data.summary, data.lang),
        "charts": [
            (views.table_title(name, data.lang), svg)
            for name, svg in ctx.views.drawn(data, ("charts",), lambda: charts(data)).items()
        ],
        "findings": data.findings,
        "kind_label": lambda kind: views.finding_kind(kind, data.lang),
        "page": "overview",
    }
    return render(request, "dashboard.html", context, title=run.label)


@router.get(RUN + "/tables/{name}", response_class=HTMLResponse)
def table(
    workspace: str,
    run_id: Id,
    name: str,
    request: Request,
    ctx: Ctx,
    user: CurrentUser,
    narrow: Narrowed,
) -> Response:
    filters = _filters(user, narrow)
    run, data = _view(ctx, user, workspace, run_id, filters)
    shown = views.table_view(data, name, ctx.settings.table_rows)
    context = {**_common(ctx, workspace, run, data, filters), "table": shown, "page": name}
    return render(request, "table.html", context, title=shown.title)


@router.get(RUN + "/subway", response_class=HTMLResponse)
def subway(
    workspace: str,
    run_id: Id,
    request: Request,
    ctx: Ctx,
    user: CurrentUser,
    narrow: Narrowed,
    level: str = "touchpoint",
    min_share: Share = 0.0,
) -> Response:
    filters = _filters(user, narrow, level, min_share)
    run, data = _view(ctx, user, workspace, run_id, filters)
    svg = ctx.views.drawn(
        data,
        ("subway", filters.level, filters.min_share),
        lambda: downloads.drawing(data, "subway", level=filters.level, min_share=filters.min_share),
    )
    return _drawing_page(request, ctx, workspace, run, data, filters, "subway", svg)


@router.get(RUN + "/canvas", response_class=HTMLResponse)
def canvas(
    workspace: str,
    run_id: Id,
    request: Request,
    ctx: Ctx,
    user: CurrentUser,
    narrow: Narrowed,
) -> Response:
    filters = _filters(user, narrow)
    run, data = _view(ctx, user, workspace, run_id, filters)
    svg = ctx.views.drawn(data, ("canvas",), lambda: downloads.drawing(data, "canvas"))
    return _drawing_page(request, ctx, workspace, run, data, filters, "canvas", svg)


def _drawing_page(
    request: Request,
    ctx: AppContext,
    workspace: str,
    run: AnalysisRun,
    data: ReportData,
    filters: views.ViewFilters,
    drawing: str,
    svg: str,
) -> Response:
    context = {
        **_common(ctx, workspace, run, data, filters),
        "svg": svg,
        "page": drawing,
        "drawing": drawing,
    }
    return render(request, "drawing.html", context, title=run.label)


@router.get("/w/{workspace}/review", response_class=HTMLResponse)
def review(
    workspace: str,
    request: Request,
    ctx: Ctx,
    user: CurrentUser,
    a: MaybeNumber = None,
    b: MaybeNumber = None,
) -> Response:
    lang = user.language.value
    runs = ctx.store.analysis_runs(workspace)
    if a is None and b is None and len(runs) >= 2:
        a, b = runs[1].id, runs[0].id
    comparison = None
    if a is not None and b is not None:
        _run(ctx, workspace, a, lang)
        _run(ctx, workspace, b, lang)
        comparison = ctx.store.compare_runs(a, b)
    context = {
        "workspace": ctx.store.get_workspace(workspace),
        "runs": runs,
        "a": a,
        "b": b,
        "comparison": comparison,
        "kpi_name": lambda name: views.headline_label(name, lang),
        "kpi_value": lambda name, value: views.summary_value(name, value, lang),
        "kpi_change": lambda name, delta: views.summary_change(name, delta, lang),
        "kind_name": lambda kind: views.finding_kind(kind, lang),
    }
    return render(request, "review.html", context)


@router.get(MAP + "/board", response_class=HTMLResponse)
def board(workspace: str, map_id: str, request: Request, ctx: Ctx, user: CurrentUser) -> Response:
    key = MapKey(workspace, map_id)
    loaded = ctx.store.get_map(key)
    context = {
        "workspace": ctx.store.get_workspace(workspace),
        "key": key,
        "journey": loaded.journey,
        "version": loaded.version,
        "columns": plans.board(loaded.journey),
        "base": f"/w/{workspace}/m/{map_id}",
        "map_name": plans.map_label(loaded.journey, user.language.value),
        "tab": "board",
    }
    return render(request, "board.html", context)


@router.post(MAP + "/board/{initiative_id}")
def move(
    workspace: str, map_id: str, initiative_id: str, form: Form, ctx: Ctx, user: CurrentUser
) -> Response:
    version = form.number("version")
    if version is None:
        raise BadInput("no_version", user.language.value)
    actions.move_initiative(
        ctx, user, MapKey(workspace, map_id), initiative_id, form.get("status"), version
    )
    return RedirectResponse(f"/w/{workspace}/m/{map_id}/board?done=moved", status_code=303)


@router.post(MAP + "/from-finding")
def from_finding(workspace: str, map_id: str, form: Form, ctx: Ctx, user: CurrentUser) -> Response:
    lang = user.language.value
    run_id, rank = form.number("run"), form.number("rank")
    if run_id is None or rank is None:
        raise BadInput("no_finding_chosen", lang)
    key = MapKey(workspace, map_id)
    version = form.number("version") or ctx.store.get_map(key).version
    run = _run(ctx, workspace, run_id, lang)
    _, initiative = actions.initiative_from_finding(
        ctx,
        user,
        key,
        run,
        rank,
        version,
        name=form.get("name") or None,
        owner_bu=form.get("owner_bu") or None,
        target_kpi=form.get("target_kpi") or None,
    )
    return RedirectResponse(
        f"/w/{workspace}/m/{map_id}/e/initiatives/{initiative}?done=created", status_code=303
    )


@router.get(MAP + "/units/{unit}", response_class=HTMLResponse)
def unit(
    workspace: str,
    map_id: str,
    unit: str,
    request: Request,
    ctx: Ctx,
    user: CurrentUser,
    run: MaybeNumber = None,
) -> Response:
    lang = user.language.value
    key = MapKey(workspace, map_id)
    journey = ctx.store.get_map(key).journey
    runs = [r for r in ctx.store.analysis_runs(workspace) if r.map_key == key]
    chosen = run or (runs[0].id if runs else None)
    data = _view(ctx, user, workspace, chosen, views.ViewFilters())[1] if chosen else None
    view = plans.unit_view(journey, unit, data, lang)
    context = {
        "workspace": ctx.store.get_workspace(workspace),
        "key": key,
        "journey": journey,
        "map_name": plans.map_label(journey, lang),
        "view": view,
        "runs": runs,
        "run": chosen,
        "data": data,
        "label": lambda element: plans.label(element, lang),
        "name": (data.name if data is not None else (lambda i: i)),
    }
    return render(request, "unit.html", context, title=view.unit.label(lang))
