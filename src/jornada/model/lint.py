"""The map linter: the mistakes that make journey maps useless, as coded diagnostics.

Every rule is a small function that looks at a :class:`~jornada.model.journey.JourneyMap`
and yields :class:`Finding` objects: where the problem is and the values its message names.
:func:`lint` runs the rules, turns findings into translated :class:`Diagnostic` objects and
sorts them, errors first, then in the order the map lists its parts.

Codes are grouped by area and never reused: ``JM1xx`` stages, ``JM2xx`` touchpoints,
``JM3xx`` empathy, ``JM4xx`` pain points and action plans, ``JM5xx`` content, ``JM6xx`` the
buying group, ``JM7xx`` reviews, ``JM8xx`` the message map, ``JM9xx`` objectives and scope.
Titles, messages and hints live in the ``lint`` catalogues (``lint.<slug>.title``,
``lint.<slug>.message`` or a variant of it, ``lint.<slug>.hint``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from jornada.errors import JornadaError
from jornada.i18n import t
from jornada.model.elements import (
    ChannelKind,
    Element,
    Initiative,
    InitiativeStatus,
    Lang,
    Phase,
)
from jornada.model.journey import JourneyMap

__all__ = [
    "RULES",
    "Diagnostic",
    "Finding",
    "LintContext",
    "LintError",
    "LintSeverity",
    "Rule",
    "exit_code",
    "find_rule",
    "lint",
    "worst",
]

Loc = tuple[str | int, ...]
Params = Mapping[str, str | int]


class LintSeverity(StrEnum):
    """How much a finding matters: an error is a structural hole, info a nice-to-have."""

    info = "info"
    warning = "warning"
    error = "error"


_RANK = {LintSeverity.error: 0, LintSeverity.warning: 1, LintSeverity.info: 2}
_EXIT = {LintSeverity.error: 2, LintSeverity.warning: 1, LintSeverity.info: 0}


class LintError(JornadaError):
    """The linter was asked for a rule it does not have."""


@dataclass(frozen=True)
class LintContext:
    """What a rule may know besides the map."""

    today: dt.date
    lang: str = "en"


@dataclass(frozen=True)
class Finding:
    """One problem a rule found: where it is and the values its message needs.

    ``variant`` picks the message template (``lint.<slug>.<variant>``) when a rule words
    different cases differently.
    """

    loc: Loc = ()
    params: Params = field(default_factory=dict)
    variant: str = "message"


Check = Callable[[JourneyMap, LintContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A lint rule: a stable code, a readable slug, a severity and the check itself."""

    code: str
    slug: str
    severity: LintSeverity
    check: Check

    def title(self, lang: str = "en") -> str:
        return t(f"lint.{self.slug}.title", lang)


class Diagnostic(BaseModel):
    """A finding ready to show: translated message and hint, located inside the map."""

    model_config = ConfigDict(frozen=True)

    code: str
    rule: str
    severity: LintSeverity
    loc: tuple[str | int, ...] = ()
    message: str
    hint: str


_REGISTRY: list[Rule] = []
_LANGS = frozenset(lang.value for lang in Lang)


def _rule(code: str, slug: str, severity: LintSeverity) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        _REGISTRY.append(Rule(code, slug, severity, check))
        return check

    return register


def _label(element: Element, lang: str) -> str:
    """The element's name in ``lang`` when it has one, else its name."""
    if lang in _LANGS:
        return element.label(lang)
    return element.name


def _named(element: Element, lang: str, prefix: str = "") -> dict[str, str]:
    return {f"{prefix}id": element.id, f"{prefix}name": _label(element, lang)}


ERROR, WARNING, INFO = LintSeverity.error, LintSeverity.warning, LintSeverity.info


# JM1xx: stages


