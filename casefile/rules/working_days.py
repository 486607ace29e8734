"""Working days in England and Wales, counted the two ways the DfE counts them.

Statutory clocks in children's social care (1 working day for a referral decision, 45 for an assessment,
15 for an initial conference) count working days. Working Together does not define a working day, so we use
the usual statutory meaning: not a Saturday, Sunday or England and Wales bank holiday (statutory-rules.md §7).
Bank holidays come from the `holidays` package (`holidays.UK(subdiv="ENG")`), which includes the one-off days
(2022-06-03 Platinum Jubilee, 2022-09-19 State Funeral, 2023-05-08 Coronation). An authority can add its own
one-off closures, which later come from a database table; this module never touches the database.

Two counting conventions exist and they differ by one day (statutory-rules.md §7, "Counting convention"):

- `Convention.ANCHOR_IS_DAY_0`, used by the DfE statistics: the timeliness bands start with "started and
  finished the same day" and then "1-10 days", so the anchor day is day 0 and the limit is reached on the Nth
  working day after it. This is the default, as the reference recommends.
- `Convention.ANCHOR_IS_DAY_1`, used by the DfE CIN validator (`cin_validator/utils.py::england_working_days`
  offsets by `CustomBusinessDay(n=N-1)`): the anchor day (or the first working day on or after it) is day 1,
  so the limit is reached one working day sooner.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

import holidays

ONE_DAY = timedelta(days=1)
SATURDAY = 5


class Convention(StrEnum):
    """Whether the anchor day (the recorded event that starts a clock) is day 0 or day 1."""

    ANCHOR_IS_DAY_0 = "anchor_is_day_0"
    ANCHOR_IS_DAY_1 = "anchor_is_day_1"


# Named for where each convention comes from, so settings and tests can say which DfE view they follow.
DFE_STATISTICS = Convention.ANCHOR_IS_DAY_0
DFE_VALIDATOR = Convention.ANCHOR_IS_DAY_1


@lru_cache(maxsize=512)
def england_and_wales_bank_holidays(year: int) -> Mapping[date, str]:
    """Bank holidays for one year, built once: building them from the `holidays` rules is the slow part.

    The package also lists weekend originals next to their "(observed)" substitutes; they are harmless here
    because weekends are never working days.
    """
    return MappingProxyType(dict(holidays.UK(subdiv="ENG", years=year)))


@lru_cache(maxsize=256)
def _weekday_bank_holidays(first_year: int, last_year: int) -> frozenset[date]:
    """Bank holidays that close a weekday, per year range: clocks ask for the same one or two years again and again."""
    return frozenset(day for year in range(first_year, last_year + 1)
                     for day in england_and_wales_bank_holidays(year) if day.weekday() < SATURDAY)


@dataclass(frozen=True)
class WorkingCalendar:
    """England and Wales working days, plus any one-off days the authority has closed (hashable, immutable)."""

    extra_non_working_days: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self):
        # Accept any iterable of dates (a list from a query, a set from settings) but keep it immutable.
        object.__setattr__(self, "extra_non_working_days", frozenset(self.extra_non_working_days))

    def is_working_day(self, day: date) -> bool:
        return (day.weekday() < SATURDAY and day not in _weekday_bank_holidays(day.year, day.year)
                and day not in self.extra_non_working_days)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def first_working_day_from(self, day: date) -> date:
        """`day` itself if it is a working day, otherwise the next one."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def closed_weekdays(self, first: date, last: date) -> Iterator[date]:
        """Mondays to Fridays from `first` to `last` inclusive that are not working days."""
        extras = {day for day in self.extra_non_working_days if day.weekday() < SATURDAY}
        closed = _weekday_bank_holidays(first.year, last.year) | extras
        return (day for day in closed if first <= day <= last)


ENGLAND_AND_WALES = WorkingCalendar()


