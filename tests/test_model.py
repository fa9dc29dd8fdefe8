"""The journey-map model: building, references, ids, YAML/JSON round trips, located errors."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jornada.errors import MapError
from jornada.model import (
    ChannelKind,
    JourneyMap,
    MapFormat,
    Phase,
    Touchpoint,
    dump_map,
    json_schema,
    load_map,
    loads_map,
    save_map,
)
from tests.utils.maps import MINIMAL_YAML


def test_minimal_map_loads_with_order_and_phases() -> None:
    journey = loads_map(MINIMAL_YAML)
    assert [s.id for s in journey.stages] == ["discovery", "purchase", "retention"]
    assert journey.stage_order() == {"discovery": 0, "purchase": 1, "retention": 2}
    assert [s.id for s in journey.stages_in(Phase.post_purchase)] == ["retention"]
    assert [tp.id for tp in journey.touchpoints_at("purchase")] == ["proposal"]
    assert journey.touchpoints[0].channel_kind is ChannelKind.online
    assert journey.element("proposal") is journey.touchpoints[1]
    assert journey.element("nothing") is None


def test_yaml_round_trip_is_identical_text() -> None:
    journey = loads_map(MINIMAL_YAML)
    text = dump_map(journey)
    assert text == MINIMAL_YAML
    assert loads_map(text) == journey


def test_json_round_trip(tmp_path) -> None:
    journey = loads_map(MINIMAL_YAML)
    path = save_map(journey, tmp_path / "map.json")
    assert json.loads(path.read_text())["stages"][0]["id"] == "discovery"
    assert load_map(path) == journey
    assert dump_map(load_map(path), MapFormat.json) == path.read_text()


def test_save_replaces_whole_file_and_leaves_no_temporary(tmp_path) -> None:
    target = tmp_path / "map.yaml"
    target.write_text("old")
    save_map(loads_map(MINIMAL_YAML), target)
    assert target.read_text() == MINIMAL_YAML
    assert [p.name for p in tmp_path.iterdir()] == ["map.yaml"]


def test_schema_accepts_valid_and_rejects_invalid_maps() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(MINIMAL_YAML)
    jsonschema.validate(data, schema)
    data["stages"][0]["phase"] = "sometime"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def _error(text: str) -> MapError:
    with pytest.raises(MapError) as info:
        loads_map(text, source="map.yaml")
    return info.value


def test_unknown_stage_reference_names_file_line_path_and_known_ids() -> None:
    error = _error(MINIMAL_YAML.replace("stage: purchase", "stage: purchasing"))
    assert str(error) == (
        "map.yaml:29:5: touchpoints[1].stage: unknown stage 'purchasing' "
        "(known: discovery, purchase, retention)"
    )


def test_unknown_reference_inside_a_list_points_at_the_item() -> None:
    error = _error(MINIMAL_YAML.replace("      - marketing", "      - finance"))
    assert error.loc == ("touchpoints", 1, "shared_bus", 0)
    assert str(error).startswith("map.yaml:34:9: touchpoints[1].shared_bus[0]: unknown business")


def test_duplicate_id_across_collections() -> None:
    error = _error(MINIMAL_YAML.replace("id: proposal", "id: sales"))
    assert str(error) == (
        "map.yaml:27:5: touchpoints[1].id: duplicate id 'sales' "
        "(first used at business_units[1].id)"
    )


def test_malformed_yaml_reports_line_and_column() -> None:
    error = _error(MINIMAL_YAML.replace("    phase: post_purchase", "    phase: [post"))
    assert str(error).startswith("map.yaml:")
    assert "invalid YAML" in str(error)
    assert error.line is not None and error.line >= 14


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("channel_kind: online", "channel_kind: telepathy"),
            "touchpoints[0].channel_kind: 'telepathy' is not allowed here",
        ),
        (
            ("    owner_bu: marketing\n", "    owner_bu: marketing\n    colour: red\n"),
            "touchpoints[0].colour: unknown field",
        ),
        (("- id: website", "- id: Web Site"), "touchpoints[0].id: 'Web Site' is not a valid id"),
        (("    name: Website\n", ""), "touchpoints[0].name: required field is missing"),
    ],
)
def test_field_errors_are_located(edit: tuple[str, str], expected: str) -> None:
    message = str(_error(MINIMAL_YAML.replace(*edit, 1)))
    assert message.startswith("map.yaml:")
    assert expected in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "got empty"), ("- a\n- b\n", "got a list"), ("just text", "got a str")],
)
def test_top_level_must_be_a_mapping(text: str, expected: str) -> None:
    assert expected in str(_error(text))


def test_invalid_json_reports_line(tmp_path) -> None:
    path = tmp_path / "map.json"
    path.write_text('{\n  "id": "x",\n  "name": \n}\n')
    with pytest.raises(MapError) as info:
        load_map(path)
    assert str(info.value).startswith(f"{path}:4:1: invalid JSON")


def test_missing_and_non_utf8_files(tmp_path) -> None:
    with pytest.raises(MapError, match="file not found"):
        load_map(tmp_path / "nope.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("id: x\nname: Viaje del café\n".encode("cp1252"))
    with pytest.raises(MapError, match="not UTF-8"):
        load_map(latin)


def test_assignment_is_validated() -> None:
    journey = loads_map(MINIMAL_YAML)
    with pytest.raises(MapError, match="unknown stage 'later'"):
        journey.touchpoints = [*journey.touchpoints, _touchpoint("later")]


def _touchpoint(stage: str, name: str = "Extra") -> Touchpoint:
    return Touchpoint(
        id="extra", name=name, stage=stage, channel="phone", channel_kind=ChannelKind.personal
    )


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(min_size=1, max_size=200).filter(lambda s: s.strip() == s and s.strip()),
    description=st.text(min_size=1, max_size=300).filter(lambda s: s.strip() == s and s.strip()),
)
def test_any_text_round_trips_yaml_and_json(name: str, description: str) -> None:
    journey = loads_map(MINIMAL_YAML)
    extra = _touchpoint("retention", name).model_copy(update={"description": description})
    changed = journey.model_copy(update={"touchpoints": [*journey.touchpoints, extra]})
    changed = JourneyMap.model_validate(changed.model_dump())
    for fmt in MapFormat:
        assert loads_map(dump_map(changed, fmt), fmt) == changed


@pytest.mark.parametrize("text", ["0\x850", "a\u2028b", "x\u2029y", "tab\tand\nnewline"])
def test_characters_yaml_reads_as_line_breaks_survive(text: str) -> None:
    journey = loads_map(MINIMAL_YAML)
    changed = journey.model_copy(update={"name": text})
    assert loads_map(dump_map(changed)).name == text
