"""HubSpot: CRM tables as a warehouse sync holds them (Fivetran names such as
``deal_data``, columns ``property_<name>``), as API objects (``deals.csv`` with
``dealname``…) or as UI exports (``Record ID``, ``Deal Name``…), into the canonical tables.

See ``docs/presets.md`` for every file and column read and how each canonical column is
derived.
"""

from __future__ import annotations

import re

from jornada.ingest.mapping import Kind, normalise
from jornada.ingest.presets.run import Context, Nouns, Preset
from jornada.ingest.presets.sources import Source, Staged
from jornada.ingest.presets.vocabulary import (
    EVENT_COLUMNS,
    channel_kind_sql,
    channel_sql,
    columns,
    deal_type_sql,
    label_sql,
    literal,
    orphans_sql,
    select_list,
)

SYSTEM = literal("hubspot")
ENGAGEMENT_TYPES = ("call", "email", "meeting", "note", "task", "communication",
                    "incoming_email", "forwarded_email", "postal_mail")  # fmt: skip
LIFECYCLE = {
    "subscriber": "Subscriber",
    "lead": "Lead",
    "marketingqualifiedlead": "Marketing qualified lead",
    "salesqualifiedlead": "Sales qualified lead",
    "opportunity": "Opportunity",
    "customer": "Customer",
    "evangelist": "Evangelist",
    "other": "Other",
}
LIFECYCLE_COLUMNS = (r"(?:property_)?hs_lifecyclestage_([a-z]+)_date", r"became_an?_(.+)_date")


def _link(name: str, feeds: Kind, files: tuple[str, ...], left: str, right: str) -> Source:
    """An association table: ``left`` id and ``right`` id (and the association type)."""
    return Source(
        name,
        feeds,
        files,
        {
            left: (f"{left}_id", "from_id", "from_object_id"),
            right: (f"{right}_id", "to_id", "to_object_id"),
            "type": ("type_id", "association_type_id"),
        },
        required=(left, right),
    )


_ENGAGEMENT_COLUMNS = {
    "id": ("engagement_id", "id", "hs_object_id"),
    "type": ("type", "engagement_type"),
    "happened": ("hs_timestamp", "timestamp", "start_time", "hs_meeting_start_time"),
}

