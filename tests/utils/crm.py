"""The CRM pipeline sample (``../shared/realdata/crm_sales_opportunities``): where it is,
how its columns map to the canonical tables, and how tests import and read it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from jornada.ingest.batch import import_paths
from jornada.ingest.report import ImportReport
from jornada.workspace import Workspace

CRM = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "crm_sales_opportunities"
MAPPINGS = {
    "sales_teams.csv": """
        kind: reps
        columns: {rep_id: sales_agent, name: sales_agent, team: manager, region: regional_office}
        """,
    "accounts.csv": """
        kind: accounts
        columns:
          account_id: account
          name: account
          industry: sector
          employees: employees
          country: office_location
        """,
    "sales_pipeline.csv": """
        kind: opportunities
        columns:
          opportunity_id: opportunity_id
          account_id: account
          owner_rep_id: sales_agent
          stage: deal_stage
          created_at: engage_date
          closed_at: close_date
          amount: close_value
          product: product
        """,
}


def import_crm(ws: Workspace, tmp: Path) -> dict[str, ImportReport]:
    """Import the sample's reps, accounts and pipeline through the generic import."""
    reports = {}
    for name, text in MAPPINGS.items():
        mapping = tmp / f"{name}.yaml"
        mapping.write_text(textwrap.dedent(text), encoding="utf-8")
        (report,) = import_paths(ws, [CRM / name], mapping_file=mapping, rejected_dir=tmp)
        reports[name] = report
    return reports


def read_crm(name: str) -> pd.DataFrame:
    """One of the sample's CSVs as pandas reads it plainly (text, blanks as None)."""
    return pd.read_csv(CRM / name, dtype=str, keep_default_na=False).replace("", None)
