"""Turns a template spec into a journey map in one language, labelled in the other two."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

from jornada.model.elements import (
    BusinessUnit,
    ContentAsset,
    Emotion,
    EmpathyMap,
    Initiative,
    InitiativeStatus,
    Kpi,
    Lang,
    MatchRule,
    Message,
    MomentOfTruth,
    PainPoint,
    Persona,
    Review,
    Role,
    Scope,
    Stage,
    Touchpoint,
)
from jornada.model.journey import JourneyMap
from jornada.model.templates import content, organisation, pain_points, plan
from jornada.model.templates._specs import KpiSpec, PersonaSpec, TemplateSpec, TouchpointSpec
from jornada.model.templates._text import T
from jornada.model.templates.personas_business import BUSINESS_PERSONAS
from jornada.model.templates.personas_plant import PLANT_PERSONAS
from jornada.model.templates.touchpoints_post import POST_PURCHASE
from jornada.model.templates.touchpoints_pre import PRE_PURCHASE

CATALOGUE: dict[str, TouchpointSpec] = {tp.id: tp for tp in PRE_PURCHASE + POST_PURCHASE}
PERSONAS: tuple[PersonaSpec, ...] = BUSINESS_PERSONAS + PLANT_PERSONAS


def build_map(spec: TemplateSpec, lang: Lang, company: str | None, today: dt.date) -> JourneyMap:
    """The starter map of ``spec``: every text in ``lang``, every name labelled in the others."""

    def texts(items: Iterable[T]) -> list[str]:
        return [item.pick(lang) for item in items]

    stage_of = {tp: stage.id for stage in spec.stages for tp in spec.placement.get(stage.id, ())}
    order = {stage.id: index for index, stage in enumerate(spec.stages)}

    def present(ids: Iterable[str]) -> list[str]:
        return [i for i in ids if i in stage_of]

    def stages_of(touchpoints: Iterable[str]) -> list[str]:
        return sorted({stage_of[tp] for tp in present(touchpoints)}, key=order.__getitem__)

    pains = [p for p in pain_points.PAIN_POINTS if p.touchpoint in stage_of]
    moments = [m for m in pain_points.MOMENTS_OF_TRUTH if m.touchpoint in stage_of]
    kpi_specs: list[tuple[KpiSpec, str | None]] = [
        (k, stage.id) for stage in spec.stages for k in stage.kpis
    ]
    kpi_specs += [(k, None) for k in plan.TOUCHPOINT_KPIS if k.touchpoint in stage_of]
    kept = {p.id for p in pains} | {m.id for m in moments} | {k.id for k, _ in kpi_specs}
    suffix = f" — {company}" if company else ""
    return JourneyMap(
        id=f"{_slug(company) or 'b2b'}-journey-{spec.name}",
        name=spec.title.pick(lang) + suffix,
        language=lang,
        labels={other: text + suffix for other, text in spec.title.labels(lang).items()},
        description=spec.description.pick(lang),
        company=company,
        brand_promise=organisation.BRAND_PROMISE.pick(lang),
        objectives=texts(organisation.OBJECTIVES),
        scope=Scope(
            segments=texts(organisation.SEGMENTS),
            regions=texts(organisation.REGIONS),
            products=texts(organisation.PRODUCTS),
            notes=organisation.SCOPE_NOTES.pick(lang),
        ),
        review=Review(created=today, last_reviewed=today),
        stages=[
            Stage(
                id=s.id,
                name=s.name.pick(lang),
                labels=s.name.labels(lang),
                description=s.description.pick(lang),
                phase=s.phase,
                customer_goals=texts(s.goals),
            )
            for s in spec.stages
        ],
        business_units=[
            BusinessUnit(
                id=u.id,
                name=u.name.pick(lang),
                labels=u.name.labels(lang),
                description=u.description.pick(lang),
                head=u.head.pick(lang),
            )
            for u in organisation.UNITS
        ],
        roles=[
            Role(
                id=r.id,
                name=r.name.pick(lang),
                labels=r.name.labels(lang),
                description=r.description.pick(lang),
                required=r.required,
            )
            for r in organisation.ROLES
        ],
        personas=[_persona(p, lang) for p in PERSONAS],
        touchpoints=[
            _touchpoint(CATALOGUE[tp], stage.id, lang)
            for stage in spec.stages
            for tp in spec.placement.get(stage.id, ())
        ],
        emotions=[
            Emotion(
                stage=s.id,
                target=s.valence,
                target_feeling=s.feeling.pick(lang),
                thoughts=[s.thought.pick(lang)],
            )
            for s in spec.stages
        ],
        pain_points=[
            PainPoint(
                id=p.id,
                name=p.name.pick(lang),
                labels=p.name.labels(lang),
                description=p.description.pick(lang),
                stage=stage_of[p.touchpoint],
                touchpoint=p.touchpoint,
                persona=p.persona,
                severity=p.severity,
            )
            for p in pains
        ],
        moments_of_truth=[
            MomentOfTruth(
                id=m.id,
                name=m.name.pick(lang),
                labels=m.name.labels(lang),
                description=m.description.pick(lang),
                stage=stage_of[m.touchpoint],
                touchpoint=m.touchpoint,
            )
            for m in moments
        ],
        content=[
            ContentAsset(
                id=c.id,
                name=c.name.pick(lang),
                labels=c.name.labels(lang),
                format=c.format,
                stages=stages_of(c.used_at),
                personas=list(c.personas),
                gated=c.gated,
                self_service=c.self_service,
                language=lang,
            )
            for c in content.CONTENT
            if present(c.used_at)
        ],
        messages=[
            Message(
                id=m.id,
                name=m.name.pick(lang),
                labels=m.name.labels(lang),
                kind=m.kind,
                touchpoints=present(m.touchpoints),
                owner_bu=m.owner,
                promise=m.promise.pick(lang),
            )
            for m in content.MESSAGES
            if present(m.touchpoints)
        ],
        kpis=[_kpi(k, stage, lang) for k, stage in kpi_specs],
        initiatives=[
            Initiative(
                id=i.id,
                name=i.name.pick(lang),
                labels=i.name.labels(lang),
                description=i.description.pick(lang),
                owner_bu=i.owner_bu,
                owner=i.owner.pick(lang),
                status=i.status,
                pain_points=[p for p in i.pain_points if p in kept],
                touchpoints=present(i.touchpoints),
                moments_of_truth=[m for m in i.moments_of_truth if m in kept],
                target_kpi=i.target_kpi if i.target_kpi in kept else None,
                start=_after(today, i.starts_in_days, i.status),
                due=_after(today, i.due_in_days, i.status),
            )
            for i in plan.INITIATIVES
            if any(p in kept for p in i.pain_points)
        ],
    )


def _persona(p: PersonaSpec, lang: Lang) -> Persona:
    def texts(items: Iterable[T]) -> list[str]:
        return [item.pick(lang) for item in items]

    e = p.empathy
    return Persona(
        id=p.id,
        name=p.name.pick(lang),
        labels=p.name.labels(lang),
        description=p.description.pick(lang),
        role=p.role,
        department=p.department.pick(lang),
        seniority=p.seniority.pick(lang),
        motivations=texts(p.motivations),
        empathy=EmpathyMap(
            thinks=texts(e.thinks),
            feels=texts(e.feels),
            says=texts(e.says),
            does=texts(e.does),
            pains=texts(e.pains),
            gains=texts(e.gains),
        ),
    )


def _touchpoint(tp: TouchpointSpec, stage: str, lang: Lang) -> Touchpoint:
    return Touchpoint(
        id=tp.id,
        name=tp.name.pick(lang),
        labels=tp.name.labels(lang),
        stage=stage,
        channel=tp.channel,
        channel_kind=tp.kind,
        owner_bu=tp.owner,
        shared_bus=list(tp.shared),
        critical=tp.critical,
        personas=list(tp.personas),
        match=[
            MatchRule(
                activity=m.activity,
                activity_regex=m.activity_regex,
                channel=m.channel,
                source_system=m.source_system,
            )
            for m in tp.match
        ],
    )


def _kpi(k: KpiSpec, stage: str | None, lang: Lang) -> Kpi:
    return Kpi(
        id=k.id,
        name=k.name.pick(lang),
        labels=k.name.labels(lang),
        metric=k.metric,
        stage=stage,
        touchpoint=k.touchpoint,
        owner_bu=k.owner,
        unit=k.unit.pick(lang),
        target=k.target,
        direction=k.direction,
    )


def _after(today: dt.date, days: int, status: InitiativeStatus) -> dt.date | None:
    """Planned work gets dates from the day the map is made; ideas get none yet."""
    return None if status is InitiativeStatus.idea else today + dt.timedelta(days=days)


def _slug(text: str | None) -> str:
    """``"Acme Ingeniería S.A."`` -> ``"acme-ingenieria-s-a"``, at most 50 characters."""
    if not text:
        return ""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:50].strip("-")
