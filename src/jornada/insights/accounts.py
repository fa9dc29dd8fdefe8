"""Account management: who holds which accounts and relationships, what nobody holds,
where the revenue comes from, and what in the CRM data cannot be trusted.

Tables:

- ``rep_load``: per rep (the ``reps`` table plus any owner id the data references), the
  accounts owned, the relationships they carry (contacts in owned accounts) against
  Dunbar's ~153 (:data:`DUNBAR`), and their opportunities: open, won, lost, win rate
  (won / closed) and won amount;
- ``account_coverage``: accounts and those without an owner, in all and per segment;
- ``revenue_concentration``: the share of won revenue from the top 20% of paying
  accounts, from the ten largest, and the Gini coefficient of revenue per account;
- ``data_quality``: what would silently skew the numbers above (see :func:`data_quality`).

Filters: ``segment`` keeps accounts of that segment (and their opportunities and
contacts); ``since``/``until`` keep opportunities closed in the period, or created in it
when still open. Outcome and role filters select journeys, not a book of business, and
do not apply here; ``data_quality`` always reads all the data.
"""

from __future__ import annotations

import math
from typing import Any

import duckdb
import pyarrow as pa

from jornada.engine.discovery import quote
from jornada.i18n import t
from jornada.insights.cache import cached_stamp, set_stamp
from jornada.insights.context import Context, Finding, Result, finding

DUNBAR = 153
"""Relationships one person can keep (Dunbar's number)."""
TOP_SHARE = 0.2
"""The top slice of paying accounts whose revenue share is measured (the 80/20 rule)."""
NEAR_DUPLICATE_COLUMNS = (
    ("accounts", "name"),
    ("accounts", "industry"),
    ("accounts", "country"),
    ("accounts", "segment"),
    ("opportunities", "product"),
    ("opportunities", "stage"),
    ("reps", "name"),
)
"""Text columns checked for spellings that differ only in case, accents, spaces or
punctuation ("GTXPro", "GTX Pro", "gtx-pro")."""
EXAMPLES = 5
"""How many example values a ``data_quality`` row lists."""


def _account_filter(ctx: Context, alias: str) -> str:
    segment = ctx.options.filters.segment
    return "TRUE" if segment is None else f"{alias}.segment = {quote(segment)}"


def _opportunity_filter(ctx: Context, alias: str) -> str:
    """Opportunities in scope: of an account in the segment, closed (or, when open,
    created) in the period."""
    filters = ctx.options.filters
    conditions = ["TRUE"]
    if filters.segment is not None:
        conditions.append(
            f"{alias}.account_id IN (SELECT account_id FROM {BOOK} "
            f"WHERE segment = {quote(filters.segment)})"
        )
    moment = f"coalesce({alias}.closed_at, {alias}.created_at)"
    if filters.since is not None:
        conditions.append(f"{moment} >= TIMESTAMPTZ {quote(filters.since.isoformat())}")
    if filters.until is not None:
        conditions.append(f"{moment} < TIMESTAMPTZ {quote(filters.until.isoformat())}")
    return " AND ".join(conditions)


def rep_load_sql(ctx: Context) -> str:
    """One row per rep: book of accounts, relationships and deals (rep ids are unique:
    the import keeps one row per id)."""
    accounts = _account_filter(ctx, "a")
    deals = _opportunity_filter(ctx, "o")
    return f"""
WITH owned AS (
    SELECT a.owner_rep_id AS rep_id, count(*) AS accounts,
           CAST(sum(a.contacts) AS BIGINT) AS relationships
    FROM {BOOK} a
    WHERE a.owner_rep_id IS NOT NULL AND {accounts}
    GROUP BY a.owner_rep_id
),
deals AS (
    SELECT o.owner_rep_id AS rep_id, count(*) AS opportunities,
           count(DISTINCT o.account_id) AS deal_accounts,
           count(*) FILTER (WHERE o.outcome = 'open') AS open,
           count(*) FILTER (WHERE o.outcome = 'won') AS won,
           count(*) FILTER (WHERE o.outcome = 'lost') AS lost,
           coalesce(sum(o.amount) FILTER (WHERE o.outcome = 'won'), 0) AS won_amount
    FROM opportunities o
    WHERE o.owner_rep_id IS NOT NULL AND {deals}
    GROUP BY o.owner_rep_id
),
ids AS (
    SELECT rep_id FROM reps WHERE rep_id IS NOT NULL
    UNION SELECT rep_id FROM owned
    UNION SELECT rep_id FROM deals
)
SELECT ids.rep_id, r.name, r.team, r.region, r.rep_id IS NOT NULL AS known,
       coalesce(w.accounts, 0) AS accounts,
       coalesce(w.relationships, 0) AS relationships,
       coalesce(d.opportunities, 0) AS opportunities,
       coalesce(d.deal_accounts, 0) AS deal_accounts,
       coalesce(d.open, 0) AS open,
       coalesce(d.won, 0) AS won,
       coalesce(d.lost, 0) AS lost,
       d.won / nullif(d.won + d.lost, 0) AS win_rate,
       coalesce(d.won_amount, 0) AS won_amount,
       coalesce(w.relationships, 0) > {DUNBAR} AS over_dunbar
FROM ids
LEFT JOIN reps r ON r.rep_id = ids.rep_id
LEFT JOIN owned w ON w.rep_id = ids.rep_id
LEFT JOIN deals d ON d.rep_id = ids.rep_id
ORDER BY relationships DESC, ids.rep_id
"""