SOURCES: tuple[Source, ...] = (
    Source(
        "companies", Kind.accounts, ("company_data", "company", "companies"),
        {
            "id": ("id", "company_id", "companyid", "hs_object_id", "record_id"),
            "name": ("name", "company_name"),
            "industry": ("industry",),
            "employees": ("numberofemployees", "number_of_employees"),
            "country": ("country", "country_region"),
            "region": ("state", "state_region"),
            "owner": ("hubspot_owner_id", "owner_id", "company_owner"),
            "created": ("createdate", "create_date", "created_at"),
        },
        required=("id",), patterns=(r"(^|_)all_companies(_|$)",),
    ),
    Source(
        "contacts", Kind.contacts, ("contact_data", "contact", "contacts"),
        {
            "id": ("id", "vid", "contact_id", "hs_object_id", "record_id", "canonical_vid"),
            "company": ("associatedcompanyid", "associated_company_id",
                        "primary_associated_company_id", "associated_company_ids"),
            "email": ("email",),
            "first_name": ("firstname", "first_name"),
            "last_name": ("lastname", "last_name"),
            "job_title": ("jobtitle", "job_title"),
            "role": ("hs_buying_role", "buying_role"),
            "persona": ("hs_persona", "persona"),
            "language": ("hs_language", "preferred_language"),
            "created": ("createdate", "create_date", "created_at"),
        },
        required=("id",), patterns=(r"(^|_)all_contacts(_|$)",),
    ),
    _link("contact_companies", Kind.contacts, ("contact_company_data", "contact_company"),
          "contact", "company"),
    Source(
        "owners", Kind.reps, ("owner_data", "owner", "owners"),
        {
            "id": ("owner_id", "id"),
            "first_name": ("first_name", "firstname"),
            "last_name": ("last_name", "lastname"),
            "email": ("email",),
        },
        required=("id",),
    ),
    Source(
        "owner_teams", Kind.reps, ("owner_team_data", "owner_team"),
        {"owner": ("owner_id",), "team": ("team_id",),
         "is_primary": ("is_team_primary", "primary")},
        required=("owner", "team"),
    ),
    Source("teams", Kind.reps, ("team_data", "team", "teams"),
           {"id": ("id", "team_id"), "name": ("name",)}, required=("id",)),
    Source(
        "deals", Kind.opportunities, ("deal_data", "deal", "deals"),
        {
            "id": ("deal_id", "hs_object_id", "record_id", "id"),
            "name": ("dealname", "deal_name"),
            "pipeline": ("deal_pipeline_id", "pipeline"),
            "stage": ("deal_pipeline_stage_id", "dealstage", "deal_stage"),
            "amount": ("amount",),
            "currency": ("deal_currency_code", "currency"),
            "created": ("createdate", "create_date"),
            "closed": ("closedate", "close_date"),
            "owner": ("owner_id", "hubspot_owner_id", "deal_owner"),
            "type": ("dealtype", "deal_type"),
            "company": ("associatedcompanyid", "associated_company_id",
                        "associated_company_ids", "associations_associatedcompanyids"),
        },
        required=("id",), patterns=(r"(^|_)all_deals(_|$)",),
    ),
    _link("deal_companies", Kind.opportunities, ("deal_company_data", "deal_company"),
          "deal", "company"),
    _link("deal_contacts", Kind.opportunities, ("deal_contact_data", "deal_contact"),
          "deal", "contact"),
    Source(
        "deal_stages", Kind.opportunities,
        ("deal_pipeline_stage_data", "deal_pipeline_stage", "deal_pipeline_stages"),
        {
            "id": ("stage_id", "id"),
            "pipeline": ("pipeline_id",),
            "label": ("label",),
            "won": ("closed_won", "is_closed_won"),
            "closed": ("is_closed", "closed"),
            "probability": ("probability",),
            "metadata": ("metadata",),
        },
        required=("id",),
    ),
    Source(
        "deal_stage_history", Kind.events, ("deal_stage_data", "deal_stage"),
        {"deal": ("deal_id",), "entered": ("date_entered", "timestamp"),
         "stage": ("value", "dealstage", "stage")},
        required=("deal", "stage"),
    ),
    Source(
        "deal_property_history", Kind.events,
        ("deal_property_history_data", "deal_property_history"),
        {"deal": ("deal_id",), "name": ("name", "property"), "value": ("value",),
         "happened": ("timestamp", "change_timestamp")},
        required=("deal", "name"),
    ),
    Source("engagements", Kind.events, ("engagement_data", "engagement", "engagements"),
           {"id": ("id", "engagement_id"), "type": ("type", "engagement_type"),
            "happened": ("timestamp", "hs_timestamp")}),
    *(
        Source(f"engagement_{t}", Kind.events, (f"engagement_{t}_data", f"engagement_{t}"),
               _ENGAGEMENT_COLUMNS)
        for t in ENGAGEMENT_TYPES
    ),
    _link("engagement_contacts", Kind.events, ("engagement_contact_data", "engagement_contact"),
          "engagement", "contact"),
    _link("engagement_companies", Kind.events,
          ("engagement_company_data", "engagement_company"), "engagement", "company"),
    _link("engagement_deals", Kind.events, ("engagement_deal_data", "engagement_deal"),
          "engagement", "deal"),
    Source(
        "email_events", Kind.events, ("email_event_data", "email_event", "email_events"),
        {"id": ("id",), "type": ("type", "event_type"), "happened": ("created", "timestamp"),
         "recipient": ("recipient",), "campaign": ("email_campaign_id", "campaign_id"),
         "filtered": ("filtered_event",)},
    ),
    Source(
        "tickets", Kind.events, ("ticket_data", "ticket", "tickets"),
        {"id": ("id", "ticket_id", "hs_object_id", "record_id"),
         "created": ("createdate", "create_date"), "closed": ("closed_date", "close_date")},
        patterns=(r"(^|_)all_tickets(_|$)",),
    ),
    _link("ticket_contacts", Kind.events, ("ticket_contact_data", "ticket_contact"),
          "ticket", "contact"),
    _link("ticket_companies", Kind.events, ("ticket_company_data", "ticket_company"),
          "ticket", "company"),
    _link("ticket_deals", Kind.events, ("ticket_deal_data", "ticket_deal"), "ticket", "deal"),
    Source(
        "form_submissions", Kind.events,
        ("contact_form_submission_data", "contact_form_submission", "form_submissions"),
        {"contact": ("contact_id", "vid"), "form": ("form_id",), "happened": ("timestamp",),
         "title": ("title",), "conversion": ("conversion_id",)},
    ),
    Source("forms", Kind.events, ("form_data", "form", "forms"),
           {"id": ("guid", "form_id", "id"), "name": ("name",)}),
)  # fmt: skip


