"""Discovery metrics as SQL over ``steps`` and ``cases`` (see :mod:`jornada.engine.prepare`).

Each function returns one SELECT. Durations are seconds (``*_seconds``) or days
(``*_days``); quantiles interpolate (``quantile_cont``), as NumPy's median does.
"""

from __future__ import annotations

from jornada.engine.options import AnalysisOptions, Filters

DAY = 86400.0


def quote(value: str) -> str:
    """``value`` as a SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def scope(filters: Filters, alias: str = "steps") -> str:
    """A boolean SQL condition selecting the steps the filters keep."""
    conditions = ["TRUE"]
    case_conditions = []
    if filters.outcome is not None:
        case_conditions.append(f"outcome = {quote(filters.outcome.value)}")
    if filters.segment is not None:
        case_conditions.append(f"segment = {quote(filters.segment)}")
    if case_conditions:
        conditions.append(
            f"{alias}.case_id IN (SELECT case_id FROM cases WHERE {' AND '.join(case_conditions)})"
        )
    if filters.role is not None:
        conditions.append(
            f"{alias}.case_id IN (SELECT case_id FROM case_roles "
            f"WHERE role = {quote(filters.role)})"
        )
    if filters.since is not None:
        conditions.append(f"{alias}.ts >= TIMESTAMPTZ {quote(filters.since.isoformat())}")
    if filters.until is not None:
        conditions.append(f"{alias}.ts < TIMESTAMPTZ {quote(filters.until.isoformat())}")
    return " AND ".join(conditions)


def _gap(later: str, earlier: str = "ts") -> str:
    return f"(epoch({later}) - epoch({earlier}))"


def transitions(filters: Filters) -> str:
    """Directly-follows flows at touchpoint level, then at stage level (stage changes only).

    Both quantiles come from one aggregate (one sort of each flow's waits, not two). Under
    filters that select whole journeys, a touchpoint flow's journeys are counted from
    ``case_flows`` rather than with a distinct count over every step."""
    where = scope(filters)
    if filters.whole_journeys:
        touchpoints = f"""
    SELECT 'touchpoint' AS level, t.node AS source, t.next_node AS target,
           t.count, f.cases, t.q, t.mean_seconds, t.backward
    FROM (
        SELECT node, next_node, count(*) AS count,
               quantile_cont(gap, [0.5, 0.9]) AS q, avg(gap) AS mean_seconds,
               coalesce(bool_or(next_node_stage_pos < stage_pos), FALSE) AS backward
        FROM steps
        WHERE next_node IS NOT NULL AND {where}
        GROUP BY node, next_node
    ) t
    JOIN (
        SELECT node, next_node, count(*) AS cases
        FROM case_flows cf WHERE {scope(filters, "cf")}
        GROUP BY node, next_node
    ) f ON f.node = t.node AND f.next_node = t.next_node"""
    else:
        touchpoints = f"""
    SELECT 'touchpoint' AS level, node AS source, next_node AS target,
           count(*) AS count, count(DISTINCT case_id) AS cases,
           quantile_cont(gap, [0.5, 0.9]) AS q, avg(gap) AS mean_seconds,
           coalesce(bool_or(next_node_stage_pos < stage_pos), FALSE) AS backward
    FROM steps
    WHERE next_node IS NOT NULL AND {where}
    GROUP BY node, next_node"""
    return f"""
SELECT level, source, target, count, cases,
       q[1] AS median_seconds, q[2] AS p90_seconds, mean_seconds, backward
FROM ({touchpoints}
    UNION ALL
    SELECT 'stage', stage, next_stage,
           count(*), count(DISTINCT case_id),
           quantile_cont(stage_gap, [0.5, 0.9]), avg(stage_gap),
           coalesce(bool_or(next_stage_pos < stage_pos), FALSE)
    FROM steps
    WHERE stage IS NOT NULL AND next_stage IS NOT NULL AND next_stage <> stage AND {where}
    GROUP BY stage, next_stage
)
ORDER BY level DESC, count DESC, source, target
"""


def endpoints(filters: Filters) -> str:
    """How many journeys start and end at each touchpoint."""
    return f"""
SELECT node AS touchpoint,
       count(*) FILTER (WHERE pos = 1) AS starts,
       count(*) FILTER (WHERE next_node IS NULL) AS ends,
       count(*) AS events,
       count(DISTINCT case_id) AS cases
FROM steps WHERE {scope(filters)}
GROUP BY node
ORDER BY events DESC, touchpoint
"""


def touchpoint_profile(filters: Filters) -> str:
    """Each touchpoint's usual stage, channel kind and business unit (the most frequent
    combination among its steps, ties broken by stage order then name) and its events."""
    return f"""
SELECT node AS touchpoint, stage, stage_pos, channel_kind, business_unit, events,
       n AS typical_events
