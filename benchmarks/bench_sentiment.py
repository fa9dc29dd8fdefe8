"""Agreement of jornada's offline verbatim sentiment with labelled reviews, and its speed.

Data sets (evaluation only, read in place, never copied into the project):

- ``../shared/realdata/restmex2021_es_sentiment/``: 5,197 Spanish TripAdvisor-style reviews
  labelled 1-5, read with jornada's own CSV reader (``jornada.ingest.readers.load_raw``);
  the literal extra quotes around most titles and opinions are trimmed. Split by the
  parity of ``index``: odd rows are the *dev* half the lexicon was tuned on, even rows the
  *test* half reported as the result.
- ``../shared/realdata/olist_reviews_pt_sample/``: 62 Portuguese order reviews with a 1-5
  score (26 have a comment), same reader.
- a demo world's survey comments: the generator draws each comment with the sentiment of
  its score band (``jornada.demo.tables.SCALES``), so the label is known.

Labels map to three classes: 1-2 negative, 3 neutral, 4-5 positive. Reported: accuracy
on three classes, accuracy on polar items only (labels 1-2 vs 4-5, predicted polarity =
sign of the score, a zero score counts as wrong), balanced polar accuracy (mean of the
negative and positive recalls), macro-F1 on three classes, the confusion matrix and the
time per 1,000 verbatims (scoring in DuckDB, lexicon already registered).

    python benchmarks/bench_sentiment.py                 # print the Markdown section
    python benchmarks/bench_sentiment.py --write         # also write benchmarks/results/
    python benchmarks/bench_sentiment.py --errors dev    # show misread dev reviews (tuning)
    python benchmarks/bench_sentiment.py --emotions-events 1000000   # also time analyse()

With ``--emotions-events`` it also times ``jornada.insights.emotions.analyse`` on a demo
world of that size (seed 7, demo map): the first call (which scores every comment and
caches the scores for the connection) and repeated warm calls with and without a filter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from jornada.ingest.readers import load_raw
from jornada.insights.sentiment import register_lexicon, score_verbatims

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
RESTMEX = REALDATA / "restmex2021_es_sentiment" / "rest-mex_2021_Sentiment_data_train.csv"
OLIST = REALDATA / "olist_reviews_pt_sample" / "olist_order_reviews_dataset_first60.csv"
CLASSES = ("negative", "neutral", "positive")


def restmex(con: duckdb.DuckDBPyConnection) -> str:
    """Table ``restmex`` (id, text, language, stars, half) from the shared CSV."""
    load_raw(con, RESTMEX, "restmex_raw")
    con.execute("""
        CREATE OR REPLACE TABLE restmex AS
        SELECT "index" AS id, trim(Opinion, '"') AS text, NULL AS language,
               CAST(Label AS INTEGER) AS stars,
               CASE WHEN CAST("index" AS INTEGER) % 2 = 1 THEN 'dev' ELSE 'test' END AS half
        FROM restmex_raw
    """)
    return "restmex"


def olist(con: duckdb.DuckDBPyConnection) -> str:
    """Table ``olist`` (id, text, language, stars) of the reviews that have a comment."""
    load_raw(con, OLIST, "olist_raw")
    con.execute("""
        CREATE OR REPLACE TABLE olist AS
        SELECT review_id AS id,
               concat_ws('. ', nullif(trim(review_comment_title), ''),
                         nullif(trim(review_comment_message), '')) AS text,
               'pt' AS language, CAST(review_score AS INTEGER) AS stars
        FROM olist_raw
        WHERE nullif(trim(review_comment_message), '') IS NOT NULL
           OR nullif(trim(review_comment_title), '') IS NOT NULL
    """)
    return "olist"


def demo(con: duckdb.DuckDBPyConnection, events: int) -> str:
    """Table ``demo`` (id, text, language, stars) of a demo world's comments; ``stars``
    is 1/3/5 for the negative/neutral/positive band the generator drew the comment in."""
    from jornada.demo import generate_world
    from jornada.demo.tables import SCALES

    folder = Path(tempfile.mkdtemp(prefix="bench_sentiment_"))
    generate_world(folder, events=events, seed=7)
    bands = " ".join(
        f"WHEN survey = '{name}' THEN CASE WHEN score <= {neg} THEN 1 "
        f"WHEN score <= {neu} THEN 3 ELSE 5 END"
        for name, (_, _, _, _, neg, neu) in SCALES.items()
    )
    con.execute(f"""
        CREATE OR REPLACE TABLE demo AS
        SELECT feedback_id AS id, verbatim AS text, language, CASE {bands} END AS stars
        FROM read_parquet('{folder / "feedback.parquet"}') WHERE verbatim IS NOT NULL
    """)
    return "demo"


def stars_class(stars: int) -> str:
    return "negative" if stars <= 2 else "neutral" if stars == 3 else "positive"


def metrics(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Agreement figures for rows with ``stars``, ``label`` and ``score``."""
    confusion = {(t, p): 0 for t in CLASSES for p in CLASSES}
    for r in rows:
        confusion[(stars_class(r["stars"]), r["label"])] += 1
    n = len(rows)
    correct = sum(confusion[(c, c)] for c in CLASSES)
    f1s = []
    for c in CLASSES:
        tp = confusion[(c, c)]
        predicted = sum(confusion[(t, c)] for t in CLASSES)
        actual = sum(confusion[(c, p)] for p in CLASSES)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    polar = [r for r in rows if r["stars"] != 3]
    hit = {"negative": [0, 0], "positive": [0, 0]}
    for r in polar:
        truth = stars_class(r["stars"])
        hit[truth][1] += 1
        if (truth == "positive" and r["score"] > 0) or (truth == "negative" and r["score"] < 0):
            hit[truth][0] += 1
    recalls = [h / t for h, t in hit.values() if t]
    return {
        "n": n,
        "accuracy3": correct / n if n else 0.0,
        "macro_f1": sum(f1s) / 3,
        "polar_n": len(polar),
        "polar_accuracy": sum(h for h, _ in hit.values()) / len(polar) if polar else 0.0,
        "polar_balanced": sum(recalls) / len(recalls) if recalls else 0.0,
        "negative_recall": hit["negative"][0] / hit["negative"][1] if hit["negative"][1] else 0,
        "positive_recall": hit["positive"][0] / hit["positive"][1] if hit["positive"][1] else 0,
        "confusion": confusion,
    }


