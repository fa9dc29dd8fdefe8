"""The published JSON Schema of a journey map file."""

from __future__ import annotations

from typing import Any

from jornada.model.journey import JourneyMap

SCHEMA_ID = "https://jornada.dev/schema/journey-map-1.json"


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) that every valid map file satisfies.

    It checks shape and types; unique ids and references between parts are checked when a
    map is loaded (``jornada lint`` reports them with their location).
    """
    schema = JourneyMap.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
