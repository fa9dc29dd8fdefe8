"""What helps and what stops buyers: analyses on top of discovery, ranked into findings.

Each analysis module exposes ``analyse(ctx: Context) -> Result``: SQL over the workspace
tables and the ``steps``/``cases`` tables that :func:`jornada.engine.prepare.prepare`
builds, NumPy only for small post-aggregation math. :func:`run_insights` runs them all.
"""

from __future__ import annotations

from jornada.insights.context import Context, Result, finding, register_map

__all__ = ["Context", "Result", "finding", "register_map"]
