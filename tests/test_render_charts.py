"""The report's charts: standalone SVG whose numbers are the analysis tables' numbers, in
the report's language, escaped, and with no two labels overlapping in a real browser."""

from __future__ import annotations

import dataclasses
import math
import re
import xml.etree.ElementTree as ET
from typing import Any

import pyarrow as pa
import pytest

from jornada.i18n import t
from jornada.render import fmt
from jornada.render.charts import (
    CHARTS,
    channel_mix_svg,
    charts,
    content_heatmap_svg,
    coverage_svg,
    critical_bars_svg,
    emotion_curve_svg,
    funnel_svg,
    sankey_svg,
    stage_time_svg,
)
from jornada.render.data import ReportData
from tests.utils.browser import overlapping, screenshot, text_boxes
from tests.utils.report import demo_report

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    "<script>alert('x')</script>",
    "Tom & Jerry \"quoted\" 'single' <b>",
    "🚀 Étape émoji ✨ 日本語",
    "Long " + "name " * 39,  # 200 characters with spaces
    "x" * 200,  # 200 characters without a space
    "Bell\x07 and\x00 control\x1f characters",  # not allowed in XML at all
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    return demo_report(tmp_path_factory.mktemp("charts"))


@pytest.fixture(scope="module")
def hostile(data: ReportData) -> ReportData:
    """The demo analysis with every stage, role and touchpoint id renamed to a hostile
    name and no map (so the names shown are those ids)."""
    ids = sorted(
        {
            str(v)
            for name in ("funnel", "content_coverage", "touchpoint_lift")
            for col in ("stage", "role", "touchpoint")
            if col in data.table(name).column_names
            for v in data.table(name).column(col).to_pylist()
            if v is not None
        }
    )
    rename = {old: f"{HOSTILE[i % len(HOSTILE)]} {i}" for i, old in enumerate(ids)}
    columns = {"stage", "role", "touchpoint", "source", "target"}

    def renamed(table: pa.Table) -> pa.Table:
        for col in columns & set(table.column_names):
            if not pa.types.is_string(table.schema.field(col).type):
                continue
            values = [
                rename.get(v, v) if isinstance(v, str) else v for v in table.column(col).to_pylist()
            ]
            table = table.set_column(
                table.column_names.index(col), col, pa.array(values, pa.string())
            )
        return table

    tables = {name: renamed(table) for name, table in data.tables.items()}
    return dataclasses.replace(data, tables=tables, journey=None)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def shown(element: ET.Element) -> str:
    """The text a <text> element shows, its lines (<tspan>) joined by a space and its
    <title> hover text left out."""
    lines = [element.text or ""] if (element.text or "").strip() else []
    lines += ["".join(c.itertext()) for c in element if c.tag == f"{SVG}tspan"]
    return " ".join(lines)


def hover(element: ET.Element) -> str:
    title = element.find(f"{SVG}title")
    return "" if title is None else (title.text or "")


def texts(root: ET.Element, cls: str | None = None) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}text") if cls is None or cls in e.get("class", "").split()]


def by_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if cls in e.get("class", "").split()]


def ordered(data: ReportData, name: str, key: str = "position") -> list[dict[str, Any]]:
    return sorted(data.rows(name), key=lambda r: r[key])


# Every chart ---------------------------------------------------------------------------


def test_every_chart_is_a_standalone_svg(data: ReportData) -> None:
    drawings = charts(data)
    assert list(drawings) == list(CHARTS)
    for name, svg in drawings.items():
        root = parse(svg)
        assert root.get("role") == "img"
        assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
        assert "DejaVu Sans" in root.get("font-family", "")
        assert root.find(f"{SVG}title") is not None, name
        assert not re.search(r"<script|href=|@import|url\(", svg), name
        assert all("lbl" in e.get("class", "").split() for e in texts(root)), name
        assert f'data-chart="{name}"' in svg


