"""The parts of a journey map, as typed data.

Every part that other parts can point at has an ``id`` (a lowercase slug, unique in the
whole map), a ``name`` in the map's language and optional ``labels`` in the other
languages. References between parts are by id and are checked by
:class:`jornada.model.journey.JourneyMap`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.\-]*$", min_length=1, max_length=80),
]
"""A stable identifier: lowercase letters, digits, ``_ . -``; starts with a letter or digit."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class Lang(StrEnum):
    """Languages every user-facing text exists in."""

    es = "es"
    pt = "pt"
    en = "en"


class Phase(StrEnum):
    """Whether a stage happens before or after the purchase."""

    pre_purchase = "pre_purchase"
    post_purchase = "post_purchase"


class ChannelKind(StrEnum):
    """How a touchpoint reaches the customer."""

    online = "online"
    personal = "personal"
    physical = "physical"


class Severity(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class InitiativeStatus(StrEnum):
    idea = "idea"
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class KpiDirection(StrEnum):
    """Whether the KPI should go up or down."""

    increase = "increase"
    decrease = "decrease"


class MessageKind(StrEnum):
    """Communications of the message map: each one is a touchpoint in its own right."""

    invoice = "invoice"
    statement = "statement"
    proposal = "proposal"
    quote = "quote"
    contract = "contract"
    website = "website"
    app = "app"
    ad = "ad"
    newsletter = "newsletter"
    loyalty_programme = "loyalty_programme"
    email = "email"
    other = "other"


class Strict(BaseModel):
    """Base for every map part: unknown keys are errors, values are re-checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)


class Element(Strict):
    """A map part other parts can refer to."""

    id: Id
    name: Text
    labels: dict[Lang, Text] = Field(
        default_factory=dict, description="The name in other languages, by language code."
    )
    description: Text | None = None

    def label(self, lang: Lang | str) -> str:
        """The name in ``lang``, falling back to ``name``."""
        return self.labels.get(Lang(lang), self.name)


class Stage(Element):
    """A step of the journey. Stages are ordered by their position in the map."""

    phase: Phase
    customer_goals: list[Text] = Field(
        default_factory=list, description="What the customer wants to get done here (jobs)."
    )


class MatchRule(Strict):
    """Which raw activities from the data belong to a touchpoint.

    Every field given must match. ``activity`` is a case-insensitive glob (``*`` and ``?``),
    ``activity_regex`` a regular expression; ``channel`` and ``source_system`` compare
    case-insensitively.
    """

    activity: Text | None = None
    activity_regex: Text | None = None
    channel: Text | None = None
    source_system: Text | None = None


class BusinessUnit(Element):
    """A business unit that owns part of the experience."""

    head: Text | None = Field(default=None, description="Who answers for this unit.")


class Role(Element):
    """A buying-group role (economic buyer, technical evaluator, procurement...)."""

    required: bool = Field(
        default=False, description="A deal should engage this role to be well covered."
    )


class EmpathyMap(Strict):
    """What a persona thinks, feels, says and does; their pains and gains."""

    thinks: list[Text] = Field(default_factory=list)
    feels: list[Text] = Field(default_factory=list)
    says: list[Text] = Field(default_factory=list)
    does: list[Text] = Field(default_factory=list)
    pains: list[Text] = Field(default_factory=list)
    gains: list[Text] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return not any((self.thinks, self.feels, self.says, self.does, self.pains, self.gains))


class Persona(Element):
    """A buyer persona: a kind of person in the buying group."""

    role: Id | None = Field(default=None, description="The buying-group role this persona plays.")
    department: Text | None = None
    seniority: Text | None = None
    motivations: list[Text] = Field(default_factory=list)
    empathy: EmpathyMap = Field(default_factory=EmpathyMap)


class Touchpoint(Element):
    """A point where the customer meets the company."""

    stage: Id
    channel: Text
    channel_kind: ChannelKind
    owner_bu: Id | None = Field(default=None, description="The business unit responsible.")
    shared_bus: list[Id] = Field(
        default_factory=list, description="Other business units that share this touchpoint."
    )
    critical: bool = False
    personas: list[Id] = Field(default_factory=list, description="Personas it is meant for.")
    match: list[MatchRule] = Field(
        default_factory=list, description="Raw activities in the data that mean this touchpoint."
    )


class Emotion(Strict):
    """How customers feel at a stage (or touchpoint), observed and wanted.

    Valence is on a -2 (very negative) to +2 (very positive) scale.
    """

    stage: Id
    touchpoint: Id | None = None
    persona: Id | None = None
    observed: float | None = Field(default=None, ge=-2, le=2)
    observed_feeling: Text | None = None
    target: float | None = Field(default=None, ge=-2, le=2)
    target_feeling: Text | None = Field(
        default=None, description="The emotion the company wants to create, e.g. trust."
    )
    thoughts: list[Text] = Field(default_factory=list)


class PainPoint(Element):
    """A friction customers run into."""

    stage: Id
    touchpoint: Id | None = None
    persona: Id | None = None
    severity: Severity = Severity.medium


class MomentOfTruth(Element):
    """A moment that makes or breaks the relationship."""

    stage: Id
    touchpoint: Id | None = None


class ContentAsset(Element):
    """A piece of content and who it serves when."""

    format: Text
    stages: list[Id] = Field(min_length=1)
    personas: list[Id] = Field(default_factory=list)
    gated: bool = Field(default=False, description="Behind a form.")
    self_service: bool = False
    language: Lang | None = None
    url: Text | None = None


class Message(Element):
    """A communication of the message map and the touchpoints that carry it."""

    kind: MessageKind
    touchpoints: list[Id] = Field(default_factory=list)
    owner_bu: Id | None = None
    promise: Text | None = Field(default=None, description="The brand promise it must keep.")


class Kpi(Element):
    """A measure with a target, for a stage, a touchpoint or the whole journey."""

    metric: Text = Field(description="conversion_rate, satisfaction, nps, csat, ces, clv, ...")
    stage: Id | None = None
    touchpoint: Id | None = None
    owner_bu: Id | None = None
    unit: Text | None = None
    target: float
    direction: KpiDirection = KpiDirection.increase
    actual: float | None = None


class Initiative(Element):
    """An action plan item: who does what about which pain point, towards which KPI."""

    owner_bu: Id | None = None
    owner: Text | None = None
    status: InitiativeStatus = InitiativeStatus.idea
    pain_points: list[Id] = Field(default_factory=list)
    touchpoints: list[Id] = Field(default_factory=list)
    moments_of_truth: list[Id] = Field(default_factory=list)
    target_kpi: Id | None = None
    start: dt.date | None = None
    due: dt.date | None = None
    progress: int = Field(default=0, ge=0, le=100)


class Scope(Strict):
    """What the map covers."""

    segments: list[Text] = Field(default_factory=list)
    regions: list[Text] = Field(default_factory=list)
    products: list[Text] = Field(default_factory=list)
    notes: Text | None = None


class Review(Strict):
    """When the map was made and last checked against the customers."""

    created: dt.date | None = None
    last_reviewed: dt.date | None = None
    every_days: int = Field(default=90, ge=1, le=3650)
