"""Working days in England and Wales, and the two DfE counting conventions (statutory-rules.md §7)."""

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.rules.working_days import (
    DFE_STATISTICS,
    DFE_VALIDATOR,
    ENGLAND_AND_WALES,
    Convention,
    WorkingCalendar,
    add_working_days,
    england_and_wales_bank_holidays,
    working_days_between,
    working_days_between_each,
)

D = date
# No example database: it would write a .hypothesis folder into the repository.
PROPERTY = settings(deadline=None, database=None, max_examples=300)

# Known England and Wales bank holidays, written out by hand (weekdays only: these are the days that close).
KNOWN_BANK_HOLIDAYS = {
    # Diamond Jubilee year: the spring bank holiday moved to Monday 4 June, jubilee Tuesday 5 June.
    2012: {D(2012, 1, 2), D(2012, 4, 6), D(2012, 4, 9), D(2012, 5, 7), D(2012, 6, 4), D(2012, 6, 5),
           D(2012, 8, 27), D(2012, 12, 25), D(2012, 12, 26)},
    # VE Day 75: the early May bank holiday moved to Friday 8 May; Boxing Day (Sat) substituted on Mon 28.
    2020: {D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 8), D(2020, 5, 25), D(2020, 8, 31),
           D(2020, 12, 25), D(2020, 12, 28)},
    # Platinum Jubilee (spring bank holiday Thu 2 June, jubilee Fri 3 June) and the State Funeral (19 Sep).
    2022: {D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2), D(2022, 6, 3),
           D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27)},
    # Coronation Monday 8 May.
    2023: {D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8), D(2023, 5, 29),
           D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26)},
    # Christmas on a Saturday: substitutes Monday 27 and Tuesday 28 December.
    2027: {D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31), D(2027, 8, 30),
           D(2027, 12, 27), D(2027, 12, 28)},
}

# Departures from the usual pattern between 2012 and 2028: days added, and usual days replaced.
ONE_OFF_DAYS = {D(2012, 6, 5), D(2022, 6, 3), D(2022, 9, 19), D(2023, 5, 8)}
MOVED = {D(2012, 5, 28): D(2012, 6, 4), D(2022, 5, 30): D(2022, 6, 2), D(2020, 5, 4): D(2020, 5, 8)}


def weekday_bank_holidays(year):
    return {day for day in england_and_wales_bank_holidays(year) if day.weekday() < 5}


def easter_sunday(year):
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher), independent of the `holidays` package."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return D(year, month, day + 1)


