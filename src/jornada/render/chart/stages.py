"""Stage-by-stage bars: the funnel, the time spent in each stage, the channel mix."""

from __future__ import annotations

import math
from collections.abc import Callable

from jornada.i18n import t
from jornada.render import fmt, style
from jornada.render.chart.kit import (
    BAR,
    BAR_H,
    LINE,
    NAME_W,
    PAD,
    ROW,
    TRACK,
    WIDTH,
    Row,
    axis,
    bar_room,
    baseline,
    block,
    document,
    header,
    ink_on,
    is_missing,
    label,
    line,
    linear,
    no_data,
    ordered,
    phase_caption,
    rect,
    stage_phases,
    ticks,
    value_label,
    value_of,
    whole,
)
from jornada.render.data import ReportData
from jornada.render.text import text_width


def funnel_svg(data: ReportData) -> str:
    """Horizontal bars, one per stage in journey order: the share of journeys that reached
    the stage, with where journeys ended and how often they came back beside it."""
    lang, title = data.lang, t("charts.funnel.title", data.lang)
    rows = ordered(data, [r for r in data.rows("funnel") if r.get("stage") is not None])
    if not rows:
        return no_data("funnel", title, lang)
    reached = [whole(r, "cases_reached") for r in rows]
    total = int(data.summary.get("cases") or 0) or max(
        [whole(r, "cases_reached_or_passed") for r in rows] + reached + [1]
    )
    parts, y = header(
        title, t("charts.funnel.subtitle", lang, cases=fmt.number(total, lang)), WIDTH
    )
    notes_w = 170.0
    bar_x = PAD + NAME_W
    notes_x = WIDTH - PAD - notes_w
    shares = [n / total for n in reached]
    values = [
        t("charts.funnel.value", lang, share=fmt.share(s, lang), cases=fmt.number(n, lang))
        for s, n in zip(shares, reached, strict=True)
    ]
    length = bar_room(
        shares, [text_width(v, style.LABEL_SIZE) for v in values], notes_x - 16 - bar_x
    )
    phases = stage_phases(data, rows)
    previous: str | None = None
    for row, share, value in zip(rows, shares, values, strict=True):
        phase = phases.get(str(row["stage"]), "")
        if phase != previous and len({phases.get(str(r["stage"])) for r in rows}) > 1:
            parts.append(phase_caption(PAD, y + 12, phase, lang))
            y += 20
        previous = phase
        parts += _funnel_row(data, row, y, bar_x, length, share, value, notes_x)
        y += ROW + 8
    return document(WIDTH, y + PAD - 8, title, parts, kind="funnel")


def _funnel_row(
    data: ReportData,
    row: Row,
    y: float,
    bar_x: float,
    length: float,
    share: float,
    value: str,
    notes_x: float,
) -> list[str]:
    lang, mid = data.lang, y + ROW / 2
    name, _ = block(bar_x - 10, mid, data.name(str(row["stage"])), NAME_W - 14)
    width = share * length
    parts = [
        name,
        rect(bar_x, mid - BAR_H / 2, length, BAR_H, TRACK),
        rect(
            bar_x,
            mid - BAR_H / 2,
            width,
            BAR_H,
            BAR,
            class_="bar",
            data_stage=row["stage"],
            data_value=whole(row, "cases_reached"),
        ),
        value_label(bar_x, bar_x + width, mid, value, BAR),
    ]
    notes = [t("charts.funnel.dropped", lang, count=fmt.number(whole(row, "dropped_here"), lang))]
    extra = [
        t(f"charts.funnel.{key}", lang, count=fmt.number(row[key], lang))
        for key in ("revisited", "skipped")
        if not is_missing(row.get(key)) and row[key] > 0
    ]
    if extra:
        notes.append(" · ".join(extra))
    size = style.SMALL_SIZE + 1
    top = mid - (len(notes) - 1) * size * LINE / 2
    for i, note in enumerate(notes):
        parts.append(
            label(
                notes_x,
                baseline(top + i * size * LINE, size),
                note,
                size=size,
                fill=style.FRICTION if i == 0 else style.MUTED,
                cls="note",
            )
        )
    return parts


