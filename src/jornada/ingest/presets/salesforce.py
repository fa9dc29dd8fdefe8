"""Salesforce: Sales Cloud objects as a warehouse sync holds them (Fivetran names such as
``sf_opportunity_data`` with snake_case fields), or as Data Loader / object exports
(``Opportunity.csv`` with ``StageName``…), into the canonical tables.

See ``docs/presets.md`` for every file and field read and how each canonical column is
derived.
"""

from __future__ import annotations

from jornada.ingest.mapping import Kind
from jornada.ingest.presets.run import Context, Nouns, Preset
from jornada.ingest.presets.sources import Source
from jornada.ingest.presets.vocabulary import (
    EVENT_COLUMNS,
    channel_kind_sql,
    channel_sql,
    columns,
    deal_type_sql,
    literal,
    orphans_sql,
    select_list,
)

SYSTEM = literal("salesforce")
# Key prefixes of Salesforce ids: what a polymorphic WhatId points at.
ACCOUNT_PREFIX, OPPORTUNITY_PREFIX = "001", "006"


def _files(*names: str) -> tuple[str, ...]:
    """Warehouse-sync and object names of a table: ``sf_<x>_data``, ``<x>``, ``<x>s``."""
    out: list[str] = []
    for name in names:
        plural = name[:-1] + "ies" if name.endswith("y") else name + "s"
        out += [f"sf_{name}_data", name, plural, name.replace("_", ""), plural.replace("_", "")]
    return tuple(dict.fromkeys(out))


def _f(*names: str) -> tuple[str, ...]:
    """A field by its snake_case (sync) and squashed CamelCase (object export) names."""
    out: list[str] = []
    for name in names:
        out += [name, name.replace("_", "")]
    return tuple(dict.fromkeys(out))


SOURCES: tuple[Source, ...] = (
    Source(
        "accounts", Kind.accounts, _files("account"),
        {
            "id": _f("id", "account_id"),
            "name": _f("name", "account_name"),
            "industry": _f("industry"),
            "employees": _f("number_of_employees", "employees"),
            "country": _f("billing_country", "shipping_country"),
            "region": _f("billing_state", "shipping_state"),
            "owner": _f("owner_id", "account_owner_id"),
            "created": _f("created_date"),
        },
        required=("id",),
    ),
    Source(
        "contacts", Kind.contacts, _files("contact"),
        {
            "id": _f("id", "contact_id"),
            "account": _f("account_id"),
            "first_name": _f("first_name"),
            "last_name": _f("last_name"),
            "email": _f("email"),
            "title": _f("title"),
            "department": _f("department"),
            "created": _f("created_date"),
        },
        required=("id",),
    ),
    Source(
        "leads", Kind.contacts, _files("lead"),
        {
            "id": _f("id", "lead_id"),
            "first_name": _f("first_name"),
            "last_name": _f("last_name"),
            "email": _f("email"),
            "title": _f("title"),
            "created": _f("created_date"),
            "converted": _f("is_converted"),
            "converted_date": _f("converted_date"),
            "converted_contact": _f("converted_contact_id"),
            "converted_account": _f("converted_account_id"),
            "converted_opportunity": _f("converted_opportunity_id"),
        },
        required=("id",),
    ),
    Source(
        "contact_roles", Kind.contacts, _files("opportunity_contact_role"),
        {"opportunity": _f("opportunity_id"), "contact": _f("contact_id"), "role": _f("role"),
         "is_primary": _f("is_primary"), "created": _f("created_date")},
        required=("contact",),
    ),
    Source(
        "users", Kind.reps, _files("user"),
        {
            "id": _f("id", "user_id"),
            "name": _f("name", "full_name"),
            "first_name": _f("first_name"),
            "last_name": _f("last_name"),
            "role": _f("user_role_id"),
            "department": _f("department"),
            "division": _f("division"),
            "country": _f("country"),
        },
        required=("id",),
    ),
    Source("user_roles", Kind.reps, _files("user_role"), {"id": _f("id"), "name": _f("name")}),
    Source(
        "opportunities", Kind.opportunities, _files("opportunity"),
        {
            "id": _f("id", "opportunity_id"),
            "account": _f("account_id"),
            "name": _f("name", "opportunity_name"),
            "stage": _f("stage_name", "stage"),
            "amount": _f("amount"),
            "currency": _f("currency_iso_code"),
            "created": _f("created_date"),
            "closed": _f("close_date"),
            "won": _f("is_won", "won"),
            "closed_flag": _f("is_closed", "closed"),
            "owner": _f("owner_id", "opportunity_owner_id"),
            "type": _f("type"),
        },
        required=("id",),
    ),
    Source(
        "line_items", Kind.opportunities, _files("opportunity_line_item"),
        {"opportunity": _f("opportunity_id"), "product": _f("product_2_id", "product2_id"),
         "name": _f("name")},
        required=("opportunity",),
    ),
    Source("products", Kind.opportunities, _files("product_2", "product2", "product"),
           {"id": _f("id"), "name": _f("name")}),
    Source(
        "opportunity_history", Kind.events, _files("opportunity_history"),
        # An OpportunityHistory object row (OpportunityId, CreatedDate) or a version of
        # Opportunity in a history-mode table (Id, _fivetran_start).
        {"opportunity": _f("opportunity_id", "id"), "stage": _f("stage_name"),
         "changed": ("fivetran_start", *_f("created_date"))},
        required=("opportunity", "stage"),
    ),
    Source(
        "tasks", Kind.events, _files("task"),
        {
            "id": _f("id"),
            "who": _f("who_id"),
            "what": _f("what_id"),
            "account": _f("account_id"),
            "completed": _f("completed_date_time"),
            "day": _f("activity_date"),
            "subtype": _f("task_subtype"),
            "type": _f("type"),
        },
    ),
    Source(
        "events", Kind.events, _files("event"),
        {
            "id": _f("id"),
            "who": _f("who_id"),
            "what": _f("what_id"),
            "account": _f("account_id"),
            "start": _f("activity_date_time", "start_date_time"),
            "day": _f("activity_date"),
            "subtype": _f("event_subtype"),
            "type": _f("type"),
        },
    ),
)  # fmt: skip


