"""What an import did to one file: the validation report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class ImportReport:
    """Rows read = rows loaded + rows rejected + duplicates skipped, always."""

    source: str
    kind: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    already_imported: bool = False
    rejected_file: Path | None = None
    reasons: list[tuple[str, int]] = field(default_factory=list)
    """Why rows were rejected, most frequent first."""
    unmapped_activities: list[tuple[str, int]] = field(default_factory=list)
    """Activities no touchpoint of the map matches, with their event counts."""
    mapping: dict[str, Any] = field(default_factory=dict)
    dialect: dict[str, Any] = field(default_factory=dict)
    import_id: int | None = None
    skipped: str | None = None
    """Why a file found in a folder was not imported (nothing of it was loaded)."""

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_rejected + self.rows_duplicate

    @property
    def unmapped_events(self) -> int:
        return sum(count for _, count in self.unmapped_activities)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rejected_file"] = str(self.rejected_file) if self.rejected_file else None
        data["reasons"] = [{"reason": r, "rows": n} for r, n in self.reasons]
        data["unmapped_activities"] = [
            {"activity": a, "events": n} for a, n in self.unmapped_activities
        ]
        return data