# Pure and asked the same questions again and again (a manager's list works out thousands of clocks from a few
# hundred distinct dates), so the answers are kept: the calendar is immutable, so a cached answer cannot go stale.
@lru_cache(maxsize=65_536)
def add_working_days(start: date, n: int, calendar: WorkingCalendar,
                     convention: Convention = DFE_STATISTICS) -> date:
    """The date on which a limit of `n` working days from `start` is reached.

    Day 0: the nth working day after `start` (n=0 gives `start`). Day 1: `start`, or the first working day
    after it when it is closed, is day 1, so the answer is one working day sooner; n must then be at least 1.
    """
    day, steps = _first_counted_day(start, n, calendar, convention)
    if steps > 5:
        # Jump whole weeks, then walk: at most five working days a week, so at least one step is left to walk and
        # the answer is after the day jumped to.
        jumped = day + timedelta(days=(steps - 1) // 5 * 7)
        steps -= working_days_in(day + ONE_DAY, jumped, calendar)
        day = jumped
    for _ in range(steps):
        day = calendar.next_working_day(day)
    return day


def working_days_between(start: date, end: date, calendar: WorkingCalendar,
                         convention: Convention = DFE_STATISTICS) -> int:
    """How many working days `end` is from `start`, so that `end` is "day N" of a clock anchored on `start`.

    Day 0 counts working days after `start` up to and including `end` (same day = 0, as in the DfE bands).
    Day 1 also counts `start` itself when it is a working day. The inverse of `add_working_days`.
    """
    if end < start:
        raise ValueError(f"end ({end.isoformat()}) must be on or after start ({start.isoformat()})")
    first = start if convention is Convention.ANCHOR_IS_DAY_1 else start + ONE_DAY
    return working_days_in(first, end, calendar)


def working_days_between_each(pairs: Iterable[tuple[date, date]], calendar: WorkingCalendar,
                              convention: Convention = DFE_STATISTICS) -> list[int]:
    """`working_days_between` of each (start, end) pair, from one running count of the working days over the days
    the pairs span: ten years of an authority's assessments (a quarter of a million pairs) in a small fraction of
    the time of asking one pair at a time."""
    pairs = list(pairs)
    if not pairs:
        return []
    for start, end in pairs:
        if end < start:
            raise ValueError(f"end ({end.isoformat()}) must be on or after start ({start.isoformat()})")
    # working[i]: working days from the day before the earliest start to the day i days after it, inclusive.
    before = min(start for start, _ in pairs) - ONE_DAY
    origin, working = before.toordinal(), [0]
    for offset in range(1, max(end for _, end in pairs).toordinal() - origin + 1):
        working.append(working[-1] + calendar.is_working_day(before + timedelta(days=offset)))
    # Day 0 counts from the day after the start; day 1 from the start itself.
    back = 1 if convention is Convention.ANCHOR_IS_DAY_1 else 0
    return [working[end.toordinal() - origin] - working[start.toordinal() - origin - back] for start, end in pairs]


def working_days_in(first: date, last: date, calendar: WorkingCalendar) -> int:
    """Working days from `first` to `last` inclusive, by arithmetic rather than a day-by-day walk: the weekdays,
    less the closed weekdays found by bisecting their sorted list (a whole authority asks this a million times)."""
    if last < first:
        return 0
    closed = _closed_ordinals(calendar, first.year, last.year)
    start, end = first.toordinal(), last.toordinal()
    return _weekdays_to(end) - _weekdays_to(start - 1) - (bisect_right(closed, end) - bisect_left(closed, start))


def _weekdays_to(ordinal: int) -> int:
    """Mondays to Fridays from day 1 (Monday 1 January of year 1) to `ordinal` inclusive: five per whole week."""
    whole_weeks, leftover = divmod(ordinal, 7)
    return whole_weeks * 5 + min(leftover, 5)


@lru_cache(maxsize=256)
def _closed_ordinals(calendar: WorkingCalendar, first_year: int, last_year: int) -> tuple[int, ...]:
    """The calendar's closed weekdays in those years, as sorted day numbers."""
    first, last = date(first_year, 1, 1), date(last_year, 12, 31)
    return tuple(sorted(day.toordinal() for day in calendar.closed_weekdays(first, last)))


def _first_counted_day(start: date, n: int, calendar: WorkingCalendar,
                       convention: Convention) -> tuple[date, int]:
    """Where counting starts and how many working days remain to step, for each convention."""
    if convention is Convention.ANCHOR_IS_DAY_1:
        if n < 1:
            raise ValueError(f"n must be at least 1 when the anchor is day 1, got {n}")
        return calendar.first_working_day_from(start), n - 1
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    return start, n

