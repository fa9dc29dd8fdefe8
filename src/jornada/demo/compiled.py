"""The world spec and a config turned into NumPy lookup arrays, once per run."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from jornada.demo import world
from jornada.demo._arrays import Bools, Floats, Ints
from jornada.demo.config import WorldConfig
from jornada.demo.verbatims import TOPICS

KINDS = ("online", "personal", "physical")
SURVEYS = ("nps", "csat", "ces")


def _strings(values: list[str]) -> pa.Array:
    return pa.array(values, type=pa.string())


@dataclass(frozen=True)
class Compiled:
    """Per-touchpoint, per-stage and per-role arrays the batch builder indexes into."""

    tp_stage: Ints
    tp_kind: Ints
    tp_weight: Floats
    tp_anonymous: Floats
    tp_survey: Ints
    tp_survey_rate: Floats
    tp_topic: Ints
    tp_content: Ints
    tp_fallback: Ints
    affinity: Floats
    activity_starts: Ints
    activity_counts: Ints
    activities: pa.Array
    tp_ids: pa.Array
    tp_channels: pa.Array
    tp_kinds: pa.Array
    tp_bus: pa.Array
    tp_sources: pa.Array
    stage_ids: pa.Array
    role_required: Bools
    lift: int
    friction: int
    contract_signed: int
    kickoff: int
    go_live: int
    renewal: int
    upsell: int


def compile_world(config: WorldConfig, content_tps: tuple[str, ...], has_role: Bools) -> Compiled:
    tps = world.TOUCHPOINTS
    index = {t.id: i for i, t in enumerate(tps)}
    lift = index[config.lift_touchpoint] if config.lift_touchpoint else -1
    weight = np.array([t.weight for t in tps], dtype=np.float64)
    if lift >= 0:
        weight[lift] = 0.0
    stage = np.array([world.stage_index(t.stage) for t in tps], dtype=np.int64)
    content = np.array(
        [content_tps.index(t.id) if t.id in content_tps else -1 for t in tps], dtype=np.int64
    )
    # Each stage's busiest touchpoint that is neither content nor placed stands in for a
    # content touch a buyer cannot have (no asset for their role).
    fallback = np.full(len(world.STAGES), -1, dtype=np.int64)
    for s in range(len(world.STAGES)):
        candidates = [i for i, t in enumerate(tps) if stage[i] == s and not t.is_content]
        fallback[s] = max(candidates, key=lambda i: weight[i])
    affinity = np.zeros((len(tps), len(world.ROLES)), dtype=np.float64)
    for i, t in enumerate(tps):
        for r, role in enumerate(world.ROLE_IDS):
            boost = 1.0 if not t.audience else (3.0 if role in t.audience else 0.35)
            affinity[i, r] = world.ROLE_STAGE_AFFINITY[role][stage[i]] * boost
            if content[i] >= 0 and not has_role[content[i], r]:
                affinity[i, r] = 0.0
    act_counts = np.array([len(t.activities) for t in tps], dtype=np.int64)
    act_starts = np.zeros(len(tps), dtype=np.int64)
    act_starts[1:] = np.cumsum(act_counts)[:-1]
    return Compiled(
        tp_stage=stage,
        tp_kind=np.array([KINDS.index(t.channel_kind) for t in tps], dtype=np.int64),
        tp_weight=weight,
        tp_anonymous=np.array([t.anonymous_share for t in tps], dtype=np.float64),
        tp_survey=np.array(
            [SURVEYS.index(t.survey) if t.survey else -1 for t in tps], dtype=np.int64
        ),
        tp_survey_rate=np.array([t.survey_rate for t in tps], dtype=np.float64),
        tp_topic=np.array([TOPICS.index(t.topic) for t in tps], dtype=np.int64),
        tp_content=content,
        tp_fallback=fallback,
        affinity=affinity,
        activity_starts=act_starts,
        activity_counts=act_counts,
        activities=_strings([a for t in tps for a in t.activities]),
        tp_ids=_strings([t.id for t in tps]),
        tp_channels=_strings([t.channel for t in tps]),
        tp_kinds=_strings([t.channel_kind for t in tps]),
        tp_bus=_strings([t.owner_bu for t in tps]),
        tp_sources=_strings([t.source_system for t in tps]),
        stage_ids=_strings(list(world.STAGE_IDS)),
        role_required=np.array([r.required for r in world.ROLES], dtype=np.bool_),
        lift=lift,
        friction=index[config.friction_touchpoint] if config.friction_touchpoint else -1,
        contract_signed=index[world.CONTRACT_SIGNED],
        kickoff=index[world.ONBOARDING_KICKOFF],
        go_live=index[world.GO_LIVE],
        renewal=index[world.RENEWAL],
        upsell=index[world.UPSELL],
    )
