"""Empathy maps: what a persona (or a buying-group role) says, thinks, does and feels,
their pains and gains, and what the data measured about the role they play.

The four classic quadrants sit in a 2 x 2 grid under a header with the persona's name,
role, department and motivations; pains and gains follow side by side. Quadrants the map
leaves empty say so ("not described yet"), so the gaps in the team's empathy show. When
the analysis has them, the header carries measured facts: the share of journeys that
engage the role, the win rate with and without it, and the stages with content for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from jornada.errors import MapError
from jornada.i18n import t
from jornada.model import JourneyMap
from jornada.model.elements import EmpathyMap, Persona, Role
from jornada.render.canvas_blocks import (
    NOTE_SIZE,
    Block,
    Para,
    esc,
    num,
    paragraphs,
    stack,
)
from jornada.render.data import ReportData
from jornada.render.fmt import share
from jornada.render.style import (
    FRICTION,
    GOOD,
    INK,
    LABEL_SIZE,
    MUTED,
    PANEL,
    PAPER,
    RULE,
    TARGET,
    TITLE_SIZE,
)
from jornada.render.text import FONT_FAMILY

WIDTH = 980.0
MARGIN = 28.0
GUTTER = 12.0
PAD = 12.0
ITEM_SIZE = LABEL_SIZE
QUADRANT_W = (WIDTH - 2 * MARGIN - GUTTER) / 2
TEXT_W = QUADRANT_W - 2 * PAD - 14
# Quadrants in reading order, two per row, with their accent colour.
QUADRANTS: tuple[tuple[str, str], ...] = (
    ("says", "#0072b2"),
    ("thinks", TARGET),
    ("does", "#009e73"),
    ("feels", "#cc79a7"),
    ("pains", FRICTION),
    ("gains", GOOD),
)
FACT_H = 58.0
ICON_W = 22.0


def _icon(field: str, colour: str) -> str:
    """A 16 x 16 sign for a quadrant: speech bubble, thought cloud, arrow, heart, minus and
    plus in a circle."""
    shapes = {
        "says": f'<path d="M2 2 H14 Q16 2 16 4 V10 Q16 12 14 12 H7 L3 15.5 V12 H2 Q0 12 0 10 '
        f'V4 Q0 2 2 2 Z" fill="{colour}"/>',
        "thinks": f'<circle cx="9" cy="6" r="5" fill="{colour}"/><circle cx="5" cy="7.5" r="3.8" '
        f'fill="{colour}"/><circle cx="12.5" cy="8.5" r="3.5" fill="{colour}"/>'
        f'<circle cx="3.5" cy="13" r="1.6" fill="{colour}"/><circle cx="1.2" cy="15.4" r="0.9" '
        f'fill="{colour}"/>',
        "does": f'<path d="M1 8 H11 M7 3.5 L12 8 L7 12.5" fill="none" stroke="{colour}" '
        f'stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/>',
        "feels": f'<path d="M8 15 C-3 7 2 -1 8 4 C14 -1 19 7 8 15 Z" fill="{colour}"/>',
        "pains": f'<circle cx="8" cy="8" r="7.5" fill="{colour}"/><rect x="3.8" y="6.9" '
        f'width="8.4" height="2.2" fill="{PAPER}"/>',
        "gains": f'<circle cx="8" cy="8" r="7.5" fill="{colour}"/><path d="M3.8 8 H12.2 M8 3.8 '
        f'V12.2" stroke="{PAPER}" stroke-width="2.2"/>',
    }
    return shapes[field]


def _tr(key: str, lang: str, **params: object) -> str:
    return t(f"canvas.empathy.{key}", lang, **params)


@dataclass(frozen=True)
class Subject:
    """Whom an empathy map is about: a persona, or a role with its personas' entries."""

    id: str
    name: str
    kind: str  # "persona" or "role"
    role: Role | None
    description: str | None
    details: list[str]  # department, seniority, personas of the role
    motivations: list[str]
    empathy: EmpathyMap


def _role(journey: JourneyMap, role_id: str | None) -> Role | None:
    return next((r for r in journey.roles if r.id == role_id), None)


def _persona_subject(journey: JourneyMap, persona: Persona, lang: str) -> Subject:
    role = _role(journey, persona.role)
    details = [d for d in (persona.department, persona.seniority) if d]
    return Subject(
        persona.id,
        persona.label(lang),
        "persona",
        role,
        persona.description,
        [d.replace("_", " ") for d in details],
        list(persona.motivations),
        persona.empathy,
    )


def _role_subject(journey: JourneyMap, role: Role, lang: str) -> Subject:
    """A role's map: the entries of every persona who plays it, without repeats."""
    personas = [p for p in journey.personas if p.role == role.id]
    merged: dict[str, list[str]] = {}
    for field, _ in QUADRANTS:
        entries = [e for p in personas for e in getattr(p.empathy, field)]
        merged[field] = list(dict.fromkeys(entries))
    names = ", ".join(p.label(lang) for p in personas)
    details = [_tr("personas", lang, names=names)] if personas else []
    motivations = list(dict.fromkeys(m for p in personas for m in p.motivations))
    return Subject(
        role.id,
        role.label(lang),
        "role",
        role,
        role.description,
        details,
        motivations,
        EmpathyMap(**merged),
    )


