"""What the store hands out: plain frozen records, never live ORM rows.

The web layer gets values it can render or serialise after the transaction that read them
has closed; nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from jornada.model import JourneyMap, Lang


class UserRole(StrEnum):
    """What a person may do in the web app (see :mod:`jornada.store.permissions`)."""

    admin = "admin"
    cx_lead = "cx_lead"
    bu_owner = "bu_owner"
    viewer = "viewer"


@dataclass(frozen=True, slots=True)
class User:
    """A person who signs in. ``business_unit`` is set for BU owners only."""

    id: int
    email: str
    display_name: str
    role: UserRole
    business_unit: str | None
    language: Lang
    active: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in browser. The token itself is never stored, only its hash."""

    id: int
    user: User
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    csrf_secret: str


@dataclass(frozen=True, slots=True)
class Workspace:
    """A place for one company's maps and data (its DuckDB file at ``data_path``)."""

    id: int
    slug: str
    name: str
    description: str | None
    data_path: str | None
    created_by: int | None
    created_at: dt.datetime


class MapKey(NamedTuple):
    """Where a map lives: its workspace's slug and its own id (the map's ``id``)."""

    workspace: str
    map: str

    def __str__(self) -> str:
        return f"{self.workspace}/{self.map}"


@dataclass(frozen=True, slots=True)
class MapInfo:
    """A map as the maps list shows it, without its document."""

    key: MapKey
    name: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class MapVersion:
    """One saved version of a map (its document is read with ``Store.get_map``)."""

    key: MapKey
    version: int
    author_id: int | None
    author_name: str | None
    created_at: dt.datetime
    message: str
    restored_from: int | None


class LoadedMap(NamedTuple):
    """A map and the version it was read at: send that version back when saving."""

    journey: JourneyMap
    version: int


@dataclass(frozen=True, slots=True)
class Comment:
    """A remark on a map element (``element_id``) or on the whole map (``None``)."""

    id: int
    key: MapKey
    element_id: str | None
    author_id: int | None
    author_name: str | None
    text: str
    created_at: dt.datetime
    resolved: bool


@dataclass(frozen=True, slots=True)
class AnalysisRun:
    """One analysis of a period, kept for the periodic review."""

    id: int
    workspace: str
    map_key: MapKey | None
    map_version: int | None
    label: str
    period_start: dt.date
    period_end: dt.date
    filters: dict[str, Any]
    summary: dict[str, Any]
    findings: list[dict[str, Any]]
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Who did what to which object, when; ``detail`` never holds secrets."""

    id: int
    at: dt.datetime
    user_id: int | None
    action: str
    object_type: str
    object_id: str
    detail: dict[str, Any] = field(default_factory=dict)