def score(
    con: duckdb.DuckDBPyConnection, table: str, where: str = "TRUE"
) -> tuple[list[Any], float]:
    """Scored rows joined with their stars, and seconds per 1,000 texts (best of 3)."""
    query = f"SELECT id, text, language FROM {table} WHERE {where}"
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        scored = score_verbatims(con, query)
        best = min(best, time.perf_counter() - started)
    con.register("scored", scored)
    rows = con.execute(
        f"SELECT t.id, t.text, t.stars, s.score, s.label, s.negative_terms, s.positive_terms "
        f"FROM {table} t JOIN scored s ON s.id = CAST(t.id AS VARCHAR) WHERE {where}"
    ).fetchall()
    con.unregister("scored")
    keys = ("id", "text", "stars", "score", "label", "negative_terms", "positive_terms")
    out = [dict(zip(keys, r, strict=True)) for r in rows]
    return out, best / max(len(out), 1) * 1000


def table_md(name: str, m: dict[str, Any], per_1000: float) -> str:
    return (
        f"| {name} | {m['n']:,} | {m['accuracy3']:.3f} | {m['macro_f1']:.3f} | "
        f"{m['polar_n']:,} | {m['polar_accuracy']:.3f} | {m['polar_balanced']:.3f} | "
        f"{m['negative_recall']:.3f} | {m['positive_recall']:.3f} | {per_1000 * 1000:.0f} |"
    )


def confusion_md(name: str, m: dict[str, Any]) -> str:
    lines = [f"**{name}** (rows: label from stars; columns: predicted)", "",
             "| | negative | neutral | positive |", "|---|---:|---:|---:|"]  # fmt: skip
    for t in CLASSES:
        cells = " | ".join(f"{m['confusion'][(t, p)]:,}" for p in CLASSES)
        lines.append(f"| {t} | {cells} |")
    return "\n".join(lines)