def coverage_sql(ctx: Context) -> str:
    """Accounts without an owner, in all (``segment`` NULL, ``level`` 'all') and per
    segment; an owner id missing from ``reps`` counts apart (``owner_unknown``)."""
    return f"""
WITH paying AS (
    SELECT DISTINCT account_id FROM opportunities o
    WHERE outcome = 'won' AND {_opportunity_filter(ctx, "o")}
),
a AS (
    SELECT a.segment, a.owner_rep_id IS NULL AS unowned, a.owner_unknown,
           a.account_id IN (SELECT account_id FROM paying) AS is_paying
    FROM {BOOK} a WHERE {_account_filter(ctx, "a")}
)
SELECT CASE WHEN grouping(segment) = 1 THEN 'all' ELSE 'segment' END AS level,
       segment, count(*) AS accounts,
       count(*) FILTER (WHERE unowned) AS without_owner,
       count(*) FILTER (WHERE unowned) / count(*) AS without_owner_share,
       count(*) FILTER (WHERE owner_unknown) AS owner_unknown,
       count(*) FILTER (WHERE is_paying) AS paying,
       count(*) FILTER (WHERE is_paying AND unowned) AS paying_without_owner
FROM a
GROUP BY ROLLUP (segment)
HAVING count(*) > 0
ORDER BY grouping(segment) DESC, accounts DESC, segment
"""


def concentration_sql(ctx: Context) -> str:
    """Won revenue per paying account (won amount > 0), ranked: top-20% share, top-10
    accounts' share, Gini; revenue won on deals without an account apart. Amounts are
    summed as they are: ``currencies`` > 1 means they mix currencies."""
    deals = _opportunity_filter(ctx, "o")
    accounts = _account_filter(ctx, "a")
    return f"""
WITH won AS (
    SELECT o.account_id, o.amount FROM opportunities o
    WHERE o.outcome = 'won' AND o.amount IS NOT NULL AND {deals}
),
revenue AS (
    SELECT w.account_id, sum(w.amount) AS revenue, any_value(a.owner_rep_id) AS owner
    FROM won w LEFT JOIN {BOOK} a ON a.account_id = w.account_id
    WHERE w.account_id IS NOT NULL AND {accounts}
    GROUP BY w.account_id HAVING sum(w.amount) > 0
),
ranked AS (
    SELECT revenue, owner, row_number() OVER (ORDER BY revenue DESC, account_id) AS k,
           count(*) OVER () AS n
    FROM revenue
)
SELECT count(*) AS paying_accounts,
       coalesce(sum(revenue), 0) AS won_revenue,
       CAST(ceil({TOP_SHARE} * count(*)) AS BIGINT) AS top_accounts,
       sum(revenue) FILTER (WHERE k <= ceil({TOP_SHARE} * n)) / sum(revenue) AS top_share,
       count(*) FILTER (WHERE k <= ceil({TOP_SHARE} * n) AND owner IS NULL)
           AS top_accounts_without_owner,
       sum(revenue) FILTER (WHERE k <= 10) / sum(revenue) AS top_10_accounts_share,
       -- Gini with accounts ranked from the largest: 1 + 1/n - 2 * sum(k * x) / (n * sum(x))
       1 + 1 / count(*) - 2 * sum(k * revenue) / (count(*) * sum(revenue)) AS gini,
       (SELECT coalesce(sum(amount), 0) FROM won WHERE account_id IS NULL)
           AS won_revenue_without_account,
       (SELECT count(DISTINCT currency) FROM opportunities o
        WHERE o.outcome = 'won' AND {deals}) AS currencies
FROM ranked
"""


