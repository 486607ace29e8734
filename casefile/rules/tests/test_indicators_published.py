"""The published England figures shipped beside the indicators: each names its indicator, year and source, and
the derived ones agree with the published counts they were worked out from."""

from __future__ import annotations

import pytest

from casefile.rules.indicators import INDICATORS, Unit
from casefile.rules.indicators.published import COUNTS, FIGURES, NEIGHBOUR_NOTE, latest


def test_every_figure_is_for_a_known_indicator_with_its_year_and_source():
    for figure in FIGURES + tuple(COUNTS.values()):
        assert figure.indicator in INDICATORS, figure
        assert 2013 <= figure.year <= 2026, figure
        assert figure.url.startswith("https://") or figure.url.startswith("http://"), figure
        assert figure.table and figure.area == "England", figure


def test_percentages_are_percentages():
    for figure in FIGURES:
        if INDICATORS[figure.indicator].unit is Unit.PERCENT:
            assert 0 <= figure.value <= 100, figure


# The counts each derived figure was worked out from, as read in the tables (England totals rounded to 10).
@pytest.mark.parametrize(("indicator", "year", "numerator", "denominator"), [
    ("re_referrals", 2024, 139_080, 621_880),
    ("assessments_within_45_working_days", 2025, 11_680 + 75_590 + 112_180 + 102_260 + 131_380 + 122_730, 648_830),
    ("icpc_within_15_working_days", 2025, 6_240 + 52_430, 6_240 + 52_430 + 6_430 + 6_990),
])
def test_derived_figures_agree_with_the_published_counts(indicator, year, numerator, denominator):
    figure = next(f for f in FIGURES if f.indicator == indicator and f.year == year)
    assert figure.derived
    assert figure.value == round(100 * numerator / denominator, 1)


def test_published_percentages_are_shipped_as_published_not_recomputed_from_rounded_counts():
    # D7 2025 publishes 4.4%; 2,710 / 62,300 (both rounded to 10) would give 4.3%.
    figure = next(f for f in FIGURES if f.indicator == "plans_ending_after_2_years" and f.year == 2025)
    assert (figure.value, figure.derived) == (4.4, False)


def test_latest_gives_the_most_recent_figure_or_none():
    assert (latest("re_referrals").year, latest("re_referrals").value) == (2025, 22.6)
    assert latest("second_or_subsequent_plans") is None  # table D3 was not read: nothing is shipped


def test_the_neighbour_note_says_no_neighbour_figures_are_shipped_and_where_they_are_entered():
    assert "no neighbour figures" in NEIGHBOUR_NOTE
    assert "/insight/neighbours/" in NEIGHBOUR_NOTE and "load your neighbour group" not in NEIGHBOUR_NOTE


def test_docs_list_every_indicator_with_its_code():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "indicators.md").read_text()
    assert [code for code in INDICATORS if f"| `{code}` |" not in text] == []
