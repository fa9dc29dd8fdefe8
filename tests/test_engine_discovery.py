"""Discovery on demo worlds: planted truths recovered, tables consistent with each other and
with plain SQL on the raw files, filters and case keys behave."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from jornada.demo import WorldConfig, generate_world, world
from jornada.engine import AnalysisOptions, CaseKey, Filters, Outcome, discover
from jornada.engine.output import write_analysis
from jornada.ingest.batch import import_paths
from jornada.workspace import Workspace


def _workspace(directory: Path) -> Workspace:
    ws = Workspace.open(":memory:")
    import_paths(ws, [directory])
    ws.set_stages((s.id, s.phase) for s in world.STAGES)
    return ws


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("worlds")
    made = {}
    for name, events, seed, config in (
        ("default", 60_000, 3, None),
        ("steep", 40_000, 5, WorldConfig(backtracking_rate=0.3)),
        ("linear", 40_000, 8, WorldConfig(backtracking_rate=0.05)),
    ):
        made[name] = base / name
        generate_world(made[name], events=events, seed=seed, config=config)
    return made


@pytest.fixture(scope="module")
def default_ws(worlds: dict[str, Path]) -> Workspace:
    return _workspace(worlds["default"])


@pytest.mark.parametrize("name", ["default", "steep", "linear"])
def test_backtracking_rate_recovered_within_two_points(worlds: dict[str, Path], name: str) -> None:
    truth = json.loads((worlds[name] / "truth.json").read_text())
    planted = truth["config"]["backtracking_rate"]
    with _workspace(worlds[name]) as ws:
        summary = discover(ws.con, AnalysisOptions()).summary
    assert abs(summary["backtracking_rate"] - planted) <= 0.02
    realised = next(t for t in truth["truths"] if t["id"] == "backtracking")["realised"]
    assert summary["backward_changes"] == realised["backward"]
    assert summary["stage_changes"] == realised["changes"]


def test_summary_matches_plain_sql_on_the_files(
    worlds: dict[str, Path], default_ws: Workspace
) -> None:
    summary = discover(default_ws.con, AnalysisOptions()).summary
    files = worlds["default"]
    con = duckdb.connect()
    events, cases, online = con.execute(
        f"SELECT count(*), count(DISTINCT account_id), avg((channel_kind = 'online')::INT) "
        f"FROM read_parquet('{files}/events.parquet')"
    ).fetchone()
    won, lost = con.execute(
        f"SELECT count(DISTINCT account_id) FILTER (WHERE outcome = 'won'), "
        f"count(DISTINCT account_id) FILTER (WHERE outcome = 'lost' AND account_id NOT IN "
        f"(SELECT account_id FROM read_parquet('{files}/opportunities.parquet') "
        f"WHERE outcome = 'won' AND type = 'new_business')) "
        f"FROM read_parquet('{files}/opportunities.parquet') WHERE type = 'new_business'"
    ).fetchone()
    assert (summary["events"], summary["cases"]) == (events, cases)
    assert summary["online_share"] == pytest.approx(online)
    assert (summary["won"], summary["lost"]) == (won, lost)
    assert summary["win_rate"] == pytest.approx(won / (won + lost))


def test_tables_agree_with_each_other(default_ws: Workspace) -> None:
    analysis = discover(default_ws.con, AnalysisOptions(top_variants=None))
    t = {name: table.to_pandas() for name, table in analysis.tables.items()}
    stage_flows = t["transitions"][t["transitions"].level == "stage"]
    assert stage_flows["count"].sum() == analysis.summary["stage_changes"]
    assert stage_flows[stage_flows.backward]["count"].sum() == analysis.summary["backward_changes"]
    assert t["variants"].cases.sum() == analysis.summary["cases"]
    assert t["variants"].share.sum() == pytest.approx(1.0)
    assert t["endpoints"].starts.sum() == analysis.summary["cases"]
    funnel = t["funnel"].set_index("stage")
    assert list(funnel.index) == list(world.STAGE_IDS)
    assert (funnel.cases_reached_or_passed >= funnel.cases_reached).all()
    # Post-purchase stages are reached only by won journeys.
    post = funnel[funnel.phase == "post_purchase"]
    assert (post.lost == 0).all() and (post.won == post.cases_reached).all()
    assert set(t["stage_time"].stage) <= set(world.STAGE_IDS)


def test_filters_narrow_the_journeys(default_ws: Workspace) -> None:
    everyone = discover(default_ws.con, AnalysisOptions()).summary
    won = discover(default_ws.con, AnalysisOptions(filters=Filters(outcome=Outcome.won))).summary
    assert won["cases"] == everyone["won"] and won["lost"] == 0 and won["win_rate"] == 1.0
    smb = discover(default_ws.con, AnalysisOptions(filters=Filters(segment="smb"))).summary
    assert 0 < smb["cases"] < everyone["cases"]
    legal = discover(default_ws.con, AnalysisOptions(filters=Filters(role="legal_counsel")))
    assert 0 < legal.summary["cases"] < everyone["cases"]


@pytest.mark.parametrize("case", [CaseKey.contact, CaseKey.opportunity])
def test_other_case_keys(default_ws: Workspace, case: CaseKey) -> None:
    summary = discover(default_ws.con, AnalysisOptions(case=case)).summary
    column = case.column
    expected = default_ws.scalar(f"SELECT count(DISTINCT {column}) FROM events")
    assert summary["cases"] == expected
    assert summary["case"] == case.value


def test_conversion_activity_defines_wins(default_ws: Workspace) -> None:
    summary = discover(default_ws.con, AnalysisOptions(conversion="Contract signed")).summary
    signed = default_ws.scalar(
        "SELECT count(DISTINCT account_id) FROM events WHERE activity = 'Contract signed'"
    )
    assert summary["won"] == signed and summary["lost"] == 0
    assert summary["win_rate"] == pytest.approx(signed / summary["cases"])


def test_outputs_are_written(default_ws: Workspace, tmp_path: Path) -> None:
    analysis = discover(default_ws.con, AnalysisOptions())
    written = {p.name for p in write_analysis(analysis, tmp_path / "out")}
    assert {"transitions.csv", "transitions.parquet", "summary.json", "findings.json"} <= written
    header = (tmp_path / "out" / "transitions.csv").read_text().splitlines()[0]
    for column in ("level", "source", "target", "count", "cases", "median_seconds",
                   "p90_seconds", "backward"):  # fmt: skip
        assert f'"{column}"' in header
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    for key in ("events", "cases", "backtracking_rate", "cases_backtracking_share",
                "median_journey_days", "win_rate", "online_share"):  # fmt: skip
        assert summary[key] is not None


def test_findings_are_ranked_and_complete(default_ws: Workspace) -> None:
    analysis = discover(default_ws.con, AnalysisOptions(lang="es"))
    findings = analysis.findings
    assert findings, "a world with planted backtracking has findings"
    assert [f["score"] for f in findings] == sorted((f["score"] for f in findings), reverse=True)
    for finding in findings:
        assert {"kind", "subject", "score", "evidence", "action"} <= set(finding)
        assert finding["action"] and "{" not in finding["action"]
    kinds = {f["kind"] for f in findings}
    assert "backtracking" in kinds and "drop_off" in kinds
    assert not any(f["kind"] == "slow_stage" and f["subject"] == "retention" for f in findings)
