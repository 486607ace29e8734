"""When supervision is next due, and overdue: monthly by default, fortnightly in the first year after qualifying."""

from __future__ import annotations

import datetime

import pytest

from casefile.rules.supervision import (
    DUE_SOON,
    ON_TIME,
    OVERDUE,
    Interval,
    SupervisionStandard,
    add_months,
    supervision_due,
)

D = datetime.date
STANDARD = SupervisionStandard()
LONG_AGO = D(2015, 9, 1)


def due(last, today, qualified_on=None, started_on=LONG_AGO, standard=STANDARD):
    return supervision_due(last=last, started_on=started_on, qualified_on=qualified_on, today=today,
                           standard=standard)


def test_an_experienced_worker_is_due_a_month_after_their_last_supervision():
    result = due(D(2026, 3, 10), today=D(2026, 3, 20))
    assert (result.due_on, result.status, result.frequency) == (D(2026, 4, 10), ON_TIME, "monthly")


@pytest.mark.parametrize(("last", "expected"), [
    (D(2026, 1, 31), D(2026, 2, 28)),
    (D(2024, 1, 31), D(2024, 2, 29)),
    (D(2026, 12, 15), D(2027, 1, 15)),
    (D(2026, 8, 31), D(2026, 9, 30)),
])
def test_a_month_later_is_the_same_day_or_the_last_day_of_a_shorter_month(last, expected):
    assert add_months(last, 1) == expected
    assert due(last, today=last).due_on == expected


def test_overdue_the_day_after_it_was_due_and_due_soon_within_a_week():
    last = D(2026, 3, 10)
    assert due(last, today=D(2026, 4, 10)).status == DUE_SOON
    assert due(last, today=D(2026, 4, 3)).status == DUE_SOON
    assert due(last, today=D(2026, 4, 2)).status == ON_TIME
    result = due(last, today=D(2026, 4, 11))
    assert result.status == OVERDUE and result.is_overdue and result.status_label == "Overdue"


def test_a_newly_qualified_worker_is_due_a_fortnight_after_their_last_supervision():
    result = due(D(2026, 3, 10), today=D(2026, 3, 12), qualified_on=D(2025, 9, 1))
    assert (result.due_on, result.frequency, result.newly_qualified) == (D(2026, 3, 24), "fortnightly", True)


def test_the_fortnightly_standard_ends_on_the_first_anniversary_of_qualifying():
    qualified = D(2025, 9, 1)
    assert due(D(2026, 8, 31), today=D(2026, 9, 1), qualified_on=qualified).due_on == D(2026, 9, 14)
    after = due(D(2026, 9, 1), today=D(2026, 9, 2), qualified_on=qualified)
    assert (after.due_on, after.frequency, after.newly_qualified) == (D(2026, 10, 1), "monthly", False)


def test_a_qualifying_date_still_to_come_is_not_newly_qualified():
    assert due(D(2026, 3, 10), today=D(2026, 3, 10), qualified_on=D(2026, 6, 1)).frequency == "monthly"


def test_a_worker_never_supervised_is_due_one_interval_after_they_started():
    never = due(None, today=D(2026, 3, 20), started_on=D(2026, 3, 2), qualified_on=D(2026, 1, 15))
    assert (never.due_on, never.status) == (D(2026, 3, 16), OVERDUE)


def test_the_standard_is_configurable():
    standard = SupervisionStandard.from_mapping({"usual": {"amount": 6, "unit": "weeks"},
                                                 "newly_qualified": {"amount": 1, "unit": "weeks"},
                                                 "newly_qualified_months": 6, "due_soon_days": 0})
    assert due(D(2026, 3, 10), today=D(2026, 3, 10), standard=standard).due_on == D(2026, 4, 21)
    newly = due(D(2026, 3, 10), today=D(2026, 3, 17), qualified_on=D(2026, 1, 1), standard=standard)
    assert (newly.due_on, newly.frequency, newly.status) == (D(2026, 3, 17), "weekly", DUE_SOON)
    assert due(D(2026, 7, 10), today=D(2026, 7, 10), qualified_on=D(2026, 1, 1), standard=standard).frequency == (
        "every 6 weeks")
    assert SupervisionStandard.from_mapping({}) == STANDARD


@pytest.mark.parametrize("mapping", [
    {"often": 1},
    {"usual": {"amount": 1, "unit": "years"}},
    {"usual": {"amount": 0, "unit": "months"}},
    {"usual": {"amount": True, "unit": "months"}},
    {"usual": 1},
    {"newly_qualified_months": -1},
    {"due_soon_days": "7"},
])
def test_a_setting_that_makes_no_sense_is_refused(mapping):
    with pytest.raises(ValueError, match="upervision"):
        SupervisionStandard.from_mapping(mapping)


@pytest.mark.parametrize(("interval", "words"), [
    (Interval(1, "months"), "monthly"), (Interval(2, "weeks"), "fortnightly"), (Interval(7, "days"), "weekly"),
    (Interval(3, "months"), "every 3 months"), (Interval(10, "days"), "every 10 days"),
    (Interval(1, "days"), "daily"), (Interval(1, "weeks"), "weekly"),
])
def test_the_frequency_in_words(interval, words):
    assert interval.frequency == words
