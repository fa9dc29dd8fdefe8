"""Raw activity -> touchpoint -> stage, from the map's matching rules, as SQL.

The first touchpoint (in map order) whose rule matches an event wins. Values the data
already carries are kept: a ``touchpoint`` column in the file is trusted, and a ``stage``
column given by name or label (``"Consideración"``) becomes the stage's id.
"""

from __future__ import annotations

from jornada.model import JourneyMap, MatchRule


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def glob_to_like(pattern: str) -> str:
    """``"Meeting*demo?"`` -> ``"Meeting%demo_"``, with LIKE's own wildcards escaped."""
    out = []
    for ch in pattern:
        if ch in "%_\\":
            out.append("\\" + ch)
        elif ch == "*":
            out.append("%")
        elif ch == "?":
            out.append("_")
        else:
            out.append(ch)
    return "".join(out)


def rule_sql(rule: MatchRule, activity: str, channel: str, source_system: str) -> str | None:
    """A SQL condition for one rule, or None for a rule that says nothing."""
    parts = []
    if rule.activity is not None:
        parts.append(f"{activity} ILIKE {quote(glob_to_like(rule.activity))} ESCAPE '\\'")
    if rule.activity_regex is not None:
        parts.append(f"regexp_matches({activity}, {quote(rule.activity_regex)})")
    if rule.channel is not None:
        parts.append(f"lower({channel}) = {quote(rule.channel.lower())}")
    if rule.source_system is not None:
        parts.append(f"lower({source_system}) = {quote(rule.source_system.lower())}")
    return " AND ".join(parts) if parts else None


def touchpoint_case(
    journey: JourneyMap,
    *,
    activity: str = "activity",
    channel: str = "channel",
    source_system: str = "source_system",
) -> str:
    """``CASE WHEN <rule> THEN '<touchpoint id>' … END`` over the whole map."""
    branches = []
    for tp in journey.touchpoints:
        for rule in tp.match:
            condition = rule_sql(rule, activity, channel, source_system)
            if condition is not None:
                branches.append(f"WHEN {condition} THEN {quote(tp.id)}")
    if not branches:
        return "CAST(NULL AS VARCHAR)"
    return "CASE " + " ".join(branches) + " END"


def lookup_values(journey: JourneyMap) -> dict[str, list[tuple[str, ...]]]:
    """Rows for the lookup tables resolution joins: touchpoints and stage names."""
    touchpoints: list[tuple[str, ...]] = [
        (tp.id, tp.stage, tp.channel, tp.channel_kind.value, tp.owner_bu or "")
        for tp in journey.touchpoints
    ]
    names: dict[str, str] = {}
    for stage in journey.stages:
        for name in (stage.id, stage.name, *stage.labels.values()):
            names.setdefault(name.lower(), stage.id)
    stage_names: list[tuple[str, ...]] = list(names.items())
    return {"touchpoints": touchpoints, "stage_names": stage_names}
