"""Statutory visits hear the child; due dates on the plan page are computed from what was recorded, across bank
holidays, never stored, by the same code as the record's "Next steps" (casework.deadlines.deadlines_for_plan);
every plan page renders for the allocated worker, not for an outsider, in fixed queries."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefile.casework.deadlines import Deadline, deadlines_for_plan
from casefile.casework.models import Conference, CoreGroup, NonWorkingDay, Plan, PlanOutcome, PlanReview, Visit
from casefile.casework.services import plans
from casefile.casework.testing import make_journey
from casefile.casework.tests.test_protection_conferences import (
    CONTINGENCY,
    ICPC_DAY,
    add_smart_action,
    done,
    hold_icpc,
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
    heard = {"heard_how": "talked"} if overrides.get("child_seen", True) else {}
    return plans.record_visit(actor=org.sam, child=child, **{**values, **heard, **overrides})


def plan_deadlines(plan, on) -> list[Deadline]:
    """What the plan page lists on the day: worked out afresh from what is recorded, nothing cached."""
    return deadlines_for_plan(plan, today=on)


def running(plan, on) -> dict[str, Deadline]:
    """The plan's clocks still running on the day, by rule code: never two of one kind at once."""
    found = {}
    for deadline in plan_deadlines(plan, on):
        if deadline.is_open:
            assert deadline.code not in found, f"two {deadline.code} clocks running"
            found[deadline.code] = deadline
    return found


def only(plan, on, code) -> Deadline:
    matches = [deadline for deadline in plan_deadlines(plan, on) if deadline.code == code]
    assert len(matches) == 1, f"expected one {code} clock, got {matches}"
    return matches[0]


# Visits ----------------------------------------------------------------------------------------------


def test_a_visit_is_linked_to_the_open_plan(org, child):
    plan = start_cp_plan(child, org)
    visit = record_visit(child, org)
    assert (visit.plan, visit.episode, visit.worker, visit.childs_words) == (plan, plan.episode, org.sam,
                                                                               "I like my new bed.")
    assert visit.history.first().history_user == org.sam


def test_only_someone_who_may_change_the_record_may_record_a_visit(org, child):
    """The service asks access/permissions.py, not only the page: Ola works in another team."""
    start_cp_plan(child, org)
    with pytest.raises(ValidationError) as error:
        plans.record_visit(actor=org.ola, child=child, date=datetime.date(2024, 3, 27),
                           kind=Visit.Kind.CHILD_PROTECTION, child_seen=False, not_seen_reason="Out")
    assert error.value.message_dict == {"visit": ["Visits are recorded by the social worker who made them, or their "
                                                  "manager"]}
    assert not Visit.objects.exists()


def test_the_childs_own_words_are_required_when_they_were_seen_and_are_4_or_older(org, child):
    start_cp_plan(child, org)
    with pytest.raises(ValidationError) as error:
        record_visit(child, org, childs_words="", observations="Lily seemed happy")
    assert error.value.message_dict == {
        "childs_words": ["Enter what Lily said, in their own words: they are 4 or older"]}
    assert not Visit.objects.exists()


def test_a_baby_who_was_seen_needs_an_observation_instead_of_words(org):
    baby = make_child(first_name="Noah", date_of_birth=datetime.date(2023, 6, 1))
    allocate(baby, org.sam, allocated_by=org.tess)
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
        record_visit(child, org, child_seen=None, date=timezone.localdate() + datetime.timedelta(days=1))
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


def test_saving_a_visit_confirms_it_on_the_page_it_returns_to(client, org, child):
    start_cp_plan(child, org)
    client.force_login(org.sam)
    response = client.post(reverse("casework:record_visit", kwargs={"person_id": child.pk}), {
        "date_day": "27", "date_month": "3", "date_year": "2024", "kind": "cp", "child_seen": "yes",
        "seen_alone": "yes", "childs_words": "I like my new bed.", "heard_how": "talked"}, follow=True)
    page = response.content.decode()
    assert "govuk-notification-banner--success" in page
    assert "The visit on 27 March 2024 is saved" in page


# Due dates, computed across Easter 2024 ----------------------------------------------------------------