FROM (
    SELECT node, stage, stage_pos, channel_kind, business_unit, count(*) AS n,
           CAST(sum(count(*)) OVER (PARTITION BY node) AS BIGINT) AS events,
           row_number() OVER (
               PARTITION BY node
               ORDER BY count(*) DESC, stage_pos NULLS LAST, stage NULLS LAST,
                        channel_kind NULLS LAST, business_unit NULLS LAST
           ) AS r
    FROM steps WHERE {scope(filters)}
    GROUP BY node, stage, stage_pos, channel_kind, business_unit
) profile
WHERE r = 1
ORDER BY stage_pos NULLS LAST, events DESC, touchpoint
"""


def nonlinearity(filters: Filters) -> str:
    """Backtracking, restarts and rework, one row."""
    if filters.whole_journeys:
        return f"""
SELECT
    count(*) AS cases,
    CAST(coalesce(sum(stage_changes), 0) AS BIGINT) AS stage_changes,
    CAST(coalesce(sum(backward_changes), 0) AS BIGINT) AS backward_changes,
    sum(backward_changes) / nullif(sum(stage_changes), 0) AS backtracking_rate,
    count(*) FILTER (WHERE backward_changes > 0) AS cases_backtracking,
    count(*) FILTER (WHERE backward_changes > 0) / nullif(count(*), 0)
        AS cases_backtracking_share,
    CAST(coalesce(sum(restarts), 0) AS BIGINT) AS restarts,
    count(*) FILTER (WHERE restarts > 0) AS cases_restarting,
    CAST(coalesce(sum(self_loops), 0) AS BIGINT) AS self_loops,
    count(*) FILTER (WHERE events > distinct_nodes) AS cases_with_rework,
    CAST(coalesce(sum(events - distinct_nodes), 0) AS BIGINT) AS repeated_touches
FROM cases c WHERE {scope(filters, "c")}
"""
    where = scope(filters)
    return f"""
WITH s AS (SELECT * FROM steps WHERE {where}),
changes AS (
    SELECT case_id,
           next_stage_pos < stage_pos AS backward,
           next_stage_pos = (SELECT min(position) FROM stages) AND stage_pos >= 2 AS restart
    FROM s WHERE stage IS NOT NULL AND next_stage IS NOT NULL AND next_stage <> stage
),
repeats AS (
    SELECT case_id, node, count(*) AS n FROM s GROUP BY case_id, node HAVING count(*) > 1
)
SELECT
    (SELECT count(DISTINCT case_id) FROM s) AS cases,
    (SELECT count(*) FROM changes) AS stage_changes,
    (SELECT count(*) FILTER (WHERE backward) FROM changes) AS backward_changes,
    (SELECT count(*) FILTER (WHERE backward) FROM changes)
        / nullif((SELECT count(*) FROM changes), 0) AS backtracking_rate,
    (SELECT count(DISTINCT case_id) FILTER (WHERE backward) FROM changes) AS cases_backtracking,
    (SELECT count(DISTINCT case_id) FILTER (WHERE backward) FROM changes)
        / nullif((SELECT count(DISTINCT case_id) FROM s), 0) AS cases_backtracking_share,
    (SELECT count(*) FILTER (WHERE restart) FROM changes) AS restarts,
    (SELECT count(DISTINCT case_id) FILTER (WHERE restart) FROM changes) AS cases_restarting,
    (SELECT count(*) FROM s WHERE next_node = node) AS self_loops,
    (SELECT count(DISTINCT case_id) FROM repeats) AS cases_with_rework,
    (SELECT coalesce(sum(n - 1), 0) FROM repeats) AS repeated_touches
"""


def rework(filters: Filters) -> str:
    """Per touchpoint: journeys that came back to it, and how often."""
    return f"""
WITH per_case AS (
    SELECT case_id, node, count(*) AS n, count(*) FILTER (WHERE next_node = node) AS loops
    FROM steps WHERE {scope(filters)} GROUP BY case_id, node
)
SELECT node AS touchpoint,
       count(*) AS cases,
       count(*) FILTER (WHERE n > 1) AS cases_repeating,
       count(*) FILTER (WHERE n > 1) / count(*) AS repeat_share,
       sum(n - 1) AS repeats,
       sum(loops) AS self_loops
FROM per_case GROUP BY node
ORDER BY cases_repeating DESC, touchpoint
"""


def _first_stage() -> str:
    """The stage of a journey's first event that has one."""
    return "arg_min(stage, pos) FILTER (WHERE stage IS NOT NULL)"


def _stage_changes() -> str:
    return "stage IS NOT NULL AND next_stage IS NOT NULL AND next_stage <> stage"