def _entity(kind: Kind, values: dict[str, str], alias: str, ctx: Context, source: str) -> str:
    s = ctx[source]
    return select_list(columns(kind), values, deleted=s.deleted(alias),
                       file=f"{alias}._file", line=f"{alias}._line",
                       version=s.version(alias, f"{alias}.id"), group=f"{alias}.id")  # fmt: skip


def accounts(ctx: Context) -> str:
    s = ctx["accounts"]
    values = {
        "account_id": "a.id",
        "name": "a.name",
        "industry": "a.industry",
        "employees": s.num("a.employees"),
        "region": "a.region",
        "country": "a.country",
        "owner_rep_id": "a.owner",
        "created_at": s.ts("a.created"),
    }
    return f"SELECT {_entity(Kind.accounts, values, 'a', ctx, 'accounts')} FROM {s.view} a"


def reps(ctx: Context) -> str:
    s = ctx["users"]
    values = {
        "rep_id": "u.id",
        "name": "coalesce(u.name, nullif(concat_ws(' ', u.first_name, u.last_name), ''))",
        "team": "coalesce(r.name, u.department, u.division)",
        "region": "u.country",
    }
    return f"""
SELECT {_entity(Kind.reps, values, "u", ctx, "users")}
FROM {s.view} u
LEFT JOIN (SELECT id, any_value(name) AS name FROM {ctx["user_roles"].view} GROUP BY id) r
    ON r.id = u.role
"""


