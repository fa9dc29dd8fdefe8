"""The demo-world generator: sizes, schemas, integrity, and every planted truth.

Truths are checked with plain DuckDB SQL over the written Parquet files, never through the
generator's own measurements.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jornada.demo import WorldConfig, generate_world, world
from jornada.demo.verbatims import OPENERS
from jornada.errors import DemoError

N = 150_000
TABLES = ("events", "accounts", "contacts", "reps", "opportunities", "feedback", "content")
REQUIRED = world.REQUIRED_ROLE_IDS
LIFT = world.DEFAULT_LIFT_TOUCHPOINT
FRICTION = world.DEFAULT_FRICTION_TOUCHPOINT


def _connect(folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name in TABLES:
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{folder}/{name}.parquet')")
    pairs = ", ".join(f"('{s}', {i})" for i, s in enumerate(world.STAGE_IDS))
    con.execute(f"CREATE TABLE stage_order AS SELECT * FROM (VALUES {pairs}) t(stage, pos)")
    con.execute(
        """CREATE TABLE closed AS SELECT account_id, outcome = 'won' AS won, owner_rep_id
           FROM opportunities WHERE type = 'new_business' AND outcome <> 'open'"""
    )
    return con


@pytest.fixture(scope="session")
def planted_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("planted") / "world"
    generate_world(out, events=N, seed=7)
    return out


@pytest.fixture(scope="session")
def null_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("null") / "world"
    generate_world(out, events=N, seed=7, config=WorldConfig.null())
    return out


@pytest.fixture(scope="session")
def planted(planted_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = _connect(planted_dir)
    yield con
    con.close()


@pytest.fixture(scope="session")
def null(null_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = _connect(null_dir)
    yield con
    con.close()


def one(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> tuple[object, ...]:
    row = con.execute(sql, list(params)).fetchone()
    assert row is not None
    return tuple(row)


def f(value: object) -> float:
    assert isinstance(value, int | float)
    return float(value)


# --- sizes, determinism, schemas, integrity ------------------------------------------


@pytest.mark.parametrize("events", [1, 10, 1_000, 4_321])
def test_exact_event_count_and_progress(tmp_path: Path, events: int) -> None:
    seen: list[int] = []
    summary = generate_world(tmp_path / "w", events=events, seed=3, progress=seen.append)
    table = pq.read_table(tmp_path / "w" / "events.parquet")
    assert table.num_rows == events == summary.events == summary.counts["events"]
    assert table.column("event_id").to_pylist() == list(range(1, events + 1))
    assert seen and seen[-1] == events and seen == sorted(seen)
    assert summary.files == tuple(sorted(f"{t}.parquet" for t in TABLES)) + ("truth.json",)
    assert summary.elapsed_seconds >= 0


def _tables(folder: Path) -> dict[str, pa.Table]:
    return {name: pq.read_table(folder / f"{name}.parquet") for name in TABLES}


def test_same_seed_same_world_other_seed_other_world(tmp_path: Path) -> None:
    generate_world(tmp_path / "a", events=20_000, seed=11)
    generate_world(tmp_path / "b", events=20_000, seed=11)
    generate_world(tmp_path / "c", events=20_000, seed=12)
    a, b, c = _tables(tmp_path / "a"), _tables(tmp_path / "b"), _tables(tmp_path / "c")
    for name in TABLES:
        assert a[name].equals(b[name]), name
    assert not a["events"].equals(c["events"])
    assert not a["accounts"].equals(c["accounts"])
    truth_a = json.loads((tmp_path / "a" / "truth.json").read_text())
    truth_b = json.loads((tmp_path / "b" / "truth.json").read_text())
    assert truth_a == truth_b


EXPECTED_COLUMNS = {
    "events": [
        ("event_id", "int64"), ("timestamp", "timestamp[us, tz=UTC]"), ("account_id", "string"),
        ("contact_id", "string"), ("activity", "string"), ("touchpoint", "string"),
        ("stage", "string"), ("channel", "string"), ("channel_kind", "string"),
        ("business_unit", "string"), ("content_id", "string"), ("opportunity_id", "string"),
        ("source_system", "string"),
    ],
    "accounts": [
        ("account_id", "string"), ("name", "string"), ("industry", "string"),
        ("segment", "string"), ("employees", "int64"), ("region", "string"),
        ("country", "string"), ("language", "string"), ("owner_rep_id", "string"),
        ("created_at", "timestamp[us, tz=UTC]"),
    ],
    "contacts": [
        ("contact_id", "string"), ("account_id", "string"), ("first_name", "string"),
        ("last_name", "string"), ("email", "string"), ("job_title", "string"),
        ("role", "string"), ("persona", "string"), ("department", "string"),
        ("seniority", "string"), ("language", "string"),
        ("created_at", "timestamp[us, tz=UTC]"),
    ],
    "reps": [("rep_id", "string"), ("name", "string"), ("team", "string"), ("region", "string")],
    "opportunities": [
        ("opportunity_id", "string"), ("account_id", "string"), ("type", "string"),
        ("created_at", "timestamp[us, tz=UTC]"), ("closed_at", "timestamp[us, tz=UTC]"),
        ("outcome", "string"), ("amount", "double"), ("currency", "string"),
        ("owner_rep_id", "string"),
    ],
    "feedback": [
        ("feedback_id", "string"), ("timestamp", "timestamp[us, tz=UTC]"),
        ("account_id", "string"), ("contact_id", "string"), ("survey", "string"),
        ("score", "int64"), ("verbatim", "string"), ("language", "string"), ("stage", "string"),
        ("touchpoint", "string"),
    ],
    "content": [
        ("content_id", "string"), ("title", "string"), ("format", "string"), ("stage", "string"),
        ("role", "string"), ("gated", "bool"), ("language", "string"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", TABLES)
def test_schema(planted_dir: Path, name: str) -> None:
    schema = pq.read_schema(planted_dir / f"{name}.parquet")
    assert [(field.name, str(field.type)) for field in schema] == EXPECTED_COLUMNS[name]
    meta = pq.ParquetFile(planted_dir / f"{name}.parquet").metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"


def test_referential_integrity(planted: duckdb.DuckDBPyConnection) -> None:
    checks = {
        "event account": "SELECT count(*) FROM events WHERE account_id NOT IN "
        "(SELECT account_id FROM accounts)",
        "event contact": "SELECT count(*) FROM events e LEFT JOIN contacts c USING (contact_id)"
        " WHERE e.contact_id IS NOT NULL AND c.account_id IS DISTINCT FROM e.account_id",
        "event opportunity": "SELECT count(*) FROM events e LEFT JOIN opportunities o "
        "USING (opportunity_id) WHERE e.opportunity_id IS NOT NULL "
        "AND o.account_id IS DISTINCT FROM e.account_id",
        "event content": "SELECT count(*) FROM events e LEFT JOIN content c USING (content_id)"
        " WHERE e.content_id IS NOT NULL AND c.stage IS DISTINCT FROM e.stage",
        "contact account": "SELECT count(*) FROM contacts WHERE account_id NOT IN "
        "(SELECT account_id FROM accounts)",
        "opportunity account": "SELECT count(*) FROM opportunities WHERE account_id NOT IN "
        "(SELECT account_id FROM accounts)",
        "feedback contact": "SELECT count(*) FROM feedback f LEFT JOIN contacts c "
        "USING (contact_id) WHERE c.account_id IS DISTINCT FROM f.account_id",
        "account owner": "SELECT count(*) FROM accounts WHERE owner_rep_id IS NOT NULL AND "
        "owner_rep_id NOT IN (SELECT rep_id FROM reps)",
        "unknown touchpoint": "SELECT count(*) FROM events WHERE touchpoint NOT IN ("
        + ", ".join(f"'{t}'" for t in world.TOUCHPOINT_IDS)
        + ")",
    }
    for what, sql in checks.items():
        assert one(planted, sql)[0] == 0, what
    for table, key in (
        ("accounts", "account_id"),
        ("contacts", "contact_id"),
        ("opportunities", "opportunity_id"),
        ("content", "content_id"),
        ("reps", "rep_id"),
        ("feedback", "feedback_id"),
    ):
        n, distinct = one(planted, f"SELECT count(*), count(DISTINCT {key}) FROM {table}")
        assert n == distinct and f(n) > 0, table


def test_events_grouped_by_account_in_time_order(planted: duckdb.DuckDBPyConnection) -> None:
    bad_order, runs, accounts = one(
        planted,
        """WITH s AS (
             SELECT account_id, timestamp,
                    lag(account_id) OVER (ORDER BY event_id) AS prev_account,
                    lag(timestamp) OVER (ORDER BY event_id) AS prev_ts
             FROM events)
           SELECT count(*) FILTER (WHERE account_id = prev_account AND timestamp < prev_ts),
                  count(*) FILTER (WHERE prev_account IS NULL OR account_id <> prev_account),
                  count(DISTINCT account_id)
           FROM s""",
    )
    assert bad_order == 0
    assert runs == accounts


def test_events_match_the_spec(planted: duckdb.DuckDBPyConnection) -> None:
    rows = planted.execute(
        "SELECT DISTINCT touchpoint, stage, channel, channel_kind, business_unit, activity "
        "FROM events"
    ).fetchall()
    for tp_id, stage, channel, kind, bu, activity in rows:
        tp = world.touchpoint(tp_id)
        assert (stage, channel, kind, bu) == (tp.stage, tp.channel, tp.channel_kind, tp.owner_bu)
        assert activity in tp.activities
    content_tps = [t.id for t in world.TOUCHPOINTS if t.is_content]
    wrong = one(
        planted,
        "SELECT count(*) FROM events WHERE (content_id IS NULL) = list_contains(?, touchpoint)",
        content_tps,
    )[0]
    assert wrong == 0
    anonymous = f(one(planted, "SELECT avg((contact_id IS NULL)::INT) FROM events")[0])
    assert 0.02 < anonymous < 0.2
    channels = {r[0] for r in planted.execute("SELECT DISTINCT channel FROM events").fetchall()}
    assert "web" in channels and "meeting" in channels


def test_buying_groups(planted: duckdb.DuckDBPyConnection) -> None:
    low, high, median, big = one(
        planted,
        """SELECT min(n), max(n), median(n), count(*) FILTER (WHERE n > 8)
           FROM (SELECT account_id, count(*) n FROM contacts GROUP BY 1)""",
    )
    assert f(low) >= 3 and 8 < f(high) <= 15 and 3 <= f(median) <= 8 and f(big) > 0
    roles = {r[0] for r in planted.execute("SELECT DISTINCT role FROM contacts").fetchall()}
    assert roles == set(world.ROLE_IDS)


def test_journeys_are_long_and_some_still_open(planted: duckdb.DuckDBPyConnection) -> None:
    median, over_year, first, last = one(
        planted,
        """WITH j AS (SELECT o.account_id, epoch(o.closed_at - min(e.timestamp)) / 86400 AS d
                      FROM opportunities o JOIN events e USING (account_id)
                      WHERE o.type = 'new_business' AND o.outcome <> 'open'
                      GROUP BY o.account_id, o.closed_at)
           SELECT median(d), avg((d > 365)::INT), (SELECT min(timestamp) FROM events),
                  (SELECT max(timestamp) FROM events) FROM j""",
    )
    assert 60 < f(median) < 250 and f(over_year) > 0.02
    assert str(last).startswith("2026-06-30") and str(first) < "2023-09-01"
    outcomes = dict(
        planted.execute(
            "SELECT outcome, count(*) FROM opportunities WHERE type = 'new_business' GROUP BY 1"
        ).fetchall()
    )
    assert set(outcomes) == {"won", "lost", "open"}


# --- planted truths -------------------------------------------------------------------


def backtracking(con: duckdb.DuckDBPyConnection) -> float:
    back, changes = one(
        con,
        """WITH s AS (SELECT pos, lag(pos) OVER (PARTITION BY account_id
                                                 ORDER BY timestamp, event_id) AS prev
                      FROM events JOIN stage_order USING (stage))
           SELECT count(*) FILTER (WHERE pos < prev), count(*) FILTER (WHERE pos <> prev)
           FROM s""",
    )
    return f(back) / f(changes)


def test_backtracking_rate(
    planted: duckdb.DuckDBPyConnection, null: duckdb.DuckDBPyConnection
) -> None:
    rate = WorldConfig().backtracking_rate
    assert abs(backtracking(planted) - rate) <= 0.02
    assert abs(backtracking(null) - rate) <= 0.02


def test_backtracking_follows_the_knob(tmp_path: Path) -> None:
    generate_world(tmp_path / "w", events=60_000, seed=5, config=WorldConfig(backtracking_rate=0.3))
    con = _connect(tmp_path / "w")
    assert abs(backtracking(con) - 0.3) <= 0.02


def online_share(con: duckdb.DuckDBPyConnection) -> float:
    return f(one(con, "SELECT avg((channel_kind = 'online')::INT) FROM events")[0])


def test_online_share(planted: duckdb.DuckDBPyConnection, null: duckdb.DuckDBPyConnection) -> None:
    assert abs(online_share(planted) - 0.65) <= 0.03
    assert abs(online_share(null) - 0.65) <= 0.03
    pre, post = one(
        planted,
        """SELECT avg((channel_kind = 'online')::INT) FILTER (WHERE pos <= 3),
                  avg((channel_kind = 'online')::INT) FILTER (WHERE pos >= 4)
           FROM events JOIN stage_order USING (stage)""",
    )
    assert f(pre) > 0.6 and f(post) < 0.5


def test_online_share_follows_the_knob(tmp_path: Path) -> None:
    generate_world(tmp_path / "w", events=40_000, seed=5, config=WorldConfig(online_share=0.5))
    assert abs(online_share(_connect(tmp_path / "w")) - 0.5) <= 0.03


def lift(con: duckdb.DuckDBPyConnection) -> tuple[float, float]:
    """Win-rate difference with vs without the lift touchpoint, and its standard error."""
    rows = con.execute(
        """WITH r AS (SELECT account_id, bool_or(touchpoint = ?) AS has FROM events
                      WHERE account_id IN (SELECT account_id FROM events WHERE stage = ?)
                      GROUP BY 1)
           SELECT has, count(*), avg(won::INT) FROM closed JOIN r USING (account_id)
           GROUP BY has""",
        [LIFT, world.touchpoint(LIFT).stage],
    ).fetchall()
    by = {bool(h): (int(n), float(p)) for h, n, p in rows}
    (n1, p1), (n0, p0) = by[True], by[False]
    return p1 - p0, math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)


def test_win_lift_touchpoint(planted: duckdb.DuckDBPyConnection) -> None:
    diff, se = lift(planted)
    assert diff > 0.1
    assert diff - 1.96 * se > 0


def test_no_lift_in_the_null_world(null: duckdb.DuckDBPyConnection) -> None:
    diff, se = lift(null)
    assert abs(diff) < 2.58 * se and abs(diff) < 0.06


def friction(con: duckdb.DuckDBPyConnection) -> tuple[float, float]:
    """(exit share, share elsewhere) of the friction touchpoint in lost journeys."""
    stage = world.touchpoint(FRICTION).stage
    exits, elsewhere = one(
        con,
        """WITH s AS (
             SELECT e.touchpoint, e.stage,
                    row_number() OVER (PARTITION BY e.account_id
                                       ORDER BY e.timestamp DESC, e.event_id DESC) AS k
             FROM events e JOIN closed c USING (account_id) WHERE NOT c.won)
           SELECT avg((touchpoint = $tp)::INT) FILTER (WHERE k = 1 AND stage = $stage),
                  avg((touchpoint = $tp)::INT) FILTER (WHERE k > 1 AND stage = $stage)
           FROM s""".replace("$tp", "?").replace("$stage", "?"),
        FRICTION,
        stage,
        FRICTION,
        stage,
    )
    return f(exits), f(elsewhere)


def test_friction_touchpoint(planted: duckdb.DuckDBPyConnection) -> None:
    exits, elsewhere = friction(planted)
    assert exits > 3 * elsewhere and exits > 0.4
    wait_tp, wait_rest = one(
        planted,
        """WITH n AS (SELECT touchpoint, stage, epoch(lead(timestamp) OVER (
                          PARTITION BY account_id ORDER BY timestamp, event_id) - timestamp)
                          / 86400 AS d FROM events)
           SELECT median(d) FILTER (WHERE touchpoint = ?),
                  median(d) FILTER (WHERE touchpoint <> ? AND stage = 'purchase') FROM n""",
        FRICTION,
        FRICTION,
    )
    assert f(wait_tp) > 3 * f(wait_rest)
    score_tp, score_rest = one(
        planted,
        """SELECT avg(score) FILTER (WHERE touchpoint = ?), avg(score) FILTER (WHERE touchpoint
           <> ?) FROM feedback WHERE survey = 'ces'""",
        FRICTION,
        FRICTION,
    )
    assert f(score_tp) < f(score_rest) - 1


def test_no_friction_in_the_null_world(null: duckdb.DuckDBPyConnection) -> None:
    exits, elsewhere = friction(null)
    assert exits < 1.6 * elsewhere
    score_tp, score_rest = one(
        null,
        """SELECT avg(score) FILTER (WHERE touchpoint = ?), avg(score) FILTER (WHERE touchpoint
           <> ?) FROM feedback WHERE survey = 'ces'""",
        FRICTION,
        FRICTION,
    )
    assert abs(f(score_tp) - f(score_rest)) < 0.4


def win_by_coverage(con: duckdb.DuckDBPyConnection) -> list[float]:
    rows = con.execute(
        """WITH cov AS (SELECT e.account_id, count(DISTINCT c.role) FILTER (
                            WHERE list_contains(?, c.role)) AS k
                        FROM events e JOIN contacts c USING (contact_id) GROUP BY 1)
           SELECT k, avg(won::INT) FROM closed JOIN cov USING (account_id)
           GROUP BY k ORDER BY k""",
        [list(REQUIRED)],
    ).fetchall()
    assert [k for k, _ in rows] == [1, 2, 3, 4]
    return [float(p) for _, p in rows]


def test_win_rate_rises_with_role_coverage(planted: duckdb.DuckDBPyConnection) -> None:
    rates = win_by_coverage(planted)
    assert rates == sorted(rates) and rates[-1] - rates[0] > 0.2


def test_role_coverage_is_flat_in_the_null_world(null: duckdb.DuckDBPyConnection) -> None:
    rates = win_by_coverage(null)
    assert max(rates) - min(rates) < 0.12


def rep_loads(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute(
        """SELECT a.owner_rep_id, count(*) FROM accounts a JOIN contacts c USING (account_id)
           WHERE a.owner_rep_id IS NOT NULL GROUP BY 1"""
    ).fetchall()
    return {str(r): int(n) for r, n in rows}


def test_overloaded_rep(planted: duckdb.DuckDBPyConnection) -> None:
    loads = rep_loads(planted)
    top = max(loads, key=loads.__getitem__)
    others = sorted(n for r, n in loads.items() if r != top)
    assert top == "REP-BR-0001"
    assert loads[top] > 153 > others[-1]
    assert loads[top] > 2 * others[len(others) // 2]
    rates = dict(
        planted.execute(
            "SELECT owner_rep_id = ?, avg(won::INT) FROM closed WHERE owner_rep_id IS NOT NULL "
            "GROUP BY 1",
            [top],
        ).fetchall()
    )
    assert rates[True] < rates[False] - 0.1


def test_no_overloaded_rep_in_the_null_world(null: duckdb.DuckDBPyConnection) -> None:
    assert max(rep_loads(null).values()) < 153


def test_accounts_without_owner(planted: duckdb.DuckDBPyConnection) -> None:
    share = f(one(planted, "SELECT avg((owner_rep_id IS NULL)::INT) FROM accounts")[0])
    assert 0.04 < share < 0.12


def content_cells(con: duckdb.DuckDBPyConnection) -> tuple[dict[tuple[str, str], int], ...]:
    assets = con.execute("SELECT stage, role, count(*) FROM content GROUP BY ALL").fetchall()
    used = con.execute(
        """SELECT e.stage, c.role, count(*) FROM events e JOIN contacts c USING (contact_id)
           WHERE e.content_id IS NOT NULL GROUP BY ALL"""
    ).fetchall()
    return {(s, r): int(n) for s, r, n in assets}, {(s, r): int(n) for s, r, n in used}


def test_content_gap(planted: duckdb.DuckDBPyConnection) -> None:
    gap = WorldConfig().content_gap
    assert gap == ("evaluation", "operations_lead")
    assets, used = content_cells(planted)
    assert gap not in assets and gap not in used
    for cell in (("consideration", "operations_lead"), ("evaluation", "technical_evaluator")):
        assert assets[cell] > 0 and used[cell] > 0
    by_content = one(
        planted,
        "SELECT count(*) FROM events e JOIN content c USING (content_id) "
        "WHERE c.stage = 'evaluation' AND c.role = 'operations_lead'",
    )[0]
    assert by_content == 0
    tofu, bofu = one(
        planted,
        "SELECT count(*) FILTER (WHERE stage IN ('awareness', 'consideration')), "
        "count(*) FILTER (WHERE stage NOT IN ('awareness', 'consideration')) FROM content",
    )
    assert f(tofu) > 2 * f(bofu)


def test_no_content_gap_in_the_null_world(null: duckdb.DuckDBPyConnection) -> None:
    assets, used = content_cells(null)
    assert assets[("evaluation", "operations_lead")] > 0
    assert used[("evaluation", "operations_lead")] > 0


def test_post_purchase_only_after_a_win(planted: duckdb.DuckDBPyConnection) -> None:
    post, orphans = one(
        planted,
        """WITH won AS (SELECT account_id, closed_at FROM opportunities
                        WHERE type = 'new_business' AND outcome = 'won')
           SELECT count(*), count(*) FILTER (WHERE won.closed_at IS NULL
                                             OR e.timestamp < won.closed_at)
           FROM events e JOIN stage_order USING (stage) LEFT JOIN won USING (account_id)
           WHERE pos >= 4""",
    )
    assert f(post) > 0.1 * N and orphans == 0
    kinds = dict(
        planted.execute(
            "SELECT type || '_' || outcome, count(*) FROM opportunities GROUP BY 1"
        ).fetchall()
    )
    assert kinds["renewal_won"] > 4 * kinds["renewal_lost"] > 0 and kinds["upsell_won"] > 0
    advocacy = one(planted, "SELECT count(*) FROM events WHERE stage = 'advocacy'")[0]
    assert f(advocacy) > 0


def test_revenue_is_concentrated(planted: duckdb.DuckDBPyConnection) -> None:
    share = one(
        planted,
        """WITH r AS (SELECT account_id, sum(amount) AS v FROM opportunities
                      WHERE outcome = 'won' GROUP BY 1),
                k AS (SELECT v, row_number() OVER (ORDER BY v DESC) AS i, count(*) OVER () AS n
                      FROM r)
           SELECT sum(v) FILTER (WHERE i <= 0.2 * n) / sum(v) FROM k""",
    )[0]
    assert 0.6 < f(share) < 0.9


def test_feedback_languages_and_verbatims(planted: duckdb.DuckDBPyConnection) -> None:
    rows = planted.execute(
        """SELECT f.language, a.language, f.verbatim, f.survey, f.score FROM feedback f
           JOIN accounts a USING (account_id)"""
    ).fetchall()
    assert {r[0] for r in rows} == {"es", "pt", "en"}
    scales = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
    texts = 0
    for lang, account_lang, verbatim, survey, score in rows:
        assert lang == account_lang
        low, high = scales[survey]
        assert low <= score <= high
        if verbatim is None:
            continue
        texts += 1
        own = [o for band in OPENERS[lang] for o in band]
        foreign = [o for other in OPENERS if other != lang for band in OPENERS[other] for o in band]
        assert any(verbatim.startswith(o) for o in own), verbatim
        assert not any(verbatim.startswith(o + " ") for o in foreign), verbatim
    assert texts > 0.7 * len(rows)
    distinct = one(planted, "SELECT count(DISTINCT verbatim) FROM feedback")[0]
    assert f(distinct) > 300


def test_verbatim_sentiment_follows_the_score(planted: duckdb.DuckDBPyConnection) -> None:
    negative = [o for lang in OPENERS for o in OPENERS[lang][0]]
    positive = [o for lang in OPENERS for o in OPENERS[lang][2]]
    rows = planted.execute(
        "SELECT verbatim, score FROM feedback WHERE survey = 'nps' AND verbatim IS NOT NULL"
    ).fetchall()
    for verbatim, score in rows:
        if score <= 6:
            assert any(verbatim.startswith(o) for o in negative), verbatim
        if score >= 9:
            assert any(verbatim.startswith(o) for o in positive), verbatim


def test_truth_json(planted_dir: Path) -> None:
    truth = json.loads((planted_dir / "truth.json").read_text(encoding="utf-8"))
    assert truth["seed"] == 7 and truth["config"]["backtracking_rate"] == 0.18
    ids = {t["id"] for t in truth["truths"]}
    assert {"backtracking", "win_lift", "friction", "role_coverage", "overloaded_rep",
            "content_gap", "online_share", "post_purchase"} <= ids  # fmt: skip
    assert truth["touchpoints"]["not_in_designed_map"] == sorted(
        t.id for t in world.TOUCHPOINTS if not t.in_designed_map
    )
    assert truth["touchpoints"]["designed_not_generated"] == [
        "aw_printed_catalogue",
        "re_loyalty_programme",
    ]
    assert truth["counts"]["events"] == N
    by_id = {t["id"]: t for t in truth["truths"]}
    assert by_id["content_gap"]["realised"]["empty_cells_in_content_stages"] == [
        ["evaluation", "operations_lead"]
    ]


def test_spec_is_consistent() -> None:
    assert world.STAGE_IDS == (
        "awareness", "consideration", "evaluation", "purchase", "onboarding", "retention",
        "advocacy",
    )  # fmt: skip
    assert [s.phase for s in world.STAGES] == ["pre_purchase"] * 4 + ["post_purchase"] * 3
    assert 30 <= len(world.TOUCHPOINTS) <= 45
    assert len(set(world.TOUCHPOINT_IDS)) == len(world.TOUCHPOINT_IDS)
    for tp in world.TOUCHPOINTS:
        assert tp.stage in world.STAGE_IDS and tp.activities
        assert tp.owner_bu in world.BUSINESS_UNIT_IDS
        assert set(tp.shared_bus) <= set(world.BUSINESS_UNIT_IDS)
        assert set(tp.audience) <= set(world.ROLE_IDS)
        assert tp.names.es and tp.names.pt and tp.names.en
    assert {p.role for p in world.PERSONAS} == set(world.ROLE_IDS)
    assert any(r.required for r in world.ROLES) and not all(r.required for r in world.ROLES)


# --- bad arguments and safe writing ---------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"events": 0}, "events must be at least 1"),
        ({"events": -5}, "events must be at least 1"),
        ({"events": "10"}, "events must be a whole number"),
        ({"seed": -1}, "seed must be a whole number"),
        ({"config": WorldConfig(lift_touchpoint="nope")}, "lift_touchpoint: unknown id 'nope'"),
        ({"config": WorldConfig(lift_touchpoint="on_training")}, "post-purchase"),
        ({"config": WorldConfig(friction_touchpoint="aw_blog")}, "first stage"),
        (
            {"config": WorldConfig(content_gap=("evaluation", "ceo"))},
            "content_gap role: unknown id 'ceo'",
        ),
        (
            {"config": WorldConfig(content_gap=("limbo", "end_user"))},
            "content_gap stage: unknown id 'limbo'",
        ),
        ({"config": WorldConfig(backtracking_rate=0.9)}, "backtracking_rate: 0.9 is out of range"),
        ({"config": WorldConfig(overloaded_rep_region="mars")}, "unknown id 'mars'"),
    ],
)
def test_bad_arguments(tmp_path: Path, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(DemoError, match=message) as info:
        generate_world(tmp_path / "w", **kwargs)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)
    assert not (tmp_path / "w").exists()


def test_out_dir_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "w").write_text("x")
    with pytest.raises(DemoError, match="is a file"):
        generate_world(tmp_path / "w", events=10)


def test_failed_run_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jornada.demo.generator as generator

    def boom(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(generator, "realised_truths", boom)
    with pytest.raises(RuntimeError):
        generate_world(tmp_path / "w", events=500)
    assert list(tmp_path.iterdir()) == []


def test_replaces_an_existing_world(tmp_path: Path) -> None:
    generate_world(tmp_path / "w", events=100, seed=1)
    (tmp_path / "w" / "stale.txt").write_text("old")
    generate_world(tmp_path / "w", events=200, seed=1)
    assert not (tmp_path / "w" / "stale.txt").exists()
    assert pq.read_metadata(tmp_path / "w" / "events.parquet").num_rows == 200
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w"]