@pytest.mark.parametrize("name", list(CHARTS))
def test_an_empty_analysis_gives_a_no_data_note(name: str, data: ReportData) -> None:
    absent = ReportData(tables={}, summary={}, findings=[], lang="es")
    empty = dataclasses.replace(data, tables={k: v.slice(0, 0) for k, v in data.tables.items()})
    for report in (absent, empty):
        root = parse(CHARTS[name](report))
        notes = [shown(e) for e in texts(root)]
        assert t("charts.no_data", report.lang) in notes
        assert not by_class(root, "rect", "bar") and not by_class(root, "path", "ribbon")


# 1. Funnel -----------------------------------------------------------------------------


def test_funnel_bars_are_the_stages_in_order_with_journeys_reached(data: ReportData) -> None:
    root = parse(funnel_svg(data))
    rows = ordered(data, "funnel")
    bars = by_class(root, "rect", "bar")
    assert [b.get("data-stage") for b in bars] == [r["stage"] for r in rows]
    assert [int(b.get("data-value", "")) for b in bars] == [r["cases_reached"] for r in rows]
    total = data.summary["cases"]
    values = [shown(e) for e in texts(root, "value")]
    for row, value in zip(rows, values, strict=True):
        share = fmt.share(row["cases_reached"] / total, "en")
        assert value == f"{share} · {fmt.number(row['cases_reached'], 'en')}"
    widths = [float(b.get("width", "")) for b in bars]
    scale = widths[0] / rows[0]["cases_reached"]
    assert all(
        math.isclose(w, r["cases_reached"] * scale, rel_tol=0.01)
        for w, r in zip(widths, rows, strict=True)
    )
    notes = [shown(e) for e in texts(root, "note")]
    for row in rows:
        assert (
            t("charts.funnel.dropped", "en", count=fmt.number(row["dropped_here"], "en")) in notes
        )
        assert any(
            t("charts.funnel.revisited", "en", count=fmt.number(row["revisited"], "en")) in n
            for n in notes
        )


# 2. Time in stage ----------------------------------------------------------------------


def test_stage_time_bars_are_medians_with_p90_whiskers(data: ReportData) -> None:
    root = parse(stage_time_svg(data))
    rows = ordered(data, "stage_time")
    bars = by_class(root, "rect", "bar")
    whiskers = by_class(root, "line", "whisker")
    assert [b.get("data-stage") for b in bars] == [r["stage"] for r in rows]
    assert [float(b.get("data-value", "")) for b in bars] == pytest.approx(
        [r["median_days"] for r in rows], abs=0.1
    )
    assert [float(w.get("data-value", "")) for w in whiskers] == pytest.approx(
        [r["p90_days"] for r in rows], abs=0.1
    )
    for bar, whisker in zip(bars, whiskers, strict=True):
        end = float(bar.get("x", "")) + float(bar.get("width", ""))
        assert float(whisker.get("x1", "")) == pytest.approx(end, abs=0.1)
        assert float(whisker.get("x2", "")) >= float(whisker.get("x1", ""))
    labels = [shown(e) for e in texts(root, "value")]
    assert labels == [
        f"{fmt.days(r['median_days'], 'en')} · p90 {fmt.days(r['p90_days'], 'en')}" for r in rows
    ]


# 3. Channel mix ------------------------------------------------------------------------


