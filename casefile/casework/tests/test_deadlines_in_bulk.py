"""Deadlines for many children at once: the same answers as one at a time, in a number of queries that does not
grow with the number of children (my work and the team page list every child with what is due next)."""

import dataclasses
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile import testing
from casefile.casework import deadlines
from casefile.casework.calendar import working_calendar
from casefile.casework.deadlines import deadlines_for_child, deadlines_for_children
from casefile.casework.models import Plan, Visit
from casefile.casework.testing import make_journey

TODAY = datetime.datetime(2024, 4, 24, 12, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def children_with_journeys(org, count: int, start: int = 0) -> list:
    children = []
    for number in range(start, start + count):
        child = testing.make_child(f"Child{number}", f"Family{number}")
        testing.allocate(child, org.sam, allocated_by=org.tess)
        # Vary the referral date so the children do not all have the same deadlines.
        make_journey(child, org.sam, org.tess, org.chris, referral_date=datetime.date(2024, 1, 8 + number % 20))
        children.append(child)
    return children


def test_many_children_at_once_give_the_same_deadlines_as_one_at_a_time(org):
    children = children_with_journeys(org, 4)
    together = deadlines_for_children(children)
    assert set(together) == {child.pk for child in children}
    for child in children:
        assert together[child.pk] == deadlines_for_child(child)
        assert together[child.pk], "every journey has something running"


def test_children_may_be_given_as_ids_and_each_is_answered_even_with_nothing_due(org):
    quiet = testing.make_child("Tom", "Ash")
    assert deadlines_for_children([quiet.pk]) == {quiet.pk: []}
    assert deadlines_for_children([]) == {}


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_number_of_children(org):
    children = children_with_journeys(org, 3)
    calendar = working_calendar()
    few = count_queries(lambda: deadlines_for_children(children, calendar=calendar))
    children += children_with_journeys(org, 27, start=3)
    many = count_queries(lambda: deadlines_for_children(children, calendar=calendar))
    assert len(children) == 30
    assert many == few
    assert few <= 8


@pytest.mark.parametrize("viewer, page", [
    ("sam", lambda org: reverse("core:my_work")),
    ("tess", lambda org: reverse("core:my_work")),
    ("tess", lambda org: reverse("accounts:team", kwargs={"team_id": org.assessment.pk})),
    ("tess", lambda org: reverse("casework:caseloads", kwargs={"team_id": org.assessment.pk})),
])
def test_pages_listing_children_with_deadlines_use_the_same_queries_for_3_or_30(client, org, viewer, page):
    def queries() -> int:
        client.force_login(getattr(org, viewer))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page(org))
        assert response.status_code == 200
        assert "Overdue" in response.content.decode()
        return len(captured)

    children_with_journeys(org, 3)
    few = queries()
    children_with_journeys(org, 27, start=3)
    assert queries() == few


def test_visit_clocks_met_before_the_recent_window_are_skipped_and_change_nothing(org):
    """A long plan has a visit clock for every visit; those met before the last four weeks never show, so they are
    not worked out (a head of service's my work built 13,000 of them)."""
    child = testing.make_child("Long", "Plan")
    testing.allocate(child, org.sam, allocated_by=org.tess)
    journey = make_journey(child, org.sam, org.tess, org.chris, referral_date=datetime.date(2023, 1, 9))
    day = journey.plan.start_date + datetime.timedelta(days=7)
    while day < datetime.date(2024, 3, 1):
        Visit.objects.create(child=child, episode=journey.episode, plan=journey.plan, kind=Visit.Kind.CHILD_PROTECTION,
                             date=day, worker=org.sam, child_seen=True, recorded_by=org.sam)
        day += datetime.timedelta(days=7)
    # Late (more than 10 working days after the last), and after it nothing: a clock met late recently, and one running.
    Visit.objects.create(child=child, episode=journey.episode, plan=journey.plan, kind=Visit.Kind.CHILD_PROTECTION,
                         date=datetime.date(2024, 4, 2), worker=org.sam, child_seen=True, recorded_by=org.sam)
    today = TODAY.date()
    since = today - datetime.timedelta(days=deadlines.RECENTLY_MISSED_DAYS)
    records = deadlines._load([child.pk], since)
    every = list(deadlines._candidates(child.pk, with_every_visit(records, [child.pk])))
    trimmed = list(deadlines._candidates(child.pk, records, since))
    assert len(every) > 50 and len(trimmed) < 10

    calendar, settings = working_calendar(), deadlines.clock_settings()

    def shown(candidates):
        found = (deadlines._deadline(child.pk, c, today, since, calendar, settings) for c in candidates)
        return [deadline for deadline in found if deadline]

    visits_shown = [d for d in shown(every) if "visit" in d.what.lower()]
    assert len(visits_shown) == 2, visits_shown
    assert shown(trimmed) == shown(every)
    assert deadlines_for_children([child])[child.pk] == sorted(shown(every), key=lambda d: d.sort_key)