def variants(filters: Filters, level: str, limit: int | None) -> str:
    """Distinct paths and how many journeys follow each (stage level: stage changes only)."""
    top = f"LIMIT {int(limit)}" if limit is not None else ""
    if filters.whole_journeys:
        # Whole journeys: group the paths ``prepare`` keeps, then fetch the text of one
        # journey per variant (building the text of every path is what costs).
        path, text = (
            ("path", "variant") if level == "touchpoint" else ("stage_path", "stage_variant")
        )
        return f"""
WITH counted AS (
    SELECT {path} AS path, min(case_id) AS example, count(*) AS cases
    FROM case_paths cp WHERE {path} IS NOT NULL AND {scope(filters, "cp")}
    GROUP BY {path}
),
listed AS (
    SELECT cp.{text} AS variant, array_length(c.path) AS length, c.cases
    FROM counted c JOIN case_paths cp ON cp.case_id = c.example
    ORDER BY c.cases DESC, cp.{text}
    {top}
)
SELECT '{level}' AS level,
       row_number() OVER (ORDER BY cases DESC, variant) AS rank,
       variant, length, cases,
       cases / (SELECT sum(cases) FROM counted) AS share
FROM listed
ORDER BY rank
"""
    if level == "touchpoint":
        path = "list(node ORDER BY pos)"
        where = scope(filters)
    else:
        # First stage, then the stage entered at each change.
        entered = f"list(next_stage ORDER BY pos) FILTER (WHERE {_stage_changes()})"
        path = f"list_concat([{_first_stage()}], coalesce({entered}, []))"
        where = f"stage IS NOT NULL AND {scope(filters)}"
    return f"""
WITH paths AS (SELECT case_id, {path} AS path FROM steps WHERE {where} GROUP BY case_id),
counted AS (SELECT path, count(*) AS cases FROM paths GROUP BY path)
SELECT '{level}' AS level,
       row_number() OVER (ORDER BY cases DESC, array_to_string(path, ' > ')) AS rank,
       array_to_string(path, ' > ') AS variant,
       len(path) AS length,
       cases,
       cases / sum(cases) OVER () AS share
FROM counted
ORDER BY rank
{top}
"""


def case_table(filters: Filters) -> str:
    """One row per journey: span, size, outcome."""
    return f"""
SELECT c.case_id, c.started_at, c.ended_at,
       {_gap("c.ended_at", "c.started_at")} AS duration_seconds,
       c.events, c.stage_changes, c.backward_changes, c.outcome, c.won_at, c.segment
FROM cases c
WHERE c.case_id IN (SELECT DISTINCT case_id FROM steps WHERE {scope(filters)})
ORDER BY c.case_id
"""


def stage_time(filters: Filters) -> str:
    """Time in each stage: from a stage's event to the next event with a stage, per journey."""
    gap = "stage_gap"
    if filters.whole_journeys:
        return f"""
SELECT stage, any_value(position) AS position, count(*) AS cases,
       median(seconds) / {DAY} AS median_days,
       quantile_cont(seconds, 0.9) / {DAY} AS p90_days,
       avg(seconds) / {DAY} AS mean_days
FROM case_stages cs WHERE seconds IS NOT NULL AND {scope(filters, "cs")}
GROUP BY stage
ORDER BY position NULLS LAST, stage
"""
    return f"""
WITH per_case AS (
    SELECT s.case_id, s.stage, any_value(s.stage_pos) AS position, sum({gap}) AS seconds
    FROM steps s
    WHERE s.stage IS NOT NULL AND s.next_stage_ts IS NOT NULL AND {scope(filters, "s")}
    GROUP BY s.case_id, s.stage
)
SELECT stage, any_value(position) AS position, count(*) AS cases,
       median(seconds) / {DAY} AS median_days,
       quantile_cont(seconds, 0.9) / {DAY} AS p90_days,
       avg(seconds) / {DAY} AS mean_days
FROM per_case GROUP BY stage
ORDER BY position NULLS LAST, stage
"""


