"""Do the insights find what the demo generator planted, across seeds and sizes, and stay
quiet on worlds with nothing planted?

For each seed and size a planted world and a null world (``WorldConfig.null()``) are
generated, imported with the demo map and analysed as ``jornada analyze`` does. On planted
worlds it checks that the win-lifting touchpoint is in the top 3 critical touchpoints, the
friction touchpoint in the top 3 friction findings, the overloaded rep flagged, the content
gap flagged and the role-coverage effect flagged (a buying-group finding on coverage). On
null worlds it counts, per planted kind, worlds where a finding of that kind scores 0.1 or
more (a false positive), and lists the top findings.

    python benchmarks/planted_recall.py                     # seeds 3 5 7 11 13; 30k 60k 200k
    python benchmarks/planted_recall.py --seeds 3 --sizes 60000
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from jornada.demo import generate_world
from jornada.demo.config import WorldConfig
from jornada.demo.demomap import build_demo_map
from jornada.demo.truth import planted_found
from jornada.engine import AnalysisOptions
from jornada.ingest.batch import import_paths
from jornada.insights.run import analyse
from jornada.workspace import Workspace

KINDS = ("critical_touchpoint", "friction", "rep_load", "content_gap", "buying_group")
FALSE_POSITIVE_SCORE = 0.1


def findings_of(folder: Path, seed: int, events: int, null: bool) -> tuple[list[Any], Any]:
    world = folder / f"{'null' if null else 'planted'}-{seed}-{events}"
    config = WorldConfig.null() if null else None
    generate_world(world, events=events, seed=seed, config=config)
    truth = json.loads((world / "truth.json").read_text(encoding="utf-8"))
    journey = build_demo_map("en")
    with Workspace.open(":memory:") as ws:
        import_paths(ws, [world], journey=journey)
        analysis = analyse(ws.con, AnalysisOptions(), journey)
    return analysis.findings, truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[3, 5, 7, 11, 13])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 60_000, 200_000])
    args = parser.parse_args()
    recall: Counter[str] = Counter()
    runs = 0
    false_positives: Counter[str] = Counter()
    null_runs = 0
    misses: list[str] = []
    null_tops: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for events in args.sizes:
            for seed in args.seeds:
                findings, truth = findings_of(Path(folder), seed, events, null=False)
                checks = planted_found(findings, truth)
                runs += 1
                recall.update(k for k, ok in checks.items() if ok)
                misses += [f"{k} (seed {seed}, {events:,})" for k, ok in checks.items() if not ok]
                findings, _ = findings_of(Path(folder), seed, events, null=True)
                null_runs += 1
                raised = {f["kind"] for f in findings if f["score"] >= FALSE_POSITIVE_SCORE}
                false_positives.update(k for k in KINDS if k in raised)
                top = ", ".join(f"{f['kind']} {f['score']:.2f}" for f in findings[:3])
                null_tops.append(f"seed {seed}, {events:,}: {top}")
                print(f"seed {seed} {events:>9,}: {sum(checks.values())}/5 planted found; "
                      f"null world raised {sorted(raised & set(KINDS)) or 'nothing'}",
                      flush=True)  # fmt: skip
    print(f"\n## Planted truths found, {runs} planted and {null_runs} null worlds\n")
    print(f"seeds {args.seeds}, sizes {args.sizes} events\n")
    print("| check | found |")
    print("|---|---:|")
    for key in ("win_lift_top3", "friction_top3", "rep_flagged", "content_gap_flagged",
                "role_coverage_flagged"):  # fmt: skip
        print(f"| {key} | {recall[key]}/{runs} |")
    total = null_runs * len(KINDS)
    print(f"\nFalse positives on null worlds (a planted kind scoring ≥ {FALSE_POSITIVE_SCORE}): "
          f"{sum(false_positives.values())}/{total} world×kind pairs "
          f"({dict(false_positives) or 'none'})")  # fmt: skip
    if misses:
        print("\nMisses: " + "; ".join(misses))
    print("\nTop 3 findings on null worlds: " + " | ".join(null_tops))


if __name__ == "__main__":
    main()
