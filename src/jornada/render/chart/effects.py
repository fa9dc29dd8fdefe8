"""What moves the outcome: touchpoints' win-rate lift and buying-group coverage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jornada.i18n import t
from jornada.render import fmt, style
from jornada.render.chart.kit import (
    BAR,
    PAD,
    WIDTH,
    Row,
    axis,
    bar_room,
    baseline,
    block,
    document,
    header,
    is_missing,
    label,
    line,
    linear,
    mix,
    no_data,
    rect,
    ticks,
    value_label,
    value_of,
    whole,
)
from jornada.render.data import ReportData
from jornada.render.text import text_width

RISE, FALL = "#0072b2", "#d55e00"  # lift above and below zero
CRIT_ROW = 34.0


def _lift_rows(data: ReportData, top: int) -> list[Row]:
    """The ``top`` touchpoints with the largest lift either way, highest lift first."""
    rows = [
        r
        for r in data.rows("touchpoint_lift")
        if r.get("touchpoint") is not None and not is_missing(r.get("lift"))
    ]
    chosen = sorted(rows, key=lambda r: -abs(float(r["lift"])))[: max(top, 0)]
    return sorted(chosen, key=lambda r: -float(r["lift"]))


def critical_bars_svg(data: ReportData, top: int = 12) -> str:
    """Win-rate lift per touchpoint (with minus without) as bars from a zero line with 95 %
    interval whiskers, the ``top`` largest effects sorted from most helpful to most harmful;
    beside them each touchpoint's Markov removal effect."""
    lang, title = data.lang, t("charts.critical.title", data.lang)
    rows = _lift_rows(data, top)
    markov = {
        str(r["touchpoint"]): float(r["removal_effect"])
        for r in data.rows("markov_removal")
        if r.get("touchpoint") is not None and not is_missing(r.get("removal_effect"))
    }
    if not rows:
        ranked = sorted(markov.items(), key=lambda kv: -kv[1])[: max(top, 0)]
        rows = [{"touchpoint": tp, "lift": None} for tp, _ in ranked]
    if not rows:
        return no_data("critical_bars", title, lang)
    width, name_w = 880.0, 190.0
    parts, y = header(title, t("charts.critical.subtitle", lang, top=len(rows)), width)
    lift_x = (PAD + name_w, width - PAD - 200)
    markov_x = (width - PAD - 176, width - PAD)
    panels = [(lift_x, "lift_panel", any(not is_missing(r.get("lift")) for r in rows))]
    panels.append((markov_x, "markov_panel", bool(markov)))
    for (x0, x1), key, present in panels:
        if not present:
            continue
        parts.append(
            block(
                x0,
                y + 4,
                t(f"charts.critical.{key}", lang),
                x1 - x0,
                size=style.SMALL_SIZE + 1,
                anchor="start",
                lines=1,
                bold=True,
            )[0]
        )
    y += 20
    y0 = y
    scale, steps = _lift_scale(rows, lift_x, lang)
    most = max(markov.values(), default=0.0) or 1.0
    body = []
    for row in rows:
        body += _lift_row(data, row, y, name_w, scale)
        effect = markov.get(str(row["touchpoint"]))
        if effect is not None:
            body += _markov_bar(row, effect, most, markov_x, y + CRIT_ROW / 2, lang)
        y += CRIT_ROW
    if steps:
        body.append(
            line(scale(0), y0 - 4, scale(0), y + 4, style.INK, stroke_width=1.2, class_="zero")
        )
        parts += axis(scale, steps, y0 - 4, y + 4, lambda v: _pp(v, lang))
    marked = any(r.get("marked_critical") is True for r in rows)
    legend, y = _critical_legend(PAD, y + 44, lang, marked)
    return document(width, y + PAD, title, parts + body + legend, kind="critical_bars")


def _pp(value: float, lang: str) -> str:
    """A tick in percentage points: ``+20``, ``0``, ``−10``."""
    if abs(value) < 1e-9:
        return "0"
    return ("+" if value > 0 else "−") + fmt.number(abs(value) * 100, lang)


