"""The observed journey as a Mermaid flowchart, to paste into the Mermaid live editor, a
wiki or a Markdown file.

Ids become ``[A-Za-z0-9_]`` with a prefix (so no id is a Mermaid keyword such as ``end``),
labels are quoted, and the characters Mermaid or HTML would read as syntax are written as
Mermaid entity codes (``#quot;``, ``#lt;``...). Flows that go back to an earlier stage are
drawn red and dashed with ``linkStyle``.
"""

from __future__ import annotations

import re

from jornada.render import fmt, style
from jornada.render.data import ReportData
from jornada.render.subway_graph import JourneyGraph, build_graph

__all__ = ["journey_mermaid"]

_NOT_ID = re.compile(r"[^A-Za-z0-9_]")
_ENTITIES = {
    "#": "#35;",  # first: every code below starts with it
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    "|": "#124;",
    "%": "#37;",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# Mermaid refuses a flowchart with 500 edges or more ("Edge limit exceeded"), and the
# limit can only be raised by the page that embeds it, not from inside the diagram.
MAX_EDGES = 499
ID_LENGTH = 40


def journey_mermaid(data: ReportData, *, level: str = "stage", min_share: float = 0.0) -> str:
    """A Mermaid ``flowchart LR`` of the observed journey at ``level``.

    At stage level each stage is a node; at touchpoint level each stage is a subgraph of
    its touchpoints. Edges carry their number of moves; ``min_share`` hides edges under
    that share of all moves, and self-loops are left out, as on the subway map. Past
    ``MAX_EDGES`` flows only the largest are kept (a comment says how many were left out).
    """
    graph = build_graph(data, level=level, min_share=min_share)
    stages, ids = _node_ids(graph)
    lines = ["flowchart LR"]
    if level == "stage":
        lines += [f'    {ids[s.id]}["{label(s.label)}"]' for s in graph.stations]
    else:
        lines += _subgraphs(graph, stages, ids)
    backward: list[int] = []
    kept = graph.flows[:MAX_EDGES]  # flows come largest first
    if len(graph.flows) > len(kept):
        left = len(graph.flows) - len(kept)
        lines.append(f"    %% {left} smaller flows left out: Mermaid draws at most {MAX_EDGES}")
    for index, flow in enumerate(kept):
        count = fmt.number(flow.count, data.lang)
        lines.append(f'    {ids[flow.source]} -->|"{label(count)}"| {ids[flow.target]}')
        if flow.backward:
            backward.append(index)
    if backward:
        numbers = ",".join(str(i) for i in backward)
        lines.append(
            f"    linkStyle {numbers} stroke:{style.BACKWARD},stroke-width:2px,stroke-dasharray:5 4"
        )
    return "\n".join(lines) + "\n"


def label(text: str) -> str:
    """``text`` safe inside a Mermaid ``"..."`` label: syntax characters as entity codes,
    line breaks and control characters as spaces."""
    text = _CONTROL.sub(" ", text)
    return "".join(_ENTITIES.get(char, char) for char in text)


def node_id(raw: str, prefix: str) -> str:
    """A Mermaid node id from any id: ``prefix`` + the id (its first 40 characters) with
    other characters than ``[A-Za-z0-9_]`` as ``_``."""
    return prefix + _NOT_ID.sub("_", raw[:ID_LENGTH])


def _node_ids(graph: JourneyGraph) -> tuple[dict[str, str], dict[str, str]]:
    """Unique Mermaid ids for the stage columns and for the stations (a counter breaks
    clashes that sanitising creates)."""
    used: set[str] = set()

    def unique(raw: str, prefix: str) -> str:
        base = node_id(raw, prefix)
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}_{n}", n + 1
        used.add(candidate)
        return candidate

    stages = {c.id: unique(c.id, "s_") for c in graph.columns}
    if graph.level == "stage":
        return stages, {s.id: stages[s.column] for s in graph.stations}
    return stages, {s.id: unique(s.id, "t_") for s in graph.stations}


def _subgraphs(graph: JourneyGraph, stages: dict[str, str], ids: dict[str, str]) -> list[str]:
    """One subgraph per stage column holding its touchpoints, in column order."""
    lines: list[str] = []
    for column in graph.columns:
        members = [s for s in graph.stations if s.column == column.id]
        if not members:
            continue
        lines.append(f'    subgraph {stages[column.id]}["{label(column.label)}"]')
        lines += [f'        {ids[s.id]}["{label(s.label)}"]' for s in members]
        lines.append("    end")
    return lines
