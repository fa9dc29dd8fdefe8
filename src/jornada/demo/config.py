"""Knobs of a demo world: the strength of every planted truth, with realistic defaults."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from jornada.demo import world
from jornada.errors import DemoError


@dataclass(frozen=True)
class WorldConfig:
    """What the demo world plants and how strongly.

    Strengths are log-odds added to an account's chance of winning its new-business deal.
    ``WorldConfig.null()`` plants nothing, for measuring false positives.
    """

    backtracking_rate: float = 0.18
    """Share of stage changes that go back to an earlier stage."""
    online_share: float = 0.65
    """Share of events on online channels."""
    lift_touchpoint: str | None = world.DEFAULT_LIFT_TOUCHPOINT
    lift_presence: float = 0.35
    """Share of journeys reaching the lift touchpoint's stage that get the touchpoint."""
    lift_strength: float = 1.2
    friction_touchpoint: str | None = world.DEFAULT_FRICTION_TOUCHPOINT
    friction_exit_share: float = 0.6
    """Share of lost journeys ending in the friction stage whose last touch is friction."""
    friction_dwell_days: float = 30.0
    """Mean extra wait after a friction touch before the journey moves on."""
    friction_score_penalty: float = 1.5
    """How much worse (in standard units) surveys after the friction touchpoint score."""
    role_coverage_strength: float = 2.4
    """Log-odds per unit of required-role coverage (0..1)."""
    overloaded_rep_region: str | None = "brazil"
    overloaded_load_factor: float = 3.0
    """The overloaded rep's relationships as a multiple of ``relationships_per_rep``."""
    overloaded_strength: float = 1.1
    """Log-odds removed from deals owned by the overloaded rep."""
    relationships_per_rep: int = 100
    content_gap: tuple[str, str] | None = ("evaluation", "operations_lead")
    """A (stage id, role id) cell with no content asset."""
    unowned_account_share: float = 0.08
    base_win_log_odds: float = -0.5
    renewal_rate: float = 0.88
    upsell_rate: float = 0.3
    """Chance per customer-year of an upsell or cross-sell deal."""
    data_end: dt.date = dt.date(2026, 6, 30)
    history_years: float = 3.0
    """Journeys start over this many years before ``data_end``."""

    @classmethod
    def null(cls) -> WorldConfig:
        """A world with no planted effect; the backtracking and channel mix stay."""
        return cls(
            lift_strength=0.0,
            friction_exit_share=0.0,
            friction_dwell_days=0.0,
            friction_score_penalty=0.0,
            role_coverage_strength=0.0,
            overloaded_rep_region=None,
            overloaded_strength=0.0,
            content_gap=None,
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready knobs."""
        out = dataclasses.asdict(self)
        out["data_end"] = self.data_end.isoformat()
        out["content_gap"] = list(self.content_gap) if self.content_gap else None
        return out

    def validate(self) -> None:
        """Raise DemoError naming the first knob that cannot make a world."""
        _in_range("backtracking_rate", self.backtracking_rate, 0.0, 0.4)
        _in_range("online_share", self.online_share, 0.35, 0.85)
        _in_range("lift_presence", self.lift_presence, 0.05, 0.95)
        _in_range("lift_strength", self.lift_strength, -5.0, 5.0)
        _in_range("friction_exit_share", self.friction_exit_share, 0.0, 1.0)
        _in_range("friction_dwell_days", self.friction_dwell_days, 0.0, 365.0)
        _in_range("friction_score_penalty", self.friction_score_penalty, 0.0, 5.0)
        _in_range("role_coverage_strength", self.role_coverage_strength, -10.0, 10.0)
        _in_range("overloaded_load_factor", self.overloaded_load_factor, 1.0, 50.0)
        _in_range("overloaded_strength", self.overloaded_strength, -5.0, 5.0)
        _in_range("relationships_per_rep", self.relationships_per_rep, 20, 1_000)
        _in_range("unowned_account_share", self.unowned_account_share, 0.0, 0.5)
        _in_range("base_win_log_odds", self.base_win_log_odds, -6.0, 6.0)
        _in_range("renewal_rate", self.renewal_rate, 0.0, 1.0)
        _in_range("upsell_rate", self.upsell_rate, 0.0, 1.0)
        _in_range("history_years", self.history_years, 1.0, 10.0)
        if self.lift_touchpoint is not None:
            _check_planted_touchpoint("lift_touchpoint", self.lift_touchpoint)
        if self.friction_touchpoint is not None:
            tp = _check_planted_touchpoint("friction_touchpoint", self.friction_touchpoint)
            if tp.weight == 0.0:
                raise DemoError(
                    f"friction_touchpoint: '{tp.id}' is not an everyday touchpoint; choose one "
                    "that journeys pass through anyway"
                )
            if tp.stage == world.STAGE_IDS[0]:
                raise DemoError(
                    f"friction_touchpoint: '{tp.id}' is in the first stage, where no journey "
                    "is lost; choose one from consideration, evaluation or purchase"
                )
        if self.lift_touchpoint and self.lift_touchpoint == self.friction_touchpoint:
            raise DemoError("lift_touchpoint and friction_touchpoint must differ")
        if self.overloaded_rep_region is not None:
            _check_id("overloaded_rep_region", self.overloaded_rep_region, world.REGION_IDS)
        if self.content_gap is not None:
            if len(self.content_gap) != 2:
                raise DemoError("content_gap: give a (stage id, role id) pair")
            stage, role = self.content_gap
            _check_id("content_gap stage", stage, world.STAGE_IDS)
            _check_id("content_gap role", role, world.ROLE_IDS)
        if not isinstance(self.data_end, dt.date):
            raise DemoError("data_end: give a date, e.g. datetime.date(2026, 6, 30)")


def _in_range(name: str, value: float, low: float, high: float) -> None:
    if not isinstance(value, int | float) or not low <= value <= high:
        raise DemoError(f"{name}: {value!r} is out of range; use a number from {low} to {high}")


def _check_id(name: str, value: str, known: tuple[str, ...]) -> None:
    if value not in known:
        raise DemoError(f"{name}: unknown id '{value}'; known ids: {', '.join(known)}")


def _check_planted_touchpoint(name: str, value: str) -> world.Touchpoint:
    _check_id(name, value, world.TOUCHPOINT_IDS)
    tp = world.touchpoint(value)
    if tp.stage not in world.PRE_PURCHASE_STAGE_IDS:
        raise DemoError(f"{name}: '{value}' is post-purchase; choose a pre-purchase touchpoint")
    if value in world.PLACED_TOUCHPOINTS:
        raise DemoError(f"{name}: '{value}' is placed by the generator itself; choose another")
    return tp
