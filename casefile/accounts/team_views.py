"""A team's page: who is in it, each member's caseload and overdue items, and the children it holds with what
is due next for each."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from casefile.access import policy
from casefile.accounts.models import MANAGER_ROLES, Role, Team, User
from casefile.casework.caseloads import caseloads
from casefile.casework.deadlines import Deadline, deadlines_for_children, next_due, overdue_count
from casefile.casework.models import Allocation
from casefile.core.presenters import age_text
from casefile.people.models import Person

# team.manager, then up to the head of service (and one spare), loaded with the team in one query.
_MANAGER_CHAIN = ["manager" + "__manager" * depth for depth in range(policy.MAX_CHAIN)]


def teams_overseen_by(user: User) -> QuerySet:
    """Teams the user manages, directly or through the managers who report to them."""
    managed = Q(pk__in=[])
    for path in _MANAGER_CHAIN:
        managed |= Q(**{path: user})
    return Team.objects.filter(managed)


def can_see_team(user: User, team: Team) -> bool:
    """Members, the team's manager and the managers above them, and administrators."""
    if user.role == Role.ADMINISTRATOR:
        return True
    if user.team_id is not None and user.team_id == team.pk:
        return True
    return team.manager is not None and (team.manager == user or user in team.manager.manager_chain())


@dataclass(frozen=True)
class ChildRow:
    """One line in a list of allocated children."""

    child: Person
    age: str
    worker: User
    team: Team
    allocated_since: datetime.date
    deadlines: tuple[Deadline, ...] = ()

    @property
    def next_due(self) -> Deadline | None:
        return next_due(self.deadlines)

    @property
    def overdue(self) -> int:
        return overdue_count(self.deadlines)


def allocated_children(user: User, allocations: QuerySet, request=None,
                       deadlines: dict[int, list[Deadline]] | None = None) -> list[ChildRow]:
    """The open allocations among `allocations` of children the user may see, each with what is due next.

    Children with something overdue come first, most overdue first; then the soonest due; then by name. The
    number of queries does not grow with the number of children. `deadlines` may be given when already known.
    """
    viewable = policy.viewable_people(user, Person.objects.filter(kind=Person.Kind.CHILD)).values("pk")
    open_allocations = list(
        allocations.filter(end_date__isnull=True, child__in=viewable)
        .select_related("child", "worker", "team")
        .order_by("child__last_name", "child__first_name", "child_id")
    )
    if deadlines is None:
        deadlines = deadlines_for_children([a.child_id for a in open_allocations], request=request)
    today = timezone.localdate()
    rows = [
        ChildRow(
            child=a.child,
            age=age_text(a.child.date_of_birth, today, a.child.date_of_death),
            worker=a.worker,
            team=a.team,
            allocated_since=a.start_date,
            deadlines=tuple(deadlines.get(a.child_id, ())),
        )
        for a in open_allocations
    ]
    return sorted(rows, key=_urgency)


def _urgency(row: ChildRow) -> tuple:
    """Overdue first, then due soonest; children with nothing running keep their name order at the end."""
    due = row.next_due
    return (0, due.sort_key) if due is not None else (1,)


def team(request, team_id: int):
    team = Team.objects.select_related(*_MANAGER_CHAIN).filter(pk=team_id).first()
    # Nobody outside the team and its line management learns whether the team exists.
    if team is None or not can_see_team(request.user, team):
        raise Http404("No team found")
    members = list(User.objects.filter(team=team, is_active=True).order_by("last_name", "first_name"))
    loads = caseloads(members)
    team_children = Allocation.objects.filter(team=team)
    # Overdue items count every child a member holds, as the caseload does, even those this user may not open.
    child_ids = {child_id for load in loads.values() for child_id in load.child_ids}
    child_ids |= set(team_children.filter(end_date__isnull=True).values_list("child_id", flat=True))
    deadlines = deadlines_for_children(child_ids, request=request)
    for load in loads.values():
        load.overdue = sum(overdue_count(deadlines[child_id]) for child_id in load.child_ids)
    return render(request, "accounts/team.html", {
        "team": team,
        "members": [loads[member.pk] for member in members],
        "children": allocated_children(request.user, team_children, deadlines=deadlines),
        "can_see_caseloads": may_see_caseloads(request.user),
    })


def may_see_caseloads(user: User) -> bool:
    """Managers and administrators: the same people who allocate cases."""
    return user.role in MANAGER_ROLES or user.role == Role.ADMINISTRATOR
