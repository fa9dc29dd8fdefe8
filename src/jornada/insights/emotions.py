"""How customers feel along the journey: the experience curve against the map's targets.

Every survey answer is put on the map's emotion scale, -2 (very negative) to +2 (very
positive), from its survey's scale (NPS 0-10, CSAT 1-5, CES 1-7, or what the scores show;
see :func:`survey_scales`); every comment gets a sentiment score in [-1, 1]
(:mod:`jornada.insights.sentiment`, doubled onto the same scale). Per stage, in map
order, and per touchpoint that feedback names, the *observed emotion* is the mean of the
two (either alone when the other is missing) and is set against the map's target.

A subject (stage or touchpoint) becomes an ``emotion`` finding when its answers *dip*:
they score clearly below answers to the same surveys elsewhere in the journey (compared
survey by survey, so a CES stage is not punished for CES's harsher scale), or when its
observed emotion falls well short of the map's target. Both need enough answers and a
difference far beyond sampling noise.

Filters: with any filter set, only feedback of the journeys kept counts (matched by
account for account and opportunity journeys, by contact for contact journeys), and
``since``/``until`` select feedback by its own timestamp. Without filters every
feedback row counts, including rows of accounts with no events.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from jornada.engine.options import CaseKey
from jornada.i18n import t
from jornada.insights.cache import cached_stamp, scalar, set_stamp
from jornada.insights.context import Context, Finding, Result, finding
from jornada.insights.sentiment import feedback_fingerprint, feedback_sentiment, lexicon

MIN_RESPONSES = 20
"""A subject needs this many survey answers (or comments) before it can be a finding."""
DIP_MIN = 0.4
"""Smallest dip (emotion-scale points below comparable answers) worth a finding."""
GAP_MIN = 1.0
"""Smallest shortfall against the map's target worth a finding: a quarter of the scale
(maps set aspirational targets; on demo worlds with nothing planted the largest
shortfalls are about 0.8)."""
Z_MIN = 3.0
"""Both need to be this many standard errors away from no difference."""
MIN_REFERENCE = 30
"""A survey is compared only when it has this many answers outside the subject."""
THEMES = 5
"""Negative words listed per stage."""

# Survey-name hints: (substring of the lower-cased survey name, low, high).
SCALE_HINTS: tuple[tuple[str, float, float], ...] = (
    ("nps", 0, 10),
    ("csat", 1, 5),
    ("ces", 1, 7),
    ("effort", 1, 7),
    ("satisf", 1, 5),
)
# Scales tried, smallest first, when the name says nothing or disagrees with the scores.
STANDARD_SCALES: tuple[tuple[float, float], ...] = ((1, 5), (1, 7), (0, 10), (0, 100))


@dataclass(frozen=True)
class SurveyScale:
    survey: str
    low: float
    high: float
    source: str
    """``name`` (from the survey's name), ``observed`` (smallest standard scale holding
    the scores) or ``range`` (the scores' own range)."""
    responses: int
    min_score: float
    max_score: float


def survey_scale(survey: str, min_score: float, max_score: float, responses: int) -> SurveyScale:
    """The scale of one survey: its name's when the scores fit it (unless they top out
    exactly at a smaller standard scale's maximum), else the smallest standard scale
    holding the scores, else the scores' own range."""
    name = survey.lower()
    for hint, low, high in SCALE_HINTS:
        if hint in name and low <= min_score and max_score <= high:
            # A smaller standard scale whose top the scores reach wins (CES asked on 1-5).
            for s_low, s_high in STANDARD_SCALES:
                if s_high < high and s_low <= min_score and max_score == s_high:
                    return SurveyScale(
                        survey, s_low, s_high, "observed", responses, min_score, max_score
                    )
            return SurveyScale(survey, low, high, "name", responses, min_score, max_score)
    for low, high in STANDARD_SCALES:
        if low <= min_score and max_score <= high:
            return SurveyScale(survey, low, high, "observed", responses, min_score, max_score)
    return SurveyScale(survey, min_score, max_score, "range", responses, min_score, max_score)


def survey_scales(ctx: Context) -> list[SurveyScale]:
    """Scales of every survey in the workspace (all feedback, so filters do not move them)."""
    rows = ctx.con.execute(
        "SELECT survey, min(score), max(score), count(*) FROM feedback "
        "WHERE score IS NOT NULL AND survey IS NOT NULL GROUP BY survey ORDER BY survey"
    ).fetchall()
    return [survey_scale(str(s), float(lo), float(hi), int(n)) for s, lo, hi, n in rows]


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _normalised_sql(scales: list[SurveyScale]) -> str:
    """SQL for a feedback row's score on the -2..2 scale (NULL for unknown surveys)."""
    if not scales:
        return "CAST(NULL AS DOUBLE)"
    cases = " ".join(
        f"WHEN {_q(s.survey)} THEN "
        + (
            "0.0"
            if s.high == s.low
            else f"greatest(-2.0, least(2.0, -2.0 + 4.0 * (f.score - {s.low}) / {s.high - s.low}))"
        )
        for s in scales
    )
    return f"CASE f.survey {cases} END"


BASE = "feedback_emotion"
"""Temporary table: one row per feedback row with its cell (stage, touchpoint, survey and
comment language, as an integer), its score on the emotion scale and comment sentiment;
built once per connection and state of the data, so a re-analysis only aggregates it."""
BASE_CELLS = "feedback_emotion_cells"
"""Temporary table: ``cell``, ``sid`` (stage), ``tid`` (stage and touchpoint) -> names."""
BASE_SCALES = "feedback_emotion_scales"
BASE_TERMS = "feedback_emotion_terms"
"""Temporary table: (feedback_row, sid, term) for each negative word of a negative comment."""


def _base(ctx: Context) -> list[SurveyScale]:
    """Make sure :data:`BASE` matches the feedback, lexicon and map; the survey scales."""
    con = ctx.con
    fingerprint = feedback_fingerprint(con)
    sentiment = feedback_sentiment(con, fingerprint)
    layout = scalar(
        con,
        "SELECT count(*) || '-' || coalesce(sum(hash(touchpoint, stage)), 0) FROM map_touchpoints",
    )
    stamp = f"{lexicon().version}:{fingerprint}:{layout}"
    if cached_stamp(con, BASE) == stamp:
        rows = ctx.table(f"SELECT * FROM {BASE_SCALES}").to_pylist()
        return [SurveyScale(**r) for r in rows]
    scales = survey_scales(ctx)
    scale_rows = pa.Table.from_pylist(  # noqa: F841 - read by DuckDB below
        [dataclasses.asdict(x) for x in scales], schema=SCALES_SCHEMA
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {BASE_SCALES} AS SELECT * FROM scale_rows")
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE {BASE}_rows AS
SELECT f.rowid AS feedback_row,
       f.account_id, f.contact_id, f."timestamp" AS ts,
       f.survey,
       coalesce(f.stage, mt.stage) AS stage,
       f.touchpoint,
       s.language,
       hash(coalesce(f.account_id, f.contact_id)) AS who,
       {_normalised_sql(scales)} AS value,
       s.score AS sentiment,
       s.label,
       CASE WHEN s.label = 'negative' THEN s.negative_terms END AS negative_terms
FROM feedback f
LEFT JOIN map_touchpoints mt ON mt.touchpoint = f.touchpoint
LEFT JOIN {sentiment} s ON s.feedback_row = f.rowid
""")
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE {BASE_CELLS} AS
SELECT (row_number() OVER (ORDER BY stage, touchpoint, survey, language) - 1)::INTEGER AS cell,
       dense_rank() OVER (ORDER BY stage)::INTEGER AS sid,
       dense_rank() OVER (ORDER BY stage, touchpoint)::INTEGER AS tid,
       stage, touchpoint, survey, language
FROM (SELECT DISTINCT stage, touchpoint, survey, language FROM {BASE}_rows)
""")
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE {BASE} AS
SELECT c.cell, c.sid, c.tid, r.* EXCLUDE (stage, touchpoint, survey, language)
FROM {BASE}_rows r JOIN {BASE_CELLS} c
  ON c.stage IS NOT DISTINCT FROM r.stage AND c.touchpoint IS NOT DISTINCT FROM r.touchpoint
 AND c.survey IS NOT DISTINCT FROM r.survey AND c.language IS NOT DISTINCT FROM r.language
""")
    con.execute(f"DROP TABLE {BASE}_rows")
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE {BASE_TERMS} AS
SELECT feedback_row, sid, unnest(list_distinct(negative_terms)) AS term
FROM {BASE} WHERE negative_terms IS NOT NULL
""")
    con.execute(f"ALTER TABLE {BASE} DROP COLUMN negative_terms")
    set_stamp(con, BASE, stamp)
    return scales


