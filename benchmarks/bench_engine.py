"""Engine benchmarks: cold against pm4py, warm re-runs with filters, scale, and where the time goes.

Every case runs in a fresh subprocess (``engine_cases.py``) that reports its own wall time
and peak RSS (getrusage); cases under 30 s run three times and the median run is reported.

    python benchmarks/bench_engine.py --sizes 1000000 5000000 --scale 10000000
    python benchmarks/bench_engine.py --quick          # smoke run, 100k events, < 1 minute

Inputs are demo worlds (``jornada.demo.generate_world(out, events=N, seed=7)``) and the same
events exported as CSV with DuckDB ``COPY``; they are made once and cached under ``--data``
(default ``/tmp/jornada-bench``). ``--commit REV`` runs the children on a clean export of
that commit (``git archive``) instead of the working tree, so edits in progress do not
leak into the numbers.

1. Cold (file -> load + DFG + performance DFG (median, mean) + variants + case durations +
   backtracking): pm4py on pandas, pm4py on Polars (a Polars LazyFrame given to
   ``pm4py.format_dataframe``), jornada (``import_paths`` into an in-memory workspace +
   ``discover``) from Parquet and from CSV, and ``jornada analyze`` end to end. The DFG
   counts, performance DFG (median, mean), variant count, case durations and backtracking
   of jornada and pm4py are compared: the table says whether they are equal.
2. Warm: after importing a whole world and ``prepare`` once, ``discover(..., prepared=True)``
   and each single discovery query under each filter; EXPLAIN ANALYZE of the slowest.
3. Scale: a 10M-event CSV and Parquet into an in-memory and a file workspace, full analysis.
4. Breakdown of import, prepare and each query (from the runs above).

The load on the machine is measured around every run: the 1-minute load average, and the
share of the CPUs that other processes used during the run (system-wide busy time from
/proc/stat minus the child's own CPU time). A run during which others used more than
``--max-others`` is repeated once the machine is quiet again (up to ``--retries`` times).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import io
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CASES = HERE / "engine_cases.py"
CLK = os.sysconf("SC_CLK_TCK")
NCPU = os.cpu_count() or 1

# Targets (DESIGN.md "Quality bars", issue 3 "Scale").
COLD_VS_PANDAS = 10.0
COLD_VS_POLARS = 4.0
WARM_TARGETS = {1_000_000: 0.1, 10_000_000: 1.0}
IMPORT_CSV_TARGET = 30.0
ANALYSIS_TARGET = 20.0
RSS_TARGET_MIB = 3 * 1000**3 / 2**20  # 3 GB

MAKE_INPUTS = """
import sys, duckdb
from pathlib import Path
from jornada.demo import generate_world
world, csv, events = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
if not (world / "events.parquet").exists():
    generate_world(world, events=events, seed=7)
if not csv.exists():
    part = csv.with_name(csv.name + ".part")
    duckdb.sql(
        "COPY (SELECT strftime(timestamp AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS timestamp,"
        " account_id, contact_id, activity, channel, stage"
        f" FROM read_parquet('{world / 'events.parquet'}') ORDER BY event_id)"
        f" TO '{part}' (HEADER, DELIMITER ',')"
    )
    part.rename(csv)
