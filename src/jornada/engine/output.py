"""Writing an analysis to a directory: every table as CSV and Parquet, plus JSON summaries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jornada.engine.analysis import Analysis
from jornada.files import staged_dir, write_csv, write_json, write_parquet

FINDINGS_VERSION = 1


def findings_document(analysis: Analysis) -> dict[str, Any]:
    """``findings.json``: ranked findings, each with kind, subject, score, evidence, action."""
    return {
        "version": FINDINGS_VERSION,
        "case": analysis.options.case.value,
        "findings": sorted(analysis.findings, key=lambda f: -float(f.get("score", 0.0))),
    }


def write_analysis(analysis: Analysis, out_dir: Path) -> list[Path]:
    """Write every table (``<name>.csv`` and ``<name>.parquet``), ``summary.json`` and
    ``findings.json`` into ``out_dir``; files appear only once all are written."""
    out_dir = Path(out_dir)
    with staged_dir(out_dir) as tmp:
        for name, table in analysis.tables.items():
            write_csv(table, tmp / f"{name}.csv")
            write_parquet(table, tmp / f"{name}.parquet")
        write_json(analysis.summary, tmp / "summary.json")
        write_json(findings_document(analysis), tmp / "findings.json")
        names = sorted(p.name for p in tmp.iterdir())
    return [out_dir / name for name in names]