def _normalised(column: str) -> str:
    """A spelling reduced to lowercase letters and digits, accents removed."""
    return f"regexp_replace(lower(strip_accents({column})), '[^a-z0-9]', '', 'g')"


_HAS_ACCOUNTS = "(SELECT count(*) FROM accounts) > 0"
_HAS_REPS = "(SELECT count(*) FROM reps) > 0"
_UNKNOWN_ACCOUNT = (
    "{0} IS NOT NULL AND "
    + _HAS_ACCOUNTS
    + " AND {0} NOT IN (SELECT account_id FROM accounts WHERE account_id IS NOT NULL)"
)
_UNKNOWN_REP = (
    "{0} IS NOT NULL AND "
    + _HAS_REPS
    + " AND {0} NOT IN (SELECT rep_id FROM reps WHERE rep_id IS NOT NULL)"
)
CHECKS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("opportunity_without_account", "opportunities", "account_id", "account_id IS NULL", None),
    ("unknown_account", "opportunities", "account_id", _UNKNOWN_ACCOUNT.format("account_id"),
     "account_id"),
    ("unknown_account", "contacts", "account_id", _UNKNOWN_ACCOUNT.format("account_id"),
     "account_id"),
    ("opportunity_without_owner", "opportunities", "owner_rep_id", "owner_rep_id IS NULL", None),
    ("unknown_rep", "opportunities", "owner_rep_id", _UNKNOWN_REP.format("owner_rep_id"),
     "owner_rep_id"),
    ("unknown_rep", "accounts", "owner_rep_id", _UNKNOWN_REP.format("owner_rep_id"),
     "owner_rep_id"),
    ("won_without_amount", "opportunities", "amount", "outcome = 'won' AND amount IS NULL", None),
    ("closed_without_date", "opportunities", "closed_at",
     "outcome IN ('won', 'lost') AND closed_at IS NULL", None),
    ("closed_before_created", "opportunities", "closed_at", "closed_at < created_at",
     "opportunity_id"),
)  # fmt: skip
"""Row checks: (issue, table, column, condition a row fails, column listed as examples).
A reference counts as unknown only when the referenced table has rows (an empty table was
not imported, which is not an error in every row)."""


def _counts_sql() -> str:
    """How many rows fail each of :data:`CHECKS`: one pass per table, one statement."""
    sums: dict[str, list[str]] = {}
    for _, table, _, condition, _ in CHECKS:
        sums.setdefault(table, []).append(f"coalesce(sum(({condition})::INT), 0)")
    return "SELECT " + ", ".join(f"(SELECT [{', '.join(s)}] FROM {t})" for t, s in sums.items())


def _examples_sql(table: str, column: str, condition: str) -> str:
    """The first few distinct values of ``column`` in the rows failing ``condition``."""
    return (
        f"SELECT array_to_string(list_slice(list(DISTINCT {column} ORDER BY {column}), "
        f"1, {EXAMPLES}), ', ') FROM {table} WHERE {condition}"
    )


def near_duplicates_sql() -> str:
    """Groups of spellings of one column equal once normalised (:func:`_normalised`);
    rows = rows not using the group's most common spelling, which is the suggestion."""
    values = "\n    UNION ALL ".join(
        f"SELECT '{table}' AS t, '{column}' AS c, {column} AS spelling, count(*) AS n "
        f"FROM {table} WHERE {column} IS NOT NULL GROUP BY {column}"
        for table, column in NEAR_DUPLICATE_COLUMNS
    )
    return f"""
WITH spellings AS (
    {values}
)
SELECT 'near_duplicate' AS issue, t AS "table", c AS "column",
       string_agg(spelling, ' | ' ORDER BY n DESC, spelling) AS value,
       arg_min(spelling, (-n, spelling)) AS suggestion, sum(n) - max(n) AS rows
FROM (SELECT *, {_normalised("spelling")} AS norm FROM spellings)
GROUP BY t, c, norm HAVING count(*) > 1
"""


def unlisted_products_sql() -> str:
    """Products on opportunities missing from a ``products`` list (a table the user loaded
    next to the canonical ones), with the listed spelling they normalise to."""
    return f"""
SELECT 'unlisted_product' AS issue, 'opportunities' AS "table", 'product' AS "column",
       o.product AS value, any_value(p.product) AS suggestion, count(*) AS rows
FROM opportunities o
LEFT JOIN products p ON {_normalised("p.product")} = {_normalised("o.product")}
WHERE o.product IS NOT NULL
  AND o.product NOT IN (SELECT product FROM products WHERE product IS NOT NULL)
GROUP BY o.product
"""


