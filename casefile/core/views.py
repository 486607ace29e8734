from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from casefile.access import permissions
from casefile.casework.caseloads import allocated_children, teams_overseen_by
from casefile.casework.deadlines import deadlines_for_children
from casefile.casework.models import Allocation


def my_work(request):
    """The children allocated to the signed-in user and, for managers, those their teams hold, each with what is
    due next; the user's own overdue items are listed first so they cannot be missed."""
    user = request.user
    is_manager = permissions.is_manager(user)
    mine = Allocation.objects.filter(worker=user)
    teams = list(teams_overseen_by(user)) if is_manager else ([user.team] if user.team_id is not None else [])
    theirs = Allocation.objects.filter(team__in=teams).exclude(worker=user) if is_manager else Allocation.objects.none()
    # One set of deadline queries for both tables, whatever the number of children.
    held = (mine | theirs).filter(end_date__isnull=True).values_list("child_id", flat=True)
    deadlines = deadlines_for_children(held, request=request)
    children = allocated_children(user, mine, deadlines=deadlines)
    context = {
        "children": children,
        "overdue": sorted((d for row in children for d in row.deadlines if d.is_overdue), key=lambda d: d.due),
        "names": {row.child.pk: row.child for row in children},
        "is_manager": is_manager,
        "teams": teams,
        "team_children": allocated_children(user, theirs, deadlines=deadlines) if is_manager else [],
        "sees_unallocated": permissions.may_see_unallocated(user),
        "may_change_calendar": permissions.may_change_calendar(user),
    }
    return render(request, "core/my_work.html", context)


def healthz(request):
    """For load balancers: answers only whether the database can be reached. Shows no data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
