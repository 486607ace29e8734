"""A team's page: who is in it, each member's caseload and overdue items, and the children it holds with what
is due next for each."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from casefile.access import permissions
from casefile.access.records import record_shown
from casefile.accounts.models import Team, User
from casefile.casework.caseloads import MANAGER_CHAIN, allocated_children, caseloads
from casefile.casework.deadlines import deadlines_for_children, overdue_count
from casefile.casework.models import Allocation
from casefile.core.methods import allow_methods
from casefile.oversight.escalations import open_counts_by_team
from casefile.oversight.queue import sign_off_waits


@allow_methods("GET")
def team(request, team_id: int):
    team = Team.objects.select_related(*MANAGER_CHAIN).filter(pk=team_id).first()
    # Nobody outside the team and its line management learns whether the team exists.
    if team is None or not permissions.may_see_team(request.user, team):
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
    children = allocated_children(request.user, team_children, deadlines=deadlines)
    record_shown(request, [row.child for row in children])
    return render(request, "accounts/team.html", {
        "team": team,
        "members": [loads[member.pk] for member in members],
        "children": children,
        "can_see_caseloads": permissions.may_see_caseloads(request.user),
        # Oversight of the team's work: how long it waited for sign-off, and the chairs' open escalations.
        "sign_off_waits": sign_off_waits(team, request=request),
        "escalations": open_counts_by_team([team.pk], request)[team.pk],
        "sees_practice_quality": permissions.may_see_practice_quality(request.user),
    })
