"""The index that says which rows are open on a day (rules.indicators.core.OpenOn), against a direct scan, and the
figures that read it over many periods asked in any order, against each period worked out on its own."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.rules.indicators import INDICATORS, ROWS, Cohort, Period, months
from casefile.rules.indicators.core import OpenOn, open_on

FIRST = date(2020, 1, 1)
days = st.integers(0, 400).map(lambda n: FIRST + timedelta(days=n))
maybe_days = st.one_of(st.none(), days)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(days, maybe_days), max_size=30), asked=st.lists(days, min_size=1, max_size=12))
def test_the_rows_open_on_each_day_whatever_order_the_days_are_asked_in(rows, asked):
    rows.sort(key=lambda row: row[0])
    index = OpenOn(rows, lambda row: row[0], lambda row: row[1])
    for day in asked:
        assert index.on(day) == [row for row in rows if open_on(row[0], row[1], day)]


def test_a_row_that_ends_before_it_starts_is_never_open():
    index = OpenOn([(date(2020, 3, 1), date(2020, 2, 1))], lambda row: row[0], lambda row: row[1])
    assert [index.on(date(2020, month, 15)) for month in (1, 2, 3, 4)] == [[], [], [], []]


@pytest.mark.parametrize("rows", [[(date(2020, 2, 1), None), (date(2020, 1, 1), None)], [(None, None)]])
def test_rows_out_of_order_or_without_a_start_are_refused(rows):
    with pytest.raises(ValueError, match="^rows: expected rows in order of their start"):
        OpenOn(rows, lambda row: row[0], lambda row: row[1])


# The figures that read the index: children open, unallocated, on a plan, visited, and their changes of worker.
OPEN_FIGURES = ("open_cases", "unallocated_children", "cpp_per_10000", "cp_visits_in_time", "children_seen_alone",
                "caseload_per_worker", "worker_changes_per_child")


def _spans(draw, count: int):
    spans = []
    for _ in range(count):
        start, length = draw(days), draw(st.one_of(st.none(), st.integers(0, 200)))
        spans.append((start, None if length is None else start + timedelta(days=length)))
    return spans


@st.composite
def cohorts(draw) -> Cohort:
    children = range(1, 7)
    episodes = [ROWS["episodes"](n, draw(st.sampled_from(children)), start, draw(st.booleans()), end, None)
                for n, (start, end) in enumerate(_spans(draw, draw(st.integers(0, 12))), 1)]
    allocations = [ROWS["allocations"](n, draw(st.sampled_from(children)), start, end, 1,
                                       draw(st.sampled_from([None, 10, 11, 12])))
                   for n, (start, end) in enumerate(_spans(draw, draw(st.integers(0, 15))), 1)]
    plans = [ROWS["plans"](n, draw(st.sampled_from(children)), draw(st.sampled_from(["cp", "cin"])), start, end, None,
                           None) for n, (start, end) in enumerate(_spans(draw, draw(st.integers(0, 6))), 1)]
    visits = [ROWS["cp_visits"](n, draw(st.sampled_from([plan.id for plan in plans])), draw(days), draw(st.booleans()))
              for n in range(1, draw(st.integers(0, 10)) + 1)] if plans else []
    workers = [ROWS["workers"](worker, 1, "permanent", FIRST, None, 1.0, True) for worker in (10, 11, 12)]
    return Cohort(episodes=episodes, allocations=allocations, plans=plans, cp_visits=visits, workers=workers,
                  population_under_18=1000)


@settings(max_examples=100, deadline=None)
@given(cohort=cohorts(), order=st.permutations(months(FIRST, FIRST + timedelta(days=400))))
def test_figures_over_many_periods_equal_each_period_worked_out_alone(cohort, order):
    asked = {(code, period): INDICATORS[code](cohort, period) for period in order for code in OPEN_FIGURES}
    for (code, period), result in asked.items():
        alone = dataclasses.replace(cohort)  # a new cohort: nothing remembered from other periods
        assert INDICATORS[code](alone, period) == result, (code, period)


def test_a_year_and_its_months_agree_on_the_last_day():
    cohort = Cohort(episodes=[ROWS["episodes"](1, 1, date(2020, 1, 5), False, date(2020, 6, 1), None),
                              ROWS["episodes"](2, 2, date(2020, 3, 1), False, None, None)])
    year = Period(date(2020, 1, 1), date(2020, 12, 31))
    december = Period(date(2020, 12, 1), date(2020, 12, 31))
    may = Period(date(2020, 5, 1), date(2020, 5, 31))
    figures = [INDICATORS["open_cases"](cohort, period).value for period in (year, may, december)]
    assert figures == [1, 2, 1]
