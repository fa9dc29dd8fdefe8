"""HubSpot and Salesforce presets: folders of vendor tables into a consistent workspace.

Small folders written here (warehouse-sync names for HubSpot, object-export names for
Salesforce) pin every rule; the real warehouse seeds in ``../shared/realdata`` (skipped
when absent) are checked against plain pandas counts.
"""

from __future__ import annotations

import csv
import json
import shutil
import textwrap
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from jornada.ingest import InputError
from jornada.ingest.mapping import Kind
from jornada.ingest.presets import PRESETS, PresetError, guess_preset, import_preset
from jornada.ingest.presets.run import fingerprint
from jornada.ingest.report import ImportReport
from jornada.model import loads_map
from jornada.workspace import Workspace

DOCS = Path(__file__).resolve().parents[1] / "docs" / "presets.md"
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
HUBSPOT_SEEDS = REALDATA / "fivetran_hubspot_seeds"
SALESFORCE_SEEDS = REALDATA / "fivetran_salesforce_seeds"
needs_realdata = pytest.mark.skipif(
    not REALDATA.is_dir(),
    reason=f"real data folder {REALDATA} is absent (a fresh clone); nothing to compare",
)

HUBSPOT_FILES = {
    "company_data.csv": """
        id,is_deleted,_fivetran_synced,property_name,property_industry,property_country,property_createdate,property_numberofemployees
        101,false,2024-01-01 00:00:00,Acme,software,Spain,2023-01-10 10:00:00,120
        102,false,2024-01-01 00:00:00,Beta,retail,Brazil,2023-02-10 10:00:00,
        103,true,2024-01-01 00:00:00,Gone,retail,Mexico,2023-03-10 10:00:00,
        """,  # noqa: E501
    "contact_data.csv": """
        _fivetran_deleted,id,property_email,property_firstname,property_lastname,property_jobtitle,property_associatedcompanyid,property_createdate,property_hs_lifecyclestage_lead_date,property_hs_lifecyclestage_customer_date,property_hs_buying_role
        FALSE,1,ana@acme.test,Ana,Ruiz,CTO,101,2023-01-11 09:00:00,2023-01-11 09:00:00,2023-06-01 00:00:00,DECISION_MAKER
        FALSE,2,luis@beta.test,Luis,Souza,Buyer,,2023-02-11 09:00:00,2023-02-12 09:00:00,,
        FALSE,3,eva@gone.test,Eva,Lopez,CEO,103,2023-03-11 09:00:00,,,
        FALSE,4,max@free.test,Max,Diaz,,,2023-04-11 09:00:00,,,
        """,  # noqa: E501
    "contact_company_data.csv": """
        contact_id,company_id,type_id
        2,102,1
        """,
    "owner_data.csv": """
        owner_id,email,first_name,last_name
        9001,rita@us.test,Rita,Rep
        9002,rob@us.test,,
        """,
    "owner_team_data.csv": """
        owner_id,team_id,is_team_primary
        9001,77,true
        """,
    "team_data.csv": """
        id,name
        77,Iberia
        """,
    "deal_pipeline_stage_data.csv": """
        _fivetran_deleted,active,closed_won,is_closed,display_order,probability,stage_id,label,pipeline_id
        FALSE,TRUE,FALSE,FALSE,0,0.2,s_open,Qualified,p1
        FALSE,TRUE,TRUE,TRUE,1,1.0,s_won,Closed won,p1
        FALSE,TRUE,FALSE,TRUE,2,0.0,s_lost,Closed lost,p1
        """,  # noqa: E501
    "deal_data.csv": """
        deal_id,is_deleted,deal_pipeline_id,deal_pipeline_stage_id,owner_id,property_dealname,property_amount,property_closedate,property_createdate,property_dealtype
        501,false,p1,s_won,9001,Acme platform,12000.5,2023-06-01 00:00:00,2023-02-01 00:00:00,newbusiness
        502,false,p1,s_lost,9002,Beta pilot,3000,2023-07-01 00:00:00,2023-03-01 00:00:00,newbusiness
        503,false,p1,s_open,9001,Acme upsell,,2024-09-30 00:00:00,2023-08-01 00:00:00,existingbusiness
        504,false,p1,s_open,9001,Ghost company,,,2023-08-01 00:00:00,
        505,true,p1,s_open,9001,Deleted deal,,,2023-08-01 00:00:00,
        506,false,,,,No stage,,,2023-09-01 00:00:00,
        """,  # noqa: E501
    "deal_company_data.csv": """
        company_id,deal_id,type_id,category
        102,501,341,HUBSPOT_DEFINED
        101,501,5,HUBSPOT_DEFINED
        101,503,5,HUBSPOT_DEFINED
        999,504,5,HUBSPOT_DEFINED
        """,
    "deal_contact_data.csv": """
        contact_id,deal_id,type_id
        2,502,3
        """,
    "deal_stage_data.csv": """
        _fivetran_start,deal_id,_fivetran_active,date_entered,value
        2023-02-01 00:00:00,501,FALSE,2023-02-01 00:00:00,s_open
        2023-06-01 00:00:00,501,TRUE,2023-06-01 00:00:00,s_won
        2023-03-01 00:00:00,502,TRUE,2023-03-01 00:00:00,s_lost
        2023-03-01 00:00:00,777,TRUE,2023-03-01 00:00:00,s_open
        """,
    "engagement_data.csv": """
        id,type,portal_id
        1001,CALL,1
        1002,MEETING,1
        1003,NOTE,1
        1004,EMAIL,1
        """,
    "engagement_call_data.csv": """
        engagement_id,_fivetran_deleted,property_hs_timestamp,type
        1001,false,2023-02-05 10:00:00,CALL
        """,
    "engagement_meeting_data.csv": """
        engagement_id,start_time,end_time,title
        1002,2023-02-20 15:00:00,2023-02-20 16:00:00,Demo
        """,
    "engagement_note_data.csv": """
        engagement_id,_fivetran_deleted,property_hs_timestamp,type
        1003,false,,NOTE
        """,
    "engagement_email_data.csv": """
        engagement_id,_fivetran_deleted,property_hs_timestamp,type
        1004,true,2023-03-01 10:00:00,EMAIL
        """,
    "engagement_contact_data.csv": """
        contact_id,engagement_id,engagement_type
        1,1001,CALL
        1,1002,MEETING
        4,1002,MEETING
        1,1003,NOTE
        1,1004,EMAIL
        """,
    "engagement_company_data.csv": """
        company_id,engagement_id,engagement_type
        101,1002,MEETING
        """,
    "engagement_deal_data.csv": """
        deal_id,engagement_id,engagement_type
        501,1002,MEETING
        """,
    "email_event_data.csv": """
        id,created,type,recipient,email_campaign_id,filtered_event
        e1,2023-01-20 08:00:00,SENT,ana@acme.test,42,false
        e2,2023-01-20 09:00:00,OPEN,ANA@acme.test,42,false
        e3,2023-01-20 09:00:00,OPEN,stranger@else.test,42,false
        e4,2023-01-20 09:05:00,CLICK,ana@acme.test,42,true
        """,
    "ticket_data.csv": """
        id,is_deleted,property_createdate,property_closed_date,property_subject
        t1,FALSE,2023-07-01 10:00:00,2023-07-03 10:00:00,Login
        t2,FALSE,2023-07-05 10:00:00,,Billing
        """,
    "ticket_contact_data.csv": """
        ticket_id,contact_id
        t1,1
        """,
    "contact_form_submission_data.csv": """
        timestamp,form_id,contact_id,title,conversion_id
        2023-01-15 12:00:00,f1,1,Download guide,c1
        """,
    "email_campaign_data.csv": """
        id,name
        42,Nurture
        """,
}

