"""The subway map: stations, flows, signals and labels checked against the analysis tables
they are drawn from, and in a real Chromium for overlapping labels and hidden stations."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from jornada.model.templates import TEMPLATES, build_template
from jornada.render import style
from jornada.render.data import ReportData
from jornada.render.subway import subway_svg
from tests.utils.browser import overlapping, screenshot, text_boxes
from tests.utils.journeys import HOSTILE, synthetic_report
from tests.utils.report import demo_report

NS = {"s": "http://www.w3.org/2000/svg"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    """One analysed demo world (with its map) for the whole module."""
    return demo_report(tmp_path_factory.mktemp("subway"))


@pytest.fixture(scope="module")
def demo_svg(demo: ReportData) -> str:
    return subway_svg(demo)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def stations(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-id", ""): g for g in root.iterfind(".//s:g[@class='station']", NS)}


def flows(root: ET.Element) -> list[ET.Element]:
    return [p for p in root.iterfind(".//s:path", NS) if "flow" in p.get("class", "").split()]


def texts(root: ET.Element, cls: str) -> list[str]:
    """The full text of each label of class ``cls`` (its <title> when it has one)."""
    out = []
    for node in root.iterfind(".//s:text", NS):
        if cls in node.get("class", "").split():
            title = node.find("s:title", NS)
            out.append(title.text if title is not None else "".join(node.itertext()))
    return out


def touchpoint_rows(data: ReportData) -> list[dict[str, Any]]:
    return [r for r in data.rows("transitions") if r["level"] == "touchpoint"]


# Against the demo world -----------------------------------------------------------------


def test_stations_are_the_touchpoints_of_the_profile(demo: ReportData, demo_svg: str) -> None:
    drawn = stations(parse(demo_svg))
    profile = demo.rows("touchpoint_profile")
    assert set(drawn) == {r["touchpoint"] for r in profile}
    for row in profile:
        assert drawn[row["touchpoint"]].get("data-column") == row["stage"]
        assert drawn[row["touchpoint"]].get("data-events") == str(row["events"])


def test_one_path_per_flow_between_two_touchpoints(demo: ReportData, demo_svg: str) -> None:
    expected = {
        (r["source"], r["target"], r["count"])
        for r in touchpoint_rows(demo)
        if r["source"] != r["target"]
    }
    drawn = [
        (p.get("data-source"), p.get("data-target"), int(p.get("data-count", -1)))
        for p in flows(parse(demo_svg))
    ]
    assert len(drawn) == len(expected)
    assert set(drawn) == expected


def test_line_width_grows_with_the_count(demo_svg: str) -> None:
    paths = sorted(flows(parse(demo_svg)), key=lambda p: int(p.get("data-count", 0)))
    widths = [float(p.get("stroke-width", 0)) for p in paths]
    assert widths == sorted(widths)
    assert widths[0] >= 1 and widths[-1] <= 14
    assert widths[-1] > 3 * widths[0]


def test_backward_flows_are_red_and_dashed(demo: ReportData, demo_svg: str) -> None:
    backward = {(r["source"], r["target"]) for r in touchpoint_rows(demo) if r["backward"]}
    assert backward
    for path in flows(parse(demo_svg)):
        key = (path.get("data-source"), path.get("data-target"))
        is_backward = "backward" in path.get("class", "").split()
        assert is_backward == (key in backward), key
        if is_backward:
            assert path.get("stroke") == style.BACKWARD
            assert path.get("stroke-dasharray")
        else:
            assert path.get("stroke") != style.BACKWARD
            assert path.get("stroke-dasharray") is None


def test_lines_are_drawn_behind_the_stations(demo_svg: str) -> None:
    order = [
        ("flow" if "flow" in e.get("class", "") else "station")
        for e in parse(demo_svg).iter()
        if e.get("class") in ("station",) or "flow" in e.get("class", "").split()
    ]
    assert order.index("station") > len(order) - order[::-1].index("flow") - 1


def test_planted_friction_and_critical_touchpoints_are_marked(
    demo: ReportData, demo_svg: str
) -> None:
    root = parse(demo_svg)
    friction = {g.get("data-id") for g in root.iterfind(".//s:g[@class='marker friction']", NS)}
    critical = {
        g.get("data-id"): g.get("data-proven")
        for g in root.iterfind(".//s:g[@class='marker critical']", NS)
    }
    found_friction = {f["touchpoint"] for f in demo.findings if f["kind"] == "friction"}
    assert "pu_contract_redlines" in found_friction
    assert found_friction <= friction
    lifting = {
        f["touchpoint"]
        for f in demo.findings
        if f["kind"] == "critical_touchpoint" and f["evidence"]["ci95"][0] > 0
    }
    assert "ev_reference_call" in lifting
    assert all(critical.get(tid) == "true" for tid in lifting)
    # A touchpoint that lowers the win rate is not starred, however critical its finding.
    assert critical.get("pu_contract_redlines") != "true"
    marked = {tp.id for tp in demo.journey.touchpoints if tp.critical} if demo.journey else set()
    assert marked <= set(critical)


def test_legend_explains_every_signal(demo_svg: str) -> None:
    legend = texts(parse(demo_svg), "legend")
    for words in ("Online", "Person to person", "Physical", "Lifts the win rate", "Friction"):
        assert any(words in text for text in legend), words
    assert any("earlier stage" in text for text in legend)
    assert "Marketing" in legend and "Legal" in legend  # business units by their map names


def test_title_counts_journeys_and_events(demo: ReportData, demo_svg: str) -> None:
    summary = texts(parse(demo_svg), "summary")[0]
    assert f"{demo.summary['cases']:,} journeys" in summary
    assert f"{demo.summary['events']:,} events" in summary


def test_min_share_keeps_only_the_larger_flows(demo: ReportData, demo_svg: str) -> None:
    rows = touchpoint_rows(demo)
    floor = 0.005 * sum(r["count"] for r in rows)
    kept = flows(parse(subway_svg(demo, min_share=0.005)))
    counts = [int(p.get("data-count", 0)) for p in kept]
    assert len(kept) == sum(1 for r in rows if r["source"] != r["target"] and r["count"] >= floor)
    assert min(counts) >= floor
    assert len(kept) < len(flows(parse(demo_svg)))


def test_stage_level_draws_one_station_per_stage(demo: ReportData) -> None:
    root = parse(subway_svg(demo, level="stage"))
    assert demo.journey is not None
    assert list(stations(root)) == [s.id for s in demo.journey.stages]
    rows = [r for r in demo.rows("transitions") if r["level"] == "stage"]
    drawn = {(p.get("data-source"), p.get("data-target")): p for p in flows(root)}
    assert set(drawn) == {(r["source"], r["target"]) for r in rows if r["source"] != r["target"]}
    for row in rows:
        path = drawn[(row["source"], row["target"])]
        assert ("backward" in path.get("class", "")) == row["backward"]


def test_spanish_labels_and_filters_line(demo: ReportData) -> None:
    data = ReportData(
        tables=demo.tables,
        summary=demo.summary,
        findings=demo.findings,
        journey=demo.journey,
        lang="es",
        filters={"segmento": "enterprise", "resultado": "<won>"},
    )
    svg = subway_svg(data)
    root = parse(svg)
    assert "Antes de la compra" in texts(root, "phase")
    assert texts(root, "filters") == ["Filtros: segmento = enterprise · resultado = <won>"]
    assert "Descubrimiento" in texts(root, "stage")
    assert "<won>" not in svg


# Odd and missing data -------------------------------------------------------------------


def test_without_a_map_ids_name_the_stations(demo: ReportData) -> None:
    data = ReportData(tables=demo.tables, summary=demo.summary, findings=demo.findings)
    root = parse(subway_svg(data))
    names = texts(root, "name")
    assert "aw_website_visit" in names
    stages = texts(root, "stage")
    assert stages[:3] == ["awareness", "consideration", "evaluation"]  # by stage_pos
    assert root.find(".//s:line[@class='divider']", NS) is not None  # phases from the funnel


def test_a_map_with_no_data_draws_its_stages_and_says_so(demo: ReportData) -> None:
    data = ReportData(tables={}, summary={}, findings=[], journey=demo.journey)
    root = parse(subway_svg(data))
    assert demo.journey is not None
    assert texts(root, "stage") == [s.label("en") for s in demo.journey.stages]
    assert texts(root, "note") == ["No observed journeys"]
    assert not stations(root) and not flows(root)


def test_nothing_at_all_still_draws_a_valid_page() -> None:
    root = parse(subway_svg(ReportData(tables={}, summary={}, findings=[])))
    assert texts(root, "note") == ["No observed journeys"]


def test_touchpoints_without_a_stage_go_to_a_last_column() -> None:
    data = synthetic_report([3, 3], unassigned=2)
    root = parse(subway_svg(data))
    columns = [r.get("data-id") for r in root.iterfind(".//s:rect[@class='column']", NS)]
    assert columns == ["stage_0", "stage_1", "__unassigned__"]
    assert texts(root, "stage")[-1] == "No stage"
    loose = [g for tid, g in stations(root).items() if tid.startswith("loose_")]
    assert len(loose) == 2 and all(g.get("data-column") == "__unassigned__" for g in loose)


def test_busiest_stations_kept_and_the_rest_grouped() -> None:
    data = synthetic_report([12, 3])
    root = parse(subway_svg(data, max_stations_per_stage=4))
    drawn = stations(root)
    first = [tid for tid, g in drawn.items() if g.get("data-column") == "stage_0"]
    assert len(first) == 5
    profile = data.rows("touchpoint_profile")
    busiest = sorted((r for r in profile if r["stage"] == "stage_0"), key=lambda r: -r["events"])
    assert {r["touchpoint"] for r in busiest[:4]} < set(first)
    assert "+8 more" in texts(root, "name")
    grouped = drawn["__more__:stage_0"]
    assert grouped.get("data-events") == str(sum(r["events"] for r in busiest[4:]))
    assert len(drawn) == 5 + 3


def test_hostile_names_are_escaped_cut_and_kept_whole_in_titles() -> None:
    data = synthetic_report(
        [4, 4, 4], name=lambda s, i: f"{HOSTILE[(s + i) % len(HOSTILE)]} {s}-{i}",
        stage_name=lambda s: HOSTILE[s % len(HOSTILE)] + f" #{s}",
    )  # fmt: skip
    svg = subway_svg(data)
    root = parse(svg)
    assert "<script" not in svg and "<b>" not in svg
    assert f"{HOSTILE[0]} 0-0" in texts(root, "name")
    assert f"{HOSTILE[1]} #1" in texts(root, "stage")
    long_label = next(
        n for n in root.iterfind(".//s:text", NS) if "Reunião" in "".join(n.itertext())
    )
    shown = "".join(t.text or "" for t in long_label.iterfind("s:tspan", NS))
    assert len(shown) < 120 and shown.endswith("…")


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_map_renders_with_and_without_data(template: str, demo: ReportData) -> None:
    journey = build_template(template, "pt")
    with_data = ReportData(demo.tables, demo.summary, demo.findings, journey=journey, lang="pt")
    root = parse(subway_svg(with_data))
    labels = [s.label("pt") for s in journey.stages]
    # The map's stages in map order; stages only seen in the data join their phase.
    assert [h for h in texts(root, "stage") if h in labels] == labels
    assert set(stations(root)) == {r["touchpoint"] for r in demo.rows("touchpoint_profile")}
    empty = parse(subway_svg(ReportData({}, {}, [], journey=journey, lang="pt")))
    assert texts(empty, "stage") == [s.label("pt") for s in journey.stages]
    assert texts(empty, "note") == ["Nenhuma jornada observada"]


def test_unknown_level_is_refused(demo: ReportData) -> None:
    with pytest.raises(ValueError, match="unknown level 'variant'"):
        subway_svg(demo, level="variant")


# In the browser -------------------------------------------------------------------------

_HIT = """(ids) => ids.map(([id, x, y]) => {
  const svg = document.querySelector('svg').getBoundingClientRect();
  const hit = document.elementFromPoint(svg.x + x, svg.y + y);
  const station = hit && hit.closest('g.station');
  const other = hit ? hit.outerHTML.slice(0, 80) : null;
  return [id, station ? station.getAttribute('data-id') : other];
})"""


def show(page: Any, svg: str, name: str) -> ET.Element:
    """Put ``svg`` in the page at its full size, check labels and stations, screenshot."""
    root = parse(svg)
    width, height = math.ceil(float(root.get("width", 0))), math.ceil(float(root.get("height", 0)))
    page.set_viewport_size({"width": width + 20, "height": height + 20})
    page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
    boxes = text_boxes(page)
    assert boxes
    assert overlapping(boxes) == []
    centres = [
        [tid, float(dot.get("cx", 0)), float(dot.get("cy", 0))]
        for tid, g in stations(root).items()
        for dot in g.iterfind("s:circle[@class='dot']", NS)
    ]
    for tid, hit in page.evaluate(_HIT, centres):
        assert hit == tid, f"station {tid} is covered by {hit}"
    right = max(b["x"] + b["w"] for b in boxes)
    bottom = max(b["y"] + b["h"] for b in boxes)
    assert right <= width and bottom <= height  # every label inside the drawing
    screenshot(page, name)
    return root


def test_demo_world_in_the_browser(page: Any, demo_svg: str) -> None:
    show(page, demo_svg, "subway-demo")


def test_demo_world_at_stage_level_in_the_browser(page: Any, demo: ReportData) -> None:
    show(page, subway_svg(demo, level="stage"), "subway-demo-stages")


def test_demo_world_main_flows_in_spanish_in_the_browser(page: Any, demo: ReportData) -> None:
    data = ReportData(demo.tables, demo.summary, demo.findings, journey=demo.journey, lang="es")
    show(page, subway_svg(data, min_share=0.004), "subway-demo-es-main-flows")


def test_six_stages_forty_touchpoints_in_the_browser(page: Any) -> None:
    data = synthetic_report([7, 7, 6, 7, 6, 7], name=lambda s, i: f"Touchpoint {s}.{i} review")
    root = show(page, subway_svg(data), "subway-6x40")
    assert len(stations(root)) == 40


def test_a_crowded_column_grows_the_drawing(page: Any) -> None:
    crowded = synthetic_report([3, 14, 2], name=lambda s, i: f"Step {s}-{i} with a long name")
    tall = show(page, subway_svg(crowded), "subway-crowded")
    short = parse(subway_svg(synthetic_report([3, 3, 2])))
    assert float(tall.get("height", 0)) > float(short.get("height", 0)) + 400
    grouped = show(page, subway_svg(crowded, max_stations_per_stage=5), "subway-grouped")
    assert len(stations(grouped)) == 3 + 6 + 2


def test_hostile_names_in_the_browser(page: Any) -> None:
    data = synthetic_report(
        [5, 4, 6], name=lambda s, i: f"{HOSTILE[(s + i) % len(HOSTILE)]} {s}-{i}",
        stage_name=lambda s: HOSTILE[s % len(HOSTILE)], unassigned=2,
    )  # fmt: skip
    data.filters = {"persona": HOSTILE[0], "segment": HOSTILE[1]}
    show(page, subway_svg(data), "subway-hostile")


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_maps_in_the_browser(page: Any, template: str, demo: ReportData) -> None:
    journey = build_template(template, "es")
    data = ReportData(demo.tables, demo.summary, demo.findings, journey=journey, lang="es")
    show(page, subway_svg(data, min_share=0.003), f"subway-template-{template}")
    show(page, subway_svg(ReportData({}, {}, [], journey=journey)), f"subway-empty-{template}")


def test_screenshots_are_written(demo_svg: str, page: Any) -> None:
    show(page, demo_svg, "subway-demo")
    assert Path(screenshot(page, "subway-demo")).stat().st_size > 10_000
