"""The cases `bench_engine.py` times, one per fresh process.

    python benchmarks/engine_cases.py CASE [options]

Each case prints one JSON line last on stdout: the seconds of its steps (imports and
interpreter start-up excluded), its peak RSS (getrusage) and, where asked, writes its
results to ``--results`` so the parent can check that every tool found the same numbers.

Cases:
- ``pm4py-pandas`` / ``pm4py-polars``: the peer. Load the file, ``pm4py.format_dataframe``,
  ``discover_dfg``, ``discover_performance_dfg`` (every aggregation, median and mean among
  them), ``get_variants``, ``get_all_case_durations``, and the backtracking rate (share of
  stage changes that go back) with pandas / Polars on the frame pm4py sorted.
- ``jornada``: ``import_paths`` into a workspace (in memory or a DuckDB file), then
  ``discover`` (``prepare`` + every discovery table). Each SQL statement the library
  issues is timed and labelled (landing, typing, resolution, insert, prepare, each query).
- ``cli``: ``jornada analyze FILE --stages … --out DIR`` as a child process (end to end).
- ``warm``: import a whole demo world, ``prepare`` once, then re-run ``discover(...,
  prepared=True)`` and every single query under each filter; profile the slowest queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STAGES = (
    "awareness",
    "consideration",
    "evaluation",
    "purchase",
    "onboarding",
    "retention",
    "advocacy",
)
STAGE_POS = {stage: i for i, stage in enumerate(STAGES)}
PERIOD = (dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2025, 4, 1, tzinfo=dt.UTC))


def peak_mib(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


class Clock:
    """Named durations; the same name twice adds up."""

    def __init__(self) -> None:
        self.steps: dict[str, float] = defaultdict(float)

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.steps[name] += time.perf_counter() - started

    def total(self) -> float:
        return sum(self.steps.values())


def activity_column(fmt: str) -> str:
    """The node jornada uses: ``coalesce(touchpoint, activity)``. The demo's Parquet has a
    touchpoint on every event; the CSV export has no touchpoint column."""
    return "touchpoint" if fmt == "parquet" else "activity"


# --- The peer: pm4py -----------------------------------------------------------------------


def run_peer(backend: str, fmt: str, path: Path, results: Path | None) -> dict[str, Any]:
    import pm4py

    activity = activity_column(fmt)
    columns = ["timestamp", "account_id", activity, "stage"]
    clock = Clock()
    with clock("load"):
        if backend == "pandas":
            import pandas as pd

            if fmt == "parquet":
                frame: Any = pd.read_parquet(path, columns=columns)
            else:
                frame = pd.read_csv(path, usecols=columns, engine="pyarrow")
        else:
            import polars as pl

            if fmt == "parquet":
                frame = pl.scan_parquet(path).select(columns)
            else:
                frame = pl.scan_csv(path, try_parse_dates=True).select(columns)
    with clock("format_dataframe"):
        log = pm4py.format_dataframe(
            frame, case_id="account_id", activity_key=activity, timestamp_key="timestamp"
        )
    with clock("dfg"):
        dfg, _, _ = pm4py.discover_dfg(log)
    with clock("performance_dfg"):
        performance, _, _ = pm4py.discover_performance_dfg(log)
    with clock("variants"):
        variants = pm4py.get_variants(log)
    with clock("case_durations"):
        durations = pm4py.get_all_case_durations(log)
    with clock("backtracking"):
        if backend == "pandas":
            changes, backward = _backtracking_pandas(log)
        else:
            changes, backward = _backtracking_polars(log)
    if results is not None:
        _write_results(
            results,
            dfg={(a, b): int(n) for (a, b), n in dfg.items()},
            performance={
                (a, b): (float(v["median"]), float(v["mean"])) for (a, b), v in performance.items()
            },
            variants=len(variants),
            durations=[float(d) for d in durations],
            changes=changes,
            backward=backward,
        )
    return {"seconds": clock.total(), "steps": clock.steps}


def _backtracking_pandas(log: Any) -> tuple[int, int]:
    """Stage changes and backward ones, per case in pm4py's order (case, time, file row)."""
    staged = log[log["stage"].notna()]
    position = staged["stage"].map(STAGE_POS)
    following = position.groupby(staged["case:concept:name"], sort=False).shift(-1)
    change = following.notna() & (following != position)
    return int(change.sum()), int((change & (following < position)).sum())


