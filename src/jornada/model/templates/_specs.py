"""The shapes of template data: what each data module declares, before a language is chosen.

Specs hold ids and :class:`~jornada.model.templates._text.T` texts; the builder turns them
into model parts in one language, with the other two as labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from jornada.model.elements import (
    ChannelKind,
    InitiativeStatus,
    KpiDirection,
    MessageKind,
    Phase,
    Severity,
)
from jornada.model.templates._text import T


@dataclass(frozen=True, slots=True)
class UnitSpec:
    id: str
    name: T
    head: T
    description: T


@dataclass(frozen=True, slots=True)
class RoleSpec:
    id: str
    name: T
    description: T
    required: bool = False


@dataclass(frozen=True, slots=True)
class EmpathySpec:
    thinks: tuple[T, ...]
    feels: tuple[T, ...]
    says: tuple[T, ...]
    does: tuple[T, ...]
    pains: tuple[T, ...]
    gains: tuple[T, ...]


@dataclass(frozen=True, slots=True)
class PersonaSpec:
    id: str
    name: T
    description: T
    role: str
    department: T
    seniority: T
    motivations: tuple[T, ...]
    empathy: EmpathySpec


@dataclass(frozen=True, slots=True)
class Match:
    """A match rule; raw activity names stay in English, as the exporting systems write them."""

    activity: str | None = None
    activity_regex: str | None = None
    channel: str | None = None
    source_system: str | None = None


@dataclass(frozen=True, slots=True)
class TouchpointSpec:
    id: str
    name: T
    channel: str
    kind: ChannelKind
    owner: str
    match: tuple[Match, ...]
    personas: tuple[str, ...]
    shared: tuple[str, ...] = ()
    critical: bool = False


@dataclass(frozen=True, slots=True)
class KpiSpec:
    id: str
    name: T
    metric: str
    unit: T
    target: float
    owner: str
    direction: KpiDirection = KpiDirection.increase
    touchpoint: str | None = None


@dataclass(frozen=True, slots=True)
class StageSpec:
    id: str
    name: T
    phase: Phase
    description: T
    goals: tuple[T, ...]
    feeling: T
    valence: float
    thought: T
    kpis: tuple[KpiSpec, ...]


@dataclass(frozen=True, slots=True)
class PainSpec:
    id: str
    name: T
    description: T
    touchpoint: str
    persona: str
    severity: Severity = Severity.medium


@dataclass(frozen=True, slots=True)
class MomentSpec:
    id: str
    name: T
    description: T
    touchpoint: str


@dataclass(frozen=True, slots=True)
class InitiativeSpec:
    id: str
    name: T
    description: T
    owner_bu: str
    owner: T
    pain_points: tuple[str, ...]
    touchpoints: tuple[str, ...]
    target_kpi: str
    moments_of_truth: tuple[str, ...] = ()
    status: InitiativeStatus = InitiativeStatus.planned
    starts_in_days: int = 0
    due_in_days: int = 90


@dataclass(frozen=True, slots=True)
class ContentSpec:
    """A content asset; its stages are those of the touchpoints where it is used."""

    id: str
    name: T
    format: str
    used_at: tuple[str, ...]
    personas: tuple[str, ...]
    gated: bool = False
    self_service: bool = False


@dataclass(frozen=True, slots=True)
class MessageSpec:
    id: str
    name: T
    kind: MessageKind
    touchpoints: tuple[str, ...]
    owner: str
    promise: T


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """One starter map: its stages and which touchpoints of the catalogue sit in each."""

    name: str
    title: T
    description: T
    stages: tuple[StageSpec, ...]
    placement: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
