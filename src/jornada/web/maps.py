"""Starting a map: from a template (in es, pt or en), blank, or from a YAML/JSON document."""

from __future__ import annotations

import re
import unicodedata

from jornada.errors import MapError
from jornada.model import JourneyMap, Lang, MapFormat
from jornada.model.templates import TEMPLATES, build_template
from jornada.store import MapVersion, User, Workspace
from jornada.web.access import MAPS, require
from jornada.web.context import AppContext
from jornada.web.editing import parse_document
from jornada.web.errors import BadInput

BLANK = "blank"
STARTS: tuple[str, ...] = (*TEMPLATES, BLANK)


def new_map(
    start: str,
    lang: str,
    *,
    name: str | None = None,
    company: str | None = None,
    map_id: str | None = None,
    ui_lang: str = "en",
) -> JourneyMap:
    """A new map from ``start`` (a template name or ``blank``) written in ``lang``."""
    if start not in STARTS:
        raise BadInput(
            "bad_choice", ui_lang, field="template", value=start[:40], allowed=", ".join(STARTS)
        )
    if lang not in {code.value for code in Lang}:
        raise BadInput(
            "bad_choice",
            ui_lang,
            field="language",
            value=lang[:40],
            allowed=", ".join(code.value for code in Lang),
        )
    try:
        if start == BLANK:
            title = (name or company or "").strip()
            if not title:
                raise BadInput("map_needs_name", ui_lang)
            journey = JourneyMap(
                id=slug(map_id or title),
                name=title,
                language=Lang(lang),
                company=(company or "").strip() or None,
            )
        else:
            journey = build_template(start, lang, company=(company or "").strip() or None)
    except MapError as exc:
        raise BadInput("map_invalid", ui_lang, problem=str(exc)) from None
    except ValueError as exc:
        raise BadInput("map_invalid", ui_lang, problem=str(exc).splitlines()[0]) from None
    changes: dict[str, str] = {}
    if name and name.strip() and start != BLANK:
        changes["name"] = name.strip()
    if map_id and map_id.strip():
        changes["id"] = slug(map_id)
    if changes:
        journey = _with(journey, changes, ui_lang)
    return journey


def create(
    ctx: AppContext, user: User, workspace: Workspace, journey: JourneyMap, message: str = ""
) -> MapVersion:
    """Store ``journey`` as a new map (version 1) of ``workspace``."""
    require(user, MAPS)
    return ctx.store.create_map(workspace.slug, journey, user, message)


def from_document(text: str, fmt: str, ui_lang: str) -> JourneyMap:
    """A map from an uploaded or pasted YAML/JSON document."""
    try:
        chosen = MapFormat(fmt)
    except ValueError:
        raise BadInput(
            "bad_choice", ui_lang, field="format", value=fmt[:20], allowed="yaml, json"
        ) from None
    return parse_document(text, chosen, ui_lang)


def slug(text: str) -> str:
    """A map id from a name: lowercase letters, digits and ``-`` (never empty)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9_.-]+", "-", plain.strip().lower()).strip("-._")
    return cleaned[:80] or "map"


def _with(journey: JourneyMap, changes: dict[str, str], lang: str) -> JourneyMap:
    try:
        return JourneyMap.model_validate({**journey.model_dump(), **changes})
    except ValueError as exc:
        raise BadInput("map_invalid", lang, problem=str(exc).splitlines()[0]) from None