def with_every_visit(records, child_ids):
    """The records with every visit where the child was seen, not only those _load reads (the last before the
    recent window, and those in it)."""
    every = Visit.objects.filter(child_id__in=child_ids, child_seen=True).values_list("child_id", "date", "child_seen",
                                                                                      named=True)
    return dataclasses.replace(records, visits=deadlines._by(every, "child_id"))


def test_only_the_visits_that_can_change_a_listed_clock_are_read_and_the_answers_are_those_of_every_visit(org):
    """A child protection plan open for a year and a child in need plan that began a few days before the recent
    window, after the last visit before it: visits before the first plan, in it long ago, the last before the
    window, one where the child was not seen, and two in the window. The last before the window and those in it
    are read; the deadlines are those worked out from every visit."""
    child = testing.make_child("Two", "Plans")
    testing.allocate(child, org.sam, allocated_by=org.tess)
    journey = make_journey(child, org.sam, org.tess, org.chris, referral_date=datetime.date(2023, 1, 9))
    today = TODAY.date()
    since = today - datetime.timedelta(days=deadlines.RECENTLY_MISSED_DAYS)
    cin_plan = Plan.objects.create(child=child, episode=journey.episode, kind=Plan.Kind.CHILD_IN_NEED,
                                   start_date=since - datetime.timedelta(days=5), visit_interval_working_days=15,
                                   recorded_by=org.sam)
    seen = [datetime.date(2022, 12, 1), journey.plan.start_date + datetime.timedelta(days=3),
            since - datetime.timedelta(days=10), since + datetime.timedelta(days=2), today - datetime.timedelta(days=2)]
    for day in seen:
        Visit.objects.create(child=child, episode=journey.episode, kind=Visit.Kind.CHILD_PROTECTION, date=day,
                             worker=org.sam, child_seen=True, recorded_by=org.sam)
    Visit.objects.create(child=child, episode=journey.episode, kind=Visit.Kind.CHILD_IN_NEED,
                         date=since - datetime.timedelta(days=1), worker=org.sam, child_seen=False, recorded_by=org.sam)
    records = deadlines._load([child.pk], since)
    assert sorted(visit.date for visit in records.visits[child.pk]) == seen[2:]
    calendar, settings = working_calendar(), deadlines.clock_settings()

    def shown(records):
        found = (deadlines._deadline(child.pk, c, today, since, calendar, settings)
                 for c in deadlines._candidates(child.pk, records, since))
        return sorted((deadline for deadline in found if deadline), key=lambda d: d.sort_key)

    expected = shown(with_every_visit(records, [child.pk]))
    assert {deadline.plan_id for deadline in expected if "visit" in deadline.what.lower()} == {
        journey.plan.pk, cin_plan.pk}
    assert deadlines_for_children([child])[child.pk] == shown(records) == expected


def test_past_two_hundred_children_the_ids_go_as_one_parameter_and_the_answers_are_the_same(org):
    # A head of service's my work asks about a thousand children and more: their ids go to the database as one
    # JSON parameter (core/prepared.id_list), not a parameter each.
    children = children_with_journeys(org, 3)
    missing = list(range(10**6, 10**6 + 300))  # ids with no record: they only make the list long
    with CaptureQueriesContext(connection) as captured:
        many = deadlines_for_children([*children, *missing])
    assert {child.pk: many[child.pk] for child in children} == deadlines_for_children(children)
    assert all(not many[pk] for pk in missing)
    assert any("json_each" in query["sql"] or "jsonb_array_elements_text" in query["sql"]
               for query in captured.captured_queries)