def kept_sql(ctx: Context) -> str | None:
    """The rows of :data:`BASE` whose feedback the options' filters keep (see the module
    docstring), or None when every row counts."""
    if ctx.options.filters.is_empty():
        return None
    case = ctx.options.case
    if case is CaseKey.opportunity:
        joined = f"SELECT b.*, c.case_id FROM {BASE} b JOIN cases c ON c.account_id = b.account_id"
        return f"SELECT DISTINCT ON (feedback_row) * FROM ({joined}) b WHERE {ctx.scope('b')}"
    keys = "SELECT case_id, CAST(case_id AS VARCHAR) AS k FROM cases"
    joined = f"SELECT b.*, c.case_id FROM {BASE} b JOIN ({keys}) c ON c.k = b.{case.column}"
    return f"SELECT * FROM ({joined}) b WHERE {ctx.scope('b')}"


CURVE_SCHEMA = pa.schema(
    [
        ("level", pa.string()),
        ("stage", pa.string()),
        ("stage_name", pa.string()),
        ("position", pa.int64()),
        ("phase", pa.string()),
        ("touchpoint", pa.string()),
        ("touchpoint_name", pa.string()),
        ("responses", pa.int64()),
        ("respondents", pa.int64()),
        ("mean_score", pa.float64()),
        ("comments", pa.int64()),
        ("mean_sentiment", pa.float64()),
        ("negative_share", pa.float64()),
        ("observed", pa.float64()),
        ("target", pa.float64()),
        ("map_observed", pa.float64()),
        ("gap", pa.float64()),
        ("dip", pa.float64()),
        ("dip_z", pa.float64()),
        ("gap_z", pa.float64()),
    ]
)
SENTIMENT_SCHEMA = pa.schema(
    [
        ("language", pa.string()),
        ("comments", pa.int64()),
        ("negative_share", pa.float64()),
        ("neutral_share", pa.float64()),
        ("positive_share", pa.float64()),
        ("mean_sentiment", pa.float64()),
    ]
)
THEMES_SCHEMA = pa.schema(
    [
        ("stage", pa.string()),
        ("term", pa.string()),
        ("comments", pa.int64()),
        ("share_of_negative", pa.float64()),
        ("lift", pa.float64()),
    ]
)
SCALES_SCHEMA = pa.schema(
    [
        ("survey", pa.string()),
        ("low", pa.float64()),
        ("high", pa.float64()),
        ("source", pa.string()),
        ("responses", pa.int64()),
        ("min_score", pa.float64()),
        ("max_score", pa.float64()),
    ]
)


