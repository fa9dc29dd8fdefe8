"""Importing several files or folders at once, in an order that keeps references whole."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from jornada.errors import JornadaError
from jornada.ingest.mapping import Kind, MappingError, guess_kind
from jornada.ingest.pipeline import import_file
from jornada.ingest.report import ImportReport
from jornada.model import JourneyMap, dump_map
from jornada.workspace import Workspace

SUFFIXES = (".csv", ".tsv", ".txt", ".csv.gz", ".xlsx", ".parquet", ".jsonl", ".ndjson",
            ".xes", ".xes.gz")  # fmt: skip
# Accounts before the contacts and deals that point at them; events after what they use.
ORDER = (Kind.reps, Kind.accounts, Kind.contacts, Kind.opportunities, Kind.content,
         Kind.events, Kind.feedback, Kind.paths)  # fmt: skip


class NothingToImport(JornadaError):
    pass


def expand(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """Files named (``True``), plus the supported files inside folders named (``False``)."""
    out: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.name.lower().endswith(SUFFIXES))
            if not found:
                raise NothingToImport(f"{path}: no CSV, XLSX, Parquet, JSON Lines or XES file here")
            out.extend((p, False) for p in found)
        elif not path.exists():
            raise NothingToImport(f"{path}: file not found")
        else:
            out.append((path, True))
    return out


def use_map(ws: Workspace, journey: JourneyMap) -> None:
    """Keep the map in the workspace and take its stage order."""
    ws.set_setting("map", dump_map(journey))
    ws.set_stages((stage.id, stage.phase.value) for stage in journey.stages)


def import_paths(
    ws: Workspace,
    paths: Iterable[Path],
    *,
    journey: JourneyMap | None = None,
    kind: Kind | None = None,
    mapping_file: Path | None = None,
    pseudonymize: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    rejected_dir: Path | None = None,
    on_file: Callable[[ImportReport], None] | None = None,
) -> list[ImportReport]:
    """Import every file, reference tables first; one report per file."""
    files = expand(paths)
    if journey is not None:
        use_map(ws, journey)

    def rank(path: Path) -> int:
        if kind is not None or mapping_file is not None:
            return 0
        try:
            return ORDER.index(guess_kind(path, ()))
        except JornadaError:
            return ORDER.index(Kind.events)

    reports = []
    for path, named in sorted(files, key=lambda item: rank(item[0])):
        try:
            report = import_file(
                ws, path, kind=kind, mapping_file=mapping_file, journey=journey,
                pseudonymize=pseudonymize, encoding=encoding, delimiter=delimiter, sheet=sheet,
                rejected_dir=rejected_dir,
            )  # fmt: skip
        except MappingError as exc:
            if named or kind is not None or mapping_file is not None:
                raise
            # A file that merely sits in the folder (a README, a product list): say so.
            report = ImportReport(str(path), "unknown", skipped=str(exc))
        reports.append(report)
        if on_file is not None:
            on_file(report)
    return reports
