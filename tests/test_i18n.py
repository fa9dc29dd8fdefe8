"""Every catalogue exists in es, pt and en with the same keys and placeholders."""

from __future__ import annotations

import string

import pytest

from jornada.i18n import LANGS, catalogue, domains, t


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("domain", domains())
@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "en"])
def test_catalogue_is_complete(domain: str, lang: str) -> None:
    reference = catalogue("en", domain)
    translated = catalogue(lang, domain)
    assert reference, domain
    assert set(translated) == set(reference)
    for key, template in reference.items():
        assert translated[key].strip(), f"{lang}/{domain}.json: {key} is empty"
        assert _fields(translated[key]) == _fields(template), f"{lang}/{domain}.json: {key}"


def test_lookup_falls_back_to_english_then_key() -> None:
    assert t("cli.severity.warning", "es") == "advertencia"
    assert t("cli.severity.warning", "fr") == "warning"
    assert t("cli.no.such.key", "pt") == "cli.no.such.key"