CURRENCIES_SQL = """
SELECT 'mixed_currencies' AS issue, 'opportunities' AS "table", 'currency' AS "column",
       string_agg(currency, ' | ' ORDER BY n DESC, currency) AS value,
       arg_min(currency, (-n, currency)) AS suggestion, sum(n) - max(n) AS rows
FROM (SELECT currency, count(*) AS n FROM opportunities
      WHERE currency IS NOT NULL GROUP BY currency)
HAVING count(*) > 1
"""

NO_OWNERS_SQL = """
SELECT 'no_account_owners' AS issue, 'accounts' AS "table", 'owner_rep_id' AS "column",
       NULL AS value, NULL AS suggestion, count(*) AS rows
FROM accounts HAVING count(*) > 0 AND count(owner_rep_id) = 0
"""

QUALITY_SCHEMA = pa.schema([
    ("issue", pa.string()), ("table", pa.string()), ("column", pa.string()),
    ("value", pa.string()), ("suggestion", pa.string()), ("rows", pa.int64()),
])  # fmt: skip
"""The ``data_quality`` table: one row per issue found."""


QUALITY_CACHE = "accounts_data_quality"
"""Temporary table keeping the last ``data_quality`` table: it depends on the CRM tables
only, not on filters, so re-running with another filter reads it back."""
BOOK = "accounts_book"
"""Temporary table with one row per account: segment, owner, contacts (relationships) and
whether the owner id is missing from ``reps``. Built once per state of the CRM tables
(:func:`crm_state`), so a re-computation with a filter does not regroup the contacts."""
CRM_TABLES = ("accounts", "contacts", "opportunities", "reps")
"""The tables every account-management query reads (``products`` too, when present)."""


def crm_state(ctx: Context) -> tuple[str, dict[str, int]]:
    """What the cached tables depend on, without a scan: the exact row counts of
    :data:`CRM_TABLES` (kept in each table's metadata), which :func:`quality_findings`
    also needs, and the number and last id of ``imports``. The CRM tables (and
    ``products``) only change by import (rows appended, one ``imports`` row each), so this
    sees every change made through jornada; an in-place SQL ``UPDATE`` keeping every count
    is not seen (a new connection starts without caches). The catalogue is not read: with
    the large ENUM types of ``prepare`` in it, a catalogue query costs tens of ms."""
    counts = ", ".join(f"(SELECT count(*) FROM {name})" for name in CRM_TABLES)
    ((*found, catalogue),) = ctx.con.execute(f"""
SELECT {counts},
       (SELECT count(*) || '/' || coalesce(max(import_id)::VARCHAR, '') FROM imports)
""").fetchall()  # fmt: skip
    sizes = dict(zip(CRM_TABLES, (int(n) for n in found), strict=True))
    return ":".join(str(n) for n in found) + f":{catalogue}", sizes


def _book(ctx: Context, state: str) -> None:
    """(Re)build :data:`BOOK` unless it was built for ``state``."""
    if cached_stamp(ctx.con, BOOK) == state:
        return
    ctx.con.execute(f"""
CREATE OR REPLACE TEMP TABLE {BOOK} AS
SELECT a.account_id, a.segment, a.owner_rep_id, coalesce(c.contacts, 0) AS contacts,
       a.owner_rep_id IS NOT NULL AND (SELECT count(*) FROM reps) > 0
           AND a.owner_rep_id NOT IN (SELECT rep_id FROM reps WHERE rep_id IS NOT NULL)
           AS owner_unknown
FROM accounts a
LEFT JOIN (SELECT account_id, count(*) AS contacts FROM contacts GROUP BY account_id) c
       ON c.account_id = a.account_id
""")  # fmt: skip
    set_stamp(ctx.con, BOOK, state)