SALESFORCE_FILES = {
    "Account.csv": """
        Id,Name,Industry,NumberOfEmployees,BillingCountry,OwnerId,CreatedDate,IsDeleted
        001A,Acme,Software,120,Spain,005A,2023-01-10T10:00:00.000+0000,false
        001B,Beta,Retail,,Brazil,005B,2023-02-10T10:00:00.000+0000,false
        """,
    "Contact.csv": """
        Id,AccountId,FirstName,LastName,Email,Title,Department,CreatedDate
        003A,001A,Ana,Ruiz,ana@acme.test,CTO,IT,2023-01-11T09:00:00.000+0000
        003B,001Z,Zoe,Lost,zoe@nowhere.test,CFO,Finance,2023-01-12T09:00:00.000+0000
        """,
    "Lead.csv": """
        Id,FirstName,LastName,Email,Company,CreatedDate,IsConverted,ConvertedDate,ConvertedContactId,ConvertedAccountId,ConvertedOpportunityId
        00QA,Ana,Ruiz,ana@acme.test,Acme,2022-12-01T09:00:00.000+0000,true,2023-01-11T09:00:00.000+0000,003A,001A,006A
        00QB,Pia,New,pia@new.test,Newco,2023-05-01T09:00:00.000+0000,false,,,,
        """,  # noqa: E501
    "OpportunityContactRole.csv": """
        Id,OpportunityId,ContactId,Role,IsPrimary
        00KA,006A,003A,Decision Maker,true
        """,
    "User.csv": """
        Id,Name,UserRoleId,Department,Country
        005A,Rita Rep,00EA,Sales,Spain
        005B,Rob Rep,,Inside sales,Brazil
        """,
    "UserRole.csv": """
        Id,Name
        00EA,Iberia AE
        """,
    "Opportunity.csv": """
        Id,AccountId,Name,StageName,Amount,CloseDate,CreatedDate,IsWon,IsClosed,OwnerId,Type
        006A,001A,Acme platform,Closed Won,12000.5,2023-06-01,2023-01-11T09:00:00.000+0000,true,true,005A,New Business
        006B,001B,Beta pilot,Closed Lost,3000,2023-07-01,2023-03-01T09:00:00.000+0000,false,true,005B,New Business
        006C,001A,Acme upsell,Negotiation,,2024-09-30,2023-08-01T09:00:00.000+0000,false,false,005A,Existing Business
        006D,001Z,Orphan,Prospecting,,2024-09-30,2023-08-01T09:00:00.000+0000,false,false,005A,
        """,  # noqa: E501
    "OpportunityLineItem.csv": """
        Id,OpportunityId,Product2Id,Name
        00kA,006A,01tA,Acme platform Core
        00kB,006A,01tB,Acme platform Support
        """,
    "Product2.csv": """
        Id,Name
        01tA,Core
        01tB,Support
        """,
    "OpportunityHistory.csv": """
        Id,OpportunityId,StageName,Amount,CreatedDate
        008A1,006A,Prospecting,10000,2023-01-11T09:00:00.000+0000
        008A2,006A,Prospecting,12000.5,2023-02-01T09:00:00.000+0000
        008A3,006A,Negotiation,12000.5,2023-04-01T09:00:00.000+0000
        008A4,006A,Closed Won,12000.5,2023-06-01T09:00:00.000+0000
        008B1,006B,Closed Lost,3000,2023-07-01T09:00:00.000+0000
        """,
    "Task.csv": """
        Id,WhoId,WhatId,AccountId,Subject,ActivityDate,CompletedDateTime,TaskSubtype,Type,IsDeleted
        00TA,003A,006A,001A,Intro call,2023-01-20,2023-01-20T10:00:00.000+0000,Call,Call,false
        00TB,00QB,,,Welcome email,2023-05-02,,Email,,false
        00TC,003A,001A,,Follow up,,,Task,,false
        00TD,003A,006A,001A,Deleted,2023-02-01,,Task,,true
        """,
    "Event.csv": """
        Id,WhoId,WhatId,AccountId,Subject,ActivityDateTime,ActivityDate,EventSubtype,Type
        00UA,003A,006A,001A,Demo,2023-02-15T15:00:00.000+0000,2023-02-15,Event,Meeting
        00UB,003B,,,Lunch,2023-02-16T12:00:00.000+0000,2023-02-16,Event,Meeting
        """,
}


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def by_kind(reports: list[ImportReport]) -> dict[str, ImportReport]:
    return {r.kind: r for r in reports}


