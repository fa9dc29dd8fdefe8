"""The JSON API's request and response bodies, so the OpenAPI document describes them.

Separate from the store's records (plain dataclasses) and from the map model: ``*In``
bodies are what a client sends, ``*Out`` what it gets back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from jornada.engine import Outcome
from jornada.model import InitiativeStatus, JourneyMap, Lang
from jornada.model.lint import Diagnostic
from jornada.store import (
    AnalysisRun,
    Change,
    Comment,
    MapInfo,
    MapVersion,
    RunComparison,
    UserRole,
)

Text = str

MAX_NUMBER = 2**31 - 1
"""The largest id or version number a request may name: the store keeps them in INTEGER
columns (32 bits in PostgreSQL), and a larger one would fail in the database, not as a 422."""


class Body(BaseModel):
    """Request bodies refuse unknown keys, so a typo is a clear 422, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Copied(BaseModel):
    """An answer whose fields are the store record's attributes of the same names."""

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, record: object) -> Self:
        return cls.model_validate(record)


class Done(BaseModel):
    ok: bool = True


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str


class ErrorOut(BaseModel):
    """Every error the API answers with."""

    error: ErrorDetail


# Accounts.


class SignIn(Body):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class UserOut(Copied):
    id: int
    email: str
    display_name: str
    role: UserRole
    business_unit: str | None
    language: Lang
    active: bool


class SessionOut(BaseModel):
    user: UserOut
    csrf_token: str = Field(description="Send it as the X-CSRF-Token header on every change.")
    expires_at: dt.datetime


class MeIn(Body):
    language: Lang | None = None
    display_name: str | None = Field(default=None, max_length=200)


class PasswordChange(Body):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class UserIn(Body):
    email: str = Field(max_length=320)
    display_name: str = Field(default="", max_length=200)
    password: str = Field(max_length=1024)
    role: UserRole
    business_unit: str | None = Field(default=None, max_length=80)
    language: Lang = Lang.en


class UserPatch(Body):
    display_name: str | None = Field(default=None, max_length=200)
    role: UserRole | None = None
    business_unit: str | None = Field(default=None, max_length=80)
    language: Lang | None = None
    active: bool | None = None


class PasswordSet(Body):
    password: str = Field(max_length=1024)


class AuditOut(Copied):
    id: int
    at: dt.datetime
    user_id: int | None
    action: str
    object_type: str
    object_id: str
    detail: dict[str, Any]


# Workspaces and maps.


class WorkspaceIn(Body):
    slug: str = Field(max_length=80, description="Its address: lowercase letters, digits, _ . -")
    name: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class WorkspacePatch(Body):
    name: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class WorkspaceOut(Copied):
    slug: str
    name: str
    description: str | None
    created_at: dt.datetime


class MapInfoOut(BaseModel):
    workspace: str
    map: str
    name: str
    version: int
    updated_at: dt.datetime

    @classmethod
    def of(cls, info: MapInfo) -> MapInfoOut:
        return cls(
            workspace=info.key.workspace,
            map=info.key.map,
            name=info.name,
            version=info.version,
            updated_at=info.updated_at,
        )


class MapStart(Body):
    template: Literal["gartner", "lifecycle", "five-stage", "blank"] = "lifecycle"
    language: Lang = Lang.en
    name: str | None = Field(default=None, max_length=2000)
    company: str | None = Field(default=None, max_length=200)
    id: str | None = Field(default=None, max_length=80)


class MapDocumentIn(Body):
    text: str = Field(description="The whole map as YAML or JSON text.")
    format: Literal["yaml", "json"] = "yaml"


class MapOut(BaseModel):
    workspace: str
    map: str
    version: int = Field(description="Send it back when saving (optimistic locking).")
    document: JourneyMap
    lint: list[Diagnostic]


class MapSave(Body):
    version: int = Field(ge=1, le=MAX_NUMBER, description="The version the editor loaded.")
    document: JourneyMap
    message: str = Field(default="", max_length=500)


class MapTextSave(Body):
    version: int = Field(ge=1, le=MAX_NUMBER)
    text: str
    format: Literal["yaml", "json"] = "yaml"
    message: str = Field(default="", max_length=500)


class VersionOut(BaseModel):
    workspace: str
    map: str
    version: int
    author: str | None
    created_at: dt.datetime
    message: str
    restored_from: int | None

    @classmethod
    def of(cls, version: MapVersion) -> VersionOut:
        return cls(
            workspace=version.key.workspace,
            map=version.key.map,
            version=version.version,
            author=version.author_name,
            created_at=version.created_at,
            message=version.message,
            restored_from=version.restored_from,
        )


class ElementIn(Body):
    version: int = Field(ge=1, le=MAX_NUMBER, description="The version the editor loaded.")
    element: dict[str, Any] = Field(
        description="The element as in the map file (see the map's JSON Schema)."
    )


class ElementOut(BaseModel):
    collection: str
    key: str
    version: int
    element: dict[str, Any]


class ElementSaved(BaseModel):
    collection: str
    key: str | None
    saved: VersionOut


class FieldChangeOut(BaseModel):
    path: str
    old: Any
    new: Any


