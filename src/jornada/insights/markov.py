"""First-order Markov-chain attribution with removal effects, solved exactly.

The chain's states are ``(start)``, every touchpoint, and two absorbing states,
``(conversion)`` and ``(null)``. Transition counts come from one SQL aggregation, over the
journeys in ``steps`` (:func:`journey_transitions`) or over an imported path table
(:func:`path_transitions`); NumPy turns them into probabilities and solves the absorbing
chain as a linear system (:func:`attribute`), with no simulation.

With ``Q`` the transitions among touchpoints, ``r`` the step into ``(conversion)`` and
``s`` the start distribution, the fundamental matrix ``N = (I - Q)^-1`` gives the chance of
converting from each touchpoint, ``x = N r``, and overall, ``P = s·x``. Removing
touchpoint ``k`` (its transitions redirected to ``(null)``) is a rank-one change of
``I - Q``; Sherman-Morrison gives every removal at once::

    P_without_k = P - (s·N)_k * x_k / N_kk
    removal_effect_k = 1 - P_without_k / P = (s·N)_k * x_k / (N_kk * P)

``(s·N)_k / N_kk`` is the chance of ever reaching ``k``, so the removal effect is the
share of the chain's conversions that pass through ``k``. Attributed conversions are the
removal effects scaled to sum to the total conversions, as ChannelAttribution does; the
value's removal effects weight each conversion by its value the same way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from jornada.engine.discovery import scope
from jornada.engine.options import Filters
from jornada.insights.context import Context

CONVERSION = "(conversion)"
NULL = "(null)"
SEPARATORS = (" > ", ">", "→")
"""How the steps of a path are written; spaces around each step are ignored."""
_SEPARATOR = r"(?:\s*(?:>|→)\s*)+"

Vector = npt.NDArray[np.float64]


def journey_steps(ctx: Context) -> str:
    """The steps of the journeys the chain walks: ``(case_id, node, target, won,
    stage_pos)``, ``target`` the next kept step's touchpoint, NULL where the journey ends.

    A journey is its touchpoints in order (``pos``); won journeys end in ``(conversion)``
    and are cut at the win (``cases.won_at``: events strictly before it), the others end
    in ``(null)``. Only decided journeys count (won or lost; with ``conversion``: all, won
    or not). Filters keep whole journeys or cut a journey's start and end by time, never
    its middle, so the next kept step is the next step unless the journey is cut there.
    """
    goes_on = ["s.next_node IS NOT NULL", f"s.next_ts < {won_at('c')}"]
    until = ctx.options.filters.until
    if until is not None:
        goes_on.append(f"s.next_ts < TIMESTAMPTZ '{until.isoformat()}'")
    return f"""
SELECT s.case_id, s.node,
       CASE WHEN {" AND ".join(goes_on)} THEN s.next_node END AS target,
       c.outcome = 'won' AS won,
       s.stage_pos
