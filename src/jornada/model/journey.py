"""The journey map: the whole designed journey of a company, checked for consistency."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field, model_validator

from jornada.errors import MapError, format_loc
from jornada.model.elements import (
    BusinessUnit,
    ContentAsset,
    Element,
    Emotion,
    Id,
    Initiative,
    Kpi,
    Lang,
    Message,
    MomentOfTruth,
    PainPoint,
    Persona,
    Phase,
    Review,
    Role,
    Scope,
    Stage,
    Strict,
    Text,
    Touchpoint,
)

SCHEMA_VERSION = 1

# Collections whose items carry an id, in the order they appear in a map file.
COLLECTIONS: tuple[str, ...] = (
    "stages",
    "business_units",
    "roles",
    "personas",
    "touchpoints",
    "pain_points",
    "moments_of_truth",
    "content",
    "messages",
    "kpis",
    "initiatives",
)

# (collection, field) -> collection the field refers to. A field may hold one id or a list.
REFERENCES: dict[tuple[str, str], str] = {
    ("personas", "role"): "roles",
    ("touchpoints", "stage"): "stages",
    ("touchpoints", "owner_bu"): "business_units",
    ("touchpoints", "shared_bus"): "business_units",
    ("touchpoints", "personas"): "personas",
    ("emotions", "stage"): "stages",
    ("emotions", "touchpoint"): "touchpoints",
    ("emotions", "persona"): "personas",
    ("pain_points", "stage"): "stages",
    ("pain_points", "touchpoint"): "touchpoints",
    ("pain_points", "persona"): "personas",
    ("moments_of_truth", "stage"): "stages",
    ("moments_of_truth", "touchpoint"): "touchpoints",
    ("content", "stages"): "stages",
    ("content", "personas"): "personas",
    ("messages", "touchpoints"): "touchpoints",
    ("messages", "owner_bu"): "business_units",
    ("kpis", "stage"): "stages",
    ("kpis", "touchpoint"): "touchpoints",
    ("kpis", "owner_bu"): "business_units",
    ("initiatives", "owner_bu"): "business_units",
    ("initiatives", "pain_points"): "pain_points",
    ("initiatives", "touchpoints"): "touchpoints",
    ("initiatives", "moments_of_truth"): "moments_of_truth",
    ("initiatives", "target_kpi"): "kpis",
}

_SINGULAR = {
    "stages": "stage",
    "business_units": "business unit",
    "roles": "role",
    "personas": "persona",
    "touchpoints": "touchpoint",
    "pain_points": "pain point",
    "moments_of_truth": "moment of truth",
    "kpis": "KPI",
}


class JourneyMap(Strict):
    """A company's designed B2B customer journey.

    Stages are in journey order. Ids are unique across the whole map, and every reference
    must name an existing part; a map that breaks either rule cannot be built.
    """

    schema_version: Literal[1] = 1
    id: Id
    name: Text
    language: Lang = Lang.en
    labels: dict[Lang, Text] = Field(default_factory=dict)
    description: Text | None = None
    company: Text | None = None
    brand_promise: Text | None = None
    objectives: list[Text] = Field(default_factory=list)
    scope: Scope = Field(default_factory=Scope)
    review: Review = Field(default_factory=Review)
    stages: list[Stage] = Field(default_factory=list)
    business_units: list[BusinessUnit] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    personas: list[Persona] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    emotions: list[Emotion] = Field(default_factory=list)
    pain_points: list[PainPoint] = Field(default_factory=list)
    moments_of_truth: list[MomentOfTruth] = Field(default_factory=list)
    content: list[ContentAsset] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    initiatives: list[Initiative] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_integrity(self) -> JourneyMap:
        for problem in self.integrity_problems():
            raise problem
        return self

    def integrity_problems(self) -> Iterator[MapError]:
        """Duplicate ids and references to parts that do not exist, in file order."""
        seen: dict[str, tuple[str | int, ...]] = {}
        for collection, index, element in self._elements():
            where: tuple[str | int, ...] = (collection, index, "id")
            if element.id in seen:
                first = format_loc(seen[element.id])
                yield MapError(f"duplicate id '{element.id}' (first used at {first})", where)
            else:
                seen[element.id] = where
        ids = {name: {e.id for e in self._collection(name)} for name in COLLECTIONS}
        for (collection, field), target in REFERENCES.items():
            for index, item in enumerate(getattr(self, collection)):
                value = getattr(item, field)
                refs = value if isinstance(value, list) else [value]
                for pos, ref in enumerate(refs):
                    if ref is None or ref in ids[target]:
                        continue
                    loc: tuple[str | int, ...] = (collection, index, field)
                    if isinstance(value, list):
                        loc += (pos,)
                    known = ", ".join(sorted(ids[target])[:12]) or "none defined"
                    kind = _SINGULAR.get(target, target)
                    yield MapError(f"unknown {kind} '{ref}' (known: {known})", loc)

    def _collection(self, name: str) -> list[Element]:
        items: list[Element] = getattr(self, name)
        return items

    def _elements(self) -> Iterator[tuple[str, int, Element]]:
        for name in COLLECTIONS:
            for index, element in enumerate(self._collection(name)):
                yield name, index, element

    # Lookups used by lint, render and the engine.

    def element(self, element_id: str) -> Element | None:
        """The part with this id, whatever its kind."""
        for _, _, element in self._elements():
            if element.id == element_id:
                return element
        return None

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def stage_order(self) -> dict[str, int]:
        """Stage id -> position in the journey (0-based)."""
        return {stage.id: index for index, stage in enumerate(self.stages)}

    def stages_in(self, phase: Phase) -> list[Stage]:
        return [stage for stage in self.stages if stage.phase == phase]

    def touchpoints_at(self, stage_id: str) -> list[Touchpoint]:
        return [tp for tp in self.touchpoints if tp.stage == stage_id]