def test_channel_mix_stacks_shares_to_100_with_the_65_reference(data: ReportData) -> None:
    root = parse(channel_mix_svg(data))
    rows = sorted(
        (r for r in data.rows("channel_mix") if r["level"] == "stage"), key=lambda r: r["position"]
    )
    rows += [r for r in data.rows("channel_mix") if r["level"] == "all"]
    segments = by_class(root, "rect", "segment")
    per_row = [segments[i : i + 3] for i in range(0, len(segments), 3)]
    assert len(per_row) == len(rows)
    for row, parts in zip(rows, per_row, strict=True):
        assert [p.get("data-kind") for p in parts] == ["online", "personal", "physical"]
        for part in parts:
            assert float(part.get("data-value", "")) == pytest.approx(
                row[f"{part.get('data-kind')}_share"], abs=1e-5
            )
        assert sum(float(p.get("width", "")) for p in parts) == pytest.approx(
            float(per_row[0][0].get("width", "")) / rows[0]["online_share"], rel=0.01
        )
    x0 = float(per_row[0][0].get("x", ""))
    full = sum(float(p.get("width", "")) for p in per_row[0])
    lines = by_class(root, "line", "reference")
    assert lines and {float(e.get("data-value", "")) for e in lines} == {0.65}
    assert all(float(e.get("x1", "")) == pytest.approx(x0 + 0.65 * full, abs=0.1) for e in lines)
    assert [shown(e) for e in texts(root, "reference-label")] == ["~65/35 reference"]
    shares = {shown(e) for e in texts(root, "value")}
    assert fmt.share(rows[0]["online_share"], "en", 0) in shares


# 4. Content grid -----------------------------------------------------------------------


def test_content_grid_cells_carry_the_table_and_outline_the_gaps(data: ReportData) -> None:
    root = parse(content_heatmap_svg(data))
    cells = {(c.get("data-stage"), c.get("data-role")): c for c in by_class(root, "rect", "cell")}
    rows = data.rows("content_coverage")
    assert len(cells) == len(rows)
    for row in rows:
        cell = cells[(row["stage"], row["role"])]
        assert int(cell.get("data-assets", "")) == row["assets"]
        assert int(cell.get("data-touches", "")) == row["touches"]
    gaps = {(g["stage"], g["role"]) for g in data.rows("content_gaps")}
    assert gaps
    assert {k for k, c in cells.items() if "gap" in c.get("class", "").split()} == gaps
    assert any(shown(e) == t("charts.content.gap.no_asset", "en") for e in texts(root, "note"))


# 5. Touchpoints that move the win rate -------------------------------------------------


@pytest.mark.parametrize("top", [12, 5])
def test_critical_bars_are_the_largest_lifts_sorted_with_intervals(
    data: ReportData, top: int
) -> None:
    root = parse(critical_bars_svg(data, top=top))
    rows = data.rows("touchpoint_lift")
    expected = sorted(rows, key=lambda r: -abs(r["lift"]))[:top]
    bars = by_class(root, "rect", "bar")
    lifts = [float(b.get("data-value", "")) for b in bars]
    assert lifts == sorted(lifts, reverse=True)
    assert {b.get("data-touchpoint") for b in bars} == {r["touchpoint"] for r in expected}
    by_tp = {r["touchpoint"]: r for r in rows}
    intervals = by_class(root, "line", "interval")
    assert len(intervals) == len(bars)
    for bar, interval in zip(bars, intervals, strict=True):
        row = by_tp[bar.get("data-touchpoint", "")]
        assert float(bar.get("data-value", "")) == pytest.approx(row["lift"], abs=1e-5)
        assert float(interval.get("data-low", "")) == pytest.approx(row["ci_low"], abs=1e-5)
        assert float(interval.get("data-high", "")) == pytest.approx(row["ci_high"], abs=1e-5)
        assert bar.get("data-significant") == str(row["ci_low"] > 0 or row["ci_high"] < 0).lower()
    zero = by_class(root, "line", "zero")
    assert len(zero) == 1
    for bar in bars:  # every bar starts or ends on the zero line
        x, w = float(bar.get("x", "")), float(bar.get("width", ""))
        assert (
            min(abs(x - float(zero[0].get("x1", ""))), abs(x + w - float(zero[0].get("x1", ""))))
            < 0.1
        )
    markov = {r["touchpoint"]: r["removal_effect"] for r in data.rows("markov_removal")}
    for bar in by_class(root, "rect", "markov"):
        assert float(bar.get("data-value", "")) == pytest.approx(
            markov[bar.get("data-touchpoint", "")], abs=1e-5
        )
    assert len(by_class(root, "rect", "markov")) == len(bars)
    values = [shown(e) for e in texts(root, "value") if e.get("data-touchpoint")]
    assert values == [fmt.points(v, "en") for v in lifts]


