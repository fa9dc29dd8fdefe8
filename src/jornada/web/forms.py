"""Editor forms generated from the map's pydantic models, and reading them back.

Every collection of the map gets its form from its model's fields, so a field added to the
model shows up in the editor without touching the web layer: text becomes a text box,
enums a select, booleans a checkbox, ``list[str]`` a one-per-line text area, references
(``REFERENCES``) a select or multi-select of the map's existing ids, numbers number
inputs, dates date inputs, nested models their own fields and lists of models (match
rules) a small YAML box. Reading a submitted form gives plain data the model validates.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from jornada.i18n import t
from jornada.model import JourneyMap, Lang
from jornada.model.journey import COLLECTIONS, REFERENCES
from jornada.web.errors import BadInput

FormValues = Mapping[str, list[str]]
"""A submitted form: every field name with all its values (multi-selects send several)."""

MAP = "map"
EMOTIONS = "emotions"
EDITABLE: tuple[str, ...] = (MAP, *COLLECTIONS[:5], EMOTIONS, *COLLECTIONS[5:])
"""What the editor edits, in the order its tabs show: the map's own fields, then each
collection (emotions, which have no id, after touchpoints)."""

LONG_TEXT = ("description", "notes", "promise", "brand_promise")
SKIPPED_MAP_FIELDS = ("schema_version", *COLLECTIONS, EMOTIONS)


@dataclass
class FieldSpec:
    """One input of an editor form. ``name`` is the form name (``empathy.thinks``)."""

    name: str
    label: str
    kind: str
    """text, textarea, lines, select, multiselect, checkbox, number, date or yaml."""
    required: bool = False
    value: Any = None
    options: list[tuple[str, str]] = field(default_factory=list)
    help: str = ""
    readonly: bool = False
    step: str = "any"
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None


def model_of(collection: str) -> type[BaseModel]:
    """The pydantic model of one element of ``collection`` (``map``: the map itself)."""
    if collection == MAP:
        return JourneyMap
    if collection not in EDITABLE:
        raise KeyError(collection)
    annotation = JourneyMap.model_fields[collection].annotation
    (item,) = get_args(annotation)
    model: type[BaseModel] = item
    return model


def field_label(name: str, lang: str) -> str:
    """A field's name for people: the catalogue's word, else the name spelled out."""
    key = f"web.field.{name}"
    text = t(key, lang)
    return text if text != key else name.replace("_", " ").capitalize()


def form_fields(
    collection: str,
    journey: JourneyMap,
    lang: str,
    current: BaseModel | None = None,
    *,
    submitted: FormValues | None = None,
) -> list[FieldSpec]:
    """The inputs of ``collection``'s form, filled from ``current`` (or from what the user
    ``submitted``, so a refused save shows their input again)."""
    model = model_of(collection)
    data = current.model_dump(mode="json") if current is not None else {}
    specs = _fields(model, collection, journey, lang, data, prefix="")
    if current is not None and "id" in model.model_fields:
        for spec in specs:
            spec.readonly = spec.readonly or spec.name == "id"
    if submitted is not None:
        for spec in specs:
            _refill(spec, submitted)
    return specs


def _fields(
    model: type[BaseModel],
    collection: str,
    journey: JourneyMap,
    lang: str,
    data: dict[str, Any],
    prefix: str,
) -> list[FieldSpec]:
    specs: list[FieldSpec] = []
    for name, info in model.model_fields.items():
        if collection == MAP and not prefix and name in SKIPPED_MAP_FIELDS:
            continue
        full = f"{prefix}{name}"
        annotation, optional = _unwrap(info.annotation)
        value = data.get(name)
        common: dict[str, Any] = {
            "name": full,
            "label": field_label(name, lang),
            "required": info.is_required(),
            "help": info.description or "",
        }
        target = REFERENCES.get((collection, name)) if not prefix else None
        nested = _nested_model(annotation)
        if name == "labels":
            specs.extend(_label_fields(full, value or {}, lang))
        elif nested is not None:
            specs.extend(_fields(nested, collection, journey, lang, value or {}, f"{full}."))
        elif target is not None:
            many = get_origin(annotation) is list
            options = _options(journey, target, lang)
            kind = "multiselect" if many else "select"
            if not many and optional:
                options.insert(0, ("", "—"))
            specs.append(FieldSpec(kind=kind, value=value, options=options, **common))
        else:
            specs.append(_plain(annotation, optional, info.metadata, value, lang, common))
    return specs


def _plain(
    annotation: Any,
    optional: bool,
    metadata: list[Any],
    value: Any,
    lang: str,
    common: dict[str, Any],
) -> FieldSpec:
    """The input for a field that is neither a reference, nor nested, nor labels."""
    bounds = {k: getattr(m, k) for m in metadata for k in ("ge", "le") if hasattr(m, k)}
    pattern = next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)
    origin = get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        options = [(str(e.value), _enum_label(e, lang)) for e in annotation]
        if optional:
            options.insert(0, ("", "—"))
        return FieldSpec(kind="select", value=value, options=options, **common)
    if annotation is bool:
        return FieldSpec(kind="checkbox", value=bool(value), **common)
    if annotation in (int, float):
        low = bounds.get("ge")
        high = bounds.get("le")
        step = "1" if annotation is int else "any"
        return FieldSpec(kind="number", value=value, step=step, minimum=low, maximum=high, **common)
    if annotation is dt.date:
        return FieldSpec(kind="date", value=value, **common)
    if origin is list:
        (item,) = get_args(annotation)
        if _nested_model(_unwrap(item)[0]) is not None:
            text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False) if value else ""
            return FieldSpec(kind="yaml", value=text, **common)
        return FieldSpec(kind="lines", value="\n".join(str(v) for v in value or []), **common)
    if origin is dict:
        text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False) if value else ""
        return FieldSpec(kind="yaml", value=text, **common)
    kind = "textarea" if common["name"].split(".")[-1] in LONG_TEXT else "text"
    return FieldSpec(kind=kind, value=value, pattern=pattern, **common)


def _label_fields(name: str, labels: dict[str, str], lang: str) -> list[FieldSpec]:
    """One text box per language for the element's name in that language."""
    return [
        FieldSpec(
            name=f"{name}.{code.value}",
            label=t("web.field.label_in", lang, language=t(f"web.lang.{code.value}", lang)),
            kind="text",
            value=labels.get(code.value),
        )
        for code in Lang
    ]