def data_quality(ctx: Context, state: str | None = None) -> pa.Table:
    """Every data-quality check, one row per issue found: references to accounts and reps
    that do not exist (when the referenced table has rows: an empty table was not
    imported), opportunities without an account or an owner, won deals without an amount,
    closes before creation or without a date, accounts imported without any owner, mixed
    currencies, near-duplicate spellings (:data:`NEAR_DUPLICATE_COLUMNS`) and, when the
    workspace has a ``products`` table, products it does not list. Filters do not apply;
    the result is kept (:data:`QUALITY_CACHE`) until the CRM tables change
    (:func:`crm_state`)."""
    if state is None:
        state, _ = crm_state(ctx)
    if cached_stamp(ctx.con, QUALITY_CACHE) == state:
        return ctx.table(f"SELECT * FROM {QUALITY_CACHE} ORDER BY position").drop(["position"])
    table = _run_checks(ctx, _has_products(ctx))
    kept = table.append_column("position", pa.array(range(table.num_rows), pa.int64()))  # noqa: F841
    ctx.con.execute(f"CREATE OR REPLACE TEMP TABLE {QUALITY_CACHE} AS SELECT * FROM kept")
    set_stamp(ctx.con, QUALITY_CACHE, state)
    return table


def _run_checks(ctx: Context, has_products: bool) -> pa.Table:
    rows: list[dict[str, Any]] = []
    (per_table,) = ctx.con.execute(_counts_sql()).fetchall()
    tables = list(dict.fromkeys(table for _, table, _, _, _ in CHECKS))
    counts = {table: list(found) for table, found in zip(tables, per_table, strict=True)}
    for issue, table, column, condition, example in CHECKS:
        found = int(counts[table].pop(0))
        if not found:
            continue
        value = None
        if example is not None:
            ((value,),) = ctx.con.execute(_examples_sql(table, example, condition)).fetchall()
        rows.append({"issue": issue, "table": table, "column": column, "value": value,
                     "suggestion": None, "rows": found})  # fmt: skip
    queries = [NO_OWNERS_SQL, CURRENCIES_SQL, near_duplicates_sql()]
    if has_products:
        queries.append(unlisted_products_sql())
    for sql in queries:
        cursor = ctx.con.execute(sql)
        names = [column[0] for column in cursor.description or ()]
        rows.extend(dict(zip(names, row, strict=True)) for row in cursor.fetchall())
    table = pa.Table.from_pylist(rows, schema=QUALITY_SCHEMA)
    return table.sort_by([("rows", "descending"), ("issue", "ascending"), ("table", "ascending"),
                          ("column", "ascending"), ("value", "ascending")])  # fmt: skip


def _has_products(ctx: Context) -> bool:
    """Opportunities name products and the workspace has a ``products`` list."""
    ((named,),) = ctx.con.execute("SELECT count(product) > 0 FROM opportunities").fetchall()
    if not named:
        return False
    try:
        ctx.con.execute("SELECT product FROM products LIMIT 0").fetchall()
    except duckdb.Error:
        return False
    return True


