"""Writes for allocation, and for the authority's working calendar. Each function validates, writes atomically
and audits.

Who may allocate: team managers and the managers above them, for the teams they manage, and administrators.
A new allocation ends the previous one the same day, so a child never has two workers or a gap between them.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from casefile.access import permissions
from casefile.accounts.models import Team, User
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.casework.calendar import bank_holiday_name
from casefile.casework.caseloads import teams_overseen_by
from casefile.casework.models import Allocation, NonWorkingDay
from casefile.core.presenters import govuk_date
from casefile.people.models import Person
from casefile.rules.working_days import SATURDAY

# Allocation ---------------------------------------------------------------------------------------------


def allocatable_teams(user: User) -> QuerySet:
    """The teams whose workers this user may allocate cases to."""
    if not permissions.may_allocate(user):
        return Team.objects.none()
    if permissions.may_allocate_to_any_team(user):
        return Team.objects.all()
    return teams_overseen_by(user)


def allocatable_workers(user: User) -> QuerySet:
    """Active staff who may hold a case, in the teams this user manages (every team, for an administrator)."""
    return (permissions.case_holders().filter(team__in=allocatable_teams(user))
            .select_related("team").order_by("team__name", "last_name", "first_name", "pk"))


def allocate(*, actor: User, child: Person, worker: User | None, reason: str, request=None) -> Allocation:
    """Allocate the child to the worker from today, ending any current allocation today."""
    if not permissions.may_allocate(actor):
        raise PermissionDenied("Only team managers, the managers above them and administrators may allocate a case")
    reason = (reason or "").strip()
    _check_allocation(actor, child, worker, reason)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            previous = (Allocation.objects.select_for_update()
                        .filter(child=child, end_date__isnull=True).select_related("worker").first())
            if previous is not None and previous.worker_id == worker.pk:
                raise ValidationError({"worker": f"{worker} already holds this case: select a different worker"})
            if previous is not None:
                _end(previous, today, child, actor, request, reason)
            allocation = Allocation(child=child, worker=worker, team=worker.team, start_date=today, reason=reason,
                                    allocated_by=actor)
            allocation._history_user = actor
            allocation.save()
            record(Action.CREATE, actor=actor, request=request, subject=allocation, child=child, details={
                "worker": worker.username, "team": worker.team.name, "start_date": today, "reason": reason,
                "previous_allocation": previous.pk if previous else None,
                "previous_worker": previous.worker.username if previous else None,
            })
    except IntegrityError:
        # Someone else allocated the child at the same moment: the one-open-allocation constraint refused ours.
        raise ValidationError({"worker": "Someone else changed this child's allocation at the same time: "
                                         "check who holds the case now, then try again"}) from None
    return allocation


def _check_allocation(actor: User, child: Person, worker: User | None, reason: str) -> None:
    errors: dict[str, str] = {}
    if child.kind != Person.Kind.CHILD or child.merged_into_id is not None:
        errors["child"] = "Only a child's own record can be allocated: open the child's current record"
    if worker is None:
        errors["worker"] = "Select the worker who will hold the case"
    elif not allocatable_workers(actor).filter(pk=worker.pk).exists():
        errors["worker"] = ("Select a social worker, senior practitioner, team manager or front-door practitioner "
                            "in a team you manage")
    if not reason:
        errors["reason"] = "Enter why the case is being allocated to this worker"
    if errors:
        raise ValidationError(errors)


def _end(allocation: Allocation, day: datetime.date, child: Person, actor: User, request, reason: str) -> None:
    allocation.end_date = max(day, allocation.start_date)
    allocation._history_user = actor
    allocation.save(update_fields=["end_date"])
    record(Action.UPDATE, actor=actor, request=request, subject=allocation, child=child, details={
        "ended": allocation.end_date, "worker": allocation.worker.username, "reason": f"Reallocated: {reason}",
    })


# The working calendar -----------------------------------------------------------------------------------

DESCRIPTION_MAX = NonWorkingDay._meta.get_field("description").max_length


def add_non_working_day(*, actor: User, date: datetime.date | None, description: str,
                        request=None) -> NonWorkingDay:
    """An extra day on which no statutory clock counts (a bank holiday announced at short notice)."""
    if not permissions.may_change_calendar(actor):
        raise PermissionDenied("Only administrators may change the working calendar")
    description = (description or "").strip()
    _check_non_working_day(date, description)
    try:
        with transaction.atomic():
            day = NonWorkingDay(date=date, description=description, added_by=actor)
            day._history_user = actor
            day.save()
            record(Action.CREATE, actor=actor, request=request, subject=day,
                   details={"date": date, "description": description})
    except IntegrityError:
        raise ValidationError({"date": f"{govuk_date(date)} is already a non-working day"}) from None
    return day


def _check_non_working_day(date: datetime.date | None, description: str) -> None:
    errors: dict[str, str] = {}
    if date is None:
        errors["date"] = "Enter the date of the non-working day"
    elif date < timezone.localdate():
        errors["date"] = "The date must be today or in the future: past due dates cannot move"
    elif date.weekday() >= SATURDAY:
        errors["date"] = f"{govuk_date(date)} is a {date:%A}: weekends are never working days. Enter a weekday"
    elif holiday := bank_holiday_name(date):
        errors["date"] = f"{govuk_date(date)} is already a bank holiday ({holiday}). Enter another date"
    elif existing := NonWorkingDay.objects.filter(date=date).first():
        errors["date"] = f"{govuk_date(date)} is already a non-working day ({existing.description})"
    if not description:
        errors["description"] = "Enter what the day is, for example ‘Extra bank holiday’"
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = f"Description must be {DESCRIPTION_MAX} characters or fewer"
    if errors:
        raise ValidationError(errors)
