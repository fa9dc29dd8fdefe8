"""jornada: B2B customer journeys, designed and measured."""

from __future__ import annotations

__version__ = "0.1.0"