def errors(rows: list[dict[str, Any]], limit: int) -> None:
    wrong = [r for r in rows if r["stars"] != 3 and stars_class(r["stars"]) != r["label"]]
    wrong.sort(key=lambda r: (r["stars"], -abs(r["score"])))
    for r in wrong[:limit]:
        print(f"[{r['stars']}] {r['score']:+.2f} -{r['negative_terms']} +{r['positive_terms']}")
        print("   ", r["text"][:400].replace("\n", " "))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write benchmarks/results/")
    parser.add_argument("--demo-events", type=int, default=300_000)
    parser.add_argument("--errors", choices=["dev", "olist", "demo"], default=None)
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--emotions-events", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    if not RESTMEX.is_file() or not OLIST.is_file():
        print(f"labelled reviews not found under {REALDATA}", file=sys.stderr)
        return 1
    con = duckdb.connect()
    register_lexicon(con)
    results: list[tuple[str, dict[str, Any], float]] = []
    restmex(con)
    dev, dev_t = score(con, "restmex", "half = 'dev'")
    if args.errors == "dev":
        errors(dev, args.limit)
    results.append(("restmex dev (tuned on)", metrics(dev), dev_t))
    if args.errors is None:
        test, test_t = score(con, "restmex", "half = 'test'")
        results.append(("restmex test (held out)", metrics(test), test_t))
    olist(con)
    pt, pt_t = score(con, "olist")
    if args.errors == "olist":
        errors(pt, args.limit)
    results.append(("olist pt sample", metrics(pt), pt_t))
    if args.errors in (None, "demo"):
        demo(con, args.demo_events)
        dm, dm_t = score(con, "demo")
        if args.errors == "demo":
            errors(dm, args.limit)
        results.append(("demo world (es/pt/en)", metrics(dm), dm_t))
    section = render(results, argv)
    if args.emotions_events:
        section += "\n" + time_emotions(args.emotions_events, args.repeat)
    print(section)
    if args.write:
        out = ROOT / "benchmarks" / "results" / "sentiment.md"
        out.parent.mkdir(exist_ok=True)
        out.write_text(section, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    return 0


def render(results: list[tuple[str, dict[str, Any], float]], argv: list[str]) -> str:
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    lines = [
        "## Verbatim sentiment (es/pt/en, offline lexicon in SQL)",
        "",
        f"{dt.date.today().isoformat()}; {machine}; Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}; "
        f"`python benchmarks/bench_sentiment.py {' '.join(argv)}`".rstrip()
        + ".",
        "",
        "Three classes: stars 1-2 negative, 3 neutral, 4-5 positive. Polar: stars 1-2 vs 4-5,"
        " predicted by the sign of the score (zero counts as wrong); balanced = mean of the"
        " two recalls. The lexicon was tuned on the restmex *dev* half (odd `index`) only;"
        " the *test* half (even `index`) was not looked at while tuning.",
        "",
        "| data | verbatims | accuracy (3 classes) | macro-F1 | polar n | polar accuracy |"
        " polar balanced | negative recall | positive recall | ms per 1,000 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [table_md(name, m, t) for name, m, t in results]
    lines.append("")
    for name, m, _ in results:
        lines += [confusion_md(name, m), ""]
    return "\n".join(lines)


def time_emotions(events: int, repeat: int) -> str:
    """Markdown lines timing emotions.analyse on a demo world of ``events`` events."""
    import statistics

    from jornada.demo import generate_world
    from jornada.demo.demomap import build_demo_map
    from jornada.engine.options import AnalysisOptions, Filters, Outcome
    from jornada.engine.prepare import prepare
    from jornada.ingest.batch import import_paths, use_map
    from jornada.insights import Context, emotions, register_map
    from jornada.workspace import Workspace

    folder = Path(tempfile.mkdtemp(prefix="bench_emotions_"))
    generate_world(folder, events=events, seed=7)
    ws = Workspace.open(":memory:")
    journey = build_demo_map()
    import_paths(ws, [folder])
    use_map(ws, journey)
    options = AnalysisOptions()
    prepare(ws.con, options)
    register_map(ws.con, journey)
    feedback, comments = ws.con.execute(
        "SELECT count(*), count(verbatim) FROM feedback"
    ).fetchall()[0]
    ctx = Context(ws.con, options, journey)
    started = time.perf_counter()
    emotions.analyse(ctx)
    first = time.perf_counter() - started
    lines = [
        f"### emotions.analyse on a {events:,}-event demo world",
        "",
        f"{feedback:,} feedback rows, {comments:,} comments. First call (scores every comment "
        f"and caches the scores for the connection): {first:.2f} s. Warm calls, {repeat} runs "
        f"each, load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        "",
        "Wall time is inflated by other work on the shared machine; CPU time is this "
        "process's (all DuckDB threads) per call.",
        "",
        "| call | wall min (ms) | wall median (ms) | CPU median (ms) |",
        "|---|---:|---:|---:|",
    ]
    filtered = Context(ws.con, AnalysisOptions(filters=Filters(outcome=Outcome.won)), journey)
    for name, c in (("warm, no filter", ctx), ("warm, filter outcome=won", filtered)):
        times, cpu = [], []
        for _ in range(repeat):
            started, used = time.perf_counter(), time.process_time()
            emotions.analyse(c)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
        lines.append(
            f"| {name} | {min(times) * 1000:.0f} | {statistics.median(times) * 1000:.0f} "
            f"| {statistics.median(cpu) * 1000:.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
