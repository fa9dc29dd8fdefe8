"""The demo company's designed map: valid, trilingual, and more inside-out than its data."""

from __future__ import annotations

import fnmatch

import pytest

from jornada.demo import world
from jornada.demo.demomap import build_demo_map
from jornada.model import Lang, MapFormat, dump_map, loads_map


@pytest.mark.parametrize("lang", list(Lang))
def test_builds_and_round_trips_in_every_language(lang: Lang) -> None:
    journey = build_demo_map(lang)
    assert journey.language is lang
    for fmt in MapFormat:
        assert loads_map(dump_map(journey, fmt), fmt) == journey
    others = {other for other in Lang if other is not lang}
    for stage in journey.stages:
        assert set(stage.labels) == others


def test_names_follow_the_language() -> None:
    es, pt, en = (build_demo_map(lang) for lang in ("es", "pt", "en"))
    assert [s.id for s in es.stages] == [s.id for s in en.stages] == list(world.STAGE_IDS)
    assert es.stages[0].name == "Descubrimiento"
    assert pt.stages[0].name == "Descoberta"
    assert en.stages[0].name == "Awareness"
    assert es.touchpoints[0].labels[Lang.en] == en.touchpoints[0].name


def test_designed_map_leaves_out_what_buyers_really_use() -> None:
    journey = build_demo_map()
    designed = {tp.id for tp in journey.touchpoints}
    hidden = {tp.id for tp in world.TOUCHPOINTS if not tp.in_designed_map}
    assert hidden and not designed & hidden
    never_generated = {"aw_printed_catalogue", "re_loyalty_programme"}
    assert never_generated <= designed


def test_designed_map_believes_in_the_wrong_things() -> None:
    journey = build_demo_map()
    critical = {tp.id for tp in journey.touchpoints if tp.critical}
    assert world.DEFAULT_LIFT_TOUCHPOINT not in critical
    pain_touchpoints = {p.touchpoint for p in journey.pain_points}
    assert world.DEFAULT_FRICTION_TOUCHPOINT not in pain_touchpoints
    required = {r.id for r in journey.roles if r.required}
    assert required < set(world.REQUIRED_ROLE_IDS)


def test_match_rules_miss_some_activity_names() -> None:
    journey = build_demo_map()
    patterns = [rule.activity for tp in journey.touchpoints for rule in tp.match if rule.activity]
    activities = {a for tp in world.TOUCHPOINTS if tp.in_designed_map for a in tp.activities}
    matched = {a for a in activities if any(fnmatch.fnmatch(a, p) for p in patterns)}
    assert 0.5 < len(matched) / len(activities) < 1.0
