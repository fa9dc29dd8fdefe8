"""The one sort every analysis shares.

``prepare`` orders each journey's events once (timestamp, then file order) and writes two
tables: ``steps`` (one row per event, with its position in the journey and its successor
at touchpoint and at stage level) and ``cases`` (one row per journey, with its outcome
and the attributes filters use). Every analysis afterwards is an aggregation over them.
"""

from __future__ import annotations

import uuid

import duckdb

from jornada.engine.options import AnalysisOptions, CaseKey

NODE_TYPE = "jornada_node"
CASE_TYPE = "jornada_case"
PREPARED_STATE = "prepared_state"
"""One row naming this build of ``steps`` and ``cases`` (a new ``generation`` each time):
caches built from them compare it instead of scanning them or the catalogue."""


def prepare(con: duckdb.DuckDBPyConnection, options: AnalysisOptions) -> None:
    """(Re)build ``steps`` and ``cases`` for ``options.case``.

    On DuckDB, journeys and touchpoints become ENUM types (dictionary codes): grouping and
    counting on them is several times faster than on text, and results still read as text.
    """
    column = options.case.column
    con.execute("DROP TABLE IF EXISTS cases")
    con.execute("DROP TABLE IF EXISTS case_roles")
    con.execute("DROP TABLE IF EXISTS case_paths")
    con.execute("DROP TABLE IF EXISTS case_stages")
    con.execute("DROP TABLE IF EXISTS case_flows")
    con.execute("DROP TABLE IF EXISTS steps")
    con.execute(f"DROP TYPE IF EXISTS {NODE_TYPE}")
    con.execute(f"DROP TYPE IF EXISTS {CASE_TYPE}")
    con.execute(
        f"CREATE TYPE {NODE_TYPE} AS ENUM (SELECT DISTINCT coalesce(touchpoint, activity) "
        f"FROM events WHERE {column} IS NOT NULL AND coalesce(touchpoint, activity) IS NOT NULL)"
    )
    con.execute(
        f"CREATE TYPE {CASE_TYPE} AS ENUM (SELECT DISTINCT {column} FROM events "
        f"WHERE {column} IS NOT NULL)"
    )
    con.execute(steps_sql(options.case, node_type=NODE_TYPE, case_type=CASE_TYPE))
    con.execute(cases_sql(options))
    con.execute(case_roles_sql())
    con.execute(case_paths_sql())
    con.execute(case_stages_sql())
    con.execute(case_flows_sql())
    if isinstance(con, duckdb.DuckDBPyConnection):  # not when recording for Spark
        con.execute(
            f"CREATE OR REPLACE TABLE {PREPARED_STATE} AS "
            "SELECT ?::VARCHAR AS generation, ?::VARCHAR AS case_key, TRUE AS case_codes",
            [uuid.uuid4().hex, options.case.value],
        )


def prepared_generation(con: duckdb.DuckDBPyConnection) -> str | None:
    """The generation :func:`prepare` last wrote on this database, None before any."""
    try:
        rows = con.execute(f"SELECT generation FROM {PREPARED_STATE}").fetchall()
    except duckdb.CatalogException:
        return None
    return str(rows[0][0]) if rows else None


