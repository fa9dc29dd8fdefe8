"""Buying groups: who takes part in a journey, and whether a fuller group wins more often.

A contact takes part when one of their events (in the filtered scope) comes before the
journey's win (any time for lost and open journeys): what the group did after signing
says nothing about why it bought. *Required* roles are the map's ``required`` roles, or
every role seen in the contacts when the map names none. Role coverage is the share of the
required roles a journey engaged.

Win rates compare closed journeys (won vs lost). Every test is stratified by segment
(a Mantel-Haenszel trend test), because segments differ both in win rate and in how many
people they bring, and a plain comparison would mistake one for the other.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa

from jornada.engine.options import CaseKey
from jornada.i18n import t
from jornada.insights.cache import CONTACT_ROLES, STEPS, journey_scan
from jornada.insights.context import Context, Finding, Result, finding

TREND_Z = 3.0
"""A coverage effect is reported when the stratified trend test reaches this z (one-sided
p ≈ 0.0013)."""
TYPICAL_SHARE = 0.5
"""A role is *typical* when it takes part in at least this share of closed journeys."""
MIN_DIFFERENCE = 0.10
"""...and when fuller coverage wins at least this many points more often."""
MIN_CLOSED = 40
"""Closed journeys needed before any buying-group finding."""
MIN_BUCKET = 15
"""Closed journeys a coverage level needs to serve as the low or high end of a comparison."""

_PEOPLE = "_journey_bg_people"
_CASES = "_journey_bg_cases"

# The required roles: the map's, or every role the contacts carry when the map has none.
_REQUIRED = """(
    SELECT role FROM map_roles WHERE required
    UNION ALL
    SELECT DISTINCT role FROM contacts
    WHERE role IS NOT NULL AND NOT EXISTS (SELECT 1 FROM map_roles WHERE required)
)"""

COVERAGE_SCHEMA = pa.schema(
    [("required_engaged", pa.int64()), ("required_roles", pa.int64()),
     ("coverage", pa.float64()), ("cases", pa.int64()), ("won", pa.int64()),
     ("lost", pa.int64()), ("open", pa.int64()), ("win_rate", pa.float64()),
     ("required_from", pa.string())]
)  # fmt: skip
ROLES_SCHEMA = pa.schema(
    [("role", pa.string()), ("required", pa.bool_()), ("typical", pa.bool_()),
     ("cases_engaging", pa.int64()), ("share_of_cases", pa.float64()),
     ("share_of_won", pa.float64()), ("share_of_lost", pa.float64()),
     ("win_rate_with", pa.float64()), ("win_rate_without", pa.float64())]
)  # fmt: skip


def analyse(ctx: Context) -> Result:
    required = [str(r[0]) for r in ctx.con.execute(f"SELECT role FROM {_REQUIRED}").fetchall()]
    source = "map" if ctx.con.execute(
        "SELECT count(*) FROM map_roles WHERE required"
    ).fetchall()[0][0] else "all_roles_seen"  # fmt: skip
    known = {str(r[0]) for r in ctx.con.execute("SELECT role FROM map_roles").fetchall()}
    people = journey_scan(ctx, _PEOPLE, _people_sql)
    per_role = ctx.con.execute(_roles_sql(people)).fetchall()
    won, lost, cases = (int(v or 0) for v in ctx.con.execute(_totals_sql(people)).fetchall()[0])
    roles = _role_rows(per_role, (won, lost, cases), set(required), known)
    extra_roles = [r for r in roles if r["typical"] and not r["required"]]
    ctx.con.execute(_cases_sql(people, required, [r["role"] for r in extra_roles]))
    try:
        summary = ctx.table(_summary_sql(len(required)))
        levels = ctx.con.execute(_levels_sql()).fetchall()
    finally:
        ctx.con.execute(f"DROP TABLE IF EXISTS {_CASES}")
    coverage = _coverage_rows(levels, len(required), source)
    result = Result(tables={
        "buying_group": summary,
        "role_coverage": pa.Table.from_pylist(coverage, schema=COVERAGE_SCHEMA),
        "roles_engaged": pa.Table.from_pylist(roles, schema=ROLES_SCHEMA),
    })  # fmt: skip
    if ctx.options.case is CaseKey.contact:
        return result  # one person per journey: there is no group to judge
    closed = [(st, req, extra, won + lost, won) for st, req, extra, won, lost, _ in levels]
    extra_rows = [
        (f"{st}/{req}", extra / len(extra_roles) if extra_roles else 0.0, n, w)
        for st, req, extra, n, w in closed
    ]
    result.findings = [
        *_coverage_finding(ctx, levels, roles, required, [r["role"] for r in extra_roles]),
        *_extra_roles_finding(ctx, summary, extra_roles, extra_rows, required, source),
    ]
    return result


def _people_sql(where: str) -> str:
    """Per journey and role: contacts engaged before the win (role NULL: contacts without
    a role, or no contact at all, so that every journey has a row)."""
    # min over epoch microseconds: several times cheaper than over TIMESTAMPTZ.
    return f"""