def _first_id(column: str) -> str:
    """SQL: the first of ``;``-separated ids (UI exports list several)."""
    return f"nullif(trim(split_part({column}, ';', 1)), '')"


def _live(s: Staged) -> str:
    """SQL: the rows of an association table not flagged deleted (a deleted link links
    nothing)."""
    return f"(SELECT * FROM {s.view} l WHERE NOT {s.deleted('l')})"


def _first_link(view: str, key: str, value: str, primary_type: str) -> str:
    """SQL: one ``value`` per ``key`` from an association view, the primary one first."""
    return (
        f"SELECT {key}, {value} FROM {view} WHERE {key} IS NOT NULL AND {value} IS NOT NULL "
        f"QUALIFY row_number() OVER (PARTITION BY {key} "
        f"ORDER BY (type = '{primary_type}') DESC NULLS LAST, {value}) = 1"
    )


def _min_link(view: str, key: str, value: str) -> str:
    return (
        f"SELECT {key}, min({value}) AS {value} FROM {view} "
        f"WHERE {key} IS NOT NULL AND {value} IS NOT NULL GROUP BY {key}"
    )


def accounts(ctx: Context) -> str:
    s = ctx["companies"]
    values = {
        "account_id": "d.id",
        "name": "d.name",
        "industry": "d.industry",
        "employees": s.num("d.employees"),
        "region": "d.region",
        "country": "d.country",
        "owner_rep_id": "d.owner",
        "created_at": s.ts("d.created"),
    }
    meta = select_list(columns(Kind.accounts), values, deleted=s.deleted("d"),
                       file="d._file", line="d._line", version=s.version("d", "d.id"),
                       group="d.id")  # fmt: skip
    return f"SELECT {meta} FROM {s.view} d"


def reps(ctx: Context) -> str:
    s, links = ctx["owners"], ctx["owner_teams"]
    values = {
        "rep_id": "o.id",
        "name": "coalesce(nullif(concat_ws(' ', o.first_name, o.last_name), ''), o.email)",
        "team": "t.team",
    }
    select = select_list(columns(Kind.reps), values, deleted=s.deleted("o"), file="o._file",
                         line="o._line", version=s.version("o", "o.id"), group="o.id")  # fmt: skip
    return f"""
WITH t AS (
    SELECT l.owner, coalesce(n.name, l.team) AS team
    FROM {_live(links)} l
    LEFT JOIN (SELECT id, any_value(name) AS name FROM {ctx["teams"].view} GROUP BY id) n
        ON n.id = l.team
    QUALIFY row_number() OVER (PARTITION BY l.owner
        ORDER BY {links.flag("l.is_primary")} DESC NULLS LAST, l.team) = 1
)
SELECT {select}
FROM {s.view} o LEFT JOIN t ON t.owner = o.id
"""


