"""The experience curve: observed emotion per stage against the map's target.

Stages run left to right; the emotion scale (−2 very negative to +2 very positive) runs up.
The observed line is solid and labelled at every point, the target dashed; a dotted
stroke joins the two at each stage so the shortfall reads at a glance. Stages whose
answers dip are ringed and named; the part after purchase is shaded.
"""

from __future__ import annotations

from collections.abc import Callable

from jornada.i18n import t
from jornada.render import fmt, style
from jornada.render.chart.kit import (
    LINE,
    PAD,
    Box,
    Placer,
    Row,
    baseline,
    block,
    document,
    header,
    is_missing,
    label,
    line,
    linear,
    no_data,
    num,
    ordered,
    phase_caption,
    rect,
    shape,
    stage_phases,
    text_box,
    ticks,
    value_of,
    whole,
)
from jornada.render.data import ReportData

# The thresholds of jornada.insights.emotions (render may not import it): a stage dips
# when its answers sit at least DIP_MIN points below comparable answers, DIP_Z errors away.
DIP_MIN = 0.4
DIP_Z = 3.0
OBSERVED = "#0072b2"
WIDTH = 860.0
HEIGHT = 240.0  # of the plot
Scale = Callable[[float], float]


def _domain(rows: list[Row]) -> tuple[float, float]:
    """The part of the −2..+2 scale the values need, in half points, neutral included."""
    values = [float(r[k]) for r in rows for k in ("observed", "target") if not is_missing(r.get(k))]
    lo = max(-2.0, (int((min(values + [0.0]) - 0.45) * 2) - 1) / 2)
    hi = min(2.0, (int((max(values + [0.0]) + 0.3) * 2) + 1) / 2)
    return min(lo, -0.5), max(hi, 0.5)


def _score(value: float, lang: str, digits: int = 1) -> str:
    """A signed emotion score: ``+1.5``, ``0``, ``−0.15``."""
    if abs(value) < 1e-9:
        return "0"
    return ("+" if value > 0 else "−") + fmt.number(abs(value), lang, digits)


def emotion_curve_svg(data: ReportData) -> str:
    """How customers feel stage by stage: the observed emotion against the map's target,
    dips ringed, the part after purchase shaded."""
    lang, title = data.lang, t("charts.emotion.title", data.lang)
    rows = [r for r in data.rows("experience_curve") if r.get("level") == "stage"]
    rows = ordered(data, [r for r in rows if r.get("stage") is not None])
    if not any(not is_missing(r.get(k)) for r in rows for k in ("observed", "target")):
        return no_data("emotion_curve", title, lang)
    width = max(WIDTH, 2 * PAD + 128 + 104 * len(rows))  # a column per stage, 104 px or more
    parts, y = header(title, t("charts.emotion.subtitle", lang), width)
    x0, x1 = PAD + 44, width - PAD - 84
    col = (x1 - x0) / len(rows)
    xs = [x0 + (i + 0.5) * col for i in range(len(rows))]
    top = y + 28
    lo, hi = _domain(rows)
    ys = linear(lo, hi, top + HEIGHT, top)
    placer = Placer()
    # Labels stay inside the plot: the bands above and below it count as taken.
    placer.take(Box(x0, top - 60, x1 + 200, top - 4))
    placer.take(Box(x0, top + HEIGHT + 1, x1 + 200, top + HEIGHT + 200))
    parts += _frame(data, rows, (x0, x1), col, top)
    parts += _grid(lo, hi, ys, (x0, x1), lang)
    parts += _lines(data, rows, xs, ys, placer)
    parts += _stage_axis(data, rows, xs, col, top + HEIGHT)
    return document(width, top + HEIGHT + 56 + PAD, title, parts, kind="emotion_curve")


