"""How the periodic review writes the numbers it compares."""

from __future__ import annotations

from jornada.web.views import finding_kind, summary_change, summary_value


def test_shares_read_as_percentages_and_change_in_points() -> None:
    assert summary_value("win_rate", 0.467, "en") == "46.7%"
    assert summary_value("backtracking_rate", 0.189, "es") == "18,9%"
    assert summary_change("win_rate", 0.276, "en") == "+27.6 pp"
    assert summary_change("online_share", -0.046, "pt") == "−4,6 pp"


def test_counts_are_whole_and_days_keep_one_decimal_under_ten() -> None:
    assert summary_value("events", 1851.0, "en") == "1,851"
    assert summary_value("events", 1851.0, "es") == "1.851"
    assert summary_change("events", 307.0, "en") == "+307"
    assert summary_value("median_journey_days", 384.384, "en") == "384"
    assert summary_change("median_journey_days", -71.3, "en") == "−71"
    assert summary_value("median_days_to_win", 4.25, "en") == "4.2"
    assert summary_value("win_rate", None, "en") == "—"


def test_finding_kinds_are_named_in_the_language() -> None:
    assert finding_kind("designed_vs_actual", "en") == "designed vs actual"
    assert finding_kind("friction", "es") != "friction"
