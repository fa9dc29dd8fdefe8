"""What the dashboards show: an analysis run's tables, drawings and findings, optionally
re-analysed for a narrower set of journeys (outcome, segment, buying-group role).

A run's own tables are read from its folder; a filtered view runs the analysis again on
the workspace (the same ``analyse`` call as ``jornada analyze --outcome ...``). Both are
kept in a small in-memory cache: runs never change, so a cached view never goes stale.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar, cast

from jornada.engine import AnalysisOptions, Outcome
from jornada.i18n import t
from jornada.ingest.batch import use_map
from jornada.insights.run import analyse
from jornada.model import JourneyMap
from jornada.render import fmt
from jornada.render.data import ReportData, from_analysis, load
from jornada.store import AnalysisRun, Workspace
from jornada.web.errors import BadInput, Missing

if TYPE_CHECKING:
    from jornada.web.context import AppContext

DISCOVERY = (
    "funnel",
    "stage_time",
    "transitions",
    "variants",
    "stage_variants",
    "nonlinearity",
    "rework",
    "endpoints",
    "channel_mix",
    "channel_mix_outcome",
    "phase_balance",
    "cases",
    "data_quality",
)
"""Discovery tables, in the order the dashboard lists them; the rest are insights."""

NAMED_COLUMNS = (
    "stage",
    "to_stage",
    "touchpoint",
    "business_unit",
    "role",
    "owner",
    "owner_bu",
    "source",
    "target",
    "subject",
    "to_subject",
)
"""Columns holding map ids, shown with the map's names."""

LEVELS = ("touchpoint", "stage")
T = TypeVar("T")


@dataclass(frozen=True)
class ViewFilters:
    """Which journeys a view counts, besides the run's own period."""

    outcome: Outcome | None = None
    segment: str | None = None
    role: str | None = None
    level: str = "touchpoint"
    min_share: float = 0.0

    def narrows(self) -> bool:
        """Whether the analysis must run again (the level and min share only redraw)."""
        return any((self.outcome, self.segment, self.role))


def view_filters(
    lang: str,
    *,
    outcome: str | None = None,
    segment: str | None = None,
    role: str | None = None,
    level: str | None = None,
    min_share: float | None = None,
) -> ViewFilters:
    """Filters from a page's query, or :class:`BadInput` naming the one that is wrong."""
    if outcome and outcome not in {o.value for o in Outcome}:
        raise BadInput(
            "bad_choice",
            lang,
            field="outcome",
            value=outcome[:40],
            allowed=", ".join(o.value for o in Outcome),
        )
    if level and level not in LEVELS:
        raise BadInput(
            "bad_choice", lang, field="level", value=level[:40], allowed=", ".join(LEVELS)
        )
    share = min_share or 0.0
    if not 0.0 <= share <= 1.0:
        raise BadInput("bad_share", lang, value=share)
    return ViewFilters(
        outcome=Outcome(outcome) if outcome else None,
        segment=(segment or "").strip()[:200] or None,
        role=(role or "").strip()[:200] or None,
        level=level or "touchpoint",
        min_share=share,
    )


class ViewCache:
    """The last few report data objects, by workspace, run, filters and language, and the
    drawings made from each (a run never changes, so neither do they: a dashboard's charts
    and a subway map are drawn once per view, not on every request)."""

    drawings_per_view = 16
    """Drawings kept per view (the subway's level and minimum share make many)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], ReportData] = OrderedDict()
        self._drawings: dict[int, OrderedDict[tuple[Any, ...], Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> ReportData | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: tuple[Any, ...], data: ReportData) -> None:
        if self.size <= 0:
            return
        with self._lock:
            old = self._items.get(key)
            if old is not None and old is not data:
                self._drawings.pop(id(old), None)
            self._items[key] = data
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                _, dropped = self._items.popitem(last=False)
                self._drawings.pop(id(dropped), None)

    def forget(self, workspace: str) -> None:
        """Drop a workspace's views (its data changed)."""
        with self._lock:
            for key in [k for k in self._items if k[0] == workspace]:
                self._drawings.pop(id(self._items.pop(key)), None)

    def drawn(self, data: ReportData, key: tuple[Any, ...], draw: Callable[[], T]) -> T:
        """What ``draw`` makes of ``data`` (a drawing named by ``key``), made once while
        ``data`` is a cached view; drawn afresh for data this cache does not hold."""
        with self._lock:
            memo = self._drawings.get(id(data))
            if memo is not None and key in memo:
                memo.move_to_end(key)
                return cast(T, memo[key])
        made = draw()
        with self._lock:
            if any(held is data for held in self._items.values()):
                memo = self._drawings.setdefault(id(data), OrderedDict())
                memo[key] = made
                while len(memo) > self.drawings_per_view:
                    memo.popitem(last=False)
        return made


