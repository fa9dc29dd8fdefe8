"""Reading and writing journey maps as YAML or JSON.

Every problem with a map file becomes one :class:`~jornada.errors.MapError` that names the
file, the line and column when known, the path inside the map and what is wrong.
"""

from __future__ import annotations

import json
import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jornada.errors import MapError
from jornada.model.journey import JourneyMap


class MapFormat(StrEnum):
    yaml = "yaml"
    json = "json"


def format_for(path: Path) -> MapFormat:
    """The format a file name implies (``.json`` is JSON, anything else YAML)."""
    return MapFormat.json if path.suffix.lower() == ".json" else MapFormat.yaml


def load_map(path: str | os.PathLike[str]) -> JourneyMap:
    """Read a map file (YAML or JSON, by suffix)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MapError("file not found", source=str(path)) from None
    except IsADirectoryError:
        raise MapError("is a directory, expected a map file", source=str(path)) from None
    except UnicodeDecodeError as exc:
        raise MapError(
            f"not UTF-8 text (byte {exc.start}); save the map as UTF-8", source=str(path)
        ) from None
    return loads_map(text, format_for(path), source=str(path))


def loads_map(text: str, fmt: MapFormat = MapFormat.yaml, *, source: str = "<map>") -> JourneyMap:
    """Build a map from YAML or JSON text; ``source`` names it in error messages."""
    data = _parse(text, fmt, source)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise MapError(f"a map must be a mapping of keys to values, got {kind}", source=source)
    try:
        return JourneyMap.model_validate(data)
    except ValidationError as exc:
        raise _from_validation(exc, text, source) from None
    except MapError as exc:
        exc.source = source
        exc.line, exc.column = locate(text, exc.loc)
        raise


def dump_map(journey: JourneyMap, fmt: MapFormat = MapFormat.yaml) -> str:
    """The map as YAML or JSON text; loading it again gives an equal map."""
    data = to_data(journey)
    if fmt is MapFormat.json:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def save_map(journey: JourneyMap, path: str | os.PathLike[str]) -> Path:
    """Write the map atomically: the file is replaced whole or not at all."""
    path = Path(path)
    text = dump_map(journey, format_for(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def to_data(journey: JourneyMap) -> dict[str, Any]:
    """Plain JSON-ready data with defaults left out; the header fields always come first."""
    data = journey.model_dump(mode="json", exclude_defaults=True)
    header = {
        "schema_version": journey.schema_version,
        "id": journey.id,
        "name": journey.name,
        "language": journey.language.value,
    }
    return {**header, **{k: v for k, v in data.items() if k not in header}}


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# Characters YAML readers take for line breaks: only double quotes escape them.
_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(ch in value for ch in _BREAKS) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _parse(text: str, fmt: MapFormat, source: str) -> Any:
    if fmt is MapFormat.json:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise MapError(
                f"invalid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno
            ) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise MapError(
            f"invalid YAML: {problem}",
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None


def _from_validation(exc: ValidationError, text: str, source: str) -> MapError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = tuple(first["loc"])
    message = _describe(first)
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    line, column = locate(text, loc)
    return MapError(message, loc, source=source, line=line, column=column)


def _describe(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; `jornada schema` lists every field)"
    if kind == "string_pattern_mismatch":
        return f"'{error['input']}' is not a valid id: use lowercase letters, digits and _ . -"
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return f"'{error['input']}' is not allowed here, expected {expected}"
    message = str(error["msg"])
    if isinstance(error.get("input"), str | int | float | bool):
        message += f", got {error['input']!r}"
    return message


def locate(text: str, loc: tuple[str | int, ...]) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the deepest node of ``loc`` present in the text."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None, None
    best = node
    for depth, part in enumerate(loc, start=1):
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    # Point at the key of the last part: its value may start a line later.
                    child = key if depth == len(loc) else value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                child = node.value[part]
        if child is None:
            break
        node = best = child
    if best is None:
        return None, None
    return best.start_mark.line + 1, best.start_mark.column + 1