def steps_sql(case: CaseKey, *, node_type: str | None = None, case_type: str | None = None) -> str:
    """The ``steps`` table; ``node_type``/``case_type`` name ENUM types to encode with."""
    node = "coalesce(e.touchpoint, e.activity)"
    case_id = f"e.{case.column}"
    if node_type:
        node = f"CAST({node} AS {node_type})"
    if case_type:
        case_id = f"CAST({case_id} AS {case_type})"
    return f"""
CREATE OR REPLACE TABLE steps AS
WITH ev AS (
    SELECT
        {case_id} AS case_id,
        e."timestamp" AS ts,
        {node} AS node,
        e.activity,
        e.stage,
        s.position AS stage_pos,
        e.channel_kind,
        e.business_unit,
        e.content_id,
        e.contact_id,
        e.import_id,
        e.source_row
    FROM events e
    LEFT JOIN stages s ON s.stage = e.stage
    WHERE e.{case.column} IS NOT NULL
)
SELECT
    case_id, ts, node, activity, stage, stage_pos, channel_kind, business_unit, content_id,
    contact_id, pos,
    next_node, next_ts, next_node_stage_pos,
    following.stage AS next_stage,
    following.position AS next_stage_pos,
    following.ts AS next_stage_ts,
    epoch(next_ts) - epoch(ts) AS gap,
    epoch(following.ts) - epoch(ts) AS stage_gap
FROM (
SELECT
    ev.*,
    row_number() OVER w AS pos,
    lead(node) OVER w AS next_node,
    lead(ts) OVER w AS next_ts,
    lead(stage_pos) OVER w AS next_node_stage_pos,
    -- The next event that has a stage, skipping unmapped ones: one window, not three.
    lead(CASE WHEN stage IS NOT NULL
              THEN struct_pack(stage := stage, position := stage_pos, ts := ts) END
         IGNORE NULLS) OVER w AS following
FROM ev
WINDOW w AS (PARTITION BY case_id ORDER BY ts, import_id, source_row)
)
"""


def _outcome_sql(options: AnalysisOptions) -> str:
    """Per case: outcome and the moment of the win, from opportunities or a conversion."""
    if options.conversion is not None:
        activity = options.conversion.replace("'", "''")
        return f"""
SELECT case_id,
       CASE WHEN bool_or(activity = '{activity}') THEN 'won' ELSE 'open' END AS outcome,
       min(ts) FILTER (WHERE activity = '{activity}') AS won_at
FROM steps GROUP BY case_id
"""
    if options.case is CaseKey.opportunity:
        return """
SELECT opportunity_id AS case_id, any_value(outcome) AS outcome,
       min(closed_at) FILTER (WHERE outcome = 'won') AS won_at
FROM opportunities GROUP BY opportunity_id
"""
    by_account = """
SELECT account_id,
       CASE WHEN bool_or(outcome = 'won') THEN 'won'
            WHEN bool_or(outcome = 'lost') THEN 'lost' ELSE 'open' END AS outcome,
       min(closed_at) FILTER (WHERE outcome = 'won') AS won_at
FROM opportunities
WHERE account_id IS NOT NULL
  AND (type IS NULL OR type = 'new_business'
       OR NOT EXISTS (SELECT 1 FROM opportunities WHERE type = 'new_business'))
GROUP BY account_id
"""
    if options.case is CaseKey.account:
        return f"SELECT account_id AS case_id, outcome, won_at FROM ({by_account})"
    return f"""
SELECT c.contact_id AS case_id, a.outcome, a.won_at
FROM contacts c JOIN ({by_account}) a ON a.account_id = c.account_id
"""


def _account_sql(case: CaseKey) -> str:
    """Per case: the account it belongs to."""
    if case is CaseKey.account:
        return "SELECT DISTINCT case_id, case_id AS account_id FROM steps"
    if case is CaseKey.contact:
        return (
            "SELECT contact_id AS case_id, any_value(account_id) AS account_id "
            "FROM contacts GROUP BY 1"
        )
    return (
        "SELECT opportunity_id AS case_id, any_value(account_id) AS account_id "
        "FROM opportunities GROUP BY 1"
    )


