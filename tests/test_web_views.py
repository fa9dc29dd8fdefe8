"""Drawings of a cached view are drawn once: the dashboard's charts, the subway map and
the canvas come from the view cache on the next request (they were drawn on every request,
the bulk of those pages' time under load: see BENCHMARKS.md, "Web app under load")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jornada.render.charts import charts
from jornada.render.data import ReportData
from jornada.web import downloads, views
from jornada.web.views import ViewCache, ViewFilters
from tests.utils.web import build_demo_dir, served_demo, sign_in


class Counter:
    """A drawing that says how often it was drawn."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"<svg>{self.calls}</svg>"


def _data() -> ReportData:
    return ReportData(summary={}, tables={}, findings=[], journey=None, lang="en")


def test_a_cached_view_draws_each_drawing_once() -> None:
    cache = ViewCache(2)
    data = _data()
    cache.put(("ws", 1, "en", ()), data)
    draw = Counter()
    assert cache.drawn(data, ("subway", "touchpoint", 0.0), draw) == "<svg>1</svg>"
    assert cache.drawn(data, ("subway", "touchpoint", 0.0), draw) == "<svg>1</svg>"
    assert draw.calls == 1
    other = Counter()
    assert cache.drawn(data, ("subway", "stage", 0.0), other) == "<svg>1</svg>"
    assert other.calls == 1  # another key is another drawing


def test_drawings_go_with_their_view() -> None:
    cache = ViewCache(1)
    first, second = _data(), _data()
    cache.put(("ws", 1, "en", ()), first)
    draw = Counter()
    cache.drawn(first, ("canvas",), draw)
    cache.put(("ws", 2, "en", ()), second)  # evicts the first view
    cache.drawn(first, ("canvas",), draw)
    assert draw.calls == 2  # not cached any more: drawn again, and not kept
    cache.drawn(second, ("canvas",), draw)
    cache.forget("ws")  # its data changed
    cache.put(("ws", 2, "en", ()), second)
    cache.drawn(second, ("canvas",), draw)
    assert draw.calls == 4


def test_data_the_cache_does_not_hold_is_drawn_every_time() -> None:
    cache = ViewCache(0)  # caching off
    data = _data()
    cache.put(("ws", 1, "en", ()), data)
    draw = Counter()
    cache.drawn(data, ("charts",), draw)
    cache.drawn(data, ("charts",), draw)
    assert draw.calls == 2


def test_a_view_keeps_a_bounded_number_of_drawings() -> None:
    cache = ViewCache(1)
    data = _data()
    cache.put(("ws", 1, "en", ()), data)
    draw = Counter()
    for share in range(cache.drawings_per_view + 5):
        cache.drawn(data, ("subway", "touchpoint", share / 100), draw)
    cache.drawn(data, ("subway", "touchpoint", 0.0), draw)  # the oldest went first
    assert draw.calls == cache.drawings_per_view + 6


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder: Path = tmp_path_factory.mktemp("views")
    app, _, email = served_demo(folder, build_demo_dir(folder / "demo"))
    return app


def test_pages_draw_from_the_cache_and_a_new_upload_draws_again(app: Any) -> None:
    ctx = app.state.ctx
    admin = sign_in(app, "admin@jornada.local")
    run = ctx.store.analysis_runs("demo")[0]
    page = admin.http.get(f"/w/demo/runs/{run.id}/subway?level=stage")
    assert page.status_code == 200
    data = views.run_data(ctx, ctx.store.get_workspace("demo"), run, "en", ViewFilters())

    def not_again() -> str:
        raise AssertionError("drawn again")

    svg = ctx.views.drawn(data, ("subway", "stage", 0.0), not_again)
    assert svg == downloads.drawing(data, "subway", level="stage") and svg in page.text
    dashboard = admin.http.get(f"/w/demo/runs/{run.id}")
    drawn = ctx.views.drawn(data, ("charts",), not_again)
    assert drawn == charts(data) and all(s in dashboard.text for s in drawn.values())
    api = admin.http.get(f"/api/workspaces/demo/runs/{run.id}/drawings/canvas")
    assert api.text == ctx.views.drawn(data, ("canvas", "touchpoint", 0.0), not_again)
    assert admin.http.get(f"/w/demo/runs/{run.id}/subway?level=stage").text == page.text

    csv = b"account_id,name,segment\nacc-views-1,Views One,enterprise\n"
    uploaded = admin.api(
        "POST", "/api/workspaces/demo/uploads", files={"files": ("accounts.csv", csv)}
    )
    assert uploaded.status_code == 200
    again = Counter()
    fresh = views.run_data(ctx, ctx.store.get_workspace("demo"), run, "en", ViewFilters())
    ctx.views.drawn(fresh, ("subway", "stage", 0.0), again)
    assert again.calls == 1  # the workspace's views were forgotten with their drawings