def _lift_scale(
    rows: list[Row], span: tuple[float, float], lang: str
) -> tuple[Callable[[float], float], list[float]]:
    """Pixels for lifts, leaving room on each side for the labels that sit past the bars."""
    lifts = [r for r in rows if not is_missing(r.get("lift"))]
    if not lifts:
        return linear(0, 1, span[0], span[1]), []
    lows = [min(_ci(r)[0], float(r["lift"]), 0.0) for r in lifts]
    highs = [max(_ci(r)[1], float(r["lift"]), 0.0) for r in lifts]
    label_w = {
        sign: max(
            [
                text_width(fmt.points(float(r["lift"]), lang), style.SMALL_SIZE + 1)
                for r in lifts
                if (float(r["lift"]) >= 0) == (sign > 0)
            ]
            + [0.0]
        )
        for sign in (1, -1)
    }
    left = span[0] + (label_w[-1] + 8 if label_w[-1] else 8)
    right = span[1] - (label_w[1] + 8 if label_w[1] else 8)
    lo, hi = min(lows), max(highs)
    steps = [v for v in ticks(lo, hi, 4) if lo - 1e-9 <= v <= hi + 1e-9]
    return linear(lo, hi, left, right), steps


def _ci(row: Row) -> tuple[float, float]:
    lift = float(row["lift"])
    low, high = value_of(row, "ci_low"), value_of(row, "ci_high")
    return (lift if low is None else low, lift if high is None else high)


def _lift_row(
    data: ReportData, row: Row, y: float, name_w: float, scale: Callable[[float], float]
) -> list[str]:
    lang, mid = data.lang, y + CRIT_ROW / 2
    name = data.name(str(row["touchpoint"]))
    marked = row.get("marked_critical") is True
    text, box = block(PAD + name_w - 10, mid, name, name_w - (32 if marked else 14))
    parts = [text]
    if marked:  # the map calls it critical: a star before the name
        parts.append(
            label(
                box.x0 - 2,
                baseline(mid, style.LABEL_SIZE),
                "★",
                anchor="end",
                fill=style.CRITICAL,
                cls="critical-mark",
            )
        )
    if is_missing(row.get("lift")):
        return parts
    lift = float(row["lift"])
    low, high = _ci(row)
    known = value_of(row, "ci_low") is not None and value_of(row, "ci_high") is not None
    significant = known and (low > 0 or high < 0)
    colour = RISE if lift >= 0 else FALL
    fill = colour if significant else mix(colour, style.PAPER, 0.6)
    detail = t(
        "charts.critical.detail",
        lang,
        name=name,
        rate_with=fmt.share(row.get("win_rate_with"), lang),
        rate_without=fmt.share(row.get("win_rate_without"), lang),
        lift=fmt.points(lift, lang),
        low=fmt.points(low, lang),
        high=fmt.points(high, lang),
    )
    x0, x1 = scale(0), scale(lift)
    bar = rect(
        min(x0, x1),
        mid - 8,
        abs(x1 - x0),
        16,
        fill,
        stroke=colour if not significant else None,
        class_="bar",
        data_touchpoint=row["touchpoint"],
        data_value=round(lift, 6),
        data_ci_low=None if is_missing(row.get("ci_low")) else round(low, 6),
        data_ci_high=None if is_missing(row.get("ci_high")) else round(high, 6),
        data_significant=str(significant).lower(),
        tip=detail,
    )
    parts.append(bar)
    if (low, high) != (lift, lift):
        parts += [
            line(
                scale(low),
                mid,
                scale(high),
                mid,
                style.INK,
                stroke_width=1.2,
                class_="interval",
                data_low=round(low, 6),
                data_high=round(high, 6),
            ),
            line(scale(low), mid - 5, scale(low), mid + 5, style.INK, stroke_width=1.2),
            line(scale(high), mid - 5, scale(high), mid + 5, style.INK, stroke_width=1.2),
        ]
    edge = scale(max(high, lift) if lift >= 0 else min(low, lift))
    x = edge + 6 if lift >= 0 else edge - 6
    parts.append(
        label(
            x,
            baseline(mid, style.SMALL_SIZE + 1),
            fmt.points(lift, lang),
            size=style.SMALL_SIZE + 1,
            anchor="start" if lift >= 0 else "end",
            cls="value",
            data_touchpoint=row["touchpoint"],
        )
    )
    return parts