def contacts(ctx: Context) -> str:
    s = ctx["contacts"]
    values = {
        "contact_id": "d.id",
        "account_id": f"coalesce({_first_id('d.company')}, cc.company)",
        "first_name": "d.first_name",
        "last_name": "d.last_name",
        "email": "d.email",
        "job_title": "d.job_title",
        "role": "d.role",
        "persona": "d.persona",
        "language": "d.language",
        "created_at": s.ts("d.created"),
    }
    select = select_list(columns(Kind.contacts), values, deleted=s.deleted("d"),
                         file="d._file", line="d._line", version=s.version("d", "d.id"),
                         group="d.id")  # fmt: skip
    links = _first_link(_live(ctx["contact_companies"]), "contact", "company", "1")
    return f"WITH cc AS ({links}) SELECT {select} FROM {s.view} d " + (
        "LEFT JOIN cc ON cc.contact = d.id"
    )


def _stage_flags(ctx: Context) -> str:
    """SQL: each pipeline stage with its label and won / closed / probability."""
    s = ctx["deal_stages"]
    closed = s.flag("s.closed")
    probability = "TRY_CAST(s.probability AS DOUBLE)"
    if s.has("metadata"):
        meta = "CASE WHEN json_valid(s.metadata) THEN json_extract_string(s.metadata, '$.{}') END"
        closed = f"coalesce({closed}, {s.flag(meta.format('isClosed'))})"
        probability = f"coalesce({probability}, TRY_CAST({meta.format('probability')} AS DOUBLE))"
    return f"""
SELECT s.id, s.pipeline, s.label, {s.flag("s.won")} AS won, {closed} AS closed,
       CASE WHEN {probability} > 1 THEN {probability} / 100 ELSE {probability} END AS probability
FROM {s.view} s WHERE s.id IS NOT NULL
"""


def opportunities(ctx: Context) -> str:
    s = ctx["deals"]
    outcome = (
        "CASE WHEN st.won THEN 'won' WHEN st.closed THEN 'lost' "
        "WHEN st.closed IS NOT NULL THEN 'open' WHEN st.probability = 1 THEN 'won' "
        "ELSE coalesce(st.label, d.stage) END"
    )
    values = {
        "opportunity_id": "d.id",
        "account_id": f"coalesce({_first_id('d.company')}, dc.company, dk.account)",
        "name": "d.name",
        "type": deal_type_sql("d.type"),
        "stage": "coalesce(st.label, d.stage)",
        "created_at": s.ts("d.created"),
        "closed_at": f"CASE WHEN ({outcome}) = 'open' THEN NULL ELSE {s.ts('d.closed')} END",
        "outcome": outcome,
        "amount": s.num("d.amount"),
        "currency": "d.currency",
        "owner_rep_id": "d.owner",
    }
    select = select_list(columns(Kind.opportunities), values, deleted=s.deleted("d"),
                         file="d._file", line="d._line", version=s.version("d", "d.id"),
                         group="d.id")  # fmt: skip
    return f"""
WITH dc AS ({_first_link(_live(ctx["deal_companies"]), "deal", "company", "5")}),
dk AS (
    SELECT l.deal, min(c.account_id) AS account
    FROM {_live(ctx["deal_contacts"])} l JOIN contacts c ON c.contact_id = l.contact
    WHERE c.account_id IS NOT NULL GROUP BY l.deal
),
stages AS ({_stage_flags(ctx)})
SELECT {select}
FROM {s.view} d
LEFT JOIN dc ON dc.deal = d.id
LEFT JOIN dk ON dk.deal = d.id
LEFT JOIN stages st ON st.id = d.stage
    AND (st.pipeline IS NULL OR d.pipeline IS NULL OR st.pipeline = d.pipeline)
QUALIFY row_number() OVER (PARTITION BY d._line
    ORDER BY (st.pipeline = d.pipeline) DESC NULLS LAST, st.label) = 1
"""


def _event(values: dict[str, str], **meta: str) -> str:
    return select_list(EVENT_COLUMNS, {"source_system": SYSTEM, **values}, **meta)


