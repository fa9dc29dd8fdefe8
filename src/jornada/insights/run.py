"""Discovery plus every insight analysis, with one ranked list of findings."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from types import ModuleType

import duckdb

from jornada.engine.analysis import Analysis, discover
from jornada.engine.options import AnalysisOptions
from jornada.engine.prepare import prepare
from jornada.insights.context import Context, Finding, Result, register_map
from jornada.model import JourneyMap

Analyse = Callable[[Context], Result]


def modules() -> Sequence[ModuleType]:
    """The insight analyses, in the order their tables are written."""
    from jornada.insights import (
        accounts,
        business_units,
        buying_groups,
        channels,
        content,
        critical,
        designed,
        emotions,
        friction,
    )

    return (critical, friction, buying_groups, channels, content, emotions, business_units,
            accounts, designed)  # fmt: skip


def run_insights(ctx: Context, analyses: Sequence[Analyse] | None = None) -> Result:
    """Every insight analysis on a prepared workspace; their tables and findings together."""
    out = Result()
    for analyse in analyses if analyses is not None else [m.analyse for m in modules()]:
        result = analyse(ctx)
        clash = out.tables.keys() & result.tables.keys()
        if clash:
            raise ValueError(f"two analyses write the table(s) {sorted(clash)}")
        out.tables.update(result.tables)
        out.findings.extend(result.findings)
    return out


def rank(findings: Sequence[Finding]) -> list[Finding]:
    """Findings by score, highest first (ties: kind, then subject), numbered from 1."""
    ordered = sorted(findings, key=lambda f: (-float(f["score"]), f["kind"], str(f["subject"])))
    return [{"rank": i, **f} for i, f in enumerate(ordered, start=1)]


def analyse(
    con: duckdb.DuckDBPyConnection,
    options: AnalysisOptions,
    journey: JourneyMap | None = None,
    *,
    discovery: Analysis | None = None,
) -> Analysis:
    """Discovery (or the given ``discovery``, e.g. from Spark) plus every insight analysis.

    ``con`` is a workspace connection; its ``steps``/``cases`` are (re)built here.
    """
    if discovery is None:
        result = discover(con, options)
    else:
        prepare(con, options)
        result = discovery
    register_map(con, journey)
    extra = run_insights(Context(con, options, journey))
    result.tables.update(extra.tables)
    found = [*result.findings, *extra.findings]
    result.findings = rank(named(found, journey, options.lang))
    return result


def named(findings: Sequence[Finding], journey: JourneyMap | None, lang: str) -> list[Finding]:
    """Findings read with the map's names (in ``lang`` when the map has a label) instead of
    ids, in their subject and action: the ids the finding itself points at (its stage,
    touchpoint, role, business unit and the ids among its evidence) and any id that cannot
    be an ordinary word (it has ``_``, ``-`` or a digit). The ``touchpoint``, ``stage`` …
    fields keep the ids."""
    if journey is None:
        return list(findings)
    names: dict[str, str] = {}
    for element in (*journey.stages, *journey.touchpoints, *journey.roles, *journey.personas,
                    *journey.business_units):  # fmt: skip
        label = next((text for code, text in element.labels.items() if code.value == lang), None)
        names[element.id] = label or element.name
    coded = {i for i in names if re.search(r"[_\-0-9]", i)}
    out = []
    for f in findings:
        keys = ("touchpoint", "stage", "to_stage", "role", "business_unit")
        own: set[str] = {str(f[key]) for key in keys if isinstance(f.get(key), str)}
        own |= {v for v in (f.get("evidence") or {}).values() if isinstance(v, str)}
        ids: list[str] = sorted((coded | own) & names.keys(), key=len, reverse=True)
        if ids:
            pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
            f = dict(f)
            for key in ("subject", "action"):
                if isinstance(f.get(key), str):
                    f[key] = pattern.sub(lambda m: names[m.group(1)], f[key])
        out.append(f)
    return out
