"""The clinic's wording and its SVG chart geometry."""

from __future__ import annotations

import datetime
import decimal

from casefile.insight import presenters as present
from casefile.rules.indicators import INDICATORS, Period, Result, Unit
from casefile.rules.neighbours import Figure


def test_bars_are_scaled_to_the_largest_and_a_missing_figure_has_no_bar():
    chart = present.bar_chart("c", "Referrals", [("2022-23", 10.0, "10", "10"), ("2023-24", 20.0, "20", "20"),
                                                 ("2024-25", None, "None", "No figure")], width=300, height=160)
    first, second, missing = chart.bars
    assert second.height == chart.baseline - 22 and first.height == second.height / 2
    assert first.y + first.height == chart.baseline == second.y + second.height
    assert missing.height == 0 and missing.value == "None"
    assert [bar.x for bar in chart.bars] == [4.0, 104.0, 204.0] and first.width == 92.0
    assert chart.description == "Bar chart. 2022-23: 10; 2023-24: 20; 2024-25: No figure."
    assert chart.label_y == 154


def test_a_chart_of_nothing_but_zeros_draws_no_bars():
    chart = present.bar_chart("c", "Zeros", [("a", 0.0, "0", "0"), ("b", 0.0, "0", "0")])
    assert all(bar.height == 0 for bar in chart.bars)


def test_values_carry_their_unit():
    assert present.value_text(Unit.PERCENT, 85.66) == "85.7%"
    assert present.value_text(Unit.PERCENT, 50.0) == "50%"
    assert present.value_text(Unit.RATE_PER_10000, 191.64) == "191.6 per 10,000 children"
    assert present.value_text(Unit.COUNT, 1234.0) == "1,234"
    assert present.value_text(Unit.AVERAGE, None) == "No figure"


def test_periods_are_named_as_census_years_or_by_their_dates():
    assert present.period_label(Period.census_year("2023-24")) == "2023-24"
    assert present.period_label(Period.year_to(datetime.date(2024, 1, 31))) == "to 31 January 2024"
    assert present.period_text(Period.census_year("2023-24")) == "1 April 2023 to 31 March 2024"


def test_the_england_figure_names_its_year_and_source_or_says_there_is_none():
    text = str(present.england(INDICATORS["re_referrals"]))
    assert "England 2025: 22.6%" in text and "C1 Referrals and re-referrals" in text and 'href="https://' in text
    assert present.england(INDICATORS["contacts"]) == "No published England figure is shipped for this indicator."
    assert present.direction(INDICATORS["re_referrals"]) == "Lower is better"
    assert present.direction(INDICATORS["referrals"]) == "Neither higher nor lower is better in itself"


def test_each_trend_period_has_the_neighbours_figure_for_its_year_else_the_latest_before_it():
    years = ("2020-21", "2021-22", "2022-23", "2023-24")
    trend = [Result("cpp_per_10000", Period.census_year(year), 40.0, 4, None) for year in years]
    entered = [Figure("cpp_per_10000", year, decimal.Decimal(value), "NFER model", "DfE tool")
               for year, value in ((2022, "45.3"), (2023, "41.24"), (2025, "39"))]
    cells = ["Not entered", "45.3 per 10,000 children (2022)", "41.2 per 10,000 children (2023)",
             "41.2 per 10,000 children (2023; none entered for 2024)"]
    indicator = INDICATORS["cpp_per_10000"]
    for table in (present.trend_table(indicator, trend, {"year": "2023-24"}, "t", entered),
                  present.plain_trend_table(indicator, trend, "t", entered)):
        assert [cell["text"] for cell in table["head"]] == ["Period", "Figure", "Statistical neighbours", "Counted"]
        assert [(row[0]["text"], row[2]["text"]) for row in table["rows"]] == list(zip(years, cells, strict=True))
    assert [row[2]["text"] for row in present.plain_trend_table(indicator, trend, "t", [])["rows"]] == [
        "Not entered"] * 4


def test_the_reason_for_no_figure_is_a_sentence():
    assert present.sentence("no referrals in the period") == "No referrals in the period."
    assert present.sentence("") == ""


def test_the_flow_diagram_draws_each_outcome_as_thick_as_its_share_without_overlap():
    from casefile.rules.journeys import Branch, Journey, Stage

    def stage(code, label, counts):
        return Stage(code, label, "x", tuple(Branch(name, name.title(), tuple(range(n)), frozenset())
                                              for name, n in counts))

    found = Journey(Period(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)), datetime.date(2026, 3, 31), (
        stage("contacts", "Contacts received", [("referral", 3), ("early_help", 1), ("no_further_action", 0)]),
        stage("referrals", "Referrals received", [("assessment", 2), ("section_47", 2)]),
    ))
    flow = present.flow_diagram(found.stages)
    solid = [link for link in flow.links if not link.dashed]
    assert [link.width for link in solid] == [round(1 + 11 * share, 1) for share in (3 / 4, 1 / 4, 0, 1 / 2, 1 / 2)]
    assert len([link for link in flow.links if link.dashed]) == 1  # only contacts referred to referrals is drawn
    outcomes = sorted((box.y, box.y + box.height) for box in flow.boxes if not box.stage)
    assert all(top >= bottom for (_, bottom), (top, _) in zip(outcomes, outcomes[1:], strict=False))
    assert max(box.y + box.height for box in flow.boxes) <= flow.height
    assert "Contacts received 4: Referral 3, Early_Help 1, No_Further_Action 0" in flow.description