def run_data(
    ctx: AppContext, workspace: Workspace, run: AnalysisRun, lang: str, filters: ViewFilters
) -> ReportData:
    """The report data of ``run``, re-analysed when ``filters`` narrow the journeys."""
    from jornada.web.data import period_filters
    from jornada.web.workspaces import data_file, run_folder

    if run.workspace != workspace.slug:
        raise Missing("no_run", lang, run=run.id)
    narrowing = (filters.outcome, filters.segment, filters.role) if filters.narrows() else ()
    key = (workspace.slug, run.id, lang, narrowing)
    cached = ctx.views.get(key)
    if cached is not None:
        return cached
    journey = _run_map(ctx, run)
    if not filters.narrows():
        folder = run_folder(ctx.settings, workspace, run.id)
        if not folder.is_dir():
            raise Missing("run_files_missing", lang, run=run.id)
        data = load(folder, journey, lang)
    else:
        since = _day(run.filters.get("since"))
        until = _day(run.filters.get("until"))
        chosen = period_filters(
            since, until, outcome=filters.outcome, segment=filters.segment, role=filters.role
        )
        with ctx.pool.use(data_file(ctx.settings, workspace)) as ws:
            if journey is not None:
                use_map(ws, journey)
            analysis = analyse(ws.con, AnalysisOptions(filters=chosen, lang=lang), journey)
        shown = {
            k: str(v) for k, v in zip(("outcome", "segment", "role"), narrowing, strict=True) if v
        }
        data = from_analysis(analysis, journey, lang, filters=shown)
    ctx.views.put(key, data)
    return data


def _run_map(ctx: AppContext, run: AnalysisRun) -> JourneyMap | None:
    if run.map_key is None:
        return None
    return ctx.store.get_map(run.map_key, run.map_version).journey


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


# Tables as the dashboards show them.


@dataclass
class Cell:
    text: str
    sort: str
    """What the column sorts by: the number itself, or the text."""
    numeric: bool = False


@dataclass
class TableView:
    name: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    total: int


def table_title(name: str, lang: str) -> str:
    key = f"web.table.{name}"
    text = t(key, lang)
    return text if text != key else name.replace("_", " ").capitalize()


def table_names(data: ReportData) -> tuple[list[str], list[str]]:
    """The run's discovery tables and its insight tables, in the dashboard's order."""
    present = [n for n in data.tables if data.tables[n].num_columns]
    discovery = [n for n in DISCOVERY if n in present]
    insights = sorted(n for n in present if n not in DISCOVERY)
    return discovery, insights


def table_view(data: ReportData, name: str, limit: int) -> TableView:
    """The first ``limit`` rows of table ``name`` as text cells with sort keys."""
    lang = data.lang
    if name not in data.tables:
        raise Missing("no_table", lang, table=name)
    table = data.tables[name]
    rows = table.slice(0, limit).to_pylist()
    columns = list(table.column_names)
    cells = [[_cell(data, column, row.get(column)) for column in columns] for row in rows]
    return TableView(name, table_title(name, lang), columns, cells, table.num_rows)


def _cell(data: ReportData, column: str, value: Any) -> Cell:
    lang = data.lang
    if value is None:
        return Cell("", "")
    if isinstance(value, bool):
        text = t("web.yes", lang) if value else t("web.no", lang)
        return Cell(text, str(int(value)))
    if isinstance(value, int | float | Decimal):
        number = float(value)
        digits = 0
        if isinstance(value, float):
            digits = 3 if 0 < abs(number) < 1 else 2
        return Cell(fmt.number(number, lang, digits), repr(number), numeric=True)
    if isinstance(value, dt.datetime | dt.date):
        return Cell(fmt.date(value, lang), value.isoformat())
    if isinstance(value, list):
        text = ", ".join(_named(data, column, v) for v in value)
        return Cell(text, text)
    text = _named(data, column, value)
    return Cell(text, text)


def _named(data: ReportData, column: str, value: Any) -> str:
    if column in NAMED_COLUMNS and isinstance(value, str) and data.journey is not None:
        if data.journey.element(value) is not None:
            return data.name(value)
    return str(value)


# The headline numbers.

HEADLINE = (
    ("cases", "count"),
    ("events", "count"),
    ("win_rate", "share"),
    ("backtracking_rate", "share"),
    ("cases_backtracking_share", "share"),
    ("median_journey_days", "days"),
    ("online_share", "share"),
)


def headline(summary: dict[str, Any], lang: str) -> list[tuple[str, str, str]]:
    """The summary's key numbers: (key, label, value) in the user's language."""
    out = []
    for key, style in HEADLINE:
        value = summary.get(key)
        if not isinstance(value, int | float):
            continue
        if style == "share":
            text = fmt.share(value, lang)
        elif style == "days":
            text = fmt.days(value, lang)
        else:
            text = fmt.number(value, lang)
        out.append((key, t(f"web.summary.{key}", lang), text))
    return out


def _style(key: str) -> str:
    """How a summary number reads: a share, days, or a count/decimal."""
    if key.endswith(("_rate", "_share")):
        return "share"
    if "_days" in key:
        return "days"
    return "number"


def summary_value(key: str, value: float | None, lang: str) -> str:
    """A summary number as people read it: 18.9%, 384 days, 1,851."""
    if value is None:
        return "—"
    style = _style(key)
    if style == "share":
        return fmt.share(value, lang)
    if style == "days":
        return fmt.days(value, lang)
    return fmt.number(value, lang, 0 if float(value).is_integer() else 2)


def summary_change(key: str, delta: float | None, lang: str) -> str:
    """The change of a summary number between two periods: +3.1 pp, −71 days, +307."""
    if delta is None:
        return "—"
    if _style(key) == "share":
        return fmt.points(delta, lang)
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    return sign + summary_value(key, abs(delta), lang)


def headline_label(key: str, lang: str) -> str:
    """A summary number's name for people (the review lists every one)."""
    text = t(f"web.summary.{key}", lang)
    return text if text != f"web.summary.{key}" else key.replace("_", " ").capitalize()


def finding_kind(kind: str, lang: str) -> str:
    """A finding's kind in words (the CLI's catalogue names every kind)."""
    text = t(f"cli.kind.{kind}", lang)
    return text if text != f"cli.kind.{kind}" else kind.replace("_", " ")
