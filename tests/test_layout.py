"""The package's shape: imports point one way, no copyleft peer is imported."""

from __future__ import annotations

import ast
from pathlib import Path

import jornada

SRC = Path(jornada.__file__).parent
# A part may import only the parts listed for it (besides itself, errors and i18n).
ALLOWED = {
    "model": set(),
    "demo": {"model"},
    "i18n": set(),
    "workspace": set(),
    "engine": {"model", "workspace", "files"},
    "insights": {"model", "engine"},
    "render": {"model", "files"},
    "store": {"model"},
    "web": {"model", "engine", "insights", "ingest", "workspace", "render", "store", "files"},
}
COPYLEFT = {"pm4py", "ChannelAttribution", "channelattribution"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_imports_point_one_way() -> None:
    for part, allowed in ALLOWED.items():
        for path in (SRC / part).rglob("*.py"):
            for name in _imports(path):
                if not name.startswith("jornada."):
                    continue
                target = name.split(".")[1]
                assert target in allowed | {part, "errors", "i18n"}, f"{path.name} imports {name}"


def test_no_copyleft_peer_is_imported_by_the_package() -> None:
    for path in SRC.rglob("*.py"):
        roots = {name.split(".")[0] for name in _imports(path)}
        assert not roots & COPYLEFT, path
