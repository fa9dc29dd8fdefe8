"""Who may do what, asked of the store's permission helpers before every change.

Map edits go through :func:`jornada.store.edit_allowed` (in :mod:`jornada.web.editing`);
everything else is a kind of change :func:`jornada.store.can_edit` knows: ``users``
(accounts and the audit log: admins), ``workspaces``, ``maps`` and ``analysis_runs``
(CX leads and admins), ``comments`` (everyone but viewers).
"""

from __future__ import annotations

from jornada.i18n import t
from jornada.store import User, can_edit
from jornada.web.errors import Forbidden

USERS = "users"
WORKSPACES = "workspaces"
MAPS = "maps"
RUNS = "analysis_runs"
COMMENTS = "comments"


def require(user: User, kind: str) -> None:
    """Raise :class:`Forbidden` (in the user's language) unless ``user`` may change ``kind``."""
    if not can_edit(user, kind):
        lang = user.language.value
        role = t(f"web.role.{user.role.value}", lang)
        raise Forbidden("not_allowed", lang, role=role, what=t(f"web.what.{kind}", lang))


def allowed(user: User, kind: str) -> bool:
    """Whether to offer ``user`` the controls that change ``kind``."""
    return can_edit(user, kind)
