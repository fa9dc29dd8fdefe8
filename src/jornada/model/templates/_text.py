"""Texts written once in the three languages, side by side."""

from __future__ import annotations

from typing import NamedTuple

from jornada.model.elements import Lang


class T(NamedTuple):
    """One text in Spanish, Portuguese and English, always in that order."""

    es: str
    pt: str
    en: str

    def pick(self, lang: Lang) -> str:
        """The text in ``lang``."""
        return {Lang.es: self.es, Lang.pt: self.pt, Lang.en: self.en}[lang]

    def labels(self, lang: Lang) -> dict[Lang, str]:
        """The text in the two languages other than ``lang``, for an element's ``labels``."""
        return {other: self.pick(other) for other in Lang if other is not lang}


MANAGEMENT = T("Gerencia", "Gerência", "Management")

PERCENT = T("%", "%", "%")
DAYS = T("días", "dias", "days")
HOURS = T("horas", "horas", "hours")
POINTS = T("puntos (-100 a 100)", "pontos (-100 a 100)", "points (-100 to 100)")
SCORE_5 = T("puntaje (1 a 5)", "nota (1 a 5)", "score (1 to 5)")
SCORE_7 = T(
    "puntaje (1 a 7, 7 = muy fácil)",
    "nota (1 a 7, 7 = muito fácil)",
    "score (1 to 7, 7 = very easy)",
)
COUNT = T("cantidad por trimestre", "quantidade por trimestre", "count per quarter")