def contacts(ctx: Context) -> str:
    s, leads, roles = ctx["contacts"], ctx["leads"], ctx["contact_roles"]
    values = {
        "contact_id": "c.id",
        "account_id": "c.account",
        "first_name": "c.first_name",
        "last_name": "c.last_name",
        "email": "c.email",
        "job_title": "c.title",
        "role": "r.role",
        "department": "c.department",
        "created_at": s.ts("c.created"),
    }
    lead_values = {
        "contact_id": "coalesce(l.converted_contact, l.id)",
        "account_id": "l.converted_account",
        "first_name": "l.first_name",
        "last_name": "l.last_name",
        "email": "l.email",
        "job_title": "l.title",
        "created_at": leads.ts("l.created"),
    }
    lead_select = select_list(columns(Kind.contacts), lead_values, deleted=leads.deleted("l"),
                              file="l._file", line="l._line", part="1",
                              version=leads.version("l", "l.id"), group="l.id")  # fmt: skip
    return f"""
WITH r AS (
    SELECT contact, role FROM {roles.view} l
    WHERE contact IS NOT NULL AND role IS NOT NULL AND NOT {roles.deleted("l")}
    QUALIFY row_number() OVER (PARTITION BY contact ORDER BY
        {roles.flag("is_primary")} DESC NULLS LAST, {roles.ts_value("created")} DESC NULLS LAST,
        _line) = 1
)
SELECT {_entity(Kind.contacts, values, "c", ctx, "contacts")}
FROM {s.view} c LEFT JOIN r ON r.contact = c.id
UNION ALL
SELECT {lead_select} FROM {leads.view} l
"""


def opportunities(ctx: Context) -> str:
    s = ctx["opportunities"]
    outcome = (
        f"CASE WHEN {s.flag('o.won')} THEN 'won' WHEN {s.flag('o.closed_flag')} THEN 'lost' "
        f"WHEN NOT {s.flag('o.closed_flag')} THEN 'open' ELSE o.stage END"
    )
    values = {
        "opportunity_id": "o.id",
        "account_id": "o.account",
        "name": "o.name",
        "type": deal_type_sql("o.type"),
        "stage": "o.stage",
        "created_at": s.ts("o.created"),
        "closed_at": f"CASE WHEN ({outcome}) = 'open' THEN NULL ELSE {s.ts('o.closed')} END",
        "outcome": outcome,
        "amount": s.num("o.amount"),
        "currency": "o.currency",
        "owner_rep_id": "o.owner",
        "product": "p.product",
    }
    return f"""
WITH p AS (
    SELECT i.opportunity,
           string_agg(DISTINCT coalesce(n.name, i.name), '; '
                      ORDER BY coalesce(n.name, i.name)) AS product
    FROM {ctx["line_items"].view} i
    LEFT JOIN (SELECT id, any_value(name) AS name FROM {ctx["products"].view} GROUP BY id) n
        ON n.id = i.product
    WHERE i.opportunity IS NOT NULL AND NOT {ctx["line_items"].deleted("i")}
    GROUP BY i.opportunity
)
SELECT {_entity(Kind.opportunities, values, "o", ctx, "opportunities")}
FROM {s.view} o LEFT JOIN p ON p.opportunity = o.id
"""


def _event(values: dict[str, str], **meta: str) -> str:
    return select_list(EVENT_COLUMNS, {"source_system": SYSTEM, **values}, **meta)


def _activities(ctx: Context, name: str, part: str) -> str:
    """Tasks or Events: WhoId a contact or lead, WhatId an opportunity or account."""
    s = ctx[name]
    if name == "tasks":
        happened = "coalesce(x.completed, x.day)"
        activity = "coalesce(nullif(x.subtype, 'Task'), x.type, x.subtype, 'Task')"
    else:
        happened = "coalesce(x.start, x.day)"
        activity = "coalesce(x.type, nullif(x.subtype, 'Event'), x.subtype, 'Event')"
    what_opp = f"CASE WHEN starts_with(x.what, '{OPPORTUNITY_PREFIX}') THEN x.what END"
    what_account = f"CASE WHEN starts_with(x.what, '{ACCOUNT_PREFIX}') THEN x.what END"
    channel = channel_sql(activity)
    values = {
        "timestamp": s.ts(happened),
        "account_id": f"coalesce(x.account, {what_account}, o.account_id, c.account_id)",
        "contact_id": "coalesce(l.contact, x.who)",
        "activity": activity,
        "channel": channel,
        "channel_kind": channel_kind_sql(channel),
        "opportunity_id": what_opp,
        "event_id": "x.id",
    }
    return f"""
SELECT {_event(values, deleted=s.deleted("x"), file="x._file", line="x._line", part=part)}
FROM {s.view} x
LEFT JOIN (SELECT id AS lead, coalesce(converted_contact, id) AS contact
           FROM {ctx["leads"].view} WHERE id IS NOT NULL) l ON l.lead = x.who
LEFT JOIN opportunities o ON o.opportunity_id = {what_opp}
LEFT JOIN contacts c ON c.contact_id = coalesce(l.contact, x.who)
"""


