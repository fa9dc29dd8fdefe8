"""Starter journey maps: three stage sets, each a complete, editable B2B map.

``build_template("gartner", "es", company="Acme")`` gives a map written in Spanish with
Portuguese and English labels on every part. Ids are the same in every language, so maps
started in different languages stay comparable.

The data sits in modules that write every text once, in the three languages side by side:
``organisation`` (objectives, scope, business units, roles), ``personas_*``,
``touchpoints_pre``/``touchpoints_post`` (the touchpoint catalogue), ``pain_points``,
``plan`` (initiatives and their KPIs), ``content`` (content and message map), and one module
per stage set (``gartner``, ``lifecycle``, ``five_stage``, with ``stages_post``).
"""

from __future__ import annotations

import datetime as dt

from jornada.errors import MapError
from jornada.model.elements import Lang
from jornada.model.journey import JourneyMap
from jornada.model.templates._build import build_map
from jornada.model.templates._specs import TemplateSpec
from jornada.model.templates.five_stage import FIVE_STAGE
from jornada.model.templates.gartner import GARTNER
from jornada.model.templates.lifecycle import LIFECYCLE

_SPECS: dict[str, TemplateSpec] = {spec.name: spec for spec in (GARTNER, LIFECYCLE, FIVE_STAGE)}

TEMPLATES: tuple[str, ...] = tuple(_SPECS)
"""Template names, in the order the CLI offers them."""

LANGUAGES: tuple[str, ...] = tuple(lang.value for lang in Lang)

MAX_COMPANY_LENGTH = 200

__all__ = ["LANGUAGES", "TEMPLATES", "build_template"]


def build_template(
    name: str,
    lang: str = "en",
    *,
    company: str | None = None,
    today: dt.date | None = None,
) -> JourneyMap:
    """A complete starter map for template ``name``, written in ``lang``.

    ``company`` goes into the map's name, id and ``company`` field; ``today`` (default: the
    current date) fills ``review.created``, ``review.last_reviewed`` and the dates of the
    planned initiatives. Raises :class:`~jornada.errors.MapError` for an unknown template or
    language, or a company name that is too long.
    """
    key = str(name).strip().lower()
    if key not in _SPECS:
        raise MapError(f"unknown template '{name}': choose one of {', '.join(TEMPLATES)}")
    code = str(lang).strip().lower()
    if code not in LANGUAGES:
        raise MapError(f"unknown language '{lang}': choose one of {', '.join(LANGUAGES)}")
    company = company.strip() if company else None
    if company and len(company) > MAX_COMPANY_LENGTH:
        raise MapError(
            f"company name is {len(company)} characters long: use at most {MAX_COMPANY_LENGTH}"
        )
    return build_map(_SPECS[key], Lang(code), company or None, today or dt.date.today())
