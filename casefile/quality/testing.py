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
