"""The canonical tables of a workspace: what every import writes and every analysis reads.

Column names are the canonical format documented in ``docs/data-format.md``. Time columns
are ``TIMESTAMPTZ`` in UTC. ``import_id`` and ``source_row`` say where each row came from,
and ``source_row`` breaks ties between events with equal timestamps (file order, as
process-mining tools do).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    required: bool = False
    personal: bool = False
    """Holds personal data: hashed by ``--pseudonymize``."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    """Columns that identify a row: re-importing a row with the same key changes nothing."""

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, sql_type: str = "VARCHAR", **kw: bool) -> Column:
    return Column(name, sql_type, **kw)


_PROVENANCE = (_c("import_id", "INTEGER"), _c("source_row", "BIGINT"))

EVENTS = Table(
    "events",
    (
        _c("timestamp", "TIMESTAMPTZ", required=True),
        _c("account_id"),
        _c("contact_id"),
        _c("activity", required=True),
        _c("touchpoint"),
        _c("stage"),
        _c("channel"),
        _c("channel_kind"),
        _c("business_unit"),
        _c("role"),
        _c("content_id"),
        _c("opportunity_id"),
        _c("amount", "DOUBLE"),
        _c("source_system"),
        _c("event_id"),
        *_PROVENANCE,
    ),
    key=("timestamp", "account_id", "contact_id", "activity", "opportunity_id", "event_id"),
)

ACCOUNTS = Table(
    "accounts",
    (
        _c("account_id", required=True),
        _c("name", personal=False),
        _c("industry"),
        _c("segment"),
        _c("employees", "BIGINT"),
        _c("region"),
        _c("country"),
        _c("language"),
        _c("owner_rep_id"),
        _c("created_at", "TIMESTAMPTZ"),
        *_PROVENANCE,
    ),
    key=("account_id",),
)

CONTACTS = Table(
    "contacts",
    (
        _c("contact_id", required=True),
        _c("account_id"),
        _c("first_name", personal=True),
        _c("last_name", personal=True),
        _c("email", personal=True),
        _c("job_title"),
        _c("role"),
        _c("persona"),
        _c("department"),
        _c("seniority"),
        _c("language"),
        _c("created_at", "TIMESTAMPTZ"),
        *_PROVENANCE,
    ),
    key=("contact_id",),
)

REPS = Table(
    "reps",
    (_c("rep_id", required=True), _c("name", personal=True), _c("team"), _c("region"),
     *_PROVENANCE),
    key=("rep_id",),
)  # fmt: skip

OPPORTUNITIES = Table(
    "opportunities",
    (
        _c("opportunity_id", required=True),
        _c("account_id"),
        _c("name"),
        _c("type"),
        _c("stage"),
        _c("created_at", "TIMESTAMPTZ"),
        _c("closed_at", "TIMESTAMPTZ"),
        _c("outcome"),
        _c("amount", "DOUBLE"),
        _c("currency"),
        _c("owner_rep_id"),
        _c("product"),
        *_PROVENANCE,
    ),
    key=("opportunity_id",),
)

FEEDBACK = Table(
    "feedback",
    (
        _c("feedback_id"),
        _c("timestamp", "TIMESTAMPTZ", required=True),
        _c("account_id"),
        _c("contact_id"),
        _c("survey", required=True),
        _c("score", "DOUBLE", required=True),
        _c("verbatim"),
        _c("language"),
        _c("stage"),
        _c("touchpoint"),
        *_PROVENANCE,
    ),
    key=("feedback_id", "timestamp", "contact_id", "survey"),
)

CONTENT = Table(
    "content",
    (
        _c("content_id", required=True),
        _c("title"),
        _c("format"),
        _c("stage"),
        _c("role"),
        _c("persona"),
        _c("gated", "BOOLEAN"),
        _c("language"),
        *_PROVENANCE,
    ),
    key=("content_id",),
)

PATHS = Table(
    "paths",
    (
        _c("path", required=True),
        _c("conversions", "DOUBLE"),
        _c("value", "DOUBLE"),
        _c("nulls", "DOUBLE"),
        *_PROVENANCE,
    ),
    key=("path", "conversions", "value", "nulls"),
)
"""An aggregated path table (attribution tools' format): one row per touchpoint sequence
(``"web > email > call"``) with how many journeys took it and converted, their value, and
how many took it without converting. Identical rows inside one file all count."""

TABLES: dict[str, Table] = {
    t.name: t for t in (EVENTS, ACCOUNTS, CONTACTS, REPS, OPPORTUNITIES, FEEDBACK, CONTENT, PATHS)
}

IMPORTS_DDL = """
CREATE TABLE IF NOT EXISTS imports (
    import_id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    rows_duplicate BIGINT NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
"""

SETTINGS_DDL = """
CREATE TABLE IF NOT EXISTS settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)
"""

STAGES_DDL = """
CREATE TABLE IF NOT EXISTS stages (
    stage VARCHAR PRIMARY KEY,
    position INTEGER NOT NULL,
    phase VARCHAR NOT NULL
)
"""


def create_sql(table: Table) -> str:
    columns = ",\n    ".join(f'"{c.name}" {c.sql_type}' for c in table.columns)
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n    {columns}\n)"