def _engagements(ctx: Context) -> str:
    typed = " UNION ALL ".join(
        f"SELECT e.id, coalesce(upper(e.type), '{t.upper()}') AS type, "
        f"{s.ts('e.happened')} AS happened, {s.deleted('e')} AS _deleted, e._file, e._line "
        f"FROM {s.view} e"
        for t in ENGAGEMENT_TYPES
        for s in (ctx[f"engagement_{t}"],)
    )
    b = ctx["engagements"]
    activity = label_sql("e.type")
    channel = channel_sql("e.type")
    values = {
        "timestamp": "e.happened",
        "account_id": "coalesce(ec.company, c.account_id, o.account_id)",
        "contact_id": "l.contact",
        "activity": activity,
        "channel": channel,
        "channel_kind": channel_kind_sql(channel),
        "opportunity_id": "ed.deal",
        "event_id": "e.id",
    }
    select = _event(values, deleted="e._deleted", file="e._file", line="e._line", part="0",
                    fan="l.contact")  # fmt: skip
    return f"""
WITH typed AS ({typed}),
base AS (
    SELECT b.id, upper(b.type) AS type, {b.ts("b.happened")} AS happened,
           {b.deleted("b")} AS _deleted, b._file, b._line
    FROM {b.view} b
),
eng AS (
    SELECT coalesce(t.id, b.id) AS id, coalesce(t.type, b.type) AS type,
           coalesce(t.happened, b.happened) AS happened,
           coalesce(t._deleted, false) OR coalesce(b._deleted, false) AS _deleted,
           coalesce(t._file, b._file) AS _file, coalesce(t._line, b._line) AS _line
    FROM typed t FULL OUTER JOIN base b ON t.id = b.id
)
SELECT {select}
FROM eng e
LEFT JOIN (SELECT DISTINCT engagement, contact FROM {_live(ctx["engagement_contacts"])}
           WHERE engagement IS NOT NULL AND contact IS NOT NULL) l ON l.engagement = e.id
LEFT JOIN ({_min_link(_live(ctx["engagement_companies"]), "engagement", "company")}) ec
    ON ec.engagement = e.id
LEFT JOIN ({_min_link(_live(ctx["engagement_deals"]), "engagement", "deal")}) ed
    ON ed.engagement = e.id
LEFT JOIN contacts c ON c.contact_id = l.contact
LEFT JOIN opportunities o ON o.opportunity_id = ed.deal
"""


def _stage_changes(ctx: Context) -> str:
    h, p = ctx["deal_stage_history"], ctx["deal_property_history"]
    values = {
        "timestamp": "x.happened",
        "account_id": "o.account_id",
        "activity": "'Deal stage: ' || coalesce(n.label, x.stage)",
        "opportunity_id": "x.deal",
    }
    return f"""
WITH x AS (
    SELECT h.deal, {h.ts("h.entered")} AS happened, h.stage, {h.deleted("h")} AS _deleted,
           h._file, h._line
    FROM {h.view} h
    UNION ALL
    SELECT p.deal, {p.ts("p.happened")}, p.value, {p.deleted("p")}, p._file, p._line
    FROM {p.view} p
    WHERE lower(p.name) = 'dealstage' AND NOT EXISTS (SELECT 1 FROM {h.view})
)
SELECT {_event(values, deleted="x._deleted", file="x._file", line="x._line", part="1")}
FROM x
LEFT JOIN (SELECT id, any_value(label) AS label FROM {ctx["deal_stages"].view}
           WHERE id IS NOT NULL GROUP BY id) n ON n.id = x.stage
LEFT JOIN opportunities o ON o.opportunity_id = x.deal
"""


