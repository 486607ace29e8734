"""The child's record shows "Next steps": the clocks running for the child, with due date, status and legal force."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from casefile import testing
from casefile.casework import models as cw
from casefile.casework.testing import make_journey


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2024, 4, 24, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)


def next_steps(client, user, person) -> str:
    client.force_login(user)
    response = client.get(reverse("people:record", kwargs={"person_id": person.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="next-steps-heading">Next steps</h2>' in html
    return html.split('id="next-steps-heading"', 1)[1].split("</section>", 1)[0]


def test_the_record_lists_the_running_clocks_most_urgent_first(client, org, child):
    make_journey(child, org.sam, org.tess, org.chris)
    panel = next_steps(client, org.sam, child)
    visit, review = panel.index("Visit the child (child protection plan)"), panel.index("Hold the next review")
    assert visit < review
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in panel
    assert "21 February 2024" in panel and "43 working days late" in panel
    assert "Local standard" in panel and "Missed: below local standard" in panel
    assert "17 October 2024" in panel and "Statutory guidance" in panel
    assert "From: last visit where the child was seen, 7 February 2024" in panel
    assert "Where these timescales come from" in panel


def test_the_record_says_when_nothing_is_running(client, org, child):
    assert "No statutory timescales are running for Lily." in next_steps(client, org.sam, child)


def test_an_adults_record_has_no_next_steps(client, org, child):
    parent = testing.make_adult()
    client.force_login(org.fran)
    html = client.get(reverse("people:record", kwargs={"person_id": parent.pk})).content.decode()
    assert "Next steps" not in html


def test_a_new_non_working_day_moves_the_due_date_shown_on_the_record(client, org, child):
    make_journey(child, org.sam, org.tess, org.chris)
    assert "17 October 2024" in next_steps(client, org.sam, child)
    # A month-based due date is a calendar date: a day off does not move it. A working-day one does.
    cw.Visit.objects.create(child=child, episode=child.episodes.get(), plan=child.plans.get(), kind="cp",
                            date=datetime.date(2024, 4, 22), worker=org.sam, child_seen=True, recorded_by=org.sam)
    # 10 working days on from Monday 22 April, skipping the early May bank holiday (6 May).
    assert "7 May 2024" in next_steps(client, org.sam, child)
    client.force_login(org.ada)
    client.post(reverse("casework:non_working_days"), {"date_day": "25", "date_month": "4", "date_year": "2024",
                                                       "description": "Council closure"})
    assert cw.NonWorkingDay.objects.filter(date=datetime.date(2024, 4, 25)).exists()
    panel = next_steps(client, org.sam, child)
    assert "8 May 2024" in panel and "7 May 2024" not in panel
