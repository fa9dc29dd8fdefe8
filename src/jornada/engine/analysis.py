"""Run the discovery analyses on a workspace and collect their tables and headline numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from jornada.engine import discovery
from jornada.engine.findings import discovery_findings
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
    """A query's result; ENUM (dictionary) columns come back as plain text."""
    table = con.sql(sql).to_arrow_table()
    for index, column in enumerate(table.schema):
        if pa.types.is_dictionary(column.type):
            plain = pc.cast(table.column(index), column.type.value_type)
            table = table.set_column(index, column.name, plain)
    return table


# Single-row tables that feed the summary rather than being written out.
SUMMARY_ONLY = ("headline", "variant_count")


def discover(
    con: duckdb.DuckDBPyConnection, options: AnalysisOptions, *, prepared: bool = False
) -> Analysis:
    """Every discovery table for ``options``; ``prepared`` skips rebuilding steps/cases."""
    if not prepared:
        prepare(con, options)
    tables = {name: _table(con, sql) for name, sql in discovery.queries(options).items()}
    return assemble(options, tables)


def assemble(options: AnalysisOptions, tables: dict[str, pa.Table]) -> Analysis:
    """An :class:`Analysis` from the tables of :func:`discovery.queries`, on any engine."""
    analysis = Analysis(options)
    analysis.summary = summarise(options, tables)
    analysis.tables = {k: v for k, v in tables.items() if k not in SUMMARY_ONLY}
    analysis.findings = discovery_findings(analysis.tables, analysis.summary, options.lang)
    return analysis


def summarise(options: AnalysisOptions, tables: dict[str, pa.Table]) -> dict[str, Any]:
    """The headline numbers of ``summary.json``."""
    head = tables["headline"].to_pylist()[0]
    nonlinear = tables["nonlinearity"].to_pylist()[0]
    decided = head["won"] + head["lost"]
    if options.conversion is not None:
        win_rate = head["won"] / head["cases"] if head["cases"] else None
    else:
        win_rate = head["won"] / decided if decided else None
    return {
        "case": options.case.value,
        "events": head["events"],
        "cases": head["cases"],
        "touchpoints": head["touchpoints"],
        "variants": tables["variant_count"].to_pylist()[0]["variants"],
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
