"""The executive report: one self-contained HTML file in Spanish, Portuguese or English.

It opens without a network (styles inline, drawings as inline SVG, no scripts) and prints
to A4 or Letter: a one-page summary for general management (headline numbers, the top
findings with their evidence and actions, KPIs against targets), then the subway map, the
journey canvas, the charts, empathy maps, a page per business unit, the map's lint results
and what the import kept and rejected.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from jornada.i18n import t
from jornada.model.elements import Lang
from jornada.render import fmt
from jornada.render.data import ReportData
from jornada.render.kpis import kpi_statuses

TOP_FINDINGS = 15
SUMMARY_FINDINGS = 5  # the management page shows these; the rest follow on their own page
EVIDENCE_SHOWN = 4

# Evidence numbers the report shows (in this order of preference) and how to write them.
EVIDENCE: dict[str, str] = {
    "share_of_journeys": "share",
    "journeys": "count",
    "exit_rate": "share",
    "exit_ratio": "ratio",
    "win_rate_with": "share",
    "win_rate_without": "share",
    "lift": "points",
    "removal_effect": "share",
    "reach": "share",
    "drop_off_rate": "share",
    "journeys_reaching": "count",
    "ending_here": "count",
    "median_wait_days": "days",
    "stage_median_wait_days": "days",
    "negative_share": "share",
    "relationships": "count",
    "dunbar": "count",
    "win_rate": "share",
    "other_reps_win_rate": "share",
    "accounts": "count",
    "assets": "count",
    "touches": "count",
    "expected_touches": "decimal",
    "observed": "decimal",
    "target": "decimal",
    "gap": "decimal",
    "mean_score": "decimal",
    "responses": "count",
    "share_of_events": "share",
    "events": "count",
    "times": "count",
    "median_days_between": "days",
    "journeys_with": "count",
    "journeys_without": "count",
    "exits": "count",
    "lost": "count",
    "rows": "count",
    "share_of_rows": "share",
    "top_share": "share",
    "gini": "decimal",
    "without_owner": "count",
    "without_owner_share": "share",
    "difference": "points",
    "closed_deals": "count",
}


@dataclass
class Drawings:
    """Every drawing of one report, as SVG text."""

    subway: str
    subway_stages: str
    canvas: str
    empathy: dict[str, str] = field(default_factory=dict)
    charts: dict[str, str] = field(default_factory=dict)


def drawings(data: ReportData) -> Drawings:
    """Draw everything the report and the exports show."""
    from jornada.render.canvas import canvas_svg
    from jornada.render.charts import charts
    from jornada.render.empathy import empathy_maps
    from jornada.render.subway import subway_svg

    return Drawings(
        subway=subway_svg(data, level="touchpoint"),
        subway_stages=subway_svg(data, level="stage"),
        canvas=canvas_svg(data),
        empathy=empathy_maps(data),
        charts=charts(data),
    )


def _tr(lang: str) -> Callable[..., str]:
    def tr(key: str, **params: Any) -> str:
        return t(f"report.{key}", lang, **params)

    return tr


def _kind(kind: str, lang: str) -> str:
    label = t(f"cli.kind.{kind}", lang)
    return kind.replace("_", " ") if label == f"cli.kind.{kind}" else label


def _evidence(evidence: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """The first few evidence numbers the report knows how to name, labelled and formatted."""
    shown = []
    for key, style in EVIDENCE.items():
        value = evidence.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        shown.append((t(f"report.evidence.{key}", lang), _format(value, style, lang)))
        if len(shown) == EVIDENCE_SHOWN:
            break
    return shown


def _format(value: float, style: str, lang: str) -> str:
    if style == "share":
        return fmt.share(value, lang)
    if style == "points":
        return fmt.points(value, lang)
    if style == "days":
        return fmt.days(value, lang)
    if style == "ratio":
        return fmt.number(value, lang, 1) + "×"
    if style == "decimal":
        return fmt.number(value, lang, 2)
    return fmt.number(value, lang)


def _findings(data: ReportData, findings: list[dict[str, Any]] | None = None,
              top: int = TOP_FINDINGS) -> list[dict[str, Any]]:  # fmt: skip
    """The first ``top`` findings (all of them by default) ready to show."""
    lang = data.lang
    out = []
    chosen = data.findings if findings is None else findings
    for index, f in enumerate(chosen[:top], start=1):
        out.append(
            {
                "rank": f.get("rank", index),
                "kind": _kind(str(f.get("kind", "")), lang),
                "subject": str(f.get("subject", "")),
                "score": float(f.get("score", 0.0)),
                "score_text": fmt.number(float(f.get("score", 0.0)), lang, 2),
                "stage": data.name(f["stage"]) if f.get("stage") else None,
                "evidence": _evidence(f.get("evidence") or {}, lang),
                "action": str(f.get("action", "")),
            }
        )
    return out


def _headline(data: ReportData) -> list[tuple[str, str]]:
    s, lang = data.summary, data.lang
    rows = [
        ("events", fmt.number(s.get("events"), lang)),
        ("journeys", fmt.number(s.get("cases"), lang)),
        ("win_rate", fmt.share(s.get("win_rate"), lang)),
        ("median_journey_days", fmt.days(s.get("median_journey_days"), lang)),
        ("backtracking_rate", fmt.share(s.get("backtracking_rate"), lang)),
        ("cases_backtracking_share", fmt.share(s.get("cases_backtracking_share"), lang)),
        ("online_share", fmt.share(s.get("online_share"), lang)),
    ]
    return [(t(f"report.headline.{key}", lang), value) for key, value in rows]


def _kpis(data: ReportData) -> list[dict[str, Any]]:
    lang = data.lang
    rows = []
    for status in kpi_statuses(data):
        kpi = status.kpi
        unit = kpi.unit or ""
        rows.append(
            {
                "name": kpi.label(Lang(lang)),
                "scope": data.name(kpi.stage or kpi.touchpoint)
                if (kpi.stage or kpi.touchpoint)
                else "",
                "owner": data.name(kpi.owner_bu) if kpi.owner_bu else "",
                "target": f"{fmt.number(kpi.target, lang, 1)} {unit}".strip(),
                "actual": (
                    f"{fmt.number(status.actual, lang, 1)} {unit}".strip()
                    if status.actual is not None
                    else t("report.kpi.no_measure", lang)
                ),
                "source": t(f"report.kpi.source_{status.source}", lang),
                "direction": t(f"report.kpi.{kpi.direction.value}", lang),
                "met": status.met,
            }
        )
    return rows


def _units(data: ReportData) -> list[dict[str, Any]]:
    """One entry per business unit: what it owns, its friction, its shared touchpoints."""
    lang = data.lang
    views = {r["business_unit"]: r for r in data.rows("bu_view")}
    friction = data.rows("friction")
    profile = {r["touchpoint"]: r for r in data.rows("touchpoint_profile")}
    shared = data.rows("bu_shared_touchpoints")
    if data.journey is not None and data.journey.business_units:
        unit_ids = [u.id for u in data.journey.business_units]
        owned = {
            uid: [tp.id for tp in data.journey.touchpoints if tp.owner_bu == uid]
            for uid in unit_ids
        }
        heads = {u.id: u.head for u in data.journey.business_units}
    else:
        unit_ids = list(views)
        owned = {
            uid: [tp for tp, r in profile.items() if r.get("business_unit") == uid]
            for uid in unit_ids
        }
        heads = {}
    out = []
    for uid in unit_ids:
        mine = set(owned.get(uid, []))
        view = views.get(uid, {})
        rough = sorted(
            (r for r in friction if r["touchpoint"] in mine and (r.get("score") or 0) > 0),
            key=lambda r: -(r.get("score") or 0),
        )[:5]
        out.append(
            {
                "id": uid,
                "name": data.name(uid),
                "head": heads.get(uid),
                "numbers": [
                    (t("report.bu.touchpoints_owned", lang), fmt.number(len(mine), lang)),
                    (t("report.bu.event_share", lang), fmt.share(view.get("event_share"), lang)),
                    (t("report.bu.case_share", lang), fmt.share(view.get("case_share"), lang)),
                    (
                        t("report.bu.backward_rate", lang),
                        fmt.share(view.get("backward_rate"), lang),
                    ),
                    (t("report.bu.exit_ratio", lang), fmt.number(view.get("exit_ratio"), lang, 2)),
                ],  # fmt: skip
                "touchpoints": [
                    (data.name(tp), fmt.number(profile.get(tp, {}).get("events", 0), lang))
                    for tp in owned.get(uid, [])
                ],
                "friction": [
                    (
                        data.name(r["touchpoint"]),
                        fmt.number(r["score"], lang, 2),
                        fmt.share(r.get("exit_rate"), lang),
                        fmt.days(r.get("median_wait_days"), lang),
                    )
                    for r in rough
                ],  # fmt: skip
                "shared": [
                    (
                        data.name(r["touchpoint"]),
                        data.name(r["owner"]),
                        ", ".join(data.name(b) for b in (r.get("shared_with") or [])),
                    )
                    for r in shared
                    if r.get("owner") == uid or uid in (r.get("shared_with") or [])
                ],  # fmt: skip
                "findings": _findings(
                    data,
                    [
                        f
                        for f in data.findings
                        if f.get("business_unit") == uid or f.get("touchpoint") in mine
                    ],
                    top=5,
                ),  # fmt: skip
            }
        )
    return out


def _imports(data: ReportData) -> list[dict[str, Any]]:
    lang = data.lang
    rows = []
    for r in data.imports:
        if r.get("skipped"):
            continue
        rows.append(
            {
                "source": Path(str(r.get("source", ""))).name,
                "kind": str(r.get("kind", "")),
                "read": fmt.number(r.get("rows_read"), lang),
                "loaded": fmt.number(r.get("rows_loaded"), lang),
                "rejected": fmt.number(r.get("rows_rejected"), lang),
                "duplicate": fmt.number(r.get("rows_duplicate"), lang),
                "reasons": [
                    (str(reason), fmt.number(n, lang)) for reason, n in (r.get("reasons") or [])[:3]
                ],  # fmt: skip
                "unmapped": [
                    (str(a), fmt.number(n, lang))
                    for a, n in (r.get("unmapped_activities") or [])[:10]
                ],  # fmt: skip
            }
        )
    return rows


def _environment() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(
        lambda name: (
            resources.files("jornada.render")
            .joinpath("templates", name)
            .read_text(encoding="utf-8")
        )
    )
    return jinja2.Environment(
        loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )  # fmt: skip


def render_report(
    data: ReportData, *, generated: dt.datetime | None = None, art: Drawings | None = None
) -> str:
    """The report as one HTML document (no external resources)."""
    lang = data.lang
    art = art or drawings(data)
    journey = data.journey
    title = (
        journey.labels.get(Lang(lang), journey.name) if journey is not None
        else t("report.untitled", lang)
    )  # fmt: skip
    generated = generated or dt.datetime.now(dt.UTC)
    filters = [(t(f"report.filter.{k}", lang), v) for k, v in data.filters.items()]
    lint = [
        {
            "severity": t(f"report.severity.{d.get('severity', 'info')}", lang),
            "level": str(d.get("severity", "info")),
            "code": str(d.get("code", "")),
            "where": ".".join(str(p) for p in d.get("loc", [])),
            "message": str(d.get("message", "")),
            "hint": str(d.get("hint", "")),
        }
        for d in data.lint
    ]
    quality = [
        {
            "issue": t(f"report.quality.{r['issue']}", lang)
            if t(f"report.quality.{r['issue']}", lang) != f"report.quality.{r['issue']}"
            else str(r["issue"]).replace("_", " "),
            "where": f"{r.get('table') or ''}.{r.get('column') or ''}".strip("."),
            "value": "" if r.get("value") is None else str(r["value"]),
            "rows": fmt.number(r.get("rows"), lang),
        }
        for r in data.rows("data_quality")
    ]
    chart_order = ["funnel", "stage_time", "channel_mix", "sankey", "critical_bars",
                   "coverage", "emotion_curve", "content_heatmap"]  # fmt: skip
    charts = [(t(f"report.chart.{name}", lang), art.charts[name])
              for name in chart_order if name in art.charts]  # fmt: skip
    template = _environment().get_template("report.html.j2")
    return template.render(
        lang=lang,
        tr=_tr(lang),
        title=title,
        company=journey.company if journey is not None else None,
        generated=fmt.date(generated, lang, "long"),
        filters=filters,
        headline=_headline(data),
        findings=_findings(data),
        summary_findings=SUMMARY_FINDINGS,
        findings_total=len(data.findings),
        kpis=_kpis(data),
        art=art,
        charts=charts,
        empathy=[(data.name(pid), svg) for pid, svg in art.empathy.items()],
        units=_units(data),
        lint=lint,
        imports=_imports(data),
        quality=quality,
        has_map=journey is not None,
    )


def write_report(data: ReportData, path: Path, *, pdf: bool = False) -> list[Path]:
    """Write the report to ``path`` (and ``path`` with ``.pdf`` when asked and a Chromium
    exists); files appear whole or not at all."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render_report(data)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    written = [path]
    if pdf:
        written.append(print_pdf(path, path.with_suffix(".pdf")))
    return written


def chromium() -> str | None:
    """A Chromium or Chrome on the PATH, for PDF printing and PNG screenshots."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if found := shutil.which(name):
            return found
    return None


def print_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium (no network used)."""
    from jornada.errors import JornadaError

    browser = chromium()
    if browser is None:
        raise JornadaError(t("report.no_chromium", "en"))
    with tempfile.TemporaryDirectory(prefix="jornada-pdf-") as profile:
        tmp = pdf_path.with_name(f".{pdf_path.name}.tmp")
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", "--no-pdf-header-footer",
             f"--print-to-pdf={tmp}", html_path.resolve().as_uri()],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        tmp.replace(pdf_path)
    return pdf_path
