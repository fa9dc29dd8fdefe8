"""The action plan: initiatives by status, initiatives made from findings, and what one
business unit owns, suffers and is doing about it.

Like every edit, these build a new map; the caller saves it with
:func:`jornada.web.editing.save` (permissions and optimistic locking included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jornada.model import (
    BusinessUnit,
    Initiative,
    InitiativeStatus,
    JourneyMap,
    Lang,
    PainPoint,
    Touchpoint,
    to_data,
)
from jornada.render.data import ReportData
from jornada.web.editing import rebuild
from jornada.web.errors import BadInput, Missing

MAX_TEXT = 2000


def board(journey: JourneyMap) -> dict[str, list[Initiative]]:
    """The map's initiatives in columns by status, in the order a plan moves."""
    columns: dict[str, list[Initiative]] = {status.value: [] for status in InitiativeStatus}
    for initiative in journey.initiatives:
        columns[initiative.status.value].append(initiative)
    return columns


def move(journey: JourneyMap, initiative_id: str, status: str, lang: str) -> JourneyMap:
    """The map with initiative ``initiative_id`` moved to ``status``."""
    try:
        wanted = InitiativeStatus(status)
    except ValueError:
        raise BadInput(
            "bad_choice",
            lang,
            field="status",
            value=status[:40],
            allowed=", ".join(s.value for s in InitiativeStatus),
        ) from None
    document = to_data(journey)
    for item in document.get("initiatives", []):
        if item["id"] == initiative_id:
            item["status"] = wanted.value
            return rebuild(document, lang)
    raise Missing("no_element", lang, collection="initiatives", key=initiative_id)


def find_finding(findings: list[dict[str, Any]], rank: int, lang: str) -> dict[str, Any]:
    """The finding ranked ``rank`` (1 = first) in a run's findings."""
    for position, finding in enumerate(findings, start=1):
        if int(finding.get("rank", position)) == rank:
            return finding
    raise Missing("no_finding", lang, rank=rank)


def from_finding(
    journey: JourneyMap,
    finding: dict[str, Any],
    lang: str,
    *,
    name: str | None = None,
    owner_bu: str | None = None,
    target_kpi: str | None = None,
) -> tuple[JourneyMap, str]:
    """The map with a new initiative that answers ``finding``, and the initiative's id.

    It is linked to the finding's touchpoint (when the map has it), the pain points and
    moments of truth there (or at the finding's stage), owned by the unit given or else the
    touchpoint's owner, aimed at the KPI given or else the touchpoint's or stage's KPI.
    """
    touchpoint = _touchpoint(journey, finding.get("touchpoint"))
    stage = str(finding.get("stage") or (touchpoint.stage if touchpoint else ""))
    pains = _pains(journey, touchpoint, stage)
    moments = [
        m.id for m in journey.moments_of_truth if (touchpoint and m.touchpoint == touchpoint.id)
    ]
    owner = owner_bu or (touchpoint.owner_bu if touchpoint else None)
    owner = owner or _known_unit(journey, finding.get("business_unit"))
    kpi = target_kpi or _kpi_for(journey, touchpoint, stage)
    subject = str(finding.get("subject") or finding.get("kind") or "finding")
    title = (name or "").strip() or subject
    initiative_id = _new_id(journey, f"ini-{subject}")
    data: dict[str, Any] = {
        "id": initiative_id,
        "name": title[:MAX_TEXT],
        "description": str(finding.get("action") or subject)[:MAX_TEXT],
        "status": InitiativeStatus.idea.value,
        "owner_bu": owner,
        "pain_points": [p.id for p in pains],
        "touchpoints": [touchpoint.id] if touchpoint else [],
        "moments_of_truth": moments,
        "target_kpi": kpi,
    }
    document = to_data(journey)
    document.setdefault("initiatives", []).append({k: v for k, v in data.items() if v})
    return rebuild(document, lang), initiative_id


def _touchpoint(journey: JourneyMap, touchpoint_id: Any) -> Touchpoint | None:
    return next((tp for tp in journey.touchpoints if tp.id == touchpoint_id), None)


def _pains(journey: JourneyMap, touchpoint: Touchpoint | None, stage: str) -> list[PainPoint]:
    if touchpoint is not None:
        at_touchpoint = [p for p in journey.pain_points if p.touchpoint == touchpoint.id]
        if at_touchpoint:
            return at_touchpoint
    return [p for p in journey.pain_points if p.stage == stage and p.touchpoint is None]


def _known_unit(journey: JourneyMap, unit: Any) -> str | None:
    return unit if any(b.id == unit for b in journey.business_units) else None


def _kpi_for(journey: JourneyMap, touchpoint: Touchpoint | None, stage: str) -> str | None:
    if touchpoint is not None:
        for kpi in journey.kpis:
            if kpi.touchpoint == touchpoint.id:
                return kpi.id
    return next((k.id for k in journey.kpis if k.stage == stage and k.touchpoint is None), None)


def _new_id(journey: JourneyMap, wanted: str) -> str:
    """An id like ``wanted`` (made a valid slug) that no element of the map uses yet."""
    base = re.sub(r"[^a-z0-9_.-]+", "-", wanted.lower()).strip("-._")[:70] or "initiative"
    candidate, n = base, 1
    while journey.element(candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# One business unit's view.


@dataclass
class UnitView:
    """What one business unit owns, where its customers struggle and what it is doing."""

    unit: BusinessUnit
    owned: list[Touchpoint]
    shared: list[Touchpoint]
    initiatives: list[Initiative]
    pain_points: list[PainPoint]
    numbers: dict[str, Any] = field(default_factory=dict)
    friction: list[dict[str, Any]] = field(default_factory=list)
    shared_observed: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)


def unit_view(journey: JourneyMap, unit_id: str, data: ReportData | None, lang: str) -> UnitView:
    """Business unit ``unit_id``'s touchpoints, shared touchpoints, initiatives and pain
    points from the map, and its numbers, friction and findings from ``data`` (a run)."""
    unit = next((b for b in journey.business_units if b.id == unit_id), None)
    if unit is None:
        raise Missing("no_element", lang, collection="business_units", key=unit_id)
    owned = [tp for tp in journey.touchpoints if tp.owner_bu == unit_id]
    owned_ids = {tp.id for tp in owned}
    view = UnitView(
        unit=unit,
        owned=owned,
        shared=[tp for tp in journey.touchpoints if unit_id in tp.shared_bus],
        initiatives=[i for i in journey.initiatives if i.owner_bu == unit_id],
        pain_points=[p for p in journey.pain_points if p.touchpoint in owned_ids],
    )
    if data is None:
        return view
    view.numbers = next((r for r in data.rows("bu_view") if r.get("business_unit") == unit_id), {})
    friction = [r for r in data.rows("friction") if r.get("touchpoint") in owned_ids]
    view.friction = sorted(friction, key=lambda r: -float(r.get("score") or 0.0))[:15]
    view.shared_observed = [
        r
        for r in data.rows("bu_shared_touchpoints")
        if r.get("owner") == unit_id or unit_id in (r.get("shared_with") or [])
    ]
    view.findings = [
        f
        for f in data.findings
        if f.get("business_unit") == unit_id or f.get("touchpoint") in owned_ids
    ]
    return view


def label(element: Any, lang: str) -> str:
    """An element's name in ``lang``."""
    return str(element.label(Lang(lang)))


def map_label(journey: JourneyMap, lang: str) -> str:
    """The map's name in ``lang``."""
    return journey.labels.get(Lang(lang), journey.name)