def _stage_changes(ctx: Context) -> str:
    s = ctx["opportunity_history"]
    values = {
        "timestamp": s.ts("h.changed"),
        "account_id": "o.account_id",
        "activity": "'Deal stage: ' || h.stage",
        "opportunity_id": "h.opportunity",
    }
    return f"""
SELECT {_event(values, deleted=s.deleted("h"), file="h._file", line="h._line", part="2")}
FROM (
    SELECT *, lag(stage) OVER (PARTITION BY opportunity
                               ORDER BY {s.ts_value("changed")}, _line) AS previous
    FROM {s.view}
) h
LEFT JOIN opportunities o ON o.opportunity_id = h.opportunity
WHERE h.previous IS DISTINCT FROM h.stage
"""


def _leads(ctx: Context) -> str:
    s = ctx["leads"]
    created = {
        "timestamp": s.ts("l.created"),
        "account_id": "l.converted_account",
        "contact_id": "coalesce(l.converted_contact, l.id)",
        "activity": "'Lead created'",
        "event_id": "l.id",
    }
    converted = {
        **created,
        "timestamp": s.ts("l.converted_date"),
        "activity": "'Lead converted'",
        "opportunity_id": "l.converted_opportunity",
    }
    meta = {"deleted": s.deleted("l"), "file": "l._file", "line": "l._line", "part": "3"}
    return f"""
SELECT {_event(created, fan="'created'", **meta)} FROM {s.view} l
UNION ALL
SELECT {_event(converted, fan="'converted'", **meta)} FROM {s.view} l
WHERE {s.flag("l.converted")} OR l.converted_date IS NOT NULL
"""


def events(ctx: Context) -> str:
    parts = [
        _activities(ctx, "tasks", "0"),
        _activities(ctx, "events", "1"),
        _stage_changes(ctx),
        _leads(ctx),
    ]
    return " UNION ALL ".join(f"SELECT * FROM ({part})" for part in parts)


def _owners_missing(table: str, import_id: int) -> str:
    return (
        f"SELECT count(*) FROM {table} WHERE import_id = {import_id} "
        "AND owner_rep_id IS NOT NULL AND owner_rep_id NOT IN (SELECT rep_id FROM reps)"
    )


def _unchanged_history(ctx: Context, _: int) -> str:
    s = ctx["opportunity_history"]
    return f"""
SELECT count(*) FROM (
    SELECT stage, lag(stage) OVER (PARTITION BY opportunity
                                   ORDER BY {s.ts_value("changed")}, _line) AS previous
    FROM {s.view}
) WHERE previous IS NOT DISTINCT FROM stage
"""


SALESFORCE = Preset(
    name="salesforce",
    title="Salesforce",
    nouns=Nouns(account="account", contact="contact", opportunity="opportunity"),
    sources=SOURCES,
    builders={
        Kind.reps: reps,
        Kind.accounts: accounts,
        Kind.contacts: contacts,
        Kind.opportunities: opportunities,
        Kind.events: events,
    },
    checks={
        Kind.accounts: (
            ("owner not among the users", lambda c, i: _owners_missing("accounts", i)),
        ),
        Kind.contacts: (
            ("no account", lambda c, i: f"SELECT count(*) FROM contacts WHERE import_id = {i} "
                                        "AND account_id IS NULL"),
        ),
        Kind.opportunities: (
            ("owner not among the users", lambda c, i: _owners_missing("opportunities", i)),
            ("no account", lambda c, i: f"SELECT count(*) FROM opportunities "
                                        f"WHERE import_id = {i} AND account_id IS NULL"),
            ("line items of opportunities not in the opportunities file",
             lambda c, i: orphans_sql(c["line_items"].view, "opportunity",
                                      c["opportunities"].view)),
        ),
        Kind.events: (
            ("history rows without a stage change", _unchanged_history),
        ),
    },
)  # fmt: skip
