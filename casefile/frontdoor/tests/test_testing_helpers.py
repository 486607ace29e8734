"""The front-door test helpers give moments the services accept at any hour: never one still to come."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from casefile.frontdoor.testing import working_days_ago

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize("moment", [
    datetime.datetime(2027, 3, 30, 0, 30, tzinfo=LONDON),  # the Tuesday after Easter Monday, in BST
    datetime.datetime(2027, 6, 15, 9, 59, tzinfo=LONDON),  # a minute before the helper's 10am
])
def test_today_before_10am_is_now_not_later_today(db, time_machine, moment):
    time_machine.move_to(moment, tick=False)
    assert working_days_ago(0) == timezone.now()
    assert timezone.localtime(working_days_ago(0)).date() == moment.date()


def test_today_after_10am_and_earlier_days_are_at_10am(db, time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 30, 14, 0, tzinfo=LONDON), tick=False)
    assert working_days_ago(0) == datetime.datetime(2027, 3, 30, 10, tzinfo=LONDON)
    # Back over Easter Monday, the weekend and Good Friday.
    assert working_days_ago(1) == datetime.datetime(2027, 3, 25, 10, tzinfo=LONDON)
