"""Actions agreed at a strategy discussion or a core group: marking them done, reopening them, and showing
which are overdue, on the strategy discussion page and the core group section of the plan page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casefile.audit.models import Action as AuditAction
from casefile.audit.models import AuditEvent
from casefile.casework import models as cw
from casefile.casework.services import episodes as services
from casefile.casework.testing import make_journey
from casefile.testing import make_child

D = datetime.date


@pytest.fixture
def journey(org, child):
    return make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)


@pytest.fixture
def core_group_action(journey):
    return cw.AgreedAction.objects.create(core_group=journey.core_group, description="Health visitor to visit",
                                          owner="Jo Smith (health visitor)", due_date=journey.core_group.date)


def done_url(child, action) -> str:
    return reverse("casework:agreed_action_done", kwargs={"person_id": child.pk, "agreed_action_id": action.pk})


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as raised:
        call(**kwargs)
    return raised.value.message_dict


def test_marking_a_strategy_action_done_records_the_date_who_did_it_and_an_audit_event(org, child, journey):
    action = services.complete_agreed_action(actor=org.sam, child=child, action=journey.agreed_action,
                                             completed_on=D(2024, 1, 12))
    action.refresh_from_db()
    assert action.completed_on == D(2024, 1, 12)
    assert action.history.first().history_user == org.sam
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, subject_type="casework.agreedaction")
    assert event.child == child and event.details["completed_on"] == "2024-01-12"


def test_reopening_a_done_action_clears_its_date_and_is_audited(org, child, journey):
    services.complete_agreed_action(actor=org.sam, child=child, action=journey.agreed_action,
                                    completed_on=D(2024, 1, 12))
    services.reopen_agreed_action(actor=org.tess, child=child, action=journey.agreed_action)
    journey.agreed_action.refresh_from_db()
    assert journey.agreed_action.completed_on is None
    assert journey.agreed_action.history.first().history_user == org.tess
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, subject_type="casework.agreedaction").count() == 2


def test_a_core_group_action_can_be_marked_done(org, child, core_group_action):
    services.complete_agreed_action(actor=org.sam, child=child, action=core_group_action, completed_on=D(2024, 2, 6))
    core_group_action.refresh_from_db()
    assert core_group_action.completed_on == D(2024, 2, 6)


def test_it_refuses_a_done_date_in_the_future(org, child, journey):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    errors = refused(services.complete_agreed_action, actor=org.sam, child=child, action=journey.agreed_action,
                     completed_on=tomorrow)
    assert errors == {"completed_on": ["The date it was done must be today or in the past"]}
    journey.agreed_action.refresh_from_db()
    assert journey.agreed_action.completed_on is None


def test_it_refuses_a_done_date_before_the_strategy_discussion(org, child, journey):
    errors = refused(services.complete_agreed_action, actor=org.sam, child=child, action=journey.agreed_action,
                     completed_on=D(2024, 1, 10))
    assert errors == {"completed_on": [
        "The date it was done must be on or after the strategy discussion (11 January 2024)"]}


def test_it_refuses_a_done_date_before_the_core_group(org, child, core_group_action):
    errors = refused(services.complete_agreed_action, actor=org.sam, child=child, action=core_group_action,
                     completed_on=D(2024, 2, 4))
    assert errors == {"completed_on": ["The date it was done must be on or after the core group (5 February 2024)"]}


def test_it_refuses_a_missing_done_date(org, child, journey):
    errors = refused(services.complete_agreed_action, actor=org.sam, child=child, action=journey.agreed_action,
                     completed_on=None)
    assert errors == {"completed_on": ["Enter the date it was done"]}


def test_it_refuses_to_mark_an_action_done_twice(org, child, journey):
    services.complete_agreed_action(actor=org.sam, child=child, action=journey.agreed_action,
                                    completed_on=D(2024, 1, 12))
    errors = refused(services.complete_agreed_action, actor=org.sam, child=child, action=journey.agreed_action,
                     completed_on=D(2024, 1, 13))
    assert errors == {"__all__": ["This action was already marked done on 12 January 2024: reopen it first to "
                                  "change the date"]}
    journey.agreed_action.refresh_from_db()
    assert journey.agreed_action.completed_on == D(2024, 1, 12)


def test_it_refuses_to_reopen_an_action_that_is_not_done(org, child, journey):
    errors = refused(services.reopen_agreed_action, actor=org.sam, child=child, action=journey.agreed_action)
    assert errors == {"__all__": ["This action is not marked done, so there is nothing to reopen"]}


def test_it_refuses_an_action_on_another_childs_record(org, child, journey):
    other = make_child(first_name="Sophie", last_name="Other")
    errors = refused(services.complete_agreed_action, actor=org.sam, child=other, action=journey.agreed_action,
                     completed_on=D(2024, 1, 12))
    assert errors == {"__all__": ["This action is not on this child’s record"]}
    assert not AuditEvent.objects.filter(subject_type="casework.agreedaction").exists()


def test_an_open_action_past_its_due_date_shows_overdue_on_the_strategy_discussion(client, org, child, journey):
    client.force_login(org.sam)
    page = reverse("casework:strategy_discussion",
                   kwargs={"person_id": child.pk, "strategy_discussion_id": journey.strategy_discussion.pk})
    content = client.get(page).content.decode()
    assert "govuk-tag--red" in content and "Overdue" in content
    assert done_url(child, journey.agreed_action) in content and "Mark as done" in content

    services.complete_agreed_action(actor=org.sam, child=child, action=journey.agreed_action,
                                    completed_on=D(2024, 1, 12))
    content = client.get(page).content.decode()
    assert "Overdue" not in content and "Done on 12 January 2024" in content and "Reopen" in content


def test_an_action_not_yet_due_is_not_overdue(client, org, child, journey):
    journey.agreed_action.due_date = timezone.localdate()
    journey.agreed_action.save()
    client.force_login(org.sam)
    page = reverse("casework:strategy_discussion",
                   kwargs={"person_id": child.pk, "strategy_discussion_id": journey.strategy_discussion.pk})
    content = client.get(page).content.decode()
    assert "Overdue" not in content and "Not done yet" in content


def test_the_plan_page_lists_core_group_actions_with_overdue_ones_tagged(client, org, child, journey,
                                                                         core_group_action):
    client.force_login(org.sam)
    page = reverse("casework:plan", kwargs={"person_id": child.pk, "plan_id": journey.plan.pk})
    content = client.get(page).content.decode()
    assert "Health visitor to visit" in content and "Overdue" in content
    assert done_url(child, core_group_action) in content


def test_marking_done_through_the_page_returns_to_the_strategy_discussion(client, org, child, journey):
    client.force_login(org.sam)
    url = done_url(child, journey.agreed_action)
    assert client.get(url).status_code == 200
    response = client.post(url, {"completed_on_day": "12", "completed_on_month": "1", "completed_on_year": "2024"})
    assert response.status_code == 302
    assert response.url == reverse("casework:strategy_discussion", kwargs={
        "person_id": child.pk, "strategy_discussion_id": journey.strategy_discussion.pk})
    journey.agreed_action.refresh_from_db()
    assert journey.agreed_action.completed_on == D(2024, 1, 12)


def test_a_refused_date_is_shown_on_the_page_and_nothing_is_saved(client, org, child, journey):
    client.force_login(org.sam)
    response = client.post(done_url(child, journey.agreed_action),
                           {"completed_on_day": "1", "completed_on_month": "1", "completed_on_year": "2024"})
    assert response.status_code == 200
    assert "must be on or after the strategy discussion" in response.content.decode()
    journey.agreed_action.refresh_from_db()
    assert journey.agreed_action.completed_on is None


def test_reopening_through_the_page_returns_to_the_plan(client, org, child, journey, core_group_action):
    services.complete_agreed_action(actor=org.sam, child=child, action=core_group_action, completed_on=D(2024, 2, 6))
    client.force_login(org.sam)
    url = done_url(child, core_group_action)
    assert "Reopen the action" in client.get(url).content.decode()
    response = client.post(url, {"reopen": "yes"})
    assert response.status_code == 302
    assert response.url == reverse("casework:plan", kwargs={"person_id": child.pk, "plan_id": journey.plan.pk})
    core_group_action.refresh_from_db()
    assert core_group_action.completed_on is None


def test_an_outsider_gets_not_found_on_the_done_page(client, org, child, journey):
    client.force_login(org.ola)
    url = done_url(child, journey.agreed_action)
    assert client.get(url).status_code == 404
    assert client.post(url, {"completed_on_day": "12", "completed_on_month": "1",
                             "completed_on_year": "2024"}).status_code == 404
    journey.agreed_action.refresh_from_db()
    assert journey.agreed_action.completed_on is None


def test_another_childs_action_is_not_found_through_this_childs_url(client, org, child, journey):
    other = make_child(first_name="Sophie", last_name="Other")
    other_journey = make_journey(other, worker=org.sam, manager=org.tess, chair=org.hana)
    client.force_login(org.sam)
    url = done_url(child, other_journey.agreed_action)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reopen": "yes"}).status_code == 404
