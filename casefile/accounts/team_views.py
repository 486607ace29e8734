"""A team's page: who is in it, how many cases each holds, and the children it holds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from casefile.access import policy
from casefile.accounts.models import Role, Team, User
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


def allocated_children(user: User, allocations: QuerySet) -> list[ChildRow]:
    """The open allocations among `allocations` of children the user may see, in name order, in one query."""
    viewable = policy.viewable_people(user, Person.objects.filter(kind=Person.Kind.CHILD)).values("pk")
    open_allocations = (
        allocations.filter(end_date__isnull=True, child__in=viewable)
        .select_related("child", "worker", "team")
        .order_by("child__last_name", "child__first_name", "child_id")
    )
    today = timezone.localdate()
    return [
        ChildRow(
            child=a.child,
            age=age_text(a.child.date_of_birth, today, a.child.date_of_death),
            worker=a.worker,
            team=a.team,
            allocated_since=a.start_date,
        )
        for a in open_allocations
    ]


def team(request, team_id: int):
    team = Team.objects.select_related(*_MANAGER_CHAIN).filter(pk=team_id).first()
    # Nobody outside the team and its line management learns whether the team exists.
    if team is None or not can_see_team(request.user, team):
        raise Http404("No team found")
    members = (
        User.objects.filter(team=team, is_active=True)
        .annotate(caseload=Count("allocations", filter=Q(allocations__end_date__isnull=True)))
        .order_by("last_name", "first_name")
    )
    return render(request, "accounts/team.html", {
        "team": team,
        "members": list(members),
        "children": allocated_children(request.user, Allocation.objects.filter(team=team)),
    })