SELECT f.case_id, k.role, count(f.contact_code) AS contacts
FROM (
    SELECT case_id, contact_code, min(epoch_us(ts)) AS first_us
    FROM {STEPS} s WHERE {where}
    GROUP BY case_id, contact_code
) f
JOIN cases c ON c.case_id = f.case_id
LEFT JOIN {CONTACT_ROLES} k ON k.code = f.contact_code
WHERE f.contact_code IS NULL OR c.won_at IS NULL OR f.first_us <= epoch_us(c.won_at)
GROUP BY f.case_id, k.role
"""


def _roles_sql(people: str) -> str:
    """Journeys engaging each role, by outcome."""
    return f"""
SELECT role, count(*) FILTER (WHERE _outcome = 'won'), count(*) FILTER (WHERE _outcome = 'lost'),
       count(*)
FROM {people} WHERE role IS NOT NULL GROUP BY role
"""


def _totals_sql(people: str) -> str:
    return f"""
SELECT count(DISTINCT case_id) FILTER (WHERE _outcome = 'won'),
       count(DISTINCT case_id) FILTER (WHERE _outcome = 'lost'), count(DISTINCT case_id)
FROM {people}
"""


def _in(values: list[str]) -> str:
    if not values:
        return "FALSE"
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"role IN ({quoted})"


def _cases_sql(people: str, required: list[str], extra: list[str]) -> str:
    """One row per journey: contacts and roles engaged, required and extra roles covered."""
    return f"""
CREATE OR REPLACE TEMP TABLE {_CASES} AS
SELECT case_id, any_value(_outcome)::VARCHAR AS outcome,
       coalesce(any_value(_segment)::VARCHAR, '') AS stratum,
       sum(contacts) AS contacts, count(role) AS roles,
       count(*) FILTER (WHERE {_in(required)}) AS required_engaged,
       count(*) FILTER (WHERE {_in(extra)}) AS extra_engaged
FROM {people}
GROUP BY case_id
"""


def _summary_sql(required: int) -> str:
    return f"""
SELECT outcome, count(*) AS cases,
       median(contacts) AS median_contacts, avg(contacts) AS mean_contacts,
       median(roles) AS median_roles, avg(roles) AS mean_roles,
       median(required_engaged / nullif({required}, 0)) AS median_required_coverage,
       avg(required_engaged / nullif({required}, 0)) AS mean_required_coverage
FROM {_CASES}
GROUP BY outcome
ORDER BY CASE outcome WHEN 'won' THEN 0 WHEN 'lost' THEN 1 ELSE 2 END
"""


def _levels_sql() -> str:
    """Journeys by segment, required roles engaged and typical extra roles engaged."""
    return f"""
SELECT stratum, required_engaged, extra_engaged,
       count(*) FILTER (WHERE outcome = 'won'), count(*) FILTER (WHERE outcome = 'lost'),
       count(*) FILTER (WHERE outcome NOT IN ('won', 'lost'))