def cases_sql(options: AnalysisOptions) -> str:
    return f"""
CREATE OR REPLACE TABLE cases AS
WITH agg AS (
    SELECT case_id,
           min(ts) AS started_at,
           max(ts) AS ended_at,
           count(*) AS events,
           max(stage_pos) AS max_stage_pos,
           count(*) FILTER (WHERE next_stage_pos < stage_pos) AS backward_changes,
           count(*) FILTER (WHERE next_stage IS NOT NULL AND next_stage <> stage) AS stage_changes,
           count(*) FILTER (WHERE next_stage IS NOT NULL AND next_stage <> stage
                            AND next_stage_pos = (SELECT min(position) FROM stages)
                            AND stage_pos >= 2) AS restarts,
           count(*) FILTER (WHERE next_node = node) AS self_loops,
           count(DISTINCT node) AS distinct_nodes,
           count(*) FILTER (WHERE channel_kind = 'online') AS online_events,
           count(channel_kind) AS kind_events
    FROM steps GROUP BY case_id
),
outcomes AS ({_outcome_sql(options)}),
owners AS ({_account_sql(options.case)})
SELECT agg.*,
       coalesce(o.outcome, 'open') AS outcome,
       o.won_at,
       w.account_id,
       a.segment,
       a.region
FROM agg
LEFT JOIN outcomes o ON o.case_id = agg.case_id
LEFT JOIN owners w ON w.case_id = agg.case_id
LEFT JOIN accounts a ON a.account_id = w.account_id
"""


def case_paths_sql() -> str:
    """Each journey's whole path, at touchpoint and at stage level (the stage it starts in,
    then the stage entered at each change), as a list and as text. Variants under filters
    that select whole journeys group these instead of re-walking every step."""
    changes = "stage IS NOT NULL AND next_stage IS NOT NULL AND next_stage <> stage"
    return f"""
CREATE OR REPLACE TABLE case_paths AS
SELECT case_id, path, array_to_string(path, ' > ') AS variant,
       stage_path, array_to_string(stage_path, ' > ') AS stage_variant
FROM (
    SELECT case_id,
           list(node ORDER BY pos) AS path,
           CASE WHEN count(stage) > 0 THEN list_concat(
               [arg_min(stage, pos) FILTER (WHERE stage IS NOT NULL)],
               coalesce(list(next_stage ORDER BY pos) FILTER (WHERE {changes}), [])
           ) END AS stage_path
    FROM steps GROUP BY case_id
)
"""


def case_stages_sql() -> str:
    """Per journey and stage: how many times the journey entered it (its first stage
    counts once) and the seconds it spent there (from each of its events in the stage to
    the next event with a stage). The funnel and time in stage under filters that select
    whole journeys add these up."""
    changes = "stage IS NOT NULL AND next_stage IS NOT NULL AND next_stage <> stage"
    return f"""
CREATE OR REPLACE TABLE case_stages AS
WITH entries AS (
    SELECT case_id, next_stage AS stage, count(*) AS n
    FROM steps WHERE {changes}
    GROUP BY case_id, next_stage
    UNION ALL
    SELECT case_id, arg_min(stage, pos) FILTER (WHERE stage IS NOT NULL), 1
    FROM steps WHERE stage IS NOT NULL
    GROUP BY case_id
),
visits AS (SELECT case_id, stage, sum(n) AS entries FROM entries GROUP BY case_id, stage),
times AS (
    SELECT case_id, stage, any_value(stage_pos) AS position, sum(stage_gap) AS seconds
    FROM steps WHERE stage IS NOT NULL AND next_stage_ts IS NOT NULL
    GROUP BY case_id, stage
)
SELECT coalesce(v.case_id, t.case_id) AS case_id, coalesce(v.stage, t.stage) AS stage,
       v.entries, t.position, t.seconds
FROM visits v FULL OUTER JOIN times t ON t.case_id = v.case_id AND t.stage = v.stage
"""


def case_flows_sql() -> str:
    """Per journey: each directly-follows flow it takes and how often. Under filters that
    select whole journeys, a flow's journeys are its rows here: no distinct count over
    every step."""
    return """
CREATE OR REPLACE TABLE case_flows AS
SELECT case_id, node, next_node, count(*) AS n
FROM steps WHERE next_node IS NOT NULL
GROUP BY case_id, node, next_node
"""


def case_roles_sql() -> str:
    """Which buying-group roles took part in each journey (for role filters)."""
    return """
CREATE OR REPLACE TABLE case_roles AS
SELECT DISTINCT s.case_id, c.role
FROM steps s JOIN contacts c ON c.contact_id = s.contact_id
WHERE c.role IS NOT NULL
"""
