"""The subway map of the journey as observed (after Gartner's B2B buying-journey map).

Stages are ordered columns, pre-purchase apart from post-purchase; touchpoints are
stations in the column of their usual stage, filled with their channel kind's colour and
ringed with their owner's; flows between them are lines as wide as their volume, and
flows that go back to an earlier stage are red and dashed so the eye catches them.
Touchpoints that lift the win rate wear a star, those where journeys stall a warning sign.

Everything is laid out here, in Python, from measured text widths: labels are wrapped to
their column, stacked so they never overlap, and lines are drawn behind the stations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jornada.i18n import t
from jornada.render import fmt, style
from jornada.render.data import ReportData
from jornada.render.subway_graph import (
    MORE_PREFIX,
    Column,
    Flow,
    JourneyGraph,
    Station,
    build_graph,
)
from jornada.render.subway_legend import (
    Item,
    dot_icon,
    draw_legend,
    line_icon,
    ring_icon,
    star_icon,
    warning_icon,
)
from jornada.render.subway_parts import (
    ASCENT,
    DESCENT,
    LINE,
    cubic_bounds,
    esc,
    label,
    plate,
    root,
    star,
    text_height,
    warning,
)
from jornada.render.text import fit, text_width, wrap

__all__ = ["subway_svg"]

MARGIN = 28
COL_W = 200  # distance between two column centres (narrower past eight columns)
COL_W_NARROW = 172
COL_PAD = 5  # white gap between neighbouring column backgrounds
PHASE_GAP = 28  # extra room around the purchase divider
HEADER_SIZE = 13
NAME_SIZE = 11
NUM_SIZE = style.SMALL_SIZE
R_MIN, R_MAX = 5.0, 13.0  # station radius range (by events)
RING = 3.5  # owner ring, outside the station
W_MIN, W_MAX = 1.0, 14.0  # flow width range (by moves, square-root scale)
FLOW = "#7b8794"
STAGE_FILL = "#3e4c59"
MIN_WIDTH = 780
# Darker companions of style.PRE_PURCHASE / POST_PURCHASE for phase names and stage stations.
PHASE_COLOURS = {"pre_purchase": "#3b5b7f", "post_purchase": "#2f6b45"}


@dataclass(frozen=True)
class Spot:
    """Where a station is drawn."""

    station: Station
    cx: float
    cy: float
    r: float
    lines: list[str]
    label_y: float


def subway_svg(
    data: ReportData,
    *,
    level: str = "touchpoint",
    min_share: float = 0.0,
    max_stations_per_stage: int | None = None,
) -> str:
    """The subway map of ``data`` as a standalone SVG document.

    ``level`` is "touchpoint" (a station per touchpoint) or "stage" (a station per stage);
    ``min_share`` hides flows under that share of all moves; ``max_stations_per_stage``
    keeps the busiest touchpoints of each stage and folds the rest into "+k more".
    """
    graph = build_graph(
        data, level=level, min_share=min_share, max_stations_per_stage=max_stations_per_stage
    )
    return _Drawing(data, graph).svg()


class _Drawing:
    """One subway map being laid out; ``svg()`` returns the document."""

    def __init__(self, data: ReportData, graph: JourneyGraph) -> None:
        self.data = data
        self.lang = data.lang
        self.graph = graph
        self.col_w = COL_W if len(graph.columns) <= 8 else COL_W_NARROW
        self.divider = _divider_index(graph.columns)
        self.col_x = self._column_centres()
        self.width = max(
            MIN_WIDTH,
            2 * MARGIN + len(graph.columns) * self.col_w + (PHASE_GAP if self.divider else 0),
        )
        self.max_events = max((s.events for s in graph.stations), default=0)
        self.max_count = max((f.count for f in graph.flows), default=0)
        self.bu_colour = style.bu_colours(graph.business_units)

    # The whole drawing ---------------------------------------------------------------

    def svg(self) -> str:
        body: list[str] = []
        y = self._title(body)
        band_top = y
        header_top = band_top + 26
        body_top = header_top + self._header_height()
        if self.graph.level == "stage":
            spots, body_bottom = self._stage_spots(body_top)
        else:
            spots, body_bottom = self._touchpoint_spots(body_top)
        paths, lowest = self._flows(spots)
        body_bottom = max(body_bottom, lowest + 12)
        if not self.graph.columns:
            body_bottom = body_top + 90
        back: list[str] = []
        self._columns(back, band_top, header_top, body_top, body_bottom)
        self._stations(paths, spots)
        if self.graph.level == "stage":
            paths += self._flow_counts(spots)
        if not self.graph.stations:
            self._note(paths, body_top, body_bottom)
        legend, height = self._legend(body_bottom + 22)
        title = " · ".join(filter(None, [self._title_text(), self._summary()]))
        return root(self.width, height, title, body + back + paths + legend)

    # Title, summary, filters -----------------------------------------------------------

    def _title_text(self) -> str:
        key = "subway.title.stage" if self.graph.level == "stage" else "subway.title"
        return t(key, self.lang)

    def _summary(self) -> str:
        summary = self.data.summary
        parts = []
        if summary.get("cases") is not None:
            parts.append(t("subway.journeys", self.lang, count=self._n(summary["cases"])))
        if summary.get("events") is not None:
            parts.append(t("subway.events", self.lang, count=self._n(summary["events"])))
        touchpoints = sum(1 for s in self.graph.stations if not s.id.startswith(MORE_PREFIX)) + sum(
            len(s.hidden) for s in self.graph.stations
        )
        if self.graph.level == "touchpoint" and touchpoints:
            parts.append(t("subway.touchpoints", self.lang, count=self._n(touchpoints)))
        flows = self._n(len(self.graph.flows))
        if self.graph.min_share > 0:
            share = fmt.share(self.graph.min_share, self.lang)
            parts.append(t("subway.flows.min", self.lang, count=flows, share=share))
        elif self.graph.flows:
            parts.append(t("subway.flows.all", self.lang, count=flows))
        return " · ".join(parts)

    def _title(self, out: list[str]) -> float:
        room = self.width - 2 * MARGIN
        title = self._title_text()
        y = MARGIN + style.TITLE_SIZE * ASCENT
        out.append(
            label(
                MARGIN,
                y,
                [fit(title, style.TITLE_SIZE, room, bold=True)],
                style.TITLE_SIZE,
                bold=True,
                cls="title",
            )
        )
        y += style.TITLE_SIZE * DESCENT + 8 + style.LABEL_SIZE * ASCENT
        summary = self._summary()
        if summary:
            out.append(
                label(
                    MARGIN,
                    y,
                    [fit(summary, style.LABEL_SIZE, room)],
                    style.LABEL_SIZE,
                    full=summary,
                    fill=style.MUTED,
                    cls="summary",
                )
            )
            y += style.LABEL_SIZE * (DESCENT + LINE - 1) + 6 + style.LABEL_SIZE * ASCENT
        if self.data.filters:
            pairs = " · ".join(f"{k} = {v}" for k, v in self.data.filters.items())
            text = t("subway.filters", self.lang, filters=pairs)
            out.append(
                label(
                    MARGIN,
                    y,
                    [fit(text, style.LABEL_SIZE, room)],
                    style.LABEL_SIZE,
                    full=text,
                    fill=style.INK,
                    cls="filters",
                )
            )
            y += style.LABEL_SIZE * (DESCENT + LINE - 1) + 6
        return y + 14

    # Columns, phases, headers --------------------------------------------------------

    def _column_centres(self) -> list[float]:
        xs = []
        for index in range(len(self.graph.columns)):
            gap = PHASE_GAP if self.divider is not None and index >= self.divider else 0
            xs.append(MARGIN + gap + index * self.col_w + self.col_w / 2)
        return xs

    def _header_lines(self, column: Column) -> list[str]:
        return wrap(column.label, HEADER_SIZE, self.col_w - 2 * COL_PAD - 16, lines=2, bold=True)

    def _header_height(self) -> float:
        lines = max((len(self._header_lines(c)) for c in self.graph.columns), default=1)
        return 12 + text_height(lines, HEADER_SIZE) + 6 + text_height(1, NUM_SIZE) + 14

    def _columns(
        self, out: list[str], band_top: float, header_top: float, body_top: float, bottom: float
    ) -> None:
        """Column backgrounds tinted by phase, stage headers, phase names and the divider."""
        inner = self.col_w - 2 * COL_PAD
        for column, x in zip(self.graph.columns, self.col_x, strict=True):
            tint = {"pre_purchase": style.PRE_PURCHASE, "post_purchase": style.POST_PURCHASE}
            fill = tint.get(column.phase or "", style.PANEL)
            left = x - inner / 2
            out.append(
                f'<rect class="column" data-id="{esc(column.id)}" x="{left:.1f}" '
                f'y="{header_top:.1f}" width="{inner:.1f}" height="{bottom - header_top:.1f}" '
                f'rx="8" fill="{fill}"/>'
                f'<line x1="{left + 10:.1f}" y1="{body_top - 6:.1f}" x2="{left + inner - 10:.1f}"'
                f' y2="{body_top - 6:.1f}" stroke="{style.RULE}" stroke-width="1"/>'
            )
            lines = self._header_lines(column)
            y = header_top + 12 + HEADER_SIZE * ASCENT
            out.append(
                label(
                    x,
                    y,
                    lines,
                    HEADER_SIZE,
                    full=column.label,
                    anchor="middle",
                    bold=True,
                    cls="stage",
                )
            )
            if column.reached is not None:
                y += text_height(len(lines), HEADER_SIZE) - HEADER_SIZE * ASCENT + 6
                text = t("subway.reached", self.lang, count=self._n(column.reached))
                out.append(
                    label(
                        x,
                        y + NUM_SIZE * ASCENT,
                        [fit(text, NUM_SIZE, inner - 12)],
                        NUM_SIZE,
                        anchor="middle",
                        fill=style.MUTED,
                        cls="reached",
                    )
                )
        self._phases(out, band_top, bottom)

    def _phases(self, out: list[str], top: float, bottom: float) -> None:
        """Phase names over their columns and the labelled purchase divider between them."""
        columns = self.graph.columns
        if not columns:
            return
        half = (self.col_w - 2 * COL_PAD) / 2
        pill_half = 0.0
        divider_x = 0.0
        if self.divider is not None:
            divider_x = (self.col_x[self.divider - 1] + self.col_x[self.divider]) / 2
            text = t("subway.divider", self.lang)
            pill_half = text_width(text, NUM_SIZE, bold=True) / 2 + 9
            y = top + NUM_SIZE * ASCENT + 2
            out.append(
                f'<line class="divider" x1="{divider_x:.1f}" y1="{top + 16:.1f}" '
                f'x2="{divider_x:.1f}" y2="{bottom:.1f}" stroke="{style.MUTED}" '
                f'stroke-width="1.5" stroke-dasharray="5 4"/>'
                f'<rect x="{divider_x - pill_half:.1f}" y="{top - 3:.1f}" '
                f'width="{2 * pill_half:.1f}" height="{NUM_SIZE * 1.25 + 8:.1f}" rx="9" '
                f'fill="{style.INK}"/>'
            )
            out.append(
                label(
                    divider_x,
                    y + 2,
                    [text],
                    NUM_SIZE,
                    anchor="middle",
                    bold=True,
                    fill=style.PAPER,
                    cls="divider",
                )
            )
        for phase, first, last in _phase_spans(columns):
            left = self.col_x[first] - half
            right = self.col_x[last] + half
            if self.divider is not None and first == self.divider:
                left = max(left, divider_x + pill_half + 6)
            if self.divider is not None and last == self.divider - 1:
                right = min(right, divider_x - pill_half - 6)
            text = fit(t(f"subway.phase.{phase}", self.lang), NUM_SIZE, right - left - 4, bold=True)
            colour = PHASE_COLOURS[phase]
            out.append(
                f'<line x1="{left:.1f}" y1="{top + 17:.1f}" x2="{right:.1f}" y2="{top + 17:.1f}" '
                f'stroke="{colour}" stroke-width="2" stroke-linecap="round"/>'
            )
            out.append(
                label(
                    left + 2,
                    top + NUM_SIZE * ASCENT + 2,
                    [text],
                    NUM_SIZE,
                    bold=True,
                    fill=colour,
                    cls="phase",
                )
            )

    # Stations --------------------------------------------------------------------------

    def _radius(self, events: int, low: float = R_MIN, high: float = R_MAX) -> float:
        if self.max_events <= 0:
            return low
        return low + (high - low) * math.sqrt(max(events, 0) / self.max_events)

    def _touchpoint_spots(self, top: float) -> tuple[dict[str, Spot], float]:
        """Stations stacked in their column, busiest first, each with its wrapped name."""
        spots: dict[str, Spot] = {}
        bottom = top + 120
        room = self.col_w - 2 * COL_PAD - 14
        index = {c.id: i for i, c in enumerate(self.graph.columns)}
        by_column: dict[str, list[Station]] = {}
        for station in self.graph.stations:
            by_column.setdefault(station.column, []).append(station)
        for column_id, members in by_column.items():
            x = self.col_x[index[column_id]]
            y = top + 4
            for station in _column_order(members):
                lines = wrap(station.label, NAME_SIZE, room, lines=2)
                cy = y + R_MAX + RING + 6
                label_y = cy + R_MAX + RING + 5 + NAME_SIZE * ASCENT
                r = self._radius(station.events)
                spots[station.id] = Spot(station, x, cy, r, lines, label_y)
                y = label_y - NAME_SIZE * ASCENT + text_height(len(lines), NAME_SIZE) + 10
            bottom = max(bottom, y + 8)
        return spots, bottom

    def _stage_spots(self, top: float) -> tuple[dict[str, Spot], float]:
        """One station per stage on one line, with room above and below for the arcs."""
        above, below = self._arc_room()
        cy = top + max(above, 24) + 22 + 8
        spots = {}
        for station, x in zip(self.graph.stations, self.col_x, strict=True):
            r = self._radius(station.events, 9, 22)
            spots[station.id] = Spot(station, x, cy, r, [], cy + 22 + 8 + NUM_SIZE * ASCENT)
        return spots, cy + 22 + 8 + text_height(1, NUM_SIZE) + max(below, 24) + 12

    def _arc_room(self) -> tuple[float, float]:
        """How far the stage-level arcs reach above and below the stations."""
        index = {s.id: i for i, s in enumerate(self.graph.stations)}
        above = below = 0.0
        for flow in self.graph.flows:
            if flow.source not in index or flow.target not in index:
                continue
            span = abs(index[flow.target] - index[flow.source])
            reach = 0.75 * _arc_height(span * self.col_w) + W_MAX / 2 + 18  # and its count
            if flow.backward:
                below = max(below, reach)
            elif span > 1:
                above = max(above, reach)
        return above, below

    def _stations(self, out: list[str], spots: dict[str, Spot]) -> None:
        """Stations over the flows: channel fill, owner ring, markers, name and events."""
        for spot in spots.values():
            out.append(self._station(spot))
        for spot in spots.values():
            out.append(self._station_labels(spot))

    def _station(self, spot: Spot) -> str:
        s = spot.station
        if s.channel_kind == "stage":
            fill = PHASE_COLOURS.get(self._phase_of(s.column), STAGE_FILL)
        else:
            fill = style.CHANNEL_COLOURS[s.channel_kind]
        ring = self.bu_colour.get(s.business_unit or "", None)
        events = self._n(s.events)
        name = s.label if not s.hidden else f"{s.label}: {', '.join(s.hidden)}"
        title = t("subway.station.title", self.lang, name=name, events=events)
        parts = [
            f'<g class="station" data-id="{esc(s.id)}" data-column="{esc(s.column)}" '
            f'data-events="{s.events}"><title>{esc(title)}</title>'
        ]
        if ring or not s.in_map:
            dash = "" if s.in_map else ' stroke-dasharray="3.5 2.5"'
            parts.append(
                f'<circle class="ring" cx="{spot.cx:.1f}" cy="{spot.cy:.1f}" '
                f'r="{spot.r + RING / 2 + 1:.1f}" fill="{style.PAPER}" '
                f'stroke="{ring or style.MUTED}" stroke-width="{RING}"{dash}/>'
            )
        edge = f'stroke="{style.PAPER}" stroke-width="1.5"'
        if s.hidden:  # "+k more": an open, dashed station
            fill, edge = (
                style.PANEL,
                f'stroke="{style.MUTED}" stroke-width="1.5" stroke-dasharray="3 2"',
            )
        parts.append(
            f'<circle class="dot" cx="{spot.cx:.1f}" cy="{spot.cy:.1f}" r="{spot.r:.1f}" '
            f'fill="{fill}" {edge}/></g>'
        )
        outer = spot.r + (RING + 1 if ring or not s.in_map else 1)
        mx = spot.cx - outer - 8
        if s.friction:
            parts.append(
                f'<circle class="friction-ring" cx="{spot.cx:.1f}" cy="{spot.cy:.1f}" '
                f'r="{outer + 3:.1f}" fill="none" stroke="{style.FRICTION}" stroke-width="2"/>'
            )
            mx -= 3
        if s.critical or s.marked_critical:
            parts.append(
                f'<g class="marker critical" data-id="{esc(s.id)}" '
                f'data-proven="{str(s.critical).lower()}">'
                + star(mx, spot.cy - 7, 8, filled=s.critical)
                + "</g>"
            )
        if s.friction:
            parts.append(
                f'<g class="marker friction" data-id="{esc(s.id)}">'
                + warning(mx, spot.cy + 9, 14)
                + "</g>"
            )
        return "".join(parts)

    def _station_labels(self, spot: Spot) -> str:
        s = spot.station
        number = self._n(s.events)
        if self.graph.level == "stage":
            return label(
                spot.cx,
                spot.label_y,
                [number],
                NUM_SIZE,
                anchor="middle",
                fill=style.MUTED,
                cls="events",
                halo=True,
            )
        ringed = s.business_unit in self.bu_colour or not s.in_map
        outer = spot.r + (RING + 1 if ringed else 1)
        num_y = spot.cy - 3
        backing = plate(spot.cx, spot.label_y, spot.lines, NAME_SIZE)
        return (
            backing
            + label(
                spot.cx,
                spot.label_y,
                spot.lines,
                NAME_SIZE,
                full=s.label,
                anchor="middle",
                cls="name",
                halo=True,
            )
            + label(
                spot.cx + outer + 4,
                num_y,
                [number],
                NUM_SIZE,
                fill=style.MUTED,
                cls="events",
                halo=True,
            )
        )

    def _note(self, out: list[str], top: float, bottom: float) -> None:
        """A "no observed journeys" plate across the columns (or the page without any)."""
        text = t("subway.no_data", self.lang)
        if self.graph.columns:
            left = self.col_x[0] - self.col_w / 2
            right = self.col_x[-1] + self.col_w / 2
        else:
            left, right = MARGIN, self.width - MARGIN
        y = (top + bottom) / 2
        size = style.LABEL_SIZE + 2
        shown = fit(text, size, right - left - 20)
        width = text_width(shown, size) + 28
        out.append(
            f'<rect x="{(left + right - width) / 2:.1f}" y="{y - size * ASCENT - 8:.1f}" '
            f'width="{width:.1f}" height="{size * (ASCENT + DESCENT) + 16:.1f}" rx="6" '
            f'fill="{style.PAPER}" stroke="{style.RULE}"/>'
        )
        out.append(
            label(
                (left + right) / 2, y, [shown], size, anchor="middle", fill=style.MUTED, cls="note"
            )  # fmt: skip
        )

    # Flows -----------------------------------------------------------------------------

    def _width(self, count: int) -> float:
        if self.max_count <= 0:
            return W_MIN
        return W_MIN + (W_MAX - W_MIN) * math.sqrt(max(count, 0) / self.max_count)

    def _flows(self, spots: dict[str, Spot]) -> tuple[list[str], float]:
        """Flow paths, thinnest first and backward flows last, and the lowest y they reach."""
        col = {c.id: i for i, c in enumerate(self.graph.columns)}
        drawn: list[tuple[int, int, str]] = []
        lowest = 0.0
        for flow in self.graph.flows:
            a, b = spots.get(flow.source), spots.get(flow.target)
            if a is None or b is None:
                continue
            curve = self._curve(a, b, col[a.station.column], col[b.station.column], flow)
            lowest = max(lowest, cubic_bounds(*curve)[3])
            drawn.append((int(flow.backward), flow.count, self._path(flow, curve, a, b)))
        drawn.sort(key=lambda d: (d[0], d[1]))
        return [d[2] for d in drawn], lowest

    def _flow_counts(self, spots: dict[str, Spot]) -> list[str]:
        """At stage level, each flow's number of moves beside the middle of its line: above
        lines and upper arcs, below the lower (backward) arcs."""
        col = {c.id: i for i, c in enumerate(self.graph.columns)}
        out = []
        for flow in self.graph.flows:
            a, b = spots.get(flow.source), spots.get(flow.target)
            if a is None or b is None:
                continue
            p0, p1, p2, p3 = self._curve(a, b, col[a.station.column], col[b.station.column], flow)
            x = (p0[0] + 3 * p1[0] + 3 * p2[0] + p3[0]) / 8
            y = (p0[1] + 3 * p1[1] + 3 * p2[1] + p3[1]) / 8
            half = self._width(flow.count) / 2
            if flow.backward:
                y += half + 4 + NUM_SIZE * ASCENT
            else:
                y -= half + 5
            colour = style.BACKWARD if flow.backward else style.MUTED
            out.append(
                label(
                    x,
                    y,
                    [self._n(flow.count)],
                    NUM_SIZE,
                    anchor="middle",
                    fill=colour,
                    cls="flow-count",
                    halo=True,
                )  # fmt: skip
            )
        return out

    def _curve(
        self, a: Spot, b: Spot, ca: int, cb: int, flow: Flow
    ) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]:
        """The cubic Bézier of a flow: an S between columns, a dip under the stations for
        backward flows, a loop out to the side within a column, arcs at stage level."""
        p0, p3 = (a.cx, a.cy), (b.cx, b.cy)
        dx = b.cx - a.cx
        if self.graph.level == "stage" and (flow.backward or abs(cb - ca) > 1):
            h = _arc_height(abs(dx)) * (1 if flow.backward else -1)
            return p0, (a.cx, a.cy + h), (b.cx, b.cy + h), p3
        if ca == cb:
            dy = b.cy - a.cy
            bulge = min(0.34 * self.col_w, 16 + 0.25 * abs(dy)) * (1 if dy > 0 else -1)
            return p0, (a.cx + bulge, a.cy), (b.cx + bulge, b.cy), p3
        if flow.backward or dx < 0:
            k = 0.3 * abs(dx)
            dip = min(36 + 0.1 * abs(dx), 90)
            return p0, (a.cx - k, a.cy + dip), (b.cx + k, b.cy + dip), p3
        return p0, (a.cx + dx / 2, a.cy), (b.cx - dx / 2, b.cy), p3

    def _path(
        self,
        flow: Flow,
        curve: tuple[tuple[float, float], ...],
        a: Spot,
        b: Spot,
    ) -> str:
        width = self._width(flow.count)
        share = math.sqrt(flow.count / self.max_count) if self.max_count else 0.0
        d = "M{:.1f},{:.1f} C{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}".format(
            *(v for point in curve for v in point)
        )
        classes = ["flow"]
        if flow.backward:
            classes.append("backward")
            colour, opacity = style.BACKWARD, 0.18 + 0.72 * share
            dash = f' stroke-dasharray="{max(5, 2 * width):.0f} {max(3, 1.2 * width):.0f}"'
        else:
            colour, opacity, dash = FLOW, 0.08 + 0.62 * share, ""
        if a.station.column == b.station.column:
            classes.append("within")
        key = "subway.flow.title_merged" if flow.merged else "subway.flow.title"
        title = t(
            key,
            self.lang,
            source=a.station.label,
            target=b.station.label,
            count=self._n(flow.count),
            cases=self._n(flow.cases),
        )
        return (
            f'<path class="{" ".join(classes)}" data-source="{esc(flow.source)}" '
            f'data-target="{esc(flow.target)}" data-count="{flow.count}" d="{d}" fill="none" '
            f'stroke="{colour}" stroke-width="{width:.2f}" stroke-opacity="{opacity:.2f}" '
            f'stroke-linecap="round"{dash}><title>{esc(title)}</title></path>'
        )

    # Legend ----------------------------------------------------------------------------

    def _legend(self, top: float) -> tuple[list[str], float]:
        """The key under the columns, with a how-to-read line when anything is drawn."""
        how = ""
        if self.graph.stations:
            level = "read_stage" if self.graph.level == "stage" else "read"
            how = t(f"subway.legend.{level}", self.lang)
        return draw_legend(self._legend_rows(), how, top, MARGIN, self.width - MARGIN)

    def _legend_rows(self) -> list[list[Item]]:
        """Rows of the key: channels, owners, signals, line widths (only what is drawn)."""
        lang = self.lang
        stations = [s for s in self.graph.stations if s.channel_kind != "stage" and not s.hidden]
        kinds = [k for k in style.CHANNEL_COLOURS if any(s.channel_kind == k for s in stations)]
        channels = [Item(t("subway.legend.channel", lang), bold=True)] if kinds else []
        channels += [
            Item(t(f"subway.channel.{k}", lang), dot_icon(style.CHANNEL_COLOURS[k])) for k in kinds
        ]
        owned = {s.business_unit for s in stations}
        units = [u for u in self.graph.business_units if u in owned]
        owners = [Item(t("subway.legend.owner", lang), bold=True)] if units else []
        owners += [Item(self.data.name(u), ring_icon(self.bu_colour[u])) for u in units]
        every = self.graph.stations
        signals = [
            Item(t(f"subway.legend.{key}", lang), icon, width)
            for key, icon, width, shown in (
                ("critical", star_icon(True), 14, any(s.critical for s in every)),
                ("marked", star_icon(False), 14,
                 any(s.marked_critical and not s.critical for s in every)),
                ("friction", warning_icon, 14, any(s.friction for s in every)),
                ("not_in_map", ring_icon(style.MUTED, dashed=True), 14,
                 any(not s.in_map for s in every)),
                ("backward", line_icon(style.BACKWARD, 3, dashed=True), 30,
                 any(f.backward for f in self.graph.flows)),
                ("events", dot_icon(style.MUTED), 14, bool(every)),
            )
            if shown
        ]  # fmt: skip
        widths = [Item(t("subway.legend.moves", lang), bold=True)] if self.graph.flows else []
        widths += [
            Item(self._n(count), line_icon(FLOW, self._width(count)), 30)
            for count in _samples(self.max_count)
        ]
        return [row for row in (channels, owners, signals, widths) if row]

    def _phase_of(self, column_id: str) -> str:
        return next((c.phase or "" for c in self.graph.columns if c.id == column_id), "")

    def _n(self, value: float | int) -> str:
        return fmt.number(value, self.lang)


# Helpers -----------------------------------------------------------------------------


def _divider_index(columns: list[Column]) -> int | None:
    """Index of the first post-purchase column that follows a pre-purchase one."""
    for index in range(1, len(columns)):
        if columns[index - 1].phase == "pre_purchase" and columns[index].phase == "post_purchase":
            return index
    return None


def _phase_spans(columns: list[Column]) -> list[tuple[str, int, int]]:
    """(phase, first index, last index) of each run of columns in one phase."""
    spans: list[tuple[str, int, int]] = []
    for index, column in enumerate(columns):
        if column.phase is None:
            continue
        if spans and spans[-1][0] == column.phase and spans[-1][2] == index - 1:
            spans[-1] = (column.phase, spans[-1][1], index)
        else:
            spans.append((column.phase, index, index))
    return spans


def _column_order(members: list[Station]) -> list[Station]:
    """Busiest station first; "+k more" always last."""
    return sorted(members, key=lambda s: (bool(s.hidden), -s.events, s.label, s.id))


def _arc_height(span: float) -> float:
    return 26 + 0.22 * span


def _samples(top: int) -> list[int]:
    """Two or three round counts under ``top`` for the line-width key."""
    if top <= 0:
        return []
    out: list[int] = [top]
    for fraction in (0.25, 0.04):
        value = _round(top * fraction)
        if 0 < value < out[-1]:
            out.append(value)
    return out


def _round(value: float) -> int:
    if value < 1:
        return 0
    magnitude = 10 ** math.floor(math.log10(value))
    return int(round(value / magnitude) * magnitude)