def subjects(data: ReportData) -> list[Subject]:
    """Every persona, then every buying-group role that has its own description."""
    journey = data.journey
    if journey is None:
        return []
    out = [_persona_subject(journey, p, data.lang) for p in journey.personas]
    out += [_role_subject(journey, r, data.lang) for r in journey.roles if r.description]
    return out


# Measured facts -------------------------------------------------------------------------


def _facts(data: ReportData, role: Role | None) -> list[tuple[str, str]]:
    """(big value, caption) pairs the data gives for ``role``."""
    if role is None:
        return []
    lang = data.lang
    out = []
    engaged = next((r for r in data.rows("roles_engaged") if r.get("role") == role.id), None)
    if engaged and engaged.get("share_of_cases") is not None:
        out.append((share(engaged["share_of_cases"], lang, 0), _tr("fact.engaged", lang)))
    if engaged and engaged.get("win_rate_with") is not None:
        value = _tr(
            "fact.win_value",
            lang,
            with_role=share(engaged["win_rate_with"], lang, 0),
            without=share(engaged.get("win_rate_without"), lang, 0),
        )
        out.append((value, _tr("fact.win", lang)))
    coverage = [r for r in data.rows("content_coverage") if r.get("role") == role.id]
    if coverage:
        covered = sum(1 for r in coverage if (r.get("assets") or 0) > 0)
        value = _tr("fact.content_value", lang, covered=covered, stages=len(coverage))
        out.append((value, _content_caption(data, role.id)))
    return out


def _content_caption(data: ReportData, role_id: str) -> str:
    gaps = [r for r in data.rows("content_gaps") if r.get("role") == role_id]
    if not gaps:
        return _tr("fact.content", data.lang)
    stages = ", ".join(data.name(str(r["stage"])) for r in gaps)
    return _tr("fact.content_gaps", data.lang, stages=stages)


# Drawing ---------------------------------------------------------------------------------


def _cell(
    x: float, y: float, w: float, h: float, content: str, part: str, fill: str, stroke: str = "none"
) -> str:
    return (
        f'<g class="cell" data-part="{part}"><rect class="cell-frame" x="{num(x)}" '
        f'y="{num(y)}" width="{num(w)}" height="{num(h)}" rx="6" fill="{fill}" '
        f'stroke="{stroke}"/>{content}</g>'
    )


def _avatar(colour: str) -> str:
    """A head-and-shoulders sign (40 x 40) for the header."""
    return (
        f'<circle cx="20" cy="20" r="20" fill="{colour}"/>'
        f'<circle cx="20" cy="15" r="7" fill="{PAPER}"/>'
        f'<path d="M7.5 33 C9 24 31 24 32.5 33 Z" fill="{PAPER}"/>'
    )


def _header(data: ReportData, subject: Subject, width: float) -> Block:
    lang = data.lang
    kind = _tr(f"kind.{subject.kind}", lang).upper()
    role = (
        _tr("role", lang, role=subject.role.label(lang))
        if subject.role and subject.kind == "persona"
        else None
    )
    required = _tr("required", lang) if subject.role and subject.role.required else None
    details = " · ".join(d for d in [role, required, *subject.details] if d)
    paras = [
        Para(kind, NOTE_SIZE + 0.5, bold=True, fill=MUTED, lines=1),
        Para(subject.name, TITLE_SIZE + 4, bold=True, lines=2),
    ]
    if details:
        paras.append(Para(details, LABEL_SIZE, fill=INK, lines=2))
    if subject.description:
        paras.append(Para(subject.description, LABEL_SIZE, fill=MUTED, lines=3))
    if subject.motivations:
        motivations = _tr("motivations", lang, items="; ".join(subject.motivations))
        paras.append(Para(motivations, LABEL_SIZE, fill=INK, lines=3))
    body, bottom = paragraphs(paras, 54, 0, width - 54)
    svg = f"<title>{esc(subject.name)}</title>{_avatar(INK)}{body}"
    return Block(max(bottom, 40.0), svg)


def _fact_cells(facts: list[tuple[str, str]], x: float, y: float, width: float) -> str:
    """Measured facts as boxes in a row: a large value over a caption."""
    count = len(facts)
    w = (width - GUTTER * (count - 1)) / count
    parts = []
    for index, (value, caption) in enumerate(facts):
        left = x + index * (w + GUTTER)
        paras = [
            Para(value, TITLE_SIZE, bold=True, lines=1),
            Para(caption, NOTE_SIZE, fill=MUTED, lines=2),
        ]
        body, _ = paragraphs(paras, left + PAD, y + 8, w - 2 * PAD)
        content = f"<title>{esc(value)} {esc(caption)}</title>{body}"
        parts.append(_cell(left, y, w, FACT_H, content, "fact", PANEL))
    return "".join(parts)


