"""Every change the app makes, one function each, shared by the JSON API and the pages.

Each checks what the user may do first (the store's permission helpers), then calls the
library or the store once. Map edits are saved over the version the editor loaded, so a
stale edit is refused with the store's message and nothing is written.
"""

from __future__ import annotations

import shutil
from typing import Any

from jornada.model import JourneyMap, Lang
from jornada.store import (
    AnalysisRun,
    Comment,
    MapKey,
    MapVersion,
    User,
    UserRole,
    Workspace,
    edit_allowed,
)
from jornada.web import editing, plans
from jornada.web.access import COMMENTS, MAPS, USERS, WORKSPACES, require
from jornada.web.context import AppContext
from jornada.web.errors import BadInput, Forbidden
from jornada.web.workspaces import DATA_FILE, data_file, workspace_folder

# Elements of a map.


def save_element(
    ctx: AppContext,
    user: User,
    key: MapKey,
    collection: str,
    element_key: str | None,
    data: dict[str, Any],
    version: int,
) -> tuple[MapVersion, str | None]:
    """Add (``element_key`` None) or replace one element; the saved version and the
    element's key."""
    lang = user.language.value
    journey = ctx.store.get_map(key, version).journey
    changed = editing.put_element(journey, collection, element_key, data, lang)
    saved = editing.save(ctx.store, user, key, changed, version, _message(collection, data))
    if element_key is None and collection not in (editing.EMOTIONS, editing.MAP):
        element_key = str(data.get("id", "")) or None
    elif element_key is None and collection == editing.EMOTIONS:
        element_key = str(len(changed.emotions) - 1)
    return saved, element_key


def delete_element(
    ctx: AppContext, user: User, key: MapKey, collection: str, element_key: str, version: int
) -> MapVersion:
    lang = user.language.value
    journey = ctx.store.get_map(key, version).journey
    changed = editing.delete_element(journey, collection, element_key, lang)
    return editing.save(ctx.store, user, key, changed, version, f"- {collection}/{element_key}")


def save_document(
    ctx: AppContext, user: User, key: MapKey, journey: JourneyMap, version: int, message: str = ""
) -> MapVersion:
    return editing.save(ctx.store, user, key, journey, version, message)


def restore(ctx: AppContext, user: User, key: MapKey, old: int, version: int) -> MapVersion:
    """Make version ``old`` current again (as a new version) if ``user`` may make every
    change that brings back."""
    lang = user.language.value
    current = ctx.store.get_map(key, version).journey
    wanted = ctx.store.get_map(key, old).journey
    verdict = edit_allowed(user, current, wanted)
    if not verdict:
        raise Forbidden("refused", lang, reason=verdict.reason)
    return ctx.store.restore(key, old, version, user)


def delete_map(ctx: AppContext, user: User, key: MapKey) -> None:
    require(user, MAPS)
    ctx.store.delete_map(key, by=user)


def move_initiative(
    ctx: AppContext, user: User, key: MapKey, initiative_id: str, status: str, version: int
) -> MapVersion:
    journey = ctx.store.get_map(key, version).journey
    changed = plans.move(journey, initiative_id, status, user.language.value)
    return editing.save(ctx.store, user, key, changed, version, f"{initiative_id}: {status}")


def initiative_from_finding(
    ctx: AppContext,
    user: User,
    key: MapKey,
    run: AnalysisRun,
    rank: int,
    version: int,
    *,
    name: str | None = None,
    owner_bu: str | None = None,
    target_kpi: str | None = None,
) -> tuple[MapVersion, str]:
    """A new initiative answering finding ``rank`` of ``run``, saved as a new version."""
    lang = user.language.value
    if run.workspace != key.workspace:
        raise BadInput("run_elsewhere", lang, run=run.id)
    finding = plans.find_finding(run.findings, rank, lang)
    journey = ctx.store.get_map(key, version).journey
    owner = owner_bu or (user.business_unit if user.role is UserRole.bu_owner else None)
    changed, initiative_id = plans.from_finding(
        journey, finding, lang, name=name, owner_bu=owner, target_kpi=target_kpi
    )
    message = f"+ initiatives/{initiative_id} ({run.label} #{rank})"
    return editing.save(ctx.store, user, key, changed, version, message), initiative_id


def _message(collection: str, data: dict[str, Any]) -> str:
    name = data.get("id") or data.get("name") or ""
    return f"{collection}/{name}" if name else collection


# Comments.


def add_comment(
    ctx: AppContext, user: User, key: MapKey, text: str, element_id: str | None
) -> Comment:
    require(user, COMMENTS)
    return ctx.store.add_comment(key, text, user, element_id or None)


def resolve_comment(ctx: AppContext, user: User, comment_id: int, resolved: bool) -> Comment:
    require(user, COMMENTS)
    return ctx.store.resolve_comment(comment_id, by=user, resolved=resolved)


# Workspaces.


def create_workspace(
    ctx: AppContext, user: User, slug: str, name: str, description: str | None = None
) -> Workspace:
    require(user, WORKSPACES)
    path = ctx.settings.workspace_dir(slug) / DATA_FILE
    return ctx.store.create_workspace(
        slug, name, by=user, description=description or None, data_path=str(path)
    )


def update_workspace(
    ctx: AppContext, user: User, slug: str, name: str | None, description: str | None
) -> Workspace:
    require(user, WORKSPACES)
    if description is None:
        return ctx.store.update_workspace(slug, by=user, name=name)
    return ctx.store.update_workspace(slug, by=user, name=name, description=description or None)


def delete_workspace(ctx: AppContext, user: User, slug: str) -> None:
    """Delete the workspace; its files too when the app made them (never a demo folder)."""
    require(user, WORKSPACES)
    workspace = ctx.store.get_workspace(slug)
    ctx.store.delete_workspace(slug, by=user)
    ctx.pool.forget(data_file(ctx.settings, workspace))
    ctx.views.forget(slug)
    folder = workspace_folder(ctx.settings, workspace)
    if folder.resolve().is_relative_to((ctx.settings.data_dir / "workspaces").resolve()):
        shutil.rmtree(folder, ignore_errors=True)


# Accounts.


def create_user(
    ctx: AppContext,
    user: User,
    *,
    email: str,
    password: str,
    display_name: str,
    role: UserRole,
    business_unit: str | None,
    language: Lang,
) -> User:
    require(user, USERS)
    return ctx.store.create_user(
        email,
        password,
        display_name=display_name,
        role=role,
        business_unit=business_unit or None,
        language=language,
        by=user,
    )


def update_user(ctx: AppContext, user: User, user_id: int, **changes: Any) -> User:
    require(user, USERS)
    wanted = {k: v for k, v in changes.items() if v is not None}
    if "business_unit" in changes and changes["business_unit"] is not None:
        wanted["business_unit"] = changes["business_unit"] or None
    return ctx.store.update_user(user_id, by=user, **wanted)


def set_password(ctx: AppContext, user: User, user_id: int, password: str) -> None:
    require(user, USERS)
    ctx.store.set_password(user_id, password, by=user)


def update_me(ctx: AppContext, user: User, language: Lang | None, display_name: str | None) -> User:
    """A person's own preferences (any role, viewers included)."""
    return ctx.store.update_user(user.id, by=user, language=language, display_name=display_name)


def change_my_password(ctx: AppContext, user: User, current: str, new: str, ip: str | None) -> None:
    """A new password for oneself, after the current one is checked (rate limited)."""
    checked = ctx.store.authenticate(user.email, current, ip=ip, lang=user.language.value)
    ctx.store.set_password(checked.id, new, by=checked)