def stage_time_svg(data: ReportData) -> str:
    """Per stage in journey order, the median days spent in it as a bar and the 90th
    percentile as a whisker, so slow stages and long tails both show."""
    lang, title = data.lang, t("charts.stage_time.title", data.lang)
    rows = ordered(
        data,
        [
            r
            for r in data.rows("stage_time")
            if r.get("stage") is not None and not is_missing(r.get("median_days"))
        ],
    )
    if not rows:
        return no_data("stage_time", title, lang)
    parts, y = header(title, t("charts.stage_time.subtitle", lang), WIDTH)
    bar_x = PAD + NAME_W
    top = max(max(_p90(r), r["median_days"]) for r in rows) or 1.0
    steps = ticks(0, top, 5)
    digits = max(0, -math.floor(math.log10(steps[1] - steps[0]) + 1e-9))
    label_w = max(text_width(_time_label(r, lang), style.LABEL_SIZE) for r in rows)
    scale = linear(0, steps[-1], bar_x, WIDTH - PAD - label_w - 10)
    y0 = y
    body = []
    for row in rows:
        body += _time_row(data, row, y, bar_x, scale)
        y += ROW
    grid = axis(
        scale,
        steps,
        y0 - 4,
        y + 4,
        lambda v: fmt.number(v, lang, digits),
        t("charts.stage_time.axis", lang),
    )
    return document(WIDTH, y + 34 + PAD, title, parts + grid + body, kind="stage_time")


def _p90(row: Row) -> float:
    value = value_of(row, "p90_days")
    return float(row["median_days"]) if value is None else value


def _time_label(row: Row, lang: str) -> str:
    """``24 · p90 86``: the median, then the 90th percentile when the table has one."""
    median = fmt.days(row["median_days"], lang)
    p90 = value_of(row, "p90_days")
    if p90 is None:
        return median
    return t("charts.stage_time.both", lang, median=median, p90=fmt.days(p90, lang))


def _time_row(
    data: ReportData, row: Row, y: float, bar_x: float, scale: Callable[[float], float]
) -> list[str]:
    """A stage's median bar, its whisker out to the 90th percentile, and one label after
    the whisker (always outside, so every row reads the same way)."""
    lang, mid = data.lang, y + ROW / 2
    name, _ = block(bar_x - 10, mid, data.name(str(row["stage"])), NAME_W - 14)
    x_med, x_p90 = scale(row["median_days"]), scale(_p90(row))
    bar = rect(
        bar_x,
        mid - BAR_H / 2,
        x_med - bar_x,
        BAR_H,
        BAR,
        class_="bar",
        data_stage=row["stage"],
        data_value=float(row["median_days"]),
    )
    parts = [name, bar]
    p90 = value_of(row, "p90_days")
    if p90 is not None:
        parts += [
            line(
                x_med,
                mid,
                x_p90,
                mid,
                style.INK,
                stroke_width=1.4,
                class_="whisker",
                data_value=p90,
            ),
            line(x_p90, mid - 6, x_p90, mid + 6, style.INK, stroke_width=1.4),
        ]
    text = _time_label(row, lang)
    parts.append(
        label(
            max(x_p90, x_med) + 6,
            baseline(mid, style.LABEL_SIZE),
            text,
            cls="value",
            data_stage=row["stage"],
        )
    )
    return parts


KINDS = ("online", "personal", "physical", "unknown")


def _kind_shares(row: Row) -> dict[str, float]:
    events = value_of(row, "events") or 0.0
    shares = {kind: (value_of(row, f"{kind}_share") or 0.0) for kind in KINDS[:3]}
    shares["unknown"] = (value_of(row, "unknown") or 0.0) / events if events else 0.0
    return shares