def _enum_label(member: Enum, lang: str) -> str:
    key = f"web.enum.{member.value}"
    text = t(key, lang)
    return text if text != key else str(member.value).replace("_", " ")


def _options(journey: JourneyMap, collection: str, lang: str) -> list[tuple[str, str]]:
    """The ids of ``collection``'s elements with their names, for a select."""
    items = getattr(journey, collection)
    return [(item.id, f"{item.label(lang)} ({item.id})") for item in items]


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type inside ``Annotated``/``Optional``, and whether ``None`` is allowed."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _refill(spec: FieldSpec, submitted: FormValues) -> None:
    values = submitted.get(spec.name, [])
    if spec.kind == "multiselect":
        spec.value = list(values)
    elif spec.kind == "checkbox":
        spec.value = bool(values)
    else:
        spec.value = values[0] if values else ""


# Reading a submitted form back.


def read_form(collection: str, journey: JourneyMap, submitted: FormValues, lang: str) -> Any:
    """The element (or the map's fields) a submitted form describes, validated by its model.

    Raises :class:`BadInput` naming the field and the problem.
    """
    model = model_of(collection)
    specs = form_fields(collection, journey, lang)
    data: dict[str, Any] = {}
    for spec in specs:
        if spec.readonly:
            continue
        value = _read(spec, submitted.get(spec.name, []), collection, lang)
        if value is not None:
            _put(data, spec.name.split("."), value)
    return validate_element(model, collection, data, lang)


def validate_element(
    model: type[BaseModel], collection: str, data: dict[str, Any], lang: str
) -> BaseModel:
    """``data`` as ``model``, or :class:`BadInput` saying which field is wrong and why."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or collection
        raise BadInput("bad_field", lang, field=where, problem=error["msg"]) from None


def _read(spec: FieldSpec, values: list[str], collection: str, lang: str) -> Any:
    raw = values[0].strip() if values else ""
    if spec.kind == "checkbox":
        return bool(values) and raw not in ("", "0", "false", "off")
    if spec.kind == "multiselect":
        picked = [v.strip() for v in values if v.strip()]
        return picked or None
    if spec.kind == "lines":
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        return lines or None
    if not raw:
        return None
    if spec.kind == "number":
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            raise BadInput("bad_number", lang, field=spec.name, value=raw[:40]) from None
        return int(number) if spec.step == "1" and number.is_integer() else number
    if spec.kind == "yaml":
        try:
            return yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
            raise BadInput("bad_yaml_field", lang, field=spec.name, line=line) from None
    return raw


def _put(data: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value