def test_the_first_core_group_is_due_10_working_days_after_the_icpc_skipping_easter(org, child):
    plan = start_cp_plan(child, org)  # ICPC Monday 25 March 2024
    due = running(plan, on=ICPC_DAY)["first_core_group"]
    # 26, 27, 28 March; Good Friday and Easter Monday are not working days; 2 to 5 April; 8, 9, 10 April.
    assert due.due == datetime.date(2024, 4, 10)
    assert due.rule is clocks.FIRST_CORE_GROUP and due.state is clocks.State.ON_TIME
    CoreGroup.objects.create(plan=plan, date=datetime.date(2024, 4, 11), attendees="Sam", recorded_by=org.sam)
    late = only(plan, datetime.date(2024, 4, 15), "first_core_group")
    assert (late.state, late.working_days_late) == (clocks.State.COMPLETED_LATE, 1)


def test_the_next_cp_visit_counts_from_the_last_visit_where_the_child_was_seen(org, child):
    plan = start_cp_plan(child, org)
    visit = running(plan, on=ICPC_DAY)["cp_visit"]
    assert (visit.due, visit.anchor_label) == (datetime.date(2024, 4, 10), "Plan started")
    record_visit(child, org, date=datetime.date(2024, 3, 27))
    visit = running(plan, on=ICPC_DAY)["cp_visit"]
    assert (visit.anchor_date, visit.due) == (datetime.date(2024, 3, 27), datetime.date(2024, 4, 12))
    # A visit where Lily was not seen does not restart the clock.
    record_visit(child, org, date=datetime.date(2024, 4, 3), child_seen=False, not_seen_reason="Out at nursery")
    next_visit = running(plan, on=datetime.date(2024, 4, 15))["cp_visit"]
    assert (next_visit.due, next_visit.state, next_visit.working_days_late) == (
        datetime.date(2024, 4, 12), clocks.State.OVERDUE, 1)


def test_an_extra_day_off_moves_the_due_dates(org, child):
    plan = start_cp_plan(child, org)
    NonWorkingDay.objects.create(date=datetime.date(2024, 4, 2), description="Council closure", added_by=org.ada)
    assert running(plan, on=ICPC_DAY)["first_core_group"].due == datetime.date(2024, 4, 11)


def test_a_child_in_need_visit_is_due_at_the_plans_own_interval(org, child):
    make_episode(child, org.sam)
    plan = plans.start_cin_plan(actor=org.sam, child=child, start_date=ICPC_DAY, visit_interval_working_days=5,
                                contingency=CONTINGENCY)
    due = running(plan, on=ICPC_DAY)
    assert set(due) == {"cin_visit"}
    assert due["cin_visit"].due == datetime.date(2024, 4, 3)  # 26, 27, 28 March, then 2 and 3 April after Easter
    assert due["cin_visit"].rule is clocks.CIN_VISIT


def test_review_conferences_are_due_3_months_then_6_months_after_the_last(org, child):
    plan = start_cp_plan(child, org)
    assert running(plan, on=ICPC_DAY)["first_review_conference"].due == datetime.date(2024, 6, 25)
    add_smart_action(plan)
    hold_review(child, org, date=datetime.date(2024, 6, 20))
    due = running(plan, on=datetime.date(2024, 6, 21))
    assert due["later_review_conference"].due == datetime.date(2024, 12, 20)
    assert "first_review_conference" not in due


def test_nothing_due_is_stored_and_an_ended_plan_has_no_running_clocks(org, child):
    plan = start_cp_plan(child, org)
    add_smart_action(plan)
    hold_review(child, org, decision="end_plan", category="")
    # The first core group was never held: missed, but the plan has ended, so it is no longer due (as on the
    # record's "Next steps"). The review that ended the plan was on time, so nothing is left to show.
    assert plan_deadlines(plan, on=datetime.date(2024, 6, 21)) == []
    assert not any("due" in field.name for field in Plan._meta.get_fields())


def test_only_this_plans_clocks_are_listed(org, child):
    plan = start_cp_plan(child, org)  # the episode also runs referral and assessment clocks
    deadlines = plan_deadlines(plan, on=ICPC_DAY)
    assert {d.code for d in deadlines} == {"first_core_group", "first_review_conference", "cp_visit"}
    assert {d.plan_id for d in deadlines} == {plan.pk}


def test_the_plan_page_shows_the_computed_due_dates(client, org, child):
    plan = start_cp_plan(child, org)
    record_visit(child, org, date=datetime.date(2024, 3, 27))
    client.force_login(org.sam)
    page = client.get(reverse("casework:plan", kwargs={"person_id": child.pk, "plan_id": plan.pk})).content.decode()
    assert "Hold the first core group meeting" in page and "10 April 2024" in page
    assert "Visit the child (child protection plan)" in page and "12 April 2024" in page
    assert "From: last visit where the child was seen, 27 March 2024" in page
    assert "Local standard" in page


