"""Data in: export files uploaded into a workspace and imported with its map, and the
analysis of a period, kept as an analysis run (in the store) and a folder of tables.

The same library calls ``jornada import`` and ``jornada analyze`` make; nothing here reads
events row by row.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from jornada.engine import AnalysisOptions, Filters
from jornada.engine.output import write_analysis
from jornada.errors import JornadaError
from jornada.files import write_json
from jornada.ingest.batch import SUFFIXES, import_paths, use_map
from jornada.insights.run import analyse
from jornada.model import JourneyMap
from jornada.model.lint import lint
from jornada.store import AnalysisRun, MapKey, User, Workspace
from jornada.web.access import RUNS, require
from jornada.web.context import AppContext
from jornada.web.errors import BadInput
from jornada.web.workspaces import data_file, run_folder, workspace_folder

MAX_FILES = 20
MAX_NAME = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Upload:
    """One uploaded file: the name the browser gave and its content."""

    filename: str
    content: IO[bytes]


def safe_name(filename: str, lang: str) -> str:
    """A file name safe to write (no folders, only plain characters) that keeps the
    name's hint of its table (``events.csv``), or :class:`BadInput` for a type we cannot
    import."""
    base = Path(filename.replace("\\", "/")).name.strip()
    lowered = base.lower()
    if not any(lowered.endswith(suffix) for suffix in SUFFIXES):
        shown = base[:60] or "?"
        raise BadInput("bad_upload_type", lang, name=shown, allowed=", ".join(SUFFIXES))
    cleaned = _UNSAFE.sub("_", base).strip("._") or "upload"
    if len(cleaned) > MAX_NAME:
        cleaned = cleaned[-MAX_NAME:]
    return cleaned


def save_uploads(folder: Path, uploads: list[Upload], lang: str) -> list[Path]:
    """Write the uploads into a fresh folder under ``folder/uploads``; all or nothing."""
    if not uploads:
        raise BadInput("no_files", lang)
    if len(uploads) > MAX_FILES:
        raise BadInput("too_many_files", lang, limit=MAX_FILES)
    names = [safe_name(upload.filename, lang) for upload in uploads]
    if len(set(names)) != len(names):
        raise BadInput("same_file_twice", lang)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    target = folder / "uploads" / stamp
    target.mkdir(parents=True)
    written = []
    try:
        for name, upload in zip(names, uploads, strict=True):
            path = target / name
            with path.open("wb") as out:
                shutil.copyfileobj(upload.content, out)
            if path.stat().st_size == 0:
                raise BadInput("empty_file", lang, name=name)
            written.append(path)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return written


def import_uploads(
    ctx: AppContext,
    user: User,
    workspace: Workspace,
    uploads: list[Upload],
    map_key: MapKey | None = None,
) -> list[dict[str, Any]]:
    """Save and import the uploaded files with the map (when given); one validation report
    per file (rows read = loaded + rejected + duplicates, reasons, unmapped activities)."""
    require(user, RUNS)
    lang = user.language.value
    journey = ctx.store.get_map(map_key).journey if map_key else None
    folder = workspace_folder(ctx.settings, workspace)
    paths = save_uploads(folder, uploads, lang)
    rejected = folder / "rejected" / paths[0].parent.name
    try:
        with ctx.pool.use(data_file(ctx.settings, workspace)) as ws:
            reports = import_paths(ws, paths, journey=journey, rejected_dir=rejected)
    except JornadaError as exc:
        problem = " ".join(str(exc).split())
        raise BadInput("import_failed", lang, problem=problem) from None
    ctx.views.forget(workspace.slug)
    return [_plain(report.to_dict(), folder) for report in reports]


def run_analysis(
    ctx: AppContext,
    user: User,
    workspace: Workspace,
    *,
    label: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    map_key: MapKey | None = None,
) -> AnalysisRun:
    """Analyse the workspace's data for the period ``since``..``until`` (both days
    included; open ends take the data's own) and keep it as an analysis run."""
    require(user, RUNS)
    lang = user.language.value
    if since and until and until < since:
        raise BadInput("bad_period", lang, start=since, end=until)
    journey, version = _map(ctx, map_key)
    filters = period_filters(since, until)
    with ctx.pool.use(data_file(ctx.settings, workspace)) as ws:
        if ws.count("events") == 0 and ws.count("paths") == 0:
            raise BadInput("no_data", lang)
        if journey is not None:
            use_map(ws, journey)
        analysis = analyse(ws.con, AnalysisOptions(filters=filters, lang=lang), journey)
    start, end = data_period(analysis.tables.get("cases"), since, until)
    runs = workspace_folder(ctx.settings, workspace) / "runs"
    pending = runs / f".pending-{uuid.uuid4().hex}"
    try:
        write_analysis(analysis, pending)
        if journey is not None:
            diagnostics = [d.model_dump(mode="json") for d in lint(journey, lang=lang)]
            write_json(diagnostics, pending / "lint.json")
        run = ctx.store.add_analysis_run(
            workspace.slug,
            label=label,
            period_start=start,
            period_end=end,
            summary=json_safe(analysis.summary),
            findings=json_safe(analysis.findings),
            by=user,
            filters=json_safe(_filter_record(since, until)),
            map_key=map_key,
            map_version=version,
        )
        pending.rename(run_folder(ctx.settings, workspace, run.id))
    finally:
        shutil.rmtree(pending, ignore_errors=True)
    return run


def period_filters(since: dt.date | None, until: dt.date | None, **more: Any) -> Filters:
    """Analysis filters for a period whose last day ``until`` is included."""
    start = _instant(since)
    end = _instant(until + dt.timedelta(days=1)) if until else None
    return Filters(since=start, until=end, **more)


def _instant(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _map(ctx: AppContext, map_key: MapKey | None) -> tuple[JourneyMap | None, int | None]:
    if map_key is None:
        return None, None
    loaded = ctx.store.get_map(map_key)
    return loaded.journey, loaded.version


def data_period(
    cases: Any, since: dt.date | None, until: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The run's period: what was asked, else the first and last day the data covers."""
    first = last = None
    if cases is not None and cases.num_rows:
        starts = [v for v in cases.column("started_at").to_pylist() if v is not None]
        ends = [v for v in cases.column("ended_at").to_pylist() if v is not None]
        first = min(starts).date() if starts else None
        last = max(ends).date() if ends else None
    today = dt.datetime.now(dt.UTC).date()
    start = since or first or until or today
    end = until or last or start
    return start, max(start, end)


def _filter_record(since: dt.date | None, until: dt.date | None) -> dict[str, str]:
    record = {
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
    }
    return {k: v for k, v in record.items() if v is not None}


def json_safe(value: Any) -> Any:
    """Plain JSON values for the store: NumPy numbers as numbers, NaN as null, dates and
    anything else as text."""
    return _finite(json.loads(json.dumps(value, default=_default)))


def _default(value: Any) -> Any:
    item = getattr(value, "item", None)
    if callable(item):
        return item()
    return str(value)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


def _plain(report: dict[str, Any], folder: Path) -> dict[str, Any]:
    """A report for the page and the API: paths shown relative to the workspace folder."""
    for key in ("rejected_file", "source"):
        value = report.get(key)
        if value:
            path = Path(value)
            report[key] = (
                str(path.relative_to(folder)) if path.is_relative_to(folder) else path.name
            )
    return report
