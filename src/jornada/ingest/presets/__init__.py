"""CRM presets: a folder of a vendor's tables in, the canonical tables out.

``import_preset(ws, "hubspot", folder)`` reads HubSpot's companies, contacts, owners,
deals (with their companies, contacts and pipeline stages), engagements, deal stage
history, e-mail events, tickets and form submissions; ``"salesforce"`` reads Account,
Contact, Lead, User, Opportunity (with history, contact roles and products), Task and
Event. Each builds the canonical rows in SQL and feeds them, one table at a time, through
the same validation, dedupe and accounting as any import; rows that cannot be placed (an
engagement without a time, a deal whose company is not there) are rejected with a reason.
See ``docs/presets.md``.
"""

from __future__ import annotations

from pathlib import Path

from jornada.ingest.presets.hubspot import HUBSPOT
from jornada.ingest.presets.run import Preset, run_preset
from jornada.ingest.presets.salesforce import SALESFORCE
from jornada.ingest.presets.sources import PresetError, find_files
from jornada.ingest.report import ImportReport
from jornada.model import JourneyMap
from jornada.workspace import Workspace

__all__ = ["PRESETS", "Preset", "PresetError", "guess_preset", "import_preset"]

PRESETS: dict[str, Preset] = {p.name: p for p in (HUBSPOT, SALESFORCE)}


def import_preset(
    ws: Workspace,
    name: str,
    directory: Path,
    *,
    journey: JourneyMap | None = None,
    pseudonymize: bool = False,
    rejected_dir: Path | None = None,
    include_deleted: bool = False,
) -> list[ImportReport]:
    """Import the ``name`` ("hubspot" or "salesforce") tables in ``directory``.

    One report per canonical table (reps, accounts, contacts, opportunities, events), each
    with rows read = loaded + rejected + duplicates. Records flagged deleted at the source
    are rejected unless ``include_deleted``. Importing the same folder again changes
    nothing.
    """
    preset = PRESETS.get(name.lower())
    if preset is None:
        raise PresetError(f"unknown preset '{name}'; use one of {', '.join(PRESETS)}")
    return run_preset(ws, preset, Path(directory), journey=journey, pseudonymize=pseudonymize,
                      rejected_dir=rejected_dir, include_deleted=include_deleted)  # fmt: skip


def guess_preset(directory: Path) -> str | None:
    """The preset whose tables a folder holds most of, or None when it holds none."""
    counts = {name: len(find_files(Path(directory), p.sources)) for name, p in PRESETS.items()}
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] else None
