"""Fixtures shared by several test files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.utils.browser import launch


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole run (skips, saying why, where none exists)."""
    yield from launch()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page at a fixed size, closed after the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
