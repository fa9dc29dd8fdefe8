"""Discovery equals pm4py's on the same logs: directly-follows graph, its timings, variants,
case durations. pm4py (AGPL) is a test-only oracle; it is never imported by the package."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pandas as pd
import pytest

from jornada.demo import generate_world
from jornada.engine import AnalysisOptions, discover
from jornada.ingest.batch import import_paths
from jornada.workspace import Workspace

pm4py = pytest.importorskip("pm4py", reason="pm4py is the oracle: pip install '.[test]'")
logging.getLogger("pm4py").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", module="pm4py")

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "pm4py_eventlogs"
ALL_VARIANTS = AnalysisOptions(top_variants=None)


def _oracle(df: pd.DataFrame) -> dict[str, object]:
    """pm4py's answers on a log with case, activity and timestamp columns in file order."""
    log = pm4py.format_dataframe(
        df, case_id="case", activity_key="activity", timestamp_key="timestamp"
    )
    dfg, _, _ = pm4py.discover_dfg(log)
    performance, _, _ = pm4py.discover_performance_dfg(log)
    return {
        "dfg": dict(dfg),
        "median": {k: float(v["median"]) for k, v in performance.items()},
        "mean": {k: float(v["mean"]) for k, v in performance.items()},
        "variants": {" > ".join(k): int(v) for k, v in pm4py.get_variants(log).items()},
        "durations": sorted(float(d) for d in pm4py.get_all_case_durations(log)),
    }


def _ours(ws: Workspace) -> dict[str, object]:
    analysis = discover(ws.con, ALL_VARIANTS)
    flows = analysis.tables["transitions"].to_pandas()
    flows = flows[flows.level == "touchpoint"]
    pairs = list(zip(flows.source, flows.target, strict=True))
    return {
        "dfg": dict(zip(pairs, flows["count"].astype(int), strict=True)),
        "median": dict(zip(pairs, flows.median_seconds.astype(float), strict=True)),
        "mean": dict(zip(pairs, flows.mean_seconds.astype(float), strict=True)),
        "variants": {
            row.variant: int(row.cases)
            for row in analysis.tables["variants"].to_pandas().itertuples()
        },
        "durations": sorted(analysis.tables["cases"].to_pandas().duration_seconds.astype(float)),
    }


def _assert_equal(ours: dict[str, object], oracle: dict[str, object]) -> None:
    assert ours["dfg"] == oracle["dfg"]
    for key in ("median", "mean"):
        theirs = oracle[key]
        assert isinstance(theirs, dict)
        mine = ours[key]
        assert isinstance(mine, dict) and mine.keys() == theirs.keys()
        for pair, value in theirs.items():
            assert mine[pair] == pytest.approx(value, rel=1e-9, abs=1e-6), (key, pair)
    assert ours["variants"] == oracle["variants"]
    assert ours["durations"] == pytest.approx(oracle["durations"], rel=1e-9, abs=1e-6)


@pytest.fixture(scope="module")
def demo_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("oracle") / "world"
    generate_world(out, events=40_000, seed=21)
    return out


def test_demo_world_matches_pm4py(demo_world: Path) -> None:
    with Workspace.open(":memory:") as ws:
        import_paths(ws, [demo_world / "events.parquet"])
        ours = _ours(ws)
    events = pd.read_parquet(demo_world / "events.parquet")
    events = events[events.account_id.notna()]
    df = pd.DataFrame(
        {
            "case": events.account_id,
            "activity": events.touchpoint.fillna(events.activity),
            "timestamp": events["timestamp"],
        }
    )
    _assert_equal(ours, _oracle(df))


def test_ties_on_equal_timestamps_follow_file_order(tmp_path: Path) -> None:
    rows = [
        ("c1", "b", "2024-01-01T10:00:00Z"),
        ("c1", "a", "2024-01-01T10:00:00Z"),
        ("c1", "c", "2024-01-01T09:00:00Z"),
        ("c2", "a", "2024-01-02T10:00:00Z"),
        ("c2", "b", "2024-01-02T10:00:00Z"),
        ("c2", "a", "2024-01-02T10:00:00Z"),
    ]
    df = pd.DataFrame(rows, columns=["case", "activity", "timestamp"])
    path = tmp_path / "events.csv"
    df.rename(columns={"case": "account_id"}).to_csv(path, index=False)
    with Workspace.open(":memory:") as ws:
        import_paths(ws, [path])
        ours = _ours(ws)
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True)
    _assert_equal(ours, _oracle(df))


@pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is not here (a fresh clone)")
@pytest.mark.parametrize(
    "name", ["running-example.xes", "compressed_input_data/16_bpic2019_1t_per_variant.xes.gz"]
)
def test_real_xes_logs_match_pm4py(name: str) -> None:
    path = REALDATA / name
    with Workspace.open(":memory:") as ws:
        import_paths(ws, [path])
        ours = _ours(ws)
    log = pm4py.read_xes(str(path), return_legacy_log_object=False)
    df = pd.DataFrame(
        {
            "case": log["case:concept:name"],
            "activity": log["concept:name"],
            "timestamp": pd.to_datetime(log["time:timestamp"], utc=True),
        }
    )
    _assert_equal(ours, _oracle(df))