def _email_events(ctx: Context) -> str:
    s = ctx["email_events"]
    why = (
        "CASE WHEN x.recipient IS NULL THEN 'no recipient' "
        "WHEN m.contact IS NULL THEN 'recipient is not a known contact' "
        f"WHEN {s.flag('x.filtered')} THEN 'filtered out of reporting by HubSpot' END"
    )
    values = {
        "timestamp": s.ts("x.happened"),
        "account_id": "c.account_id",
        "contact_id": "m.contact",
        "activity": "'Marketing email: ' || lower(x.type)",
        "channel": "'email'",
        "channel_kind": "'online'",
        "content_id": "x.campaign",
        "event_id": "x.id",
    }
    return f"""
SELECT {_event(values, why=why, deleted=s.deleted("x"), file="x._file", line="x._line", part="2")}
FROM {s.view} x
LEFT JOIN (SELECT lower(email) AS email, min(id) AS contact FROM {ctx["contacts"].view}
           WHERE email IS NOT NULL AND id IS NOT NULL GROUP BY lower(email)) m
    ON m.email = lower(x.recipient)
LEFT JOIN contacts c ON c.contact_id = m.contact
"""


def _tickets(ctx: Context) -> str:
    s = ctx["tickets"]
    values = {
        "timestamp": "x.happened",
        "account_id": "coalesce(tc.company, c.account_id, o.account_id)",
        "contact_id": "l.contact",
        "activity": "x.activity",
        "channel": "'support'",
        "opportunity_id": "td.deal",
        "event_id": "x.id",
    }
    select = _event(values, deleted="x._deleted", file="x._file", line="x._line", part="3",
                    fan="coalesce(l.contact, '') || ':' || x.step")  # fmt: skip
    return f"""
WITH t AS (
    SELECT id, {s.ts("t.created")} AS opened, {s.ts("t.closed")} AS closed,
           {s.deleted("t")} AS _deleted, _file, _line
    FROM {s.view} t
),
x AS (
    SELECT id, 1 AS step, 'Ticket opened' AS activity, opened AS happened, _deleted, _file,
           _line FROM t
    UNION ALL
    SELECT id, 2, 'Ticket closed', closed, _deleted, _file, _line FROM t WHERE closed IS NOT NULL
)
SELECT {select}
FROM x
LEFT JOIN (SELECT DISTINCT ticket, contact FROM {_live(ctx["ticket_contacts"])}
           WHERE ticket IS NOT NULL AND contact IS NOT NULL) l ON l.ticket = x.id
LEFT JOIN ({_min_link(_live(ctx["ticket_companies"]), "ticket", "company")}) tc
    ON tc.ticket = x.id
LEFT JOIN ({_min_link(_live(ctx["ticket_deals"]), "ticket", "deal")}) td ON td.ticket = x.id
LEFT JOIN contacts c ON c.contact_id = l.contact
LEFT JOIN opportunities o ON o.opportunity_id = td.deal
"""


def _form_submissions(ctx: Context) -> str:
    s = ctx["form_submissions"]
    values = {
        "timestamp": s.ts("f.happened"),
        "account_id": "c.account_id",
        "contact_id": "f.contact",
        "activity": "'Form submission: ' || coalesce(f.title, n.name, f.form, 'form')",
        "channel": "'web'",
        "channel_kind": "'online'",
        "content_id": "f.form",
        "event_id": "f.conversion",
    }
    return f"""
SELECT {_event(values, deleted=s.deleted("f"), file="f._file", line="f._line", part="4")}
FROM {s.view} f
LEFT JOIN (SELECT id, any_value(name) AS name FROM {ctx["forms"].view} GROUP BY id) n
    ON n.id = f.form
LEFT JOIN contacts c ON c.contact_id = f.contact
"""


