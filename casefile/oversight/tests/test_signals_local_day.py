"""The day a visit or case note was typed, where the authority is, as oversight/signals.py reads it from the driver:
each hour worked out once must give the same day as working out every moment on its own, whichever order the
moments come in."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from casefile.oversight.signals import _local_day

UTC = datetime.UTC
# Around the clocks going forward (30 March 2025) and back (26 October 2025) in London, and midnight in each zone;
# naive (SQLite, in UTC) and aware (PostgreSQL).
MOMENTS = [datetime.datetime(2025, month, day, hour, minute, second, fraction, tzinfo=zone)
           for month, day in ((3, 29), (3, 30), (3, 31), (10, 25), (10, 26), (10, 27))
           for hour in range(24) for minute in (0, 29, 30, 59) for second, fraction in ((0, 0), (59, 999_999))
           for zone in (None, UTC, datetime.timezone(datetime.timedelta(hours=1)))]


def exact(moment: datetime.datetime, where) -> datetime.date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(where).date()


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Kolkata", "America/St_Johns", "Australia/Lord_Howe"])
@pytest.mark.parametrize("order", ["in time", "reversed"])
def test_each_hour_worked_out_once_gives_every_moment_its_own_day(zone, order):
    where = zoneinfo.ZoneInfo(zone)
    moments = MOMENTS if order == "in time" else MOMENTS[::-1]
    local_day = _local_day(where)
    assert [local_day(moment) for moment in moments] == [exact(moment, where) for moment in moments]


def test_a_visit_typed_late_on_a_summer_evening_is_on_that_day_in_london():
    local_day = _local_day(zoneinfo.ZoneInfo("Europe/London"))
    assert [local_day(datetime.datetime(2025, 6, 30, 23, 30)), local_day(datetime.datetime(2025, 12, 30, 23, 30)),
            local_day(datetime.datetime(2025, 6, 30, 23, 10, tzinfo=UTC))] == [
        datetime.date(2025, 7, 1), datetime.date(2025, 12, 30), datetime.date(2025, 7, 1)]
