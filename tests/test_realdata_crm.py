"""The CRM pipeline sample (``../shared/realdata/crm_sales_opportunities``) through the
generic import: the funnel, win rates and rep load equal a plain pandas computation on
the same CSVs, and the sample's known flaws are loaded and findable, not dropped.

Known flaws: 1,425 deals without an account, "GTXPro" in the pipeline but "GTX Pro" in
the product list, the sector typo "technolgy", "Philipines" as an office location.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from jornada.engine import AnalysisOptions, CaseKey, discover
from jornada.ingest.batch import import_paths
from jornada.ingest.mapping import Kind
from jornada.ingest.report import ImportReport
from jornada.workspace import Workspace
from tests.utils.crm import CRM, MAPPINGS, import_crm, read_crm

pytestmark = pytest.mark.skipif(
    not CRM.is_dir(), reason=f"real data folder {CRM} is absent (a fresh clone); nothing to test"
)

Crm = tuple[Workspace, dict[str, ImportReport]]


@pytest.fixture(scope="module")
def pipeline() -> pd.DataFrame:
    return read_crm("sales_pipeline.csv")


@pytest.fixture(scope="module")
def crm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crm]:
    tmp = tmp_path_factory.mktemp("crm")
    ws = Workspace.open(":memory:")
    yield ws, import_crm(ws, tmp)
    ws.close()


def _rows(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in ws.con.execute(sql).fetchall()]


def test_every_row_loads(crm: Crm) -> None:
    _, reports = crm
    read = {name: len(read_crm(name)) for name in MAPPINGS}
    assert {n: (r.rows_read, r.rows_loaded, r.rows_rejected) for n, r in reports.items()} == {
        n: (rows, rows, 0) for n, rows in read.items()
    }


def test_funnel_equals_pandas(crm: Crm, pipeline: pd.DataFrame) -> None:
    ws, _ = crm
    stages = dict(_rows(ws, "SELECT stage, count(*) FROM opportunities GROUP BY stage"))
    assert stages == pipeline.deal_stage.value_counts().to_dict()
    outcomes = dict(_rows(ws, "SELECT outcome, count(*) FROM opportunities GROUP BY outcome"))
    won = int((pipeline.deal_stage == "Won").sum())
    lost = int((pipeline.deal_stage == "Lost").sum())
    assert outcomes == {"won": won, "lost": lost, "open": len(pipeline) - won - lost}
    (win_rate,) = ws.con.execute(
        "SELECT count(*) FILTER (WHERE outcome = 'won') "
        "/ count(*) FILTER (WHERE outcome IN ('won', 'lost')) FROM opportunities"
    ).fetchone() or (None,)
    assert win_rate == pytest.approx(won / (won + lost))
    revenue = ws.scalar("SELECT sum(amount) FROM opportunities WHERE outcome = 'won'")
    expected = pipeline[pipeline.deal_stage == "Won"].close_value.astype(float).sum()
    assert revenue == pytest.approx(expected)


def test_win_rate_and_load_per_agent_equal_pandas(crm: Crm, pipeline: pd.DataFrame) -> None:
    ws, _ = crm
    got = pd.DataFrame(
        _rows(
            ws,
            "SELECT owner_rep_id, count(*), count(*) FILTER (WHERE outcome = 'won'), "
            "count(*) FILTER (WHERE outcome = 'lost'), count(DISTINCT account_id) "
            "FROM opportunities GROUP BY owner_rep_id",
        ),
        columns=["agent", "deals", "won", "lost", "accounts"],
    ).set_index("agent")
    by_agent = pipeline.groupby("sales_agent")
    expected = pd.DataFrame(
        {
            "deals": by_agent.size(),
            "won": by_agent.deal_stage.apply(lambda s: int((s == "Won").sum())),
            "lost": by_agent.deal_stage.apply(lambda s: int((s == "Lost").sum())),
            "accounts": by_agent.account.nunique(),
        }
    )
    got, expected = got.sort_index(), expected.sort_index().rename_axis("agent")
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    rates = got.won / (got.won + got.lost)
    assert rates.to_dict() == pytest.approx(
        (expected.won / (expected.won + expected.lost)).to_dict()
    )
    # Reps without deals are there to see (rep load), not lost: 35 reps, 30 with deals.
    idle = _rows(
        ws, "SELECT rep_id FROM reps WHERE rep_id NOT IN (SELECT owner_rep_id FROM opportunities)"
    )
    teams = read_crm("sales_teams.csv")
    assert {r[0] for r in idle} == set(teams.sales_agent) - set(pipeline.sales_agent)


def test_deals_without_an_account_are_loaded_and_counted(crm: Crm, pipeline: pd.DataFrame) -> None:
    ws, _ = crm
    missing = dict(
        _rows(ws, "SELECT stage, count(*) FROM opportunities WHERE account_id IS NULL GROUP BY 1")
    )
    expected = pipeline[pipeline.account.isna()].deal_stage.value_counts().to_dict()
    assert missing == expected
    assert sum(missing.values()) == 1425
    dangling = ws.scalar(
        "SELECT count(*) FROM opportunities o WHERE account_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account_id = o.account_id)"
    )
    assert dangling == 0
    owners = ws.scalar(
        "SELECT count(*) FROM opportunities WHERE owner_rep_id NOT IN (SELECT rep_id FROM reps)"
    )
    assert owners == 0


def test_product_and_sector_flaws_are_detectable(crm: Crm, pipeline: pd.DataFrame) -> None:
    ws, _ = crm
    con = ws.con
    con.execute(
        "CREATE OR REPLACE TEMP TABLE products AS SELECT * FROM read_csv(?, all_varchar = true)",
        [str(CRM / "products.csv")],
    )
    unmatched = _rows(
        ws,
        "SELECT o.product, count(*) FROM opportunities o "
        "LEFT JOIN products p ON p.product = o.product WHERE p.product IS NULL GROUP BY 1",
    )
    assert unmatched == [("GTXPro", int((pipeline["product"] == "GTXPro").sum()))]
    # Ignoring spaces and case, the orphan matches the listed product.
    near = _rows(
        ws,
        "SELECT DISTINCT o.product, p.product FROM opportunities o JOIN products p "
        "ON lower(replace(p.product, ' ', '')) = lower(replace(o.product, ' ', '')) "
        "WHERE p.product <> o.product",
    )
    assert near == [("GTXPro", "GTX Pro")]
    sectors = dict(_rows(ws, "SELECT industry, count(*) FROM accounts GROUP BY 1"))
    assert sectors == read_crm("accounts.csv").sector.value_counts().to_dict()
    assert sectors["technolgy"] == 12
    assert "Philipines" in {r[0] for r in _rows(ws, "SELECT DISTINCT country FROM accounts")}


def test_pipeline_as_events_gives_the_pandas_funnel(
    crm: Crm,
    pipeline: pd.DataFrame,
    tmp_path: Path,
) -> None:
    """One event per deal and date (engaged, closed), analysed with case = opportunity."""
    ws, _ = crm
    engaged = pipeline[pipeline.engage_date.notna()].assign(
        timestamp=lambda d: d.engage_date, activity="Engaged", stage="Engaging", step=1
    )
    closed = pipeline[pipeline.close_date.notna()].assign(
        timestamp=lambda d: d.close_date,
        activity=lambda d: "Closed " + d.deal_stage.str.lower(),
        stage=lambda d: d.deal_stage,
        step=2,
    )
    events = (
        pd.concat([engaged, closed])
        .sort_values(["opportunity_id", "step"])
        .rename(columns={"account": "account_id"})
    )
    path = tmp_path / "deal_events.csv"
    events[["timestamp", "opportunity_id", "account_id", "activity", "stage"]].to_csv(
        path, index=False
    )
    (report,) = import_paths(ws, [path], kind=Kind.events, rejected_dir=tmp_path)
    assert report.rows_loaded == report.rows_read == len(events)
    assert report.rows_rejected == 0
    ws.set_stages((stage, "pre_purchase") for stage in ("Engaging", "Won", "Lost"))
    analysis = discover(ws.con, AnalysisOptions(case=CaseKey.opportunity))
    summary = analysis.summary
    stage_counts = pipeline.deal_stage.value_counts()
    assert summary["cases"] == int(pipeline.engage_date.notna().sum())
    assert (summary["won"], summary["lost"], summary["open"]) == (
        stage_counts["Won"],
        stage_counts["Lost"],
        stage_counts["Engaging"],
    )
    assert summary["win_rate"] == pytest.approx(
        stage_counts["Won"] / (stage_counts["Won"] + stage_counts["Lost"])
    )
    funnel = {row["stage"]: row for row in analysis.tables["funnel"].to_pylist()}
    assert funnel["Engaging"]["cases_reached"] == int(pipeline.engage_date.notna().sum())
    assert funnel["Won"]["cases_reached"] == funnel["Won"]["won"] == stage_counts["Won"]
    assert funnel["Lost"]["cases_reached"] == funnel["Lost"]["lost"] == stage_counts["Lost"]
    assert (funnel["Engaging"]["won"], funnel["Engaging"]["lost"]) == (
        stage_counts["Won"],
        stage_counts["Lost"],
    )
    assert summary["backward_changes"] == 0