def counts(report: ImportReport) -> tuple[int, int, int, int]:
    return report.rows_read, report.rows_loaded, report.rows_rejected, report.rows_duplicate


def dangling(ws: Workspace) -> dict[str, int]:
    """References that point nowhere, per kind; all zero in a consistent workspace."""
    queries = {
        "opportunity account": "SELECT count(*) FROM opportunities o WHERE account_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account_id = o.account_id)",
        "contact account": "SELECT count(*) FROM contacts c WHERE account_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account_id = c.account_id)",
        "event account": "SELECT count(*) FROM events e WHERE account_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account_id = e.account_id)",
        "event contact": "SELECT count(*) FROM events e WHERE contact_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.contact_id = e.contact_id)",
        "event opportunity": "SELECT count(*) FROM events e WHERE opportunity_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.opportunity_id = e.opportunity_id)",
        "event unlinked": "SELECT count(*) FROM events WHERE account_id IS NULL "
        "AND contact_id IS NULL AND opportunity_id IS NULL",
    }
    return {name: int(ws.scalar(sql)) for name, sql in queries.items()}


def rejected_rows(report: ImportReport) -> list[dict[str, str]]:
    """The rejected-rows file of a report, each row with its canonical values (typed
    rejections carry them as columns, the preset's own in the raw JSON)."""
    if report.rejected_file is None:
        return []
    with report.rejected_file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for row in rows:
        values = json.loads(row["raw"]) if row.get("raw") else dict(row)
        out.append({**values, "reason": row["reason"]})
    return out


@pytest.fixture
def ws() -> Iterator[Workspace]:
    workspace = Workspace.open(":memory:")
    yield workspace
    workspace.close()


Imported = tuple[Workspace, dict[str, ImportReport], Path]


def _imported(name: str, files: dict[str, str], tmp: Path) -> Iterator[Imported]:
    workspace = Workspace.open(":memory:")
    folder = write_folder(tmp / name, files)
    reports = by_kind(import_preset(workspace, name, folder, rejected_dir=tmp / "rej"))
    yield workspace, reports, tmp
    workspace.close()


@pytest.fixture(scope="module")
def hubspot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    """The HubSpot folder imported once, for the tests that only read the result."""
    yield from _imported("hubspot", HUBSPOT_FILES, tmp_path_factory.mktemp("hubspot"))


