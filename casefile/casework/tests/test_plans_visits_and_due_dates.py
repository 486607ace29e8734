"""Statutory visits hear the child; due dates on the plan page are computed from what was recorded, across bank
holidays, never stored; every plan page renders for the allocated worker, not for an outsider, in fixed queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.casework.models import CoreGroup, NonWorkingDay, Plan, PlanOutcome, Visit
from casefile.casework.services import plans
from casefile.casework.testing import make_journey
from casefile.casework.tests.test_protection_conferences import (
    CONTINGENCY,
    ICPC_DAY,
    add_smart_action,
    done,
    hold_review,
    make_episode,
    start_cp_plan,
)
from casefile.rules import clocks
from casefile.testing import allocate, make_child

GOOD_FRIDAY, EASTER_MONDAY = datetime.date(2024, 3, 29), datetime.date(2024, 4, 1)


def record_visit(child, org, **overrides) -> Visit:
    values = {"date": datetime.date(2024, 3, 27), "kind": Visit.Kind.CHILD_PROTECTION, "child_seen": True,
              "seen_alone": True, "bedroom_seen": True, "childs_words": "I like my new bed."}
    return plans.record_visit(actor=org.sam, child=child, **{**values, **overrides})


def due_by_title(plan, on) -> dict[str, clocks.ClockStatus]:
    plan = Plan.objects.get(pk=plan.pk)  # fresh: what was recorded since, not what was cached
    return {due.title: due.status for due in plans.due_dates(plan, on=on)}


# Visits ----------------------------------------------------------------------------------------------


def test_a_visit_is_linked_to_the_open_plan(org, child):
    plan = start_cp_plan(child, org)
    visit = record_visit(child, org)
    assert (visit.plan, visit.episode, visit.worker, visit.childs_words) == (plan, plan.episode, org.sam,
                                                                               "I like my new bed.")
    assert visit.history.first().history_user == org.sam


def test_the_childs_own_words_are_required_when_they_were_seen_and_are_4_or_older(org, child):
    start_cp_plan(child, org)
    with pytest.raises(ValidationError) as error:
        record_visit(child, org, childs_words="", observations="Lily seemed happy")
    assert error.value.message_dict == {
        "childs_words": ["Enter what Lily said, in their own words: they are 4 or older"]}
    assert not Visit.objects.exists()


def test_a_baby_who_was_seen_needs_an_observation_instead_of_words(org):
    baby = make_child(first_name="Noah", date_of_birth=datetime.date(2023, 6, 1))
    make_episode(baby, org.sam)
    with pytest.raises(ValidationError) as error:
        record_visit(baby, org, childs_words="")
    assert error.value.message_dict == {"observations": [
        "Enter what you observed of Noah: how they looked, played and responded to the people around them"]}
    visit = record_visit(baby, org, childs_words="", observations="Noah smiled and reached for his mum")
    assert visit.observations.startswith("Noah smiled")


def test_a_reason_is_required_when_the_child_was_not_seen(org, child):
    start_cp_plan(child, org)
    with pytest.raises(ValidationError) as error:
        record_visit(child, org, child_seen=False, childs_words="")
    assert error.value.message_dict == {"not_seen_reason": [
        "Enter why Lily was not seen, and what you will do about it"]}
    visit = record_visit(child, org, child_seen=False, seen_alone=True, childs_words="Words from someone else",
                         not_seen_reason="Nobody answered the door; visiting again tomorrow")
    assert (visit.seen_alone, visit.childs_words) == (None, "")


def test_a_visit_must_say_whether_the_child_was_seen_and_alone_and_not_be_in_the_future(org, child):
    start_cp_plan(child, org)
    with pytest.raises(ValidationError) as error:
        record_visit(child, org, child_seen=None, date=datetime.date.today() + datetime.timedelta(days=1))
    assert error.value.message_dict == {"date": ["The date of the visit must be today or in the past"],
                                        "child_seen": ["Select whether you saw Lily"]}
    with pytest.raises(ValidationError) as error:
        record_visit(child, org, seen_alone=None)
    assert error.value.message_dict == {"seen_alone": ["Select whether you saw Lily alone"]}


def test_the_visit_page_says_when_the_words_are_required(client, org, child):
    start_cp_plan(child, org)
    client.force_login(org.sam)
    page = client.get(reverse("casework:record_visit", kwargs={"person_id": child.pk})).content.decode()
    assert "Required if you saw Lily and they are 4 or older" in page
    assert "Required if you saw Lily and they are under 4 or do not speak" in page
    response = client.post(reverse("casework:record_visit", kwargs={"person_id": child.pk}), {
        "date_day": "27", "date_month": "3", "date_year": "2024", "kind": "cp", "child_seen": "yes",
        "seen_alone": "yes"})
    assert "Enter what Lily said, in their own words" in response.content.decode()


# Due dates, computed across Easter 2024 ----------------------------------------------------------------


def test_the_first_core_group_is_due_10_working_days_after_the_icpc_skipping_easter(org, child):
    plan = start_cp_plan(child, org)  # ICPC Monday 25 March 2024
    due = due_by_title(plan, on=ICPC_DAY)["First core group"]
    # 26, 27, 28 March; Good Friday and Easter Monday are not working days; 2 to 5 April; 8, 9, 10 April.
    assert due.due == datetime.date(2024, 4, 10)
    assert due.rule is clocks.FIRST_CORE_GROUP and due.state is clocks.State.ON_TIME
    CoreGroup.objects.create(plan=plan, date=datetime.date(2024, 4, 11), attendees="Sam", recorded_by=org.sam)
    late = due_by_title(plan, on=datetime.date(2024, 4, 15))["First core group"]
    assert (late.state, late.working_days_late) == (clocks.State.COMPLETED_LATE, 1)


def test_the_next_cp_visit_counts_from_the_last_visit_where_the_child_was_seen(org, child):
    plan = start_cp_plan(child, org)
    assert due_by_title(plan, on=ICPC_DAY)["Next visit"].due == datetime.date(2024, 4, 10)  # from the plan start
    record_visit(child, org, date=datetime.date(2024, 3, 27))
    assert due_by_title(plan, on=ICPC_DAY)["Next visit"].due == datetime.date(2024, 4, 12)
    # A visit where Lily was not seen does not restart the clock.
    record_visit(child, org, date=datetime.date(2024, 4, 3), child_seen=False, not_seen_reason="Out at nursery")
    next_visit = due_by_title(plan, on=datetime.date(2024, 4, 15))["Next visit"]
    assert (next_visit.due, next_visit.state, next_visit.working_days_late) == (
        datetime.date(2024, 4, 12), clocks.State.OVERDUE, 1)


def test_an_extra_day_off_moves_the_due_dates(org, child):
    plan = start_cp_plan(child, org)
    NonWorkingDay.objects.create(date=datetime.date(2024, 4, 2), description="Council closure", added_by=org.ada)
    assert due_by_title(plan, on=ICPC_DAY)["First core group"].due == datetime.date(2024, 4, 11)


def test_a_child_in_need_visit_is_due_at_the_plans_own_interval(org, child):
    make_episode(child, org.sam)
    plan = plans.start_cin_plan(actor=org.sam, child=child, start_date=ICPC_DAY, visit_interval_working_days=5,
                                contingency=CONTINGENCY)
    due = due_by_title(plan, on=ICPC_DAY)
    assert set(due) == {"Next visit"}
    assert due["Next visit"].due == datetime.date(2024, 4, 3)  # 26, 27, 28 March, then 2 and 3 April after Easter
    assert due["Next visit"].rule is clocks.CIN_VISIT


def test_review_conferences_are_due_3_months_then_6_months_after_the_last(org, child):
    plan = start_cp_plan(child, org)
    assert due_by_title(plan, on=ICPC_DAY)["First review conference"].due == datetime.date(2024, 6, 25)
    add_smart_action(plan)
    hold_review(child, org, date=datetime.date(2024, 6, 20))
    assert due_by_title(plan, on=datetime.date(2024, 6, 21))["Next review conference"].due == datetime.date(
        2024, 12, 20)


def test_nothing_due_is_stored_and_an_ended_plan_has_no_running_clocks(org, child):
    plan = start_cp_plan(child, org)
    add_smart_action(plan)
    hold_review(child, org, decision="end_plan", category="")
    assert set(due_by_title(plan, on=datetime.date(2024, 6, 21))) == {"First core group"}
    assert not any("due" in field.name for field in Plan._meta.get_fields())


def test_the_plan_page_shows_the_computed_due_dates(client, org, child):
    plan = start_cp_plan(child, org)
    record_visit(child, org, date=datetime.date(2024, 3, 27))
    client.force_login(org.sam)
    page = client.get(reverse("casework:plan", kwargs={"person_id": child.pk, "plan_id": plan.pk})).content.decode()
    assert "First core group" in page and "10 April 2024" in page
    assert "Next visit" in page and "12 April 2024" in page
    assert "the last visit when Lily was seen, on 27 March 2024" in page
    assert "Local standard" in page


# Pages, access and queries -------------------------------------------------------------------------


def _my_urls(child, ids: dict) -> list[str]:
    from casefile.casework.views import plans as plan_views
    from casefile.casework.views import protection as protection_views

    urls = []
    for pattern in [*plan_views.urlpatterns, *protection_views.urlpatterns]:
        names = [name for name in pattern.pattern.converters if name != "person_id"]
        urls.append(reverse(f"casework:{pattern.name}", kwargs={"person_id": child.pk,
                                                                **{name: ids[name] for name in names}}))
    return urls


def test_every_plan_and_conference_page_renders_for_the_allocated_worker(client, org, child):
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)
    client.force_login(org.sam)
    for url in _my_urls(child, journey.ids()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Lily Hartley" in response.content.decode(), url


def test_every_plan_and_conference_page_is_not_found_for_an_outsider(client, org, child):
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)
    client.force_login(org.ola)
    for url in _my_urls(child, journey.ids()):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"description": "x"}).status_code == 404, url
    assert PlanOutcome.objects.count() == 1


def test_a_plan_from_another_child_is_not_found_through_this_childs_url(client, org, child):
    other = make_child(first_name="Mia")
    allocate(other, org.sam)
    plan = start_cp_plan(other, org)
    client.force_login(org.sam)
    assert client.get(reverse("casework:plan", kwargs={"person_id": child.pk, "plan_id": plan.pk})).status_code == 404


def _plan_page_queries(client, plan) -> int:
    url = reverse("casework:plan", kwargs={"person_id": plan.child_id, "plan_id": plan.pk})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_plan_page_runs_the_same_number_of_queries_as_the_plan_grows(client, org, child):
    """One of everything, then many of everything: the same queries."""
    plan = start_cp_plan(child, org)
    add_smart_action(plan)
    CoreGroup.objects.create(plan=plan, date=datetime.date(2024, 4, 3), attendees="Sam", recorded_by=org.sam)
    record_visit(child, org, date=datetime.date(2024, 3, 27))
    hold_review(child, org, date=datetime.date(2024, 5, 1))
    client.force_login(org.sam)
    _plan_page_queries(client, plan)  # warm up: sessions, templates
    small = _plan_page_queries(client, plan)
    for number in range(3):
        outcome = PlanOutcome.objects.create(plan=plan, description=f"Outcome {number}")
        for _ in range(3):
            add_smart_action(plan, outcome=outcome, owner="Mum")
        CoreGroup.objects.create(plan=plan, date=datetime.date(2024, 4, 4 + number), attendees="Sam",
                                 recorded_by=org.sam)
        record_visit(child, org, date=datetime.date(2024, 4, 2 + number))
    hold_review(child, org, progress=done(*plans.plan_actions(plan)))
    assert _plan_page_queries(client, plan) == small


def test_the_childs_record_links_to_plans_conferences_and_visits(client, org, child):
    client.force_login(org.sam)
    page = client.get(reverse("people:record", kwargs={"person_id": child.pk})).content.decode()
    assert reverse("casework:plans", kwargs={"person_id": child.pk}) in page
