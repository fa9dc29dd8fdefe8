"""The web app's persistence: users, sessions, workspaces, versioned maps, comments,
analysis runs for the periodic review and an audit log, in SQLite or PostgreSQL.

    store = Store.open("jornada.db")                # or "postgresql://user@host/db"
    journey, version = store.get_map(MapKey("acme", "acme-journey"))
    store.save_map(MapKey("acme", "acme-journey"), edited, version, author=user)

Permissions are not enforced here: the web layer asks :func:`can_edit` and
:func:`edit_allowed` before it calls the store.
"""

from __future__ import annotations

from jornada.store.base import Policy
from jornada.store.database import alembic_config, current_revision, database_url, head_revision
from jornada.store.diff import Change, ChangeKind, FieldChange, diff_maps
from jornada.store.errors import (
    AlreadyExists,
    InvalidInput,
    LoginRefused,
    NotFound,
    StaleEdit,
    StoreError,
    TooManyAttempts,
    Unavailable,
)
from jornada.store.permissions import Verdict, can_edit, edit_allowed
from jornada.store.records import (
    AnalysisRun,
    AuditEntry,
    Comment,
    LoadedMap,
    MapInfo,
    MapKey,
    MapVersion,
    Session,
    User,
    UserRole,
    Workspace,
)
from jornada.store.reviews import FindingChange, FindingStatus, KpiChange, RunComparison
from jornada.store.sessions import csrf_matches
from jornada.store.store import Store

__all__ = [
    "AlreadyExists",
    "AnalysisRun",
    "AuditEntry",
    "Change",
    "ChangeKind",
    "Comment",
    "FieldChange",
    "FindingChange",
    "FindingStatus",
    "InvalidInput",
    "KpiChange",
    "LoadedMap",
    "LoginRefused",
    "MapInfo",
    "MapKey",
    "MapVersion",
    "NotFound",
    "Policy",
    "RunComparison",
    "Session",
    "StaleEdit",
    "Store",
    "StoreError",
    "TooManyAttempts",
    "Unavailable",
    "User",
    "UserRole",
    "Verdict",
    "Workspace",
    "alembic_config",
    "can_edit",
    "csrf_matches",
    "current_revision",
    "database_url",
    "diff_maps",
    "edit_allowed",
    "head_revision",
]
