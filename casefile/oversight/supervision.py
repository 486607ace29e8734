"""Reads of supervision that several pages share: a child's case supervision, and who is due supervision (the
managers' page, and the counts "My work" shows a manager).

A worker's last supervision is the latest of their case and staff supervisions: either is a supervision
session. Due dates follow the local standard (rules/supervision.py, CASEFILE_SUPERVISION) and are computed on
every page, never stored. However many workers, the counts cost three queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.accounts.models import User
from casefile.oversight.models import CaseSupervision, StaffSupervision, SupervisionAction
from casefile.people.models import Person
from casefile.rules.supervision import DUE_SOON, OVERDUE, SupervisionDue, SupervisionStandard, supervision_due


def supervision_standard() -> SupervisionStandard:
    """The standard in force: the defaults, with the authority's CASEFILE_SUPERVISION over them."""
    return SupervisionStandard.from_mapping(settings.CASEFILE_SUPERVISION)


def case_supervisions(child: Person) -> QuerySet:
    """The child's case supervision records, newest first, with the people named and the actions: two queries."""
    return (CaseSupervision.objects.filter(child=child)
            .select_related("worker", "supervisor", "supervisor_signed_by", "worker_signed_by")
            .prefetch_related(Prefetch("actions", queryset=SupervisionAction.objects.order_by("due_date", "pk")))
            .order_by("-held_on", "-pk"))


# Who is due supervision ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerDue:
    worker: User
    last: datetime.date | None
    due: SupervisionDue


@dataclass(frozen=True)
class DueCounts:
    workers: int
    overdue: int
    due_soon: int


def workers_to_supervise(user: User) -> QuerySet:
    """The staff whose supervision the user follows: those below them; for an administrator, every active member
    of staff with a line or team manager."""
    if permissions.is_administrator(user):
        return User.objects.filter(is_active=True).filter(Q(manager__isnull=False) | Q(team__manager__isnull=False))
    if not permissions.may_see_supervision_due(user):
        return User.objects.none()
    return policy.workers_overseen_by(user)


def last_supervised(worker_ids: Iterable[int]) -> dict[int, datetime.date]:
    """Each worker's latest supervision of either kind: two queries."""
    ids = list(worker_ids)
    latest: dict[int, datetime.date] = {}
    for model in (CaseSupervision, StaffSupervision):
        rows = model.objects.filter(worker_id__in=ids).values("worker_id").annotate(last=Max("held_on"))
        for row in rows:
            if row["worker_id"] not in latest or row["last"] > latest[row["worker_id"]]:
                latest[row["worker_id"]] = row["last"]
    return latest


def supervision_due_for(workers: Iterable[User], today: datetime.date | None = None) -> list[WorkerDue]:
    """Each worker's last supervision and when the next is due, overdue first, then soonest due."""
    workers = list(workers)
    today = today or timezone.localdate()
    standard = supervision_standard()
    latest = last_supervised(worker.pk for worker in workers)
    rows = [WorkerDue(worker, latest.get(worker.pk), supervision_due(
        last=latest.get(worker.pk), started_on=timezone.localdate(worker.date_joined), qualified_on=worker.qualified_on,
        today=today, standard=standard)) for worker in workers]
    return sorted(rows, key=lambda row: (row.due.due_on, row.worker.last_name, row.worker.first_name, row.worker.pk))


def supervision_due_counts(user: User, today: datetime.date | None = None) -> DueCounts:
    """For "My work": how many of the staff below the user are overdue supervision, and due soon (three queries)."""
    rows = supervision_due_for(workers_to_supervise(user).select_related(None), today)
    return DueCounts(workers=len(rows), overdue=sum(row.due.status == OVERDUE for row in rows),
                     due_soon=sum(row.due.status == DUE_SOON for row in rows))
