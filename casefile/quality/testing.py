"""Case file audits for tests: an audit started, graded and completed through the services, as a person would."""

from __future__ import annotations

import datetime

from django.utils import timezone

from casefile.accounts.models import User
from casefile.people.models import Person
from casefile.quality import services
from casefile.quality.models import AuditRound, AuditTemplate, CaseFileAudit, SampledChild
from casefile.rules.audit_grades import GOOD, REQUIRES_IMPROVEMENT, YES
from casefile.testing import make_child


def template(kind: str = AuditTemplate.Kind.MONTHLY) -> AuditTemplate:
    """One of the shipped audit tools (the team manager's monthly audit is the shortest)."""
    return AuditTemplate.objects.get(kind=kind)


def graded(audit: CaseFileAudit, grade: str = GOOD) -> dict:
    """Every section graded `grade`, with a comment, and every question answered yes: the service's arguments."""
    sections = list(audit.template.sections.prefetch_related("questions"))
    return {"grades": {section.pk: grade for section in sections},
            "comments": {section.pk: f"Comment on {section.get_area_display()}" for section in sections},
            "answers": {question.pk: YES for section in sections for question in section.questions.all()},
            "overall_grade": REQUIRES_IMPROVEMENT if grade != GOOD else GOOD,
            "summary": "Visits are on time; the plan needs sharper actions",
            "childs_feedback": "Lily says her social worker listens to her",
            "family_feedback": "Mum would like visits after school"}


def make_audit(child: Person, auditor: User, *, kind: str = AuditTemplate.Kind.MONTHLY,
               completed: bool = False) -> CaseFileAudit:
    audit = services.start_case_file_audit(actor=auditor, child=child, template=template(kind))
    if completed:
        services.save_case_file_audit(actor=auditor, audit=audit, complete=True, **graded(audit))
    return audit


def quality_ids(child: Person, auditor: User, worker: User) -> dict[str, int]:
    """A completed audit of the child by `auditor` (a manager who may see her: no sample is made) with an open action
    for `worker`: the URL arguments of the quality pages, for the sweeps."""
    audit = make_audit(child, auditor, completed=True)
    action = services.add_audit_action(actor=auditor, audit=audit, assignee=worker,
                                       description="Update the chronology and share it with the core group")
    return {"audit_id": audit.pk, "audit_action_id": action.pk, **round_ids(auditor)}


def round_ids(created_by: User) -> dict[str, int]:
    """A round of audits of another child (its auditor not yet assigned), for the sweeps' round addresses. A round
    shows its children to whoever draws samples, so the sweeps' child is never in it: who sees a sampled child is
    tested in quality/tests/test_sampling_pages.py."""
    other = make_child("Robin", "Roundsample")
    audit_round = AuditRound.objects.create(
        name="Sweep round", method=AuditRound.Method.RANDOM, seed=4711, size=1, candidates=1, template=template(),
        created_by=created_by, due_by=timezone.localdate() + datetime.timedelta(days=28))
    sampled = SampledChild.objects.create(round=audit_round, child=other, position=1,
                                          reason="Chosen at random (seed 4711).")
    return {"round_id": audit_round.pk, "sampled_id": sampled.pk}


def moderated(audit: CaseFileAudit, grades: dict[str, str] | None = None, overall: str = GOOD,
              grade: str = GOOD) -> dict:
    """Every section of the audit's tool graded `grade` (or, by practice area, as `grades` says), with a comment, and
    the moderator's overall grade and comment: the arguments of services.submit_moderation."""
    sections = list(audit.template.sections.all())
    grades = grades or {}
    return {"grades": {section.pk: grades.get(section.area, grade) for section in sections},
            "comments": {section.pk: "Seen on the file" for section in sections},
            "overall_grade": overall, "comment": "The plan is clearer than the audit says"}


def make_moderation(audit: CaseFileAudit, moderator: User, *, outcome: str = "", final_grade: str = "",
                    **grades):
    """A moderation of the audit by `moderator`, submitted (and its outcome recorded when `outcome` is given)."""
    moderation = services.start_moderation(actor=moderator, audit=audit, blind=True)
    services.submit_moderation(actor=moderator, moderation=moderation, **moderated(audit, **grades))
    if outcome:
        services.record_moderation_outcome(actor=moderator, moderation=moderation, outcome=outcome,
                                           final_grade=final_grade)
    return moderation


def complete_every_action(audit: CaseFileAudit) -> None:
    """Mark every open action from the audit done, on the day the audit was completed, by its auditor."""
    for action in audit.actions.filter(completed_on__isnull=True):
        services.complete_audit_action(actor=audit.auditor, action=action, completed_on=audit.completed_on,
                                       note="Done and recorded on the file")