def _backtracking_polars(log: Any) -> tuple[int, int]:
    import polars as pl

    position = pl.col("stage").replace_strict(STAGE_POS, return_dtype=pl.Int32)
    out = (
        log.filter(pl.col("stage").is_not_null())
        .with_columns(position.alias("_pos"))
        .with_columns(pl.col("_pos").shift(-1).over("case:concept:name").alias("_next"))
        .filter(pl.col("_next").is_not_null() & (pl.col("_next") != pl.col("_pos")))
        .select(pl.len().alias("changes"), (pl.col("_next") < pl.col("_pos")).sum().alias("back"))
        .collect()
    )
    return int(out["changes"][0]), int(out["back"][0])


def _write_results(
    results: Path,
    *,
    dfg: dict[tuple[str, str], int],
    performance: dict[tuple[str, str], tuple[float, float]],
    variants: int,
    durations: list[float],
    changes: int,
    backward: int,
) -> None:
    results.write_text(
        json.dumps(
            {
                "dfg": sorted([a, b, n] for (a, b), n in dfg.items()),
                "performance": sorted([a, b, m, x] for (a, b), (m, x) in performance.items()),
                "variants": variants,
                "durations": sorted(durations),
                "stage_changes": changes,
                "backward_changes": backward,
            }
        ),
        encoding="utf-8",
    )


# --- jornada ---------------------------------------------------------------------------------

# What each statement the library issues is, by its text (first match wins).
LABELS: tuple[tuple[str, str], ...] = (
    (r"read_parquet\(\?, file_row_number", "import: land (Parquet read into _raw)"),
    (r"FROM read_csv\(", "import: land (CSV scan into _raw)"),
    (r"CREATE OR REPLACE TEMP TABLE _typed", "import: type + check (_typed)"),
    (r"CREATE OR REPLACE TEMP TABLE _valid", "import: keep valid (_valid)"),
    (r"CREATE OR REPLACE TEMP TABLE _fresh", "import: resolve + dedupe (_fresh)"),
    (r"INSERT INTO events", "import: (resolve + dedupe +) insert into events"),
    (r"INSERT INTO (accounts|contacts|opportunities|reps|feedback|content) ",
     "import: insert reference tables"),
    (r"^\s*(SELECT count\(|SELECT split_part)", "import: accounting (counts, reasons)"),
    (r"^(BEGIN|ROLLBACK)", "import: begin"),
    (r"^COMMIT", "import: commit (file workspace: write to disk)"),
    (r"^DROP (TABLE|TYPE)", "{phase}: drop tables/types"),
    (r"^CREATE TYPE", "prepare: ENUM types (distinct nodes, cases)"),
    (r"CREATE OR REPLACE TABLE steps", "prepare: steps (sort + lead/lag window)"),
    (r"CREATE OR REPLACE TABLE cases", "prepare: cases (per-case aggregate + joins)"),
    (r"CREATE OR REPLACE TABLE case_roles", "prepare: case_roles"),
)  # fmt: skip


