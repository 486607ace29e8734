"""Writes for chair and IRO challenge: raising a practice concern, the response at each stage, moving it to a later
stage, its resolution; and a chair's feedback on the quality of each agency's report to a conference.

Each function checks who may do it (access/permissions.py: PermissionDenied names what the user may not do),
validates everything first and raises ValidationError keyed by the form's field names, then writes inside one
transaction, tells django-simple-history who made the change and adds an audit event.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from casefile.access import permissions
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.casework.calendar import working_calendar
from casefile.casework.models import ConferenceReport
from casefile.core.presenters import govuk_date
from casefile.core.services import Errors, save_with_history
from casefile.oversight.escalations import current_status, stage_row
from casefile.oversight.models import Escalation, EscalationStage, ReportFeedback
from casefile.people.models import Person
from casefile.rules import escalation as rules


def _text(value: str | None) -> str:
    return (value or "").strip()


# Raising a concern ----------------------------------------------------------------------------------------


def raise_concern(*, actor, request=None, child: Person, concern: str, asked_for: str) -> Escalation:
    """A chair or IRO raises a practice concern on the child's case. It starts at the informal stage today."""
    if not permissions.may_raise_concern(actor, child):
        raise PermissionDenied("Only a conference chair or IRO of the child's conferences may raise a practice concern")
    errors = Errors()
    concern, asked_for = _text(concern), _text(asked_for)
    if not concern:
        errors.add("concern", f"Enter what you are worried about in the practice on {child.first_name}’s case")
    if not asked_for:
        errors.add("asked_for", "Enter what you are asking to happen, and by whom")
    errors.raise_if_any()
    today = timezone.localdate()
    with transaction.atomic():
        escalation = save_with_history(Escalation(
            child=child, raised_by=actor, raised_on=today, concern=concern, asked_for=asked_for,
            stage=rules.Stage.INFORMAL, stage_started_on=today), actor)
        save_with_history(EscalationStage(escalation=escalation, stage=rules.Stage.INFORMAL, started_on=today,
                                          started_by=actor), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=escalation, child=child,
               details={"stage": rules.Stage.INFORMAL, "raised_on": today})
    return escalation


# The response at a stage --------------------------------------------------------------------------------


def respond_to_concern(*, actor, request=None, escalation: Escalation, response: str,
                       responded_on: datetime.date | None) -> EscalationStage:
    """Whoever answers the current stage records the response: who (the actor), when, and what."""
    if not permissions.may_respond_to_concern(actor, escalation):
        raise PermissionDenied(f"You may not answer this concern at {escalation.get_stage_display().lower()}")
    row = stage_row(escalation, escalation.stage)
    errors = Errors()
    response = _text(response)
    if row.responded_on is not None:
        errors.add("response", f"{escalation.get_stage_display()} was answered on {govuk_date(row.responded_on)}: "
                               f"the chair may move the concern on or record its resolution")
    if not response:
        errors.add("response", "Enter the response to the concern: what has been or will be done, and by when")
    if responded_on is None:
        errors.add("responded_on", "Enter the date of the response")
    elif responded_on > timezone.localdate():
        errors.add("responded_on", "The date of the response must be today or in the past")
    elif responded_on < row.started_on:
        errors.add("responded_on", f"The date of the response must be on or after "
                                   f"{govuk_date(row.started_on)}, when this stage started")
    errors.raise_if_any()
    with transaction.atomic():
        row.responded_by, row.responded_on, row.response = actor, responded_on, response
        save_with_history(row, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=escalation, child=escalation.child,
               details={"responded": row.stage, "responded_on": responded_on})
    return row


# Moving on, and the resolution --------------------------------------------------------------------------


def escalate_concern(*, actor, request=None, escalation: Escalation, stage: str,
                     skip_reason: str = "") -> Escalation:
    """The chair moves the concern to a later stage: once the current one is answered or overdue, and with a reason
    for any stage passed over."""
    if not permissions.may_escalate_concern(actor, escalation):
        raise PermissionDenied("Only the chair who raised an open concern may move it to another stage")
    today = timezone.localdate()
    status = current_status(escalation, working_calendar(request), today)
    skip_reason = _text(skip_reason)
    problems = rules.move_problems(status, stage, skip_reason)
    if problems:
        errors = Errors()
        for field, message in problems.items():
            errors.add(field, message)
        errors.raise_if_any()
    previous = escalation.stage
    with transaction.atomic():
        save_with_history(EscalationStage(escalation=escalation, stage=stage, started_on=today, started_by=actor,
                                          skip_reason=skip_reason if rules.skipped(previous, stage) else ""), actor)
        escalation.stage, escalation.stage_started_on = stage, today
        save_with_history(escalation, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=escalation, child=escalation.child,
               details={"stage": [previous, stage], "overdue": status.is_overdue,
                        "skipped": list(rules.skipped(previous, stage))})
    return escalation


def resolve_concern(*, actor, request=None, escalation: Escalation, resolution: str) -> Escalation:
    """The chair records how the concern was resolved, which closes it, at whatever stage it had reached."""
    if not permissions.may_resolve_concern(actor, escalation):
        raise PermissionDenied("Only the chair who raised an open concern may record its resolution")
    resolution = _text(resolution)
    if not resolution:
        errors = Errors()
        errors.add("resolution", "Enter how the concern was resolved: what changed for the child, and what was agreed")
        errors.raise_if_any()
    with transaction.atomic():
        escalation.resolution, escalation.resolved_by = resolution, actor
        escalation.resolved_on = timezone.localdate()
        save_with_history(escalation, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=escalation, child=escalation.child,
               details={"resolved_on": escalation.resolved_on, "stage": escalation.stage})
    return escalation


# Feedback on conference reports -------------------------------------------------------------------------


def give_report_feedback(*, actor, request=None, report: ConferenceReport, grade: str,
                         comment: str) -> ReportFeedback:
    """The conference's chair grades one agency's report (good, adequate or poor) and says why; given again, it
    replaces the earlier feedback, which its history keeps."""
    conference = report.conference
    if not permissions.may_give_report_feedback(actor, conference):
        raise PermissionDenied("Only the chair of the conference may give feedback on its reports")
    label = report.get_agency_display()
    errors = Errors()
    comment = _text(comment)
    if grade not in ReportFeedback.Grade.values:
        errors.add("grade", f"Select whether the {label} report was good, adequate or poor")
    if not comment:
        errors.add("comment", f"Enter what made the {label} report {_grade_word(grade)}, so the agency can learn "
                              f"from it")
    errors.raise_if_any()
    feedback = ReportFeedback.objects.filter(report=report).first()
    created = feedback is None
    feedback = feedback or ReportFeedback(report=report)
    with transaction.atomic():
        feedback.grade, feedback.comment, feedback.given_by = grade, comment, actor
        feedback.given_on = timezone.localdate()
        save_with_history(feedback, actor)
        record(AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, request=request, subject=feedback,
               child=conference.child, details={"report": report.pk, "agency": report.agency, "grade": grade})
    return feedback


def _grade_word(grade: str) -> str:
    return ReportFeedback.Grade(grade).label.lower() if grade in ReportFeedback.Grade.values else "what it was"
