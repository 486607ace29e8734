"""CASEFILE_TEST_CLOCK runs the suite as if it were another moment, in every process, under the tests' own travel."""

from __future__ import annotations

import datetime
import os
import re
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests import suite_clock

# 00:30 BST on the Tuesday after Easter Monday 2027: the UTC date is still the bank holiday.
EASTER_TUESDAY = "2027-03-30T00:30:00+01:00"


def _is_about(moment: datetime.datetime, expected: datetime.datetime) -> bool:
    """The clock ticks on, and a loaded machine is slow: allow a generous run time, never a moment before."""
    return expected <= moment < expected + datetime.timedelta(hours=1)


def test_travelling_to_the_chosen_moment_moves_every_clock_the_code_reads(monkeypatch):
    before = timezone.now()
    monkeypatch.setenv(suite_clock.VARIABLE, EASTER_TUESDAY)
    moment = suite_clock.chosen_moment()
    assert moment == datetime.datetime(2027, 3, 29, 23, 30, tzinfo=datetime.UTC)
    traveller = suite_clock.travel_to(moment)
    try:
        assert _is_about(timezone.now(), moment)
        assert timezone.localdate() == datetime.date(2027, 3, 30)  # London has moved on to Tuesday...
        assert timezone.now().date() == datetime.date(2027, 3, 29)  # ...while UTC is still on Easter Monday
        assert datetime.date.today() == datetime.date(2027, 3, 30)  # Django sets TZ to TIME_ZONE
        assert _is_about(datetime.datetime.fromtimestamp(time.time(), datetime.UTC), moment)
        first = timezone.now()
        time.sleep(0.01)
        assert timezone.now() > first, "the clock ticks on from the chosen moment"
        # A test's own travel goes on top and comes back.
        with time_machine.travel(datetime.datetime(2024, 4, 24, 12, tzinfo=ZoneInfo("Europe/London")), tick=False):
            assert timezone.localdate() == datetime.date(2024, 4, 24)
        assert _is_about(timezone.now(), moment)
    finally:
        traveller.stop()
    assert _is_about(timezone.now(), before)


def test_a_moment_given_in_utc_leaves_the_local_time_zone_as_django_set_it(monkeypatch):
    monkeypatch.setenv(suite_clock.VARIABLE, "2027-12-31T23:59:00+00:00")
    traveller = suite_clock.travel_to(suite_clock.chosen_moment())
    try:
        assert datetime.date.today() == timezone.localdate() == datetime.date(2027, 12, 31)
        assert time.strftime("%Z") == "GMT"
    finally:
        traveller.stop()


@pytest.mark.parametrize(("value", "message"), [
    ("next Tuesday", "is not a date and time like 2027-03-30T00:30:00+01:00"),
    ("2027-03-30T00:30:00", "needs its UTC offset"),
])
def test_a_moment_that_cannot_be_placed_stops_the_run_with_a_message(monkeypatch, value, message):
    monkeypatch.setenv(suite_clock.VARIABLE, value)
    with pytest.raises(pytest.UsageError, match=re.escape(message)):
        suite_clock.chosen_moment()


def test_no_moment_chosen_leaves_the_clock_alone(monkeypatch):
    monkeypatch.delenv(suite_clock.VARIABLE, raising=False)
    assert suite_clock.chosen_moment() is None


@pytest.mark.skipif(not os.environ.get(suite_clock.VARIABLE), reason="only when the suite runs at a chosen moment")
def test_this_run_is_at_the_chosen_moment():
    assert _is_about(timezone.now(), suite_clock.chosen_moment())