def lifecycle_columns(columns: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(column, label)`` of each lifecycle-stage date column of a contacts file."""
    out = []
    for column in columns:
        for pattern in LIFECYCLE_COLUMNS:
            match = re.fullmatch(pattern, normalise(column))
            if match:
                stage = match.group(1).replace("_", "")
                out.append((column, LIFECYCLE.get(stage, match.group(1).replace("_", " "))))
                break
    return out


def _lifecycle(ctx: Context) -> list[str]:
    s = ctx["contacts"]
    parts = []
    for column, label in lifecycle_columns(s.columns):
        quoted = '"' + column.replace('"', '""') + '"'
        raw = f"nullif(trim(CAST(r.{quoted} AS VARCHAR)), '')"
        values = {
            "timestamp": s.ts(raw),
            "account_id": "c.account_id",
            "contact_id": "d.id",
            "activity": literal(f"Lifecycle stage: {label}"),
        }
        select = _event(values, deleted=s.deleted("d"), file="d._file", line="d._line",
                        part="5", fan=literal(label))  # fmt: skip
        parts.append(f"""
SELECT {select}
FROM {s.view} d JOIN "{s.source.landed}" r ON r._row = d._line
LEFT JOIN contacts c ON c.contact_id = d.id
WHERE {raw} IS NOT NULL
""")
    return parts


def events(ctx: Context) -> str:
    parts = [
        _engagements(ctx),
        _stage_changes(ctx),
        _email_events(ctx),
        _tickets(ctx),
        _form_submissions(ctx),
        *_lifecycle(ctx),
    ]
    return " UNION ALL ".join(f"SELECT * FROM ({part})" for part in parts)


def _owners_missing(table: str) -> str:
    return (
        f"SELECT count(*) FROM {table} WHERE import_id = {{}} AND owner_rep_id IS NOT NULL "
        "AND owner_rep_id NOT IN (SELECT rep_id FROM reps)"
    )


def _tickets_closed_before_opened(ctx: Context, _: int) -> str:
    s = ctx["tickets"]
    return (
        f"SELECT count(*) FROM {s.view} t "
        f"WHERE {s.ts_value('t.closed')} < {s.ts_value('t.created')}"
    )


def _engagement_orphans(ctx: Context, _: int) -> str:
    ids = " UNION ".join(
        f"SELECT id FROM {ctx[n].view}"
        for n in ("engagements", *(f"engagement_{t}" for t in ENGAGEMENT_TYPES))
    )
    links = " UNION ALL ".join(
        f"SELECT engagement FROM {ctx[n].view}"
        for n in ("engagement_contacts", "engagement_companies", "engagement_deals")
    )
    return orphans_sql(f"({links})", "engagement", f"({ids})")


HUBSPOT = Preset(
    name="hubspot",
    title="HubSpot",
    nouns=Nouns(account="company", contact="contact", opportunity="deal"),
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
            ("owner not among the owners", lambda c, i: _owners_missing("accounts").format(i)),
        ),
        Kind.contacts: (
            ("no company", lambda c, i: f"SELECT count(*) FROM contacts WHERE import_id = {i} "
                                        "AND account_id IS NULL"),
            ("contact-company links to contacts not in the contacts file",
             lambda c, i: orphans_sql(c["contact_companies"].view, "contact",
                                      c["contacts"].view)),
        ),
        Kind.opportunities: (
            ("owner not among the owners",
             lambda c, i: _owners_missing("opportunities").format(i)),
            ("no company", lambda c, i: f"SELECT count(*) FROM opportunities "
                                        f"WHERE import_id = {i} AND account_id IS NULL"),
            ("no outcome (no pipeline stage)",
             lambda c, i: f"SELECT count(*) FROM opportunities WHERE import_id = {i} "
                          "AND outcome IS NULL"),
            ("deal-company links to deals not in the deals file",
             lambda c, i: orphans_sql(c["deal_companies"].view, "deal", c["deals"].view)),
            ("deal-contact links to deals not in the deals file",
             lambda c, i: orphans_sql(c["deal_contacts"].view, "deal", c["deals"].view)),
        ),
        Kind.events: (
            ("engagement links to engagements not in the files", _engagement_orphans),
            ("tickets closed before they were opened", _tickets_closed_before_opened),
            ("ticket links to tickets not in the tickets file",
             lambda c, i: orphans_sql(
                 "(" + " UNION ALL ".join(f"SELECT ticket FROM {c[n].view}" for n in
                                          ("ticket_contacts", "ticket_companies", "ticket_deals"))
                 + ")", "ticket", c["tickets"].view)),
        ),
    },
)  # fmt: skip
