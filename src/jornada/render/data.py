"""What the drawings and the report are made from: one analysis, its map and its imports.

A :class:`ReportData` comes either from an analysis just run (:func:`from_analysis`) or
from an analysis folder written by ``jornada analyze`` (:func:`load`). Drawings read it and
never touch the workspace, so the same drawing works on a fresh analysis and on files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from jornada.model import JourneyMap
from jornada.model.elements import Lang

EMPTY = pa.table({})


@dataclass
class ReportData:
    """Tables of one analysis (discovery and insights) with its summary and findings."""

    tables: dict[str, pa.Table]
    summary: dict[str, Any]
    findings: list[dict[str, Any]]
    journey: JourneyMap | None = None
    lang: str = "en"
    imports: list[dict[str, Any]] = field(default_factory=list)
    lint: list[dict[str, Any]] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)

    def table(self, name: str) -> pa.Table:
        """The table ``name``, or an empty table when the analysis did not produce it."""
        return self.tables.get(name, EMPTY)

    def rows(self, name: str) -> list[dict[str, Any]]:
        """The rows of table ``name`` as dicts (small, aggregated tables only)."""
        rows: list[dict[str, Any]] = self.table(name).to_pylist()
        return rows

    def name(self, element_id: str | None) -> str:
        """The map's label for ``element_id`` in this report's language, else the id."""
        if element_id is None:
            return "–"
        if self.journey is not None:
            element = self.journey.element(element_id)
            if element is not None and hasattr(element, "label"):
                return str(element.label(Lang(self.lang)))
        return str(element_id)


def from_analysis(
    analysis: Any,
    journey: JourneyMap | None,
    lang: str,
    *,
    imports: list[dict[str, Any]] | None = None,
    lint: list[dict[str, Any]] | None = None,
    filters: dict[str, str] | None = None,
) -> ReportData:
    """Report data from an :class:`jornada.engine.analysis.Analysis` just computed."""
    return ReportData(
        tables=dict(analysis.tables),
        summary=dict(analysis.summary),
        findings=list(analysis.findings),
        journey=journey,
        lang=lang,
        imports=list(imports or []),
        lint=list(lint or []),
        filters=dict(filters or {}),
    )


def load(folder: Path, journey: JourneyMap | None = None, lang: str = "en") -> ReportData:
    """Report data from an analysis folder (``<table>.parquet``, ``summary.json``,
    ``findings.json`` and, when present, ``imports.json`` and ``lint.json``)."""
    folder = Path(folder)
    tables = {p.stem: pq.read_table(p) for p in sorted(folder.glob("*.parquet"))}

    def _json(name: str, default: Any) -> Any:
        path = folder / name
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else default

    findings = _json("findings.json", {}).get("findings", [])
    return ReportData(
        tables=tables,
        summary=_json("summary.json", {}),
        findings=findings,
        journey=journey,
        lang=lang,
        imports=_json("imports.json", []),
        lint=_json("lint.json", []),
    )
