"""The planted truths as they came out in the written tables (measured with DuckDB SQL)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

import duckdb

from jornada.demo import world
from jornada.demo.config import WorldConfig
from jornada.demo.tables import TABLES

DUNBAR = 153
Z95 = 1.959964


def _connect(folder: Path, spill: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        config={"threads": 2, "memory_limit": "500MB", "temp_directory": str(spill)}
    )
    for name in TABLES:
        path = str(folder / f"{name}.parquet").replace("'", "''")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    stages = ", ".join(f"('{s}', {i})" for i, s in enumerate(world.STAGE_IDS))
    con.execute(f"CREATE TABLE stage_order AS SELECT * FROM (VALUES {stages}) t(stage, pos)")
    required = ", ".join(f"('{r}')" for r in world.REQUIRED_ROLE_IDS)
    con.execute(f"CREATE TABLE required_roles AS SELECT * FROM (VALUES {required}) t(role)")
    con.execute(
        """CREATE TABLE closed_new_business AS
           SELECT account_id, outcome = 'won' AS won, owner_rep_id FROM opportunities
           WHERE type = 'new_business' AND outcome <> 'open'"""
    )
    return con


def _one(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> tuple[Any, ...]:
    row = con.execute(sql, list(params) if params else None).fetchone()
    assert row is not None
    return tuple(row)


def _rate(numerator: float | None, denominator: float | None) -> float | None:
    if not denominator:
        return None
    return round(float(numerator or 0) / float(denominator), 4)


def _diff_ci(p1: float | None, n1: int, p0: float | None, n0: int) -> list[float] | None:
    if p1 is None or p0 is None or n1 == 0 or n0 == 0:
        return None
    se = math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
    d = p1 - p0
    return [round(d - Z95 * se, 4), round(d + Z95 * se, 4)]


def realised_truths(folder: Path, config: WorldConfig, seed: int) -> dict[str, Any]:
    """Measure every planted truth in the tables written to ``folder``."""
    spill = folder / ".spill"
    con = _connect(folder, spill)
    try:
        counts = {name: int(_one(con, f"SELECT count(*) FROM {name}")[0]) for name in TABLES}
        return {
            "seed": seed,
            "config": config.as_dict(),
            "counts": counts,
            "truths": [
                _backtracking(con, config),
                _online_share(con, config),
                _win_lift(con, config),
                _friction(con, config),
                _role_coverage(con, config),
                _overloaded_rep(con, config),
                _content_gap(con, config),
                _post_purchase(con),
                _unowned_accounts(con, config),
                _revenue_concentration(con),
                _journey_length(con),
            ],
            "touchpoints": _touchpoint_coverage(con),
        }
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def _backtracking(con: duckdb.DuckDBPyConnection, config: WorldConfig) -> dict[str, Any]:
    backs, changes = _one(
        con,
        """WITH seq AS (
             SELECT pos, lag(pos) OVER (PARTITION BY account_id ORDER BY timestamp, event_id)
                    AS prev
             FROM events JOIN stage_order USING (stage))
           SELECT count(*) FILTER (WHERE pos < prev), count(*) FILTER (WHERE pos <> prev)
           FROM seq WHERE prev IS NOT NULL""",
    )
    return {
        "id": "backtracking",
        "planted": True,
        "description": "Share of an account's stage changes (events in time order) that go "
        "back to an earlier stage.",
        "configured": config.backtracking_rate,
        "realised": {"rate": _rate(backs, changes), "backward": backs, "changes": changes},
    }


def _online_share(con: duckdb.DuckDBPyConnection, config: WorldConfig) -> dict[str, Any]:
    rows = con.execute(
        """SELECT stage, avg((channel_kind = 'online')::INT), count(*)
           FROM events JOIN stage_order USING (stage) GROUP BY stage, pos ORDER BY pos"""
    ).fetchall()
    total = _one(con, "SELECT avg((channel_kind = 'online')::INT) FROM events")[0]
    return {
        "id": "online_share",
        "planted": True,
        "description": "Share of events on online channels; pre-purchase mostly online, "
        "post-purchase mostly personal or physical.",
        "configured": config.online_share,
        "realised": {
            "share": round(float(total or 0), 4),
            "by_stage": {s: round(float(v), 4) for s, v, _ in rows},
        },
    }


def _win_lift(con: duckdb.DuckDBPyConnection, config: WorldConfig) -> dict[str, Any]:
    tp = config.lift_touchpoint
    out: dict[str, Any] = {
        "id": "win_lift",
        "planted": bool(tp) and config.lift_strength != 0,
        "description": "Closed new-business journeys that reached the touchpoint's stage win "
        "more often when the touchpoint is among their events.",
        "configured": {"touchpoint": tp, "strength_log_odds": config.lift_strength},
    }
    if not tp:
        out["realised"] = None
        return out
    stage = world.touchpoint(tp).stage
    rows = con.execute(
        """WITH reach AS (
             SELECT account_id, bool_or(touchpoint = ?) AS with_tp FROM events
             WHERE account_id IN (SELECT account_id FROM events WHERE stage = ?)
             GROUP BY account_id)
           SELECT with_tp, count(*), avg(won::INT) FROM closed_new_business
           JOIN reach USING (account_id) GROUP BY with_tp""",
        [tp, stage],
    ).fetchall()
    by = {bool(w): (int(n), float(p)) for w, n, p in rows}
    n1, p1 = by.get(True, (0, None))
    n0, p0 = by.get(False, (0, None))
    naive = con.execute(
        """WITH t AS (SELECT account_id, bool_or(touchpoint = ?) AS with_tp FROM events
                      GROUP BY account_id)
           SELECT with_tp, avg(won::INT) FROM closed_new_business JOIN t USING (account_id)
           GROUP BY with_tp""",
        [tp],
    ).fetchall()
    naive_by = {bool(w): round(float(p), 4) for w, p in naive}
    out["realised"] = {
        "population": f"closed new-business journeys that reached {stage}",
        "with": {"journeys": n1, "win_rate": None if p1 is None else round(p1, 4)},
        "without": {"journeys": n0, "win_rate": None if p0 is None else round(p0, 4)},
        "difference": None if p1 is None or p0 is None else round(p1 - p0, 4),
        "difference_ci95": _diff_ci(p1, n1, p0, n0),
        "all_closed_win_rate": {"with": naive_by.get(True), "without": naive_by.get(False)},
    }
    return out


def _friction(con: duckdb.DuckDBPyConnection, config: WorldConfig) -> dict[str, Any]:
    tp = config.friction_touchpoint
    out: dict[str, Any] = {
        "id": "friction",
        "planted": bool(tp) and config.friction_exit_share > 0,
        "description": "Lost journeys that end in the touchpoint's stage end on this touchpoint "
        "far more often than its share of that stage's other touches; it is followed by a long "
        "wait and draws worse survey scores.",
        "configured": {
            "touchpoint": tp,
            "exit_share": config.friction_exit_share,
            "dwell_days": config.friction_dwell_days,
            "score_penalty": config.friction_score_penalty,
        },
    }
    if not tp:
        out["realised"] = None
        return out
    stage = world.touchpoint(tp).stage
    lost_n, lost_last, exits, exit_all, base_n, base_tp = _one(
        con,
        """WITH per_account AS (
             SELECT e.account_id,
                    arg_max(e.touchpoint, (e.timestamp, e.event_id)) AS last_tp,
                    arg_max(e.stage, (e.timestamp, e.event_id)) AS last_stage,
                    count(*) FILTER (WHERE e.stage = $2) AS in_stage,
                    count(*) FILTER (WHERE e.stage = $2 AND e.touchpoint = $1) AS tp_in_stage
             FROM events e JOIN closed_new_business c USING (account_id) WHERE NOT c.won
             GROUP BY e.account_id)
           SELECT count(*), count(*) FILTER (WHERE last_stage = $2),
                  count(*) FILTER (WHERE last_stage = $2 AND last_tp = $1),
                  count(*) FILTER (WHERE last_tp = $1),
                  sum(in_stage - (last_stage = $2)::INT),
                  sum(tp_in_stage - (last_tp = $1)::INT)
           FROM per_account""",
        tp,
        stage,
    )
    # Waits are measured on a sample of accounts in very large worlds.
    n_events = int(_one(con, "SELECT count(*) FROM events")[0])
    modulus = max(1, math.ceil(n_events / 2_000_000))
    dwell = con.execute(
        """WITH nxt AS (
             SELECT touchpoint, stage, epoch(lead(timestamp) OVER (
                 PARTITION BY account_id ORDER BY timestamp, event_id) - timestamp) / 86400.0 AS d
             FROM events WHERE hash(account_id) % $3 = 0)
           SELECT touchpoint = $1 AS is_tp, median(d) FROM nxt
           WHERE stage = $2 AND d IS NOT NULL GROUP BY is_tp""",
        [tp, stage, modulus],
    ).fetchall()
    scores = con.execute(
        """SELECT touchpoint = ? AS is_tp, avg(score), count(*) FROM feedback
           WHERE survey = (SELECT any_value(survey) FROM feedback WHERE touchpoint = ?)
           GROUP BY is_tp""",
        [tp, tp],
    ).fetchall()
    out["realised"] = {
        "lost_journeys": lost_n,
        "lost_ending_in_stage": lost_last,
        "exit_share_in_stage": _rate(exits, lost_last),
        "share_of_other_stage_touches_in_lost": _rate(base_tp, base_n),
        "exit_share_all_lost": _rate(exit_all, lost_n),
        "median_days_to_next_event": {
            ("touchpoint" if t else "rest_of_stage"): round(float(d), 2) for t, d in dwell
        },
        "mean_score_same_survey": {
            ("touchpoint" if t else "others"): round(float(s), 3) for t, s, _ in scores
        },
    }
    return out


def _role_coverage(con: duckdb.DuckDBPyConnection, config: WorldConfig) -> dict[str, Any]:
    rows = con.execute(
        """WITH cov AS (
             SELECT e.account_id, count(DISTINCT c.role) FILTER (
                 WHERE c.role IN (SELECT role FROM required_roles)) AS k
             FROM events e JOIN contacts c USING (contact_id) GROUP BY e.account_id)
           SELECT coalesce(k, 0), count(*), avg(won::INT) FROM closed_new_business
           LEFT JOIN cov USING (account_id) GROUP BY 1 ORDER BY 1"""
    ).fetchall()
    n_req = len(world.REQUIRED_ROLE_IDS)
    return {
        "id": "role_coverage",
        "planted": config.role_coverage_strength != 0,
        "description": "Closed new-business journeys win more often the larger the share of "
        "required buying-group roles with at least one event.",
        "configured": {
            "required_roles": list(world.REQUIRED_ROLE_IDS),
            "strength_log_odds_per_unit": config.role_coverage_strength,
        },
        "realised": {
            "by_coverage": [
                {"coverage": round(k / n_req, 4), "journeys": n, "win_rate": round(float(p), 4)}
                for k, n, p in rows
            ]
        },
    }


def _overloaded_rep(con: duckdb.DuckDBPyConnection, config: WorldConfig) -> dict[str, Any]:
    region = config.overloaded_rep_region
    rep = None
    if region is not None:
        code = next(r.code for r in world.REGIONS if r.id == region)
        rep = f"REP-{code}-0001"
    loads = con.execute(
        """SELECT a.owner_rep_id, count(DISTINCT a.account_id), count(c.contact_id)
           FROM accounts a LEFT JOIN contacts c USING (account_id)
           WHERE a.owner_rep_id IS NOT NULL GROUP BY 1"""
    ).fetchall()
    mine = [row for row in loads if row[0] == rep]
    others = sorted(int(row[2]) for row in loads if row[0] != rep)
    win = con.execute(
        """SELECT owner_rep_id = ? AS is_rep, count(*), avg(won::INT) FROM closed_new_business
           WHERE owner_rep_id IS NOT NULL GROUP BY is_rep""",
        [rep],
    ).fetchall()
    win_by = {bool(k): (int(n), round(float(p), 4)) for k, n, p in win}
    median = others[len(others) // 2] if others else None
    return {
        "id": "overloaded_rep",
        "planted": rep is not None,
        "description": "One rep holds far more relationships (contacts in owned accounts) than "
        f"Dunbar's ~{DUNBAR} while every other rep stays below it, and wins less.",
        "configured": {
            "region": region,
            "load_factor": config.overloaded_load_factor,
            "relationships_per_rep": config.relationships_per_rep,
            "strength_log_odds": config.overloaded_strength,
        },
        "realised": {
            "rep_id": rep,
            "accounts": int(mine[0][1]) if mine else 0,
            "relationships": int(mine[0][2]) if mine else 0,
            "other_reps": len(others),
            "other_median_relationships": median,
            "other_max_relationships": others[-1] if others else None,
            "win_rate": win_by.get(True, (0, None))[1],
            "closed_deals": win_by.get(True, (0, None))[0],
            "others_win_rate": win_by.get(False, (0, None))[1],
            "dunbar": DUNBAR,
        },
    }


def _content_gap(con: duckdb.DuckDBPyConnection, config: WorldConfig) -> dict[str, Any]:
    cells = con.execute(
        """WITH inv AS (SELECT stage, role, count(*) AS assets FROM content GROUP BY ALL),
                use AS (SELECT c.stage, c.role, count(*) AS touches
                        FROM events e JOIN content c USING (content_id) GROUP BY ALL)
           SELECT stage, role, coalesce(assets, 0), coalesce(touches, 0)
           FROM inv FULL JOIN use USING (stage, role)"""
    ).fetchall()
    by_cell = {(s, r): (int(a), int(t)) for s, r, a, t in cells}
    content_stages = sorted({s for s, _ in by_cell}, key=world.STAGE_IDS.index)
    empty = [
        [s, r]
        for s in content_stages
        for r in world.ROLE_IDS
        if by_cell.get((s, r), (0, 0))[0] == 0
    ]
    out: dict[str, Any] = {
        "id": "content_gap",
        "planted": config.content_gap is not None,
        "description": "A stage x role cell with no content asset, hence no content touches, "
        "while the cells next to it have both.",
        "configured": list(config.content_gap) if config.content_gap else None,
        "realised": {"empty_cells_in_content_stages": empty},
    }
    if config.content_gap is not None:
        stage, role = config.content_gap
        by_contact = _one(
            con,
            """SELECT count(*) FROM events e JOIN contacts c USING (contact_id)
               WHERE e.content_id IS NOT NULL AND e.stage = ? AND c.role = ?""",
            stage,
            role,
        )[0]
        neighbours = {}
        s_i, r_i = world.STAGE_IDS.index(stage), world.ROLE_IDS.index(role)
        for s2, r2 in ((s_i - 1, r_i), (s_i + 1, r_i), (s_i, r_i - 1), (s_i, r_i + 1)):
            if 0 <= s2 < len(world.STAGE_IDS) and 0 <= r2 < len(world.ROLE_IDS):
                key = (world.STAGE_IDS[s2], world.ROLE_IDS[r2])
                a, t = by_cell.get(key, (0, 0))
                neighbours[f"{key[0]} x {key[1]}"] = {"assets": a, "touches": t}
        a, t = by_cell.get((stage, role), (0, 0))
        out["realised"].update(
            {
                "assets": a,
                "touches": t,
                "content_touches_by_role_contacts": int(by_contact),
                "neighbours": neighbours,
            }
        )
    return out


def _post_purchase(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    post = [s.id for s in world.STAGES if s.phase == "post_purchase"]
    placeholders = ", ".join("?" for _ in post)
    total, orphan = _one(
        con,
        f"""WITH won AS (SELECT account_id, closed_at FROM opportunities
                         WHERE type = 'new_business' AND outcome = 'won')
            SELECT count(*), count(*) FILTER (WHERE won.closed_at IS NULL
                                              OR e.timestamp < won.closed_at)
            FROM events e LEFT JOIN won USING (account_id)
            WHERE e.stage IN ({placeholders})""",
        *post,
    )
    deals = con.execute(
        """SELECT type, outcome, count(*) FROM opportunities
           WHERE type <> 'new_business' GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    return {
        "id": "post_purchase",
        "planted": True,
        "description": "Post-purchase events (onboarding, support, renewals, upsells, "
        "referrals) happen only after the account's new-business deal was won.",
        "configured": None,
        "realised": {
            "post_purchase_events": total,
            "without_prior_win": orphan,
            "deals": {f"{t}_{o}": n for t, o, n in deals},
        },
    }