def analyse(ctx: Context) -> Result:
    """The four account-management tables and their findings."""
    state, sizes = crm_state(ctx)
    _book(ctx, state)
    tables = {
        "rep_load": ctx.table(rep_load_sql(ctx)),
        "account_coverage": ctx.table(coverage_sql(ctx)),
        "revenue_concentration": ctx.table(concentration_sql(ctx)),
        "data_quality": data_quality(ctx, state),
    }
    findings = [
        *rep_load_findings(tables["rep_load"], ctx.lang),
        *coverage_findings(tables["account_coverage"], ctx.lang),
        *concentration_findings(tables["revenue_concentration"], ctx.lang),
        *quality_findings(tables["data_quality"], sizes, ctx.lang),
    ]
    return Result(tables=tables, findings=findings)


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def rep_load_findings(table: pa.Table, lang: str) -> list[Finding]:
    """Reps holding more relationships than Dunbar's number, with their win rate against
    the other reps' (closed deals pooled). Score: half the overload (full at twice the
    number), half the win-rate shortfall relative to the others (full at none won)."""
    rows = table.to_pylist()
    out = []
    for rep in rows:
        if not rep["over_dunbar"]:
            continue
        others = [r for r in rows if r["rep_id"] != rep["rep_id"]]
        won = sum(r["won"] for r in others)
        closed = won + sum(r["lost"] for r in others)
        others_rate = won / closed if closed else None
        loads = sorted(r["relationships"] for r in others if r["accounts"])
        median = loads[len(loads) // 2] if loads else None
        overload = min(1.0, max(0.0, math.log2(rep["relationships"] / DUNBAR)))
        shortfall = 0.0
        if others_rate and rep["win_rate"] is not None:
            shortfall = min(1.0, max(0.0, (others_rate - rep["win_rate"]) / others_rate))
        evidence: dict[str, Any] = {
            "relationships": rep["relationships"], "dunbar": DUNBAR,
            "accounts": rep["accounts"], "other_reps_median_relationships": median,
            "win_rate": _round(rep["win_rate"]), "other_reps_win_rate": _round(others_rate),
            "closed_deals": rep["won"] + rep["lost"], "open_deals": rep["open"],
        }  # fmt: skip
        name = rep["name"] or rep["rep_id"]
        action = t("accounts.rep_load.action", lang, rep=name,
                   relationships=rep["relationships"], dunbar=DUNBAR,
                   accounts=rep["accounts"], win_rate=_percent(rep["win_rate"]),
                   others=_percent(others_rate))  # fmt: skip
        score = 0.5 * overload + 0.5 * shortfall
        out.append(finding("rep_load", name, score, evidence, action, rep=rep["rep_id"]))
    return out


def coverage_findings(table: pa.Table, lang: str) -> list[Finding]:
    """Accounts nobody owns. Score: twice their share, at most 1. When no account has an
    owner the data lacks owners rather than accounts lacking them: ``data_quality``
    reports that (``no_account_owners``) instead."""
    total = next((r for r in table.to_pylist() if r["level"] == "all"), None)
    if total is None or not total["without_owner"] or total["without_owner"] == total["accounts"]:
        return []
    share = total["without_owner"] / total["accounts"]
    by_segment = {
        r["segment"]: r["without_owner"]
        for r in table.to_pylist()
        if r["level"] == "segment" and r["without_owner"]
    }
    evidence = {
        "accounts": total["accounts"], "without_owner": total["without_owner"],
        "without_owner_share": _round(share), "paying_without_owner":
        total["paying_without_owner"], "owner_unknown": total["owner_unknown"],
        "without_owner_by_segment": by_segment,
    }  # fmt: skip
    action = t("accounts.account_coverage.action", lang, accounts=total["without_owner"],
               share=_percent(share), paying=total["paying_without_owner"])  # fmt: skip
    subject = t("accounts.account_coverage.subject", lang)
    return [finding("account_coverage", subject, min(1.0, 2 * share), evidence, action)]


def concentration_findings(table: pa.Table, lang: str) -> list[Finding]:
    """How concentrated won revenue is. Score: half the top slice's share above an equal
    split (0 when the top 20% bring 20%, 0.5 when they bring everything)."""
    rows = table.to_pylist()
    if not rows or not rows[0]["paying_accounts"] or rows[0]["top_share"] is None:
        return []
    row = rows[0]
    share = float(row["top_share"])
    evidence = {
        "paying_accounts": row["paying_accounts"], "top_accounts": row["top_accounts"],
        "top_share": _round(share), "top_10_accounts_share": _round(row["top_10_accounts_share"]),
        "gini": _round(row["gini"]), "top_accounts_without_owner":
        row["top_accounts_without_owner"], "won_revenue": _round(row["won_revenue"], 2),
        "currencies": row["currencies"],
    }  # fmt: skip
    action = t("accounts.revenue_concentration.action", lang, share=_percent(share),
               top=row["top_accounts"], paying=row["paying_accounts"],
               unowned=row["top_accounts_without_owner"])  # fmt: skip
    subject = t("accounts.revenue_concentration.subject", lang)
    score = 0.5 * max(0.0, (share - TOP_SHARE) / (1 - TOP_SHARE))
    return [finding("revenue_concentration", subject, score, evidence, action)]


def quality_findings(table: pa.Table, sizes: dict[str, int], lang: str) -> list[Finding]:
    """One finding per data-quality issue. Score: half the share of the table's rows it
    touches, at most 0.5 (bad data skews other findings; it rarely outranks them);
    ``sizes`` are the CRM tables' row counts (:func:`crm_state`)."""
    if table.num_rows == 0:
        return []
    out = []
    for row in table.to_pylist():
        size = sizes.get(row["table"]) or 0
        share = row["rows"] / size if size else 0.0
        subject = f"{row['table']}.{row['column']}"
        evidence = {"issue": row["issue"], "rows": row["rows"], "table_rows": size,
                    "share_of_rows": _round(share), "values": row["value"],
                    "suggestion": row["suggestion"]}  # fmt: skip
        action = t(f"accounts.data_quality.{row['issue']}", lang, rows=row["rows"],
                   table=row["table"], column=row["column"], values=row["value"] or "",
                   suggestion=row["suggestion"] or "")  # fmt: skip
        out.append(finding("data_quality", subject, min(0.5, share / 2), evidence, action))
    return out