def _frame(
    data: ReportData, rows: list[Row], span: tuple[float, float], col: float, top: float
) -> list[str]:
    """The shaded part after purchase and the captions of both phases above the plot."""
    phases = stage_phases(data, rows)
    kinds = [phases.get(str(r["stage"]), "") for r in rows]
    if "post_purchase" not in kinds:
        return []
    first = kinds.index("post_purchase")
    x = span[0] + first * col
    parts = [
        rect(x, top - 24, span[1] - x, HEIGHT + 24, style.POST_PURCHASE, class_="post-purchase"),
        phase_caption(x + 6, top - 10, "post_purchase", data.lang),
    ]
    if first > 0:
        parts.append(phase_caption(span[0] + 6, top - 10, "pre_purchase", data.lang))
    return parts


def _grid(lo: float, hi: float, ys: Scale, span: tuple[float, float], lang: str) -> list[str]:
    """Faint lines every half point (neutral darker), their values on the left."""
    parts = []
    for value in ticks(lo, hi, 6):
        if not lo - 1e-9 <= value <= hi + 1e-9:
            continue
        stroke = style.MUTED if abs(value) < 1e-9 else style.RULE
        parts.append(line(span[0], ys(value), span[1], ys(value), stroke, stroke_width=0.8))
        parts.append(
            label(
                span[0] - 8,
                baseline(ys(value), style.SMALL_SIZE),
                _score(value, lang),
                size=style.SMALL_SIZE,
                anchor="end",
                fill=style.MUTED,
                cls="tick",
            )
        )
    return parts


def _runs(rows: list[Row], key: str, xs: list[float], ys: Scale) -> list[list[tuple[float, float]]]:
    """Runs of consecutive stages that have a value (a missing value breaks the line)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for row, x in zip(rows, xs, strict=True):
        if is_missing(row.get(key)):
            runs.append([])
        else:
            runs[-1].append((x, ys(float(row[key]))))
    return [run for run in runs if run]


def _path(run: list[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{num(x)},{num(y)}" for x, y in run)


def _lines(
    data: ReportData, rows: list[Row], xs: list[float], ys: Scale, placer: Placer
) -> list[str]:
    """The shortfall strokes, the target and observed lines, the points and their labels."""
    parts = []
    for row, x in zip(rows, xs, strict=True):
        if not is_missing(row.get("observed")) and not is_missing(row.get("target")):
            parts.append(
                line(
                    x,
                    ys(row["observed"]),
                    x,
                    ys(row["target"]),
                    style.MUTED,
                    stroke_width=1,
                    stroke_dasharray="1 3",
                    class_="gap",
                )
            )
    for key, look in (
        ("target", f'stroke="{style.TARGET}" stroke-width="2" stroke-dasharray="6 4"'),
        ("observed", f'stroke="{OBSERVED}" stroke-width="2.6"'),
    ):
        for run in _runs(rows, key, xs, ys):
            placer.avoid_path(run, margin=2.5)
            parts.append(f'<path d="{_path(run)}" fill="none" {look} class="{key}"/>')
            if len(run) == 1:  # a lone stage: a short tick so the value still shows
                ((x, y),) = run
                parts.append(
                    f'<path d="M{num(x - 10)},{num(y)} L{num(x + 10)},{num(y)}"'
                    f' fill="none" {look} class="{key}"/>'
                )
    for row, x in zip(rows, xs, strict=True):
        if not is_missing(row.get("observed")):
            parts += _point(row, x, ys, placer, data.lang)
    return parts + _line_ends(rows, xs, ys, placer, data.lang)


def _dips(row: Row) -> bool:
    dip, dip_z = value_of(row, "dip"), value_of(row, "dip_z")
    return dip is not None and dip_z is not None and dip <= -DIP_MIN and dip_z <= -DIP_Z


def _point(row: Row, x: float, ys: Scale, placer: Placer, lang: str) -> list[str]:
    """A dot with its value, on the side away from the target when there is room, and a
    ring with the word "dip" when the stage's answers dip."""
    observed = float(row["observed"])
    y = ys(observed)
    target = value_of(row, "target")
    below = target is not None and observed < target
    dips = _dips(row)
    parts = [
        shape(
            "circle",
            cx=x,
            cy=y,
            r=4.5,
            fill=OBSERVED,
            stroke=style.PAPER,
            stroke_width=1.5,
            class_="point",
            data_stage=row["stage"],
            data_value=observed,
            data_dip=str(dips).lower(),
        )
    ]
    ring = 10.0 if dips else 5.5
    placer.take(Box(x - ring, y - ring, x + ring, y + ring))
    if dips:
        parts.append(
            shape(
                "circle",
                cx=x,
                cy=y,
                r=ring,
                fill="none",
                stroke=style.FRICTION,
                stroke_width=2,
                class_="dip",
            )
        )
    texts = [(_score(observed, lang, 2), style.INK, False, "value")]
    if dips:
        texts.append((t("charts.emotion.dip", lang), style.FRICTION, True, "dip-label"))
    for text, colour, bold, cls in texts:
        spot = _spot(x, y, ring, text, bold, placer, below)
        if spot is not None:
            parts.append(
                label(
                    spot[0],
                    spot[1],
                    text,
                    size=style.SMALL_SIZE + 1,
                    anchor=spot[2],
                    fill=colour,
                    bold=bold,
                    cls=cls,
                )
            )
    return parts


