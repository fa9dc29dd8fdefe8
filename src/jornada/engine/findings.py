"""Ranked findings from the discovery tables: what a CX lead should look at first.

Each finding has ``kind``, ``subject`` (the stage, touchpoint or flow by name), ``score``
(0-1, comparable across kinds: the share of journeys affected, weighted by how far the
number is from normal), ``evidence`` (the numbers behind it) and ``action`` (what to do,
in the user's language). The insights layer adds more kinds on top of these.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from jornada.i18n import t

MIN_SHARE = 0.05
"""Findings touching fewer journeys than this are left out."""


def _rows(table: pa.Table | None) -> list[dict[str, Any]]:
    return [] if table is None else table.to_pylist()


def backward_flows(tables: dict[str, pa.Table], cases: int, lang: str) -> list[dict[str, Any]]:
    """Stage flows that go back, by how many journeys take them."""
    out = []
    for row in _rows(tables.get("transitions")):
        if row["level"] != "stage" or not row["backward"]:
            continue
        share = row["cases"] / cases if cases else 0.0
        if share < MIN_SHARE:
            continue
        out.append({
            "kind": "backtracking",
            "subject": f"{row['source']} → {row['target']}",
            "stage": row["source"],
            "to_stage": row["target"],
            "score": round(share, 4),
            "evidence": {"journeys": row["cases"], "share_of_journeys": round(share, 4),
                         "times": row["count"],
                         "median_days_between": _days(row["median_seconds"])},
            "action": t("findings.backtracking.action", lang, source=row["source"],
                        target=row["target"], share=f"{share:.0%}"),
        })  # fmt: skip
    return out


def drop_offs(tables: dict[str, pa.Table], cases: int, lang: str) -> list[dict[str, Any]]:
    """Pre-purchase stages where many journeys end without going further."""
    out = []
    for row in _rows(tables.get("funnel")):
        reached = row["cases_reached"]
        if not reached or row["phase"] == "post_purchase" or row["dropped_here"] == 0:
            continue
        rate = row["dropped_here"] / reached
        share = row["dropped_here"] / cases if cases else 0.0
        if share < MIN_SHARE:
            continue
        out.append({
            "kind": "drop_off",
            "subject": row["stage"],
            "stage": row["stage"],
            "score": round(share * (0.5 + rate / 2), 4),
            "evidence": {"journeys_reaching": reached, "ending_here": row["dropped_here"],
                         "drop_off_rate": round(rate, 4), "lost": row["lost"]},
            "action": t("findings.drop_off.action", lang, stage=row["stage"], rate=f"{rate:.0%}"),
        })  # fmt: skip
    return out


def slow_stages(tables: dict[str, pa.Table], cases: int, lang: str) -> list[dict[str, Any]]:
    """Stages whose typical stay is far longer than the others'."""
    eligible = _waiting_stages(tables)
    rows = [
        r
        for r in _rows(tables.get("stage_time"))
        if r["median_days"] is not None and r["stage"] in eligible
    ]
    if len(rows) < 3:
        return []
    medians = sorted(r["median_days"] for r in rows)
    typical = medians[len(medians) // 2]
    out = []
    for row in rows:
        ratio = row["median_days"] / typical if typical else 0.0
        share = row["cases"] / cases if cases else 0.0
        if ratio < 2 or share < MIN_SHARE:
            continue
        out.append({
            "kind": "slow_stage",
            "subject": row["stage"],
            "stage": row["stage"],
            "score": round(min(1.0, share * min(ratio, 5) / 5), 4),
            "evidence": {"median_days": round(row["median_days"], 1),
                         "p90_days": round(row["p90_days"], 1),
                         "typical_stage_median_days": round(typical, 1), "journeys": row["cases"]},
            "action": t("findings.slow_stage.action", lang, stage=row["stage"],
                        days=f"{row['median_days']:.0f}", ratio=f"{ratio:.1f}"),
        })  # fmt: skip
    return out


def _waiting_stages(tables: dict[str, pa.Table]) -> set[str]:
    """Stages where a long stay is a wait, not a relationship: every stage before the
    purchase and the first one after it (time to value); without phases, all but the last."""
    funnel = sorted(_rows(tables.get("funnel")), key=lambda r: r["position"])
    if not funnel:
        return {r["stage"] for r in _rows(tables.get("stage_time"))}
    if all(r["phase"] not in ("pre_purchase", "post_purchase") for r in funnel):
        return {r["stage"] for r in funnel[:-1]}
    pre = {r["stage"] for r in funnel if r["phase"] == "pre_purchase"}
    post = [r["stage"] for r in funnel if r["phase"] == "post_purchase"]
    return pre | set(post[:1])


def _days(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 86400, 1)


def discovery_findings(
    tables: dict[str, pa.Table], summary: dict[str, Any], lang: str = "en"
) -> list[dict[str, Any]]:
    """All discovery findings, highest score first."""
    cases = int(summary.get("cases") or 0)
    found = [
        *backward_flows(tables, cases, lang),
        *drop_offs(tables, cases, lang),
        *slow_stages(tables, cases, lang),
    ]
    return sorted(found, key=lambda f: (-f["score"], f["kind"], f["subject"]))
