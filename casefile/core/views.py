from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from casefile.accounts.models import MANAGER_ROLES
from casefile.accounts.team_views import allocated_children, teams_overseen_by
from casefile.casework.models import Allocation


def my_work(request):
    """The children allocated to the signed-in user and, for managers, those their teams hold."""
    user = request.user
    context = {
        "children": allocated_children(user, Allocation.objects.filter(worker=user)),
        "is_manager": user.role in MANAGER_ROLES,
        "teams": [],
        "team_children": [],
    }
    if context["is_manager"]:
        teams = list(teams_overseen_by(user))
        context["teams"] = teams
        context["team_children"] = allocated_children(
            user, Allocation.objects.filter(team__in=teams).exclude(worker=user)
        )
    elif user.team_id is not None:
        context["teams"] = [user.team]
    return render(request, "core/my_work.html", context)


def healthz(request):
    """For load balancers: answers only whether the database can be reached. Shows no data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
