"""Plans are SMART by construction: no action without an owner, a due date and a measure; vague ones are flagged."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casefile.audit.models import Action as AuditAction
from casefile.audit.models import AuditEvent
from casefile.casework.models import Plan, PlanAction, PlanOutcome
from casefile.casework.services import plans
from casefile.casework.tests.test_protection_conferences import (
    CONTINGENCY,
    add_smart_action,
    make_episode,
    start_cp_plan,
)

START = datetime.date(2024, 3, 1)


def url(name: str, plan: Plan, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs={"person_id": plan.child_id, "plan_id": plan.pk, **kwargs})


def action_post(**overrides) -> dict:
    data = {"description": "Walk Lily to school each morning", "owner": "Dawn Hartley (mother)",
            "due_date_day": "31", "due_date_month": "5", "due_date_year": "2024",
            "measure": "School register shows attendance above 95%"}
    return {**data, **overrides}


@pytest.fixture
def cin_plan(org, child) -> Plan:
    make_episode(child, org.sam)
    return plans.start_cin_plan(actor=org.sam, child=child, start_date=START, visit_interval_working_days=20,
                                contingency=CONTINGENCY)


# Starting a child in need plan -------------------------------------------------------------------------


def test_a_child_in_need_plan_starts_with_its_visit_interval_and_contingency(org, child, cin_plan):
    assert (cin_plan.kind, cin_plan.start_date, cin_plan.visit_interval_working_days) == ("cin", START, 20)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, subject_type="casework.plan", child=child).exists()


def test_it_refuses_a_child_in_need_plan_without_an_interval_or_with_a_trivial_contingency(org, child):
    make_episode(child, org.sam)
    with pytest.raises(ValidationError) as error:
        plans.start_cin_plan(actor=org.sam, child=child, start_date=START, visit_interval_working_days=None,
                             contingency="tbc")
    errors = error.value.message_dict
    assert errors["visit_interval_working_days"] == ["Enter how many working days there can be between visits"]
    assert errors["contingency"][0].startswith("The contingency must say what will happen if the plan does not work")
    assert not Plan.objects.exists()


def test_it_refuses_a_child_in_need_plan_alongside_a_child_protection_plan(org, child):
    start_cp_plan(child, org)
    with pytest.raises(ValidationError) as error:
        plans.start_cin_plan(actor=org.sam, child=child, start_date=datetime.date(2024, 4, 1),
                             visit_interval_working_days=20, contingency=CONTINGENCY)
    assert error.value.message_dict["plan"] == [
        "Lily has an open child protection plan, which already sets out the help: a child in need plan cannot run "
        "alongside it"]


def test_it_refuses_a_plan_for_a_child_with_no_open_episode(org, child):
    with pytest.raises(ValidationError) as error:
        plans.start_cin_plan(actor=org.sam, child=child, start_date=START, visit_interval_working_days=20,
                             contingency=CONTINGENCY)
    assert error.value.message_dict["plan"] == [
        "Lily has no open episode: record the referral before starting a plan"]


def test_the_start_page_creates_the_plan_and_opens_it(client, org, child):
    make_episode(child, org.sam)
    client.force_login(org.sam)
    response = client.post(reverse("casework:start_cin_plan", kwargs={"person_id": child.pk}), {
        "start_date_day": "1", "start_date_month": "3", "start_date_year": "2024",
        "visit_interval_working_days": "20", "contingency": CONTINGENCY})
    plan = Plan.objects.get()
    assert response.url == url("plan", plan)


# SMART actions -----------------------------------------------------------------------------------------


def test_an_action_is_refused_without_a_measure_and_nothing_is_saved(org, cin_plan):
    outcome = plans.add_outcome(actor=org.sam, plan=cin_plan, description="Lily goes to school every day")
    with pytest.raises(ValidationError) as error:
        plans.add_action(actor=org.sam, outcome=outcome, description="Walk Lily to school", owner="Dawn Hartley",
                         due_date=datetime.date(2024, 5, 31), measure="  ")
    assert error.value.message_dict == {"measure": [
        "Enter how everyone will know it has been done, for example ‘the school register shows Lily in school "
        "every day’"]}
    assert not PlanAction.objects.exists()


def test_an_action_is_refused_without_an_owner_or_a_due_date_all_at_once(org, cin_plan):
    outcome = plans.add_outcome(actor=org.sam, plan=cin_plan, description="Lily is safe at home")
    with pytest.raises(ValidationError) as error:
        plans.add_action(actor=org.sam, outcome=outcome, description="Fit a stair gate", owner="", due_date=None,
                         measure="Seen fitted at the next visit")
    assert set(error.value.message_dict) == {"owner", "due_date"}
    assert error.value.message_dict["due_date"] == ["Enter the date it will be done by"]


def test_an_action_cannot_be_due_before_the_plan_started(org, cin_plan):
    outcome = plans.add_outcome(actor=org.sam, plan=cin_plan, description="Lily is safe at home")
    with pytest.raises(ValidationError) as error:
        plans.add_action(actor=org.sam, outcome=outcome, description="Fit a stair gate", owner="Dawn Hartley",
                         due_date=START - datetime.timedelta(days=1), measure="Seen fitted at the next visit")
    assert error.value.message_dict["due_date"] == [
        "The date it will be done by must be on or after the plan started on 1 March 2024"]


def test_the_action_page_shows_the_missing_measure_and_saves_nothing(client, org, cin_plan):
    outcome = plans.add_outcome(actor=org.sam, plan=cin_plan, description="Lily goes to school every day")
    client.force_login(org.sam)
    response = client.post(url("add_action", cin_plan, outcome_id=outcome.pk), action_post(measure=""))
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Enter how everyone will know it has been done" in page
    assert not PlanAction.objects.exists()


def test_adding_an_outcome_then_an_action_through_the_pages(client, org, cin_plan):
    client.force_login(org.sam)
    response = client.post(url("add_outcome", cin_plan), {"description": "Lily goes to school every day"})
    outcome = PlanOutcome.objects.get()
    assert response.url == url("add_action", cin_plan, outcome_id=outcome.pk)
    response = client.post(response.url, action_post())
    assert response.url == url("plan", cin_plan)
    action = PlanAction.objects.get()
    assert (action.outcome, action.owner, action.due_date) == (outcome, "Dawn Hartley (mother)",
                                                               datetime.date(2024, 5, 31))
    assert action.history.first().history_user == org.sam


def test_changing_an_action_saves_and_audits_what_changed(client, org, cin_plan):
    action = add_smart_action(cin_plan)
    client.force_login(org.sam)
    page = client.get(url("change_action", cin_plan, action_id=action.pk)).content.decode()
    assert "Walk Lily to school each morning" in page
    response = client.post(url("change_action", cin_plan, action_id=action.pk),
                           action_post(owner="Dawn Hartley (mother) and Sam Worker (social worker)"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.owner == "Dawn Hartley (mother) and Sam Worker (social worker)"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, subject_type="casework.planaction")
    assert event.details["changed"] == ["owner"]


def test_an_ended_plan_cannot_be_changed(org, cin_plan):
    plans.end_cin_plan(actor=org.sam, plan=cin_plan, end_date=datetime.date(2024, 6, 1))
    with pytest.raises(ValidationError) as error:
        plans.add_outcome(actor=org.sam, plan=cin_plan, description="Lily is safe")
    assert error.value.message_dict["plan"] == ["This plan ended on 1 June 2024: an ended plan cannot be changed"]


def test_a_child_protection_plan_is_not_ended_outside_a_conference(org, child):
    plan = start_cp_plan(child, org)
    with pytest.raises(ValidationError) as error:
        plans.end_cin_plan(actor=org.sam, plan=plan, end_date=datetime.date(2024, 6, 1))
    assert error.value.message_dict["plan"] == [
        "A child protection plan is ended by a review conference: record the conference"]


# Warnings on the plan page --------------------------------------------------------------------------


def test_the_plan_page_warns_about_vague_actions_but_they_are_saved(client, org, cin_plan):
    add_smart_action(cin_plan)
    vague = add_smart_action(cin_plan, description="Continue to engage with services", owner="Mum",
                             measure="Mum engages")
    client.force_login(org.sam)
    page = client.get(url("plan", cin_plan)).content.decode()
    assert "govuk-warning-text" in page and "Some of this plan may not be SMART" in page
    warnings = page.split('id="plan-warnings"', 1)[1].split("</ul>", 1)[0]
    assert "‘Mum’ is a role, not a named person" in warnings
    assert "do not say what will change" in warnings
    assert "Walk Lily to school each morning" not in warnings
    assert url("change_action", cin_plan, action_id=vague.pk) in warnings


def test_a_smart_plan_shows_no_warning(client, org, cin_plan):
    add_smart_action(cin_plan)
    client.force_login(org.sam)
    page = client.get(url("plan", cin_plan)).content.decode()
    assert "govuk-warning-text" not in page
    assert "School register shows attendance above 95%" in page and "Dawn Hartley (mother)" in page


def test_changing_the_contingency_and_interval(client, org, cin_plan):
    client.force_login(org.sam)
    response = client.post(url("change_plan", cin_plan), {
        "contingency": "If Lily misses 3 days in a row, Sam Worker visits that week and calls a meeting",
        "visit_interval_working_days": "15"})
    assert response.status_code == 302
    cin_plan.refresh_from_db()
    assert cin_plan.visit_interval_working_days == 15 and cin_plan.contingency.startswith("If Lily misses")
    page = client.post(url("change_plan", cin_plan), {"contingency": "n/a", "visit_interval_working_days": "15"})
    assert "The contingency must say what will happen" in page.content.decode()