"""


# --- The machine and its load --------------------------------------------------------------------


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores)."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    guest = sum(fields[8:10]) if len(fields) > 9 else 0  # already counted in user/nice
    return (sum(fields) - idle - guest) / CLK


def others_now(seconds: float = 2.0) -> float:
    """Share of all CPUs busy over the next ``seconds`` (nothing of ours is running)."""
    before = busy_seconds()
    time.sleep(seconds)
    return max(0.0, (busy_seconds() - before) / (seconds * NCPU))


def wait_quiet(max_share: float, max_wait: float, sample: float = 2.0) -> float:
    """Wait until other processes use at most ``max_share`` of the CPUs (or give up)."""
    waited = 0.0
    while True:
        share = others_now(sample)
        if share <= max_share or waited >= max_wait:
            return share
        time.sleep(8.0)
        waited += 10.0


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    mem_kib = 0
    with open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    versions = {}
    for package in ("duckdb", "pm4py", "polars", "pandas", "pyarrow", "numpy"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = "absent"
    return {
        "cpu": model,
        "cores": NCPU,
        "ram_gib": round(mem_kib / 2**20, 1),
        "python": platform.python_version(),
        "versions": versions,
        "date": dt.date.today().isoformat(),
    }


def source_env(commit: str | None, data: Path) -> tuple[dict[str, str], str]:
    """The environment children run in, and which code they run."""
    env = dict(os.environ)
    git = ["git", "-C", str(REPO)]
    if commit is None:
        head = subprocess.run(
            git + ["rev-parse", "--short=12", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            git + ["status", "--porcelain", "--", "src"], capture_output=True, text=True
        ).stdout.strip()
        return env, f"working tree at {head or '?'}" + (
            " with uncommitted src changes" if dirty else ""
        )
    sha = subprocess.run(
        git + ["rev-parse", commit], capture_output=True, text=True, check=True
    ).stdout.strip()
    dest = data / f"src-{sha[:12]}"
    if not (dest / "src" / "jornada").is_dir():
        archive = subprocess.run(
            git + ["archive", "--format=tar", sha, "src"], capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
    env["PYTHONPATH"] = str(dest / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env, f"commit {sha[:12]} (clean export)"


def ensure_inputs(data: Path, events: int, env: dict[str, str]) -> tuple[Path, Path]:
    world, csv = data / f"world-{events}", data / f"events-{events}.csv"
    if not (world / "events.parquet").exists() or not csv.exists():
        print(f"# making inputs for {events:,} events in {data}", file=sys.stderr, flush=True)
        subprocess.run(
            [sys.executable, "-c", MAKE_INPUTS, str(world), str(csv), str(events)],
            check=True,
            env=env,
        )
    return world, csv


# --- Running cases -----------------------------------------------------------------------------


class Runner:
    def __init__(self, args: argparse.Namespace, env: dict[str, str]) -> None:
        self.args = args
        self.env = env
        self.tmp = args.data / "tmp"
        self.log: list[dict[str, Any]] = []

    def once(self, case: list[str], results: Path | None = None) -> dict[str, Any]:
        quiet = wait_quiet(self.args.max_others, self.args.max_wait, self.args.sample)
        load1 = os.getloadavg()[0]
        command = [sys.executable, str(CASES), *case, "--tmp", str(self.tmp)]
        if results is not None:
            command += ["--results", str(results)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy = busy_seconds()
        started = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, text=True, env=self.env)
        wall = time.perf_counter() - started
        busy = busy_seconds() - busy
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(case)} failed:\n{proc.stderr[-3000:]}")
        out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
        out.update(
            case=" ".join(case),
            process_seconds=wall,
            load1=round(load1, 2),
            quiet_before=round(quiet, 3),
            others=round(max(0.0, busy - own) / (wall * NCPU), 3),
            cpu_seconds=round(own, 2),
        )
        self.log.append(out)
        print(
            f"#   {out['case']}: {out['seconds']:.2f} s, {out['peak_rss_mib']} MiB, "
            f"load {out['load1']}, others {out['others']:.0%}",
            file=sys.stderr,
            flush=True,
        )
        return out

    def measure(self, case: list[str], results: Path | None = None) -> dict[str, Any]:
        """Median of ``--repeats`` runs (one run when it takes 30 s or more)."""
        runs = [self.steady(case, results)]
        wanted = self.args.repeats if runs[0]["seconds"] < 30 else 1
        while len(runs) < wanted:
            runs.append(self.steady(case, None))
        runs.sort(key=lambda r: r["seconds"])
        median = dict(runs[(len(runs) - 1) // 2])
        median["runs"] = [round(r["seconds"], 3) for r in runs]
        median["peak_rss_mib"] = max(r["peak_rss_mib"] for r in runs)
        median["max_load1"] = max(r["load1"] for r in runs)
        median["max_others"] = max(r["others"] for r in runs)
        return median

    def steady(self, case: list[str], results: Path | None) -> dict[str, Any]:
        run = self.once(case, results)
        for _ in range(self.args.retries):
            if run["others"] <= self.args.max_others:
                break
            print("#   others used over --max-others of the CPUs: again", file=sys.stderr)
            again = self.once(case, results)
            run = again if again["others"] < run["others"] else run
        return run


# --- Checking results ----------------------------------------------------------------------------


def compare(ours: Path, peer: Path, whole_seconds: bool = False) -> str:
    """'equal' or what differs between two results files.

    ``whole_seconds``: the peer truncates durations to whole seconds (pm4py's Polars
    backend uses ``dt.total_seconds()``), so case durations are compared after truncating
    ours, and times between activities within one second."""
    a = json.loads(ours.read_text(encoding="utf-8"))
    b = json.loads(peer.read_text(encoding="utf-8"))
    tolerance = 1.0 if whole_seconds else 1e-3
    problems = []
    if a["dfg"] != b["dfg"]:
        da = {(s, t): n for s, t, n in a["dfg"]}
        db = {(s, t): n for s, t, n in b["dfg"]}
        diff = [k for k in da.keys() | db.keys() if da.get(k) != db.get(k)]
        problems.append(f"DFG differs on {len(diff)} of {len(db)} edges")
    if a["variants"] != b["variants"]:
        problems.append(f"variants {a['variants']} vs {b['variants']}")
    ours_durations = (
        [float(math.floor(d)) for d in a["durations"]] if whole_seconds else a["durations"]
    )
    if len(ours_durations) != len(b["durations"]):
        problems.append(f"cases {len(ours_durations)} vs {len(b['durations'])}")
    else:
        worst = max(
            (abs(x - y) for x, y in zip(ours_durations, b["durations"], strict=True)), default=0.0
        )
        if worst > 1e-3:
            problems.append(f"case durations differ by up to {worst:.3f} s")
    pa = {(s, t): (m, x) for s, t, m, x in a["performance"]}
    pb = {(s, t): (m, x) for s, t, m, x in b["performance"]}
    if pa.keys() != pb.keys():
        problems.append("performance DFG edges differ")
    else:
        worst_m = max((abs(pa[k][0] - pb[k][0]) for k in pa), default=0.0)
        worst_x = max((abs(pa[k][1] - pb[k][1]) for k in pa), default=0.0)
        if worst_m > tolerance or worst_x > tolerance:
            problems.append(
                f"performance DFG differs by up to {worst_m:.3f} s (median), {worst_x:.3f} s (mean)"
            )
    if (a["stage_changes"], a["backward_changes"]) != (b["stage_changes"], b["backward_changes"]):
        problems.append(
            f"backtracking {a['backward_changes']}/{a['stage_changes']} vs "
            f"{b['backward_changes']}/{b['stage_changes']}"
        )
    if problems:
        return "; ".join(problems)
    what = (
        f"equal: {len(b['dfg'])} DFG edges and counts, {b['variants']:,} variants, "
        f"{len(b['durations']):,} case durations, backtracking "
        f"{b['backward_changes']:,}/{b['stage_changes']:,} stage changes"
    )
    if whole_seconds:
        what += (
            "; durations equal after truncating ours to whole seconds as pm4py-Polars does, "
            "performance DFG within 1 s"
        )
    else:
        what += "; performance DFG median and mean within 1 ms"
    return what


# --- Reporting ----------------------------------------------------------------------------------


def secs(value: float) -> str:
    return f"{value:.2f}" if value >= 0.1 else f"{value * 1000:.1f} ms"


def ms(value: float) -> str:
    return f"{value * 1000:.0f}" if value >= 0.01 else f"{value * 1000:.1f}"


def mib(value: float) -> str:
    return f"{value:,.0f}"


def met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def warm_target(events: int) -> float:
    if events <= 1_000_000:
        return WARM_TARGETS[1_000_000]
    return WARM_TARGETS[10_000_000]


def cold(runner: Runner, size: int, world: Path, csv: Path, peers: bool) -> dict[str, Any]:
    out_dir = runner.args.data / "results" / f"cold-{size}"
    out_dir.mkdir(parents=True, exist_ok=True)
    cases: dict[str, list[str]] = {}
    for fmt, path in (("parquet", world / "events.parquet"), ("csv", csv)):
        if peers:
            cases[f"pm4py-pandas {fmt}"] = ["pm4py-pandas", "--format", fmt, "--input", str(path)]
            cases[f"pm4py-polars {fmt}"] = ["pm4py-polars", "--format", fmt, "--input", str(path)]
        cases[f"jornada {fmt}"] = ["jornada", "--format", fmt, "--input", str(path)]
    cases["jornada analyze (CLI) parquet"] = ["cli", "--input", str(world / "events.parquet")]
    runs = {}
    for name, case in cases.items():
        results = out_dir / (name.replace(" ", "_") + ".json") if name[0] in "jp" else None
        if "CLI" in name:
            results = None
        runs[name] = runner.measure(case, results)
        runs[name]["results_file"] = str(results) if results else None
    checks = {}
    if peers:
        for fmt in ("parquet", "csv"):
            ours = Path(runs[f"jornada {fmt}"]["results_file"])
            for backend in ("pandas", "polars"):
                peer = Path(runs[f"pm4py-{backend} {fmt}"]["results_file"])
                checks[f"jornada {fmt} vs pm4py-{backend} {fmt}"] = compare(
                    ours, peer, whole_seconds=backend == "polars"
                )
    return {"size": size, "runs": runs, "checks": checks}


def print_cold(result: dict[str, Any]) -> None:
    size, runs = result["size"], result["runs"]
    print(f"\n### Cold, {size:,} events\n")
    print(
        "| case | seconds (median) | runs (s) | peak RSS (MiB) | pm4py-pandas : jornada "
        "| pm4py-polars : jornada | load avg | others |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for name, run in runs.items():
        fmt = "csv" if name.endswith("csv") else "parquet"
        ratio_pd = ratio_pl = ""
        if name.startswith("jornada") and f"pm4py-pandas {fmt}" in runs:
            ratio_pd = f"{runs[f'pm4py-pandas {fmt}']['seconds'] / run['seconds']:.2f}x"
            ratio_pl = f"{runs[f'pm4py-polars {fmt}']['seconds'] / run['seconds']:.2f}x"
        print(
            f"| {name} | {secs(run['seconds'])} | {', '.join(f'{r:.2f}' for r in run['runs'])} "
            f"| {mib(run['peak_rss_mib'])} | {ratio_pd} | {ratio_pl} | {run['max_load1']} "
            f"| {run['max_others']:.0%} |"
        )
    for check, verdict in result["checks"].items():
        print(f"\n- {check}: {verdict}", end="")
    if result["checks"]:
        print()
    for fmt in ("parquet", "csv"):
        if f"pm4py-pandas {fmt}" not in runs:
            continue
        ours = runs[f"jornada {fmt}"]["seconds"]
        pd_ratio = runs[f"pm4py-pandas {fmt}"]["seconds"] / ours
        pl_ratio = runs[f"pm4py-polars {fmt}"]["seconds"] / ours
        print(
            f"- target from {fmt}: ≥ {COLD_VS_PANDAS:.0f}x pm4py-pandas: {pd_ratio:.2f}x, "
            f"{met(pd_ratio >= COLD_VS_PANDAS)}; ≥ {COLD_VS_POLARS:.0f}x pm4py-polars: "
            f"{pl_ratio:.2f}x, {met(pl_ratio >= COLD_VS_POLARS)}"
        )
    print("\nSteps of the median runs (s):\n")
    for name, run in runs.items():
        steps = ", ".join(f"{k} {v:.2f}" for k, v in run["steps"].items())
        print(f"- {name}: {steps}")


def warm(runner: Runner, size: int, world: Path) -> dict[str, Any]:
    run = runner.steady(
        ["warm", "--input", str(world), "--repeats", str(runner.args.repeats)], None
    )
    run["size"] = size
    return run


def print_warm(run: dict[str, Any]) -> None:
    size, target = run["size"], warm_target(run["size"])
    filters = run["filters"]
    print(
        f"\n### Warm, {size:,} events (after import + prepare; target ≤ {ms(target)} ms "
        f"per analysis)\n"
    )
    print(
        f"Import of the whole world {run['steps']['import world']:.2f} s, prepare "
        f"{run['steps']['prepare']:.2f} s; load avg {run['load1']}, others "
        f"{run['others']:.0%}; each time below is the median of {runner_repeats(run)} "
        "runs in one process (one run when the first takes over 2 s).\n"
    )
    print(
        "| filter | cases | events | discover (all tables) ms | slowest query | "
        "slowest ms | queries ≤ target |"
    )
    print("|---|---:|---:|---:|---|---:|---|")
    for name, f in filters.items():
        slowest = max(f["queries"], key=lambda q: f["queries"][q])
        within = sum(1 for v in f["queries"].values() if v <= target)
        print(
            f"| {name} | {f['cases']:,} | {f['events']:,} | {ms(f['discover'])} | {slowest} "
            f"| {ms(f['queries'][slowest])} | {within}/{len(f['queries'])} |"
        )
    names = list(next(iter(filters.values()))["queries"])
    print("\nEach query alone (ms):\n")
    print("| query | " + " | ".join(filters) + " |")
    print("|---|" + "---:|" * len(filters))
    for q in names:
        cells = " | ".join(
            ms(f["queries"][q]) + ("" if f["queries"][q] <= target else " ✗")
            for f in filters.values()
        )
        print(f"| {q} | {cells} |")
    worst = max(f["discover"] for f in filters.values())
    worst_q = max(v for f in filters.values() for v in f["queries"].values())
    print(
        f"\n- target ≤ {ms(target)} ms for any analysis: slowest single query "
        f"{ms(worst_q)} ms, {met(worst_q <= target)}; all tables together up to "
        f"{ms(worst)} ms, {met(worst <= target)}"
    )
    print("\nWhere the slowest queries spend their time (EXPLAIN ANALYZE, top operators):\n")
    for q, prof in run["profiles"].items():
        tops = "; ".join(
            f"{o['operator']} {o['share']:.0%} ({o['rows']:,} rows"
            + (f", {o['what']})" if o["what"] else ")")
            for o in prof["top_operators"][:4]
        )
        print(f"- {q} ({prof['query_seconds']:.2f} s): {tops}")


def runner_repeats(run: dict[str, Any]) -> str:
    case = run["case"].split()
    return case[case.index("--repeats") + 1] if "--repeats" in case else "3"


def scale(runner: Runner, size: int, world: Path, csv: Path, quick: bool) -> dict[str, Any]:
    runs = {}
    inputs = [("csv", csv)] + ([] if quick else [("parquet", world / "events.parquet")])
    for fmt, path in inputs:
        for ws in ("memory", "file"):
            runs[f"{fmt} -> {ws}"] = runner.measure(
                ["jornada", "--format", fmt, "--input", str(path), "--workspace", ws]
            )
    return {"size": size, "runs": runs}


def print_scale(result: dict[str, Any]) -> None:
    size, runs = result["size"], result["runs"]
    print(f"\n### Scale, {size:,} events\n")
    print(
        "| input -> workspace | import (s) | full analysis (s) | total (s) | peak RSS (MiB) "
        "| workspace file (MiB) | load avg | others |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, run in runs.items():
        st = run["steps"]
        print(
            f"| {name} | {st['import']:.2f} | {st['discover']:.2f} | {run['seconds']:.2f} "
            f"| {mib(run['peak_rss_mib'])} | {run.get('workspace_mib') or ''} "
            f"| {run['max_load1']} | {run['max_others']:.0%} |"
        )
    csv_import = max(r["steps"]["import"] for n, r in runs.items() if n.startswith("csv"))
    analysis = max(r["steps"]["discover"] for r in runs.values())
    rss = max(r["peak_rss_mib"] for r in runs.values())
    print(
        f"\n- import of the {size:,}-event CSV < {IMPORT_CSV_TARGET:.0f} s: up to "
        f"{csv_import:.1f} s, {met(csv_import < IMPORT_CSV_TARGET)}"
    )
    print(
        f"- full analysis < {ANALYSIS_TARGET:.0f} s: up to {analysis:.1f} s, "
        f"{met(analysis < ANALYSIS_TARGET)}"
    )
    print(
        f"- peak RSS < 3 GB ({RSS_TARGET_MIB:,.0f} MiB): up to {rss:,.0f} MiB, "
        f"{met(rss < RSS_TARGET_MIB)}"
    )


def print_breakdown(columns: dict[str, dict[str, Any]]) -> None:
    if not columns:
        return
    print("\n### Breakdown: where the time goes (s; share of import + discover)\n")
    rows: list[str] = []
    for run in columns.values():
        for key in run["detail"]:
            if key not in rows:
                rows.append(key)
    rows.sort(key=lambda k: (not k.startswith("import"), not k.startswith("prepare"), k))
    print("| step | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for key in rows:
        cells = []
        for run in columns.values():
            value = run["detail"].get(key)
            total = run["steps"]["import"] + run["steps"]["discover"]
            cells.append("" if value is None else f"{value:.2f} ({value / total:.0%})")
        print(f"| {key} | " + " | ".join(cells) + " |")
    totals = " | ".join(
        f"{r['steps']['import']:.2f} + {r['steps']['discover']:.2f}" for r in columns.values()
    )
    print(f"| **import + discover** | {totals} |")


# --- Main ---------------------------------------------------------------------------------------


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000], help="cold sizes (events)"
    )
    parser.add_argument(
        "--scale", type=int, default=10_000_000, help="scale size (events); 0 skips the scale runs"
    )
    parser.add_argument(
        "--warm-sizes",
        type=int,
        nargs="*",
        help="warm sizes (default: the smallest size and --scale)",
    )
    parser.add_argument(
        "--only", nargs="+", choices=["cold", "warm", "scale"], default=["cold", "warm", "scale"]
    )
    parser.add_argument("--no-peers", action="store_true", help="skip pm4py")
    parser.add_argument("--quick", action="store_true", help="smoke run: 100k events, 1 run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("/tmp/jornada-bench"))
    parser.add_argument(
        "--commit",
        help="run a clean export of this commit (default: the working tree as installed)",
    )
    parser.add_argument(
        "--max-others",
        type=float,
        default=0.15,
        help="share of the CPUs others may use during a run (default 0.15)",
    )
    parser.add_argument(
        "--max-wait",
        type=float,
        default=300.0,
        help="seconds to wait for a quiet machine before a run",
    )
    parser.add_argument("--retries", type=int, default=2)
    parser.add_argument("--sample", type=float, default=2.0, help="seconds of the quiet check")
    parser.add_argument("--json", type=Path, help="write every measurement here")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.scale, args.repeats = [100_000], 100_000, 1
        args.max_wait, args.retries, args.sample = 0.0, 0, 0.3
    warm_sizes = args.warm_sizes
    if warm_sizes is None:
        warm_sizes = sorted({min(args.sizes), *([args.scale] if args.scale else [])})
    args.data.mkdir(parents=True, exist_ok=True)
    env, code = source_env(args.commit, args.data)
    info = machine()
    info["code"] = code
    info["command"] = "python benchmarks/bench_engine.py " + " ".join(argv)
    print(
        f"# {info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB RAM; Python "
        f"{info['python']}; " + ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    )
    print(f"# {info['date']}; {code}; `{info['command']}`")
    print(f"# load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    runner = Runner(args, env)
    inputs = {}
    for size in sorted({*args.sizes, *warm_sizes, *([args.scale] if args.scale else [])}):
        inputs[size] = ensure_inputs(args.data, size, env)
    report: dict[str, Any] = {"machine": info, "cold": [], "warm": [], "scale": None}
    breakdown: dict[str, dict[str, Any]] = {}
    if "cold" in args.only:
        for size in args.sizes:
            print(f"# cold {size:,}; load {os.getloadavg()[0]:.2f}", file=sys.stderr)
            result = cold(runner, size, *inputs[size], peers=not args.no_peers)
            report["cold"].append(result)
            print_cold(result)
            if size == min(args.sizes):
                for fmt in ("parquet", "csv"):
                    breakdown[f"{size / 1e6:g}M {fmt} -> memory"] = result["runs"][f"jornada {fmt}"]
    if "warm" in args.only:
        for size in warm_sizes:
            print(f"# warm {size:,}; load {os.getloadavg()[0]:.2f}", file=sys.stderr)
            run = warm(runner, size, inputs[size][0])
            report["warm"].append(run)
            print_warm(run)
    if "scale" in args.only and args.scale:
        print(f"# scale {args.scale:,}; load {os.getloadavg()[0]:.2f}", file=sys.stderr)
        report["scale"] = scale(runner, args.scale, *inputs[args.scale], quick=args.quick)
        print_scale(report["scale"])
        for name, run in report["scale"]["runs"].items():
            breakdown[f"{args.scale / 1e6:g}M {name}"] = run
    print_breakdown(breakdown)
    report["log"] = runner.log
    target = args.json or args.data / "results" / f"engine-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    print(f"\n# every measurement: {target}")
    print(f"# load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main(sys.argv[1:])
