"""Account management on demo worlds (the overloaded rep, unowned accounts and revenue
concentration as planted and measured in truth.json), on a small CRM export with one of
each flaw, and on the CRM pipeline sample (``../shared/realdata/crm_sales_opportunities``):
win rate and load per rep equal pandas, and its flaws are reported with pandas' counts."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jornada.demo import WorldConfig, generate_world
from jornada.demo.demomap import build_demo_map
from jornada.engine.options import AnalysisOptions, CaseKey, Filters, Outcome
from jornada.engine.prepare import prepare
from jornada.ingest.batch import import_paths
from jornada.ingest.mapping import Kind
from jornada.insights import Context, Result, register_map
from jornada.insights.accounts import DUNBAR, analyse
from jornada.workspace import Workspace
from tests.utils.crm import CRM, import_crm, read_crm


def _analyse(ws: Workspace, options: AnalysisOptions | None = None, journey: Any = None) -> Result:
    options = options or AnalysisOptions()
    prepare(ws.con, options)
    register_map(ws.con, journey)
    return analyse(Context(ws.con, options, journey))


def _truth(folder: Path, name: str) -> Any:
    truth = json.loads((folder / "truth.json").read_text())
    return next(t for t in truth["truths"] if t["id"] == name)["realised"]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("accounts")
    made = {}
    for name, events, seed, config in (
        ("seed3", 60_000, 3, None),
        ("seed11", 40_000, 11, None),
        ("null", 40_000, 2, WorldConfig.null()),
    ):
        made[name] = base / name
        generate_world(made[name], events=events, seed=seed, config=config)
    return made


@pytest.fixture(scope="module")
def demo(folders: dict[str, Path]) -> Iterator[Workspace]:
    with Workspace.open(":memory:") as ws:
        import_paths(ws, [folders["seed3"]], journey=build_demo_map())
        yield ws


@pytest.mark.parametrize("name", ["seed3", "seed11"])
def test_overloaded_rep_is_flagged(folders: dict[str, Path], name: str) -> None:
    with Workspace.open(":memory:") as ws:
        import_paths(ws, [folders[name]], journey=build_demo_map())
        result = _analyse(ws, journey=build_demo_map())
    realised = _truth(folders[name], "overloaded_rep")
    loads = result.tables["rep_load"].to_pandas().set_index("rep_id")
    rep = loads.loc[realised["rep_id"]]
    assert (rep.accounts, rep.relationships) == (realised["accounts"], realised["relationships"])
    assert loads[loads.over_dunbar].index.tolist() == [realised["rep_id"]]
    assert loads.drop(realised["rep_id"]).relationships.max() == realised["other_max_relationships"]
    flagged = [f for f in result.findings if f["kind"] == "rep_load"]
    assert [f["rep"] for f in flagged] == [realised["rep_id"]]
    evidence = flagged[0]["evidence"]
    assert evidence["relationships"] > DUNBAR
    assert evidence["win_rate"] < evidence["other_reps_win_rate"]
    assert flagged[0]["score"] > 0.5


def test_unowned_accounts_and_concentration_equal_truth(
    folders: dict[str, Path], demo: Workspace
) -> None:
    result = _analyse(demo)
    coverage = result.tables["account_coverage"].to_pandas()
    total = coverage[coverage.level == "all"].iloc[0]
    assert total.without_owner_share == pytest.approx(
        _truth(folders["seed3"], "unowned_accounts"), abs=5e-5
    )
    by_segment = coverage[coverage.level == "segment"]
    assert by_segment.accounts.sum() == total.accounts
    assert by_segment.without_owner.sum() == total.without_owner
    (concentration,) = result.tables["revenue_concentration"].to_pylist()
    assert concentration["top_share"] == pytest.approx(
        _truth(folders["seed3"], "revenue_concentration"), abs=5e-5
    )
    kinds = {f["kind"]: f for f in result.findings}
    assert kinds["account_coverage"]["evidence"]["without_owner"] == total.without_owner
    assert kinds["revenue_concentration"]["evidence"]["top_share"] == pytest.approx(
        concentration["top_share"], abs=1e-4
    )


def test_rep_load_equals_pandas_on_the_files(folders: dict[str, Path], demo: Workspace) -> None:
    loads = _analyse(demo).tables["rep_load"].to_pandas().set_index("rep_id").sort_index()
    folder = folders["seed3"]
    accounts = pd.read_parquet(folder / "accounts.parquet")
    contacts = pd.read_parquet(folder / "contacts.parquet")
    deals = pd.read_parquet(folder / "opportunities.parquet")
    owned = accounts.dropna(subset=["owner_rep_id"])
    per_account = contacts.groupby("account_id").size()
    owned = owned.assign(contacts=owned.account_id.map(per_account).fillna(0))
    by_deal_owner = deals.groupby("owner_rep_id")
    expected = pd.DataFrame(
        {
            "accounts": owned.groupby("owner_rep_id").size(),
            "relationships": owned.groupby("owner_rep_id").contacts.sum(),
            "won": by_deal_owner.outcome.apply(lambda s: (s == "won").sum()),
            "lost": by_deal_owner.outcome.apply(lambda s: (s == "lost").sum()),
            "open": by_deal_owner.outcome.apply(lambda s: (s == "open").sum()),
        }
    ).fillna(0)
    expected["win_rate"] = expected.won / (expected.won + expected.lost)
    got = loads.loc[
        expected.index, ["accounts", "relationships", "won", "lost", "open", "win_rate"]
    ]
    pd.testing.assert_frame_equal(got, expected.rename_axis("rep_id"), check_dtype=False)


def test_null_world_flags_no_rep(folders: dict[str, Path]) -> None:
    with Workspace.open(":memory:") as ws:
        import_paths(ws, [folders["null"]])
        result = _analyse(ws)
    assert not result.tables["rep_load"].to_pandas().over_dunbar.any()
    assert not [f for f in result.findings if f["kind"] == "rep_load"]


def test_filters_narrow_the_book(demo: Workspace) -> None:
    everyone = _analyse(demo).tables
    smb = _analyse(demo, AnalysisOptions(filters=Filters(segment="smb"))).tables
    coverage = smb["account_coverage"].to_pandas()
    assert coverage.segment.dropna().unique().tolist() == ["smb"]
    full = everyone["account_coverage"].to_pandas().set_index("segment")
    assert coverage[coverage.level == "all"].accounts.iloc[0] == full.loc["smb", "accounts"]
    assert smb["rep_load"].to_pandas().opportunities.sum() == demo.scalar(
        "SELECT count(*) FROM opportunities o JOIN accounts a USING (account_id) "
        "WHERE a.segment = 'smb' AND o.owner_rep_id IS NOT NULL"
    )
    since = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    recent = _analyse(demo, AnalysisOptions(filters=Filters(since=since))).tables
    assert recent["rep_load"].to_pandas().opportunities.sum() == demo.scalar(
        "SELECT count(*) FROM opportunities WHERE owner_rep_id IS NOT NULL "
        "AND coalesce(closed_at, created_at) >= ?",
        [since],
    )
    # Journey filters (outcome, role) and case keys leave the book of business alone.
    for options in (
        AnalysisOptions(filters=Filters(outcome=Outcome.won, role="procurement")),
        AnalysisOptions(case=CaseKey.contact),
        AnalysisOptions(case=CaseKey.opportunity, conversion="Contract signed"),
    ):
        other = _analyse(demo, options).tables
        assert other["rep_load"].equals(everyone["rep_load"])
    _analyse(demo)


def test_actions_are_translated(demo: Workspace) -> None:
    texts = {}
    for lang in ("en", "es", "pt"):
        findings = _analyse(demo, AnalysisOptions(lang=lang)).findings
        assert findings and all("{" not in f["action"] for f in findings)
        texts[lang] = next(f["action"] for f in findings if f["kind"] == "rep_load")
    assert len(set(texts.values())) == 3
    assert all("REP-BR-0001" not in text and "305" in text for text in texts.values())


def test_empty_workspace(tmp_path: Path) -> None:
    with Workspace.open(":memory:") as ws:
        result = _analyse(ws)
    assert result.findings == []
    assert {name: table.num_rows for name, table in result.tables.items()} == {
        "rep_load": 0,
        "account_coverage": 0,
        "revenue_concentration": 1,
        "data_quality": 0,
    }
    assert result.tables["revenue_concentration"].to_pylist()[0]["paying_accounts"] == 0


FLAWED = {
    "accounts": """\
        account_id,name,industry,segment,owner_rep_id
        A1,Acme Corp,Manufacturing,smb,R1
        A2,ACME corp.,manufacturing,smb,R1
        A3,Beta SA,Mining,enterprise,
        A4,Gamma Ltda,Mining,mid_market,R9
        """,
    "reps": """\
        rep_id,name
        R1,Ana Lima
        R2,Luis Pérez
        """,
    "opportunities": """\
        opportunity_id,account_id,created_at,closed_at,outcome,amount,currency,owner_rep_id,product
        O1,A1,2024-01-01,2024-03-01,won,1000,USD,R1,GTX Pro
        O2,A1,2024-01-01,2024-03-01,won,,USD,R1,GTXPro
        O3,,2024-02-01,2024-01-01,lost,0,USD,R2,GTX Pro
        O4,A9,2024-02-01,,open,500,EUR,R7,GTX Pro
        O5,A4,2024-02-01,,won,700,USD,,MG Special
        """,
    "contacts": """\
        contact_id,account_id
        C1,A1
        C2,A8
        """,
}


def test_each_flaw_is_reported_with_its_rows(tmp_path: Path) -> None:
    with Workspace.open(":memory:") as ws:
        for name, text in FLAWED.items():
            path = tmp_path / f"{name}.csv"
            path.write_text(textwrap.dedent(text), encoding="utf-8")
            import_paths(ws, [path], kind=Kind(name), rejected_dir=tmp_path)
        result = _analyse(ws)
        # The checks are kept between runs and redone when the CRM tables change.
        assert _analyse(ws).tables["data_quality"].equals(result.tables["data_quality"])
        more = tmp_path / "more_opportunities.csv"
        more.write_text("opportunity_id,outcome\nO6,open\n", encoding="utf-8")
        import_paths(ws, [more], kind=Kind.opportunities, rejected_dir=tmp_path)
        again = {r["issue"]: r["rows"] for r in _analyse(ws).tables["data_quality"].to_pylist()}
        assert again["opportunity_without_account"] == 2
        assert again["opportunity_without_owner"] == 2
    rows = {
        (r["issue"], r["table"], r["column"]): (r["value"], r["suggestion"], r["rows"])
        for r in result.tables["data_quality"].to_pylist()
    }
    assert rows == {
        ("opportunity_without_account", "opportunities", "account_id"): (None, None, 1),
        ("unknown_account", "opportunities", "account_id"): ("A9", None, 1),
        ("unknown_account", "contacts", "account_id"): ("A8", None, 1),
        ("opportunity_without_owner", "opportunities", "owner_rep_id"): (None, None, 1),
        ("unknown_rep", "opportunities", "owner_rep_id"): ("R7", None, 1),
        ("unknown_rep", "accounts", "owner_rep_id"): ("R9", None, 1),
        ("won_without_amount", "opportunities", "amount"): (None, None, 1),
        ("closed_without_date", "opportunities", "closed_at"): (None, None, 1),
        ("closed_before_created", "opportunities", "closed_at"): ("O3", None, 1),
        ("mixed_currencies", "opportunities", "currency"): ("USD | EUR", "USD", 1),
        ("near_duplicate", "accounts", "name"): ("ACME corp. | Acme Corp", "ACME corp.", 1),
        ("near_duplicate", "accounts", "industry"): (
            "Manufacturing | manufacturing", "Manufacturing", 1,
        ),
        ("near_duplicate", "opportunities", "product"): ("GTX Pro | GTXPro", "GTX Pro", 1),
    }  # fmt: skip
    loads = result.tables["rep_load"].to_pandas().set_index("rep_id")
    assert sorted(loads.index) == ["R1", "R2", "R7", "R9"]
    assert loads.known.to_dict() == {"R1": True, "R2": True, "R7": False, "R9": False}
    assert len([f for f in result.findings if f["kind"] == "data_quality"]) == len(rows)


@pytest.fixture(scope="module")
def crm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    if not CRM.is_dir():
        pytest.skip(f"real data folder {CRM} is absent (a fresh clone); nothing to compare")
    tmp = tmp_path_factory.mktemp("crm")
    with Workspace.open(":memory:") as ws:
        import_crm(ws, tmp)
        # The product list has no canonical table; loaded as test_realdata_crm.py does.
        ws.con.execute(
            "CREATE TABLE products AS SELECT * FROM read_csv(?, all_varchar = true)",
            [str(CRM / "products.csv")],
        )
        yield ws


def test_crm_win_rate_and_load_per_rep_equal_pandas(crm: Workspace) -> None:
    loads = _analyse(crm).tables["rep_load"].to_pandas().set_index("rep_id").sort_index()
    pipeline = read_crm("sales_pipeline.csv")
    stage = pipeline.groupby("sales_agent").deal_stage
    won = stage.apply(lambda s: int((s == "Won").sum()))
    lost = stage.apply(lambda s: int((s == "Lost").sum()))
    amount = pipeline.assign(v=pipeline.close_value.astype(float))
    expected = pd.DataFrame(
        {
            "opportunities": pipeline.groupby("sales_agent").size(),
            "deal_accounts": pipeline.groupby("sales_agent").account.nunique(),
            "won": won,
            "lost": lost,
            "open": stage.apply(lambda s: int(s.isin(["Prospecting", "Engaging"]).sum())),
            "win_rate": won / (won + lost),
            "won_amount": amount[amount.deal_stage == "Won"].groupby("sales_agent").v.sum(),
        }
    )
    teams = read_crm("sales_teams.csv").set_index("sales_agent")
    expected = expected.reindex(teams.index.sort_values()).rename_axis("rep_id")
    idle = expected.opportunities.isna()
    expected = expected.fillna({c: 0 for c in expected.columns if c != "win_rate"})
    assert loads.index.tolist() == expected.index.tolist()
    pd.testing.assert_frame_equal(loads[expected.columns], expected, check_dtype=False)
    assert (loads.known).all() and not loads.over_dunbar.any()
    assert loads[idle].opportunities.eq(0).all() and idle.sum() == 5


def test_crm_flaws_are_reported_with_pandas_counts(crm: Workspace) -> None:
    result = _analyse(crm)
    issues = {(r["issue"], r["column"]): r for r in result.tables["data_quality"].to_pylist()}
    pipeline = read_crm("sales_pipeline.csv")
    products = set(read_crm("products.csv")["product"])
    assert issues[("opportunity_without_account", "account_id")]["rows"] == int(
        pipeline.account.isna().sum()
    )
    unlisted = pipeline[~pipeline["product"].isin(products)]["product"].value_counts()
    assert unlisted.to_dict() == {"GTXPro": 1480}
    product = issues[("unlisted_product", "product")]
    assert (product["value"], product["suggestion"], product["rows"]) == (
        "GTXPro",
        "GTX Pro",
        int(unlisted["GTXPro"]),
    )
    accounts = read_crm("accounts.csv")
    assert issues[("no_account_owners", "owner_rep_id")]["rows"] == len(accounts)
    # Every referenced account and rep exists: no false alarms.
    assert ("unknown_account", "account_id") not in issues
    assert ("unknown_rep", "owner_rep_id") not in issues
    reported = {f["evidence"]["issue"] for f in result.findings if f["kind"] == "data_quality"}
    assert {"opportunity_without_account", "unlisted_product"} <= reported


def test_crm_revenue_concentration_equals_pandas(crm: Workspace) -> None:
    (row,) = _analyse(crm).tables["revenue_concentration"].to_pylist()
    pipeline = read_crm("sales_pipeline.csv")
    won = pipeline[(pipeline.deal_stage == "Won") & pipeline.account.notna()]
    revenue = won.close_value.astype(float).groupby(won.account).sum()
    revenue = revenue[revenue > 0].sort_values(ascending=False)
    top = -(-len(revenue) * 2 // 10)
    assert row["paying_accounts"] == len(revenue) and row["top_accounts"] == top
    assert row["top_share"] == pytest.approx(revenue.iloc[:top].sum() / revenue.sum())
    assert row["top_10_accounts_share"] == pytest.approx(revenue.iloc[:10].sum() / revenue.sum())
    ascending = revenue.sort_values().to_numpy()
    n = len(ascending)
    gini = 2 * (pd.Series(range(1, n + 1)) * ascending).sum() / (n * ascending.sum()) - (n + 1) / n
    assert row["gini"] == pytest.approx(gini)