def _markov_bar(
    row: Row, effect: float, most: float, span: tuple[float, float], mid: float, lang: str
) -> list[str]:
    """The Markov removal effect: the share of conversions lost without the touchpoint."""
    text = fmt.share(effect, lang, 0)
    room = span[1] - span[0] - text_width(text, style.SMALL_SIZE + 1) - 10
    x1 = span[0] + max(effect, 0.0) / most * room
    colour = "#a3adb8"
    return [
        rect(
            span[0],
            mid - 7,
            x1 - span[0],
            14,
            colour,
            class_="markov",
            data_touchpoint=row["touchpoint"],
            data_value=round(effect, 6),
        ),
        value_label(span[0], x1, mid, text, colour, size=style.SMALL_SIZE + 1),
    ]


def _critical_legend(x: float, y: float, lang: str, marked: bool) -> tuple[list[str], float]:
    """What the star and the solid and pale bars mean (the star only when one is shown)."""
    size = style.SMALL_SIZE + 1
    parts = []
    items: list[tuple[str, str | None, str]] = [
        ("", RISE, t("charts.critical.significant", lang)),
        ("", mix(RISE, style.PAPER, 0.6), t("charts.critical.not_significant", lang)),
    ]
    if marked:
        items.insert(0, ("★", None, t("charts.critical.marked", lang)))
    for mark, fill, text in items:
        if fill is None:
            parts.append(label(x, y, mark, size=size, fill=style.CRITICAL, cls="legend"))
            x += text_width(mark, size) + 5
        else:
            parts.append(rect(x, y - 10, 18, 12, fill, stroke=RISE))
            x += 24
        parts.append(label(x, y, text, size=size, fill=style.MUTED, cls="legend"))
        x += text_width(text, size) + 22
    return parts, y + 4


WON, LOST = style.GOOD, "#9aa5b1"
METRICS = (
    ("contacts", "mean_contacts", "median_contacts", False),
    ("roles", "mean_roles", "median_roles", False),
    ("required", "mean_required_coverage", "median_required_coverage", True),
)


def coverage_svg(data: ReportData) -> str:
    """Won against lost journeys on buying-group size and coverage of the required roles,
    and the win rate at each level of required roles engaged."""
    lang, title = data.lang, t("charts.coverage.title", data.lang)
    groups = {str(r.get("outcome")): r for r in data.rows("buying_group")}
    outcomes: list[str] = [o for o in ("won", "lost") if o in groups]
    levels = sorted(
        (r for r in data.rows("role_coverage") if not is_missing(r.get("win_rate"))),
        key=lambda r: whole(r, "required_engaged"),
    )
    if not outcomes and not levels:
        return no_data("coverage", title, lang)
    parts, y = header(title, t("charts.coverage.subtitle", lang), WIDTH)
    split = PAD + 390
    spans = {"size_panel": (PAD, split - 30), "win_panel": (split + 10, WIDTH - PAD)}
    shown = {"size_panel": bool(outcomes), "win_panel": bool(levels)}
    bottom = y
    for key, (x0, x1) in spans.items():
        if shown[key]:
            text, box = block(
                x0,
                y - 4,
                t(f"charts.coverage.{key}", lang),
                x1 - x0,
                anchor="start",
                bold=True,
                hang=True,
            )
            parts.append(text)
            bottom = max(bottom, box.y1)
    left, y_left = _group_panel(data, groups, outcomes, spans["size_panel"], bottom + 2)
    right, y_right = _win_panel(data, levels, spans["win_panel"], bottom + 2)
    return document(WIDTH, max(y_left, y_right) + PAD, title, parts + left + right, kind="coverage")


