"""Numbers, shares, durations and dates written the way each language writes them."""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

# Babel locales for our languages ("pt" is Brazilian Portuguese in CLDR).
LOCALES = {"en": "en", "es": "es", "pt": "pt"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, "en")


def _nan(value: float | int) -> bool:
    return isinstance(value, float) and math.isnan(value)


def number(value: float | int | None, lang: str, digits: int = 0) -> str:
    """``12,345`` / ``12.345`` / ``12.345``; a dash when there is no value."""
    if value is None or _nan(value):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def share(value: float | None, lang: str, digits: int = 1) -> str:
    """A share from 0 to 1 as a percentage: ``35.4%`` / ``35,4 %``."""
    if value is None or _nan(value):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value, format=pattern, locale=_locale(lang))


def points(value: float | None, lang: str, digits: int = 1) -> str:
    """A difference of two shares in percentage points, signed: ``+4.2 pp``."""
    if value is None or _nan(value):
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{number(abs(value) * 100, lang, digits)} pp"


def days(value: float | None, lang: str) -> str:
    """A duration in days with one decimal under ten days, none above."""
    if value is None or _nan(value):
        return "–"
    return number(value, lang, 1 if abs(value) < 10 else 0)


def date(value: dt.date | dt.datetime | None, lang: str, style: str = "medium") -> str:
    """A calendar date: ``Nov 23, 2026`` / ``23 nov 2026`` / ``23 de nov. de 2026``."""
    if value is None:
        return "–"
    return format_date(value, format=style, locale=_locale(lang))