def nth_monday(year, month, n):
    first = D(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


def last_monday(year, month):
    last = D(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def usual_pattern(year):
    """The weekdays the usual rules close, with substitutes for New Year, Christmas and Boxing Day."""
    new_year = D(year, 1, 1)
    new_year = new_year + timedelta(days={5: 2, 6: 1}.get(new_year.weekday(), 0))
    christmas = {0: (25, 26), 1: (25, 26), 2: (25, 26), 3: (25, 26), 4: (25, 28), 5: (27, 28), 6: (26, 27)}
    easter = easter_sunday(year)
    days = {new_year, easter - timedelta(days=2), easter + timedelta(days=1), nth_monday(year, 5, 1),
            last_monday(year, 5), last_monday(year, 8)}
    days |= {D(year, 12, day) for day in christmas[D(year, 12, 25).weekday()]}
    return {MOVED.get(day, day) for day in days} | {day for day in ONE_OFF_DAYS if day.year == year}


@pytest.mark.parametrize("year", sorted(KNOWN_BANK_HOLIDAYS))
def test_the_holidays_data_matches_a_hand_written_list(year):
    assert weekday_bank_holidays(year) == KNOWN_BANK_HOLIDAYS[year]


@pytest.mark.parametrize("year", range(2012, 2029))
def test_the_holidays_data_follows_the_england_and_wales_rules_from_2012_to_2028(year):
    assert weekday_bank_holidays(year) == usual_pattern(year)


def test_the_cross_check_itself_knows_easter():
    # Easter Sundays as printed in any calendar: 2019-04-21, 2024-03-31, 2025-04-20, 2038-04-25.
    assert [easter_sunday(y) for y in (2019, 2024, 2025, 2038)] == [
        D(2019, 4, 21), D(2024, 3, 31), D(2025, 4, 20), D(2038, 4, 25)]


@pytest.mark.parametrize("day, name", [
    (D(2022, 6, 3), "Platinum Jubilee"), (D(2022, 9, 19), "State Funeral"), (D(2023, 5, 8), "Coronation")])
def test_the_one_off_bank_holidays_are_not_working_days(day, name):
    assert name in england_and_wales_bank_holidays(day.year)[day]
    assert not ENGLAND_AND_WALES.is_working_day(day)


def test_weekends_and_bank_holidays_are_not_working_days_but_other_weekdays_are():
    assert [ENGLAND_AND_WALES.is_working_day(day) for day in (
        D(2024, 3, 28), D(2024, 3, 29), D(2024, 3, 30), D(2024, 3, 31), D(2024, 4, 1), D(2024, 4, 2))] == [
        True, False, False, False, False, True]  # Thu, Good Friday, Sat, Sun, Easter Monday, Tue


def test_an_authority_can_close_an_extra_day():
    closed_christmas_eve = WorkingCalendar([D(2025, 12, 24)])
    assert not closed_christmas_eve.is_working_day(D(2025, 12, 24))
    assert ENGLAND_AND_WALES.is_working_day(D(2025, 12, 24))
    # From Tue 23 Dec: 24 closed locally, 25 and 26 bank holidays, 27-28 weekend, so day 1 is Mon 29.
    assert add_working_days(D(2025, 12, 23), 1, closed_christmas_eve) == D(2025, 12, 29)
    assert working_days_between(D(2025, 12, 22), D(2025, 12, 29), closed_christmas_eve) == 2  # 23, 29


def test_calendars_with_the_same_closures_are_equal_and_hashable():
    assert WorkingCalendar([D(2025, 12, 24)]) == WorkingCalendar({D(2025, 12, 24)})
    assert len({WorkingCalendar(), ENGLAND_AND_WALES}) == 1


def test_the_holiday_set_is_built_once_per_year():
    assert england_and_wales_bank_holidays(2025) is england_and_wales_bank_holidays(2025)


# Day 0 (DfE statistics): the anchor is day 0, the first working day after it is day 1.
# Day 1 (DfE validator): the anchor, when a working day, is day 1, so every limit falls one working day sooner.
@pytest.mark.parametrize("start, n, day_0, day_1", [
    # Wed 24 Dec 2025: 25 Christmas, 26 Boxing Day, 27-28 weekend; Mon 29 is the first working day after.
    (D(2025, 12, 24), 1, D(2025, 12, 29), D(2025, 12, 24)),
    # 29, 30, 31 Dec are days 1-3; Thu 1 Jan is New Year's Day; Fri 2 Jan is day 4, Mon 5 Jan day 5.
    (D(2025, 12, 24), 5, D(2026, 1, 5), D(2026, 1, 2)),
    # Thu 28 Mar 2024: Good Friday 29, weekend, Easter Monday 1 Apr; Tue 2 Apr is day 1.
    (D(2024, 3, 28), 1, D(2024, 4, 2), D(2024, 3, 28)),
    (D(2024, 3, 28), 2, D(2024, 4, 3), D(2024, 4, 2)),
    # Wed 1 Jun 2022: Thu 2 spring bank holiday, Fri 3 Platinum Jubilee, weekend; Mon 6 is day 1.
    (D(2022, 6, 1), 1, D(2022, 6, 6), D(2022, 6, 1)),
    # Fri 16 Sep 2022: Mon 19 State Funeral; Tue 20 is day 1.
    (D(2022, 9, 16), 1, D(2022, 9, 20), D(2022, 9, 16)),
    # Fri 5 May 2023: Mon 8 Coronation; Tue 9 is day 1.
    (D(2023, 5, 5), 1, D(2023, 5, 9), D(2023, 5, 5)),
])
def test_adding_working_days_skips_weekends_and_bank_holidays(start, n, day_0, day_1):
    assert add_working_days(start, n, ENGLAND_AND_WALES, DFE_STATISTICS) == day_0
    assert add_working_days(start, n, ENGLAND_AND_WALES, DFE_VALIDATOR) == day_1


def test_an_anchor_on_a_closed_day_counts_from_the_next_working_day_as_day_1_in_the_validator_convention():
    # Good Friday 29 Mar 2024: day 1 is Tue 2 Apr in both conventions (day 0 is the Friday itself).
    assert add_working_days(D(2024, 3, 29), 1, ENGLAND_AND_WALES, DFE_VALIDATOR) == D(2024, 4, 2)
    assert add_working_days(D(2024, 3, 29), 1, ENGLAND_AND_WALES, DFE_STATISTICS) == D(2024, 4, 2)


def test_the_same_day_is_day_0_for_statistics_and_day_1_for_the_validator():
    # DfE bands begin "started and finished the same day" (day 0); the validator counts the start day.
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 3), ENGLAND_AND_WALES, DFE_STATISTICS) == 0
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 3), ENGLAND_AND_WALES, DFE_VALIDATOR) == 1


