"""A small analysed demo world as report data, for the drawing and report tests."""

from __future__ import annotations

from pathlib import Path

from jornada.demo import generate_world
from jornada.demo.demomap import build_demo_map
from jornada.engine import AnalysisOptions
from jornada.ingest.batch import import_paths
from jornada.insights.run import analyse
from jornada.model import JourneyMap
from jornada.render.data import ReportData, from_analysis
from jornada.workspace import Workspace


def demo_report(
    folder: Path, *, events: int = 20_000, seed: int = 7, lang: str = "en",
    journey: JourneyMap | None = None,
) -> ReportData:  # fmt: skip
    """Generate a demo world in ``folder``, import it with the demo map, analyse it, and
    return the report data (with ``journey`` in place of the demo map when given)."""
    generate_world(folder / "data", events=events, seed=seed)
    demo_map = build_demo_map(lang)
    with Workspace.open(folder / "workspace.duckdb") as ws:
        imports = import_paths(ws, [folder / "data"], journey=demo_map)
        analysis = analyse(ws.con, AnalysisOptions(lang=lang), demo_map)
    return from_analysis(
        analysis, journey or demo_map, lang, imports=[r.to_dict() for r in imports]
    )
