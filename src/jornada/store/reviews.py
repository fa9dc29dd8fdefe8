"""Analysis runs kept per period, and the periodic review that compares two of them.

A run keeps the analysis summary (its numbers are the KPIs compared) and the ranked
findings (matched across runs by kind and subject: new, gone, score changed, same).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jornada.store.base import StoreBase, lang_of
from jornada.store.errors import InvalidInput, NotFound
from jornada.store.models import AnalysisRunRow, MapRow, MapVersionRow, WorkspaceRow
from jornada.store.records import AnalysisRun, MapKey, User

SCORE_TOLERANCE = 1e-9
MAX_LABEL = 200


class FindingStatus(StrEnum):
    """How a finding moved between two runs (also the order the review lists them in)."""

    new = "new"
    changed = "changed"
    gone = "gone"
    same = "same"


@dataclass(frozen=True, slots=True)
class KpiChange:
    """One summary number in both periods; ``relative`` is the change over ``|a|``."""

    name: str
    a: float | None
    b: float | None
    delta: float | None
    relative: float | None


@dataclass(frozen=True, slots=True)
class FindingChange:
    """A finding (by kind and subject) in the earlier run ``a`` and the later run ``b``."""

    kind: str
    subject: str
    status: FindingStatus
    score_a: float | None
    score_b: float | None
    delta: float | None
    rank_a: int | None
    rank_b: int | None
    finding: dict[str, Any]
    """The finding as run ``b`` has it (as run ``a`` had it when gone)."""


@dataclass(frozen=True, slots=True)
class RunComparison:
    a: AnalysisRun
    b: AnalysisRun
    kpis: list[KpiChange]
    findings: list[FindingChange]


class ReviewMethods(StoreBase):
    """Keeping analysis runs and comparing two of them."""

    def add_analysis_run(
        self,
        workspace: str,
        *,
        label: str,
        period_start: dt.date,
        period_end: dt.date,
        summary: dict[str, Any],
        findings: list[dict[str, Any]],
        by: User,
        filters: dict[str, Any] | None = None,
        map_key: MapKey | None = None,
        map_version: int | None = None,
    ) -> AnalysisRun:
        """Keep an analysis of a period; ``map_key`` (at ``map_version``, else its current
        version) is the map it was analysed against."""
        lang = lang_of(by)
        label = self._check_length(label, MAX_LABEL, lang)
        if period_end < period_start:
            raise InvalidInput("run.bad_period", lang, start=period_start, end=period_end)
        with self._write() as session:
            workspace_row = self._workspace_row(session, workspace, lang)
            version_id = None
            if map_key is not None:
                version_id = self._version_id(session, map_key, map_version, lang)
            row = AnalysisRunRow(
                workspace_id=workspace_row.id,
                map_version_id=version_id,
                label=label or f"{period_start} - {period_end}",
                period_start=period_start,
                period_end=period_end,
                filters=filters or {},
                summary=summary,
                findings=findings,
                created_by=by.id,
                created_at=self._now(),
            )
            session.add(row)
            session.flush()
            detail = {"workspace": workspace, "label": row.label, "findings": len(findings)}
            self._audit(session, by, "create", "analysis_run", row.id, detail)
            return _record(session, row)

    def analysis_runs(self, workspace: str) -> list[AnalysisRun]:
        """The workspace's runs, latest period first."""
        with self._read() as session:
            workspace_row = self._workspace_row(session, workspace)
            rows = session.scalars(
                select(AnalysisRunRow)
                .where(AnalysisRunRow.workspace_id == workspace_row.id)
                .order_by(AnalysisRunRow.period_end.desc(), AnalysisRunRow.id.desc())
            )
            return [_record(session, row) for row in rows]

    def get_analysis_run(self, run_id: int) -> AnalysisRun:
        with self._read() as session:
            return _record(session, _run_row(session, run_id))

    def compare_runs(self, run_a: int, run_b: int) -> RunComparison:
        """How run ``b`` differs from run ``a``: each summary number, each finding."""
        a = self.get_analysis_run(run_a)
        b = self.get_analysis_run(run_b)
        return RunComparison(a, b, compare_kpis(a.summary, b.summary), compare_findings(a, b))

    @classmethod
    def _version_id(cls, session: Session, key: MapKey, version: int | None, lang: str) -> int:
        map_row = cls._map_row(session, key, lang)
        number = map_row.version if version is None else version
        version_id = session.scalar(
            select(MapVersionRow.id).where(
                MapVersionRow.map_id == map_row.id, MapVersionRow.version == number
            )
        )
        if version_id is None:
            raise NotFound("map.no_version", lang, map=str(key), version=number)
        return version_id


