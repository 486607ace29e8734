"""Pages for allocation and caseloads, and the administrator's working calendar.

A child's allocation sits under the child (people/<person_id>/allocation/, through @record_view); the lists of
children waiting for a worker and of caseloads are not about one child, so each asks access/permissions.py itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from casefile.access import permissions
from casefile.access.records import record_shown, record_view
from casefile.accounts.models import Team, User
from casefile.casework import caseloads as loads
from casefile.casework.calendar import upcoming_closed_days
from casefile.casework.deadlines import deadlines_for_children, next_due, overdue_count
from casefile.casework.forms.allocation import AllocationForm, NonWorkingDayForm
from casefile.casework.models import Allocation
from casefile.casework.presenters import caseload_weights_text, caseloads_table, closed_days_table
from casefile.casework.services import allocation as services
from casefile.core.forms import save_or_show
from casefile.core.methods import allow_methods
from casefile.core.presenters import govuk_date, possessive
from casefile.people.models import Person


@record_view("GET", "POST", edit=True)
def allocation(request, person: Person):
    """Allocate the child to a worker, or move the case to another worker, with the reason."""
    if not permissions.may_allocate(request.user):
        raise PermissionDenied("Only team managers, the managers above them and administrators may allocate a case")
    workers = list(services.allocatable_workers(request.user))
    form = AllocationForm(request.POST or None, workers=workers, loads=loads.caseloads(workers))
    chosen = {worker.pk: worker for worker in workers}

    allocated = save_or_show(request, form, lambda data: services.allocate(
        actor=request.user, request=request, child=person, worker=chosen.get(data["worker"]), reason=data["reason"]))
    if allocated:
        worker = allocated.worker.get_full_name() or allocated.worker
        messages.success(request, f"{possessive(person)} case is now allocated to {worker}")
        return redirect("people:record", person_id=person.pk)
    history = Allocation.objects.filter(child=person).select_related("worker", "team", "allocated_by").order_by(
        "-start_date", "-pk")
    current = next((a for a in history if a.end_date is None), None)
    return render(request, "casework/allocation/allocate.html", {
        "person": person, "form": form, "current": current, "history": list(history),
        "page_title": "Change the allocated worker" if current else "Allocate a worker",
    })


@allow_methods("GET")
def unallocated(request):
    """Children with an open episode and nobody holding their case, longest waiting first."""
    if not permissions.may_see_unallocated(request.user):
        raise PermissionDenied("Only the front door, managers and administrators see the children waiting for a worker")
    rows = loads.unallocated_children(request.user)
    deadlines = deadlines_for_children([row.child for row in rows], request=request)
    record_shown(request, [row.child for row in rows])
    return render(request, "casework/allocation/unallocated.html", {
        "rows": [(row, next_due(deadlines[row.child.pk])) for row in rows],
        "can_allocate": permissions.may_allocate(request.user),
        "page_title": "Children waiting for a worker",
    })


@allow_methods("GET")
def caseloads(request, team_id: int):
    """Each member's caseload: children by kind of work, the weighted total and overdue items."""
    team = Team.objects.select_related("manager").filter(pk=team_id).first()
    # As on the team page, nobody outside the team and its line management learns whether the team exists.
    if team is None or not permissions.may_see_team(request.user, team):
        raise Http404("No team found")
    if not permissions.may_allocate(request.user):
        raise PermissionDenied("Only managers and administrators see caseloads")
    members = list(User.objects.filter(team=team, is_active=True).order_by("last_name", "first_name", "pk"))
    team_loads = loads.caseloads(members)
    deadlines = deadlines_for_children([c for load in team_loads.values() for c in load.child_ids], request=request)
    for load in team_loads.values():
        load.overdue = sum(overdue_count(deadlines[child_id]) for child_id in load.child_ids)
    rows = [team_loads[member.pk] for member in members]
    return render(request, "casework/allocation/caseloads.html", {
        "team": team, "loads": rows, "caseloads_table": caseloads_table(rows, loads.WORK_KINDS, loads.WORK_LABELS),
        "weights_text": caseload_weights_text(loads.WORK_KINDS, loads.WORK_LABELS, loads.caseload_weights()),
        "page_title": f"Caseloads: {team.name}",
    })


@allow_methods("GET", "POST")
def non_working_days(request):
    """The administrator's page: the days clocks do not count, and adding a one-off day off."""
    if not permissions.may_change_calendar(request.user):
        raise PermissionDenied("Only administrators may change the working calendar")
    form = NonWorkingDayForm(request.POST or None)
    if save_or_show(request, form, lambda data: services.add_non_working_day(
            actor=request.user, request=request, date=data["date"], description=data["description"])):
        messages.success(request, f"{govuk_date(form.cleaned_data['date'])} is now a non-working day: due dates "
                                  f"that counted it have moved")
        return redirect("casework:non_working_days")
    return render(request, "casework/calendar/non_working_days.html", {
        "form": form, "closed_days_table": closed_days_table(upcoming_closed_days(timezone.localdate())),
        "page_title": "Non-working days",
    })


urlpatterns: list = [
    path("people/<int:person_id>/allocation/", allocation, name="allocation"),
    path("children/waiting-for-a-worker/", unallocated, name="unallocated"),
    path("teams/<int:team_id>/caseloads/", caseloads, name="caseloads"),
    path("calendar/non-working-days/", non_working_days, name="non_working_days"),
]
