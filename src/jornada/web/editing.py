"""Changing a map: add, change or remove one element, replace the whole document, and
save it as a new version only when the user may make that change and nobody saved first.

Every function here builds a whole new :class:`JourneyMap` (so the map's integrity rules
run on every edit) and leaves the saving to :func:`save`, which asks the store's
permission helpers and passes the version the editor loaded for optimistic locking.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from jornada.errors import MapError
from jornada.model import JourneyMap, MapFormat, loads_map, to_data
from jornada.model.journey import REFERENCES
from jornada.store import MapKey, MapVersion, Store, User, edit_allowed
from jornada.web.errors import BadInput, Forbidden, Missing
from jornada.web.forms import EMOTIONS, MAP, SKIPPED_MAP_FIELDS, model_of, validate_element

__all__ = [
    "EMOTIONS",
    "MAP",
    "delete_element",
    "element_key",
    "find_element",
    "parse_document",
    "put_element",
    "rebuild",
    "save",
]

MAX_MAP_CHARS = 5_000_000


def element_key(collection: str, index: int, element: BaseModel) -> str:
    """How the editor addresses an element: its id, or its position for emotions."""
    return str(index) if collection == EMOTIONS else str(getattr(element, "id", index))


def find_element(
    journey: JourneyMap, collection: str, key: str, lang: str
) -> tuple[int, BaseModel]:
    """The position and element ``key`` names in ``collection``, or :class:`Missing`."""
    items: list[BaseModel] = getattr(journey, collection)
    for index, item in enumerate(items):
        if element_key(collection, index, item) == key:
            return index, item
    raise Missing("no_element", lang, collection=collection, key=key)


def check_collection(collection: str, lang: str) -> None:
    try:
        model_of(collection)
    except KeyError:
        raise Missing("no_collection", lang, collection=collection) from None


def rebuild(data: dict[str, Any], lang: str) -> JourneyMap:
    """A map from plain data, with its integrity checked; :class:`BadInput` otherwise."""
    try:
        return JourneyMap.model_validate(data)
    except MapError as exc:
        raise BadInput("map_invalid", lang, problem=str(exc)) from None
    except ValueError as exc:
        raise BadInput("map_invalid", lang, problem=_first_line(exc)) from None


def put_element(
    journey: JourneyMap,
    collection: str,
    key: str | None,
    data: dict[str, Any],
    lang: str,
) -> JourneyMap:
    """The map with ``data`` as the element ``key`` of ``collection`` (``None``: a new one
    at the end). For ``map`` it replaces the map's own fields."""
    check_collection(collection, lang)
    document = to_data(journey)
    if collection == MAP:
        element = validate_element(JourneyMap, MAP, {**_head(data), "id": journey.id}, lang)
        head = element.model_dump(mode="json", exclude_defaults=True)
        for name in list(document):
            if name not in SKIPPED_MAP_FIELDS:
                document.pop(name)
        document.update({k: v for k, v in head.items() if k not in SKIPPED_MAP_FIELDS})
        return rebuild(document, lang)
    model = model_of(collection)
    items: list[dict[str, Any]] = document.setdefault(collection, [])
    if key is not None:
        index, _ = find_element(journey, collection, key, lang)
        if collection != EMOTIONS:
            data = {**data, "id": key}
    element = validate_element(model, collection, data, lang)
    plain = element.model_dump(mode="json", exclude_defaults=True)
    if key is None:
        new_id = plain.get("id")
        if new_id is not None and journey.element(str(new_id)) is not None:
            raise BadInput("id_taken", lang, id=new_id)
        items.append(plain)
    else:
        items[index] = plain
    return rebuild(document, lang)


def delete_element(journey: JourneyMap, collection: str, key: str, lang: str) -> JourneyMap:
    """The map without element ``key``; refused while other elements still point at it."""
    check_collection(collection, lang)
    if collection == MAP:
        raise BadInput("cannot_delete_map_fields", lang)
    index, element = find_element(journey, collection, key, lang)
    users = references_to(journey, collection, key)
    if users:
        name = element.label(lang) if hasattr(element, "label") else key
        raise BadInput("still_used", lang, name=name, users=", ".join(users[:6]))
    document = to_data(journey)
    del document[collection][index]
    return rebuild(document, lang)


def references_to(journey: JourneyMap, collection: str, element_id: str) -> list[str]:
    """The elements that point at ``element_id`` of ``collection``, as ``kind 'name'``."""
    found: list[str] = []
    for (source, name), target in REFERENCES.items():
        if target != collection:
            continue
        for index, item in enumerate(getattr(journey, source)):
            value = getattr(item, name)
            if element_id == value or (isinstance(value, list) and element_id in value):
                label = getattr(item, "name", None) or f"{source}[{index}]"
                found.append(f"{source}: {label}")
    return found


def parse_document(text: str, fmt: MapFormat, lang: str) -> JourneyMap:
    """A whole map from YAML or JSON text (the raw tab, an upload), or :class:`BadInput`."""
    if len(text) > MAX_MAP_CHARS:
        raise BadInput("map_too_long", lang, limit=MAX_MAP_CHARS)
    try:
        return loads_map(text, fmt, source=fmt.value.upper())
    except MapError as exc:
        raise BadInput("map_unreadable", lang, problem=_first_line(exc)) from None


def save(
    store: Store,
    user: User,
    key: MapKey,
    journey: JourneyMap,
    version: int,
    message: str = "",
) -> MapVersion:
    """Save ``journey`` over ``version`` (the one the editor loaded).

    Raises :class:`Forbidden` when the change goes beyond what ``user`` may edit, and the
    store's ``StaleEdit`` (409, nothing written) when someone saved after ``version``.
    """
    lang = user.language.value
    loaded = store.get_map(key, version).journey
    verdict = edit_allowed(user, loaded, journey)
    if not verdict:
        raise Forbidden("refused", lang, reason=verdict.reason)
    if journey.id != key.map:
        raise BadInput("id_changed", lang, old=key.map, new=journey.id)
    return store.save_map(key, journey, version, user, message)


def _head(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in SKIPPED_MAP_FIELDS}


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
