"""What changed between two versions of a map, element by element.

Elements are matched by id within their collection (stages, touchpoints, ...); emotions,
which have no id, by their stage, touchpoint and persona. The map's own fields (name,
scope, review, ...) form the ``map`` collection. A changed element lists each field that
differs by its path (``match[0].activity``, ``empathy.pains``); lists of plain values
are compared whole. Stages also report a new ``position`` when their order changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from jornada.model import JourneyMap
from jornada.model.journey import COLLECTIONS

MAP = "map"
EMOTIONS = "emotions"
_MAP_FIELDS = tuple(
    name for name in JourneyMap.model_fields if name not in (*COLLECTIONS, EMOTIONS)
)


class ChangeKind(StrEnum):
    added = "added"
    removed = "removed"
    changed = "changed"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of an element: its path inside the element, before and after."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Change:
    """An element added, removed or changed; ``name`` is its name (new one if changed)."""

    collection: str
    element_id: str
    kind: ChangeKind
    name: str | None = None
    fields: tuple[FieldChange, ...] = ()


def diff_maps(old: JourneyMap, new: JourneyMap) -> list[Change]:
    """Every change from ``old`` to ``new``, the map's fields first, then by collection."""
    changes: list[Change] = []
    old_head = {name: _dump(getattr(old, name)) for name in _MAP_FIELDS}
    new_head = {name: _dump(getattr(new, name)) for name in _MAP_FIELDS}
    head_fields = tuple(_field_changes(old_head, new_head))
    if head_fields:
        changes.append(Change(MAP, new.id, ChangeKind.changed, new.name, head_fields))
    for collection in (*COLLECTIONS, EMOTIONS):
        before = _keyed(old, collection)
        after = _keyed(new, collection)
        changes.extend(_collection_changes(collection, before, after))
    return changes


def _collection_changes(
    collection: str, before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> Iterator[Change]:
    positions = _moves(list(before), list(after)) if collection == "stages" else {}
    for key, data in after.items():
        if key not in before:
            yield Change(collection, key, ChangeKind.added, data.get("name"))
            continue
        fields = list(_field_changes(before[key], data))
        if key in positions:
            fields.append(FieldChange("position", *positions[key]))
        if fields:
            yield Change(collection, key, ChangeKind.changed, data.get("name"), tuple(fields))
    for key, data in before.items():
        if key not in after:
            yield Change(collection, key, ChangeKind.removed, data.get("name"))


def _keyed(journey: JourneyMap, collection: str) -> dict[str, dict[str, Any]]:
    """A collection's elements as plain data by key (id, or a made-up key for emotions)."""
    out: dict[str, dict[str, Any]] = {}
    for item in getattr(journey, collection):
        data = _dump(item)
        key = data["id"] if collection != EMOTIONS else _emotion_key(data)
        base, n = key, 1
        while key in out:  # two emotions for the same stage, touchpoint and persona
            n += 1
            key = f"{base}#{n}"
        out[key] = data
    return out


def _emotion_key(data: dict[str, Any]) -> str:
    parts = (data.get("stage"), data.get("touchpoint"), data.get("persona"))
    return "/".join(part or "-" for part in parts)


def _moves(before: list[str], after: list[str]) -> dict[str, tuple[int, int]]:
    """Stages whose place among the stages both versions share changed: old and new index."""
    kept = set(before) & set(after)
    old_order = [key for key in before if key in kept]
    new_order = [key for key in after if key in kept]
    return {
        key: (before.index(key), after.index(key))
        for old_key, key in zip(old_order, new_order, strict=True)
        if old_key != key
    }


def _field_changes(old: Any, new: Any, path: str = "") -> Iterator[FieldChange]:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for name in [*old, *(k for k in new if k not in old)]:
            yield from _field_changes(old.get(name), new.get(name), _join(path, name))
    elif _records(old) and _records(new) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from _field_changes(a, b, f"{path}[{index}]")
    else:
        yield FieldChange(path, old, new)


def _records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _dump(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return dump(mode="json")
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _dump(v) for k, v in value.items()}
    return getattr(value, "value", value)
