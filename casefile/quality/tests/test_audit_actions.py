"""Actions from an audit for the worker and the manager: due four weeks after the audit was completed unless the
auditor says otherwise, marked done with a note by the person they are for, overdue once their day has passed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casefile.audit.models import Action, AuditEvent
from casefile.quality import services
from casefile.quality.audits import action_assignees, open_actions_for
from casefile.quality.testing import make_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(org, child):
    return make_audit(child, org.quinn, completed=True)


def _add(org, audit, **fields):
    return services.add_audit_action(actor=org.quinn, audit=audit, **{
        "assignee": org.sam, "description": "Update the chronology and share it with the core group", **fields})


def test_an_action_is_due_four_weeks_after_the_audit_was_completed_by_default(org, audit):
    action = _add(org, audit)
    assert action.due_date == audit.completed_on + datetime.timedelta(days=28)
    assert list(open_actions_for(org.sam)) == [action]
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_type="quality.casefileauditaction").count() == 1


def test_the_auditor_may_give_another_due_date_but_not_one_before_the_audit(org, audit):
    later = audit.completed_on + datetime.timedelta(days=7)
    assert _add(org, audit, due_date=later).due_date == later
    with pytest.raises(ValidationError) as refused:
        _add(org, audit, due_date=audit.completed_on - datetime.timedelta(days=1))
    assert list(refused.value.message_dict) == ["due_date"]


def test_an_action_is_for_the_childs_worker_or_their_manager_only(org, audit):
    assert {person.username for person in action_assignees(audit.child)} == {"sam", "tess"}
    assert _add(org, audit, assignee=org.tess).assignee == org.tess
    with pytest.raises(ValidationError) as refused:
        _add(org, audit, assignee=org.ola, description="")
    assert set(refused.value.message_dict) == {"assignee", "description"}


def test_only_the_auditor_sets_actions_and_only_once_the_audit_is_completed(org, child, audit):
    with pytest.raises(PermissionDenied):
        services.add_audit_action(actor=org.tess, audit=audit, assignee=org.sam, description="Visit")
    in_progress = make_audit(child, org.quinn)
    with pytest.raises(ValidationError) as refused:
        _add(org, in_progress)
    assert "Complete the audit" in refused.value.messages[0]


def test_the_worker_marks_it_done_with_a_note_and_it_leaves_their_list(org, audit):
    action = _add(org, audit)
    today = timezone.localdate()
    services.complete_audit_action(actor=org.sam, action=action, completed_on=today, note="Chronology updated")
    action.refresh_from_db()
    assert (action.completed_on, action.completion_note) == (today, "Chronology updated")
    assert not open_actions_for(org.sam).exists()
    with pytest.raises(ValidationError):
        services.complete_audit_action(actor=org.sam, action=action, completed_on=today, note="Again")


def test_marking_done_needs_a_date_not_in_the_future_and_a_note(org, audit):
    action = _add(org, audit)
    with pytest.raises(ValidationError) as refused:
        services.complete_audit_action(actor=org.sam, action=action,
                                       completed_on=timezone.localdate() + datetime.timedelta(days=1), note=" ")
    assert set(refused.value.message_dict) == {"completed_on", "note"}


def test_someone_else_may_not_mark_it_done(org, audit):
    action = _add(org, audit)
    with pytest.raises(PermissionDenied):
        services.complete_audit_action(actor=org.tess, action=action, completed_on=timezone.localdate(), note="Done")


def test_an_action_past_its_day_is_overdue(org, audit):
    action = _add(org, audit)
    assert not action.is_overdue(action.due_date)
    assert action.is_overdue(action.due_date + datetime.timedelta(days=1))