# 6. Buying-group coverage --------------------------------------------------------------


def test_coverage_compares_won_and_lost_and_win_rate_by_level(data: ReportData) -> None:
    root = parse(coverage_svg(data))
    groups = {r["outcome"]: r for r in data.rows("buying_group")}
    bars = by_class(root, "rect", "bar")
    measured = {
        (b.get("data-measure"), b.get("data-outcome")): float(b.get("data-value", ""))
        for b in bars
        if b.get("data-measure")
    }
    columns = {
        "contacts": "mean_contacts",
        "roles": "mean_roles",
        "required": "mean_required_coverage",
    }
    assert set(measured) == {(m, o) for m in columns for o in ("won", "lost")}
    for (measure, outcome), value in measured.items():
        assert value == pytest.approx(groups[outcome][columns[measure]], abs=1e-5)
    levels = sorted(data.rows("role_coverage"), key=lambda r: r["required_engaged"])
    level_bars = by_class(root, "rect", "level")
    assert [float(b.get("data-value", "")) for b in level_bars] == pytest.approx(
        [r["win_rate"] for r in levels], abs=1e-5
    )
    heights = [float(b.get("height", "")) for b in level_bars]
    assert heights[0] / levels[0]["win_rate"] == pytest.approx(
        heights[-1] / levels[-1]["win_rate"], rel=0.01
    )
    values = [shown(e) for e in texts(root, "value")]
    assert [fmt.share(r["win_rate"], "en") for r in levels] == values[-len(levels) :]


# 7. Experience curve -------------------------------------------------------------------


def test_emotion_curve_points_are_observed_values_with_dips_marked(data: ReportData) -> None:
    root = parse(emotion_curve_svg(data))
    rows = [r for r in ordered(data, "experience_curve") if r["level"] == "stage"]
    observed = [r for r in rows if r["observed"] is not None and not math.isnan(r["observed"])]
    points = [e for e in root.iter(f"{SVG}circle") if "point" in e.get("class", "").split()]
    assert [p.get("data-stage") for p in points] == [r["stage"] for r in observed]
    assert [float(p.get("data-value", "")) for p in points] == pytest.approx(
        [r["observed"] for r in observed]
    )
    dipping = {r["stage"] for r in observed if r["dip"] <= -0.4 and r["dip_z"] <= -3}
    assert dipping == {"purchase"}  # the demo plants a painful contract review
    assert {p.get("data-stage") for p in points if p.get("data-dip") == "true"} == dipping
    assert len([e for e in root.iter(f"{SVG}circle") if "dip" in e.get("class", "").split()]) == 1
    assert by_class(root, "rect", "post-purchase")
    assert by_class(root, "path", "target") and by_class(root, "path", "observed")
    assert {shown(e) for e in texts(root, "value")} >= {
        f"+{fmt.number(r['observed'], 'en', 2)}" for r in observed if r["observed"] > 0
    }


# 8. Flows between stages ---------------------------------------------------------------


