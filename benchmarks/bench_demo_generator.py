"""Time and peak memory of the demo-world generator.

Each size runs in a fresh subprocess, which reports its own peak RSS (getrusage).

    python benchmarks/bench_demo_generator.py            # 1M and 10M events
    python benchmarks/bench_demo_generator.py 200000     # chosen sizes
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import json, resource, sys, time
from pathlib import Path
from jornada.demo import generate_world
t0 = time.perf_counter()
s = generate_world(Path(sys.argv[1]), events=int(sys.argv[2]), seed=7)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": time.perf_counter() - t0, "counts": s.counts, "peak_kib": peak}))
"""


def run(events: int) -> dict[str, object]:
    """Generate one world in a subprocess; wall time, peak RSS and output size."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "world"
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(out), str(events)],
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.perf_counter() - started
        size = sum(p.stat().st_size for p in out.iterdir())
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return {
        "events": events,
        "generate_seconds": round(float(result["seconds"]), 2),
        "process_seconds": round(wall, 2),
        "peak_rss_mib": round(int(result["peak_kib"]) / 1024, 1),
        "output_mib": round(size / 2**20, 1),
        "accounts": result["counts"]["accounts"],
    }


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1_000_000, 10_000_000]
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print("| events | generate (s) | process (s) | peak RSS (MiB) | output (MiB) | accounts |")
    print("|---:|---:|---:|---:|---:|---:|")
    for events in sizes:
        r = run(events)
        print(
            f"| {r['events']:,} | {r['generate_seconds']} | {r['process_seconds']} "
            f"| {r['peak_rss_mib']} | {r['output_mib']} | {r['accounts']:,} |",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