def compare_kpis(a: dict[str, Any], b: dict[str, Any]) -> list[KpiChange]:
    """Every number of either summary (booleans and texts left out), in ``a``'s order."""
    names = [k for k in a if _number(a[k]) is not None]
    names += [k for k in b if k not in a and _number(b[k]) is not None]
    out = []
    for name in names:
        x, y = _number(a.get(name)), _number(b.get(name))
        delta = y - x if x is not None and y is not None else None
        relative = delta / abs(x) if delta is not None and x else None
        out.append(KpiChange(name, x, y, delta, relative))
    return out


def compare_findings(a: AnalysisRun, b: AnalysisRun) -> list[FindingChange]:
    """Findings matched by kind and subject: new, then changed (largest move first), gone,
    then unchanged."""
    before, after = _by_subject(a.findings), _by_subject(b.findings)
    changes = [_finding_change(key, before.get(key), after.get(key)) for key in after]
    changes += [_finding_change(key, before[key], None) for key in before if key not in after]
    order = {s: i for i, s in enumerate(FindingStatus)}
    return sorted(
        changes,
        key=lambda c: (order[c.status], -abs(c.delta or 0.0), -(c.score_b or c.score_a or 0.0)),
    )


def _finding_change(
    key: tuple[str, str],
    old: tuple[int, dict[str, Any]] | None,
    new: tuple[int, dict[str, Any]] | None,
) -> FindingChange:
    score_a = _number(old[1].get("score")) if old else None
    score_b = _number(new[1].get("score")) if new else None
    if old is None:
        status = FindingStatus.new
    elif new is None:
        status = FindingStatus.gone
    elif abs((score_b or 0.0) - (score_a or 0.0)) > SCORE_TOLERANCE:
        status = FindingStatus.changed
    else:
        status = FindingStatus.same
    delta = score_b - score_a if score_a is not None and score_b is not None else None
    finding = (new or old or (0, {}))[1]
    return FindingChange(
        kind=key[0],
        subject=key[1],
        status=status,
        score_a=score_a,
        score_b=score_b,
        delta=delta,
        rank_a=old[0] if old else None,
        rank_b=new[0] if new else None,
        finding=finding,
    )


def _by_subject(
    findings: list[dict[str, Any]],
) -> dict[tuple[str, str], tuple[int, dict[str, Any]]]:
    """Findings by (kind, subject) with their rank (1 = first); the first of a pair wins."""
    out: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for rank, finding in enumerate(findings, start=1):
        key = (str(finding.get("kind", "")), str(finding.get("subject", "")))
        out.setdefault(key, (int(finding.get("rank", rank)), finding))
    return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _run_row(session: Session, run_id: int) -> AnalysisRunRow:
    row = session.get(AnalysisRunRow, run_id)
    if row is None:
        raise NotFound("run.not_found", "en", run=run_id)
    return row


def _record(session: Session, row: AnalysisRunRow) -> AnalysisRun:
    workspace = session.get_one(WorkspaceRow, row.workspace_id).slug
    map_key, map_version = None, None
    if row.map_version_id is not None:
        slug, map_version = session.execute(
            select(MapRow.slug, MapVersionRow.version)
            .join(MapRow, MapRow.id == MapVersionRow.map_id)
            .where(MapVersionRow.id == row.map_version_id)
        ).one()
        map_key = MapKey(workspace, slug)
    return AnalysisRun(
        id=row.id,
        workspace=workspace,
        map_key=map_key,
        map_version=map_version,
        label=row.label,
        period_start=row.period_start,
        period_end=row.period_end,
        filters=row.filters,
        summary=row.summary,
        findings=row.findings,
        created_at=row.created_at,
    )
