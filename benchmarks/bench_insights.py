"""Warm re-computation of every insight analysis with a filter, on a demo world.

The world is imported into an in-memory workspace with the demo map, ``prepare`` runs
once, every analysis runs once to fill its caches, then each ``analyse(ctx)`` is timed
``--repeats`` times under each filter (wall and process CPU time, median and minimum).
"first run" is the analysis's first call after ``prepare``, which builds its caches.
The budget (issue 4, DESIGN.md) is 100 ms per analysis at 1M events.

    python benchmarks/bench_insights.py                       # 1M events, seed 7
    python benchmarks/bench_insights.py --events 200000 --repeats 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from jornada.demo import generate_world
from jornada.demo.demomap import build_demo_map
from jornada.engine.options import AnalysisOptions, Filters, Outcome
from jornada.engine.prepare import prepare
from jornada.ingest.batch import import_paths
from jornada.insights import Context, register_map
from jornada.insights.run import modules
from jornada.workspace import Workspace

FILTERS = {
    "none": Filters(),
    "outcome=won": Filters(outcome=Outcome.won),
    "segment=enterprise": Filters(segment="enterprise"),
    "role=procurement": Filters(role="procurement"),
    "period 2025-Q1": Filters(
        since=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), until=dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only", nargs="+", help="analyses to time (module names)")
    args = parser.parse_args()
    journey = build_demo_map("en")
    with tempfile.TemporaryDirectory() as folder:
        world = Path(folder) / "world"
        generate_world(world, events=args.events, seed=args.seed)
        ws = Workspace.open(":memory:")
        import_paths(ws, [world], journey=journey)
    con: duckdb.DuckDBPyConnection = ws.con
    started = time.perf_counter()
    prepare(con, AnalysisOptions())
    register_map(con, journey)
    prepared = time.perf_counter() - started
    print(f"## Insight analyses, warm, {args.events:,} events (seed {args.seed})\n")
    print(
        f"{platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}; load average {os.getloadavg()[0]:.1f} at start; "
        f"prepare {prepared:.2f} s; {args.repeats} runs per cell, median wall (CPU) ms.\n"
    )
    header = "| analysis | first run | " + " | ".join(FILTERS) + " |"
    print(header)
    print("|---|---:|" + "---:|" * len(FILTERS))
    worst = 0.0
    for module in modules():
        name = module.__name__.rsplit(".", 1)[-1]
        if args.only and name not in args.only:
            continue
        cells = []
        for filters in FILTERS.values():
            ctx = Context(con, AnalysisOptions(filters=filters), journey)
            wall = time.perf_counter()
            module.analyse(ctx)  # fills the caches the first time, then warms up
            if not cells:
                cells.append(f"{(time.perf_counter() - wall) * 1000:.0f}")
            walls, cpus = [], []
            for _ in range(args.repeats):
                wall, cpu = time.perf_counter(), time.process_time()
                module.analyse(ctx)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            median = statistics.median(walls) * 1000
            worst = max(worst, median) if filters != Filters() else worst
            cells.append(f"{median:.0f} ({statistics.median(cpus) * 1000:.0f})")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(
        f"\nSlowest analysis with a filter: {worst:.0f} ms (budget 100 ms): "
        f"{'met' if worst <= 100 else 'missed'}; load average at end "
        f"{os.getloadavg()[0]:.1f}."
    )
    ws.close()


if __name__ == "__main__":
    main()
