"""The Mermaid export: one node per station, one edge per kept flow, backward edges styled,
ids and labels Mermaid reads as plain data whatever the names contain."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jornada.render.data import ReportData
from jornada.render.mermaid import MAX_EDGES, journey_mermaid, label
from tests.utils.journeys import HOSTILE, synthetic_report
from tests.utils.report import demo_report

NODE = re.compile(r'^\s+(\w+)\["([^"]*)"\]$')
EDGE = re.compile(r'^\s+(\w+) -->\|"([^"]*)"\| (\w+)$')
SUBGRAPH = re.compile(r'^\s+subgraph (\w+)\["([^"]*)"\]$')
LINKSTYLE = re.compile(r"^\s+linkStyle ([\d,]+) stroke:#cc3311")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    return demo_report(tmp_path_factory.mktemp("mermaid"), events=8_000)


def parsed(text: str) -> dict[str, Any]:
    """Nodes, edges, subgraphs and backward edge numbers of a flowchart we wrote."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    nodes = dict(m.groups() for line in lines if (m := NODE.match(line)))
    subgraphs = dict(m.groups() for line in lines if (m := SUBGRAPH.match(line)))
    edges = [m.groups() for line in lines if (m := EDGE.match(line))]
    styled = [m.group(1) for line in lines if (m := LINKSTYLE.match(line))]
    backward = {int(i) for i in styled[0].split(",")} if styled else set()
    known = sum(1 for line in lines if NODE.match(line) or EDGE.match(line))
    other = [
        line
        for line in lines[1:]
        if not (NODE.match(line) or EDGE.match(line) or SUBGRAPH.match(line))
        and line.strip() not in ("end", "")
        and not LINKSTYLE.match(line)
        and not line.strip().startswith("%%")
    ]
    assert not other, other
    assert known
    return {"nodes": nodes, "edges": edges, "subgraphs": subgraphs, "backward": backward}


def flows(data: ReportData, level: str, min_share: float = 0.0) -> list[dict[str, Any]]:
    rows = [r for r in data.rows("transitions") if r["level"] == level]
    floor = min_share * sum(r["count"] for r in rows)
    return [r for r in rows if r["source"] != r["target"] and r["count"] >= floor]


def test_stage_level_has_a_node_per_stage_and_an_edge_per_flow(demo: ReportData) -> None:
    chart = parsed(journey_mermaid(demo))
    assert demo.journey is not None
    assert list(chart["nodes"]) == [f"s_{s.id}" for s in demo.journey.stages]
    assert list(chart["nodes"].values()) == [s.label("en") for s in demo.journey.stages]
    expected = flows(demo, "stage")
    assert len(chart["edges"]) == len(expected)
    drawn = {(a[2:], b[2:], int(n.replace(",", ""))) for a, n, b in chart["edges"]}
    assert drawn == {(r["source"], r["target"], r["count"]) for r in expected}
    backward = {i for i, (a, _, b) in enumerate(chart["edges"]) if _backward(demo, a, b)}
    assert chart["backward"] == backward and backward


def _backward(data: ReportData, source: str, target: str) -> bool:
    for row in data.rows("transitions"):
        if (row["source"], row["target"]) == (source[2:], target[2:]):
            return bool(row["backward"])
    raise AssertionError((source, target))


def test_touchpoint_level_groups_touchpoints_by_stage(demo: ReportData) -> None:
    chart = parsed(journey_mermaid(demo, level="touchpoint", min_share=0.002))
    profile = demo.rows("touchpoint_profile")
    assert set(chart["nodes"]) == {f"t_{r['touchpoint']}" for r in profile}
    assert demo.journey is not None
    assert list(chart["subgraphs"])[:2] == ["s_awareness", "s_consideration"]
    expected = flows(demo, "touchpoint", 0.002)
    assert len(chart["edges"]) == len(expected) < len(flows(demo, "touchpoint"))
    assert all(_backward(demo, a, b) for i, (a, _, b) in enumerate(chart["edges"])
               if i in chart["backward"])  # fmt: skip


def test_edges_past_mermaid_limit_keep_the_largest() -> None:
    data = synthetic_report([60, 60, 60])
    every = flows(data, "touchpoint")
    assert len(every) > MAX_EDGES
    text = journey_mermaid(data, level="touchpoint")
    chart = parsed(text)
    assert len(chart["edges"]) == MAX_EDGES
    smallest_kept = min(int(n.replace(",", "")) for _, n, _ in chart["edges"])
    left_out = sorted(r["count"] for r in every)[: len(every) - MAX_EDGES]
    assert max(left_out) <= smallest_kept
    assert f"%% {len(every) - MAX_EDGES} smaller flows left out" in text


def test_hostile_names_become_safe_ids_and_quoted_labels() -> None:
    data = synthetic_report(
        [3, 3], name=lambda s, i: f"{HOSTILE[(s + i) % len(HOSTILE)]} {s}-{i}",
        stage_name=lambda s: ["end", 'sub"graph <b>'][s], unassigned=1,
    )  # fmt: skip
    text = journey_mermaid(data, level="touchpoint")
    chart = parsed(text)
    assert len(chart["nodes"]) == 7 and len(set(chart["nodes"])) == 7
    for node_id in list(chart["nodes"]) + list(chart["subgraphs"]):
        assert re.fullmatch(r"[st]_[A-Za-z0-9_]{1,45}", node_id), node_id
    for text_label in list(chart["nodes"].values()) + list(chart["subgraphs"].values()):
        assert '"' not in text_label and "<" not in text_label and ">" not in text_label
    assert label(f"{HOSTILE[0]} 0-0") in chart["nodes"].values()
    assert "#lt;script#gt;" in text and "#quot;quotes#quot;" in text
    assert "🚀" in text  # emoji stay as they are


def test_label_escapes_mermaid_syntax() -> None:
    assert label('a "b" <c> & #d; |e| `f` 100%') == (
        "a #quot;b#quot; #lt;c#gt; #amp; #35;d; #124;e#124; #96;f#96; 100#37;"
    )
    assert label("two\nlines\tand\x00nul") == "two lines and nul"


def test_empty_data_gives_a_valid_chart_of_the_map(demo: ReportData) -> None:
    chart = parsed(journey_mermaid(ReportData({}, {}, [], journey=demo.journey)))
    assert len(chart["nodes"]) == len(demo.journey.stages) if demo.journey else 0
    assert chart["edges"] == []