class TimedConnection:
    """A DuckDB connection that times every statement it runs, by label."""

    def __init__(self, con: Any, clock: Clock, names: dict[str, str]) -> None:
        self._con = con
        self._clock = clock
        self._names = names
        self.phase = "import"
        self.statements: dict[str, str] = {}

    def _label(self, sql: str) -> str:
        if sql in self._names:
            return f"query: {self._names[sql]}"
        for pattern, label in LABELS:
            if re.search(pattern, sql.lstrip()):
                label = label.format(phase=self.phase)
                self.statements[label] = sql
                return label
        return f"{self.phase}: other SQL"

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        with self._clock(self._label(sql)):
            self._con.execute(sql, *args, **kwargs)
        return self

    def executemany(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        with self._clock(f"{self.phase}: other SQL"):
            self._con.executemany(sql, *args, **kwargs)
        return self

    def sql(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        return TimedRelation(self._con.sql(sql, *args, **kwargs), self._clock, self._label(sql))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


class TimedRelation:
    def __init__(self, relation: Any, clock: Clock, label: str) -> None:
        self._relation = relation
        self._clock = clock
        self._label = label

    def to_arrow_table(self) -> Any:
        with self._clock(self._label):
            return self._relation.to_arrow_table()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._relation, name)


def _patch_python_steps(clock: Clock) -> None:
    """Time the two pure-Python parts of an import: the file's SHA-256 and CSV sniffing."""
    from jornada.ingest import pipeline, readers

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with clock(name):
                return fn(*args, **kwargs)

        return wrapper

    pipeline.file_sha256 = timed("import: SHA-256 of the file (Python)", pipeline.file_sha256)
    readers.sniff_layout = timed("import: CSV sniffing (Python)", readers.sniff_layout)


def _open_workspace(ws_kind: str, tmp: Path) -> Any:
    from jornada.workspace import Workspace

    if ws_kind == "memory":
        return Workspace.open(":memory:")
    target = tmp / "ws.duckdb"
    for leftover in (target, tmp / "ws.duckdb.wal"):
        leftover.unlink(missing_ok=True)
    return Workspace.open(target)


def run_jornada(
    fmt: str, path: Path, ws_kind: str, tmp: Path, results: Path | None
) -> dict[str, Any]:
    from jornada.engine import AnalysisOptions, discover
    from jornada.engine import discovery as queries_module
    from jornada.ingest.batch import import_paths

    options = AnalysisOptions()
    clock, inner = Clock(), Clock()
    names = {sql: name for name, sql in queries_module.queries(options).items()}
    _patch_python_steps(inner)
    with clock("open workspace"):
        ws = _open_workspace(ws_kind, tmp)
    ws.con = TimedConnection(ws.con, inner, names)
    with clock("import"):
        reports = import_paths(ws, [path])
    ws.con.phase = "discover"
    with clock("discover"):
        ws.set_stages((stage, "unknown") for stage in STAGES)
        analysis = discover(ws.con, options)
    if results is not None:
        transitions = analysis.tables["transitions"].to_pylist()
        touch = [t for t in transitions if t["level"] == "touchpoint"]
        _write_results(
            results,
            dfg={(t["source"], t["target"]): int(t["count"]) for t in touch},
            performance={
                (t["source"], t["target"]): (t["median_seconds"], t["mean_seconds"]) for t in touch
            },
            variants=int(analysis.summary["variants"]),
            durations=analysis.tables["cases"].column("duration_seconds").to_pylist(),
            changes=int(analysis.summary["stage_changes"]),
            backward=int(analysis.summary["backward_changes"]),
        )
    ws_bytes = 0
    if ws_kind == "file":
        ws.con.execute("CHECKPOINT")
        ws_bytes = (tmp / "ws.duckdb").stat().st_size
    ws.close()
    steps = dict(clock.steps)
    detail = dict(inner.steps)
    detail["import: other (Python, reading, mapping)"] = clock.steps["import"] - sum(
        v for k, v in inner.steps.items() if k.startswith("import:")
    )
    return {
        "seconds": clock.total(),
        "steps": steps,
        "detail": detail,
        "rows_loaded": sum(r.rows_loaded for r in reports),
        "rows_rejected": sum(r.rows_rejected for r in reports),
        "workspace_mib": round(ws_bytes / 2**20, 1),
    }


def run_cli(path: Path, tmp: Path) -> dict[str, Any]:
    out = tmp / "analysis"
    shutil.rmtree(out, ignore_errors=True)
    exe = shutil.which("jornada")
    command = [exe] if exe else [sys.executable, "-c", "from jornada.cli import main; main()"]
    command += ["analyze", str(path), "--stages", ",".join(STAGES), "--out", str(out)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {
        "seconds": seconds,
        "steps": {"jornada analyze (whole process)": seconds},
        "peak_rss_mib": peak_mib(resource.RUSAGE_CHILDREN),
        "events": summary["events"],
        "variants": summary["variants"],
    }


# --- Warm: after import and prepare, re-run with filters ---------------------------------------


def _filters() -> dict[str, Any]:
    from jornada.engine import Filters, Outcome

    return {
        "none": Filters(),
        "outcome=won": Filters(outcome=Outcome.won),
        "segment=smb": Filters(segment="smb"),
        "role=procurement": Filters(role="procurement"),
        "period 2025-Q1": Filters(since=PERIOD[0], until=PERIOD[1]),
        "all four": Filters(
            outcome=Outcome.won,
            segment="smb",
            role="procurement",
            since=PERIOD[0],
            until=PERIOD[1],
        ),
    }


def run_warm(
    world: Path, ws_kind: str, tmp: Path, repeats: int, profile_dir: Path
) -> dict[str, Any]:
    from jornada.engine import AnalysisOptions, discover, discovery, prepare
    from jornada.ingest.batch import import_paths

    clock, inner = Clock(), Clock()
    with clock("open workspace"):
        ws = _open_workspace(ws_kind, tmp)
    con = ws.con
    ws.con = TimedConnection(con, inner, {})
    files = [world / f"{t}.parquet" for t in ("accounts", "contacts", "opportunities", "events")]
    with clock("import world"):
        import_paths(ws, files)
    ws.set_stages((stage, "unknown") for stage in STAGES)
    ws.con.phase = "prepare"
    with clock("prepare"):
        prepare(ws.con, AnalysisOptions())
    statements = ws.con.statements
    ws.con = con
    events = int(con.sql("SELECT count(*) FROM steps").fetchall()[0][0])

    def median_seconds(fn: Callable[[], object]) -> float:
        """Median of ``repeats`` runs; one run when that one already takes over 2 s."""
        runs: list[float] = []
        while len(runs) < repeats and (not runs or runs[0] <= 2.0):
            started = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    by_filter: dict[str, Any] = {}
    for name, filters in _filters().items():
        options = AnalysisOptions(filters=filters)
        sqls = discovery.queries(options)
        per_query = {
            q: median_seconds(lambda sql=sql: con.sql(sql).to_arrow_table())
            for q, sql in sqls.items()
        }
        whole = median_seconds(lambda options=options: discover(con, options, prepared=True))
        headline = con.sql(sqls["headline"]).to_arrow_table().to_pylist()[0]
        by_filter[name] = {
            "discover": whole,
            "queries": per_query,
            "cases": headline.get("cases"),
            "events": headline.get("events"),
        }
    # Profile the two slowest queries without a filter, and prepare's shared sort.
    unfiltered = by_filter["none"]["queries"]
    slowest = sorted(unfiltered, key=lambda q: -unfiltered[q])[:2]
    sqls = discovery.queries(AnalysisOptions())
    to_profile = {q: sqls[q] for q in slowest}
    steps = statements.get("prepare: steps (sort + lead/lag window)")
    if steps:
        # the statement itself, into another table (a SELECT would add a result collector)
        to_profile["prepare_steps"] = steps.replace(
            "CREATE OR REPLACE TABLE steps", "CREATE OR REPLACE TEMP TABLE _bench_steps", 1
        )
    profiles = {q: _profile(con, sql, profile_dir, q) for q, sql in to_profile.items()}
    ws.close()
    return {
        "seconds": clock.total(),
        "steps": dict(clock.steps),
        "detail": dict(inner.steps),
        "events": events,
        "filters": by_filter,
        "profiles": profiles,
    }


def _profile(con: Any, sql: str, out_dir: Path, name: str) -> dict[str, Any]:
    """EXPLAIN ANALYZE (text kept beside the results) and the costliest operators."""
    out_dir.mkdir(parents=True, exist_ok=True)
    statement = sql.lstrip().upper().startswith("CREATE")
    text = con.sql("EXPLAIN ANALYZE " + sql.lstrip()).fetchall()[0][1]
    (out_dir / f"{name}.txt").write_text(text, encoding="utf-8")
    target = out_dir / f"{name}.json"
    con.execute("SET enable_profiling = 'json'")
    con.execute(f"SET profiling_output = '{target}'")
    if statement:
        con.execute(sql)
    else:
        con.sql(sql).to_arrow_table()
    con.execute("SET enable_profiling = 'no_output'")
    tree = json.loads(target.read_text(encoding="utf-8"))
    operators: list[dict[str, Any]] = []

    def walk(node: dict[str, Any]) -> None:
        info = node.get("extra_info", {})
        what = next(
            (
                info[key]
                for key in ("Aggregates", "Function", "Groups", "Join Type", "CTE Name", "Table")
                if info.get(key)
            ),
            next((v for k, v in info.items() if k != "Estimated Cardinality"), ""),
        )
        operators.append({
            "operator": node.get("type", "?"),
            "seconds": float(node.get("timing", 0.0)),
            "rows": int(node.get("intermediate_rows", 0)),
            "what": str(what)[:160],
        })  # fmt: skip
        for child in node.get("children", []):
            walk(child)

    for root in tree.get("operator", []):
        walk(root)
    total = sum(o["seconds"] for o in operators) or 1.0
    top = sorted(operators, key=lambda o: -o["seconds"])[:6]
    for o in top:
        o["share"] = round(o["seconds"] / total, 3)
    return {
        "query_seconds": float(tree.get("query", {}).get("total_time", 0.0)),
        "operator_seconds": total,
        "top_operators": top,
        "explain_file": str(out_dir / f"{name}.txt"),
    }


# --- Entry point --------------------------------------------------------------------------------


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case", choices=["pm4py-pandas", "pm4py-polars", "jornada", "cli", "warm"])
    parser.add_argument("--input", type=Path, required=True, help="file, or world folder (warm)")
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--workspace", choices=["memory", "file"], default="memory")
    parser.add_argument("--tmp", type=Path, required=True)
    parser.add_argument("--results", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    args.tmp.mkdir(parents=True, exist_ok=True)
    if args.case.startswith("pm4py-"):
        out = run_peer(args.case.split("-")[1], args.format, args.input, args.results)
    elif args.case == "jornada":
        out = run_jornada(args.format, args.input, args.workspace, args.tmp, args.results)
    elif args.case == "cli":
        out = run_cli(args.input, args.tmp)
    else:
        out = run_warm(args.input, args.workspace, args.tmp, args.repeats, args.tmp / "profiles")
    out.setdefault("peak_rss_mib", peak_mib())
    out["pid"] = os.getpid()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
