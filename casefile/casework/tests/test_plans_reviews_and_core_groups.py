"""A review marks every action done, partly done or not done, with evidence; core groups record who came and what
was agreed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casefile.casework.models import ActionProgress, AgreedAction, CoreGroup, PlanReview
from casefile.casework.services import plans
from casefile.casework.tests.test_protection_conferences import (
    CONTINGENCY,
    add_smart_action,
    make_episode,
    start_cp_plan,
)

REVIEW_DAY = datetime.date(2024, 5, 20)


@pytest.fixture
def cin_plan(org, child):
    make_episode(child, org.sam)
    return plans.start_cin_plan(actor=org.sam, child=child, start_date=datetime.date(2024, 3, 1),
                                visit_interval_working_days=20, contingency=CONTINGENCY)


def url(name: str, plan, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs={"person_id": plan.child_id, "plan_id": plan.pk, **kwargs})


def test_a_review_meeting_records_each_actions_progress(org, cin_plan):
    first, second = add_smart_action(cin_plan), add_smart_action(cin_plan, description="Book a GP appointment")
    review = plans.record_review(actor=org.sam, plan=cin_plan, date=REVIEW_DAY, summary="Going well", progress={
        first.pk: {"status": "done", "evidence": "Register 98%"},
        second.pk: {"status": "not_done", "evidence": "Dawn forgot; booked for next week"}})
    assert (review.date, review.conference, review.summary) == (REVIEW_DAY, None, "Going well")
    assert dict(review.progress.values_list("action_id", "status")) == {first.pk: "done", second.pk: "not_done"}


def test_a_review_cannot_be_saved_until_every_action_has_a_status_and_evidence(org, cin_plan):
    first, second = add_smart_action(cin_plan), add_smart_action(cin_plan, description="Book a GP appointment")
    with pytest.raises(ValidationError) as error:
        plans.record_review(actor=org.sam, plan=cin_plan, date=REVIEW_DAY, summary="", progress={
            first.pk: {"status": "done", "evidence": "   "}, second.pk: {"status": "maybe", "evidence": "Booked"}})
    assert error.value.message_dict == {
        f"progress_{first.pk}_evidence": [
            "Enter the evidence for ‘Walk Lily to school each morning’: what shows how far it was done"],
        f"progress_{second.pk}_status": [
            "Select whether ‘Book a GP appointment’ was done, partly done or not done"],
    }
    assert not PlanReview.objects.exists() and not ActionProgress.objects.exists()


def test_a_review_must_be_after_the_plan_started_and_not_in_the_future(org, cin_plan):
    for day, message in [(datetime.date(2024, 3, 1), "The review must be after the plan started on 1 March 2024"),
                         (timezone.localdate() + datetime.timedelta(days=1),
                          "The date of the review must be today or in the past")]:
        with pytest.raises(ValidationError) as error:
            plans.record_review(actor=org.sam, plan=cin_plan, date=day, summary="", progress={})
        assert error.value.message_dict["date"] == [message]


def test_a_child_protection_plan_is_reviewed_at_a_conference_not_a_meeting(org, child):
    plan = start_cp_plan(child, org)
    with pytest.raises(ValidationError) as error:
        plans.record_review(actor=org.sam, plan=plan, date=REVIEW_DAY, summary="", progress={})
    assert error.value.message_dict["plan"] == [
        "A child protection plan is reviewed at a review conference: record the conference"]


def test_the_review_page_shows_each_missing_answer_then_saves(client, org, cin_plan):
    action = add_smart_action(cin_plan)
    client.force_login(org.sam)
    data = {"date_day": "20", "date_month": "5", "date_year": "2024", f"progress_{action.pk}_status": "partly"}
    page = client.post(url("record_review", cin_plan), data).content.decode()
    assert "govuk-error-summary" in page and f'href="#id_progress_{action.pk}_evidence"' in page
    assert not PlanReview.objects.exists()
    data[f"progress_{action.pk}_evidence"] = "Register shows 88%"
    response = client.post(url("record_review", cin_plan), data)
    review = PlanReview.objects.get()
    assert response.url == url("review", cin_plan, review_id=review.pk)
    assert "Register shows 88%" in client.get(response.url).content.decode()
    plan_page = client.get(url("plan", cin_plan)).content.decode()
    assert "Partly done" in plan_page and "Register shows 88%" in plan_page


# Core groups -----------------------------------------------------------------------------------------


def test_a_core_group_records_who_came_and_the_actions_agreed(client, org, child):
    plan = start_cp_plan(child, org)
    client.force_login(org.sam)
    response = client.post(url("record_core_group", plan), {
        "date_day": "4", "date_month": "4", "date_year": "2024", "attendees": "Sam Worker (social worker)\nDawn",
        "summary": "Agreed the detailed plan", "action_1_description": "Book a GP appointment",
        "action_1_owner": "Dawn Hartley", "action_1_due_date_day": "12", "action_1_due_date_month": "4",
        "action_1_due_date_year": "2024"})
    assert response.url == url("plan", plan)
    group = CoreGroup.objects.get()
    assert (group.plan, group.date) == (plan, datetime.date(2024, 4, 4))
    assert list(AgreedAction.objects.values_list("core_group", "owner")) == [(group.pk, "Dawn Hartley")]


def test_a_core_group_action_needs_an_owner_and_a_date(client, org, child):
    plan = start_cp_plan(child, org)
    client.force_login(org.sam)
    page = client.post(url("record_core_group", plan), {
        "date_day": "4", "date_month": "4", "date_year": "2024", "attendees": "Sam Worker",
        "action_2_description": "Book a GP appointment"}).content.decode()
    assert "Enter the name of the person who will do action 2" in page
    assert "Enter the date action 2 will be done by" in page
    assert not CoreGroup.objects.exists()


def test_core_groups_are_for_child_protection_plans(org, cin_plan):
    with pytest.raises(ValidationError) as error:
        plans.record_core_group(actor=org.sam, plan=cin_plan, date=REVIEW_DAY, attendees="Sam", summary="")
    assert error.value.message_dict["plan"] == [
        "Core groups meet for child protection plans: for a child in need plan, record a review meeting"]
