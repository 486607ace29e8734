"""Writes for supervision: case supervision on a child's file (its reflective record, SMART actions tracked to
completion, the manager's and the worker's sign-off) and a worker's own staff supervision.

Each function takes keyword-only arguments with `actor` (and optional `request`), checks everything first and
raises ValidationError keyed by field, each message naming what is missing and what to do; then writes inside
one transaction, tells django-simple-history who made the change and adds an audit event. A signed record is not
changed: its supervisor re-opens it first, with a reason, which clears both sign-offs (the history keeps what was
signed). Marking an action done is progress, not a change to what was agreed, so it is allowed once signed.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.accounts.models import User
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.core.presenters import govuk_date, govuk_datetime
from casefile.core.services import Errors, save_with_history
from casefile.oversight.models import CaseSupervision, StaffSupervision, SupervisionAction
from casefile.people.models import Person
from casefile.rules import text_limits

# What each part of the record asks for when it is missing.
REFLECTIVE_MESSAGES = {
    "happening": "Enter what is happening for the child",
    "worries": "Enter what we are worried about",
    "working_well": "Enter what is working well",
    "hypotheses": "Enter the hypotheses: what might explain what is happening",
    "next_steps": "Enter what needs to happen",
}
STAFF_MESSAGES = {
    "wellbeing": "Enter what was discussed about the worker’s wellbeing",
    "caseload": "Enter what was discussed about the worker’s caseload",
    "learning": "Enter what was discussed about learning and development",
}
SECTION_LABELS = {"happening": "What is happening", "worries": "What we are worried about",
                  "working_well": "What is working well", "hypotheses": "Hypotheses",
                  "next_steps": "What needs to happen", "wellbeing": "Wellbeing", "caseload": "Caseload",
                  "learning": "Learning and development"}


def _today() -> datetime.date:
    return timezone.localdate()


def _text(value) -> str:
    return (value or "").strip()


def _check_held_on(errors: Errors, held_on: datetime.date | None) -> None:
    if held_on is None:
        errors.add("held_on", "Enter the date of the supervision")
    elif held_on > _today():
        errors.add("held_on", "The date of the supervision must be today or in the past")


def _check_sections(errors: Errors, values: dict[str, str], messages: dict[str, str]) -> None:
    for field, message in messages.items():
        if not values[field]:
            errors.add(field, message)
        elif text_limits.too_long(SECTION_LABELS[field], values[field], text_limits.LONG_TEXT):
            errors.add(field, text_limits.too_long(SECTION_LABELS[field], values[field], text_limits.LONG_TEXT))


def _check_worker(errors: Errors, actor: User, worker) -> None:
    """The worker supervised: someone the supervisor is above (policy.oversees_worker), never themselves."""
    if not isinstance(worker, User) or not worker.is_active:
        errors.add("worker", "Select the worker you supervised")
    elif not policy.oversees_worker(actor, worker):
        errors.add("worker", f"Select a worker you supervise: {worker} is not in your line management")


# Case supervision ---------------------------------------------------------------------------------------


def _refuse_if_signed(supervision: CaseSupervision) -> None:
    if supervision.has_a_signature:
        raise ValidationError({"__all__": [
            "This supervision record has been signed off: its supervisor must re-open it before it can be changed"]})


def record_case_supervision(*, actor: User, request=None, child: Person, worker: User | None,
                            held_on: datetime.date | None, happening: str = "", worries: str = "",
                            working_well: str = "", hypotheses: str = "", next_steps: str = "") -> CaseSupervision:
    """What a manager and a worker said about this child in supervision, in the reflective structure."""
    if not permissions.may_record_supervision(actor, child):
        raise PermissionDenied("Only a manager who may change the child’s record records case supervision")
    values = {"happening": _text(happening), "worries": _text(worries), "working_well": _text(working_well),
              "hypotheses": _text(hypotheses), "next_steps": _text(next_steps)}
    errors = Errors()
    _check_held_on(errors, held_on)
    _check_worker(errors, actor, worker)
    _check_sections(errors, values, REFLECTIVE_MESSAGES)
    errors.raise_if_any()
    with transaction.atomic():
        supervision = CaseSupervision(child=child, worker=worker, supervisor=actor, held_on=held_on,
                                      recorded_by=actor, **values)
        save_with_history(supervision, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=supervision, child=child,
               details={"worker": worker.pk, "held_on": held_on})
    return supervision


def change_case_supervision(*, actor: User, request=None, supervision: CaseSupervision,
                            held_on: datetime.date | None, happening: str = "", worries: str = "",
                            working_well: str = "", hypotheses: str = "", next_steps: str = "") -> CaseSupervision:
    """Correct or add to an unsigned record. The history keeps every earlier version."""
    if not permissions.may_change_supervision(actor, supervision):
        raise PermissionDenied("Only the manager who gave the supervision may change its record")
    _refuse_if_signed(supervision)
    values = {"held_on": held_on, "happening": _text(happening), "worries": _text(worries),
              "working_well": _text(working_well), "hypotheses": _text(hypotheses), "next_steps": _text(next_steps)}
    errors = Errors()
    _check_held_on(errors, held_on)
    _check_sections(errors, values, REFLECTIVE_MESSAGES)
    errors.raise_if_any()
    changed = [name for name, value in values.items() if getattr(supervision, name) != value]
    with transaction.atomic():
        for name, value in values.items():
            setattr(supervision, name, value)
        save_with_history(supervision, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=supervision, child=supervision.child,
               details={"changed": changed})
    return supervision


def sign_off_case_supervision(*, actor: User, request=None, supervision: CaseSupervision) -> CaseSupervision:
    """The manager or the worker signs the record, each for themselves, in either order."""
    if not permissions.may_sign_off_supervision(actor, supervision):
        raise PermissionDenied("Only the manager and the worker in the supervision sign it off")
    part = "supervisor" if actor.pk == supervision.supervisor_id else "worker"
    signed_at = getattr(supervision, f"{part}_signed_at")
    if signed_at is not None:
        raise ValidationError({"__all__": [f"You signed this supervision record off on {govuk_datetime(signed_at)}"]})
    with transaction.atomic():
        setattr(supervision, f"{part}_signed_by", actor)
        setattr(supervision, f"{part}_signed_at", timezone.now())
        save_with_history(supervision, actor)
        record(AuditAction.AUTHORISE, actor=actor, request=request, subject=supervision, child=supervision.child,
               details={"signed_as": part, "signed_off": supervision.is_signed_off})
    return supervision


def reopen_case_supervision(*, actor: User, request=None, supervision: CaseSupervision,
                            reason: str) -> CaseSupervision:
    """Clear both sign-offs so the record can be corrected, saying why; both sign again afterwards."""
    if not permissions.may_change_supervision(actor, supervision):
        raise PermissionDenied("Only the manager who gave the supervision may re-open its record")
    reason = _text(reason)
    errors = Errors()
    if not supervision.has_a_signature:
        errors.add("__all__", "This supervision record has not been signed off, so it is open to changes already")
    if not reason:
        errors.add("reason", "Enter why the signed record needs to change")
    errors.raise_if_any()
    with transaction.atomic():
        for part in ("supervisor", "worker"):
            setattr(supervision, f"{part}_signed_by", None)
            setattr(supervision, f"{part}_signed_at", None)
        save_with_history(supervision, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=supervision, child=supervision.child,
               reason=reason, details={"reopened": True})
    return supervision


# SMART actions --------------------------------------------------------------------------------------------


def add_supervision_action(*, actor: User, request=None, supervision: CaseSupervision, description: str,
                           owner: str, due_date: datetime.date | None, measure: str) -> SupervisionAction:
    """An action agreed in the supervision: each part required (rules/plan_checks.py warns on vague wording)."""
    if not permissions.may_change_supervision(actor, supervision):
        raise PermissionDenied("Only the manager who gave the supervision may add its actions")
    _refuse_if_signed(supervision)
    values = {"description": _text(description), "owner": _text(owner), "measure": _text(measure)}
    errors = Errors()
    if not values["description"]:
        errors.add("description", "Enter what will be done, for example ‘Visit Lily at school and see her alone’")
    if not values["owner"]:
        errors.add("owner", "Enter who will do it: a named person, for example ‘Sam Worker (social worker)’")
    elif len(values["owner"]) > SupervisionAction._meta.get_field("owner").max_length:
        errors.add("owner", "Enter who will do it in 200 characters or fewer")
    if due_date is None:
        errors.add("due_date", "Enter the date it will be done by")
    elif due_date < supervision.held_on:
        errors.add("due_date", f"The date it will be done by must be on or after the supervision "
                               f"({govuk_date(supervision.held_on)})")
    if not values["measure"]:
        errors.add("measure", "Enter how everyone will know it has been done")
    errors.raise_if_any()
    with transaction.atomic():
        action = SupervisionAction(supervision=supervision, due_date=due_date, **values)
        save_with_history(action, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=action, child=supervision.child,
               details={"supervision": supervision.pk, "due_date": due_date})
    return action


def complete_supervision_action(*, actor: User, request=None, action: SupervisionAction,
                                completed_on: datetime.date | None) -> SupervisionAction:
    """Mark an action done on the date it was done: not in the future, not before the supervision agreed it."""
    supervision = action.supervision
    if not permissions.may_complete_supervision_action(actor, supervision):
        raise PermissionDenied("Only the worker, the supervisor or a manager of the child’s case marks it done")
    errors = Errors()
    if action.completed_on:
        errors.add("__all__", f"This action was marked done on {govuk_date(action.completed_on)}")
    if completed_on is None:
        errors.add("completed_on", "Enter the date it was done")
    elif completed_on > _today():
        errors.add("completed_on", "The date it was done must be today or in the past")
    elif completed_on < supervision.held_on:
        errors.add("completed_on", f"The date it was done must be on or after the supervision "
                                   f"({govuk_date(supervision.held_on)})")
    errors.raise_if_any()
    with transaction.atomic():
        action.completed_on = completed_on
        save_with_history(action, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=action, child=supervision.child,
               details={"completed_on": completed_on, "supervision": supervision.pk})
    return action


# Staff supervision ---------------------------------------------------------------------------------------


def record_staff_supervision(*, actor: User, request=None, worker: User, held_on: datetime.date | None,
                             wellbeing: str = "", caseload: str = "", learning: str = "") -> StaffSupervision:
    """A worker's own supervision, recorded by a manager above them. Its audit event names no child and carries
    none of what was said."""
    if not permissions.may_record_staff_supervision(actor, worker):
        raise PermissionDenied("Only a manager above the worker records their supervision")
    values = {"wellbeing": _text(wellbeing), "caseload": _text(caseload), "learning": _text(learning)}
    errors = Errors()
    _check_held_on(errors, held_on)
    _check_sections(errors, values, STAFF_MESSAGES)
    errors.raise_if_any()
    with transaction.atomic():
        supervision = StaffSupervision(worker=worker, supervisor=actor, held_on=held_on, recorded_by=actor, **values)
        save_with_history(supervision, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=supervision,
               details={"worker": worker.pk, "held_on": held_on})
    return supervision
