"""Every text a user reads, in Spanish, Portuguese and English.

Catalogues are JSON files ``locales/<lang>/<domain>.json`` mapping keys to templates in
``str.format`` syntax. ``t("cli.demo.done", "es", path=...)`` looks up the key
``demo.done`` in ``locales/es/cli.json``. English is the reference catalogue: every other
language must have exactly its keys (a test checks it).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

LANGS: tuple[str, ...] = ("en", "es", "pt")
DEFAULT_LANG = "en"


@cache
def catalogue(lang: str, domain: str) -> dict[str, str]:
    """The ``domain`` catalogue in ``lang`` (an empty dict when the file does not exist)."""
    path = resources.files("jornada.i18n").joinpath("locales", lang, f"{domain}.json")
    if not path.is_file():
        return {}
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def domains() -> list[str]:
    """The catalogue domains present in the reference language."""
    base = resources.files("jornada.i18n").joinpath("locales", DEFAULT_LANG)
    return sorted(p.name.removesuffix(".json") for p in base.iterdir() if p.name.endswith(".json"))


def t(key: str, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
    """Translate ``domain.key`` into ``lang``, falling back to English, then to the key."""
    domain, _, name = key.partition(".")
    for candidate in (lang, DEFAULT_LANG):
        template = catalogue(candidate, domain).get(name)
        if template is not None:
            return template.format(**params) if params else template
    return key
