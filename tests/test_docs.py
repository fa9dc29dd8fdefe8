"""Documentation that cannot drift: every command and option is in docs/cli.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from jornada.cli import app

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _sections() -> dict[str, str]:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    parts = re.split(r"^## jornada (\S+)\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]


@pytest.mark.skipif(not DOCS.is_dir(), reason="runs only from a source checkout")
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_and_its_options_are_documented(name: str) -> None:
    section = _sections().get(name)
    assert section is not None, f"docs/cli.md has no '## jornada {name}' section"
    for param in COMMANDS[name].params:
        for option in param.opts:
            if option.startswith("--") and option != "--help":
                assert f"`{option}`" in section, f"{name}: {option} is not documented"


@pytest.mark.skipif(not DOCS.is_dir(), reason="runs only from a source checkout")
def test_every_map_field_is_documented() -> None:
    from jornada.model import JourneyMap, Touchpoint

    text = (DOCS / "map-format.md").read_text(encoding="utf-8")
    for field in [*JourneyMap.model_fields, *Touchpoint.model_fields]:
        assert f"`{field}`" in text, f"docs/map-format.md does not mention `{field}`"