FROM {_CASES} GROUP BY ALL
"""


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _coverage_rows(
    levels: list[tuple[Any, ...]], required: int, source: str
) -> list[dict[str, Any]]:
    """Win rate per number of required roles engaged (segments added up)."""
    counts = np.zeros((required + 1, 3), dtype=np.int64)
    for _, engaged, _, won, lost, other in levels:
        counts[int(engaged)] += (won, lost, other)
    return [
        {"required_engaged": k, "required_roles": required,
         "coverage": k / required if required else None, "cases": int(row.sum()),
         "won": int(row[0]), "lost": int(row[1]), "open": int(row[2]),
         "win_rate": _rate(int(row[0]), int(row[0] + row[1])), "required_from": source}
        for k, row in enumerate(counts)
    ]  # fmt: skip


def _role_rows(
    per_role: list[tuple[Any, ...]],
    totals: tuple[int, int, int],
    required: set[str],
    known: set[str],
) -> list[dict[str, Any]]:
    won, lost, cases = totals
    engaged = {str(r[0]): (int(r[1]), int(r[2]), int(r[3])) for r in per_role}
    rows = []
    for role in sorted(known | set(engaged)):
        w, lo, n = engaged.get(role, (0, 0, 0))
        rows.append({
            "role": role, "required": role in required,
            "typical": bool(won + lost) and w + lo >= TYPICAL_SHARE * (won + lost),
            "cases_engaging": n, "share_of_cases": _rate(n, cases),
            "share_of_won": _rate(w, won), "share_of_lost": _rate(lo, lost),
            "win_rate_with": _rate(w, w + lo),
            "win_rate_without": _rate(won - w, won + lost - w - lo),
        })  # fmt: skip
    return sorted(rows, key=lambda r: (not r["required"], -(r["share_of_cases"] or 0), r["role"]))


def trend_z(rows: list[tuple[Any, ...]]) -> float | None:
    """Stratified trend test of a win rate on a score (Mantel's extension of
    Mantel-Haenszel): ``rows`` are (stratum, score, journeys, won). Returns z, positive
    when the win rate rises with the score, None when no stratum has any variation."""
    if not rows:
        return None
    stratum = np.array([str(r[0]) for r in rows])
    x = np.array([float(r[1]) for r in rows])
    n = np.array([float(r[2]) for r in rows])
    w = np.array([float(r[3]) for r in rows])
    statistic = variance = 0.0
    for h in np.unique(stratum):
        m = stratum == h
        total, wins = n[m].sum(), w[m].sum()
        if total < 2:
            continue
        p = wins / total
        mean = (n[m] * x[m]).sum() / total
        statistic += float((x[m] * (w[m] - n[m] * p)).sum())
        spread = float((n[m] * (x[m] - mean) ** 2).sum())
        variance += p * (1 - p) * spread * total / (total - 1)
    if variance <= 0:
        return None
    return statistic / math.sqrt(variance)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _coverage_finding(
    ctx: Context,
    levels: list[tuple[Any, ...]],
    roles: list[dict[str, Any]],
    required: list[str],
    extra: list[str],
) -> list[Finding]:
    """Win rate rising with coverage of the required roles; when the map's required roles
    alone show no clear effect, of the typical group (required plus typical roles)."""
    z_required: float | None = None
    for label, group in (("required", required), ("typical", required + extra)):
        if not group or (label == "typical" and not extra):
            continue
        wide = label == "typical"
        per_level: dict[float, list[int]] = {}
        strata = []
        for stratum, req, more, won, lost, _ in levels:
            x = (req + (more if wide else 0)) / len(group)
            strata.append((stratum, x, won + lost, won))
            level = per_level.setdefault(x, [0, 0])
            level[0] += int(won)
            level[1] += int(lost)
        z = trend_z(strata)
        if label == "required":
            z_required = z
        closed = sum(w + lo for w, lo in per_level.values())
        usable = sorted(
            (x, w / (w + lo), w + lo) for x, (w, lo) in per_level.items() if w + lo >= MIN_BUCKET
        )
        if z is None or z < TREND_Z or len(usable) < 2 or closed < MIN_CLOSED:
            continue
        difference = usable[-1][1] - usable[0][1]
        if difference < MIN_DIFFERENCE:
            continue
        below_full = sum(w + lo for x, (w, lo) in per_level.items() if x < 1)
        return [
            _coverage(ctx, group, label, usable, closed, below_full, z, z_required,
                      _most_missing(roles, set(group)))
        ]  # fmt: skip
    return []


def _coverage(
    ctx: Context,
    group: list[str],
    label: str,
    usable: list[tuple[float, float, int]],
    closed: int,
    below_full: int,
    z: float,
    z_required: float | None,
    missing: dict[str, Any] | None,
) -> Finding:
    (low_x, low, _), (high_x, high, _) = usable[0], usable[-1]
    share = below_full / closed
    evidence: dict[str, Any] = {
        "roles": group,
        "role_set": label,
        "closed_journeys": closed,
        "win_rate_by_coverage": {f"{x:.2f}": round(rate, 4) for x, rate, _ in usable},
        "journeys_by_coverage": {f"{x:.2f}": n for x, _, n in usable},
        "low_coverage": round(low_x, 4),
        "high_coverage": round(high_x, 4),
        "difference": round(high - low, 4),
        "trend_z": round(z, 2),
        "trend_z_required_roles": _round(z_required),
        "share_below_full_coverage": round(share, 4),
    }
    if missing is not None:
        evidence["most_missing_in_lost"] = missing
    action = t(
        f"journey.buying_group.coverage.{label}.action", ctx.lang,
        low=f"{low:.0%}", high=f"{high:.0%}",
        low_coverage=f"{low_x:.0%}", high_coverage=f"{high_x:.0%}",
    )  # fmt: skip
    if missing is not None:
        action += " " + t(
            "journey.buying_group.missing.action", ctx.lang, role=missing["role"],
            lost=f"{missing['missing_in_lost']:.0%}", won=f"{missing['missing_in_won']:.0%}",
        )  # fmt: skip
    score = min(1.0, share * min(1.0, (high - low) / 0.3) + 0.1)
    subject = t("journey.buying_group.coverage.subject", ctx.lang)
    role = None if missing is None else missing["role"]
    return finding("buying_group", subject, score, evidence, action, role=role)


def _most_missing(roles: list[dict[str, Any]], group: set[str]) -> dict[str, Any] | None:
    """The role of the group whose absence most separates lost from won journeys."""
    best: dict[str, Any] | None = None
    for r in roles:
        if r["role"] not in group or r["share_of_lost"] is None or r["share_of_won"] is None:
            continue
        gap = r["share_of_won"] - r["share_of_lost"]
        if gap > 0 and (best is None or gap > best["gap"]):
            best = {
                "role": r["role"],
                "missing_in_lost": round(1 - r["share_of_lost"], 4),
                "missing_in_won": round(1 - r["share_of_won"], 4),
                "gap": round(gap, 4),
            }
    return best


def _extra_roles_finding(
    ctx: Context,
    summary: pa.Table,
    extra: list[dict[str, Any]],
    extra_rows: list[tuple[Any, ...]],
    required: list[str],
    source: str,
) -> list[Finding]:
    """Typical roles the map does not require, when engaging them wins more deals even
    among journeys with the same coverage of the map's required roles."""
    if source != "map" or not extra:
        return []
    z = trend_z(extra_rows)
    levels: dict[float, list[int]] = {}
    for _, x, n, w in extra_rows:
        level = levels.setdefault(float(x), [0, 0])
        level[0] += int(n)
        level[1] += int(w)
    usable = sorted((x, w / n) for x, (n, w) in levels.items() if n >= MIN_BUCKET)
    if z is None or z < TREND_Z or len(usable) < 2:
        return []
    difference = usable[-1][1] - usable[0][1]
    if difference < MIN_DIFFERENCE:
        return []
    won = next((r for r in summary.to_pylist() if r["outcome"] == "won"), None)
    median = won["median_roles"] if won else None
    names = ", ".join(r["role"] for r in extra)
    evidence = {
        "required_in_map": required,
        "roles_not_required": [
            {"role": r["role"], "share_of_cases": round(r["share_of_cases"], 4),
             "share_of_won": _round(r["share_of_won"], 4),
             "share_of_lost": _round(r["share_of_lost"], 4)}
            for r in extra
        ],
        "median_roles_in_won": median,
        "win_rate_without_them": round(usable[0][1], 4),
        "win_rate_with_all_of_them": round(usable[-1][1], 4),
        "trend_z_beyond_required": round(z, 2),
    }  # fmt: skip
    share = min(r["share_of_cases"] for r in extra)
    action = t(
        "journey.buying_group.extra_roles.action", ctx.lang, roles=names,
        required=len(required), median="?" if median is None else f"{median:g}",
        low=f"{usable[0][1]:.0%}", high=f"{usable[-1][1]:.0%}",
    )  # fmt: skip
    subject = t("journey.buying_group.extra_roles.subject", ctx.lang, roles=names)
    return [finding("buying_group", subject, min(1.0, 0.5 * share + 0.1), evidence, action)]
