"""The canvas legend.

Only the signs of lanes the canvas shows are explained, each with the very shape the
canvas draws, so the legend cannot drift from the drawing.
"""

from __future__ import annotations

from collections.abc import Iterable

from jornada.i18n import t
from jornada.model.elements import InitiativeStatus, Severity
from jornada.render import canvas_marks as marks
from jornada.render.canvas_blocks import NOTE_SIZE, Block, esc, num, text_svg
from jornada.render.canvas_curve import (
    ESTIMATE_STYLE,
    OBSERVED_STYLE,
    TARGET_STYLE,
    gap_bar,
    observed_mark,
    target_mark,
)
from jornada.render.style import (
    CHANNEL_COLOURS,
    FRICTION,
    INK,
    LABEL_SIZE,
    MUTED,
    PAPER,
    RULE,
)
from jornada.render.text import fit, text_width

SAMPLE_W = 30.0
ROW_H = 20.0


def _chip(stroke: str, fill: str = PAPER, dashed: bool = False, width: float = 1.0) -> str:
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (
        f'<rect x="1" y="1" width="{num(SAMPLE_W - 2)}" height="12" rx="3" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{num(width)}"{dash}/>'
    )


def _meter_sample() -> str:
    return (
        f'<rect x="1" y="5.5" width="28" height="3" rx="1.5" fill="{RULE}"/>'
        f'<rect x="1" y="5.5" width="17" height="3" rx="1.5" fill="{CHANNEL_COLOURS["online"]}"/>'
    )


def _icon(svg: str) -> str:
    return f'<g transform="translate(10,2)">{svg}</g>'


def _line(style: str, mark: str) -> str:
    return f'<line x1="1" y1="7" x2="{num(SAMPLE_W - 1)}" y2="7" {style}/>{mark}'


def _samples(lang: str) -> list[tuple[str, str, str]]:
    """(lane, sample SVG in a 30 x 14 box, meaning) for every sign of the canvas."""

    def tr(key: str) -> str:
        return t(f"canvas.legend.{key}", lang)

    bar = (
        "".join(
            f'<rect x="{x}" y="3" width="{w}" height="8" fill="{CHANNEL_COLOURS[k]}"/>'
            for x, w, k in ((1, 17, "online"), (18, 7, "personal"), (25, 4, "physical"))
        )
        + f'<line x1="20.5" y1="0" x2="20.5" y2="14" stroke="{INK}" stroke-width="2"/>'
    )
    return [
        ("touchpoints", _chip(RULE), tr("designed")),
        ("touchpoints", _chip(INK, width=1.8), tr("critical")),
        ("touchpoints", _chip(MUTED, dashed=True), tr("never")),
        (
            "touchpoints",
            _chip(marks.UNMAPPED_STROKE, marks.UNMAPPED_FILL, width=1.4),
            tr("unmapped"),
        ),
        ("touchpoints", _meter_sample(), tr("meter")),
        ("touchpoints", _icon(marks.channel("online")), t("canvas.channel.online", lang)),
        ("touchpoints", _icon(marks.channel("personal")), t("canvas.channel.personal", lang)),
        ("touchpoints", _icon(marks.channel("physical")), t("canvas.channel.physical", lang)),
        ("channels", bar, tr("reference")),
        ("experience", _line(OBSERVED_STYLE, observed_mark(15, 7, True, False)), tr("observed")),
        ("experience", _line(ESTIMATE_STYLE, observed_mark(15, 7, False, False)), tr("estimate")),
        ("experience", _line(TARGET_STYLE, target_mark(15, 7)), tr("target")),
        ("experience", gap_bar(15, 13, 1), tr("gap_to_target")),
        ("experience", observed_mark(15, 7, True, True), tr("low")),
        ("pains", _icon(marks.severity(Severity.low)), t("canvas.severity.low", lang)),
        ("pains", _icon(marks.severity(Severity.medium)), t("canvas.severity.medium", lang)),
        ("pains", _icon(marks.severity(Severity.high)), t("canvas.severity.high", lang)),
        ("pains", _chip(FRICTION, marks.FRICTION_FILL) + _icon(marks.friction()), tr("friction")),
        ("moments", _icon(marks.star()), tr("moment")),
        ("content", _chip(FRICTION, marks.FRICTION_FILL, dashed=True), tr("gap")),
        ("kpis", _icon(marks.kpi(True)), tr("kpi_met")),
        ("kpis", _icon(marks.kpi(False)), tr("kpi_missed")),
        ("kpis", _icon(marks.kpi(None)), tr("kpi_none")),
        ("initiatives", _icon(marks.progress(InitiativeStatus.in_progress, 0.4)), tr("progress")),
    ]


def legend(lang: str, lanes: Iterable[str], width: float) -> Block:
    """The legend for the lanes shown, as rows of sample + meaning wrapped to ``width``."""
    shown = set(lanes)
    entries = [(sample, text) for lane, sample, text in _samples(lang) if lane in shown]
    if not entries:
        return Block(0.0, "")
    title = t("canvas.legend.title", lang)
    parts = [text_svg(fit(title, LABEL_SIZE, width, bold=True), 0, 12, LABEL_SIZE, bold=True)]
    x, y = 0.0, 22.0
    for sample, text in entries:
        label = fit(text, NOTE_SIZE, width - SAMPLE_W - 8)
        w = SAMPLE_W + 6 + text_width(label, NOTE_SIZE) + 18
        if x > 0 and x + w > width:
            x, y = 0.0, y + ROW_H
        parts.append(
            f'<g class="legend-entry" transform="translate({num(x)},{num(y)})">'
            f"<title>{esc(text)}</title>{sample}"
            + text_svg(label, SAMPLE_W + 6, 10.5, NOTE_SIZE, fill=INK)
            + "</g>"
        )
        x += w
    return Block(y + ROW_H - 4, "".join(parts))
