"""Every journey metric as SQL over the workspace's canonical tables."""

from __future__ import annotations

from jornada.engine.analysis import Analysis, discover
from jornada.engine.options import AnalysisOptions, CaseKey, Filters, Outcome
from jornada.engine.prepare import prepare

__all__ = ["Analysis", "AnalysisOptions", "CaseKey", "Filters", "Outcome", "discover", "prepare"]