def _spot(
    x: float, y: float, ring: float, text: str, bold: bool, placer: Placer, below: bool
) -> tuple[float, float, str] | None:
    """The first free place for a point's label: under or over it (the side away from the
    target first), then beside it; None when the plot has no room left near the point."""
    size = style.SMALL_SIZE + 1
    under = [(x, y + ring + 4 + size * (0.95 + i * LINE), "middle") for i in range(3)]
    over = [(x, y - ring - 4 - size * (0.26 + i * LINE), "middle") for i in range(3)]
    sides = [(x + ring + 4, baseline(y, size), "start"), (x - ring - 4, baseline(y, size), "end")]
    sides += [(x + ring + 2, y - ring, "start"), (x + ring + 2, y + ring + size, "start")]
    for cx, cy, anchor in (under + over if below else over + under) + sides:
        box = text_box(cx, cy, text, size, anchor, bold=bold)
        if placer.free(box):
            placer.take(box)
            return cx, cy, anchor
    return None


def _line_ends(rows: list[Row], xs: list[float], ys: Scale, placer: Placer, lang: str) -> list[str]:
    """Direct labels at the right end of each line instead of a legend."""
    parts = []
    for key, colour in (("observed", OBSERVED), ("target", style.TARGET)):
        ends = [
            (x, float(r[key])) for r, x in zip(rows, xs, strict=True) if not is_missing(r.get(key))
        ]
        if not ends:
            continue
        x, value = ends[-1][0] + 14, ends[-1][1]
        text = t(f"charts.emotion.{key}", lang)
        for shift in (0, 12, -12, 24, -24, 36, -36, 48, -48):
            base = baseline(ys(value) + shift, style.LABEL_SIZE)
            box = text_box(x, base, text, style.LABEL_SIZE, bold=True)
            if placer.free(box):
                placer.take(box)
                parts.append(label(x, base, text, fill=colour, bold=True, cls="series"))
                break
    return parts


def _stage_axis(
    data: ReportData, rows: list[Row], xs: list[float], col: float, base: float
) -> list[str]:
    """Stage names under the plot and the number of answers under each name."""
    parts = [line(xs[0] - col / 2, base, xs[-1] + col / 2, base, style.INK, stroke_width=1)]
    for row, x in zip(rows, xs, strict=True):
        name, box = block(
            x,
            base + 8,
            data.name(str(row["stage"])),
            col - 8,
            anchor="middle",
            size=style.SMALL_SIZE + 1,
            hang=True,
        )
        responses = whole(row, "responses")
        note = (
            t("charts.emotion.responses", data.lang, count=fmt.number(responses, data.lang))
            if responses
            else t("charts.emotion.no_answers", data.lang)
        )
        parts += [
            name,
            label(
                x,
                box.y1 + 13,
                note,
                size=style.SMALL_SIZE,
                anchor="middle",
                fill=style.MUTED,
                cls="note",
            ),
        ]
    return parts
