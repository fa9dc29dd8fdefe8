"""Who may change what. The store does not enforce these rules; the web layer asks here.

==========  ===========================================================================
admin       everything, including accounts
cx_lead     everything in every map, workspaces, analysis runs and comments
bu_owner    the touchpoints and initiatives whose ``owner_bu`` is their business unit
            (adding, changing, removing them), and comments anywhere
viewer      reads everything, changes nothing, not even comments (management's view)
==========  ===========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

from jornada.i18n import t
from jornada.model import JourneyMap
from jornada.store.diff import MAP, Change, diff_maps
from jornada.store.records import User, UserRole

OWNED_BY_BU = ("touchpoints", "initiatives")
"""The collections a BU owner may edit, for the elements their own unit owns."""

COMMENTS = "comments"
ACCOUNTS = "users"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether an edit is allowed, and why not (in the user's language) when it is not."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def can_edit(user: User, element_kind: str, element: object | None = None) -> bool:
    """Whether ``user`` may change ``element`` of ``element_kind`` (a map collection such as
    ``"touchpoints"``, ``"map"`` for the map's own fields, ``"comments"`` or ``"users"``).

    Without ``element`` it says whether the user may change elements of that kind at all
    (a BU owner may add touchpoints of their own unit, so the answer there is yes).
    """
    if not user.active:
        return False
    if user.role is UserRole.admin:
        return True
    if element_kind == ACCOUNTS:
        return False
    if user.role is UserRole.cx_lead:
        return True
    if user.role is UserRole.bu_owner:
        if element_kind == COMMENTS:
            return True
        if element_kind not in OWNED_BY_BU:
            return False
        return element is None or getattr(element, "owner_bu", None) == user.business_unit
    return False


def edit_allowed(user: User, old: JourneyMap, new: JourneyMap) -> Verdict:
    """Whether saving ``new`` over ``old`` stays within what ``user`` may change.

    A BU owner's edit passes only if every change is to a touchpoint or initiative that
    belongs to their unit both before and after it (so they can neither take over nor
    hand away another unit's element).
    """
    lang = user.language.value
    changes = diff_maps(old, new)
    if not changes or (user.active and user.role in (UserRole.admin, UserRole.cx_lead)):
        return Verdict(True)
    if user.role is not UserRole.bu_owner or not user.active:
        return Verdict(False, t("store.permission.read_only", lang))
    for change in changes:
        if not _own_change(user, change, old, new):
            name = change.name or change.element_id
            kind = t(f"store.kind.{change.collection}", lang)
            return Verdict(
                False,
                t("store.permission.not_yours", lang, bu=user.business_unit, kind=kind, name=name),
            )
    return Verdict(True)


def _own_change(user: User, change: Change, old: JourneyMap, new: JourneyMap) -> bool:
    if change.collection == MAP or change.collection not in OWNED_BY_BU:
        return False
    before = old.element(change.element_id)
    after = new.element(change.element_id)
    return all(
        can_edit(user, change.collection, element)
        for element in (before, after)
        if element is not None
    )
