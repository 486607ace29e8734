"""The day a contact was received, where the authority is, as insight/cohort.py reads it: from SQLite's text (UTC,
no offset), each hour worked out once, which must give the same day as working out every moment on its own; from
PostgreSQL, worked out by the database. Either way, a contact received late on a summer evening in UTC is on the
next day in London."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from casefile.frontdoor.testing import make_contact
from casefile.insight import cohort
from casefile.insight.cohort import _local_day, _local_days
from casefile.testing import make_child

# Around the clocks going forward (30 March 2025) and back (26 October 2025) in London, and midnight in each zone.
MOMENTS = [f"2025-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}{fraction}"
           for month, day in ((3, 29), (3, 30), (3, 31), (10, 25), (10, 26), (10, 27))
           for hour in range(24) for minute in (0, 29, 30, 59) for second, fraction in ((0, ""), (59, ".999999"))]


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Kolkata", "America/St_Johns", "UTC"])
def test_each_hour_worked_out_once_gives_every_moment_its_own_day(zone):
    where = zoneinfo.ZoneInfo(zone)
    assert _local_days(MOMENTS, where) == [_local_day(moment, where) for moment in MOMENTS]


def test_a_contact_received_late_on_a_summer_evening_is_on_that_day_in_london():
    london = zoneinfo.ZoneInfo("Europe/London")
    # 23:30 UTC on 30 June is 00:30 on 1 July in London; 23:30 UTC on 30 December is still 30 December.
    assert _local_days(["2025-06-30 23:30:00", "2025-12-30 23:30:00", "2025-06-30 22:59:59.999999"], london) == [
        datetime.date(2025, 7, 1), datetime.date(2025, 12, 30), datetime.date(2025, 6, 30)]


@pytest.mark.django_db
def test_the_record_read_puts_each_contact_on_its_day_in_london(org):
    """As the database keeps them (SQLite as text, PostgreSQL as a moment), through cohort.load."""
    moments = {datetime.datetime(2025, 6, 30, 23, 30): datetime.date(2025, 7, 1),
               datetime.datetime(2025, 6, 30, 22, 59, 59): datetime.date(2025, 6, 30),
               datetime.datetime(2025, 12, 30, 23, 30): datetime.date(2025, 12, 30)}
    received = {make_contact(make_child("Lily", "Hartley"), by=org.fran, received_at=moment.replace(
        tzinfo=datetime.UTC)).children.get().pk: day for moment, day in moments.items()}
    record = cohort.load(datetime.date(2025, 12, 31), reads={"contacts": None})
    assert {row.id: row.date for row in record.contacts} == received
