"""Reads of case file audits that several pages share: a child's audits, an auditor's, the people an action may be
for, and the open actions waiting for someone (their My work, the quality page). Each is a fixed number of
queries, however many audits there are."""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Count, Q, QuerySet

from casefile.accounts.models import User
from casefile.casework.models import Allocation
from casefile.people.models import Person
from casefile.quality.models import CaseFileAudit, CaseFileAuditAction, SectionGrade
from casefile.rules.audit_impact import Change, Impact, change, impact

# An action's due date unless the auditor gives another: four weeks after the audit was completed.
ACTION_DAYS = 28


def default_due_date(audit: CaseFileAudit) -> datetime.date | None:
    return audit.completed_on + datetime.timedelta(days=ACTION_DAYS) if audit.completed_on else None


def audits_of_child(child: Person) -> QuerySet:
    """The child's audits, newest first, with the tool and the auditor: one query."""
    return (CaseFileAudit.objects.filter(child=child).select_related("template", "auditor")
            .order_by("-started_on", "-pk"))


def _measurable(re_audit: CaseFileAudit, earlier: CaseFileAudit | None) -> bool:
    return (earlier is not None and re_audit.is_completed and earlier.is_completed
            and bool(re_audit.overall_grade) and bool(earlier.overall_grade))


def re_audit_impact(re_audit: CaseFileAudit) -> Impact | None:
    """A completed re-audit's change in grade from the audit it follows, overall and by section (the same tool, so
    the same sections): the audit's measured impact (rules/audit_impact.py). None for a first audit or while
    either is not completed. Two queries: the audit it follows, and both audits' section grades."""
    if re_audit.re_audit_of_id is None or not _measurable(re_audit, re_audit.re_audit_of):
        return None
    earlier = re_audit.re_audit_of
    grades: dict[int, dict[int, str]] = {earlier.pk: {}, re_audit.pk: {}}
    for audit_id, section_id, grade in SectionGrade.objects.filter(
            audit_id__in=[earlier.pk, re_audit.pk]).exclude(grade="").values_list("audit_id", "section_id", "grade"):
        grades[audit_id][section_id] = grade
    return impact(earlier.overall_grade, re_audit.overall_grade, grades[earlier.pk], grades[re_audit.pk])


def overall_changes(audits: list[CaseFileAudit]) -> dict[int, Change]:
    """Each completed re-audit's change in overall grade from the audit it follows, by re-audit id, read from the
    audits given (a child's audits are all in her list, so no query)."""
    by_pk = {audit.pk: audit for audit in audits}
    return {audit.pk: change(by_pk[audit.re_audit_of_id].overall_grade, audit.overall_grade) for audit in audits
            if audit.re_audit_of_id is not None and _measurable(audit, by_pk.get(audit.re_audit_of_id))}


def audits_by(auditor: User) -> QuerySet:
    """An auditor's audits, newest first, with the child, the tool and the auditor: one query."""
    return (CaseFileAudit.objects.filter(auditor=auditor).select_related("child", "template", "auditor")
            .order_by("-started_on", "-pk"))


def audit_actions(audit: CaseFileAudit) -> QuerySet:
    return audit.actions.select_related("assignee", "audit").order_by("due_date", "pk")


def open_actions_for(user: User) -> QuerySet:
    """Actions from audits waiting for this person, soonest due first, with the child and the audit: one query."""
    return (CaseFileAuditAction.objects.filter(assignee=user, completed_on__isnull=True)
            .select_related("audit__child", "audit__template", "assignee").order_by("due_date", "pk"))


def open_actions_set_by(auditor: User) -> QuerySet:
    """Actions from this auditor's audits not done yet, soonest due first: one query."""
    return (CaseFileAuditAction.objects.filter(audit__auditor=auditor, completed_on__isnull=True)
            .select_related("audit__child", "audit__template", "assignee").order_by("due_date", "pk"))


@dataclasses.dataclass(frozen=True)
class AuditorSummary:
    """What waits for an auditor, for their home page: audits in progress, and open and overdue actions."""

    in_progress: int
    open_actions: int
    overdue_actions: int


def auditor_summary(auditor: User, today: datetime.date) -> AuditorSummary:
    """Counts only (two queries), so My work stays the same cost however many audits an auditor has."""
    in_progress = CaseFileAudit.objects.filter(auditor=auditor, status=CaseFileAudit.Status.IN_PROGRESS).count()
    actions = CaseFileAuditAction.objects.filter(audit__auditor=auditor, completed_on__isnull=True).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    return AuditorSummary(in_progress, actions["open"], actions["overdue"])


def action_assignees(child: Person) -> list[User]:
    """Whom an action from an audit of the child may be for: the allocated worker, the team's manager and the
    worker's line manager (one query). Nobody when no worker is allocated."""
    allocation = (Allocation.objects.filter(child=child, end_date__isnull=True)
                  .select_related("worker__manager", "team__manager").order_by("pk").first())
    if allocation is None:
        return []
    people = [allocation.worker, allocation.team.manager, allocation.worker.manager]
    chosen: dict[int, User] = {}
    for person in people:
        if person is not None and person.is_active and person.pk not in chosen:
            chosen[person.pk] = person
    return list(chosen.values())


def child_for_reference(text: str) -> Person | None:
    """The child a Casefile number names ("CF00000123", or the number alone), or None (one query)."""
    text = (text or "").strip().upper().removeprefix("CF")
    if not text.isdigit():
        return None
    return Person.objects.filter(pk=int(text), kind=Person.Kind.CHILD).first()
