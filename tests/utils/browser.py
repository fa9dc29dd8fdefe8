"""Headless Chromium for the drawing, report and web tests (Playwright driving Debian's
``chromium``; no browser is downloaded), and the label-overlap check they share."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Where screenshots go for a reviewer to look at (kept out of git).
SCREENSHOTS = Path(
    os.environ.get("JORNADA_SCREENSHOTS", Path(__file__).parents[1] / "artifacts" / "screenshots")
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The Chromium executable: $JORNADA_CHROMIUM, else ``chromium`` on the PATH."""
    for candidate in (os.environ.get("JORNADA_CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def launch() -> Iterator[Any]:
    """A launched browser; skips the test, saying why, where none can run."""
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium; .ci/run does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        pytest.skip("playwright is not installed (pip install '.[test]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under ``tests/artifacts/screenshots/`` and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


_BOXES = """(selector) => Array.from(document.querySelectorAll(selector)).map((e) => {
  const r = e.getBoundingClientRect();
  const svg = e.closest('svg');
  return {text: e.textContent, x: r.x, y: r.y, w: r.width, h: r.height,
          svg: svg ? Array.from(document.querySelectorAll('svg')).indexOf(svg) : -1};
})"""


def text_boxes(page: Any, selector: str = "svg text.lbl") -> list[dict[str, Any]]:
    """The on-screen boxes of the texts ``selector`` matches (text, x, y, w, h, svg index)."""
    boxes: list[dict[str, Any]] = page.evaluate(_BOXES, selector)
    return boxes


def overlapping(boxes: list[dict[str, Any]], tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of labels in the same drawing whose boxes overlap by more than ``tolerance`` px."""
    pairs = []
    ordered = sorted((b for b in boxes if b["w"] > 0 and b["h"] > 0), key=lambda b: b["x"])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b["x"] >= a["x"] + a["w"] - tolerance:
                break
            if a["svg"] != b["svg"]:
                continue
            dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if dy > tolerance:
                pairs.append((a["text"], b["text"]))
    return pairs