class ChangeOut(BaseModel):
    collection: str
    element_id: str
    kind: str
    name: str | None
    fields: list[FieldChangeOut]

    @classmethod
    def of(cls, change: Change) -> ChangeOut:
        return cls(
            collection=change.collection,
            element_id=change.element_id,
            kind=change.kind.value,
            name=change.name,
            fields=[FieldChangeOut(path=f.path, old=f.old, new=f.new) for f in change.fields],
        )


class RestoreIn(Body):
    restore: int = Field(ge=1, le=MAX_NUMBER, description="The version to make current again.")
    version: int = Field(ge=1, le=MAX_NUMBER, description="The current version the page showed.")


class LintIn(Body):
    text: str | None = Field(default=None, description="A whole map as YAML or JSON text.")
    format: Literal["yaml", "json"] = "yaml"
    document: JourneyMap | None = None


class CommentIn(Body):
    text: str = Field(max_length=10_000)
    element_id: str | None = Field(default=None, max_length=80)


class CommentOut(BaseModel):
    id: int
    workspace: str
    map: str
    element_id: str | None
    author: str | None
    text: str
    created_at: dt.datetime
    resolved: bool

    @classmethod
    def of(cls, comment: Comment) -> CommentOut:
        return cls(
            id=comment.id,
            workspace=comment.key.workspace,
            map=comment.key.map,
            element_id=comment.element_id,
            author=comment.author_name,
            text=comment.text,
            created_at=comment.created_at,
            resolved=comment.resolved,
        )


class ResolveIn(Body):
    resolved: bool = True


# Plans.


class StatusIn(Body):
    version: int = Field(ge=1, le=MAX_NUMBER)
    status: InitiativeStatus


class FromFindingIn(Body):
    version: int = Field(ge=1, le=MAX_NUMBER)
    run: int = Field(ge=1, le=MAX_NUMBER, description="The analysis run the finding comes from.")
    rank: int = Field(ge=1, le=MAX_NUMBER, description="The finding's rank in that run.")
    name: str | None = Field(default=None, max_length=2000)
    owner_bu: str | None = Field(default=None, max_length=80)
    target_kpi: str | None = Field(default=None, max_length=80)


class BoardOut(BaseModel):
    version: int
    columns: dict[str, list[dict[str, Any]]]


class UnitOut(BaseModel):
    unit: dict[str, Any]
    owned: list[str]
    shared: list[str]
    initiatives: list[str]
    pain_points: list[str]
    numbers: dict[str, Any]
    friction: list[dict[str, Any]]
    shared_observed: list[dict[str, Any]]
    findings: list[dict[str, Any]]


# Data and analyses.


class ImportReportOut(BaseModel):
    source: str
    kind: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_duplicate: int
    already_imported: bool
    rejected_file: str | None
    reasons: list[dict[str, Any]]
    unmapped_activities: list[dict[str, Any]]
    skipped: str | None


class RunIn(Body):
    label: str = Field(default="", max_length=200)
    since: dt.date | None = Field(default=None, description="First day (included).")
    until: dt.date | None = Field(default=None, description="Last day (included).")
    map: str | None = Field(default=None, max_length=80, description="The map to read with.")


class RunOut(BaseModel):
    id: int
    workspace: str
    map: str | None
    map_version: int | None
    label: str
    period_start: dt.date
    period_end: dt.date
    filters: dict[str, Any]
    summary: dict[str, Any]
    findings: list[dict[str, Any]]
    created_at: dt.datetime

    @classmethod
    def of(cls, run: AnalysisRun, *, findings: bool = True) -> RunOut:
        return cls(
            id=run.id,
            workspace=run.workspace,
            map=run.map_key.map if run.map_key else None,
            map_version=run.map_version,
            label=run.label,
            period_start=run.period_start,
            period_end=run.period_end,
            filters=run.filters,
            summary=run.summary,
            findings=run.findings if findings else [],
            created_at=run.created_at,
        )


class TableOut(BaseModel):
    name: str
    columns: list[str]
    rows: list[dict[str, Any]]
    total: int


class TablesOut(BaseModel):
    discovery: list[str]
    insights: list[str]


class KpiChangeOut(BaseModel):
    name: str
    a: float | None
    b: float | None
    delta: float | None
    relative: float | None


class FindingChangeOut(BaseModel):
    kind: str
    subject: str
    status: str
    score_a: float | None
    score_b: float | None
    delta: float | None
    rank_a: int | None
    rank_b: int | None


class ReviewOut(BaseModel):
    a: RunOut
    b: RunOut
    kpis: list[KpiChangeOut]
    findings: list[FindingChangeOut]

    @classmethod
    def of(cls, comparison: RunComparison) -> ReviewOut:
        return cls(
            a=RunOut.of(comparison.a, findings=False),
            b=RunOut.of(comparison.b, findings=False),
            kpis=[
                KpiChangeOut(name=k.name, a=k.a, b=k.b, delta=k.delta, relative=k.relative)
                for k in comparison.kpis
            ],
            findings=[
                FindingChangeOut(
                    kind=f.kind,
                    subject=f.subject,
                    status=f.status.value,
                    score_a=f.score_a,
                    score_b=f.score_b,
                    delta=f.delta,
                    rank_a=f.rank_a,
                    rank_b=f.rank_b,
                )
                for f in comparison.findings
            ],
        )


class ViewQuery(BaseModel):
    """Narrowing a view of a run (the analysis runs again for these journeys)."""

    outcome: Outcome | None = None
    segment: str | None = None
    role: str | None = None
