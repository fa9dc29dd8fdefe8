"""Run the discovery analyses on a workspace and collect their tables and headline numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from jornada.engine import discovery
from jornada.engine.options import AnalysisOptions
from jornada.engine.prepare import prepare


@dataclass
class Analysis:
    """What an analysis found: named tables and the headline numbers."""

    options: AnalysisOptions
    tables: dict[str, pa.Table] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)


def _table(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    return con.sql(sql).to_arrow_table()


def _row(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, Any]:
    cursor = con.execute(sql)
    values = cursor.fetchone()
    names = [d[0] for d in cursor.description or ()]
    return dict(zip(names, values or (), strict=False))


def discover(
    con: duckdb.DuckDBPyConnection, options: AnalysisOptions, *, prepared: bool = False
) -> Analysis:
    """Every discovery table for ``options``; ``prepared`` skips rebuilding steps/cases."""
    if not prepared:
        prepare(con, options)
    f = options.filters
    analysis = Analysis(options)
    queries = {
        "transitions": discovery.transitions(f),
        "endpoints": discovery.endpoints(f),
        "nonlinearity": discovery.nonlinearity(f),
        "rework": discovery.rework(f),
        "variants": discovery.variants(f, "touchpoint", options.top_variants),
        "stage_variants": discovery.variants(f, "stage", options.top_variants),
        "stage_time": discovery.stage_time(f),
        "funnel": discovery.funnel(f),
        "cases": discovery.case_table(f),
    }
    for name, sql in queries.items():
        analysis.tables[name] = _table(con, sql)
    analysis.summary = summarise(con, options, analysis.tables)
    return analysis


def summarise(
    con: duckdb.DuckDBPyConnection, options: AnalysisOptions, tables: dict[str, pa.Table]
) -> dict[str, Any]:
    """The headline numbers of ``summary.json``."""
    head = _row(con, discovery.headline(options.filters))
    nonlinear = tables["nonlinearity"].to_pylist()[0]
    decided = head["won"] + head["lost"]
    if options.conversion is not None:
        win_rate = head["won"] / head["cases"] if head["cases"] else None
    else:
        win_rate = head["won"] / decided if decided else None
    variants = _row(
        con,
        "SELECT count(DISTINCT path) AS n FROM (SELECT list(node ORDER BY pos) AS path "
        f"FROM steps WHERE {discovery.scope(options.filters)} GROUP BY case_id)",
    )["n"]
    return {
        "case": options.case.value,
        "events": head["events"],
        "cases": head["cases"],
        "touchpoints": head["touchpoints"],
        "variants": variants,
        "stage_changes": nonlinear["stage_changes"],
        "backward_changes": nonlinear["backward_changes"],
        "backtracking_rate": nonlinear["backtracking_rate"],
        "cases_backtracking_share": nonlinear["cases_backtracking_share"],
        "restarts": nonlinear["restarts"],
        "cases_with_rework": nonlinear["cases_with_rework"],
        "median_journey_days": head["median_journey_days"],
        "p90_journey_days": head["p90_journey_days"],
        "median_days_to_win": head["median_days_to_win"],
        "p90_days_to_win": head["p90_days_to_win"],
        "won": head["won"],
        "lost": head["lost"],
        "open": head["open"],
        "win_rate": win_rate,
        "win_definition": (
            f"activity '{options.conversion}'" if options.conversion else "opportunity outcome"
        ),
        "online_share": head["online_share"],
    }