def channel_mix_svg(data: ReportData) -> str:
    """100 % stacked bars of online, personal and physical touches per stage and over all
    stages, against the ~65/35 online/offline reference for B2B buying."""
    lang, title = data.lang, t("charts.channel_mix.title", data.lang)
    all_rows = data.rows("channel_mix")
    stages = ordered(data, [r for r in all_rows if r.get("level") == "stage"])
    overall = [r for r in all_rows if r.get("level") in ("all", "overall")][:1]
    rows = [r for r in stages + overall if (value_of(r, "events") or 0.0) > 0]
    if not rows:
        return no_data("channel_mix", title, lang)
    kinds = [
        k for k in KINDS if k != "unknown" or any(_kind_shares(r)["unknown"] > 0 for r in rows)
    ]
    parts, y = header(title, t("charts.channel_mix.subtitle", lang), WIDTH)
    bar_x, bar_w = PAD + NAME_W, WIDTH - 2 * PAD - NAME_W
    legend, y = _legend(kinds, bar_x, y + 4, lang)
    references = [value_of(r, "reference_online_share") for r in rows]
    reference = next((v for v in references if v is not None), None)
    x_ref = bar_x + bar_w * (reference or 0.0)
    if reference is not None:
        legend.append(
            label(
                x_ref,
                y + 8,
                t("charts.channel_mix.reference", lang),
                size=style.SMALL_SIZE + 1,
                anchor="middle",
                fill=style.TARGET,
                cls="reference-label",
            )
        )
        y += 18
    spans: list[tuple[float, float]] = []
    for row in rows:
        is_all = row in overall
        y += 10 if is_all and stages else 0
        name = t("charts.channel_mix.all", lang) if is_all else data.name(str(row["stage"]))
        parts.append(block(bar_x - 10, y + ROW / 2, name, NAME_W - 14, bold=is_all)[0])
        parts += _stack(row, kinds, bar_x, bar_w, y + ROW / 2, lang)
        if not is_missing(row.get("reference_online_share")):
            spans.append((y + 3, y + ROW - 3))
        y += ROW
    if reference is not None:
        parts += _reference_line(x_ref, spans, reference)
    return document(WIDTH, y + PAD, title, parts + legend, kind="channel_mix")


def _legend(kinds: list[str], x: float, y: float, lang: str) -> tuple[list[str], float]:
    """Swatches with the channel kinds' names, in the order the bars stack them."""
    parts = []
    for kind in kinds:
        name = t(f"charts.channel.{kind}", lang)
        parts.append(rect(x, y - 9, 11, 11, style.CHANNEL_COLOURS[kind], rx=2))
        parts.append(label(x + 16, y, name, size=style.SMALL_SIZE + 1, cls="legend"))
        x += 16 + text_width(name, style.SMALL_SIZE + 1) + 18
    return parts, y + 16


def _stack(row: Row, kinds: list[str], x: float, width: float, mid: float, lang: str) -> list[str]:
    """One 100 % bar: a segment per channel kind, its share written inside when it fits."""
    parts = []
    shares = _kind_shares(row)
    total = sum(shares[k] for k in kinds) or 1.0
    for kind in kinds:
        share = shares[kind]
        w = width * share / total
        colour = style.CHANNEL_COLOURS[kind]
        text = fmt.share(share, lang, 0)
        parts.append(
            rect(
                x,
                mid - BAR_H / 2,
                w,
                BAR_H,
                colour,
                class_=f"segment {kind}",
                data_kind=kind,
                data_value=round(share, 6),
                tip=f"{t(f'charts.channel.{kind}', lang)}: {text}",
            )
        )
        if w >= text_width(text, style.SMALL_SIZE + 1) + 8:
            parts.append(
                label(
                    x + w / 2,
                    baseline(mid, style.SMALL_SIZE + 1),
                    text,
                    size=style.SMALL_SIZE + 1,
                    anchor="middle",
                    fill=ink_on(colour),
                    cls="value",
                    data_kind=kind,
                )
            )
        x += w
    return parts


def _reference_line(x: float, spans: list[tuple[float, float]], reference: float) -> list[str]:
    """The reference share as a dashed line through the rows it applies to."""
    merged: list[list[float]] = []
    for top, bottom in spans:
        if merged and top - merged[-1][1] <= 8 + 1e-6:
            merged[-1][1] = bottom
        else:
            merged.append([top, bottom])
    if merged:
        merged[0][0] -= 12
    return [
        line(
            x,
            top,
            x,
            bottom,
            style.TARGET,
            stroke_width=1.6,
            stroke_dasharray="4 3",
            class_="reference",
            data_value=reference,
        )
        for top, bottom in merged
    ]
