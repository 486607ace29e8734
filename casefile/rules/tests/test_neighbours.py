"""The statistical neighbours' file: indicators by code or title, values in the indicator's unit, every problem
named by row and column, and the figure shown beside a period (its own year, else the latest before it)."""

import datetime
import decimal

import pytest

from casefile.rules.indicators import INDICATOR_LIST, INDICATORS, Unit
from casefile.rules.neighbours import Figure, NeighbourError, for_period, parse, year_of

HEADER = "indicator,year,value,group,source\n"
TODAY = datetime.date(2026, 6, 1)
D = decimal.Decimal


def test_a_good_file_gives_each_figure_by_code_in_the_indicators_unit():
    figures = parse("\ufeff" + HEADER + "re_referrals,2025,21.4,NFER model,DfE tool\n"
                    "Assessments completed within 45 working days,2025, 83.25% ,NFER model,DfE tool\n"
                    'REFERRALS,2024,"5,210.456",  NFER   model ,DfE tool\n\n', today=TODAY)
    assert [(f.indicator, f.year, f.value, f.group) for f in figures] == [
        ("re_referrals", 2025, D("21.40"), "NFER model"),
        ("assessments_within_45_working_days", 2025, D("83.25"), "NFER model"),
        ("referrals", 2024, D("5210.46"), "NFER model")]


def test_every_indicator_is_known_by_its_code_and_its_title():
    text = HEADER + "".join(f'{i.code},2025,1,G,S\n"{i.title.upper()}",2024,1,G,S\n' for i in INDICATOR_LIST)
    assert [f.indicator for f in parse(text, today=TODAY)] == [i.code for i in INDICATOR_LIST for _ in (1, 2)]


def test_columns_may_come_in_any_order():
    assert parse("source,group,value,year,indicator\nDfE,NFER,12.5,2025,re_referrals\n",
                 today=TODAY) == [Figure("re_referrals", 2025, D("12.50"), "NFER", "DfE")]


PERCENT = next(i.code for i in INDICATOR_LIST if i.unit is Unit.PERCENT)
RATE = next(i.code for i in INDICATOR_LIST if i.unit is Unit.RATE_PER_10000)


@pytest.mark.parametrize(("row", "expected"), [
    (f"{PERCENT},2025,abc,G,S", "Row 3, value: expected a number, got 'abc'"),
    (f"{PERCENT},2025,,G,S", "Row 3, value: expected a number, got ''"),
    (f"{PERCENT},2025,NaN,G,S", "Row 3, value: expected a number, got 'NaN'"),
    (f"{PERCENT},2025,-1.5,G,S", "Row 3, value: expected a number of 0 or more, got '-1.5'"),
    (f"{PERCENT},2025,100.1,G,S", "Row 3, value: expected a percentage from 0 to 100, got '100.1'"),
    (f"{RATE},2025,-3,G,S", "Row 3, value: expected a number of 0 or more, got '-3'"),
    ("caseloads,2025,5,G,S", "Row 3, indicator: expected an indicator's code or title, such as re_referrals"),
    (f"{PERCENT},1999,5,G,S", "Row 3, year: expected the year the figure describes, from 2000 to 2026"),
    (f"{PERCENT},2027,5,G,S", "Row 3, year: expected the year the figure describes, from 2000 to 2026"),
    (f"{PERCENT},25,5,G,S", "got '25'"),
    (f"{PERCENT},2025,5,,S", "Row 3, group: enter the neighbour group"),
    (f"{PERCENT},2025,5,G,", "Row 3, source: enter where the figure comes from"),
    (f"{PERCENT},2025,5,{'G' * 101},S", "Row 3, group: expected at most 100 characters, got 101"),
])
def test_each_bad_value_is_named_by_row_and_column(row, expected):
    with pytest.raises(NeighbourError) as refused:
        parse(HEADER + "re_referrals,2025,21.4,G,S\n" + row + "\n", today=TODAY)
    assert expected in str(refused.value)
    assert {problem[0] for problem in refused.value.problems} == {3}


def test_a_rate_or_count_may_be_over_100():
    assert parse(HEADER + f"{RATE},2025,191.6,G,S\nreferrals,2025,632830,G,S\n", today=TODAY)[0].value == D("191.6")


def test_every_problem_is_reported_and_a_repeat_is_refused():
    with pytest.raises(NeighbourError) as refused:
        parse(HEADER + "re_referrals,2025,x,G,S\nre_referrals,2024,1,G,S\nRe-referrals within 12 months,2024,2,G,S\n"
                       "nothing,1800,-1,,\n", today=TODAY)
    assert [problem[:2] for problem in refused.value.problems] == [
        (2, "value"), (4, "year"), (5, "indicator"), (5, "year"), (5, "value"), (5, "group"), (5, "source")]
    assert "Row 4, year: Re-referrals within 12 months (2024) is already on row 3" in str(refused.value)


@pytest.mark.parametrize(("text", "expected"), [
    ("", "the file is empty"), ("indicator,year,value\nreferrals,2025,1\n", "no column group, source"),
    (HEADER, "no figures")])
def test_a_file_without_its_header_or_figures_is_refused(text, expected):
    with pytest.raises(NeighbourError, match=expected):
        parse(text, today=TODAY)


@pytest.mark.parametrize(("end", "year"), [
    (datetime.date(2025, 3, 31), 2025), (datetime.date(2025, 9, 30), 2025), (datetime.date(2025, 3, 30), 2024)])
def test_a_periods_year_is_the_latest_year_to_31_march_ended_by_its_end(end, year):
    assert year_of(end) == year


def test_beside_a_period_the_figure_for_its_year_else_the_latest_before_it():
    figures = [Figure("referrals", year, D(year), "G", "S") for year in (2021, 2023, 2026)]
    exact = for_period(figures, datetime.date(2023, 3, 31))
    assert (exact.figure.year, exact.exact) == (2023, True)
    earlier = for_period(figures, datetime.date(2025, 3, 31))
    assert (earlier.figure.year, earlier.wanted, earlier.exact) == (2023, 2025, False)
    assert for_period(figures, datetime.date(2020, 3, 31)) is None
    assert INDICATORS["referrals"].unit is Unit.COUNT
