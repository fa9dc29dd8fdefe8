"""Hand-built report data for drawing tests: the touchpoint profile and transitions tables
of an invented journey, with as many stages, touchpoints and odd names as a test needs."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import pyarrow as pa

from jornada.render.data import ReportData

KINDS = ("online", "personal", "physical")
HOSTILE = (
    "<script>alert('x')</script> & \"quotes\"",
    "Reunião de alinhamento técnico " * 7,  # about 200 characters
    "Demo 🚀🔥 con café ☕ y ñandú",
    "ā" * 3 + " <b>bold</b> ]]> --> #x; \x07bell",
)


def synthetic_report(
    per_stage: Sequence[int],
    *,
    name: Callable[[int, int], str] = lambda stage, index: f"tp_{stage}_{index}",
    stage_name: Callable[[int], str] = lambda stage: f"stage_{stage}",
    unassigned: int = 0,
    seed: int = 1,
    lang: str = "en",
) -> ReportData:
    """Report data without a map: ``per_stage[i]`` touchpoints in stage ``i`` (the first
    half pre-purchase), ``unassigned`` touchpoints with no stage, and random flows between
    them (each touchpoint to a few others, backward when the target's stage is earlier)."""
    rng = random.Random(seed)
    stages = [stage_name(i) for i in range(len(per_stage))]
    profile: list[dict[str, object]] = []
    for s, count in enumerate(per_stage):
        for i in range(count):
            profile.append(_touchpoint(name(s, i), stages[s], s, rng))
    for i in range(unassigned):
        profile.append(_touchpoint(f"loose_{i}", None, None, rng))
    flows: dict[tuple[str, str], dict[str, object]] = {}
    position = {str(r["touchpoint"]): r["stage_pos"] for r in profile}
    ids = list(position)
    for source in ids:
        for target in rng.sample(ids, k=min(4, len(ids))):
            count = rng.choice([1, 2, 3, 5, 8, 20, 50, 120, 400])
            a, b = position[source], position[target]
            backward = a is not None and b is not None and b < a
            flows[(source, target)] = {
                "level": "touchpoint",
                "source": source,
                "target": target,
                "count": count,
                "cases": max(1, count // 2),
                "backward": backward,
            }
    for s in range(len(stages) - 1):
        flows[(stages[s], stages[s + 1])] = _stage_flow(stages[s], stages[s + 1], 300, False)
        if s:
            flows[(stages[s], stages[s - 1])] = _stage_flow(stages[s], stages[s - 1], 40, True)
    half = len(stages) // 2
    funnel = [
        {
            "stage": stage,
            "position": i,
            "phase": "pre_purchase" if i < half else "post_purchase",
            "cases_reached": 1000 - 100 * i,
        }
        for i, stage in enumerate(stages)
    ]
    return ReportData(
        tables={
            "touchpoint_profile": pa.Table.from_pylist(profile),
            "transitions": pa.Table.from_pylist(list(flows.values())),
            "funnel": pa.Table.from_pylist(funnel),
        },
        summary={"cases": 1000, "events": sum(int(str(r["events"])) for r in profile)},
        findings=[],
        lang=lang,
    )


def _touchpoint(
    tid: str, stage: str | None, pos: int | None, rng: random.Random
) -> dict[str, object]:
    events = rng.randint(5, 5000)
    return {
        "touchpoint": tid,
        "stage": stage,
        "stage_pos": pos,
        "channel_kind": rng.choice(KINDS),
        "business_unit": rng.choice(["bu_a", "bu_b", "bu_c", None]),
        "events": events,
        "typical_events": events,
    }


def _stage_flow(source: str, target: str, count: int, backward: bool) -> dict[str, object]:
    return {
        "level": "stage",
        "source": source,
        "target": target,
        "count": count,
        "cases": count // 2,
        "backward": backward,
    }
