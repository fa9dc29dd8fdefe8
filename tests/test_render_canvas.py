"""The journey canvas and the empathy maps: structure against the map and the analysis
tables, escaping, and in a real Chromium no overlapping labels and no label out of its cell."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from jornada.errors import MapError
from jornada.model import JourneyMap
from jornada.model.templates import TEMPLATES, build_template
from jornada.render.canvas import canvas_svg
from jornada.render.data import ReportData
from jornada.render.empathy import empathy_maps, empathy_svg
from jornada.render.fmt import share
from tests.utils.browser import overlapping, screenshot, text_boxes
from tests.utils.report import demo_report

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert('x')</script> & \"Ünïcødé\" 🚀 " + "very long name " * 12


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    return demo_report(tmp_path_factory.mktemp("canvas"))


def with_map(data: ReportData, journey: JourneyMap | None, lang: str = "en") -> ReportData:
    """The same analysis drawn over another map (or none)."""
    return ReportData(data.tables, data.summary, data.findings, journey, lang)


def map_only(journey: JourneyMap) -> ReportData:
    return ReportData({}, {}, [], journey, journey.language.value)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and "DejaVu Sans" in (root.get("font-family") or "")
    assert root[0].tag == f"{SVG}title" and root[0].text
    assert "<script" not in svg and "href" not in svg and "@import" not in svg
    return root


def cells(root: ET.Element, lane: str) -> dict[str, ET.Element]:
    """The cells of ``lane`` by stage id (title cell under "")."""
    return {
        g.get("data-stage", ""): g
        for g in root.iter(f"{SVG}g")
        if "cell" in (g.get("class") or "").split() and g.get("data-lane") == lane
    }


def lanes(root: ET.Element) -> list[str]:
    """Lanes with a title cell, top to bottom (document order)."""
    found = []
    for g in root.iter(f"{SVG}g"):
        lane = g.get("data-lane")
        if g.get("class") == "cell" and g.get("data-stage") == "" and lane not in found:
            found.append(lane)
    return [lane for lane in found if lane not in {"header", "legend", "divider", "empty"}]


def items(cell: ET.Element, kind: str) -> list[ET.Element]:
    return [g for g in cell.iter(f"{SVG}g") if g.get("class") == kind]


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def stage_order(root: ET.Element) -> list[str]:
    heads = cells(root, "stage")
    return sorted(heads, key=lambda s: float(heads[s].find(f"{SVG}rect").get("x")))  # type: ignore[union-attr]


def minimal_map(name: str = "Minimal") -> JourneyMap:
    return JourneyMap.model_validate(
        {
            "id": "minimal",
            "name": name,
            "stages": [
                {"id": "awareness", "name": name, "phase": "pre_purchase"},
                {"id": "retention", "name": "Retention", "phase": "post_purchase"},
            ],
        }
    )


def hostile_map() -> JourneyMap:
    """Every kind of text a user types, at its worst."""
    return JourneyMap.model_validate(
        {
            "id": "hostile",
            "name": HOSTILE,
            "language": "en",
            "stages": [
                {"id": "s1", "name": HOSTILE, "phase": "pre_purchase", "customer_goals": [HOSTILE]},
                {"id": "s2", "name": "<b>post</b>", "phase": "post_purchase"},
            ],
            "business_units": [{"id": "bu", "name": HOSTILE}],
            "roles": [{"id": "role", "name": HOSTILE, "description": HOSTILE}],
            "personas": [
                {
                    "id": "p",
                    "name": HOSTILE,
                    "role": "role",
                    "department": HOSTILE,
                    "motivations": [HOSTILE],
                    "empathy": {"says": [HOSTILE], "pains": [HOSTILE, "a & b"]},
                }
            ],
            "touchpoints": [
                {
                    "id": "t1",
                    "name": HOSTILE,
                    "stage": "s1",
                    "channel": HOSTILE,
                    "channel_kind": "online",
                    "owner_bu": "bu",
                    "critical": True,
                }
            ],
            "emotions": [
                {"stage": "s1", "target": 1.5, "target_feeling": HOSTILE, "thoughts": [HOSTILE]}
            ],
            "pain_points": [{"id": "pp", "name": HOSTILE, "stage": "s2", "severity": "high"}],
            "moments_of_truth": [{"id": "m", "name": HOSTILE, "stage": "s1", "touchpoint": "t1"}],
            "content": [{"id": "c", "name": HOSTILE, "format": HOSTILE, "stages": ["s1", "s2"]}],
            "messages": [{"id": "msg", "name": HOSTILE, "kind": "other", "promise": HOSTILE}],
            "kpis": [{"id": "k", "name": HOSTILE, "metric": "nps", "unit": HOSTILE, "target": 4}],
            "initiatives": [
                {
                    "id": "i",
                    "name": HOSTILE,
                    "owner": HOSTILE,
                    "pain_points": ["pp"],
                    "status": "in_progress",
                    "progress": 55,
                }
            ],
        }
    )


# Structure -----------------------------------------------------------------------------


def test_columns_follow_the_map_with_phases_apart(demo: ReportData) -> None:
    assert demo.journey is not None
    root = parse(canvas_svg(demo))
    assert stage_order(root) == [s.id for s in demo.journey.stages]
    assert set(cells(root, "phase")) == {"pre_purchase", "post_purchase"}
    divider = cells(root, "divider")[""]
    assert texts(divider) == ["Purchase"]
    # The divider sits between the last pre- and the first post-purchase column.
    line = next(e for e in root.iter(f"{SVG}line") if e.get("class") == "divider")
    heads = cells(root, "stage")
    last_pre = float(heads["purchase"].find(f"{SVG}rect").get("x"))  # type: ignore[union-attr, arg-type]
    first_post = float(heads["onboarding"].find(f"{SVG}rect").get("x"))  # type: ignore[union-attr, arg-type]
    assert last_pre < float(line.get("x1")) < first_post  # type: ignore[arg-type]


def test_stage_headers_carry_the_funnel(demo: ReportData) -> None:
    root = parse(canvas_svg(demo))
    heads = cells(root, "stage")
    funnel = sorted(demo.rows("funnel"), key=lambda r: r["position"])
    for row in funnel:
        words = " ".join(texts(heads[row["stage"]]))
        assert f"{row['cases_reached']:,} journeys" in words
        assert ("move on" in words) == (row is not funnel[-1]), row["stage"]


def test_lanes_present_in_order_and_every_stage_has_a_cell(demo: ReportData) -> None:
    root = parse(canvas_svg(demo))
    expected = [
        "goals",
        "touchpoints",
        "channels",
        "units",
        "experience",
        "pains",
        "moments",
        "content",
        "messages",
        "kpis",
        "initiatives",
    ]
    assert lanes(root) == expected
    stages = {s.id for s in demo.journey.stages}  # type: ignore[union-attr]
    for lane in expected:
        assert set(cells(root, lane)) == stages | {""}, lane
    assert texts(cells(root, "touchpoints")[""])[0] == "Touchpoints"


def test_every_map_touchpoint_appears_once_in_its_stage(demo: ReportData) -> None:
    assert demo.journey is not None
    root = parse(canvas_svg(demo))
    by_stage = cells(root, "touchpoints")
    seen: dict[str, str] = {}
    for stage, cell in by_stage.items():
        for item in items(cell, "touchpoint"):
            touchpoint = item.get("data-touchpoint", "")
            assert touchpoint not in seen, touchpoint
            seen[touchpoint] = stage
    for tp in demo.journey.touchpoints:
        assert seen.get(tp.id) == tp.stage, tp.id


def test_designed_and_observed_differences_match_the_table(demo: ReportData) -> None:
    root = parse(canvas_svg(demo))
    rows = demo.rows("designed_vs_actual")
    never = {
        r["subject"]
        for r in rows
        if r["kind"].endswith("never_observed") or r["kind"] == "critical_not_observed"
    }
    unmapped = {(r["subject"], r["stage"]) for r in rows if r["kind"] == "activity_not_in_map"}
    assert never and unmapped, "the demo world plants both differences"
    marked: dict[str, set[tuple[str, str]]] = {"never": set(), "unmapped": set()}
    for stage, cell in cells(root, "touchpoints").items():
        for item in items(cell, "touchpoint"):
            state = item.get("data-state", "")
            if state in marked:
                marked[state].add((item.get("data-touchpoint", ""), stage))
                frame = item.find(f"{SVG}rect")
                assert frame is not None
                assert (frame.get("stroke-dasharray") is not None) == (state == "never")
    assert {tp for tp, _ in marked["never"]} == never
    assert marked["unmapped"] == unmapped
    observed = items(cells(root, "touchpoints")["awareness"], "touchpoint")[0]
    events = next(
        r["events"]
        for r in demo.rows("touchpoint_profile")
        if r["touchpoint"] == observed.get("data-touchpoint")
    )
    assert f"{events:,} touches" in " ".join(texts(observed))


def test_kpis_show_target_and_actual_when_measured(demo: ReportData) -> None:
    assert demo.journey is not None
    root = parse(canvas_svg(demo))
    shown = {
        item.get("data-kpi"): item
        for cell in cells(root, "kpis").values()
        for item in items(cell, "kpi")
    }
    assert set(shown) == {k.id for k in demo.journey.kpis}
    for kpi in demo.journey.kpis:
        assert shown[kpi.id].get("data-target") == f"{kpi.target:g}"
    win = shown["kpi-pu-win-rate"]
    assert float(win.get("data-actual", "")) == pytest.approx(demo.summary["win_rate"] * 100, 1e-3)
    assert f"Target 30% · actual {share(demo.summary['win_rate'], 'en', 1)}" in texts(win)
    nps = shown["kpi-re-nps"]
    assert nps.get("data-actual") == "" and "Target 45 points · no measure" in texts(nps)


def test_channel_bars_and_experience_follow_the_tables(demo: ReportData) -> None:
    root = parse(canvas_svg(demo))
    mix = {r["stage"]: r for r in demo.rows("channel_mix") if r["level"] == "stage"}
    for stage, cell in cells(root, "channels").items():
        if stage:
            bar = items(cell, "mix")[0]
            assert float(bar.get("data-online", "")) == pytest.approx(
                mix[stage]["online_share"], abs=1e-4
            )
    curve = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "curve")
    measured = [c for c in curve.iter(f"{SVG}circle") if "measured" in (c.get("class") or "")]
    observed = [
        r
        for r in demo.rows("experience_curve")
        if r["level"] == "stage" and r["observed"] is not None
    ]
    assert len(measured) == len(observed)
    low = [f["stage"] for f in demo.findings if f["kind"] == "emotion" and not f.get("touchpoint")]
    rings = [c for c in curve.iter(f"{SVG}circle") if c.get("class") == "low-point"]
    assert len(rings) == len(low) >= 1
    assert "Low point" in texts(cells(root, "experience")[low[0]])


def test_pain_points_and_content_gaps_from_map_and_data(demo: ReportData) -> None:
    root = parse(canvas_svg(demo))
    pains = cells(root, "pains")
    quote = items(pains["purchase"], "pain")[0]
    assert quote.get("data-severity") == "high"
    worst = max(demo.rows("friction"), key=lambda r: r["score"])
    assert [i.get("data-touchpoint") for i in items(pains[worst["stage"]], "friction")][0] == worst[
        "touchpoint"
    ]
    gaps = {
        (g.get("data-role"), stage)
        for stage, cell in cells(root, "content").items()
        for g in items(cell, "gap")
    }
    assert gaps == {(r["role"], r["stage"]) for r in demo.rows("content_gaps")}


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_maps_render_with_and_without_data(demo: ReportData, template: str) -> None:
    journey = build_template(template, "es")
    for data in (map_only(journey), with_map(demo, journey, "es")):
        root = parse(canvas_svg(data))
        assert stage_order(root) == [s.id for s in journey.stages]
        shown = [
            (item.get("data-touchpoint"), stage)
            for stage, cell in cells(root, "touchpoints").items()
            for item in items(cell, "touchpoint")
            if item.get("data-state") != "unmapped"
        ]
        assert sorted(shown) == sorted((tp.id, tp.stage) for tp in journey.touchpoints)
        assert "Puntos de contacto" in texts(cells(root, "touchpoints")[""])
        assert len(items(root, "kpi")) == len(journey.kpis)
        assert len(items(root, "initiative")) == len(journey.initiatives)


def test_minimal_map_draws_columns_and_says_there_is_nothing_yet() -> None:
    root = parse(canvas_svg(map_only(minimal_map())))
    assert stage_order(root) == ["awareness", "retention"]
    assert lanes(root) == []
    assert "Nothing in the stages yet" in texts(cells(root, "empty")[""])[0]


def test_minimal_map_with_data_shows_only_measured_lanes(demo: ReportData) -> None:
    root = parse(canvas_svg(with_map(demo, minimal_map())))
    assert lanes(root) == ["touchpoints", "channels", "experience"]
    # Touches at its stages that the map lacks are the only touchpoints.
    shown = {(i.get("data-touchpoint"), i.get("data-state")) for i in items(root, "touchpoint")}
    unmapped = {
        r["subject"]
        for r in demo.rows("designed_vs_actual")
        if r["kind"] == "activity_not_in_map" and r["stage"] in {"awareness", "retention"}
    }
    assert shown == {(tp, "unmapped") for tp in unmapped} != set()


def test_without_a_map_the_stages_and_touchpoints_come_from_the_data(demo: ReportData) -> None:
    root = parse(canvas_svg(with_map(demo, None)))
    funnel = sorted(demo.rows("funnel"), key=lambda r: r["position"])
    assert stage_order(root) == [r["stage"] for r in funnel]
    shown = sorted(
        (item.get("data-touchpoint"), stage)
        for stage, cell in cells(root, "touchpoints").items()
        for item in items(cell, "touchpoint")
    )
    assert shown == sorted((r["touchpoint"], r["stage"]) for r in demo.rows("touchpoint_profile"))
    assert lanes(root) == ["touchpoints", "channels", "units", "experience", "pains", "content"]


def test_no_stages_at_all() -> None:
    root = parse(canvas_svg(ReportData({}, {}, [], None, "pt")))
    assert "Não há etapas" in texts(cells(root, "empty")[""])[0]


def test_hostile_names_are_escaped_cut_and_kept_whole_in_titles(demo: ReportData) -> None:
    journey = hostile_map()
    for data in (map_only(journey), with_map(demo, journey)):
        svg = canvas_svg(data)
        root = parse(svg)
        labels = [t for t in texts(root) if "alert" in t]
        assert labels and all(len(t) < 60 for t in labels)
        titles = [t.text for t in root.iter(f"{SVG}title")]
        assert any(HOSTILE.strip() in (t or "") for t in titles)
    for svg in empathy_maps(map_only(journey)).values():
        parse(svg)


# Empathy maps ------------------------------------------------------------------------------


def quadrants(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-part", ""): g for g in root.iter(f"{SVG}g") if g.get("class") == "cell"}


def test_one_empathy_map_per_persona_and_described_role(demo: ReportData) -> None:
    journey = build_template("gartner", "en")
    maps = empathy_maps(map_only(journey))
    expected = [p.id for p in journey.personas] + [r.id for r in journey.roles if r.description]
    assert list(maps) == expected
    # The demo map's roles have no description: personas only.
    assert list(empathy_maps(demo)) == [p.id for p in demo.journey.personas]  # type: ignore[union-attr]


def test_a_role_map_gathers_its_personas(demo: ReportData) -> None:
    journey = build_template("gartner", "en")
    role = journey.roles[0]
    personas = [p for p in journey.personas if p.role == role.id]
    root = parse(empathy_svg(map_only(journey), role.id))
    shown = [
        g.find(f"{SVG}title").text
        for g in quadrants(root)["says"].iter(f"{SVG}g")
        if g.get("class") == "entry"
    ]  # type: ignore[union-attr]
    assert shown == [entry for p in personas for entry in p.empathy.says] != []
    assert role.description in " ".join(texts(root))


def test_empathy_quadrants_say_what_is_missing(demo: ReportData) -> None:
    persona = demo.journey.personas[0]  # type: ignore[union-attr]
    root = parse(empathy_svg(demo, persona.id))
    parts = quadrants(root)
    for field in ("says", "thinks", "does", "feels", "pains", "gains"):
        entries = getattr(persona.empathy, field)
        shown = [g for g in parts[field].iter(f"{SVG}g") if g.get("class") == "entry"]
        assert [g.find(f"{SVG}title").text for g in shown] == entries  # type: ignore[union-attr]
        assert ("not described yet" in texts(parts[field])) == (not entries)


def test_empathy_header_carries_measured_facts(demo: ReportData) -> None:
    persona = demo.journey.personas[0]  # type: ignore[union-attr]
    row = next(r for r in demo.rows("roles_engaged") if r["role"] == persona.role)
    root = parse(empathy_svg(demo, persona.id))
    facts = [" ".join(texts(g)) for g in root.iter(f"{SVG}g") if g.get("data-part") == "fact"]
    assert share(row["share_of_cases"], "en", 0) in facts[0]
    expected = (
        f"{share(row['win_rate_with'], 'en', 0)} vs {share(row['win_rate_without'], 'en', 0)}"
    )
    assert expected in facts[1]
    coverage = [r for r in demo.rows("content_coverage") if r["role"] == persona.role]
    covered = sum(1 for r in coverage if r["assets"] > 0)
    assert f"{covered} of {len(coverage)}" in facts[2]
    # Without data there are no facts, and the map still draws.
    bare = parse(empathy_svg(map_only(demo.journey), persona.id))  # type: ignore[arg-type]
    assert not [g for g in bare.iter(f"{SVG}g") if g.get("data-part") == "fact"]


def test_empathy_for_an_unknown_id_says_which_exist(demo: ReportData) -> None:
    with pytest.raises(MapError, match="unknown persona or role 'nobody' \\(known: plant_director"):
        empathy_svg(demo, "nobody")


# In the browser ----------------------------------------------------------------------------

_OUTSIDE = """() => {
  const out = [];
  for (const text of document.querySelectorAll('svg text.lbl')) {
    const cell = text.closest('g.cell');
    if (!cell) { out.push(['no cell', text.textContent]); continue; }
    const f = cell.querySelector('rect.cell-frame').getBoundingClientRect();
    const r = text.getBoundingClientRect();
    const name = cell.dataset.lane || cell.dataset.part;
    if (r.left < f.left - 0.5 || r.right > f.right + 0.5 || r.top < f.top - 0.5
        || r.bottom > f.bottom + 0.5) out.push([name, text.textContent]);
  }
  return out;
}"""


def check_in_browser(page: Any, svg: str, name: str) -> None:
    page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
    boxes = text_boxes(page)
    assert boxes
    assert overlapping(boxes) == []
    assert page.evaluate(_OUTSIDE) == []
    path: Path = screenshot(page, name)
    assert path.stat().st_size > 10_000


def test_demo_canvas_in_chromium(page: Any, demo: ReportData) -> None:
    check_in_browser(page, canvas_svg(demo), "canvas-demo")
    check_in_browser(page, canvas_svg(with_map(demo, demo.journey, "es")), "canvas-demo-es")
    check_in_browser(page, canvas_svg(with_map(demo, None)), "canvas-data-only")


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_canvas_in_chromium(page: Any, demo: ReportData, template: str) -> None:
    journey = build_template(template, "pt")
    check_in_browser(page, canvas_svg(map_only(journey)), f"canvas-{template}")
    check_in_browser(page, canvas_svg(with_map(demo, journey, "pt")), f"canvas-{template}-data")


def test_edge_canvases_in_chromium(page: Any, demo: ReportData) -> None:
    check_in_browser(page, canvas_svg(map_only(minimal_map())), "canvas-minimal")
    check_in_browser(page, canvas_svg(with_map(demo, hostile_map())), "canvas-hostile")


def test_empathy_maps_in_chromium(page: Any, demo: ReportData) -> None:
    for key, svg in empathy_maps(demo).items():
        check_in_browser(page, svg, f"empathy-{key}")
    for key, svg in empathy_maps(map_only(build_template("gartner", "es"))).items():
        check_in_browser(page, svg, f"empathy-gartner-{key}")
    for key, svg in empathy_maps(map_only(hostile_map())).items():
        check_in_browser(page, svg, f"empathy-hostile-{key}")