@_rule("JM100", "no-stages", ERROR)
def _no_stages(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if not journey.stages:
        yield Finding(("stages",))


@_rule("JM101", "no-post-purchase-stage", ERROR)
def _no_post_purchase_stage(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if journey.stages and not journey.stages_in(Phase.post_purchase):
        yield Finding(("stages",))


@_rule("JM102", "no-pre-purchase-stage", ERROR)
def _no_pre_purchase_stage(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if journey.stages and not journey.stages_in(Phase.pre_purchase):
        yield Finding(("stages",))


@_rule("JM103", "stage-without-touchpoints", ERROR)
def _stage_without_touchpoints(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    used = {tp.stage for tp in journey.touchpoints}
    for index, stage in enumerate(journey.stages):
        if stage.id not in used:
            yield Finding(("stages", index), _named(stage, ctx.lang))


@_rule("JM104", "stage-without-kpi", WARNING)
def _stage_without_kpi(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    stage_of = {tp.id: tp.stage for tp in journey.touchpoints}
    measured = {k.stage for k in journey.kpis} | {
        stage_of[k.touchpoint] for k in journey.kpis if k.touchpoint is not None
    }
    for index, stage in enumerate(journey.stages):
        if stage.id not in measured:
            yield Finding(("stages", index), _named(stage, ctx.lang))


# JM2xx: touchpoints


@_rule("JM201", "touchpoint-without-owner", ERROR)
def _touchpoint_without_owner(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    for index, tp in enumerate(journey.touchpoints):
        if tp.owner_bu is None:
            yield Finding(("touchpoints", index, "owner_bu"), _named(tp, ctx.lang))


@_rule("JM202", "single-owner-unit", WARNING)
def _single_owner_unit(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    owners = {tp.owner_bu for tp in journey.touchpoints if tp.owner_bu is not None}
    if len(owners) == 1:
        (owner,) = owners
        unit = journey.element(owner)
        name = _label(unit, ctx.lang) if unit is not None else owner
        yield Finding(("touchpoints",), {"id": owner, "name": name})


def _channel_mix(journey: JourneyMap, kinds: set[ChannelKind]) -> Iterator[Finding]:
    touchpoints = journey.touchpoints
    if touchpoints and not any(tp.channel_kind in kinds for tp in touchpoints):
        yield Finding(("touchpoints",), {"count": len(touchpoints)})


@_rule("JM203", "no-offline-touchpoints", WARNING)
def _no_offline_touchpoints(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    return _channel_mix(journey, {ChannelKind.personal, ChannelKind.physical})


@_rule("JM204", "no-online-touchpoints", WARNING)
def _no_online_touchpoints(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    return _channel_mix(journey, {ChannelKind.online})


@_rule("JM205", "touchpoint-without-match-rules", INFO)
def _touchpoint_without_match_rules(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    for index, tp in enumerate(journey.touchpoints):
        if not tp.match:
            yield Finding(("touchpoints", index, "match"), _named(tp, ctx.lang))


@_rule("JM206", "no-moments-of-truth", WARNING)
def _no_moments_of_truth(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if not journey.moments_of_truth and not any(tp.critical for tp in journey.touchpoints):
        yield Finding(("moments_of_truth",))


# JM3xx: empathy


@_rule("JM301", "no-emotions", WARNING)
def _no_emotions(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if not journey.emotions:
        yield Finding(("emotions",))


@_rule("JM302", "stage-without-target-emotion", WARNING)
def _stage_without_target_emotion(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    wanted = {
        e.stage for e in journey.emotions if e.target is not None or e.target_feeling is not None
    }
    for index, stage in enumerate(journey.stages):
        if stage.id not in wanted:
            yield Finding(("stages", index), _named(stage, ctx.lang))


@_rule("JM303", "no-observed-emotions", INFO)
def _no_observed_emotions(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    emotions = journey.emotions
    if emotions and not any(
        e.observed is not None or e.observed_feeling is not None for e in emotions
    ):
        yield Finding(("emotions",), {"count": len(emotions)})


@_rule("JM304", "persona-without-empathy", WARNING)
def _persona_without_empathy(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    for index, persona in enumerate(journey.personas):
        if persona.empathy.is_empty():
            yield Finding(("personas", index, "empathy"), _named(persona, ctx.lang))


# JM4xx: pain points and action plans


def _active(journey: JourneyMap) -> Iterator[tuple[int, Initiative]]:
    """Initiatives someone still has to act on (dropped ones are not a plan)."""
    for index, initiative in enumerate(journey.initiatives):
        if initiative.status is not InitiativeStatus.dropped:
            yield index, initiative


@_rule("JM401", "no-pain-points", WARNING)
def _no_pain_points(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if not journey.pain_points:
        yield Finding(("pain_points",))


@_rule("JM402", "no-initiatives", WARNING)
def _no_initiatives(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if not any(True for _ in _active(journey)):
        yield Finding(("initiatives",))


@_rule("JM403", "pain-point-without-action", WARNING)
def _pain_point_without_action(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    planned = {p for _, initiative in _active(journey) for p in initiative.pain_points}
    for index, pain in enumerate(journey.pain_points):
        if pain.id not in planned:
            yield Finding(("pain_points", index), _named(pain, ctx.lang))


@_rule("JM404", "initiative-without-owner", WARNING)
def _initiative_without_owner(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    for index, initiative in _active(journey):
        if initiative.owner_bu is None:
            yield Finding(("initiatives", index, "owner_bu"), _named(initiative, ctx.lang))


@_rule("JM405", "initiative-without-kpi", WARNING)
def _initiative_without_kpi(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    for index, initiative in _active(journey):
        if initiative.target_kpi is None:
            yield Finding(("initiatives", index, "target_kpi"), _named(initiative, ctx.lang))


# JM5xx: content


@_rule("JM501", "no-content", WARNING)
def _no_content(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if not journey.content:
        yield Finding(("content",))


@_rule("JM502", "content-gap", WARNING)
def _content_gap(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if not journey.content:
        return
    everyone: list[str | None] = [None]
    served: set[tuple[str, str | None]] = set()
    for asset in journey.content:
        for stage_id in asset.stages:
            served.update((stage_id, p) for p in asset.personas or everyone)
    for index, stage in enumerate(journey.stages):
        if (stage.id, None) in served:
            continue
        if not journey.personas:
            yield Finding(("stages", index), _named(stage, ctx.lang), "message_stage")
        for persona in journey.personas:
            if (stage.id, persona.id) not in served:
                params = _named(stage, ctx.lang) | _named(persona, ctx.lang, "persona_")
                yield Finding(("stages", index), params)


@_rule("JM503", "top-of-funnel-only-content", WARNING)
def _top_of_funnel_only_content(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if not journey.content or not journey.stages:
        return
    top = [journey.stages[0]] + journey.stages_in(Phase.pre_purchase)[:2]
    top_ids = {stage.id for stage in top}
    if all(s.id in top_ids for s in journey.stages):
        return
    if all(set(asset.stages) <= top_ids for asset in journey.content):
        names = dict.fromkeys(_label(stage, ctx.lang) for stage in top)
        yield Finding(("content",), {"count": len(journey.content), "stages": ", ".join(names)})


# JM6xx: the buying group


@_rule("JM601", "single-persona", WARNING)
def _single_persona(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if not journey.personas:
        yield Finding(("personas",), variant="message_none")
    elif len(journey.personas) == 1:
        yield Finding(("personas", 0), _named(journey.personas[0], ctx.lang))


@_rule("JM602", "no-buying-group-roles", WARNING)
def _no_buying_group_roles(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if not journey.roles:
        yield Finding(("roles",))


@_rule("JM603", "no-required-role", INFO)
def _no_required_role(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if journey.roles and not any(role.required for role in journey.roles):
        yield Finding(("roles",), {"count": len(journey.roles)})


@_rule("JM604", "persona-without-role", WARNING)
def _persona_without_role(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    for index, persona in enumerate(journey.personas):
        if persona.role is None:
            yield Finding(("personas", index, "role"), _named(persona, ctx.lang))


# JM7xx: reviews


@_rule("JM701", "stale-map", WARNING)
def _stale_map(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    review = journey.review
    if review.last_reviewed is not None:
        day, variant, where = review.last_reviewed, "message", "last_reviewed"
    elif review.created is not None:
        day, variant, where = review.created, "message_created", "created"
    else:
        yield Finding(("review",), {"every": review.every_days}, "message_never")
        return
    days = (ctx.today - day).days
    if days > review.every_days:
        params: Params = {"date": day.isoformat(), "days": days, "every": review.every_days}
        yield Finding(("review", where), params, variant)


# JM8xx: the message map


@_rule("JM801", "no-messages", WARNING)
def _no_messages(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if not journey.messages:
        yield Finding(("messages",))


@_rule("JM802", "message-without-touchpoint", WARNING)
def _message_without_touchpoint(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    for index, message in enumerate(journey.messages):
        if not message.touchpoints:
            yield Finding(("messages", index, "touchpoints"), _named(message, ctx.lang))


@_rule("JM803", "no-brand-promise", WARNING)
def _no_brand_promise(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if journey.messages and journey.brand_promise is None:
        yield Finding(("brand_promise",))


@_rule("JM804", "message-without-promise", INFO)
def _message_without_promise(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    for index, message in enumerate(journey.messages):
        if message.promise is None:
            yield Finding(("messages", index, "promise"), _named(message, ctx.lang))


# JM9xx: objectives and scope


@_rule("JM901", "no-objectives", WARNING)
def _no_objectives(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    if not journey.objectives:
        yield Finding(("objectives",))


@_rule("JM902", "no-scope", INFO)
def _no_scope(journey: JourneyMap, ctx: LintContext) -> Iterator[Finding]:
    scope = journey.scope
    if not (scope.segments or scope.regions or scope.products or scope.notes):
        yield Finding(("scope",))


RULES: tuple[Rule, ...] = tuple(_REGISTRY)
"""Every rule, in code order. Codes and slugs are unique and never change meaning."""


def find_rule(name: str) -> Rule:
    """The rule with this code (``JM101``, any case) or slug (``no-post-purchase-stage``)."""
    wanted = name.strip()
    for rule in RULES:
        if wanted.upper() == rule.code or wanted.lower() == rule.slug:
            return rule
    raise LintError(
        f"unknown lint rule '{name}': use a code such as JM101 or a slug such as "
        "no-post-purchase-stage (docs/lint-rules.md lists them all)"
    )


def lint(
    journey: JourneyMap,
    *,
    today: dt.date | None = None,
    lang: str = "en",
    disabled: Collection[str] = (),
) -> list[Diagnostic]:
    """Check ``journey`` against every rule not in ``disabled`` (codes or slugs).

    Diagnostics come errors first, then warnings, then notes; within a severity in the order
    the map lists the parts they point at. ``today`` (default: the current date) is the day
    review dates are checked against; ``lang`` the language of messages and hints. Raises
    :class:`LintError` for a disabled name that is no rule.
    """
    names = [disabled] if isinstance(disabled, str) else disabled
    skipped = {find_rule(name).code for name in names}
    context = LintContext(today=today or dt.date.today(), lang=lang)
    found: list[tuple[tuple[int, tuple[int, ...], int], Diagnostic]] = []
    for position, rule in enumerate(RULES):
        if rule.code in skipped:
            continue
        for finding in rule.check(journey, context):
            diagnostic = _diagnostic(rule, finding, lang)
            key = (_RANK[rule.severity], _map_order(journey, finding.loc), position)
            found.append((key, diagnostic))
    found.sort(key=lambda item: item[0])
    return [diagnostic for _, diagnostic in found]


def _diagnostic(rule: Rule, finding: Finding, lang: str) -> Diagnostic:
    params = dict(finding.params)
    return Diagnostic(
        code=rule.code,
        rule=rule.slug,
        severity=rule.severity,
        loc=finding.loc,
        message=t(f"lint.{rule.slug}.{finding.variant}", lang, **params),
        hint=t(f"lint.{rule.slug}.hint", lang, **params),
    )


def _map_order(journey: JourneyMap, loc: Loc) -> tuple[int, ...]:
    """Where ``loc`` falls in the map: field positions and list indexes, outermost first."""
    order: list[int] = []
    node: Any = journey
    for part in loc:
        if isinstance(part, int):
            order.append(part)
            node = node[part] if isinstance(node, list) and part < len(node) else None
        elif isinstance(node, BaseModel):
            fields = list(type(node).model_fields)
            order.append(fields.index(part) if part in fields else len(fields))
            node = getattr(node, part, None)
        else:
            order.append(0)
            node = None
    return tuple(order)


def worst(diagnostics: Iterable[Diagnostic]) -> LintSeverity | None:
    """The most serious severity among ``diagnostics``; ``None`` when there are none."""
    return min((d.severity for d in diagnostics), key=_RANK.__getitem__, default=None)


def exit_code(diagnostics: Iterable[Diagnostic]) -> int:
    """0 when clean or only notes, 1 when the worst is a warning, 2 when it is an error."""
    severity = worst(diagnostics)
    return 0 if severity is None else _EXIT[severity]
