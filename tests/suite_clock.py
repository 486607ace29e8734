"""Running the test suite as if it were another moment: `CASEFILE_TEST_CLOCK=2027-03-30T00:30:00+01:00 pytest`.

The root `conftest.py` calls `travel_to` in `pytest_configure`, in every process of the run (docs/testing.md).
"""

from __future__ import annotations

import datetime
import os

import pytest
import time_machine

VARIABLE = "CASEFILE_TEST_CLOCK"


def chosen_moment() -> datetime.datetime | None:
    """The moment in CASEFILE_TEST_CLOCK (ISO 8601 with its UTC offset), or None when the suite runs at now."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"{VARIABLE}={value!r} is not a date and time like 2027-03-30T00:30:00+01:00") from None
    if moment.tzinfo is None:
        raise pytest.UsageError(f"{VARIABLE}={value!r} needs its UTC offset, like 2027-03-30T00:30:00+01:00")
    return moment


def travel_to(moment: datetime.datetime) -> time_machine.travel:
    """Start travelling to `moment`, the clock ticking on from there; the caller stops it. A test's own travel
    (the `time_machine` fixture) goes on top of this one and comes back to it."""
    # A timestamp, not the datetime: given a UTC datetime, time-machine would also set TZ=UTC for the whole run,
    # and the process's local time (date.today()) must stay Django's TIME_ZONE, as in production.
    traveller = time_machine.travel(moment.timestamp(), tick=True)
    traveller.start()
    return traveller
