"""The working calendar: bank holidays plus the days an administrator adds, which move due dates at once."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework import models as cw
from casefile.casework.calendar import upcoming_closed_days, working_calendar
from casefile.casework.deadlines import deadlines_for_child
from casefile.casework.services.allocation import add_non_working_day

TODAY = datetime.date(2024, 1, 8)  # a Monday
PAGE = reverse("casework:non_working_days")


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2024, 1, 8, 9, tzinfo=ZoneInfo("Europe/London")), tick=False)


def extra_day(org, day, description="Council closure") -> cw.NonWorkingDay:
    return cw.NonWorkingDay.objects.create(date=day, description=description, added_by=org.ada)


def test_the_working_calendar_adds_the_administrators_days_to_the_bank_holidays(org):
    extra_day(org, datetime.date(2024, 1, 9))
    calendar = working_calendar()
    assert not calendar.is_working_day(datetime.date(2024, 1, 9))
    assert not calendar.is_working_day(datetime.date(2024, 12, 25))
    assert calendar.is_working_day(datetime.date(2024, 1, 10))


def test_the_calendar_costs_one_query_and_is_built_once_per_request(org, rf):
    request = rf.get("/")
    with CaptureQueriesContext(connection) as captured:
        first = working_calendar(request)
        again = working_calendar(request)
    assert len(captured) == 1
    assert first is again


def test_a_day_added_by_an_administrator_moves_a_due_date(org, child):
    cw.Episode.objects.create(child=child, referral_date=TODAY, referral_source="2A", recorded_by=org.sam)

    def referral_decision_due():
        return next(d.due for d in deadlines_for_child(child) if d.code == "referral_decision")

    assert referral_decision_due() == datetime.date(2024, 1, 9)
    add_non_working_day(actor=org.ada, date=datetime.date(2024, 1, 9), description="Extra bank holiday")
    assert referral_decision_due() == datetime.date(2024, 1, 10)


def test_adding_a_day_is_audited(org):
    day = add_non_working_day(actor=org.ada, date=datetime.date(2024, 6, 3), description="  Extra bank holiday ")
    assert (day.date, day.description, day.added_by) == (datetime.date(2024, 6, 3), "Extra bank holiday", org.ada)
    event = AuditEvent.objects.get(action=Action.CREATE, subject_id=str(day.pk))
    assert event.actor == org.ada
    assert event.details == {"date": "2024-06-03", "description": "Extra bank holiday"}


@pytest.mark.parametrize("day, field, message", [
    (None, "date", "Enter the date of the non-working day"),
    (datetime.date(2024, 1, 5), "date", "The date must be today or in the future"),
    (datetime.date(2024, 1, 13), "date", "13 January 2024 is a Saturday: weekends are never working days"),
    (datetime.date(2024, 12, 25), "date", "25 December 2024 is already a bank holiday (Christmas Day)"),
    (datetime.date(2024, 6, 4), "date", "4 June 2024 is already a non-working day (Council closure)"),
])
def test_it_refuses_a_day_that_is_missing_past_or_already_closed(org, day, field, message):
    extra_day(org, datetime.date(2024, 6, 4))
    with pytest.raises(ValidationError) as refused:
        add_non_working_day(actor=org.ada, date=day, description="Extra day")
    assert refused.value.message_dict[field][0].startswith(message)
    assert cw.NonWorkingDay.objects.count() == 1


def test_it_refuses_a_day_without_a_description(org):
    with pytest.raises(ValidationError) as refused:
        add_non_working_day(actor=org.ada, date=datetime.date(2024, 6, 3), description=" ")
    assert "description" in refused.value.message_dict
    assert not cw.NonWorkingDay.objects.exists()


@pytest.mark.parametrize("who", ["sam", "tess", "hana", "fran"])
def test_only_administrators_may_add_a_day(org, who):
    with pytest.raises(PermissionDenied):
        add_non_working_day(actor=getattr(org, who), date=datetime.date(2024, 6, 3), description="Day off")
    assert not cw.NonWorkingDay.objects.exists()


def test_upcoming_closed_days_list_bank_holidays_and_added_days_in_date_order(org):
    extra_day(org, datetime.date(2024, 3, 28), "Council closure before Easter")
    extra_day(org, datetime.date(2023, 12, 27), "Already past")
    days = upcoming_closed_days(TODAY, months=3)
    assert [(day.date, day.added_by_authority) for day in days] == [
        (datetime.date(2024, 3, 28), True),
        (datetime.date(2024, 3, 29), False),
        (datetime.date(2024, 4, 1), False),
    ]
    assert days[1].description == "Good Friday"


# The page -----------------------------------------------------------------------------------------------


def test_the_administrator_sees_upcoming_days_and_adds_one(client, org):
    extra_day(org, datetime.date(2024, 3, 28), "Council closure before Easter")
    client.force_login(org.ada)
    html = client.get(PAGE).content.decode()
    assert "Council closure before Easter" in html and "Added by the council" in html
    assert "Good Friday" in html and "England and Wales bank holiday" in html
    response = client.post(PAGE, {"date_day": "3", "date_month": "6", "date_year": "2024",
                                  "description": "Extra bank holiday"})
    assert response.status_code == 302
    assert cw.NonWorkingDay.objects.filter(date=datetime.date(2024, 6, 3), description="Extra bank holiday").exists()
    assert "3 June 2024 is now a non-working day" in client.get(PAGE).content.decode()


def test_the_page_shows_the_problems_and_adds_nothing(client, org):
    client.force_login(org.ada)
    response = client.post(PAGE, {"date_day": "13", "date_month": "1", "date_year": "2024", "description": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "is a Saturday" in html
    assert "Enter what the day is" in html
    assert not cw.NonWorkingDay.objects.exists()


def test_a_date_that_is_not_a_date_is_refused_by_the_form(client, org):
    client.force_login(org.ada)
    response = client.post(PAGE, {"date_day": "31", "date_month": "2", "date_year": "2024", "description": "x"})
    assert "Date must be a real date" in response.content.decode()
    assert not cw.NonWorkingDay.objects.exists()


@pytest.mark.parametrize("who", ["sam", "tess", "hana", "fran", "chris", "quinn", "pat", "petra"])
def test_everyone_else_is_refused_the_page(client, org, who):
    client.force_login(getattr(org, who))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"date_day": "3", "date_month": "6", "date_year": "2024",
                              "description": "Day off"}).status_code == 403
    assert not cw.NonWorkingDay.objects.exists()