def test_counting_across_easter():
    # Thu 28 Mar to Tue 9 Apr 2024: Apr 2, 3, 4, 5, 8, 9 are working days after the start.
    assert working_days_between(D(2024, 3, 28), D(2024, 4, 9), ENGLAND_AND_WALES, DFE_STATISTICS) == 6
    assert working_days_between(D(2024, 3, 28), D(2024, 4, 9), ENGLAND_AND_WALES, DFE_VALIDATOR) == 7


def test_counting_refuses_an_end_before_the_start():
    with pytest.raises(ValueError, match="end .* must be on or after start"):
        working_days_between(D(2025, 3, 3), D(2025, 3, 2), ENGLAND_AND_WALES)


def test_day_1_counting_needs_at_least_one_working_day():
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(D(2025, 3, 3), 0, ENGLAND_AND_WALES, DFE_VALIDATOR)
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(D(2025, 3, 3), -1, ENGLAND_AND_WALES, DFE_STATISTICS)


# Property tests over the years the holiday data is cross-checked for, with and without local closures.
starts = st.dates(min_value=D(2012, 1, 1), max_value=D(2027, 12, 31))
limits = st.integers(min_value=1, max_value=260)
calendars = st.builds(WorkingCalendar, st.frozensets(st.dates(min_value=D(2012, 1, 1),
                                                              max_value=D(2028, 12, 31)), max_size=20))
conventions = st.sampled_from(list(Convention))


def naive_count(first, last, calendar):
    """Day-by-day count, to check the arithmetic count against."""
    return sum(calendar.is_working_day(first + timedelta(days=i)) for i in range((last - first).days + 1))


@PROPERTY
@given(start=starts, n=limits, calendar=calendars, convention=conventions)
def test_a_working_day_due_date_never_falls_on_a_weekend_bank_holiday_or_closed_day(start, n, calendar, convention):
    due = add_working_days(start, n, calendar, convention)
    assert due.weekday() < 5
    assert due not in holidays.UK(subdiv="ENG", years=due.year)
    assert due not in calendar.extra_non_working_days


@PROPERTY
@given(start=starts, n=limits, calendar=calendars, convention=conventions)
def test_counting_the_days_to_a_due_date_gives_back_the_limit(start, n, calendar, convention):
    assert working_days_between(start, add_working_days(start, n, calendar, convention), calendar, convention) == n


@PROPERTY
@given(start=starts, n=limits, calendar=calendars, convention=conventions)
def test_a_longer_limit_always_gives_a_later_due_date(start, n, calendar, convention):
    assert add_working_days(start, n + 1, calendar, convention) > add_working_days(start, n, calendar, convention)


@PROPERTY
@given(start=starts, days=st.integers(min_value=0, max_value=800), calendar=calendars)
def test_the_arithmetic_count_agrees_with_walking_day_by_day(start, days, calendar):
    end = start + timedelta(days=days)
    assert working_days_between(start, end, calendar, DFE_VALIDATOR) == naive_count(start, end, calendar)
    assert working_days_between(start, end, calendar, DFE_STATISTICS) == naive_count(
        start + timedelta(days=1), end, calendar)



@PROPERTY
@given(start=starts, n=limits, calendar=calendars, convention=conventions)
def test_adding_by_whole_weeks_agrees_with_walking_day_by_day(start, n, calendar, convention):
    day, steps = (calendar.first_working_day_from(start), n - 1) if convention is DFE_VALIDATOR else (start, n)
    for _ in range(steps):
        day = calendar.next_working_day(day)
    assert add_working_days(start, n, calendar, convention) == day


@PROPERTY
@given(pairs=st.lists(st.tuples(starts, st.integers(min_value=0, max_value=800)), max_size=30),
       calendar=calendars, convention=conventions)
def test_counting_many_pairs_at_once_agrees_with_counting_each(pairs, calendar, convention):
    pairs = [(start, start + timedelta(days=days)) for start, days in pairs]
    assert working_days_between_each(pairs, calendar, convention) == [
        working_days_between(start, end, calendar, convention) for start, end in pairs]


def test_counting_many_pairs_refuses_an_end_before_the_start():
    with pytest.raises(ValueError, match="must be on or after start"):
        working_days_between_each([(D(2024, 1, 2), D(2024, 1, 5)), (D(2024, 1, 5), D(2024, 1, 2))], ENGLAND_AND_WALES)