def test_sankey_ribbons_add_up_to_the_flows_of_each_stage(data: ReportData) -> None:
    root = parse(sankey_svg(data))
    flows = [
        r for r in data.rows("transitions") if r["level"] == "stage" and r["source"] != r["target"]
    ]
    ribbons = by_class(root, "path", "ribbon")
    assert len(ribbons) == len(flows)
    nodes = {n.get("data-stage"): n for n in by_class(root, "rect", "node")}
    for stage, node in nodes.items():
        out = [r for r in ribbons if r.get("data-source") == stage]
        into = [r for r in ribbons if r.get("data-target") == stage]
        expected_out = sum(f["count"] for f in flows if f["source"] == stage)
        expected_in = sum(f["count"] for f in flows if f["target"] == stage)
        assert sum(int(r.get("data-count", "")) for r in out) == expected_out
        assert sum(int(r.get("data-count", "")) for r in into) == expected_in
        assert int(node.get("data-out", "")) + int(node.get("data-back-out", "")) == expected_out
        # The bands leaving a column fit in it, on one scale for every band.
        assert (
            sum(float(r.get("data-width", "")) for r in out) <= float(node.get("height", "")) + 0.1
        )
    units = [float(r.get("data-width", "")) / int(r.get("data-count", "")) for r in ribbons]
    assert units == pytest.approx([units[0]] * len(units), rel=1e-3)
    backward = {(f["source"], f["target"]) for f in flows if f["backward"]}
    drawn_back = {
        (r.get("data-source"), r.get("data-target"))
        for r in ribbons
        if "backward" in r.get("class", "")
    }
    assert drawn_back == backward and backward
    assert all(
        'stroke="#cc3311"' in ET.tostring(r, encoding="unicode")
        for r in ribbons
        if "backward" in r.get("class", "")
    )
    order = [
        n.get("data-stage") for n in sorted(nodes.values(), key=lambda n: float(n.get("x", "")))
    ]
    assert order == [r["stage"] for r in ordered(data, "funnel")]


def test_sankey_min_share_leaves_out_small_flows(data: ReportData) -> None:
    flows = [
        r for r in data.rows("transitions") if r["level"] == "stage" and r["source"] != r["target"]
    ]
    total = sum(f["count"] for f in flows)
    root = parse(sankey_svg(data, min_share=0.05))
    kept = {(r.get("data-source"), r.get("data-target")) for r in by_class(root, "path", "ribbon")}
    assert kept == {(f["source"], f["target"]) for f in flows if f["count"] >= 0.05 * total}
    assert len(kept) < len(flows)
    assert any(
        shown(e) == t("charts.sankey.hidden", "en", share=fmt.share(0.05, "en"))
        for e in texts(root)
    )


# Sparse and odd tables -----------------------------------------------------------------


@pytest.fixture(scope="module")
def sparse() -> ReportData:
    """Tables a small or unusual analysis gives: zeros, missing values, one outcome, only
    backward moves, no map."""
    nan = float("nan")
    tables = {
        "funnel": [
            {
                "stage": "first",
                "position": 0,
                "phase": "pre_purchase",
                "cases_reached": 0,
                "dropped_here": 0,
                "revisited": 0,
                "skipped": 0,
            },
            {
                "stage": "second",
                "position": 1,
                "phase": None,
                "cases_reached": 3,
                "dropped_here": 3,
                "revisited": None,
                "skipped": 0,
            },
        ],
        "stage_time": [{"stage": "second", "position": 1, "median_days": 0.4, "p90_days": None}],
        "channel_mix": [
            {
                "level": "all",
                "stage": "all",
                "events": 10,
                "online": 2,
                "personal": 0,
                "physical": 0,
                "unknown": 8,
                "online_share": 0.2,
                "personal_share": 0.0,
                "physical_share": 0.0,
                "reference_online_share": None,
            },
        ],
        "content_coverage": [
            {
                "stage": "second",
                "position": 1,
                "role": "buyer",
                "assets": 0,
                "touches": 0,
                "role_events": 0,
            },
        ],
        "touchpoint_lift": [
            {"touchpoint": "web", "lift": 0.1, "ci_low": None, "ci_high": None},
            {"touchpoint": "call", "lift": -0.05, "ci_low": -0.2, "ci_high": 0.1},
        ],
        "buying_group": [
            {
                "outcome": "won",
                "mean_contacts": 2.0,
                "median_contacts": None,
                "mean_roles": 1.0,
                "median_roles": 1.0,
                "mean_required_coverage": nan,
                "median_required_coverage": nan,
            }
        ],
        "experience_curve": [
            {"level": "stage", "stage": "first", "position": 0, "observed": None, "target": 1.0},
            {"level": "stage", "stage": "second", "position": 1, "observed": None, "target": 1.5},
        ],
        "transitions": [
            {"level": "stage", "source": "second", "target": "first", "count": 4, "backward": True},
        ],
    }
    return ReportData({k: pa.Table.from_pylist(v) for k, v in tables.items()}, {}, [])


