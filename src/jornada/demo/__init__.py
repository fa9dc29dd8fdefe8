"""The demo-world generator: seeded B2B worlds with planted truths."""

from __future__ import annotations

from jornada.demo import world
from jornada.demo.config import WorldConfig
from jornada.demo.generator import WorldSummary, generate_world

__all__ = ["WorldConfig", "WorldSummary", "generate_world", "world"]
