"""What an analysis looks at: the journey case, how a win is known, which cases count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class CaseKey(StrEnum):
    """What one journey is: an account (default), a contact or an opportunity."""

    account = "account"
    contact = "contact"
    opportunity = "opportunity"

    @property
    def column(self) -> str:
        return f"{self.value}_id"


class Outcome(StrEnum):
    won = "won"
    lost = "lost"
    open = "open"


@dataclass(frozen=True)
class Filters:
    """Which journeys an analysis counts. Empty filters count every journey.

    ``outcome`` and ``segment`` select cases; ``role`` selects cases in which a contact of
    that buying-group role took part; ``since``/``until`` select events by time (a flow
    counts when it starts inside the period).
    """

    outcome: Outcome | None = None
    segment: str | None = None
    role: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    def is_empty(self) -> bool:
        return self == Filters()

    @property
    def whole_journeys(self) -> bool:
        """The filters keep or drop whole journeys (no period cuts their events), so
        per-journey totals built once add up to the answer."""
        return self.since is None and self.until is None


@dataclass(frozen=True)
class AnalysisOptions:
    case: CaseKey = CaseKey.account
    conversion: str | None = None
    """Activity that marks a win when the data has no opportunity outcomes."""
    filters: Filters = field(default_factory=Filters)
    top_variants: int | None = 50
    """How many variants the variants table lists (the summary counts them all)."""
    lang: str = "en"
    """Language of the findings' suggested actions."""