# (a) Visit interval: the plan's own, else the authority's limit ----------------------------------------


def test_a_cp_plan_that_sets_its_own_visit_interval_is_visited_at_that_interval(settings, org, child):
    """The plan page used to ignore a child protection plan's own interval and count the local limit."""
    settings.CASEFILE_CLOCKS = {"local_limits": {"cp_visit": {"amount": 15, "unit": "working_days"}}}
    plan = start_cp_plan(child, org)
    # The authority's 15 working days: 26 to 28 March, 2 to 12 April after Easter, then 15, 16, 17 April.
    assert running(plan, on=ICPC_DAY)["cp_visit"].due == datetime.date(2024, 4, 17)
    Plan.objects.filter(pk=plan.pk).update(visit_interval_working_days=5)
    visit = running(plan, on=ICPC_DAY)["cp_visit"]
    assert (visit.rule, visit.due) == (clocks.CP_VISIT, datetime.date(2024, 4, 3))  # 26, 27, 28 March, 2, 3 April


def test_a_cin_plan_is_visited_at_its_own_interval_whatever_the_authoritys_setting(settings, org, child):
    settings.CASEFILE_CLOCKS = {"local_limits": {"cin_visit": {"amount": 20, "unit": "working_days"}}}
    make_episode(child, org.sam)
    plan = plans.start_cin_plan(actor=org.sam, child=child, start_date=ICPC_DAY, visit_interval_working_days=5,
                                contingency=CONTINGENCY)
    assert running(plan, on=ICPC_DAY)["cin_visit"].due == datetime.date(2024, 4, 3)


# (b) Reviews: the review conferences held, after the plan started and up to its end --------------------


def test_a_review_conference_counts_even_when_no_plan_review_was_recorded_with_it(org, child):
    """The plan page used to count PlanReview rows: a review conference without one (imported, say) was
    ignored, so the first review showed as overdue although it had been held."""
    plan = start_cp_plan(child, org)
    Conference.objects.create(child=child, episode=plan.episode, kind=Conference.Kind.REVIEW,
                              date=datetime.date(2024, 6, 20), chair=org.chris, decision=Conference.Decision.PLAN,
                              category="NEG", recorded_by=org.chris)
    assert not PlanReview.objects.exists()
    due = running(plan, on=datetime.date(2024, 7, 1))
    assert "first_review_conference" not in due
    assert (due["later_review_conference"].anchor_date, due["later_review_conference"].due) == (
        datetime.date(2024, 6, 20), datetime.date(2024, 12, 20))


def test_a_late_review_conference_that_ends_the_plan_shows_as_done_late(org, child):
    plan = start_cp_plan(child, org)
    add_smart_action(plan)
    CoreGroup.objects.create(plan=plan, date=datetime.date(2024, 4, 3), attendees="Sam", recorded_by=org.sam)
    hold_review(child, org, date=datetime.date(2024, 7, 1), decision="end_plan", category="")  # due 25 June
    review = only(plan, datetime.date(2024, 7, 2), "first_review_conference")
    assert (review.state, review.status.completed_on) == (clocks.State.COMPLETED_LATE, datetime.date(2024, 7, 1))
    assert [d.code for d in plan_deadlines(plan, on=datetime.date(2024, 7, 2))] == ["first_review_conference"]


def test_the_review_that_ended_an_earlier_plan_is_not_a_review_of_a_plan_started_that_day(org, child):
    first = start_cp_plan(child, org)
    add_smart_action(first)
    hold_review(child, org, date=datetime.date(2024, 6, 20), decision="end_plan", category="")
    second = hold_icpc(child, org, date=datetime.date(2024, 6, 20)).plans_started.get()
    review = running(second, on=datetime.date(2024, 6, 21))["first_review_conference"]
    assert (review.anchor_date, review.due) == (datetime.date(2024, 6, 20), datetime.date(2024, 9, 20))


# (c) Visits: any visit where the child was seen, within the plan's dates ----------------------------------


def seen_visit(child, org, day, **fields) -> Visit:
    return Visit.objects.create(child=child, episode=child.episodes.get(), date=day, worker=org.sam,
                                child_seen=True, childs_words="Fine", recorded_by=org.sam, **fields)