def _unowned_accounts(con: duckdb.DuckDBPyConnection, config: WorldConfig) -> dict[str, Any]:
    share = _one(con, "SELECT avg((owner_rep_id IS NULL)::INT) FROM accounts")[0]
    return {
        "id": "unowned_accounts",
        "planted": config.unowned_account_share > 0,
        "description": "Accounts without an owner, mostly small ones.",
        "configured": config.unowned_account_share,
        "realised": round(float(share or 0), 4),
    }


def _revenue_concentration(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    share = _one(
        con,
        """WITH rev AS (SELECT account_id, sum(amount) AS r FROM opportunities
                        WHERE outcome = 'won' GROUP BY 1),
                ranked AS (SELECT r, row_number() OVER (ORDER BY r DESC) AS k,
                                  count(*) OVER () AS n FROM rev)
           SELECT sum(r) FILTER (WHERE k <= ceil(0.2 * n)) / sum(r) FROM ranked""",
    )[0]
    return {
        "id": "revenue_concentration",
        "planted": True,
        "description": "Share of won revenue from the top 20% of paying accounts (deal sizes "
        "are lognormal by segment).",
        "configured": None,
        "realised": None if share is None else round(float(share), 4),
    }


def _journey_length(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    median, p90, over_year = _one(
        con,
        """WITH j AS (
             SELECT epoch(o.closed_at - min(e.timestamp)) / 86400.0 AS days
             FROM opportunities o JOIN events e USING (account_id)
             WHERE o.type = 'new_business' AND o.outcome <> 'open' GROUP BY o.account_id,
                   o.closed_at)
           SELECT median(days), quantile_cont(days, 0.9), avg((days > 365)::INT) FROM j""",
    )
    return {
        "id": "journey_length",
        "planted": True,
        "description": "Days from an account's first event to the close of its new-business "
        "deal: months in the middle, a tail past a year.",
        "configured": None,
        "realised": {
            "median_days": None if median is None else round(float(median), 1),
            "p90_days": None if p90 is None else round(float(p90), 1),
            "share_over_365_days": None if over_year is None else round(float(over_year), 4),
        },
    }


def _touchpoint_coverage(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    seen = {row[0] for row in con.execute("SELECT DISTINCT touchpoint FROM events").fetchall()}
    return {
        "not_in_designed_map": sorted(
            t.id for t in world.TOUCHPOINTS if not t.in_designed_map and t.id in seen
        ),
        "designed_not_generated": sorted(
            t.id for t in world.TOUCHPOINTS if t.in_designed_map and t.id not in seen
        ),
    }


def planted_found(findings: list[dict[str, Any]], truth: dict[str, Any]) -> dict[str, bool]:
    """Which planted truths of ``truth`` (a ``truth.json``) the ranked ``findings`` of an
    analysis recover: the win-lifting touchpoint among the top 3 critical touchpoints, the
    friction touchpoint among the top 3 friction findings, the overloaded rep, the content
    gap and the role-coverage effect (a buying-group finding on coverage) flagged."""

    def of_kind(kind: str) -> list[dict[str, Any]]:
        return [f for f in findings if f.get("kind") == kind]

    config = truth["config"]
    truths = {t["id"]: t for t in truth["truths"]}
    rep = truths["overloaded_rep"]["realised"]["rep_id"]
    stage, role = config["content_gap"]
    coverage_keys = {"win_rate_by_coverage", "high_coverage", "journeys_by_coverage"}
    return {
        "win_lift_top3": config["lift_touchpoint"]
        in [f.get("touchpoint") for f in of_kind("critical_touchpoint")[:3]],
        "friction_top3": config["friction_touchpoint"]
        in [f.get("touchpoint") for f in of_kind("friction")[:3]],
        "rep_flagged": any(f.get("rep") == rep for f in of_kind("rep_load")),
        "content_gap_flagged": any(
            f.get("stage") == stage and f.get("role") == role for f in of_kind("content_gap")
        ),
        "role_coverage_flagged": any(
            coverage_keys & set(f.get("evidence", {})) for f in of_kind("buying_group")
        ),
    }
