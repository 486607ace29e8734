"""Case and staff supervision services: what each refuses (naming the missing part), what each writes and audits,
sign-off by both people, and no change to a signed record until its supervisor re-opens it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casefile.audit.models import Action, AuditEvent
from casefile.oversight.models import CaseSupervision, StaffSupervision, SupervisionAction
from casefile.oversight.services import supervision as services
from casefile.oversight.testing import REFLECTIVE, STAFF, make_case_supervision
from casefile.testing import allocate, make_child


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def _record(org, child, **changes):
    values = {"worker": org.sam, "held_on": _yesterday(), **REFLECTIVE, **changes}
    return services.record_case_supervision(actor=org.tess, child=child, **values)


def _errors(raised) -> dict[str, list[str]]:
    return raised.value.message_dict


def test_a_manager_records_case_supervision_about_a_child_and_it_is_audited(org, child):
    supervision = _record(org, child)
    supervision.refresh_from_db()
    assert (supervision.child, supervision.worker, supervision.supervisor) == (child, org.sam, org.tess)
    assert supervision.next_steps == REFLECTIVE["next_steps"] and not supervision.has_a_signature
    event = AuditEvent.objects.filter(action=Action.CREATE, subject_id=str(supervision.pk)).get()
    assert event.child_id == child.pk and event.actor == org.tess
    assert supervision.history.get().history_user == org.tess


def test_each_missing_part_of_the_reflective_record_is_named(org, child):
    with pytest.raises(ValidationError) as raised:
        _record(org, child, held_on=None, worker=None, happening=" ", worries="", working_well="", hypotheses="",
                next_steps="")
    errors = _errors(raised)
    assert set(errors) == {"held_on", "worker", "happening", "worries", "working_well", "hypotheses", "next_steps"}
    assert errors["worries"] == ["Enter what we are worried about"]
    assert errors["working_well"] == ["Enter what is working well"]
    assert errors["next_steps"] == ["Enter what needs to happen"]
    assert not CaseSupervision.objects.exists()


def test_a_date_to_come_and_a_worker_the_manager_does_not_supervise_are_refused(org, child):
    with pytest.raises(ValidationError) as raised:
        _record(org, child, held_on=timezone.localdate() + datetime.timedelta(days=1), worker=org.ola)
    errors = _errors(raised)
    assert errors["held_on"] == ["The date of the supervision must be today or in the past"]
    assert "Ola Other is not in your line management" in errors["worker"][0]


@pytest.mark.parametrize("who", ["sam", "ola", "mel", "chris", "ada"])
def test_only_a_manager_who_may_change_the_child_s_record_records_it(org, child, who):
    with pytest.raises(PermissionDenied):
        services.record_case_supervision(actor=getattr(org, who), child=child, worker=org.sam, held_on=_yesterday(),
                                         **REFLECTIVE)
    assert not CaseSupervision.objects.exists()


def test_a_manager_cannot_record_supervision_about_a_child_they_may_not_change(org):
    elsewhere = make_child("Noah", "Elsewhere")
    allocate(elsewhere, org.ola)
    with pytest.raises(PermissionDenied):
        _record(org, elsewhere)


def test_the_manager_and_the_worker_each_sign_it_off_in_either_order(org, child):
    supervision = _record(org, child)
    services.sign_off_case_supervision(actor=org.sam, supervision=supervision)
    assert supervision.worker_signed_by == org.sam and supervision.worker_signed_at is not None
    assert not supervision.is_signed_off
    services.sign_off_case_supervision(actor=org.tess, supervision=supervision)
    supervision.refresh_from_db()
    assert supervision.is_signed_off and supervision.supervisor_signed_by == org.tess
    events = AuditEvent.objects.filter(action=Action.AUTHORISE, subject_id=str(supervision.pk)).order_by("pk")
    assert [event.details["signed_as"] for event in events] == ["worker", "supervisor"]
    assert [event.child_id for event in events] == [child.pk, child.pk]


def test_signing_twice_and_signing_for_someone_else_are_refused(org, child):
    supervision = _record(org, child)
    services.sign_off_case_supervision(actor=org.tess, supervision=supervision)
    with pytest.raises(ValidationError, match="You signed this supervision record off on"):
        services.sign_off_case_supervision(actor=org.tess, supervision=supervision)
    for other in (org.simon, org.ola, org.ada):
        with pytest.raises(PermissionDenied):
            services.sign_off_case_supervision(actor=other, supervision=supervision)
    assert supervision.worker_signed_at is None


def test_a_signed_record_cannot_be_changed_until_its_supervisor_reopens_it(org, child):
    supervision = _record(org, child)
    services.sign_off_case_supervision(actor=org.sam, supervision=supervision)
    changes = {"held_on": supervision.held_on, **REFLECTIVE, "next_steps": "Something else"}
    with pytest.raises(ValidationError, match="re-open it"):
        services.change_case_supervision(actor=org.tess, supervision=supervision, **changes)
    with pytest.raises(ValidationError, match="re-open it"):
        services.add_supervision_action(actor=org.tess, supervision=supervision, description="Visit", owner="Sam",
                                        due_date=_yesterday(), measure="Seen")
    with pytest.raises(ValidationError) as raised:
        services.reopen_case_supervision(actor=org.tess, supervision=supervision, reason="")
    assert _errors(raised) == {"reason": ["Enter why the signed record needs to change"]}
    with pytest.raises(PermissionDenied):
        services.reopen_case_supervision(actor=org.sam, supervision=supervision, reason="Mine")

    services.reopen_case_supervision(actor=org.tess, supervision=supervision, reason="The date was wrong")
    assert not supervision.has_a_signature and supervision.worker_signed_by is None
    assert AuditEvent.objects.filter(action=Action.UPDATE, subject_id=str(supervision.pk),
                                     reason="The date was wrong").exists()
    services.change_case_supervision(actor=org.tess, supervision=supervision, **changes)
    supervision.refresh_from_db()
    assert supervision.next_steps == "Something else"
    # The history keeps what was signed.
    assert supervision.history.filter(worker_signed_by=org.sam).exists()


def test_reopening_a_record_nobody_signed_is_refused(org, child):
    supervision = _record(org, child)
    with pytest.raises(ValidationError, match="has not been signed off"):
        services.reopen_case_supervision(actor=org.tess, supervision=supervision, reason="Why not")


def test_only_the_supervisor_changes_the_record(org, child):
    supervision = _record(org, child)
    with pytest.raises(PermissionDenied):
        services.change_case_supervision(actor=org.simon, supervision=supervision, held_on=_yesterday(), **REFLECTIVE)


# Actions ------------------------------------------------------------------------------------------------


def test_an_action_needs_each_part_named(org, child):
    supervision = _record(org, child)
    with pytest.raises(ValidationError) as raised:
        services.add_supervision_action(actor=org.tess, supervision=supervision, description="", owner=" ",
                                        due_date=None, measure="")
    errors = _errors(raised)
    assert set(errors) == {"description", "owner", "due_date", "measure"}
    assert errors["owner"][0].startswith("Enter who will do it")
    assert errors["due_date"] == ["Enter the date it will be done by"]
    assert errors["measure"] == ["Enter how everyone will know it has been done"]
    with pytest.raises(ValidationError) as raised:
        services.add_supervision_action(actor=org.tess, supervision=supervision, description="Visit", owner="Sam",
                                        measure="Seen", due_date=supervision.held_on - datetime.timedelta(days=1))
    assert "must be on or after the supervision" in _errors(raised)["due_date"][0]


def test_an_action_is_tracked_to_done_with_its_date_even_once_signed(org, child):
    supervision = _record(org, child)
    action = services.add_supervision_action(
        actor=org.tess, supervision=supervision, description="Visit Lily at school and see her alone",
        owner="Sam Worker (social worker)", due_date=timezone.localdate(), measure="Lily's words on the visit record")
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_id=str(action.pk), child=child).exists()
    services.sign_off_case_supervision(actor=org.tess, supervision=supervision)
    services.sign_off_case_supervision(actor=org.sam, supervision=supervision)

    with pytest.raises(ValidationError) as raised:
        services.complete_supervision_action(actor=org.sam, action=action,
                                             completed_on=timezone.localdate() + datetime.timedelta(days=1))
    assert _errors(raised) == {"completed_on": ["The date it was done must be today or in the past"]}
    with pytest.raises(ValidationError) as raised:
        services.complete_supervision_action(actor=org.sam, action=action, completed_on=None)
    assert _errors(raised) == {"completed_on": ["Enter the date it was done"]}
    with pytest.raises(PermissionDenied):
        services.complete_supervision_action(actor=org.ola, action=action, completed_on=timezone.localdate())

    services.complete_supervision_action(actor=org.sam, action=action, completed_on=timezone.localdate())
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate()
    with pytest.raises(ValidationError, match="was marked done on"):
        services.complete_supervision_action(actor=org.sam, action=action, completed_on=timezone.localdate())
    assert SupervisionAction.history.filter(id=action.pk).count() == 2


# Staff supervision --------------------------------------------------------------------------------------


def test_a_manager_above_the_worker_records_their_staff_supervision_audited_without_a_child(org):
    supervision = services.record_staff_supervision(actor=org.simon, worker=org.sam, held_on=_yesterday(), **STAFF)
    assert (supervision.worker, supervision.supervisor) == (org.sam, org.simon)
    event = AuditEvent.objects.get(action=Action.CREATE, subject_id=str(supervision.pk))
    assert event.child_id is None
    assert STAFF["wellbeing"] not in str(event.details)


def test_staff_supervision_names_each_missing_part(org):
    with pytest.raises(ValidationError) as raised:
        services.record_staff_supervision(actor=org.tess, worker=org.sam, held_on=None)
    errors = _errors(raised)
    assert set(errors) == {"held_on", "wellbeing", "caseload", "learning"}
    assert errors["learning"] == ["Enter what was discussed about learning and development"]


@pytest.mark.parametrize("who", ["sam", "mel", "ola", "ada", "chris"])
def test_only_a_manager_above_the_worker_records_their_staff_supervision(org, who):
    with pytest.raises(PermissionDenied):
        services.record_staff_supervision(actor=getattr(org, who), worker=org.sam, held_on=_yesterday(), **STAFF)
    assert not StaffSupervision.objects.exists()


def test_the_testing_helper_builds_a_record_the_services_would_accept(org, child):
    supervision = make_case_supervision(child, org.sam, org.tess)
    assert all(getattr(supervision, field) for field in REFLECTIVE)
