"""Stream an XES event log (IEEE 1849, also ``.xes.gz``) into Arrow batches of text.

One row per event, in file order; trace attributes come as ``case:<key>`` (the pm4py
convention), so ``case:concept:name`` is the case id. Memory stays bounded: each trace is
dropped from the parsed tree once its events are emitted.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from jornada.ingest.sniff import InputError, open_binary

XES_COLUMNS = (
    "case:concept:name",
    "concept:name",
    "time:timestamp",
    "lifecycle:transition",
    "org:resource",
)
_SCALARS = frozenset({"string", "date", "int", "float", "boolean", "id"})
_NESTED = frozenset({"list", "container"})


def iter_xes_batches(path: Path, batch_rows: int = 50_000) -> Iterator[pa.Table]:
    """Yield tables of ``_row`` (event position, 1-based) and one text column per key."""
    names = _ColumnNames(XES_COLUMNS)
    rows: list[dict[str, str]] = []
    position = 0
    try:
        with open_binary(path) as fh:
            root: ET.Element | None = None
            events: dict[int, dict[str, str]] = {}  # id(event element) -> its attributes
            loose: list[dict[str, str]] = []  # events outside any trace, not yet emitted
            for kind, elem in ET.iterparse(fh, events=("start", "end")):
                if kind == "start":
                    if root is None:
                        root = elem
                        if _local(elem.tag) != "log":
                            raise InputError("is not an XES log: no <log> element", source=path)
                    continue
                tag = elem.tag
                if tag.endswith("event"):
                    events[id(elem)] = _attributes(elem)
                    elem.clear()
                elif tag.endswith("trace") and root is not None:
                    case = {f"case:{k}": v for k, v in _attributes(elem).items()}
                    mine = [events.pop(id(child)) for child in elem if id(child) in events]
                    rows += events.values()  # events seen before this trace, outside it
                    events.clear()
                    rows += (case | attrs for attrs in mine)
                    root.clear()
                    if len(rows) >= batch_rows:
                        yield _batch(rows, position, names)
                        position += len(rows)
                        rows = []
                elif tag.endswith("log"):
                    loose = list(events.values())
            rows += loose
    except ET.ParseError as err:
        line, column = err.position
        raise InputError(
            f"is not well-formed XML at line {line}, column {column}; is the file cut short?",
            source=path,
        ) from None
    except (OSError, EOFError) as err:
        raise InputError(f"cannot be read ({err}); is the file cut short?", source=path) from None
    if rows:
        yield _batch(rows, position, names)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _attributes(elem: ET.Element) -> dict[str, str]:
    """The element's direct attribute children as key -> text (nested ones as JSON)."""
    out: dict[str, str] = {}
    for child in elem:
        key = child.get("key")
        if key is None:
            continue
        value = child.get("value")
        if value is not None:
            out[key] = value
        elif _local(child.tag) in _NESTED:
            out[key] = json.dumps(_nested(child), ensure_ascii=False)
    return out


def _nested(elem: ET.Element) -> list[object]:
    """A ``list`` or ``container`` attribute as JSON-ready data."""
    items: list[object] = []
    for child in elem:
        tag = _local(child.tag)
        key = child.get("key")
        if tag == "values":
            items.extend(_nested(child))
        elif tag in _NESTED:
            items.append({key or "": _nested(child)})
        elif (value := child.get("value")) is not None:
            items.append({key: value} if key else value)
    return items


class _ColumnNames:
    """Source keys -> DuckDB column names, de-duplicated case-insensitively, stable."""

    def __init__(self, first: tuple[str, ...]) -> None:
        self._names: dict[str, str] = {}
        self._used: set[str] = {"_row"}
        for key in first:
            self.name(key)

    def name(self, key: str) -> str:
        found = self._names.get(key)
        if found is not None:
            return found
        base = " ".join(key.split()) or "column"
        candidate, n = base, 2
        while candidate.casefold() in self._used:
            candidate, n = f"{base}_{n}", n + 1
        self._used.add(candidate.casefold())
        self._names[key] = candidate
        return candidate


def _batch(rows: list[dict[str, str]], position: int, names: _ColumnNames) -> pa.Table:
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    columns = {"_row": pa.array(range(position + 1, position + len(rows) + 1), pa.int64())}
    for key in keys:
        columns[names.name(key)] = pa.array([row.get(key) for row in rows], pa.string())
    return pa.table(columns)