@pytest.fixture(scope="module")
def salesforce(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    yield from _imported("salesforce", SALESFORCE_FILES, tmp_path_factory.mktemp("sf"))


# --- HubSpot -----------------------------------------------------------------------------


def test_hubspot_folder_becomes_a_consistent_workspace(hubspot: Imported) -> None:
    ws, reports, _ = hubspot
    assert list(reports) == ["reps", "accounts", "contacts", "opportunities", "events"]
    assert counts(reports["reps"]) == (2, 2, 0, 0)
    assert counts(reports["accounts"]) == (3, 2, 1, 0)
    assert reports["accounts"].reasons == [("deleted in HubSpot", 1)]
    assert counts(reports["contacts"]) == (4, 3, 1, 0)
    assert reports["contacts"].reasons == [("company not in the workspace", 1)]
    assert counts(reports["opportunities"]) == (6, 4, 2, 0)
    assert reports["opportunities"].reasons == [
        ("company not in the workspace", 1),
        ("deleted in HubSpot", 1),
    ]
    assert counts(reports["events"]) == (20, 14, 6, 0)
    assert dict(reports["events"].reasons) == {
        "deal not in the workspace": 1,
        "deleted in HubSpot": 1,
        "filtered out of reporting by HubSpot": 1,
        "missing timestamp": 1,
        "not linked to a contact, company or deal": 1,
        "recipient is not a known contact": 1,
    }
    assert all(r.balanced for r in reports.values())
    assert dangling(ws) == dict.fromkeys(dangling(ws), 0)
    assert reports["opportunities"].dialect["checks"]["deal-company links to deals not in the "
                                                     "deals file"] == 0  # fmt: skip
    assert "email_campaign_data.csv" in reports["events"].dialect["files_not_used"]


def test_hubspot_rows_are_derived_as_documented(hubspot: Imported) -> None:
    con = hubspot[0].con
    assert con.execute("SELECT rep_id, name, team FROM reps ORDER BY 1").fetchall() == [
        ("9001", "Rita Rep", "Iberia"),
        ("9002", "rob@us.test", None),
    ]
    assert con.execute(
        "SELECT contact_id, account_id, role FROM contacts ORDER BY 1"
    ).fetchall() == [("1", "101", "DECISION_MAKER"), ("2", "102", None), ("4", None, None)]
    deals = con.execute(
        "SELECT opportunity_id, account_id, stage, outcome, type, amount, "
        "strftime(closed_at, '%Y-%m-%d') FROM opportunities ORDER BY 1"
    ).fetchall()
    assert deals == [
        ("501", "101", "Closed won", "won", "new_business", 12000.5, "2023-06-01"),
        ("502", "102", "Closed lost", "lost", "new_business", 3000.0, "2023-07-01"),
        ("503", "101", "Qualified", "open", "existing_business", None, None),
        ("506", None, None, None, None, None, None),
    ]
    events = con.execute(
        "SELECT strftime(timestamp, '%Y-%m-%d %H:%M'), account_id, contact_id, activity, "
        "channel, channel_kind, opportunity_id, event_id FROM events "
        "ORDER BY timestamp, contact_id, activity"
    ).fetchall()
    assert events == [
        ("2023-01-11 09:00", "101", "1", "Lifecycle stage: Lead", None, None, None, None),
        ("2023-01-15 12:00", "101", "1", "Form submission: Download guide", "web", "online",
         None, "c1"),
        ("2023-01-20 08:00", "101", "1", "Marketing email: sent", "email", "online", None, "e1"),
        ("2023-01-20 09:00", "101", "1", "Marketing email: open", "email", "online", None, "e2"),
        ("2023-02-01 00:00", "101", None, "Deal stage: Qualified", None, None, "501", None),
        ("2023-02-05 10:00", "101", "1", "Call", "phone", "personal", None, "1001"),
        ("2023-02-12 09:00", "102", "2", "Lifecycle stage: Lead", None, None, None, None),
        ("2023-02-20 15:00", "101", "1", "Meeting", "meeting", "personal", "501", "1002"),
        ("2023-02-20 15:00", "101", "4", "Meeting", "meeting", "personal", "501", "1002"),
        ("2023-03-01 00:00", "102", None, "Deal stage: Closed lost", None, None, "502", None),
        ("2023-06-01 00:00", "101", "1", "Lifecycle stage: Customer", None, None, None, None),
        ("2023-06-01 00:00", "101", None, "Deal stage: Closed won", None, None, "501", None),
        ("2023-07-01 10:00", "101", "1", "Ticket opened", "support", None, None, "t1"),
        ("2023-07-03 10:00", "101", "1", "Ticket closed", "support", None, None, "t1"),
    ]  # fmt: skip
    assert con.execute("SELECT DISTINCT source_system FROM events").fetchall() == [("hubspot",)]


def test_hubspot_rejected_rows_name_file_row_and_reason(hubspot: Imported) -> None:
    _, reports, tmp_path = hubspot
    report = reports["events"]
    assert report.rejected_file == tmp_path / "rej" / "hubspot.events.rejected.csv"
    rows = {(r["reason"], r["source_record"]) for r in rejected_rows(report)}
    assert rows == {
        ("missing timestamp", "engagement_note_data.csv row 1"),
        ("deleted in HubSpot", "engagement_email_data.csv row 1"),
        ("deal not in the workspace: 777", "deal_stage_data.csv row 4"),
        ("recipient is not a known contact", "email_event_data.csv row 3"),
        ("filtered out of reporting by HubSpot", "email_event_data.csv row 4"),
        ("not linked to a contact, company or deal", "ticket_data.csv row 2"),
    }


def test_hubspot_reimport_changes_nothing_and_new_rows_load(ws: Workspace, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "hubspot", HUBSPOT_FILES)
    first = import_preset(ws, "hubspot", folder, rejected_dir=tmp_path / "rej")
    before = ws.counts()
    again = import_preset(ws, "hubspot", folder, rejected_dir=tmp_path / "rej")
    assert all(r.already_imported for r in again)
    assert [(r.rows_read, r.rows_loaded, r.rows_rejected) for r in again] == [
        (r.rows_read, 0, r.rows_rejected) for r in first
    ]
    assert ws.counts() == before
    with (folder / "deal_data.csv").open("a", encoding="utf-8") as handle:
        handle.write("507,false,p1,s_open,9001,New deal,,,2023-10-01 00:00:00,\n")
    changed = by_kind(import_preset(ws, "hubspot", folder, rejected_dir=tmp_path / "rej"))
    assert counts(changed["opportunities"]) == (7, 1, 2, 4)
    assert counts(changed["events"]) == (20, 0, 6, 14)
    assert ws.count("opportunities") == before["opportunities"] + 1


def test_hubspot_pseudonymised_emails_still_link_email_events(
    ws: Workspace, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path / "hubspot", HUBSPOT_FILES)
    reports = by_kind(
        import_preset(ws, "hubspot", folder, pseudonymize=True, rejected_dir=tmp_path / "r")
    )
    emails = [row[0] for row in ws.con.execute("SELECT email FROM contacts").fetchall()]
    assert not any("@" in e for e in emails)
    assert ws.scalar("SELECT count(*) FROM events WHERE activity LIKE 'Marketing email%'") == 2
    assert counts(reports["events"]) == (20, 14, 6, 0)


def test_hubspot_events_resolve_touchpoints_from_the_map(ws: Workspace, tmp_path: Path) -> None:
    journey = loads_map(
        textwrap.dedent("""
        schema_version: 1
        id: crm
        name: CRM journey
        stages:
          - {id: discovery, name: Discovery, phase: pre_purchase}
          - {id: evaluation, name: Evaluation, phase: pre_purchase}
        touchpoints:
          - id: nurture
            name: Nurture e-mails
            stage: discovery
            channel: email
            channel_kind: online
            match: [{activity: "Marketing email*"}]
          - id: demo
            name: Demo
            stage: evaluation
            channel: meeting
            channel_kind: personal
            match: [{activity: Meeting, source_system: hubspot}]
        """)
    )
    folder = write_folder(tmp_path / "hubspot", HUBSPOT_FILES)
    reports = by_kind(import_preset(ws, "hubspot", folder, journey=journey, rejected_dir=tmp_path))
    rows = ws.con.execute(
        "SELECT touchpoint, stage, count(*) FROM events WHERE touchpoint IS NOT NULL "
        "GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert rows == [("demo", "evaluation", 2), ("nurture", "discovery", 2)]
    assert reports["events"].unmapped_events == 10
    assert [s for s, _ in ws.stages()] == ["discovery", "evaluation"]


def test_hubspot_ui_export_labels_and_stage_names(ws: Workspace, tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path / "ui",
        {
            "hubspot-crm-exports-all-companies-2024-05-01.csv": """
                Record ID,Company name,Industry,Country/Region,Create Date
                11,Acme,Software,Spain,2024-01-02 10:00
                """,
            "hubspot-crm-exports-all-deals-2024-05-01.csv": """
                Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Associated Company IDs
                21,Won deal,Closed Won,100,2024-03-01 00:00,2024-01-05 00:00,11
                22,Lost deal,Closed Lost,50,2024-03-02 00:00,2024-01-06 00:00,11;12
                23,Open deal,Appointment Scheduled,,2024-09-01 00:00,2024-01-07 00:00,
                """,
        },
    )
    reports = by_kind(import_preset(ws, "hubspot", folder, rejected_dir=tmp_path))
    assert counts(reports["accounts"]) == (1, 1, 0, 0)
    assert counts(reports["opportunities"]) == (3, 3, 0, 0)
    assert ws.con.execute(
        "SELECT opportunity_id, account_id, outcome FROM opportunities ORDER BY 1"
    ).fetchall() == [("21", "11", "won"), ("22", "11", "lost"), ("23", None, "open")]
    assert ws.scalar("SELECT name FROM accounts") == "Acme"


# --- Salesforce --------------------------------------------------------------------------


def test_salesforce_objects_become_a_consistent_workspace(salesforce: Imported) -> None:
    ws, reports, _ = salesforce
    assert counts(reports["reps"]) == (2, 2, 0, 0)
    assert counts(reports["accounts"]) == (2, 2, 0, 0)
    # contact 003B points at a missing account; the converted lead is contact 003A again
    assert counts(reports["contacts"]) == (4, 2, 1, 1)
    assert counts(reports["opportunities"]) == (4, 3, 1, 0)
    assert reports["opportunities"].reasons == [("account not in the workspace", 1)]
    assert dangling(ws) == dict.fromkeys(dangling(ws), 0)
    con = ws.con
    assert con.execute(
        "SELECT opportunity_id, outcome, type, product, strftime(closed_at, '%Y-%m-%d') "
        "FROM opportunities ORDER BY 1"
    ).fetchall() == [
        ("006A", "won", "new_business", "Core; Support", "2023-06-01"),
        ("006B", "lost", "new_business", None, "2023-07-01"),
        ("006C", "open", "existing_business", None, None),
    ]
    assert con.execute("SELECT rep_id, name, team FROM reps ORDER BY 1").fetchall() == [
        ("005A", "Rita Rep", "Iberia AE"),
        ("005B", "Rob Rep", "Inside sales"),
    ]
    assert con.execute(
        "SELECT contact_id, account_id, role FROM contacts ORDER BY 1"
    ).fetchall() == [
        ("003A", "001A", "Decision Maker"),
        ("00QB", None, None),
    ]


def test_salesforce_events_are_derived_as_documented(salesforce: Imported) -> None:
    ws, reports, _ = salesforce
    events = ws.con.execute(
        "SELECT strftime(timestamp, '%Y-%m-%d %H:%M'), account_id, contact_id, activity, "
        "channel, opportunity_id FROM events ORDER BY timestamp, activity"
    ).fetchall()
    assert events == [
        ("2022-12-01 09:00", "001A", "003A", "Lead created", None, None),
        ("2023-01-11 09:00", "001A", None, "Deal stage: Prospecting", None, "006A"),
        ("2023-01-11 09:00", "001A", "003A", "Lead converted", None, "006A"),
        ("2023-01-20 10:00", "001A", "003A", "Call", "phone", "006A"),
        ("2023-02-15 15:00", "001A", "003A", "Meeting", "meeting", "006A"),
        ("2023-04-01 09:00", "001A", None, "Deal stage: Negotiation", None, "006A"),
        ("2023-05-01 09:00", None, "00QB", "Lead created", None, None),
        ("2023-05-02 00:00", None, "00QB", "Email", "email", None),
        ("2023-06-01 09:00", "001A", None, "Deal stage: Closed Won", None, "006A"),
        ("2023-07-01 09:00", "001B", None, "Deal stage: Closed Lost", None, "006B"),
    ]
    assert dict(reports["events"].reasons) == {
        "contact not in the workspace": 1,
        "deleted in Salesforce": 1,
        "missing timestamp": 1,
    }
    # 4 tasks + 2 events + 4 stage changes (of 5 history rows) + 3 lead rows
    assert counts(reports["events"]) == (13, 10, 3, 0)
    assert reports["events"].dialect["checks"] == {"history rows without a stage change": 1}


def test_deleted_records_load_when_asked(ws: Workspace, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "sf", SALESFORCE_FILES)
    import_preset(ws, "salesforce", folder, rejected_dir=tmp_path)
    assert ws.scalar("SELECT count(*) FROM events WHERE event_id = '00TD'") == 0
    reports = by_kind(
        import_preset(ws, "salesforce", folder, include_deleted=True, rejected_dir=tmp_path)
    )
    assert not any(r.already_imported for r in reports.values())
    assert "deleted in Salesforce" not in dict(reports["events"].reasons)
    assert counts(reports["events"]) == (13, 1, 2, 10)
    assert ws.scalar("SELECT count(*) FROM events WHERE event_id = '00TD'") == 1


# --- Folder problems ---------------------------------------------------------------------


def test_unknown_preset_and_folders_without_tables_are_clear_errors(
    ws: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(PresetError, match="unknown preset 'pipedrive'; use one of hubspot, sales"):
        import_preset(ws, "pipedrive", tmp_path)
    with pytest.raises(PresetError, match="not a folder"):
        import_preset(ws, "hubspot", tmp_path / "missing")
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(PresetError, match="no HubSpot tables here"):
        import_preset(ws, "hubspot", tmp_path)
    assert ws.counts() == dict.fromkeys(ws.counts(), 0)


def test_two_files_for_one_table_and_a_missing_id_column(ws: Workspace, tmp_path: Path) -> None:
    both = write_folder(
        tmp_path / "both", {"deal_data.csv": "deal_id\n1\n", "deals.csv": "deal_id\n2\n"}
    )
    with pytest.raises(PresetError, match="both deal_data.csv and deals.csv look like the deals"):
        import_preset(ws, "hubspot", both)
    noid = write_folder(tmp_path / "noid", {"deal_data.csv": "dealname\nX\n"})
    message = r"deal_data.csv: no column for the id of the deals table \(looked for deal_id or"
    with pytest.raises(PresetError, match=message):
        import_preset(ws, "hubspot", noid)
    assert ws.scalar("SELECT count(*) FROM imports") == 0


def test_unreadable_file_leaves_the_workspace_as_it_was(ws: Workspace, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "hs", {"company_data.csv": HUBSPOT_FILES["company_data.csv"]})
    (folder / "deal_data.parquet").write_bytes(b"PAR1 not really parquet")
    with pytest.raises(InputError, match="deal_data.parquet: cannot be read as parquet"):
        import_preset(ws, "hubspot", folder)
    assert ws.counts() == dict.fromkeys(ws.counts(), 0)
    assert ws.scalar("SELECT count(*) FROM imports") == 0
    leftovers = ws.con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '\\_%' ESCAPE '\\' "
        "UNION ALL SELECT view_name FROM duckdb_views() WHERE view_name LIKE '\\_src%' "
        "ESCAPE '\\'"
    ).fetchall()
    assert leftovers == []


def test_unreadable_record_is_reported_under_its_table(ws: Workspace, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "hs", {k: HUBSPOT_FILES[k] for k in ("company_data.csv",)})
    with (folder / "company_data.csv").open("a", encoding="utf-8") as handle:
        handle.write('104,false,x,"Broken\n')
    report = by_kind(import_preset(ws, "hubspot", folder, rejected_dir=tmp_path))["accounts"]
    assert report.balanced
    assert ("record cannot be split into columns", 1) in report.reasons
    assert report.rows_loaded == 2


@pytest.mark.skipif(not DOCS.is_file(), reason="runs only from a source checkout")
def test_every_preset_table_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for preset in PRESETS.values():
        for source in preset.sources:
            name = source.files[0]
            if name.startswith("engagement_") and name.count("_") > 1:
                name = "engagement_<type>_data"
            assert f"`{name}`" in text, f"docs/presets.md does not name {source.files[0]}"


def test_guess_preset_and_fingerprint(tmp_path: Path) -> None:
    assert guess_preset(write_folder(tmp_path / "h", HUBSPOT_FILES)) == "hubspot"
    assert guess_preset(write_folder(tmp_path / "s", SALESFORCE_FILES)) == "salesforce"
    assert guess_preset(write_folder(tmp_path / "n", {"x.csv": "a\n1\n"})) is None
    assert fingerprint(["b", "a"], Kind.events) == fingerprint(["a", "b"], Kind.events)
    assert fingerprint(["a"], Kind.events) != fingerprint(["a"], Kind.accounts)


# --- The real warehouse seeds ------------------------------------------------------------


def _csv(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False).replace("", None)


def _true(series: pd.Series) -> pd.Series:
    return series.fillna("").str.lower().isin(["true", "t", "1", "yes"])


def _rejected_by_activity(report: ImportReport) -> Counter[str]:
    return Counter(row.get("activity") or "" for row in rejected_rows(report))


@needs_realdata
def test_hubspot_seeds_match_pandas(ws: Workspace, tmp_path: Path) -> None:
    reports = by_kind(import_preset(ws, "hubspot", HUBSPOT_SEEDS, rejected_dir=tmp_path))
    companies = _csv(HUBSPOT_SEEDS, "company_data.csv")
    contacts = _csv(HUBSPOT_SEEDS, "contact_data.csv")
    deals = _csv(HUBSPOT_SEEDS, "deal_data.csv")
    stages = _csv(HUBSPOT_SEEDS, "deal_pipeline_stage_data.csv")
    owners = _csv(HUBSPOT_SEEDS, "owner_data.csv")
    assert counts(reports["accounts"]) == (len(companies), (~_true(companies.is_deleted)).sum(),
                                           _true(companies.is_deleted).sum(), 0)  # fmt: skip
    assert counts(reports["contacts"])[:2] == (len(contacts), len(contacts))
    assert counts(reports["reps"])[:2] == (len(owners), owners.owner_id.nunique())
    assert counts(reports["opportunities"])[:2] == (len(deals), len(deals))
    won = deals.merge(stages, left_on="deal_pipeline_stage_id", right_on="stage_id")
    assert ws.scalar("SELECT count(*) FROM opportunities WHERE outcome = 'won'") == int(
        _true(won.closed_won).sum()
    )
    # Every engagement, stage row, e-mail event, ticket and form submission is accounted
    # for: loaded or rejected, per activity type, as pandas counts them in the files.
    expected: Counter[str] = Counter()
    for kind in ("call", "communication", "email", "meeting", "note", "task"):
        frame = _csv(HUBSPOT_SEEDS, f"engagement_{kind}_data.csv")
        expected[kind.capitalize()] += len(frame)
    engagement_ids = set().union(*(
        set(_csv(HUBSPOT_SEEDS, f"engagement_{k}_data.csv").engagement_id)
        for k in ("call", "communication", "email", "meeting", "note", "task")
    ))  # fmt: skip
    extra = _csv(HUBSPOT_SEEDS, "engagement_data.csv")
    for kind in extra[~extra.id.isin(engagement_ids)].type:
        expected[kind.capitalize()] += 1
    for kind in _csv(HUBSPOT_SEEDS, "email_event_data.csv").type:
        expected[f"Marketing email: {kind.lower()}"] += 1
    tickets = _csv(HUBSPOT_SEEDS, "ticket_data.csv")
    expected["Ticket opened"] += len(tickets)
    expected["Ticket closed"] += tickets.property_closed_date.notna().sum()
    forms = _csv(HUBSPOT_SEEDS, "contact_form_submission_data.csv")
    for title in forms.title:
        expected[f"Form submission: {title}"] += 1
    history = _csv(HUBSPOT_SEEDS, "deal_stage_data.csv")
    for stage in history.value:
        expected[f"Deal stage: {stage}"] += 1
    loaded = Counter(
        dict(ws.con.execute("SELECT activity, count(*) FROM events GROUP BY 1").fetchall())
    )
    assert loaded + _rejected_by_activity(reports["events"]) == expected
    # What pandas says cannot be placed is what the import rejected, for the same reason.
    emails = set(contacts.property_email.dropna().str.lower())
    event_emails = _csv(HUBSPOT_SEEDS, "email_event_data.csv").recipient.str.lower()
    reasons = dict(reports["events"].reasons)
    assert reasons["recipient is not a known contact"] == (~event_emails.isin(emails)).sum()
    assert reasons["deal not in the workspace"] == (~history.deal_id.isin(deals.deal_id)).sum()
    assert dangling(ws) == dict.fromkeys(dangling(ws), 0)
    assert all(r.balanced for r in reports.values())


@needs_realdata
def test_hubspot_seeds_with_links_repaired(ws: Workspace, tmp_path: Path) -> None:
    """The seeds' association tables point at ids no other seed holds; pointed at real rows,
    the same files give linked events, deals with companies and outcomes."""
    folder = tmp_path / "seeds"
    shutil.copytree(HUBSPOT_SEEDS, folder)
    contact = _csv(folder, "contact_data.csv").id.iloc[0]
    company = _csv(folder, "company_data.csv").id.iloc[0]
    deals = _csv(folder, "deal_data.csv")
    stages = _csv(folder, "deal_pipeline_stage_data.csv")
    won_stage = stages[_true(stages.closed_won)].iloc[0]
    deals.loc[0, ["deal_pipeline_id", "deal_pipeline_stage_id"]] = [
        won_stage.pipeline_id, won_stage.stage_id,
    ]  # fmt: skip
    deals.to_csv(folder / "deal_data.csv", index=False)
    links = _csv(folder, "deal_company_data.csv")
    links["deal_id"], links["company_id"] = deals.deal_id.iloc[:2].tolist(), company
    links.to_csv(folder / "deal_company_data.csv", index=False)
    for name, column, value in (
        ("engagement_contact_data.csv", "contact_id", contact),
        ("engagement_company_data.csv", "company_id", company),
        ("engagement_deal_data.csv", "deal_id", deals.deal_id.iloc[0]),
    ):
        frame = _csv(folder, name)
        frame[column] = value
        frame["engagement_id"] = "19732910159"
        frame.to_csv(folder / name, index=False)  # fmt: skip
    reports = by_kind(import_preset(ws, "hubspot", folder, rejected_dir=tmp_path))
    assert ws.con.execute(
        "SELECT account_id, outcome FROM opportunities WHERE opportunity_id = ?",
        [deals.deal_id.iloc[0]],
    ).fetchone() == (company, "won")
    assert ws.con.execute(
        "SELECT activity, account_id, contact_id, opportunity_id FROM events "
        "WHERE event_id = '19732910159'"
    ).fetchall() == [("Call", company, contact, deals.deal_id.iloc[0])]
    assert dangling(ws) == dict.fromkeys(dangling(ws), 0)
    assert all(r.balanced for r in reports.values())


@needs_realdata
def test_salesforce_seeds_match_pandas(ws: Workspace, tmp_path: Path) -> None:
    reports = by_kind(import_preset(ws, "salesforce", SALESFORCE_SEEDS, rejected_dir=tmp_path))
    accounts = _csv(SALESFORCE_SEEDS, "sf_account_data.csv")
    users = _csv(SALESFORCE_SEEDS, "sf_user_data.csv")
    opportunities = _csv(SALESFORCE_SEEDS, "sf_opportunity_data.csv")
    deleted = _true(accounts.is_deleted)
    assert counts(reports["accounts"]) == (len(accounts), (~deleted).sum(), deleted.sum(), 0)
    gone = _true(users._fivetran_deleted)
    assert counts(reports["reps"]) == (len(users), (~gone).sum(), gone.sum(), 0)
    assert counts(reports["opportunities"])[:3] == (
        len(opportunities),
        0,
        _true(opportunities.is_deleted).sum(),
    )
    tasks = _csv(SALESFORCE_SEEDS, "sf_task_data.csv")
    events = _csv(SALESFORCE_SEEDS, "sf_event_data.csv")
    history = _csv(SALESFORCE_SEEDS, "sf_opportunity_history_data.csv")
    leads = _csv(SALESFORCE_SEEDS, "sf_lead_data.csv")
    read = len(tasks) + len(events) + len(history) + len(leads) + _true(leads.is_converted).sum()
    assert counts(reports["events"])[0] == read
    assert dangling(ws) == dict.fromkeys(dangling(ws), 0)
    assert all(r.balanced for r in reports.values())


@needs_realdata
def test_salesforce_seeds_outcomes_with_deleted_kept(ws: Workspace, tmp_path: Path) -> None:
    """Every seed record is flagged deleted and the opportunities point at hashed account
    ids; kept and pointed at a real account, outcomes equal pandas' IsWon/IsClosed."""
    folder = tmp_path / "seeds"
    shutil.copytree(SALESFORCE_SEEDS, folder)
    accounts = _csv(folder, "sf_account_data.csv")
    opportunities = _csv(folder, "sf_opportunity_data.csv")
    opportunities["account_id"] = accounts.id.iloc[0]
    opportunities.to_csv(folder / "sf_opportunity_data.csv", index=False)
    reports = by_kind(
        import_preset(ws, "salesforce", folder, include_deleted=True, rejected_dir=tmp_path)
    )
    assert counts(reports["opportunities"]) == (len(opportunities), len(opportunities), 0, 0)
    won = _true(opportunities.is_won)
    closed = _true(opportunities.is_closed)
    outcomes = dict(
        ws.con.execute("SELECT outcome, count(*) FROM opportunities GROUP BY 1").fetchall()
    )
    assert outcomes == {
        k: v
        for k, v in {
            "won": int(won.sum()),
            "lost": int((closed & ~won).sum()),
            "open": int((~closed).sum()),
        }.items()
        if v
    }
    # the stage history (one version per opportunity) gives one stage event each
    assert ws.scalar("SELECT count(*) FROM events WHERE activity LIKE 'Deal stage:%'") == len(
        _csv(folder, "sf_opportunity_history_data.csv")
    )
    assert dangling(ws) == dict.fromkeys(dangling(ws), 0)