FROM steps s JOIN cases c ON c.case_id = s.case_id
WHERE {kept(ctx)}
"""


def transitions_of(steps: str) -> str:
    """Transition counts ``(source, target, won, stage_pos, weight)`` of the
    :func:`journey_steps` rows in ``steps`` (a table or CTE name); ``stage_pos`` (the
    source's stage) lets callers place each touchpoint in a stage."""
    return f"""
SELECT node AS source, target, won, stage_pos, count(*)::DOUBLE AS weight
FROM {steps} GROUP BY ALL
"""


def journey_transitions(ctx: Context) -> str:
    """Transitions of the journeys ``ctx`` selects (:func:`transitions_of`), one
    aggregation over ``steps``."""
    return f"WITH kept AS ({journey_steps(ctx)})\n{transitions_of('kept')}"


def won_at(alias: str) -> str:
    """The moment a journey is cut: its win, or never."""
    return f"coalesce({alias}.won_at, TIMESTAMPTZ 'infinity')"


def kept(ctx: Context, steps: str = "s", cases: str = "c") -> str:
    """Condition on ``steps`` joined with ``cases`` keeping the decided journeys ``ctx``
    selects, up to their win. The filters' journey conditions go on ``cases`` (a few
    thousand rows), their time window on ``steps``: the same rows as ``ctx.scope()``,
    found by filtering the small side of the join."""
    filters = ctx.options.filters
    decided = "TRUE" if ctx.options.conversion is not None else (
        f"{cases}.outcome IN ('won', 'lost')"
    )  # fmt: skip
    journeys = scope(dataclasses.replace(filters, since=None, until=None), cases)
    window = scope(Filters(since=filters.since, until=filters.until), steps)
    return f"{decided} AND {steps}.ts < {won_at(cases)} AND {journeys} AND {window}"


def journey_chain(transitions: pa.Table) -> Chain:
    """The chain of :func:`journey_transitions` rows."""
    import pyarrow.compute as pc

    ending = pc.if_else(transitions.column("won"), CONVERSION, NULL)
    target = pc.coalesce(transitions.column("target").cast(pa.string()), ending)
    table = pa.table(
        {
            "source": transitions.column("source").cast(pa.string()),
            "target": target,
            "weight": transitions.column("weight"),
            "value": pa.array(np.zeros(transitions.num_rows)),
        }
    )
    return Chain.from_transitions(table)


def path_transitions(table: str = "paths") -> str:
    """Transitions of an aggregated path table: each row's journeys (``conversions`` +
    ``nulls``) walk its path, then ``conversions`` of them convert (carrying ``value``)
    and ``nulls`` do not."""
    return f"""
WITH p AS (
    SELECT regexp_split_to_array(
               regexp_replace(trim(path), '^{_SEPARATOR}|{_SEPARATOR}$', '', 'g'),
               '{_SEPARATOR}') AS steps,
           coalesce(conversions, 0) AS conv, coalesce(nulls, 0) AS nul,
           coalesce(value, 0) AS val
    FROM {table}
    WHERE coalesce(conversions, 0) + coalesce(nulls, 0) > 0
),
walk AS (SELECT steps, conv + nul AS n, generate_subscripts(steps, 1) AS i FROM p)
SELECT steps[i] AS source, steps[i + 1] AS target, sum(n) AS weight, 0.0 AS value
FROM walk WHERE i < len(steps) GROUP BY ALL
UNION ALL
SELECT steps[-1], '{CONVERSION}', sum(conv), sum(val) FROM p
WHERE len(steps) > 0 AND conv > 0 GROUP BY ALL
UNION ALL
SELECT steps[-1], '{NULL}', sum(nul), 0.0 FROM p
WHERE len(steps) > 0 AND nul > 0 GROUP BY ALL
"""


@dataclass(frozen=True)
class Chain:
    """Transition counts among touchpoints and into the two absorbing states."""

    states: list[str]
    moves: npt.NDArray[np.float64]
    """``moves[i, j]``: steps from touchpoint ``i`` to touchpoint ``j``."""
    conversions: Vector
    """Journeys converting right after each touchpoint."""
    nulls: Vector
    values: Vector
    """Value of the conversions right after each touchpoint."""

    @classmethod
    def from_transitions(cls, table: pa.Table) -> Chain:
        """A chain from ``(source, target, weight, value)`` rows (no Python loop over rows)."""
        source = np.asarray(table.column("source").to_pylist(), dtype=object)
        target = np.asarray(table.column("target").to_pylist(), dtype=object)
        weight = table.column("weight").to_numpy(zero_copy_only=False).astype(float)
        value = table.column("value").to_numpy(zero_copy_only=False).astype(float)
        conv, null = target == CONVERSION, target == NULL
        step = ~(conv | null)
        names = np.concatenate([source, target[step]])
        unique, codes = np.unique(names, return_inverse=True)
        states = [str(state) for state in unique]
        src, dst = codes[: len(source)], codes[len(source) :]
        n = len(states)
        moves = np.zeros((n, n))
        np.add.at(moves, (src[step], dst), weight[step])
        conversions, nulls, values = np.zeros(n), np.zeros(n), np.zeros(n)
        np.add.at(conversions, src[conv], weight[conv])
        np.add.at(nulls, src[null], weight[null])
        np.add.at(values, src[conv], value[conv])
        return cls(states, moves, conversions, nulls, values)

    @property
    def starts(self) -> Vector:
        """Journeys starting at each touchpoint: every visit leaves once, so what leaves a
        touchpoint and did not arrive from another one started there."""
        out = self.moves.sum(axis=1) + self.conversions + self.nulls
        starts: Vector = np.clip(out - self.moves.sum(axis=0), 0.0, None)
        return starts


@dataclass(frozen=True)
class Attribution:
    """The chain solved: conversion probability and every touchpoint's removal effect."""

    states: list[str]
    conversion_probability: float
    """``P``: chance that a journey from ``(start)`` converts (the observed rate)."""
    removal_effects: Vector
    """``1 - P(convert without the touchpoint) / P``."""
    value_removal_effects: Vector
    conversions: float
    value: float

    @property
    def shares(self) -> Vector:
        total = float(self.removal_effects.sum())
        return self.removal_effects / total if total > 0 else np.zeros_like(self.removal_effects)

    @property
    def attributed_conversions(self) -> Vector:
        return self.shares * self.conversions

    @property
    def attributed_value(self) -> Vector:
        total = float(self.value_removal_effects.sum())
        if total <= 0:
            return np.zeros_like(self.value_removal_effects)
        return self.value_removal_effects / total * self.value


def attribute(chain: Chain) -> Attribution:
    """Solve the absorbing chain exactly and remove each touchpoint in turn (see module)."""
    n = len(chain.states)
    total = float(chain.conversions.sum())
    value = float(chain.values.sum())
    if n == 0 or total <= 0:
        zeros = np.zeros(n)
        return Attribution(chain.states, 0.0, zeros, zeros, total, value)
    leaving = chain.moves.sum(axis=1) + chain.conversions + chain.nulls
    leaving = np.where(leaving > 0, leaving, 1.0)  # a state nothing leaves ends there
    fundamental = np.linalg.solve(np.eye(n) - chain.moves / leaving[:, None], np.eye(n))
    starts = chain.starts
    start = starts / starts.sum()
    reach = start @ fundamental / np.diag(fundamental)  # chance of ever visiting each one

    def effects(payoff: Vector) -> tuple[float, Vector]:
        from_here = fundamental @ (payoff / leaving)
        overall = float(start @ from_here)
        if overall <= 0:
            return overall, np.zeros(n)
        return overall, np.clip(reach * from_here / overall, 0.0, 1.0)

    probability, removal = effects(chain.conversions)
    _, value_removal = effects(chain.values)
    return Attribution(chain.states, probability, removal, value_removal, total, value)


REMOVAL_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("touchpoint", pa.string()),
        ("removal_effect", pa.float64()),
        ("attributed_conversions", pa.float64()),
        ("share", pa.float64()),
        ("attributed_value", pa.float64()),
    ]
)


def removal_table(result: Attribution, source: str, *, with_value: bool) -> pa.Table:
    """One row per touchpoint, highest removal effect first."""
    order = np.argsort(-result.removal_effects, kind="stable")
    value = result.attributed_value[order] if with_value else None
    return pa.table(
        {
            "source": pa.array([source] * len(order), pa.string()),
            "touchpoint": pa.array([result.states[i] for i in order], pa.string()),
            "removal_effect": pa.array(result.removal_effects[order], pa.float64()),
            "attributed_conversions": pa.array(result.attributed_conversions[order]),
            "share": pa.array(result.shares[order], pa.float64()),
            "attributed_value": pa.array(value, pa.float64())
            if value is not None
            else pa.nulls(len(order), pa.float64()),
        },
        schema=REMOVAL_SCHEMA,
    )


def journeys(ctx: Context) -> Attribution:
    """Removal effects of the touchpoints in the journeys ``ctx`` selects."""
    return attribute(journey_chain(ctx.table(journey_transitions(ctx))))


def paths(ctx: Context, table: str = "paths") -> Attribution:
    """Removal effects from an imported path table."""
    return attribute(Chain.from_transitions(ctx.table(path_transitions(table))))
