"""Buying groups, channel mix, content, business units and designed vs actual on demo worlds:
planted truths found, nothing spurious on worlds without them, numbers equal to an
independent pandas computation, and every case key, filter and missing table handled."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from jornada.demo import world
from jornada.demo.config import WorldConfig
from jornada.demo.demomap import build_demo_map
from jornada.demo.generator import generate_world
from jornada.engine.options import AnalysisOptions, CaseKey, Filters, Outcome
from jornada.engine.prepare import prepare
from jornada.ingest.batch import import_paths
from jornada.insights import (
    Context,
    Result,
    business_units,
    buying_groups,
    channels,
    content,
    critical,
    designed,
    register_map,
)
from jornada.model import JourneyMap
from jornada.workspace import Workspace

MODULES = (buying_groups, channels, content, business_units, designed)
PLANTED = {"a": (60_000, 3), "b": (40_000, 5), "c": (80_000, 11)}
NULL_SEEDS = (101, 102, 103, 104)
REQUIRED_IN_MAP = {"economic_buyer", "technical_evaluator"}
NEEDED_BY_DEALS = set(world.REQUIRED_ROLE_IDS)


class Opened:
    def __init__(self, ws: Workspace, journey: JourneyMap | None) -> None:
        self.ws = ws
        self.journey = journey

    def context(self, options: AnalysisOptions | None = None, *, with_map: bool = True) -> Context:
        options = options or AnalysisOptions()
        prepare(self.ws.con, options)
        journey = self.journey if with_map else None
        register_map(self.ws.con, journey)
        return Context(self.ws.con, options, journey)


def _open(folder: Path, journey: JourneyMap | None = None) -> Opened:
    ws = Workspace.open(":memory:")
    import_paths(ws, [folder], journey=journey)
    if journey is None:
        ws.set_stages((s.id, s.phase) for s in world.STAGES)
    return Opened(ws, journey)


def _findings(result: Result, kind: str) -> list[dict[str, Any]]:
    return [f for f in result.findings if f["kind"] == kind]


def _rows(result: Result, table: str) -> list[dict[str, Any]]:
    return list(result.tables[table].to_pylist())


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("journey")
    made = {}
    for name, (events, seed) in PLANTED.items():
        made[name] = base / name
        generate_world(made[name], events=events, seed=seed)
    for seed in NULL_SEEDS:
        made[f"null{seed}"] = base / f"null{seed}"
        generate_world(made[f"null{seed}"], events=40_000, seed=seed, config=WorldConfig.null())
    made["small"] = base / "small"
    generate_world(made["small"], events=15_000, seed=1)
    return made


@pytest.fixture(scope="module")
def opened(folders: dict[str, Path]) -> Iterator[dict[str, Opened]]:
    journey = build_demo_map("en")
    out = {name: _open(folder, journey) for name, folder in folders.items()}
    yield out
    for o in out.values():
        o.ws.close()


def _truth(folders: dict[str, Path], name: str, truth_id: str) -> dict[str, Any]:
    truth = json.loads((folders[name] / "truth.json").read_text())
    return next(t for t in truth["truths"] if t["id"] == truth_id)


# Planted truths ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_role_coverage_effect_is_flagged(
    opened: dict[str, Opened], folders: dict[str, Path], name: str
) -> None:
    result = buying_groups.analyse(opened[name].context())
    coverage = [f for f in _findings(result, "buying_group") if "trend_z" in f["evidence"]]
    assert len(coverage) == 1
    evidence = coverage[0]["evidence"]
    # The map's two required roles, or the usual group when those two alone are not enough.
    assert REQUIRED_IN_MAP <= set(evidence["roles"]) <= NEEDED_BY_DEALS
    assert evidence["trend_z"] >= buying_groups.TREND_Z
    assert evidence["difference"] >= buying_groups.MIN_DIFFERENCE
    # The planted effect: closed journeys covering all four roles win more than those
    # covering one (truth.json), and the analysis sees the same direction on the map's two.
    planted = _truth(folders, name, "role_coverage")["realised"]["by_coverage"]
    assert planted[-1]["win_rate"] > planted[0]["win_rate"]
    rows = _rows(result, "role_coverage")
    assert rows[-1]["win_rate"] > rows[0]["win_rate"]
    assert evidence["most_missing_in_lost"]["role"] in NEEDED_BY_DEALS


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_deals_need_more_roles_than_the_map_requires(opened: dict[str, Opened], name: str) -> None:
    ctx = opened[name].context()
    result = buying_groups.analyse(ctx)
    extra = [f for f in _findings(result, "buying_group") if "roles_not_required" in f["evidence"]]
    assert len(extra) == 1
    evidence = extra[0]["evidence"]
    named = {r["role"] for r in evidence["roles_not_required"]}
    assert named == NEEDED_BY_DEALS - REQUIRED_IN_MAP
    assert evidence["trend_z_beyond_required"] >= buying_groups.TREND_Z
    assert evidence["median_roles_in_won"] > len(REQUIRED_IN_MAP)
    typical = {r["role"] for r in _rows(result, "roles_engaged") if r["typical"]}
    assert typical == NEEDED_BY_DEALS
    rows = _rows(designed.analyse(ctx), "designed_vs_actual")
    assert {r["subject"] for r in rows if r["kind"] == "role_not_required"} == named


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_content_gap_is_flagged(
    opened: dict[str, Opened], folders: dict[str, Path], name: str
) -> None:
    stage, role = _truth(folders, name, "content_gap")["configured"]
    result = content.analyse(opened[name].context())
    gaps = _findings(result, "content_gap")
    assert [(f["stage"], f["role"]) for f in gaps] == [(stage, role)]
    assert gaps[0]["evidence"]["gap"] == "no_asset"
    cell = next(
        c for c in _rows(result, "content_coverage") if (c["stage"], c["role"]) == (stage, role)
    )
    assert cell["assets"] == 0 and cell["touches"] == 0 and cell["role_events"] > 0


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_design_differences_are_found(
    opened: dict[str, Opened], folders: dict[str, Path], name: str
) -> None:
    truth = json.loads((folders[name] / "truth.json").read_text())["touchpoints"]
    result = designed.analyse(opened[name].context())
    rows = _rows(result, "designed_vs_actual")
    never = {r["subject"] for r in rows if r["kind"] == "touchpoint_never_observed"}
    unmapped = {r["subject"] for r in rows if r["kind"] == "activity_not_in_map"}
    assert never == set(truth["designed_not_generated"])
    assert unmapped == set(truth["not_in_designed_map"])
    subjects = {f["subject"] for f in _findings(result, "designed_vs_actual")}
    assert set(truth["not_in_designed_map"]) <= subjects
    flows = [r for r in rows if r["kind"] == "flow_not_expected"]
    assert flows and all(r["events"] > 0 for r in flows)
    for r in flows:  # back to an earlier stage, or two stages or more ahead
        step = world.stage_index(r["to_stage"]) - world.stage_index(r["stage"])
        assert step < 0 or step >= designed.SKIP
    # Journeys taking an unexpected move, from the moves between map touchpoints in pandas.
    journey = opened[name].journey
    assert journey is not None
    stage_of = {tp.id: world.stage_index(tp.stage) for tp in journey.touchpoints}
    moves = (
        opened[name]
        .ws.con.execute(
            "SELECT case_id::VARCHAR AS c, node::VARCHAR AS a, next_node::VARCHAR AS b FROM steps "
            "WHERE next_node IS NOT NULL AND next_node <> node"
        )
        .df()
    )
    step = moves["b"].map(stage_of) - moves["a"].map(stage_of)
    taking = moves["c"][(step < 0) | (step >= designed.SKIP)].nunique()
    (flow_finding,) = [f for f in _findings(result, "designed_vs_actual")
                       if f["evidence"].get("kind") == "flow_not_expected"]  # fmt: skip
    assert flow_finding["evidence"]["journeys"] == taking > 0
    balance = {r["phase"]: r for r in _rows(result, "phase_balance")}
    assert balance["pre_purchase"]["map_touchpoints"] + balance["post_purchase"][
        "map_touchpoints"
    ] == len(opened[name].journey.touchpoints)  # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_friction_unit_has_excess_exits(opened: dict[str, Opened], name: str) -> None:
    owner = world.touchpoint(world.DEFAULT_FRICTION_TOUCHPOINT).owner_bu
    result = business_units.analyse(opened[name].context())
    flagged = {f["business_unit"] for f in _findings(result, "business_unit")}
    assert owner in flagged
    row = next(r for r in _rows(result, "bu_view") if r["business_unit"] == owner)
    assert row["exit_ratio"] >= business_units.EXIT_RATIO


# Nothing spurious -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", NULL_SEEDS)
def test_no_spurious_findings_without_planted_effects(opened: dict[str, Opened], seed: int) -> None:
    o = opened[f"null{seed}"]
    for with_map in (True, False):
        ctx = o.context(with_map=with_map)
        found = [f for m in (buying_groups, content) for f in m.analyse(ctx).findings]
        assert [f for f in found if f["kind"] in ("buying_group", "content_gap")] == []
    # The unit owning the friction touchpoint is not singled out either.
    assert _findings(business_units.analyse(o.context()), "business_unit") == []


# Exact numbers against pandas ------------------------------------------------------------


def _frames(folder: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pq.read_table(folder / f"{name}.parquet").to_pandas()
        for name in ("events", "contacts", "opportunities", "accounts")
    }


def test_channel_mix_equals_pandas(opened: dict[str, Opened], folders: dict[str, Path]) -> None:
    ev = _frames(folders["small"])["events"]
    ev = ev[ev["account_id"].notna()]
    result = channels.analyse(opened["small"].context())
    rows = {(r["level"], r["stage"]): r for r in _rows(result, "channel_mix")}
    for stage, part in [("all", ev), *ev.groupby("stage")]:
        row = rows[("all" if stage == "all" else "stage", stage)]
        kinds = part["channel_kind"].value_counts()
        assert row["events"] == len(part)
        assert row["cases"] == part["account_id"].nunique()
        for kind in ("online", "personal", "physical"):
            assert row[kind] == kinds.get(kind, 0), (stage, kind)
        assert row["online_share"] == pytest.approx(kinds.get("online", 0) / len(part))
    pre = ev[ev["stage"].isin(world.PRE_PURCHASE_STAGE_IDS)]
    phase = rows[("phase", "pre_purchase")]
    assert (phase["events"], phase["cases"]) == (len(pre), pre["account_id"].nunique())
    assert phase["difference"] == pytest.approx(
        (pre["channel_kind"] == "online").mean() - channels.REFERENCE_ONLINE
    )


def _pandas_coverage(folder: Path, required: set[str]) -> dict[str, Any]:
    """Per account: outcome of its new-business deals, contacts whose first event comes no
    later than the win, their roles; then journeys per number of required roles covered."""
    f = _frames(folder)
    ev = f["events"][f["events"]["account_id"].notna()]
    opp = f["opportunities"][f["opportunities"]["type"] == "new_business"]
    won_at = opp[opp["outcome"] == "won"].groupby("account_id")["closed_at"].min()
    lost = set(opp.loc[opp["outcome"] == "lost", "account_id"])
    accounts = pd.DataFrame({"account_id": ev["account_id"].unique()})
    accounts["won_at"] = accounts["account_id"].map(won_at)
    accounts["outcome"] = "open"
    accounts.loc[accounts["account_id"].isin(lost), "outcome"] = "lost"
    accounts.loc[accounts["won_at"].notna(), "outcome"] = "won"
    first = ev[ev["contact_id"].notna()].groupby(["account_id", "contact_id"])["timestamp"].min()
    people = first.reset_index().merge(accounts, on="account_id")
    people = people[people["won_at"].isna() | (people["timestamp"] <= people["won_at"])]
    people = people.merge(f["contacts"][["contact_id", "role"]], on="contact_id", how="left")
    covered = people[people["role"].isin(required)].groupby("account_id")["role"].nunique()
    accounts["covered"] = accounts["account_id"].map(covered).fillna(0).astype(int)
    accounts["contacts"] = (
        accounts["account_id"].map(people.groupby("account_id")["contact_id"].nunique()).fillna(0)
    )
    table = accounts.groupby(["covered", "outcome"]).size().unstack(fill_value=0)
    return {"table": table, "accounts": accounts}


def test_role_coverage_equals_pandas(opened: dict[str, Opened], folders: dict[str, Path]) -> None:
    expected = _pandas_coverage(folders["small"], REQUIRED_IN_MAP)
    table, accounts = expected["table"], expected["accounts"]
    result = buying_groups.analyse(opened["small"].context())
    for row in _rows(result, "role_coverage"):
        k = row["required_engaged"]
        counts = table.loc[k] if k in table.index else pd.Series(dtype=int)
        for outcome in ("won", "lost", "open"):
            assert row[outcome] == counts.get(outcome, 0), (k, outcome)
        assert row["coverage"] == pytest.approx(k / len(REQUIRED_IN_MAP))
    summary = {r["outcome"]: r for r in _rows(result, "buying_group")}
    for outcome, part in accounts.groupby("outcome"):
        assert summary[outcome]["cases"] == len(part)
        assert summary[outcome]["median_contacts"] == pytest.approx(part["contacts"].median())


# Without a map, other case keys, conversions, filters, missing tables ---------------------


def test_without_a_map(opened: dict[str, Opened]) -> None:
    ctx = opened["a"].context(with_map=False)
    results = {m.__name__.rsplit(".", 1)[1]: m.analyse(ctx) for m in MODULES}
    coverage = _rows(results["buying_groups"], "role_coverage")
    assert {r["required_from"] for r in coverage} == {"all_roles_seen"}
    assert coverage[0]["required_roles"] == len(world.ROLES)
    assert _findings(results["buying_groups"], "buying_group")  # the effect still shows
    assert results["designed"].tables["designed_vs_actual"].num_rows == 0
    assert results["designed"].findings == []
    assert all(r["map_touchpoints"] is None for r in _rows(results["designed"], "phase_balance"))
    gaps = _findings(results["content"], "content_gap")
    assert [(f["stage"], f["role"]) for f in gaps] == [("evaluation", "operations_lead")]
    view = _rows(results["business_units"], "bu_view")
    assert {r["business_unit"] for r in view} == set(world.BUSINESS_UNIT_IDS)
    assert all(r["touchpoints_owned"] == 0 for r in view)


@pytest.mark.parametrize("case", [CaseKey.contact, CaseKey.opportunity])
def test_other_case_keys(opened: dict[str, Opened], case: CaseKey) -> None:
    ctx = opened["b"].context(AnalysisOptions(case=case))
    results = [m.analyse(ctx) for m in MODULES]
    for result in results:
        assert all(table.num_rows for name, table in result.tables.items()
                   if name not in ("content_gaps", "content_gated", "bu_shared_touchpoints")
                   ), case  # fmt: skip
    group = {r["outcome"]: r for r in _rows(results[0], "buying_group")}
    if case is CaseKey.contact:
        assert all(r["median_contacts"] <= 1 for r in group.values())
        assert results[0].findings == []
    mix = next(r for r in _rows(results[1], "channel_mix") if r["level"] == "all")
    steps = ctx.con.execute("SELECT count(*), count(DISTINCT case_id) FROM steps").fetchall()
    assert (mix["events"], mix["cases"]) == steps[0]


def test_conversion_activity_defines_wins(opened: dict[str, Opened]) -> None:
    ctx = opened["b"].context(AnalysisOptions(conversion="Contract signed"))
    group = buying_groups.analyse(ctx)
    assert all(r["lost"] == 0 for r in _rows(group, "role_coverage"))
    assert sum(r["won"] for r in _rows(group, "role_coverage")) > 0
    outcome = _rows(channels.analyse(ctx), "channel_mix_outcome")
    assert [r["outcome"] for r in outcome] == ["won"]
    for module in (content, business_units, designed):
        module.analyse(ctx)


def test_filters_narrow_every_table(opened: dict[str, Opened], folders: dict[str, Path]) -> None:
    f = _frames(folders["small"])
    ev = f["events"][f["events"]["account_id"].notna()]
    segment = ev.merge(f["accounts"][["account_id", "segment"]], on="account_id")
    o = opened["small"]

    mix = _rows(channels.analyse(o.context(AnalysisOptions(filters=Filters(segment="smb")))),
                "channel_mix")  # fmt: skip
    smb = segment[segment["segment"] == "smb"]
    assert (mix[0]["events"], mix[0]["cases"]) == (len(smb), smb["account_id"].nunique())

    since, until = dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    window = ev[(ev["timestamp"] >= since) & (ev["timestamp"] < until)]
    ctx = o.context(AnalysisOptions(filters=Filters(since=since, until=until)))
    mix = _rows(channels.analyse(ctx), "channel_mix")
    assert (mix[0]["events"], mix[0]["cases"]) == (len(window), window["account_id"].nunique())
    balance = _rows(designed.analyse(ctx), "phase_balance")
    assert sum(r["events"] for r in balance) == len(window)

    won = buying_groups.analyse(o.context(AnalysisOptions(filters=Filters(outcome=Outcome.won))))
    assert all(r["lost"] == 0 and r["open"] == 0 for r in _rows(won, "role_coverage"))

    legal = buying_groups.analyse(o.context(AnalysisOptions(filters=Filters(role="legal_counsel"))))
    share = next(r for r in _rows(legal, "roles_engaged") if r["role"] == "legal_counsel")
    assert share["share_of_cases"] >= 0.9  # the filter keeps journeys where legal took part
    for module in (content, business_units):
        assert module.analyse(o.context(AnalysisOptions(filters=Filters(segment="enterprise"))))


def test_missing_contacts_and_content_tables(folders: dict[str, Path], tmp_path: Path) -> None:
    for name in ("events", "accounts", "opportunities"):
        (tmp_path / f"{name}.parquet").write_bytes(
            (folders["small"] / f"{name}.parquet").read_bytes()
        )
    for journey in (build_demo_map("en"), None):
        o = _open(tmp_path, journey)
        ctx = o.context()
        results = [m.analyse(ctx) for m in MODULES]
        coverage = _rows(results[0], "role_coverage")
        assert (
            sum(r["cases"] for r in coverage)
            == ctx.con.execute("SELECT count(*) FROM cases").fetchall()[0][0]
        )
        assert _findings(results[0], "buying_group") == []
        assert results[2].findings == []
        o.ws.close()


# Special cases of the map ------------------------------------------------------------------


def test_events_without_touchpoints_show_unmatched_activities(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    for name in ("accounts", "contacts", "opportunities", "content"):
        (tmp_path / f"{name}.parquet").write_bytes((folders["b"] / f"{name}.parquet").read_bytes())
    events = pq.read_table(folders["b"] / "events.parquet")
    pq.write_table(events.drop_columns(["touchpoint", "stage"]), tmp_path / "events.parquet")
    o = _open(tmp_path, build_demo_map("en"))
    result = designed.analyse(o.context())
    unmatched = {
        r["subject"]: r
        for r in _rows(result, "designed_vs_actual")
        if r["kind"] == "activity_not_in_map"
    }
    # The map catches only the first activity name of low-volume touchpoints.
    assert {"Industry fair badge scan", "WhatsApp message", "Review site comparison"} <= set(
        unmatched
    )
    assert all(r["unmatched_activity"] for r in unmatched.values())
    flagged = {f["subject"] for f in _findings(result, "designed_vs_actual")}
    assert "WhatsApp message" in flagged
    o.ws.close()


def test_shared_touchpoint_without_owner(opened: dict[str, Opened]) -> None:
    o = opened["b"]
    assert o.journey is not None
    touchpoints = [
        tp.model_copy(update={"owner_bu": None}) if tp.id == "aw_trade_show" else tp
        for tp in o.journey.touchpoints
    ]
    journey = o.journey.model_copy(update={"touchpoints": touchpoints})
    options = AnalysisOptions()
    prepare(o.ws.con, options)
    register_map(o.ws.con, journey)
    result = business_units.analyse(Context(o.ws.con, options, journey))
    shared = {r["touchpoint"]: r for r in _rows(result, "bu_shared_touchpoints")}
    assert shared["aw_trade_show"]["owner"] is None
    assert set(shared["aw_trade_show"]["shared_with"]) == {"marketing", "sales"}
    unowned = [f for f in _findings(result, "business_unit") if f.get("touchpoint")]
    assert [f["touchpoint"] for f in unowned] == ["aw_trade_show"]


def test_channel_mix_departure_is_flagged(tmp_path: Path) -> None:
    generate_world(tmp_path, events=40_000, seed=9, config=WorldConfig(online_share=0.4))
    o = _open(tmp_path, build_demo_map("en"))
    result = channels.analyse(o.context())
    found = _findings(result, "channel_mix")
    overall = [f for f in found if "stage" not in f]
    assert len(overall) == 1
    assert overall[0]["evidence"]["difference"] <= -channels.OVERALL_DEPARTURE
    o.ws.close()


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_actions_follow_the_language(opened: dict[str, Opened], lang: str) -> None:
    ctx = opened["a"].context(AnalysisOptions(lang=lang))
    english = opened["a"].context()
    for module in (buying_groups, content, designed):
        ours = [f["action"] for f in module.analyse(ctx).findings]
        theirs = [f["action"] for f in module.analyse(english).findings]
        assert ours and len(ours) == len(theirs)
        assert all(a != b for a, b in zip(ours, theirs, strict=True))


def test_cached_and_scanned_paths_agree(opened: dict[str, Opened]) -> None:
    """Journey filters read a per-journey aggregate cached on the connection; a period
    filter rescans the steps. A period covering everything must give the same tables,
    before and after the cache is rebuilt for another case key."""
    o = opened["small"]
    always = Filters(since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    journeys = (Filters(), Filters(segment="enterprise"), Filters(role="economic_buyer"))
    for case in (CaseKey.account, CaseKey.opportunity, CaseKey.account):
        for kept in journeys:
            cached = o.context(AnalysisOptions(case=case, filters=kept))
            results = {m.__name__: m.analyse(cached) for m in (*MODULES, critical)}
            period = dataclasses.replace(kept, since=always.since)
            scanned = o.context(AnalysisOptions(case=case, filters=period))
            for module in (*MODULES, critical):
                again = module.analyse(scanned)
                for name, table in results[module.__name__].tables.items():
                    assert again.tables[name].equals(table), (case, kept, name)
                assert again.findings == results[module.__name__].findings, (case, kept)


def test_labels_kept_as_text_past_the_enum_limit_give_the_same_results(
    opened: dict[str, Opened], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cached steps hold stage, channel kind, unit and content id as ENUMs up to
    ``MAX_LABELS`` values, as text past it: both give the same tables and findings."""
    from jornada.insights import cache, friction

    o = opened["small"]
    modules = (*MODULES, critical, friction)
    filters = (
        Filters(),
        Filters(role="economic_buyer"),
        Filters(since=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)),
    )
    typed = {}
    for limit in (cache.MAX_LABELS, 0):
        monkeypatch.setattr(cache, "MAX_LABELS", limit)
        results = []
        for kept in filters:
            ctx = o.context(AnalysisOptions(filters=kept))  # prepare: the steps are rebuilt
            results.append([m.analyse(ctx) for m in modules])
        kinds = o.ws.con.execute(
            f"SELECT typeof(stage), typeof(content_id) FROM {cache.STEPS} LIMIT 1"
        ).fetchall()[0]
        typed[limit] = (kinds, results)
    (enums, with_enums), (texts, with_text) = typed.values()
    assert all(k.startswith("ENUM") for k in enums) and texts == ("VARCHAR", "VARCHAR")
    for a_run, b_run in zip(with_enums, with_text, strict=True):
        for a, b in zip(a_run, b_run, strict=True):
            assert a.findings == b.findings
            for name, table in a.tables.items():
                assert b.tables[name].to_pylist() == table.to_pylist(), name