def funnel(filters: Filters) -> str:
    """Journeys reaching each stage, with skips, revisits, conversion and drop-off."""
    if filters.whole_journeys:
        visits = f"""visits AS (
    SELECT case_id, stage, entries FROM case_stages cs
    WHERE entries IS NOT NULL AND {scope(filters, "cs")}
),"""
    else:
        visits = f"""entries AS (
    SELECT case_id, next_stage AS stage, count(*) AS n
    FROM steps WHERE {_stage_changes()} AND {scope(filters)}
    GROUP BY case_id, next_stage
    UNION ALL
    SELECT case_id, {_first_stage()}, 1
    FROM steps WHERE stage IS NOT NULL AND {scope(filters)}
    GROUP BY case_id
),
visits AS (SELECT case_id, stage, sum(n) AS entries FROM entries GROUP BY case_id, stage),"""
    return f"""
WITH {visits}
scoped AS (
    SELECT c.case_id, c.max_stage_pos, c.outcome FROM cases c
    WHERE c.case_id IN (SELECT case_id FROM visits)
),
grid AS (
    SELECT st.stage, st.position, st.phase, sc.case_id, sc.max_stage_pos, sc.outcome,
           coalesce(v.entries, 0) AS entries
    FROM stages st CROSS JOIN scoped sc
    LEFT JOIN visits v ON v.case_id = sc.case_id AND v.stage = st.stage
)
SELECT stage, position, phase,
       count(*) FILTER (WHERE entries > 0) AS cases_reached,
       count(*) FILTER (WHERE entries > 0 OR max_stage_pos > position) AS cases_reached_or_passed,
       count(*) FILTER (WHERE entries = 0 AND max_stage_pos > position) AS skipped,
       count(*) FILTER (WHERE entries > 1) AS revisited,
       count(*) FILTER (WHERE entries > 0 AND max_stage_pos > position)
           / nullif(count(*) FILTER (WHERE entries > 0), 0) AS conversion_to_later,
       count(*) FILTER (WHERE entries > 0 AND max_stage_pos = position) AS dropped_here,
       count(*) FILTER (WHERE entries > 0 AND outcome = 'won') AS won,
       count(*) FILTER (WHERE entries > 0 AND outcome = 'lost') AS lost,
       count(*) FILTER (WHERE entries > 0 AND outcome = 'open') AS open
FROM grid
GROUP BY stage, position, phase
ORDER BY position
"""


def headline(filters: Filters) -> str:
    """The summary numbers, one row. Under filters that select whole journeys, events and
    the online share add up the journeys' totals; a period counts the steps in it."""
    where = scope(filters)
    duration = _gap("ended_at", "started_at")
    to_win = _gap("won_at", "started_at")
    if filters.whole_journeys:
        sources = f"c AS (SELECT * FROM cases c WHERE {scope(filters, 'c')})"
        events = "(SELECT CAST(coalesce(sum(events), 0) AS BIGINT) FROM c)"
        touchpoints = f"(SELECT count(DISTINCT node) FROM steps WHERE {where})"
        online = "(SELECT sum(online_events) / nullif(sum(kind_events), 0) FROM c)"
    else:
        sources = f"""s AS (SELECT * FROM steps WHERE {where}),
c AS (SELECT * FROM cases WHERE case_id IN (SELECT DISTINCT case_id FROM s))"""
        events = "(SELECT count(*) FROM s)"
        touchpoints = "(SELECT count(DISTINCT node) FROM s)"
        online = """(SELECT count(*) FILTER (WHERE channel_kind = 'online')
        / nullif(count(*) FILTER (WHERE channel_kind IS NOT NULL), 0) FROM s)"""
    return f"""
WITH {sources}
SELECT
    {events} AS events,
    (SELECT count(*) FROM c) AS cases,
    {touchpoints} AS touchpoints,
    (SELECT median({duration}) / {DAY} FROM c) AS median_journey_days,
    (SELECT quantile_cont({duration}, 0.9) / {DAY} FROM c) AS p90_journey_days,
    (SELECT count(*) FILTER (WHERE outcome = 'won') FROM c) AS won,
    (SELECT count(*) FILTER (WHERE outcome = 'lost') FROM c) AS lost,
    (SELECT count(*) FILTER (WHERE outcome = 'open') FROM c) AS open,
    (SELECT median({to_win}) / {DAY} FROM c WHERE won_at >= started_at) AS median_days_to_win,
    (SELECT quantile_cont({to_win}, 0.9) / {DAY} FROM c WHERE won_at >= started_at)
        AS p90_days_to_win,
    {online} AS online_share
"""


def variant_count(filters: Filters) -> str:
    """How many distinct touchpoint paths there are, one row."""
    if filters.whole_journeys:
        where = scope(filters, "cp")
        return f"SELECT count(DISTINCT path) AS variants FROM case_paths cp WHERE {where}"
    return f"""
SELECT count(DISTINCT path) AS variants
FROM (SELECT list(node ORDER BY pos) AS path FROM steps WHERE {scope(filters)} GROUP BY case_id)
"""


def queries(options: AnalysisOptions) -> dict[str, str]:
    """Every discovery table of an analysis, by name, in output order."""
    f = options.filters
    return {
        "transitions": transitions(f),
        "endpoints": endpoints(f),
        "touchpoint_profile": touchpoint_profile(f),
        "nonlinearity": nonlinearity(f),
        "rework": rework(f),
        "variants": variants(f, "touchpoint", options.top_variants),
        "stage_variants": variants(f, "stage", options.top_variants),
        "stage_time": stage_time(f),
        "funnel": funnel(f),
        "cases": case_table(f),
        "headline": headline(f),
        "variant_count": variant_count(f),
    }
