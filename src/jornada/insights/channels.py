"""Channel mix: online, personal and physical touches per stage, against the 65/35 reference.

B2B buyers are influenced about 65% by online channels and 35% by offline ones (events,
webinars, meetings) while they buy (DOMAIN.md); after the purchase the relationship is
mostly personal (sales, service). So the reference applies to the pre-purchase stages
and to the whole journey when stages carry no phase; a post-purchase stage is only flagged
when it is mostly online, a relationship left to e-mail and portals.

Shares count touches whose channel kind is known; ``unknown`` counts the others. The mix
of won and lost journeys compares their pre-purchase touches (all touches when stages
carry no phase). Events whose stage is not in the stage list count under no stage.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from jornada.i18n import t
from jornada.insights.cache import STEPS, journey_scan
from jornada.insights.context import Context, Finding, Result, finding

REFERENCE_ONLINE = 0.65
"""The online share of influence while buying (DOMAIN.md, source [000])."""
OVERALL_DEPARTURE = 0.15
"""The pre-purchase (or whole) mix is flagged this far from the reference."""
STAGE_DEPARTURE = 0.25
"""A single pre-purchase stage is flagged this far from the reference."""
POST_PURCHASE_ONLINE = 0.65
"""A post-purchase stage is flagged above this online share."""
MIN_SHARE = 0.05
"""Rows reaching fewer journeys than this share are not flagged."""
MIN_EVENTS = 30


def analyse(ctx: Context) -> Result:
    by_position, phased = (bool(v) for v in ctx.con.execute(
        "SELECT count(*), count(*) FILTER (WHERE phase = 'pre_purchase') FROM stages"
    ).fetchall()[0])  # fmt: skip
    per_case = journey_scan(ctx, _PER_CASE, lambda where: _per_case_sql(where, by_position))
    stages = ctx.con.execute(_stages_sql(per_case)).fetchall()
    distinct = ctx.con.execute(_distinct_sql(per_case)).fetchall()
    outcome = ctx.table(_outcome_sql(per_case, phased))
    rows = _mix_rows(stages, {phase: int(n) for phase, n in distinct})
    mix = pa.Table.from_pylist(rows, schema=MIX_SCHEMA)
    return Result(
        tables={"channel_mix": mix, "channel_mix_outcome": outcome},
        findings=_findings(ctx, rows),
    )


_PER_CASE = "_journey_channel_cases"
_KINDS = ("online", "personal", "physical")
MIX_SCHEMA = pa.schema(
    [("level", pa.string()), ("stage", pa.string()), ("phase", pa.string()),
     ("position", pa.int32()), ("events", pa.int64()), ("cases", pa.int64()),
     *[(kind, pa.int64()) for kind in _KINDS], ("unknown", pa.int64()),
     *[(f"{kind}_share", pa.float64()) for kind in (*_KINDS, "offline")],
     ("reference_online_share", pa.float64()), ("difference", pa.float64())]
)  # fmt: skip


def _per_case_sql(where: str, by_position: bool) -> str:
    """The one scan of the steps: touches by kind per journey and stage (grouped by
    position when there is a stage list: integers group faster than text), then labelled
    with the stage, its phase and the journey's outcome."""
    stage = "s.stage_pos" if by_position else "s.stage"
    key = "position" if by_position else "stage"
    return f"""
SELECT st.stage AS stage, st.position, st.phase, p.*, c.outcome
FROM (
    SELECT {stage} AS stage_key, s.case_id, count(*) AS events,
           count(*) FILTER (WHERE s.channel_kind = 'online') AS online,
           count(*) FILTER (WHERE s.channel_kind = 'personal') AS personal,
           count(*) FILTER (WHERE s.channel_kind = 'physical') AS physical
    FROM {STEPS} s WHERE {where}
    GROUP BY ALL
) p
LEFT JOIN stages st ON st.{key} = p.stage_key
JOIN cases c ON c.case_id = p.case_id
"""


def _stages_sql(per_case: str) -> str:
    return f"""
SELECT stage, any_value(phase), any_value(position), sum(events), count(*), sum(online),
       sum(personal), sum(physical)
FROM {per_case} GROUP BY stage
"""


def _distinct_sql(per_case: str) -> str:
    """Journeys per phase, and in all (phase NULL)."""
    return f"""
SELECT NULL, count(DISTINCT case_id) FROM {per_case}
UNION ALL
SELECT phase, count(DISTINCT case_id) FROM {per_case} WHERE phase IS NOT NULL GROUP BY phase
"""


def _share(part: int, known: int) -> float | None:
    return part / known if known else None


def _mix_row(
    level: str, stage: str | None, phase: str | None, position: int | None,
    counts: list[int], cases: int,
) -> dict[str, Any]:  # fmt: skip
    events, online, personal, physical = counts
    known = online + personal + physical
    reference = None if phase == "post_purchase" else REFERENCE_ONLINE
    online_share = _share(online, known)
    return {
        "level": level, "stage": stage, "phase": phase, "position": position,
        "events": events, "cases": cases, "online": online, "personal": personal,
        "physical": physical, "unknown": events - known,
        "online_share": online_share, "personal_share": _share(personal, known),
        "physical_share": _share(physical, known),
        "offline_share": _share(personal + physical, known),
        "reference_online_share": reference,
        "difference": None if reference is None or online_share is None
        else online_share - reference,
    }  # fmt: skip


