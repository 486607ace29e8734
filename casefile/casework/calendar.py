"""The authority's working calendar: England and Wales bank holidays plus the days an administrator closed.

`casefile.rules.working_days` knows the bank holidays and never touches the database; this module adds the
one-off days recorded as `NonWorkingDay` (a bank holiday announced at short notice, a council closure day), so
every due date on every page counts the same days. Building it costs one query; with a request it is built
once per request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from casefile.casework.models import NonWorkingDay
from casefile.rules.working_days import SATURDAY, WorkingCalendar, england_and_wales_bank_holidays

_REQUEST_CACHE = "_casefile_working_calendar"


def working_calendar(request=None) -> WorkingCalendar:
    """The working calendar with the administrator's extra days off (one query, once per request)."""
    cached = getattr(request, _REQUEST_CACHE, None) if request is not None else None
    if cached is not None:
        return cached
    calendar = WorkingCalendar(NonWorkingDay.objects.values_list("date", flat=True))
    if request is not None:
        setattr(request, _REQUEST_CACHE, calendar)
    return calendar


@dataclass(frozen=True)
class ClosedDay:
    """A weekday on which clocks do not count, and why."""

    date: datetime.date
    description: str
    added_by_authority: bool


def upcoming_closed_days(today: datetime.date | None = None, months: int = 12) -> list[ClosedDay]:
    """Bank holidays and the authority's own days off from today for about `months` months, in date order."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=months * 31)
    added = [ClosedDay(day.date, day.description, True)
             for day in NonWorkingDay.objects.filter(date__gte=today, date__lte=until)]
    added_dates = {day.date for day in added}
    bank_holidays = [
        ClosedDay(day, name, False)
        for year in range(today.year, until.year + 1)
        for day, name in england_and_wales_bank_holidays(year).items()
        if today <= day <= until and day.weekday() < SATURDAY and day not in added_dates
    ]
    return sorted(added + bank_holidays, key=lambda day: day.date)


def bank_holiday_name(day: datetime.date) -> str | None:
    """The England and Wales bank holiday on this weekday, if there is one."""
    if day.weekday() >= SATURDAY:
        return None
    return england_and_wales_bank_holidays(day.year).get(day)
