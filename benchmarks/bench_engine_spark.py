"""DuckDB vs Spark (local mode) on the same discovery analysis of a demo world.

For each size: generate a world, import it into an in-memory workspace, export it with
``export_for_spark``, then time ``discover`` (DuckDB) and ``discover_spark`` (one
``local_session``; the first Spark analysis pays the JVM warm-up, so it runs twice and both
times are reported). Results are compared (row counts and the summary).

    python benchmarks/bench_engine_spark.py                 # 25k and 1M events
    python benchmarks/bench_engine_spark.py 200000          # chosen sizes
"""

from __future__ import annotations

import math
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from jornada.demo import generate_world
from jornada.demo.world import STAGES
from jornada.engine import AnalysisOptions, discover
from jornada.engine.spark import discover_spark, export_for_spark, local_session
from jornada.ingest.batch import import_paths
from jornada.workspace import Workspace


def _same_summary(a: dict[str, object], b: dict[str, object]) -> bool:
    for key, value in a.items():
        other = b.get(key)
        if isinstance(value, float) and isinstance(other, float):
            if not math.isclose(value, other, rel_tol=1e-9):
                return False
        elif value != other:
            return False
    return True


def run(events: int, spark: object, tmp: Path) -> dict[str, object]:
    world = tmp / f"world-{events}"
    generate_world(world, events=events, seed=7)
    ws = Workspace.open(":memory:")
    import_paths(ws, [world])
    ws.set_stages((s.id, s.phase) for s in STAGES)
    tables = export_for_spark(ws.con, tmp / f"tables-{events}")
    options = AnalysisOptions()
    started = time.perf_counter()
    duck = discover(ws.con, options)
    duck_seconds = time.perf_counter() - started
    spark_seconds = []
    for _ in range(2):
        started = time.perf_counter()
        result = discover_spark(tables, options, stages=ws.stages(), spark=spark)  # type: ignore[arg-type]
        spark_seconds.append(time.perf_counter() - started)
    same = _same_summary(duck.summary, result.summary) and all(
        duck.tables[k].num_rows == result.tables[k].num_rows for k in duck.tables
    )
    ws.close()
    return {
        "events": events,
        "duckdb_s": round(duck_seconds, 2),
        "spark_first_s": round(spark_seconds[0], 1),
        "spark_again_s": round(spark_seconds[1], 1),
        "ratio": round(spark_seconds[1] / duck_seconds, 1),
        "same": same,
    }


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [25_000, 1_000_000]
    cores = os.cpu_count() or 2
    started = time.perf_counter()
    spark = local_session("jornada-bench", cores=cores, memory="4g")
    session_seconds = time.perf_counter() - started
    print(f"# {platform.machine()}, {cores} cores, Python {platform.python_version()}")
    print(f"# Spark {spark.version} local[{cores}], session start {session_seconds:.1f} s")
    print("| events | DuckDB (s) | Spark 1st (s) | Spark again (s) | Spark/DuckDB | same |")
    print("|---:|---:|---:|---:|---:|:---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for events in sizes:
            r = run(events, spark, Path(tmp))
            print(
                f"| {r['events']:,} | {r['duckdb_s']} | {r['spark_first_s']} | "
                f"{r['spark_again_s']} | {r['ratio']}x | {'yes' if r['same'] else 'NO'} |",
                flush=True,
            )
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