def test_sparse_tables_still_chart(sparse: ReportData) -> None:
    for name, svg in charts(sparse).items():
        root = parse(svg)
        assert t("charts.no_data", "en") not in [shown(e) for e in texts(root)], name
    lift = parse(critical_bars_svg(sparse))
    intervals = by_class(lift, "line", "interval")
    assert [float(e.get("data-low", "")) for e in intervals] == [-0.2]  # none for "web"
    assert [b.get("data-touchpoint") for b in by_class(lift, "rect", "bar")] == ["web", "call"]
    mix = parse(channel_mix_svg(sparse))
    assert [s.get("data-kind") for s in by_class(mix, "rect", "segment")][-1] == "unknown"
    assert not by_class(mix, "line", "reference")
    sankey = parse(sankey_svg(sparse))
    assert [r.get("data-count") for r in by_class(sankey, "path", "backward")] == ["4"]


@pytest.fixture(scope="module")
def wide() -> ReportData:
    """Twelve stages with names short and long, nine roles, moves forward, skipping
    ahead and going back up to three stages: a crowded drawing."""
    names = [
        "Trigger",
        "Problem framing",
        "Internal alignment",
        "Exploration",
        "Shortlist",
        "Proof of concept and technical validation",
        "Business case",
        "Negotiation",
        "Signature",
        "Onboarding",
        "Adoption",
        "Expansion",
    ]
    roles = [f"role {i}" for i in range(9)]
    funnel, times, mix, curve, moves, cells = [], [], [], [], [], []
    for i in range(len(names)):
        phase = "pre_purchase" if i < 9 else "post_purchase"
        reached = 1000 - 70 * i
        funnel.append(
            {
                "stage": names[i],
                "position": i,
                "phase": phase,
                "cases_reached": reached,
                "dropped_here": 20 + i,
                "revisited": 100 - 5 * i,
                "skipped": i,
            }
        )
        times.append(
            {
                "stage": names[i],
                "position": i,
                "median_days": 3.0 + 9 * i,
                "p90_days": 10.0 + 30 * i,
            }
        )
        online = 0.9 - 0.07 * i
        mix.append(
            {
                "level": "stage",
                "stage": names[i],
                "position": i,
                "events": 100,
                "online_share": online,
                "personal_share": (1 - online) * 0.7,
                "physical_share": (1 - online) * 0.3,
                "unknown": 0,
                "reference_online_share": 0.65 if i < 9 else None,
            }
        )
        curve.append(
            {
                "level": "stage",
                "stage": names[i],
                "position": i,
                "phase": phase,
                "observed": [0.2, 1.4, -1.6, 0.9][i % 4],
                "target": 1.0 + (i % 2) / 2,
                "responses": 30 * i,
                "dip": -0.9 if i % 4 == 2 else 0.1,
                "dip_z": -5.0 if i % 4 == 2 else 0.5,
            }
        )
        for step in (1, 2):
            if i + step < len(names):
                moves.append(
                    {
                        "level": "stage",
                        "source": names[i],
                        "target": names[i + step],
                        "count": reached // (step * 2),
                        "backward": False,
                    }
                )
        for back in (1, 3):
            if i - back >= 0:
                moves.append(
                    {
                        "level": "stage",
                        "source": names[i],
                        "target": names[i - back],
                        "count": 40 // back + i,
                        "backward": True,
                    }
                )
        for j, role in enumerate(roles):
            cells.append(
                {
                    "stage": names[i],
                    "position": i,
                    "role": role,
                    "assets": (i * j) % 7,
                    "touches": 1000 * i + j,
                    "role_events": 10,
                }
            )
    tables = {
        "funnel": funnel,
        "stage_time": times,
        "channel_mix": mix,
        "experience_curve": curve,
        "transitions": moves,
        "content_coverage": cells,
    }
    return ReportData({k: pa.Table.from_pylist(v) for k, v in tables.items()}, {}, [])