def test_a_visit_where_the_child_was_seen_counts_even_if_not_linked_to_the_plan(org, child):
    """The plan page used to count only visits linked to the plan; the record only unlinked visits of the
    plan's own kind. The child was seen either way."""
    plan = start_cp_plan(child, org)
    seen_visit(child, org, datetime.date(2024, 3, 27), plan=None, kind=Visit.Kind.OTHER)
    visit = running(plan, on=ICPC_DAY)["cp_visit"]
    assert (visit.anchor_date, visit.due) == (datetime.date(2024, 3, 27), datetime.date(2024, 4, 12))


def test_a_visit_outside_the_plans_dates_does_not_count(org, child):
    plan = start_cp_plan(child, org)
    seen_visit(child, org, datetime.date(2024, 3, 22), plan=None, kind=Visit.Kind.ASSESSMENT)  # before the plan
    visit = running(plan, on=ICPC_DAY)["cp_visit"]
    assert (visit.anchor_date, visit.due) == (ICPC_DAY, datetime.date(2024, 4, 10))


# The plan page and the record agree ---------------------------------------------------------------------


def rows(html: str) -> list[str]:
    """Each body row of a table as its text, tags removed and spaces collapsed."""
    found = []
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S):
        if "<td" in row:
            found.append(" ".join(re.sub(r"<[^>]+>", " ", row).split()))
    return found


def test_the_plan_page_and_the_records_next_steps_show_the_same_due_dates(client, time_machine, org, child):
    time_machine.move_to(datetime.datetime(2024, 4, 15, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)
    plan = start_cp_plan(child, org)
    Plan.objects.filter(pk=plan.pk).update(visit_interval_working_days=5)  # (a)
    seen_visit(child, org, datetime.date(2024, 3, 27), plan=None, kind=Visit.Kind.OTHER)  # (c)
    client.force_login(org.sam)
    record = client.get(reverse("people:record", kwargs={"person_id": child.pk})).content.decode()
    record_rows = rows(record.split('id="next-steps-heading"', 1)[1].split("</section>", 1)[0])
    page = client.get(reverse("casework:plan", kwargs={"person_id": child.pk, "plan_id": plan.pk})).content.decode()
    plan_rows = rows(page.split('id="plan-deadlines"', 1)[1].split("</table>", 1)[0])
    assert plan_rows and set(plan_rows) <= set(record_rows)
    visit_row = next(row for row in plan_rows if row.startswith("Visit the child (child protection plan)"))
    # 5 working days from the unlinked visit on 27 March: 28 March, then 2, 3, 4 and 5 April after Easter.
    assert "From: last visit where the child was seen, 27 March 2024 5 April 2024 Overdue" in visit_row
    assert any(row.startswith("Hold the first core group meeting") and "10 April 2024" in row for row in plan_rows)


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


# Who may record a visit is said before the form -------------------------------------------------------


def test_a_user_who_may_not_record_a_visit_is_told_before_the_form_with_what_to_do_instead(client, org, child):
    start_cp_plan(child, org)
    url = reverse("casework:record_visit", kwargs={"person_id": child.pk})
    client.force_login(org.ada)  # may change every record, but an administrator makes no visits
    page = client.get(url).content.decode()
    assert "You cannot record a visit" in page and "Save the visit" not in page and 'name="childs_words"' not in page
    assert "Ask Sam Worker, Lily’s allocated worker, to record the visit" in page
    client.post(url, {"date_day": "27", "date_month": "3", "date_year": "2024", "kind": "cp", "child_seen": "yes",
                      "seen_alone": "yes", "childs_words": "Hello"})
    assert not Visit.objects.exists()
    with pytest.raises(ValidationError, match="Visits are recorded by the social worker"):
        plans.record_visit(
            actor=org.ada, child=child, date=datetime.date(2024, 3, 27), kind="cp", child_seen=True,
            seen_alone=True, childs_words="Hello")


def test_a_child_with_no_open_episode_is_said_before_the_form_with_a_link_to_record_the_referral(client, org):
    noah = make_child("Noah", "Nocase")
    allocate(noah, org.sam, allocated_by=org.tess)
    client.force_login(org.sam)
    page = client.get(reverse("casework:record_visit", kwargs={"person_id": noah.pk})).content.decode()
    assert "Noah has no open episode: record the referral before a visit" in page
    assert "Save the visit" not in page
    assert reverse("casework:record_referral", kwargs={"person_id": noah.pk}) in page
