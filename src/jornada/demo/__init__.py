"""The demo-world generator: seeded B2B worlds with planted truths.

``generate_world`` writes the canonical tables (Parquet) and ``truth.json``; ``world``
holds the spec the demo journey map is built from.
"""

from __future__ import annotations

from jornada.demo import world
from jornada.demo.config import WorldConfig
from jornada.demo.generator import WorldSummary, generate_world
from jornada.demo.world import (
    BUSINESS_UNITS,
    COMPANY,
    CONTENT_PLAN,
    PERSONAS,
    REGIONS,
    ROLES,
    STAGES,
    TOUCHPOINTS,
    BusinessUnit,
    Names,
    Persona,
    Role,
    Stage,
    Touchpoint,
)

__all__ = [
    "BUSINESS_UNITS",
    "COMPANY",
    "CONTENT_PLAN",
    "PERSONAS",
    "REGIONS",
    "ROLES",
    "STAGES",
    "TOUCHPOINTS",
    "BusinessUnit",
    "Names",
    "Persona",
    "Role",
    "Stage",
    "Touchpoint",
    "WorldConfig",
    "WorldSummary",
    "generate_world",
    "world",
]