def _mix_rows(stages: list[tuple[Any, ...]], cases: dict[str | None, int]) -> list[dict[str, Any]]:
    """Overall, per phase and per stage rows from the per-stage sums."""
    per_stage = [
        (stage, phase, position, [int(v or 0) for v in values], int(n))
        for stage, phase, position, values, n in (
            (r[0], r[1], r[2], r[3:4] + r[5:8], r[4]) for r in stages
        )
    ]
    total = [sum(r[3][i] for r in per_stage) for i in range(4)]
    overall_cases = cases.get(None, 0)
    rows = [_mix_row("all", "all", None, None, total, overall_cases)]
    for phase in ("pre_purchase", "post_purchase"):
        part = [r for r in per_stage if r[1] == phase]
        if part:
            counts = [sum(r[3][i] for r in part) for i in range(4)]
            rows.append(_mix_row("phase", phase, phase, None, counts, cases.get(phase, 0)))
    order = sorted(per_stage, key=lambda r: (r[2] is None, r[2] or 0, r[0] or ""))
    rows += [_mix_row("stage", s, ph, pos, counts, n) for s, ph, pos, counts, n in order]
    return rows


def _outcome_sql(per_case: str, phased: bool) -> str:
    """Won vs lost journeys' mix before the purchase (pre-purchase stages; every touch
    when stages carry no phase)."""
    before = "AND phase IS DISTINCT FROM 'post_purchase'" if phased else ""
    return f"""
SELECT outcome, sum(events)::BIGINT AS events, count(DISTINCT case_id) AS cases,
       sum(online)::BIGINT AS online, sum(personal)::BIGINT AS personal,
       sum(physical)::BIGINT AS physical,
       sum(events) / count(DISTINCT case_id) AS touches_per_case,
       sum(online) / nullif(sum(online + personal + physical), 0) AS online_share,
       sum(personal) / nullif(sum(online + personal + physical), 0) AS personal_share,
       sum(physical) / nullif(sum(online + personal + physical), 0) AS physical_share
FROM {per_case}
WHERE outcome IN ('won', 'lost') {before}
GROUP BY outcome
ORDER BY outcome DESC
"""


def _findings(ctx: Context, rows: list[dict[str, Any]]) -> list[Finding]:
    total = next((r for r in rows if r["level"] == "all"), None)
    if total is None or not total["cases"]:
        return []
    cases = total["cases"]
    phases = {r["stage"]: r for r in rows if r["level"] == "phase"}
    overall = phases.get("pre_purchase") or (total if not phases else None)
    out = []
    if overall is not None:
        out += _departure(ctx, overall, cases, OVERALL_DEPARTURE, overall_row=True)
    for row in rows:
        if row["level"] != "stage":
            continue
        if row["phase"] == "post_purchase":
            out += _post_purchase_online(ctx, row, cases)
        else:
            out += _departure(ctx, row, cases, STAGE_DEPARTURE, overall_row=False)
    return out


def _known(row: dict[str, Any]) -> int:
    return int(row["online"] + row["personal"] + row["physical"])


def _evidence(row: dict[str, Any], cases: int) -> dict[str, Any]:
    return {
        "touches": _known(row),
        "online_share": round(row["online_share"], 4),
        "personal_share": round(row["personal_share"], 4),
        "physical_share": round(row["physical_share"], 4),
        "reference_online_share": row["reference_online_share"],
        "journeys": row["cases"],
        "share_of_journeys": round(row["cases"] / cases, 4),
    }


def _departure(
    ctx: Context, row: dict[str, Any], cases: int, limit: float, *, overall_row: bool
) -> list[Finding]:
    if row["difference"] is None or _known(row) < MIN_EVENTS:
        return []
    share = row["cases"] / cases
    difference = float(row["difference"])
    if abs(difference) < limit or share < MIN_SHARE:
        return []
    direction = "online" if difference > 0 else "offline"
    subject = (
        t("journey.channel_mix.subject.pre_purchase", ctx.lang)
        if overall_row and row["level"] == "phase"
        else t("journey.channel_mix.subject.all", ctx.lang)
        if overall_row
        else row["stage"]
    )
    action = t(
        f"journey.channel_mix.{direction}.action", ctx.lang, subject=subject,
        online=f"{row['online_share']:.0%}", reference=f"{REFERENCE_ONLINE:.0%}",
    )  # fmt: skip
    evidence = _evidence(row, cases) | {"difference": round(difference, 4)}
    score = share * min(1.0, abs(difference) / 0.35)
    stage = None if overall_row else row["stage"]
    return [finding("channel_mix", subject, score, evidence, action, stage=stage)]


def _post_purchase_online(ctx: Context, row: dict[str, Any], cases: int) -> list[Finding]:
    online = row["online_share"]
    share = row["cases"] / cases
    if online is None or online <= POST_PURCHASE_ONLINE or share < MIN_SHARE:
        return []
    if _known(row) < MIN_EVENTS:
        return []
    action = t(
        "journey.channel_mix.post_purchase_online.action", ctx.lang, stage=row["stage"],
        online=f"{online:.0%}",
    )  # fmt: skip
    score = share * min(1.0, (online - 0.5) / 0.35)
    return [
        finding(
            "channel_mix", row["stage"], score, _evidence(row, cases), action, stage=row["stage"]
        )
    ]
