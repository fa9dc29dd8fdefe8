"""Stub."""

from __future__ import annotations
from pathlib import Path
from jornada.demo.config import WorldConfig


def realised_truths(folder: Path, config: WorldConfig, seed: int) -> dict[str, object]:
    return {"seed": seed, "config": config.as_dict()}