_SUMS = ("n", "s", "ss", "nc", "cs", "css", "negative", "neutral", "positive")


def _cells(ctx: Context) -> dict[int, dict[str, Any]]:
    return {r["cell"]: r for r in ctx.table(f"SELECT * FROM {BASE_CELLS}").to_pylist()}


def _rollup(rows: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Add the sums of ``rows`` up per combination of ``keys``."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        acc = out.get(key)
        if acc is None:
            out[key] = acc = {k: row[k] for k in keys} | dict.fromkeys(_SUMS, 0)
        for k in _SUMS:
            acc[k] += row[k] or 0
    for acc in out.values():
        for k in ("s", "ss", "cs", "css"):
            if not acc["n" if k in ("s", "ss") else "nc"]:
                acc[k] = None
    return out


def _scan(
    ctx: Context, cells: dict[int, dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[tuple[str | None, str | None, int], int], list[Any]]:
    """One query over the kept rows: sums per cell (stage, touchpoint, survey, language),
    distinct respondents per stage, touchpoint and overall, and the negative words per
    stage. Returns (cell sums, respondents keyed (stage, touchpoint, level) with level 0 =
    touchpoint, 1 = stage, 3 = overall, (stage, term, comments) triples)."""
    kept = kept_sql(ctx)
    columns = "feedback_row, cell, sid, tid, who, value, sentiment, label"
    if kept is None:
        source = f"WITH kept AS NOT MATERIALIZED (SELECT {columns} FROM {BASE})"
        terms_where = "TRUE"
    else:
        source = f"WITH kept AS MATERIALIZED (SELECT {columns} FROM ({kept}) k)"
        terms_where = "feedback_row IN (SELECT feedback_row FROM kept)"
    rows = ctx.table(f"""
{source},
sums AS (
    SELECT 0 AS part, cell AS k1, NULL::INTEGER AS k2,
           count(value) AS n, sum(value) AS s, sum(value * value) AS ss,
           count(sentiment) AS nc, sum(sentiment) AS cs, sum(sentiment * sentiment) AS css,
           count(*) FILTER (WHERE label = 'negative') AS negative,
           count(*) FILTER (WHERE label = 'neutral') AS neutral,
           count(*) FILTER (WHERE label = 'positive') AS positive,
           NULL::VARCHAR AS term
    FROM kept GROUP BY cell
),
people AS (
    SELECT 1 + GROUPING(sid, tid), sid, tid, count(DISTINCT who),
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM kept WHERE value IS NOT NULL
    GROUP BY GROUPING SETS ((sid), (sid, tid), ())
),
words AS (
    SELECT 9, sid, NULL, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, term
    FROM {BASE_TERMS} WHERE {terms_where} GROUP BY sid, term
)
SELECT * FROM sums UNION ALL SELECT * FROM people UNION ALL SELECT * FROM words
""").to_pylist()
    stage_of = {c["sid"]: c["stage"] for c in cells.values()}
    tp_of = {c["tid"]: (c["stage"], c["touchpoint"]) for c in cells.values()}
    sums, respondents, terms = [], {}, []
    for r in rows:
        part = r["part"]
        if part == 0:
            sums.append(cells[r["k1"]] | {k: r[k] for k in _SUMS})
        elif part == 1:
            respondents[(*tp_of[r["k2"]], 0)] = int(r["n"])
        elif part == 2:
            respondents[(stage_of[r["k1"]], None, 1)] = int(r["n"])
        elif part == 4:
            respondents[(None, None, 3)] = int(r["n"])
        else:
            terms.append((stage_of[r["k1"]] or "", str(r["term"]), int(r["n"])))
    return sums, respondents, terms


def _map_targets(ctx: Context) -> dict[tuple[str, str | None], tuple[Any, Any]]:
    """(stage, touchpoint) -> (target, believed emotion) from the map's emotions; rows for
    a persona count only when no persona-free row exists for the same place."""
    rows = ctx.con.execute(
        "SELECT stage, touchpoint, persona IS NULL, target, observed FROM map_emotions"
    ).fetchall()
    groups: dict[tuple[str, str | None], dict[bool, list[tuple[Any, Any]]]] = {}
    for stage, touchpoint, general, target, observed in rows:
        key = (stage, touchpoint) if touchpoint is None else ("", touchpoint)
        groups.setdefault(key, {}).setdefault(bool(general), []).append((target, observed))
    out = {}
    for key, by_kind in groups.items():
        chosen = by_kind.get(True) or by_kind.get(False) or []
        out[key] = (_mean([t for t, _ in chosen]), _mean([o for _, o in chosen]))
    return out


def _mean(values: list[Any]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _stages(
    ctx: Context, targets: dict[tuple[str, str | None], tuple[Any, Any]]
) -> list[dict[str, Any]]:
    """Stages in map order when a map is registered, else in the workspace's order, with
    the map's target and believed emotion per stage."""
    keys = ("stage", "name", "position", "phase")
    rows = ctx.con.execute("SELECT stage, name, position, phase FROM map_stages").fetchall()
    if not rows:
        rows = ctx.con.execute("SELECT stage, NULL, position, phase FROM stages").fetchall()
    out = []
    for row in sorted(rows, key=lambda r: (r[2] is None, r[2], r[0])):
        target, believed = targets.get((row[0], None), (None, None))
        out.append(dict(zip(keys, row, strict=True)) | {"target": target, "map_observed": believed})
    return out


def _touchpoints(
    ctx: Context, targets: dict[tuple[str, str | None], tuple[Any, Any]]
) -> dict[str, dict[str, Any]]:
    """The map's touchpoints with their own target, when it sets one."""
    out = {}
    for touchpoint, name in ctx.con.execute(
        "SELECT touchpoint, name FROM map_touchpoints"
    ).fetchall():
        target, believed = targets.get(("", touchpoint), (None, None))
        out[touchpoint] = {"touchpoint": touchpoint, "name": name, "target": target,
                           "map_observed": believed}  # fmt: skip
    return out


def _var(n: int, s: float | None, ss: float | None) -> float:
    if n < 2 or s is None or ss is None:
        return 0.0
    return max(0.0, (ss - s * s / n) / (n - 1))


def _observed(a: dict[str, Any]) -> tuple[float | None, float | None]:
    """Combined observed emotion (-2..2) and its standard error."""
    parts: list[tuple[float, float]] = []
    if a["n"]:
        parts.append((a["s"] / a["n"], _var(a["n"], a["s"], a["ss"]) / a["n"]))
    if a["nc"]:
        parts.append((2 * a["cs"] / a["nc"], 4 * _var(a["nc"], a["cs"], a["css"]) / a["nc"]))
    if not parts:
        return None, None
    k = len(parts)
    return sum(p for p, _ in parts) / k, math.sqrt(sum(v for _, v in parts)) / k


def _dip(
    per_survey: list[dict[str, Any]], totals: dict[str, dict[str, Any]]
) -> tuple[float | None, float | None]:
    """How far a subject's answers sit below answers to the same surveys outside it
    (weighted by its answers per survey) and the z of that difference. Surveys with fewer
    than MIN_REFERENCE answers outside the subject are left out."""
    items = []
    for row in per_survey:
        total = totals.get(row["survey"])
        if total is None or not row["n"]:
            continue
        outside = total["n"] - row["n"]
        if outside < MIN_REFERENCE:
            continue
        reference = (total["s"] - row["s"]) / outside
        variance = _var(total["n"], total["s"], total["ss"])
        items.append((row["n"], row["s"] / row["n"] - reference, variance, outside))
    if not items:
        return None, None
    n_all = sum(n for n, *_ in items)
    dip = sum(n * d for n, d, *_ in items) / n_all
    var = sum((n / n_all) ** 2 * v * (1 / n + 1 / out) for n, _, v, out in items)
    return dip, (dip / math.sqrt(var) if var > 0 else None)


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


_NO_ANSWERS = {
    "n": 0, "s": None, "ss": None, "nc": 0, "cs": None, "css": None, "negative": 0,
    "neutral": 0, "positive": 0, "respondents": 0,
}  # fmt: skip


def _row(
    level: str,
    stage: dict[str, Any],
    touchpoint: dict[str, Any] | None,
    a: dict[str, Any],
    per_survey: list[dict[str, Any]],
    totals: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    observed, se = _observed(a)
    target = stage.get("target")
    map_observed = stage.get("map_observed")
    if touchpoint is not None and touchpoint.get("target") is not None:
        target, map_observed = touchpoint["target"], touchpoint["map_observed"]
    gap = None if observed is None or target is None else observed - target
    dip, dip_z = _dip(per_survey, totals)
    labelled = a["negative"] + a["neutral"] + a["positive"]
    return {
        "level": level,
        "stage": stage.get("stage"),
        "stage_name": stage.get("name"),
        "position": stage.get("position"),
        "phase": stage.get("phase"),
        "touchpoint": None if touchpoint is None else touchpoint["touchpoint"],
        "touchpoint_name": None if touchpoint is None else touchpoint.get("name"),
        "responses": a["n"],
        "respondents": a["respondents"],
        "mean_score": _round(a["s"] / a["n"]) if a["n"] else None,
        "comments": a["nc"],
        "mean_sentiment": _round(a["cs"] / a["nc"]) if a["nc"] else None,
        "negative_share": _round(a["negative"] / labelled) if labelled else None,
        "observed": _round(observed),
        "target": target,
        "map_observed": map_observed,
        "gap": _round(gap),
        "dip": _round(dip),
        "dip_z": _round(dip_z, 2),
        "gap_z": _round(gap / se, 2) if gap is not None and se else None,
    }


def _curve(
    stages: list[dict[str, Any]],
    touchpoints: dict[str, dict[str, Any]],
    agg: list[dict[str, Any]],
    respondents: dict[tuple[str | None, str | None, int], int],
) -> list[dict[str, Any]]:
    """Stage rows in stage order, each followed by its touchpoints' rows."""
    totals = {k[0]: v for k, v in _rollup(agg, "survey").items()}
    by_stage = {k[0]: v for k, v in _rollup(agg, "stage").items()}
    stage_surveys: dict[str | None, list[dict[str, Any]]] = {}
    for (stage, _), v in _rollup(agg, "stage", "survey").items():
        stage_surveys.setdefault(stage, []).append(v)
    tp_surveys: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
    for (stage, tp, _), v in _rollup(agg, "stage", "touchpoint", "survey").items():
        if tp is not None:
            tp_surveys.setdefault((stage, tp), []).append(v)
    tp_rows: dict[str | None, list[dict[str, Any]]] = {}
    for (stage, tp), v in _rollup(agg, "stage", "touchpoint").items():
        if tp is not None:
            tp_rows.setdefault(stage, []).append(
                v | {"respondents": respondents.get((stage, tp, 0), 0)}
            )
    known = {s["stage"] for s in stages}
    extra = sorted(k for k in by_stage if k is not None and k not in known)
    ordered = [*stages, *({"stage": k} for k in extra)]
    if None in tp_rows:
        ordered.append({"stage": None})
    out = []
    for stage in ordered:
        key = stage["stage"]
        if key is not None:
            a = by_stage.get(key, _NO_ANSWERS) | {"respondents": respondents.get((key, None, 1), 0)}
            out.append(_row("stage", stage, None, a, stage_surveys.get(key, []), totals))
        for a in sorted(tp_rows.get(key, []), key=lambda r: str(r["touchpoint"])):
            tp = touchpoints.get(a["touchpoint"], {"touchpoint": a["touchpoint"]})
            surveys = tp_surveys.get((key, a["touchpoint"]), [])
            out.append(_row("touchpoint", stage, tp, a, surveys, totals))
    return out


def _themes(agg: list[dict[str, Any]], terms: list[tuple[str, str, int]]) -> list[dict[str, Any]]:
    """Per stage, the negative lexicon words of its negative comments, most telling first:
    by how many comments use the word, times how much more often than in the negative
    comments of the whole journey (``lift``), so generic words ("decepcionados") give way
    to the stage's own ("sin novedades", "no reply") when both are frequent. Words used
    in fewer than two comments are left out."""
    negative = {k[0]: v["negative"] for k, v in _rollup(agg, "stage").items()}
    total = sum(negative.values())
    everywhere: Counter[str] = Counter()
    for _, term, n in terms:
        everywhere[term] += n
    ranked: dict[str, list[tuple[float, str, int, float, float]]] = {}
    for stage, term, n in terms:
        if not stage or n < 2 or not negative.get(stage):
            continue
        share = n / negative[stage]
        lift = share / (everywhere[term] / total)
        ranked.setdefault(stage, []).append((-n * lift, term, n, share, lift))
    out = []
    for stage in sorted(ranked):
        for _, term, n, share, lift in sorted(ranked[stage])[:THEMES]:
            out.append({"stage": stage, "term": term, "comments": n,
                        "share_of_negative": round(share, 4), "lift": round(lift, 3)})  # fmt: skip
    return out


def _summary(agg: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for (language,), r in _rollup(agg, "language").items():
        labelled = r["negative"] + r["neutral"] + r["positive"]
        if language is None or not labelled:
            continue
        out.append({
            "language": language, "comments": labelled,
            "negative_share": round(r["negative"] / labelled, 4),
            "neutral_share": round(r["neutral"] / labelled, 4),
            "positive_share": round(r["positive"] / labelled, 4),
            "mean_sentiment": _round(r["cs"] / r["nc"]) if r["nc"] else None,
        })  # fmt: skip
    return sorted(out, key=lambda r: (-r["comments"], r["language"]))


def _has_feedback(ctx: Context) -> bool:
    try:
        return bool(scalar(ctx.con, "SELECT count(*) FROM (FROM feedback LIMIT 1)"))
    except duckdb.CatalogException:
        return False


def _result(
    curve: list[dict[str, Any]],
    sentiment: list[dict[str, Any]],
    themes: list[dict[str, Any]],
    scales: list[SurveyScale],
    findings: list[Finding],
) -> Result:
    return Result(
        tables={
            "experience_curve": pa.Table.from_pylist(curve, schema=CURVE_SCHEMA),
            "verbatim_sentiment": pa.Table.from_pylist(sentiment, schema=SENTIMENT_SCHEMA),
            "negative_themes": pa.Table.from_pylist(themes, schema=THEMES_SCHEMA),
            "survey_scales": pa.Table.from_pylist(
                [dataclasses.asdict(s) for s in scales], schema=SCALES_SCHEMA
            ),
        },
        findings=findings,
    )


def analyse(ctx: Context) -> Result:
    """The experience curve, comment sentiment, negative themes and emotion findings."""
    if not _has_feedback(ctx):
        return _result([], [], [], [], [])
    scales = _base(ctx)
    cells = _cells(ctx)
    agg, respondents, terms = _scan(ctx, cells)
    targets = _map_targets(ctx)
    curve = _curve(_stages(ctx, targets), _touchpoints(ctx, targets), agg, respondents)
    themes = _themes(agg, terms)
    findings = _findings(ctx, curve, themes, respondents.get((None, None, 3), 0))
    return _result(curve, _summary(agg), themes, scales, findings)


def _findings(
    ctx: Context, curve: list[dict[str, Any]], themes: list[dict[str, Any]], total: int
) -> list[Finding]:
    """Subjects whose answers dip or fall short of the target; score = share of the
    respondents answering there, times 0.5-1 by how large the dip or shortfall is."""
    by_stage: dict[str, list[str]] = {}
    for th in themes:
        by_stage.setdefault(th["stage"], []).append(th["term"])
    out = []
    for row in curve:
        if row["responses"] < MIN_RESPONSES:
            continue
        dip, dip_z, gap, gap_z = row["dip"], row["dip_z"], row["gap"], row["gap_z"]
        dips = dip is not None and dip_z is not None and dip <= -DIP_MIN and dip_z <= -Z_MIN
        short = gap is not None and gap_z is not None and gap <= -GAP_MIN and gap_z <= -Z_MIN
        if not (dips or short):
            continue
        severity = min(1.0, max(-dip if dips and dip is not None else 0.0, -(gap or 0.0) / 2))
        share = row["respondents"] / max(total, 1)
        if row["level"] == "touchpoint":
            subject = row["touchpoint_name"] or row["touchpoint"]
        else:
            subject = row["stage_name"] or row["stage"]
        words = by_stage.get(row["stage"], [])[:3]
        params = {
            "subject": subject,
            "dip": f"{-(dip or 0.0):.1f}",
            "observed": f"{row['observed']:+.1f}",
            "target": f"{(row['target'] or 0.0):+.1f}",
            "responses": row["responses"],
            "themes": ", ".join(words) if words else t("emotions.themes.none", ctx.lang),
        }
        key = "dip_and_gap" if dips and short else "dip" if dips else "gap"
        evidence = {
            "level": row["level"], "responses": row["responses"],
            "respondents": row["respondents"], "comments": row["comments"],
            "observed": row["observed"], "mean_score": row["mean_score"],
            "mean_sentiment": row["mean_sentiment"], "negative_share": row["negative_share"],
            "target": row["target"], "gap": gap, "dip": dip, "dip_z": dip_z,
            "negative_themes": words,
        }  # fmt: skip
        out.append(
            finding(
                "emotion",
                subject,
                min(1.0, share) * (0.5 + 0.5 * severity),
                evidence,
                t(f"emotions.{key}.action", ctx.lang, **params),
                stage=row["stage"],
                touchpoint=row["touchpoint"],
            )
        )
    return sorted(out, key=lambda f: (-f["score"], f["subject"]))