def _group_panel(
    data: ReportData,
    groups: dict[str, Row],
    outcomes: list[str],
    span: tuple[float, float],
    y: float,
) -> tuple[list[str], float]:
    """Per measure, a bar for won and one for lost journeys (each measure on its own scale)."""
    lang = data.lang
    if not outcomes:
        return [], y
    parts: list[str] = []
    word_w = max(
        text_width(t(f"charts.coverage.{o}", lang), style.SMALL_SIZE + 1) for o in outcomes
    )
    bar_x = span[0] + word_w + 8
    for key, mean, median, is_share in METRICS:
        parts.append(
            label(
                span[0],
                y + 12,
                t(f"charts.coverage.{key}", lang),
                size=style.SMALL_SIZE + 1,
                fill=style.MUTED,
                cls="caption",
            )
        )
        y += 18
        values = [value_of(groups[o], mean) or 0.0 for o in outcomes]
        texts = [_group_value(groups[o], mean, median, is_share, lang) for o in outcomes]
        most = max(values) or 1.0
        length = bar_room(
            [v / most for v in values],
            [text_width(s, style.SMALL_SIZE + 1) for s in texts],
            span[1] - bar_x,
        )
        for outcome, value, text in zip(outcomes, values, texts, strict=True):
            mid = y + 11
            colour = WON if outcome == "won" else LOST
            parts += [
                label(
                    bar_x - 6,
                    baseline(mid, style.SMALL_SIZE + 1),
                    t(f"charts.coverage.{outcome}", lang),
                    size=style.SMALL_SIZE + 1,
                    anchor="end",
                    fill=style.INK,
                    cls="outcome",
                ),
                rect(
                    bar_x,
                    mid - 8,
                    value / most * length,
                    16,
                    colour,
                    class_=f"bar {outcome}",
                    data_measure=key,
                    data_outcome=outcome,
                    data_value=round(value, 6),
                ),
                value_label(
                    bar_x,
                    bar_x + value / most * length,
                    mid,
                    text,
                    colour,
                    size=style.SMALL_SIZE + 1,
                ),
            ]
            y += 22
        y += 8
    return parts, y


def _group_value(row: Row, mean: str, median: str, is_share: bool, lang: str) -> str:
    def show(value: Any) -> str:
        if is_share:
            return fmt.share(value, lang, 0)
        return fmt.number(value, lang, 0 if float(value).is_integer() else 1)

    if is_missing(row.get(mean)):
        return "–"
    if is_missing(row.get(median)):
        return show(row[mean])
    return t("charts.coverage.median", lang, value=show(row[mean]), median=show(row[median]))


def _win_panel(
    data: ReportData, levels: list[Row], span: tuple[float, float], y: float
) -> tuple[list[str], float]:
    """Vertical bars: the win rate of journeys at each number of required roles engaged."""
    lang = data.lang
    if not levels:
        return [], y
    parts: list[str] = []
    top, height = y + 28, 170.0
    base = top + height
    most = max(float(r["win_rate"]) for r in levels) or 1.0
    slot = (span[1] - span[0]) / len(levels)
    bar_w = min(64.0, slot * 0.6)
    for i, row in enumerate(levels):
        cx = span[0] + (i + 0.5) * slot
        rate = float(row["win_rate"])
        h = rate / most * height
        text = fmt.share(rate, lang)
        parts += [
            rect(
                cx - bar_w / 2,
                base - h,
                bar_w,
                h,
                BAR,
                class_="bar level",
                data_engaged=whole(row, "required_engaged"),
                data_value=round(rate, 6),
                data_cases=whole(row, "cases"),
            ),
            label(cx, base - h - 6, text, anchor="middle", bold=True, cls="value"),
            label(
                cx,
                base + 16,
                t(
                    "charts.coverage.level",
                    lang,
                    engaged=fmt.number(row.get("required_engaged") or 0, lang),
                    required=fmt.number(row.get("required_roles") or 0, lang),
                ),
                anchor="middle",
                cls="level",
            ),
            label(
                cx,
                base + 31,
                t("charts.coverage.cases", lang, count=fmt.number(row.get("cases") or 0, lang)),
                size=style.SMALL_SIZE,
                anchor="middle",
                fill=style.MUTED,
                cls="note",
            ),
        ]
    parts.append(line(span[0], base, span[1], base, style.INK, stroke_width=1))
    return parts, base + 36
