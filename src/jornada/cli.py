"""The ``jornada`` command line: parse, call the library once, format.

Every command turns a :class:`~jornada.errors.JornadaError` (or an OS error on a file) into a
one-line message on stderr and a non-zero exit code; no traceback reaches the user.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup

from jornada.errors import JornadaError
from jornada.i18n import t


class _Group(TyperGroup):
    """Runs a command and turns the errors a user can cause into a message and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except JornadaError as exc:
            _fail(str(exc), exc.exit_code)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}", 2)


def _fail(message: str, code: int) -> None:
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"[bold red]error:[/] {message}", markup=True
    )
    raise typer.Exit(code)


app = typer.Typer(
    cls=_Group,
    help="jornada: design the B2B customer journey, ground it in your data, improve it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_out = Console(highlight=False, soft_wrap=True)


class LangName(StrEnum):
    en = "en"
    es = "es"
    pt = "pt"


class TemplateName(StrEnum):
    gartner = "gartner"
    lifecycle = "lifecycle"
    five_stage = "five-stage"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


Lang = Annotated[
    LangName,
    typer.Option(
        "--lang",
        envvar="JORNADA_LANG",
        help="Language of messages and generated text.",
    ),
]


def _progress(total: int, label: str) -> tuple[Progress, Callable[[int], None]]:
    """A Rich progress bar that stays quiet when stdout is not a terminal."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not sys.stderr.isatty(),
        transient=True,
    )
    task = bar.add_task(label, total=total)

    def advance(done: int) -> None:
        bar.update(task, completed=done)

    return bar, advance


@app.command()
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of journey-map files.

    Example: jornada schema --out journey-map.schema.json
    """
    from jornada.model import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        _write_text(out, text)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Map file to create (.yaml, .yml or .json).")],
    template: Annotated[
        TemplateName, typer.Option("--template", "-t", help="Stage set to start from.")
    ] = TemplateName.lifecycle,
    lang: Lang = LangName.en,
    company: Annotated[str | None, typer.Option(help="Company name to put in the map.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a complete, editable starter map.

    Example: jornada init --template gartner --lang es mapa.yaml
    """
    from jornada.model import save_map
    from jornada.model.templates import build_template

    if path.exists() and not force:
        raise JornadaError(t("cli.init.exists", lang, path=path))
    journey = build_template(template, lang, company=company)
    save_map(journey, path)
    _say(
        t(
            "cli.init.done",
            lang,
            path=path,
            template=template,
            stages=len(journey.stages),
            touchpoints=len(journey.touchpoints),
        )
    )


@app.command()
def lint(
    path: Annotated[Path, typer.Argument(help="Map file (.yaml, .yml or .json).")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.text,
    lang: Lang = LangName.en,
    today: Annotated[
        str | None,
        typer.Option(help="Check review dates as of this day (YYYY-MM-DD); default today."),
    ] = None,
    disable: Annotated[
        list[str] | None,
        typer.Option("--disable", "-d", help="Rule code or slug to skip; repeatable."),
    ] = None,
) -> None:
    """Check a map for the mistakes that make journey maps useless.

    Exit code: 0 clean or only notes, 1 warnings, 2 errors (or a map that cannot be read).

    Example: jornada lint map.yaml --format json --lang pt
    """
    from jornada.model import load_map
    from jornada.model.io import locate
    from jornada.model.lint import exit_code
    from jornada.model.lint import lint as run_lint

    day = _parse_day(today, "--today")
    journey = load_map(path)
    diagnostics = run_lint(journey, today=day, lang=lang, disabled=disable or ())
    text = path.read_text(encoding="utf-8-sig")
    if output_format == "json":
        rows = []
        for diagnostic in diagnostics:
            line, column = locate(text, diagnostic.loc)
            rows.append({**diagnostic.model_dump(mode="json"), "line": line, "column": column})
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    else:
        _print_diagnostics(path, text, diagnostics, lang)
    raise typer.Exit(exit_code(diagnostics))


def _print_diagnostics(path: Path, text: str, diagnostics: list[Any], lang: str) -> None:
    from jornada.errors import format_loc
    from jornada.model.io import locate

    colours = {"error": "red", "warning": "yellow", "info": "cyan"}
    for d in diagnostics:
        line, column = locate(text, d.loc)
        where = ":".join(str(p) for p in (path, line, column) if p is not None)
        loc = format_loc(d.loc)
        severity = str(d.severity)
        _out.print(
            f"{_esc(where)}: [{colours.get(severity, 'white')}]"
            f"{t('cli.severity.' + severity, lang)}[/] {d.code} {d.rule}"
            f"{' ' + _esc(loc) if loc else ''}: {_esc(d.message)}"
        )
        _out.print(f"    [dim]{t('cli.lint.hint', lang)}: {_esc(d.hint)}[/]")
    counts = {s: sum(1 for d in diagnostics if str(d.severity) == s) for s in colours}
    _say(t("cli.lint.summary", lang, path=path, **counts))


@app.command("demo-data")
def demo_data(
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write the world into.")],
    events: Annotated[int, typer.Option(help="Exact number of events to generate.")] = 200_000,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same world.")] = 7,
    null: Annotated[
        bool, typer.Option("--null", help="Plant no effects (to measure false positives).")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing directory.")] = False,
    lang: Lang = LangName.en,
) -> None:
    """Generate a realistic B2B demo world with planted truths (Parquet + truth.json).

    Example: jornada demo-data --events 1000000 --seed 42 --out world/
    """
    summary = _generate(out, events, seed, null, force, lang)
    _say(
        t(
            "cli.demo_data.done",
            lang,
            events=summary.events,
            path=out,
            seconds=f"{summary.elapsed_seconds:.1f}",
        )
    )


@app.command()
def demo(
    directory: Annotated[
        Path, typer.Option("--dir", help="Where to build the demo workspace.")
    ] = Path("jornada-demo"),
    events: Annotated[int, typer.Option(help="Number of events in the demo world.")] = 200_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    serve_app: Annotated[
        bool | None,
        typer.Option(
            "--serve/--no-serve",
            help="Start the web app on the demo workspace at the end (default: when run "
            "from a terminal).",
        ),
    ] = None,
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8000,
    lang: Lang = LangName.en,
) -> None:
    """Build the demo workspace: a demo world, its designed map and lint report, the world
    imported into a workspace, and the analysis of how its buyers really move.

    Example: jornada demo --lang es
    """
    from jornada.demo.demomap import build_demo_map
    from jornada.engine import AnalysisOptions
    from jornada.engine.output import write_analysis
    from jornada.ingest.batch import import_paths
    from jornada.insights.run import analyse
    from jornada.model import save_map
    from jornada.model.lint import lint as run_lint
    from jornada.workspace import Workspace

    data_dir = directory / "data"
    summary = _generate(data_dir, events, seed, False, True, lang)
    journey = build_demo_map(lang)
    map_path = save_map(journey, directory / "map.yaml")
    diagnostics = run_lint(journey, lang=lang)
    lint_path = directory / "lint.json"
    _write_text(
        lint_path,
        json.dumps([d.model_dump(mode="json") for d in diagnostics], indent=2, ensure_ascii=False)
        + "\n",
    )
    workspace_path = directory / "workspace.duckdb"
    workspace_path.unlink(missing_ok=True)
    analysis_dir = directory / "analysis"
    with Workspace.open(workspace_path) as ws:
        imported = import_paths(
            ws, [data_dir], journey=journey, rejected_dir=directory / "rejected"
        )
        analysis = analyse(ws.con, AnalysisOptions(lang=lang.value), journey)
    write_analysis(analysis, analysis_dir)
    report_path = directory / "report.html"
    _write_report(
        analysis, journey, lang.value, report_path, imports=[r.to_dict() for r in imported]
    )
    _say(t("cli.demo.title", lang))
    for key, value in (
        ("data", data_dir),
        ("truth", data_dir / "truth.json"),
        ("map", map_path),
        ("lint", lint_path),
        ("workspace", workspace_path),
        ("analysis", analysis_dir),
        ("report", report_path),
    ):
        _say(f"  {t('cli.demo.' + key, lang):<28} {value}")
    _say(
        t(
            "cli.demo.counts",
            lang,
            events=summary.events,
            accounts=summary.accounts,
            diagnostics=len(diagnostics),
        )
    )
    _print_summary(analysis.summary, lang)
    _print_findings(analysis.findings, lang)
    # The app's database belongs to this demo: a rebuilt demo starts it afresh (new admin).
    for suffix in ("", "-wal", "-shm"):
        (directory / f"jornada.db{suffix}").unlink(missing_ok=True)
    if serve_app is None:
        serve_app = sys.stdin.isatty() and sys.stdout.isatty()
    if not serve_app:
        _say(t("cli.demo.serve_hint", lang, path=directory))
        return
    serve(directory=directory, db=None, host="127.0.0.1", port=port, secure_cookies=False,
          lang=lang)  # fmt: skip


class KindName(StrEnum):
    events = "events"
    accounts = "accounts"
    contacts = "contacts"
    opportunities = "opportunities"
    feedback = "feedback"
    content = "content"
    reps = "reps"
    paths = "paths"


class PresetName(StrEnum):
    hubspot = "hubspot"
    salesforce = "salesforce"


class CaseName(StrEnum):
    account = "account"
    contact = "contact"
    opportunity = "opportunity"


class OutcomeName(StrEnum):
    won = "won"
    lost = "lost"
    open = "open"


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


# The data and filter options ``analyze`` and ``report`` share.
StagesOption = Annotated[
    str | None,
    typer.Option(help="Stage order when there is no map: s1,s2,… (values of a stage column)."),
]
ConversionOption = Annotated[
    str | None,
    typer.Option(help="Activity that marks a win when the data has no opportunity outcomes."),
]
CaseOption = Annotated[CaseName, typer.Option("--case", help="What one journey is.")]
OutcomeOption = Annotated[OutcomeName | None, typer.Option(help="Only journeys with this outcome.")]
SegmentOption = Annotated[str | None, typer.Option(help="Only accounts of this segment.")]
RoleOption = Annotated[
    str | None, typer.Option(help="Only journeys in which this buying-group role took part.")
]
SinceOption = Annotated[str | None, typer.Option(help="Only events from this day (YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option(help="Only events before this day (YYYY-MM-DD).")]

MapOption = Annotated[
    Path | None,
    typer.Option("--map", "-m", help="Journey map whose rules turn activities into touchpoints."),
]
Encoding = Annotated[
    str | None, typer.Option(help="Text encoding of CSV files (sniffed when not given).")
]
Delimiter = Annotated[str | None, typer.Option(help="CSV delimiter (sniffed when not given).")]
Sheet = Annotated[str | None, typer.Option(help="XLSX sheet to read (default: the first).")]
Mapping = Annotated[
    Path | None, typer.Option("--mapping", help="Mapping file: which column is which.")
]
Kind = Annotated[
    KindName | None, typer.Option("--kind", help="Table the files feed (guessed from names).")
]
Preset = Annotated[
    PresetName | None,
    typer.Option("--preset", help="Read folders of CRM tables: hubspot or salesforce."),
]
IncludeDeleted = Annotated[
    bool, typer.Option("--include-deleted", help="With --preset: keep records flagged deleted.")
]


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Export files or folders of them.")],
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Workspace file (created if missing).")
    ] = Path("jornada.duckdb"),
    journey_map: MapOption = None,
    kind: Kind = None,
    mapping: Mapping = None,
    pseudonymize: Annotated[
        bool, typer.Option("--pseudonymize", help="Hash names and e-mails with a workspace secret.")
    ] = False,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    sheet: Sheet = None,
    preset: Preset = None,
    include_deleted: IncludeDeleted = False,
    lang: Lang = LangName.en,
) -> None:
    """Import CRM, marketing, support and survey exports into a workspace.

    Every file gets a validation report: rows read, loaded, rejected (with a rejected-rows
    file naming row and reason) and duplicates skipped. Importing a file twice changes
    nothing.

    Example: jornada import exports/ --map map.yaml --workspace acme.duckdb
    """
    from jornada.ingest.batch import import_paths
    from jornada.ingest.mapping import Kind as TableKind
    from jornada.model import load_map
    from jornada.workspace import Workspace

    journey = load_map(journey_map) if journey_map else None
    _check_preset(preset, kind, mapping)
    with Workspace.open(workspace) as ws:
        if preset is not None:
            _import_presets(ws, preset, paths, journey=journey, pseudonymize=pseudonymize,
                            include_deleted=include_deleted, lang=lang)  # fmt: skip
        else:
            import_paths(
                ws, paths, journey=journey, kind=TableKind(kind.value) if kind else None,
                mapping_file=mapping, pseudonymize=pseudonymize, encoding=encoding,
                delimiter=delimiter, sheet=sheet, on_file=lambda r: _print_report(r, lang),
            )  # fmt: skip
    _say(t("cli.import.done", lang, path=workspace))


def _check_preset(preset: PresetName | None, kind: KindName | None, mapping: Path | None) -> None:
    if preset is not None and (kind is not None or mapping is not None):
        raise JornadaError("--preset reads a folder of CRM tables: leave out --kind and --mapping")


def _import_presets(
    ws: Any,
    preset: PresetName,
    paths: list[Path],
    *,
    journey: Any,
    pseudonymize: bool,
    include_deleted: bool,
    lang: str,
    rejected_dir: Path | None = None,
) -> list[Any]:
    """Each folder through the preset; one report per canonical table, printed."""
    from jornada.ingest.presets import import_preset

    reports = []
    for folder in paths:
        for report in import_preset(
            ws, preset.value, folder, journey=journey, pseudonymize=pseudonymize,
            rejected_dir=rejected_dir, include_deleted=include_deleted,
        ):  # fmt: skip
            _print_report(report, lang)
            reports.append(report)
    return reports


def _print_report(report: Any, lang: str) -> None:
    if report.skipped:
        _say(t("cli.import.skipped", lang, source=report.source, reason=report.skipped))
        return
    key = "cli.import.same_file" if report.already_imported else "cli.import.file"
    _say(t(key, lang, source=report.source, kind=report.kind, read=report.rows_read,
           loaded=report.rows_loaded, rejected=report.rows_rejected,
           duplicate=report.rows_duplicate))  # fmt: skip
    for reason, count in report.reasons[:5]:
        _say(f"    {count:>8}  {reason}")
    if report.rejected_file:
        _say(t("cli.import.rejected_file", lang, path=report.rejected_file))
    if report.unmapped_activities:
        _say(t("cli.import.unmapped", lang, activities=len(report.unmapped_activities),
               events=report.unmapped_events))  # fmt: skip
        for activity, count in report.unmapped_activities[:10]:
            _say(f"    {count:>8}  {activity}")


@app.command()
def analyze(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Export files or folders to analyse directly (no workspace kept)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the results.")] = Path(
        "jornada-analysis"
    ),
    workspace: Annotated[
        Path | None, typer.Option("--workspace", "-w", help="Analyse this workspace.")
    ] = None,
    journey_map: MapOption = None,
    stages: StagesOption = None,
    conversion: ConversionOption = None,
    case: CaseOption = CaseName.account,
    outcome: OutcomeOption = None,
    segment: SegmentOption = None,
    role: RoleOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    kind: Kind = None,
    mapping: Mapping = None,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    sheet: Sheet = None,
    preset: Preset = None,
    include_deleted: IncludeDeleted = False,
    engine: Annotated[
        EngineName,
        typer.Option(
            help="Where the analysis SQL runs: DuckDB, or Spark (local mode, needs "
            "'jornada[spark]' and Java)."
        ),
    ] = EngineName.duckdb,
    lang: Lang = LangName.en,
) -> None:
    """Discover how buyers really move: flows, backtracking, variants, time and funnel.

    Writes every table as CSV and Parquet into --out, with summary.json and findings.json.
    Runs on a workspace (--workspace) or straight on export files.

    Example: jornada analyze events.csv --stages lead,mql,sql,won --conversion "Deal won" --out out/
    """
    from jornada.engine.output import write_analysis
    from jornada.files import write_json

    analysis, _journey, reports = _run_analysis(
        paths, out, workspace, journey_map, stages, conversion, case, outcome, segment, role,
        since, until, kind, mapping, encoding, delimiter, sheet, preset, include_deleted, engine,
        lang,
    )  # fmt: skip
    write_analysis(analysis, out)
    if reports:
        write_json([r.to_dict() for r in reports], out / "imports.json")
    summary = analysis.summary
    _say(t("cli.analyze.done", lang, path=out, events=summary["events"], cases=summary["cases"]))
    _print_summary(analysis.summary, lang)
    _print_findings(analysis.findings, lang)


@app.command()
def report(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Export files or folders to report on directly (no workspace kept)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="The report's HTML file.")] = Path(
        "jornada-report.html"
    ),
    exports: Annotated[
        Path | None,
        typer.Option(
            help="Also write every drawing (SVG, PNG), Mermaid, the workshop "
            "worksheets (CSV, XLSX) and a JSON of all numbers into this folder."
        ),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also print the report to PDF (needs Chromium).")
    ] = False,
    workspace: Annotated[
        Path | None, typer.Option("--workspace", "-w", help="Report on this workspace.")
    ] = None,
    journey_map: MapOption = None,
    stages: StagesOption = None,
    conversion: ConversionOption = None,
    case: CaseOption = CaseName.account,
    outcome: OutcomeOption = None,
    segment: SegmentOption = None,
    role: RoleOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    kind: Kind = None,
    mapping: Mapping = None,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    sheet: Sheet = None,
    preset: Preset = None,
    include_deleted: IncludeDeleted = False,
    lang: Lang = LangName.en,
) -> None:
    """Write the executive report: one self-contained HTML file (opens offline, prints to
    A4/Letter) with the summary for management, the subway map, the journey canvas, charts,
    empathy maps, a page per business unit, the map check and the data quality.

    Takes the same data and filters as 'jornada analyze'.

    Example: jornada report --workspace ws.duckdb --map map.yaml --lang es --out informe.html
    """
    analysis, journey, reports = _run_analysis(
        paths, out.parent / (out.stem + "-rejected"), workspace, journey_map, stages, conversion,
        case, outcome, segment, role, since, until, kind, mapping, encoding, delimiter, sheet,
        preset, include_deleted, EngineName.duckdb, lang,
    )  # fmt: skip
    filters = {
        k: v for k, v in (("outcome", outcome.value if outcome else None), ("segment", segment),
                          ("role", role), ("since", since), ("until", until))
        if v is not None
    }  # fmt: skip
    written = _write_report(
        analysis, journey, lang.value, out, exports=exports, pdf=pdf,
        imports=[r.to_dict() for r in reports], filters=filters,
    )  # fmt: skip
    for path in written:
        _say(t("cli.report.wrote", lang, path=path))


def _write_report(
    analysis: Any,
    journey: Any,
    lang: str,
    out: Path,
    *,
    exports: Path | None = None,
    pdf: bool = False,
    imports: list[dict[str, Any]] | None = None,
    filters: dict[str, str] | None = None,
) -> list[Path]:
    """Draw and write the report (and its exports); the paths written."""
    from jornada.model.lint import lint as run_lint
    from jornada.render.data import from_analysis
    from jornada.render.exports import write_exports
    from jornada.render.report import drawings, print_pdf, render_report

    diagnostics = (
        [d.model_dump(mode="json") for d in run_lint(journey, lang=lang)] if journey else []
    )
    data = from_analysis(analysis, journey, lang, imports=imports, lint=diagnostics,
                         filters=filters)  # fmt: skip
    art = drawings(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(render_report(data, art=art), encoding="utf-8")
    tmp.replace(out)
    written = [out]
    if exports is not None:
        write_exports(data, exports, art)
        written.append(exports)
    if pdf:
        written.append(print_pdf(out, out.with_suffix(".pdf")))
    return written


def _run_analysis(
    paths: list[Path] | None,
    out: Path,
    workspace: Path | None,
    journey_map: Path | None,
    stages: str | None,
    conversion: str | None,
    case: CaseName,
    outcome: OutcomeName | None,
    segment: str | None,
    role: str | None,
    since: str | None,
    until: str | None,
    kind: KindName | None,
    mapping: Path | None,
    encoding: str | None,
    delimiter: str | None,
    sheet: str | None,
    preset: PresetName | None,
    include_deleted: bool,
    engine: EngineName,
    lang: LangName,
) -> tuple[Any, Any, list[Any]]:
    """Import (when given files) and analyse, as ``analyze`` and ``report`` both do: the
    analysis, the map it used (or None) and the import reports."""
    from jornada.engine import AnalysisOptions, CaseKey, Filters, Outcome
    from jornada.ingest.batch import import_paths, use_map
    from jornada.ingest.mapping import Kind as TableKind
    from jornada.insights.run import analyse
    from jornada.model import load_map, loads_map
    from jornada.workspace import Workspace

    if not paths and workspace is None:
        raise JornadaError(t("cli.analyze.nothing", lang))
    if journey_map is not None and stages is not None:
        raise JornadaError(t("cli.analyze.map_or_stages", lang))
    journey = load_map(journey_map) if journey_map else None
    _check_preset(preset, kind, mapping)
    filters = Filters(
        outcome=Outcome(outcome.value) if outcome else None,
        segment=segment,
        role=role,
        since=_parse_instant(since, "--since"),
        until=_parse_instant(until, "--until"),
    )
    options = AnalysisOptions(
        case=CaseKey(case.value), conversion=conversion, filters=filters, lang=lang.value
    )
    reports = []
    with Workspace.open(workspace or ":memory:") as ws:
        if paths and preset is not None:
            reports = _import_presets(
                ws, preset, paths, journey=journey, pseudonymize=False,
                include_deleted=include_deleted, lang=lang, rejected_dir=out / "rejected",
            )  # fmt: skip
        elif paths:
            reports = import_paths(
                ws, paths, journey=journey, kind=TableKind(kind.value) if kind else None,
                mapping_file=mapping, encoding=encoding, delimiter=delimiter, sheet=sheet,
                rejected_dir=out / "rejected", on_file=lambda r: _print_report(r, lang),
            )  # fmt: skip
        elif journey is not None:
            use_map(ws, journey)
        elif stages is None and (stored := ws.setting("map")):
            journey = loads_map(stored, source="workspace map")
            use_map(ws, journey)
        if stages is not None:
            ws.set_stages((s.strip(), "unknown") for s in stages.split(",") if s.strip())
        if ws.count("events") == 0 and ws.count("paths") == 0:
            raise JornadaError(t("cli.analyze.no_events", lang))
        # Discovery runs on the chosen engine; the insight analyses run on DuckDB.
        found = _discover_on_spark(ws, options) if engine is EngineName.spark else None
        analysis = analyse(ws.con, options, journey, discovery=found)
    return analysis, journey, reports


def _discover_on_spark(ws: Any, options: Any) -> Any:
    """The same discovery on Spark: the workspace's tables go to Parquet, Spark reads them."""
    import os
    import tempfile

    from jornada.engine.spark import discover_spark, export_for_spark, local_session

    # Fails early and clearly without PySpark or Java.
    session = local_session(cores=os.cpu_count() or 2)
    with tempfile.TemporaryDirectory(prefix="jornada-spark-") as folder:
        tables = export_for_spark(ws.con, Path(folder))
        return discover_spark(tables, options, stages=ws.stages(), spark=session)


def _print_findings(findings: list[dict[str, Any]], lang: str, top: int = 5) -> None:
    """The first findings of the ranked list, one line each."""
    if not findings:
        return
    _say(t("cli.findings.title", lang, shown=min(top, len(findings)), total=len(findings)))
    for f in findings[:top]:
        kind = t(f"cli.kind.{f['kind']}", lang)
        kind = f["kind"] if kind == f"cli.kind.{f['kind']}" else kind
        _say(f"  {f.get('rank', '')}. [{kind}] {f['subject']} ({f['score']:.2f})")


def _print_summary(summary: dict[str, Any], lang: str) -> None:
    for key in ("backtracking_rate", "cases_backtracking_share", "median_journey_days",
                "win_rate", "online_share"):  # fmt: skip
        value = summary.get(key)
        if value is None:
            shown = "-"
        elif "rate" in key or "share" in key:
            shown = f"{value:.1%}"
        else:
            shown = f"{value:.1f}"
        _say(f"  {t('cli.summary.' + key, lang):<42} {shown}")


def _parse_instant(value: str | None, option: str) -> dt.datetime | None:
    day = _parse_day(value, option)
    return None if day is None else dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _generate(out: Path, events: int, seed: int, null: bool, force: bool, lang: str) -> Any:
    from jornada.demo import WorldConfig, generate_world

    if out.exists() and not out.is_dir():
        raise JornadaError(t("cli.demo_data.not_dir", lang, path=out))
    if out.is_dir() and any(out.iterdir()) and not force:
        raise JornadaError(t("cli.demo_data.exists", lang, path=out))
    config = WorldConfig.null() if null else None
    bar, advance = _progress(events, t("cli.demo_data.progress", lang))
    with bar:
        return generate_world(out, events=events, seed=seed, config=config, progress=advance)


def _parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise JornadaError(f"{option}: '{value}' is not a date, use YYYY-MM-DD") from None


def _write_text(path: Path, text: str) -> None:
    """Replace ``path`` whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _say(text: str) -> None:
    """Print plain text (no Rich markup: paths and names may hold brackets)."""
    _out.print(text, markup=False)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@app.command()
def serve(
    directory: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            help="Folder for the app's files (default: jornada-demo when it holds a demo "
            "workspace, else the current folder).",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(help="The store: a SQLite file (default DIR/jornada.db) or postgresql://..."),
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help="Mark cookies Secure (behind https).")
    ] = False,
    lang: Lang = LangName.en,
) -> None:
    """Start the web app: maps, data, dashboards and the action plan in the browser.

    On a fresh database it creates the first admin and prints the sign-in (once); serving
    a demo folder registers its workspace, map and analysis.

    Example: jornada serve --dir jornada-demo --port 8000
    """
    import uvicorn

    from jornada.model import Lang as MapLang
    from jornada.web import Settings, create_app
    from jornada.web.bootstrap import ensure_admin, is_demo_dir, register_demo

    if directory is None:
        directory = Path("jornada-demo") if is_demo_dir(Path("jornada-demo")) else Path(".")
    settings = Settings(
        database=db or str(directory / "jornada.db"), data_dir=directory,
        secure_cookies=secure_cookies, default_language=MapLang(lang.value),
    )  # fmt: skip
    web = create_app(settings)
    store = web.state.ctx.store
    admin = ensure_admin(store, MapLang(lang.value))
    first_admin = next(u for u in store.users() if u.role.value == "admin" and u.active)
    demo = register_demo(store, settings, directory, first_admin)
    url = f"http://{host}:{port}/"
    _say(t("web.serve.url", lang, url=url))
    if admin is not None:
        _say(t("web.serve.admin", lang, email=admin.email, password=admin.password))
    if demo is not None:
        _say(t("web.serve.demo", lang, name=demo.name, path=directory))
    uvicorn.run(web, host=host, port=port, log_level="warning")


def main() -> None:
    """Console-script entry point."""
    app()