def test_a_crowded_journey_keeps_every_stage(wide: ReportData) -> None:
    for name in (
        "funnel",
        "stage_time",
        "channel_mix",
        "emotion_curve",
        "sankey",
        "content_heatmap",
    ):
        root = parse(CHARTS[name](wide))
        assert t("charts.no_data", "en") not in [shown(e) for e in texts(root)], name
    sankey = parse(sankey_svg(wide))
    assert len(by_class(sankey, "rect", "node")) == 12
    assert len(by_class(sankey, "path", "ribbon")) == wide.table("transitions").num_rows


# Languages and hostile names -----------------------------------------------------------


def test_charts_speak_the_report_language(data: ReportData) -> None:
    spanish = dataclasses.replace(data, lang="es")
    root = parse(funnel_svg(spanish))
    values = [shown(e) for e in texts(root, "value")]
    assert all(re.fullmatch(r"\d+,\d\s?% · [\d.]+", v) for v in values), values
    assert shown(texts(root, "title")[0]) == t("charts.funnel.title", "es")
    names = {hover(e) or shown(e) for e in texts(root, "name")}
    assert spanish.name("awareness") in names and spanish.name("awareness") != "awareness"
    mix = parse(channel_mix_svg(dataclasses.replace(data, lang="pt")))
    assert [shown(e) for e in texts(mix, "reference-label")] == ["referência ~65/35"]
    assert any(
        re.fullmatch(r"−\d+,\d pp", shown(e))
        for e in texts(parse(critical_bars_svg(spanish)), "value")
    )


def test_hostile_names_are_escaped_and_kept_whole_on_hover(hostile: ReportData) -> None:
    for name, svg in charts(hostile).items():
        assert "<script" not in svg and "<b>" not in svg and "\x07" not in svg, name
        root = parse(svg)
        named = [
            e for e in texts(root) if any(h.split()[0] in (hover(e) or shown(e)) for h in HOSTILE)
        ]
        assert named or name == "coverage", name  # coverage shows no names
        for element in named:
            full = hover(element) or shown(element)
            assert any(full.startswith(h.strip()) for h in HOSTILE), (name, full)
    root = parse(funnel_svg(hostile))
    cut = [e for e in texts(root, "name") if hover(e)]
    assert cut and all("…" in shown(e) for e in cut if len(hover(e)) > 60)


# In the browser ------------------------------------------------------------------------


def _check_in_browser(page: Any, drawings: dict[str, str], suffix: str) -> None:
    for name, svg in drawings.items():
        page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
        boxes = text_boxes(page)
        assert boxes, name
        assert overlapping(boxes) == [], (name, suffix)
        width = page.evaluate("() => document.querySelector('svg').getBoundingClientRect().width")
        assert all(b["x"] >= -0.5 and b["x"] + b["w"] <= width + 0.5 for b in boxes), (name, suffix)
        screenshot(page, f"chart-{name.replace('_', '-')}{suffix}")


def test_no_labels_overlap_on_the_demo_world(page: Any, data: ReportData) -> None:
    _check_in_browser(page, charts(data), "")
    _check_in_browser(page, charts(dataclasses.replace(data, lang="es")), "-es")


def test_no_labels_overlap_with_hostile_names(page: Any, hostile: ReportData) -> None:
    _check_in_browser(page, charts(hostile), "-hostile")


def test_no_labels_overlap_on_sparse_tables(page: Any, sparse: ReportData) -> None:
    _check_in_browser(page, charts(sparse), "-sparse")


def test_no_labels_overlap_on_a_crowded_journey(page: Any, wide: ReportData) -> None:
    _check_in_browser(page, charts(wide), "-crowded")