def _quadrant(lang: str, field: str, colour: str, entries: list[str]) -> Block:
    """A quadrant's sign, title and hint, then one bulleted entry per item (or a muted
    note saying nothing is described yet)."""
    title = _tr(f"quadrant.{field}", lang)
    hint = _tr(f"hint.{field}", lang)
    head, bottom = paragraphs(
        [
            Para(title.upper(), LABEL_SIZE + 1, bold=True, lines=1),
            Para(hint, NOTE_SIZE, fill=MUTED),
        ],
        ICON_W,
        0,
        QUADRANT_W - 2 * PAD - ICON_W,
    )
    icon = f'<g transform="translate(0,1)">{_icon(field, colour)}</g>'
    blocks = [Block(bottom + 2, icon + head)]
    if not entries:
        text = _tr("not_described", lang)
        body, end = paragraphs([Para(text, ITEM_SIZE, fill=MUTED, lines=1)], 14, 0, TEXT_W)
        blocks.append(Block(end, f'<g class="not-described">{body}</g>'))
    for item in entries:
        body, end = paragraphs([Para(item, ITEM_SIZE, lines=4)], 14, 0, TEXT_W)
        dot = f'<circle cx="4" cy="{num(ITEM_SIZE * 0.6)}" r="2.6" fill="{INK}"/>'
        blocks.append(Block(end, f'<g class="entry"><title>{esc(item)}</title>{dot}{body}</g>'))
    return stack(blocks, 8)


def _quadrants(data: ReportData, subject: Subject, y: float) -> tuple[str, float]:
    """The six quadrants in rows of two; each row as tall as its taller quadrant."""
    parts = []
    for row in range(0, len(QUADRANTS), 2):
        pair = QUADRANTS[row : row + 2]
        blocks = [_quadrant(data.lang, f, c, getattr(subject.empathy, f)) for f, c in pair]
        height = max(b.height for b in blocks) + 2 * PAD + 4
        for index, ((field, colour), block) in enumerate(zip(pair, blocks, strict=True)):
            x = MARGIN + index * (QUADRANT_W + GUTTER)
            accent = (
                f'<rect x="{num(x)}" y="{num(y)}" width="{num(QUADRANT_W)}" height="4" '
                f'rx="2" fill="{colour}"/>'
            )
            content = accent + block.at(x + PAD, y + PAD + 4)
            fill = PAPER if row < 4 else ("#fdf1f0" if field == "pains" else "#eff7f1")
            parts.append(_cell(x, y, QUADRANT_W, height, content, field, fill, RULE))
        y += height + GUTTER
    return "".join(parts), y


def _document(width: float, height: float, title: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" role="img" class="empathy-map" '
        f'font-family="{esc(FONT_FAMILY)}"><title>{esc(title)}</title>'
        f'<rect width="100%" height="100%" fill="{PAPER}"/>{body}</svg>'
    )


def _draw(data: ReportData, subject: Subject) -> str:
    inner = WIDTH - 2 * MARGIN
    header = _header(data, subject, inner)
    frame = (MARGIN - 6, MARGIN - 6, inner + 12, header.height + 12)
    parts = [_cell(*frame, header.at(MARGIN, MARGIN), "header", "none")]
    y = MARGIN + header.height + 16
    facts = _facts(data, subject.role)
    if facts:
        parts.append(_fact_cells(facts, MARGIN, y, inner))
        y += FACT_H + 16
    else:
        key = "fact.none" if data.tables else "fact.no_data"
        text, bottom = paragraphs(
            [Para(_tr(key, data.lang), NOTE_SIZE + 1, fill=MUTED)],
            MARGIN + PAD,
            y + 8,
            inner - 2 * PAD,
        )
        parts.append(_cell(MARGIN, y, inner, bottom - y + 8, text, "no-facts", PANEL))
        y = bottom + 8 + 16
    quadrants, y = _quadrants(data, subject, y)
    parts.append(quadrants)
    y += MARGIN - GUTTER
    title = f"{_tr('title', data.lang)}: {subject.name}"
    return _document(WIDTH, y, title, "".join(parts))


def empathy_svg(data: ReportData, persona_id: str) -> str:
    """The empathy map of persona (or buying-group role) ``persona_id`` as a standalone SVG."""
    found = next((s for s in subjects(data) if s.id == persona_id), None)
    if found is None and data.journey is not None:
        role = _role(data.journey, persona_id)
        found = _role_subject(data.journey, role, data.lang) if role else None
    if found is None:
        known = ", ".join(s.id for s in subjects(data)) or "none defined"
        raise MapError(f"unknown persona or role '{persona_id}' (known: {known})")
    return _draw(data, found)


def empathy_maps(data: ReportData) -> dict[str, str]:
    """One empathy map per persona, and per buying-group role with its own description,
    keyed by id (ids are unique across the map), in map order."""
    return {subject.id: _draw(data, subject) for subject in subjects(data)}
