"""Supervision pages: case supervision on a child's file (people/<person_id>/supervision/...), a worker's own staff
supervision (staff/<worker_id>/supervision/...), and the managers' page of who is due supervision.

Case supervision pages go through @record_view (edit=True for changes), so a child the user may not see answers
404; every record in the URL is fetched with the child as a filter. Staff supervision is about a member of staff,
never a child: its pages answer 404 to anyone the access policy does not let see it (policy.can_see_staff_
supervision), as the team page does, so nobody learns what is recorded about a colleague.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.access.records import record_view
from casefile.accounts.models import User
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core.forms import posted, save_or_show
from casefile.core.methods import allow_methods
from casefile.core.pagination import paginate
from casefile.core.presenters import govuk_date
from casefile.oversight import presenters
from casefile.oversight.forms.supervision import (
    CaseSupervisionForm,
    CompleteActionForm,
    ReflectiveForm,
    ReopenForm,
    SignOffForm,
    StaffSupervisionForm,
    SupervisionActionForm,
)
from casefile.oversight.models import CaseSupervision, StaffSupervision, SupervisionAction
from casefile.oversight.services import supervision as services
from casefile.oversight.supervision import case_supervisions, supervision_due_for, workers_to_supervise
from casefile.people.models import Person


def _list_url(person: Person) -> str:
    return reverse("oversight:case_supervisions", kwargs={"person_id": person.pk})


def _supervision(person: Person, supervision_id: int) -> CaseSupervision:
    supervision = get_object_or_404(case_supervisions(person), pk=supervision_id)
    supervision.child = person  # the same person: saves a query wherever the page names the child
    return supervision


def _form_page(request, person: Person, form, *, title: str, submit: str, back: str, **extra):
    """One form on a page about the child: the same page as a plan's forms (a caption, a title, an intro)."""
    return render(request, "casework/plans/form.html", {
        "person": person, "form": form, "page_title": title, "submit": submit, "back": back, **extra})


# Case supervision on the child's file --------------------------------------------------------------------


@record_view("GET")
def case_supervision_list(request, person: Person):
    supervisions = list(case_supervisions(person))
    return render(request, "oversight/case_supervisions.html", {
        "person": person, "table": presenters.case_supervisions_table(supervisions), "count": len(supervisions),
        "may_record": permissions.may_record_supervision(request.user, person),
        "page_title": f"Supervision: {person.full_name}",
    })


@record_view("GET", "POST", edit=True)
def record_case_supervision(request, person: Person):
    if not permissions.may_record_supervision(request.user, person):
        raise PermissionDenied("Case supervision is recorded by the manager who gave it")
    workers = list(policy.workers_overseen_by(request.user).order_by("first_name", "last_name", "pk"))
    allocated = person.allocations.filter(end_date__isnull=True).values_list("worker_id", flat=True).first()
    form = CaseSupervisionForm(posted(request), workers=workers, initial={"worker": allocated})
    chosen = {worker.pk: worker for worker in workers}

    def save(data):
        return services.record_case_supervision(actor=request.user, request=request, child=person,
                                                **{**data, "worker": chosen.get(data["worker"])})

    supervision = save_or_show(request, form, save)
    if supervision:
        messages.success(request, "Supervision recorded: add the actions agreed, then sign it off")
        return redirect(presenters.supervision_url(supervision))
    return _form_page(request, person, form, title="Record case supervision", submit="Save the supervision",
                      back=_list_url(person))


@record_view("GET")
def case_supervision(request, person: Person, supervision_id: int):
    supervision = _supervision(person, supervision_id)
    user = request.user
    may_change = permissions.may_change_supervision(user, supervision)
    signed_by_me = (supervision.supervisor_signed_at if user.pk == supervision.supervisor_id
                    else supervision.worker_signed_at)
    return render(request, "oversight/case_supervision.html", {
        "person": person, "supervision": supervision, "summary_rows": presenters.summary_rows(supervision),
        "sections": presenters.reflective_sections(supervision),
        "sign_off_rows": presenters.sign_off_rows(supervision), "sign_off_text": presenters.sign_off_text(supervision),
        "actions_table": presenters.actions_table(
            supervision, timezone.localdate(), permissions.may_complete_supervision_action(user, supervision)),
        "has_actions": bool(supervision.actions.all()),
        "warnings": presenters.action_warnings(supervision),
        "may_change": may_change and not supervision.has_a_signature,
        "may_reopen": may_change and supervision.has_a_signature,
        "may_sign": permissions.may_sign_off_supervision(user, supervision) and signed_by_me is None,
        "page_title": f"Case supervision on {govuk_date(supervision.held_on)}: {person.full_name}",
    })


def _refuse_unless(allowed: bool, why: str) -> None:
    if not allowed:
        raise PermissionDenied(why)


@record_view("GET", "POST", edit=True)
def change_case_supervision(request, person: Person, supervision_id: int):
    supervision = _supervision(person, supervision_id)
    _refuse_unless(permissions.may_change_supervision(request.user, supervision),
                   "Only the manager who gave the supervision may change its record")
    initial = {name: getattr(supervision, name) for name in ReflectiveForm.base_fields}
    form = ReflectiveForm(posted(request), initial=initial)
    if save_or_show(request, form, lambda data: services.change_case_supervision(
            actor=request.user, request=request, supervision=supervision, **data), record=supervision):
        return redirect(presenters.supervision_url(supervision))
    return _form_page(request, person, form, title="Change the supervision record", submit="Save changes",
                      back=presenters.supervision_url(supervision))


@record_view("GET", "POST", edit=True)
def add_supervision_action(request, person: Person, supervision_id: int):
    supervision = _supervision(person, supervision_id)
    _refuse_unless(permissions.may_change_supervision(request.user, supervision),
                   "Only the manager who gave the supervision may add its actions")
    form = SupervisionActionForm(posted(request))
    if save_or_show(request, form, lambda data: services.add_supervision_action(
            actor=request.user, request=request, supervision=supervision, **data)):
        return redirect(presenters.supervision_url(supervision))
    return _form_page(request, person, form, title="Add an action agreed in supervision", submit="Add the action",
                      back=presenters.supervision_url(supervision))


@record_view("GET", "POST", edit=True)
def complete_supervision_action(request, person: Person, supervision_id: int, supervision_action_id: int):
    supervision = _supervision(person, supervision_id)
    action = get_object_or_404(SupervisionAction, pk=supervision_action_id, supervision=supervision)
    action.supervision = supervision
    _refuse_unless(permissions.may_complete_supervision_action(request.user, supervision),
                   "Only the worker, the supervisor or a manager of the child’s case marks an action done")
    form = CompleteActionForm(posted(request))
    if save_or_show(request, form, lambda data: services.complete_supervision_action(
            actor=request.user, request=request, action=action, **data), record=action):
        return redirect(presenters.supervision_url(supervision))
    return _form_page(request, person, form, title="Mark the action done", submit="Mark it done",
                      back=presenters.supervision_url(supervision), intro=action.description)


@record_view("GET", "POST", edit=True)
def sign_off_case_supervision(request, person: Person, supervision_id: int):
    supervision = _supervision(person, supervision_id)
    _refuse_unless(permissions.may_sign_off_supervision(request.user, supervision),
                   "Only the manager and the worker in the supervision sign it off")
    form = SignOffForm(posted(request))
    if save_or_show(request, form, lambda data: services.sign_off_case_supervision(
            actor=request.user, request=request, supervision=supervision), record=supervision):
        messages.success(request, f"You signed the supervision record off. {presenters.sign_off_text(supervision)}")
        return redirect(presenters.supervision_url(supervision))
    return _form_page(request, person, form, title="Sign off the supervision record", submit="Sign it off",
                      back=presenters.supervision_url(supervision),
                      intro="By signing you confirm the record says what was discussed and agreed. Once signed, "
                            "it can be changed only if the manager re-opens it.")


@record_view("GET", "POST", edit=True)
def reopen_case_supervision(request, person: Person, supervision_id: int):
    supervision = _supervision(person, supervision_id)
    _refuse_unless(permissions.may_change_supervision(request.user, supervision),
                   "Only the manager who gave the supervision may re-open its record")
    form = ReopenForm(posted(request))
    if save_or_show(request, form, lambda data: services.reopen_case_supervision(
            actor=request.user, request=request, supervision=supervision, **data), record=supervision):
        return redirect(presenters.supervision_url(supervision))
    return _form_page(request, person, form, title="Re-open the signed record", submit="Re-open it",
                      back=presenters.supervision_url(supervision))


# A worker's own supervision ------------------------------------------------------------------------------


def _worker(request, worker_id: int) -> User:
    """The worker, if the user may see their staff supervision; otherwise 404, as for a worker who does not exist."""
    worker = User.objects.select_related("team__manager", "manager").filter(pk=worker_id).first()
    if worker is None or not policy.can_see_staff_supervision(request.user, worker):
        raise Http404("No supervision found")
    return worker


@allow_methods("GET")
def staff_supervisions(request, worker_id: int):
    worker = _worker(request, worker_id)
    supervisions = list(StaffSupervision.objects.filter(worker=worker).select_related("supervisor")
                        .order_by("-held_on", "-pk"))
    due = supervision_due_for([worker])[0]
    return render(request, "oversight/staff_supervisions.html", {
        "worker": worker, "due": due, "table": presenters.staff_supervisions_table(supervisions),
        "count": len(supervisions), "may_record": permissions.may_record_staff_supervision(request.user, worker),
        "page_title": f"Staff supervision: {worker.get_full_name() or worker.username}",
    })


@allow_methods("GET", "POST")
def record_staff_supervision(request, worker_id: int):
    worker = _worker(request, worker_id)
    _refuse_unless(permissions.may_record_staff_supervision(request.user, worker),
                   "A worker’s supervision is recorded by a manager above them")
    form = StaffSupervisionForm(posted(request))
    if save_or_show(request, form, lambda data: services.record_staff_supervision(
            actor=request.user, request=request, worker=worker, **data)):
        return redirect("oversight:staff_supervisions", worker_id=worker.pk)
    return render(request, "oversight/staff_form.html", {
        "worker": worker, "form": form, "page_title": "Record staff supervision", "submit": "Save the supervision",
        "back": reverse("oversight:staff_supervisions", kwargs={"worker_id": worker.pk})})


@allow_methods("GET")
def staff_supervision(request, worker_id: int, staff_supervision_id: int):
    worker = _worker(request, worker_id)
    supervision = get_object_or_404(StaffSupervision.objects.select_related("supervisor"), pk=staff_supervision_id,
                                    worker=worker)
    supervision.worker = worker
    # Not a child's record, but a colleague's own: who read it is kept as for a child's (no child named).
    record(Action.VIEW, request=request, subject=supervision, details={"page": "oversight:staff_supervision"})
    return render(request, "oversight/staff_supervision.html", {
        "worker": worker, "supervision": supervision, "summary_rows": presenters.summary_rows(supervision),
        "sections": presenters.reflective_sections(supervision),
        "page_title": f"Staff supervision on {govuk_date(supervision.held_on)}",
    })


# Who is due supervision ----------------------------------------------------------------------------------


@allow_methods("GET")
def supervision_due(request):
    """The staff below a manager, with their last supervision and when the next is due, overdue first."""
    _refuse_unless(permissions.may_see_supervision_due(request.user),
                   "Managers and administrators see who is due supervision")
    workers = workers_to_supervise(request.user).select_related("manager").order_by("pk")
    rows = supervision_due_for(workers)
    page = paginate(request, rows)
    return render(request, "oversight/supervision_due.html", {
        "page": page, "table": presenters.supervision_due_table(page.object_list),
        "overdue": sum(row.due.is_overdue for row in rows),
        "page_title": "Supervision due",
    })


urlpatterns = [
    path("people/<int:person_id>/supervision/", case_supervision_list, name="case_supervisions"),
    path("people/<int:person_id>/supervision/new/", record_case_supervision, name="record_case_supervision"),
    path("people/<int:person_id>/supervision/<int:supervision_id>/", case_supervision, name="case_supervision"),
    path("people/<int:person_id>/supervision/<int:supervision_id>/change/", change_case_supervision,
         name="change_case_supervision"),
    path("people/<int:person_id>/supervision/<int:supervision_id>/actions/new/", add_supervision_action,
         name="add_supervision_action"),
    path("people/<int:person_id>/supervision/<int:supervision_id>/actions/<int:supervision_action_id>/done/",
         complete_supervision_action, name="complete_supervision_action"),
    path("people/<int:person_id>/supervision/<int:supervision_id>/sign-off/", sign_off_case_supervision,
         name="sign_off_case_supervision"),
    path("people/<int:person_id>/supervision/<int:supervision_id>/reopen/", reopen_case_supervision,
         name="reopen_case_supervision"),
    path("staff/<int:worker_id>/supervision/", staff_supervisions, name="staff_supervisions"),
    path("staff/<int:worker_id>/supervision/new/", record_staff_supervision, name="record_staff_supervision"),
    path("staff/<int:worker_id>/supervision/<int:staff_supervision_id>/", staff_supervision,
         name="staff_supervision"),
    path("supervision/", supervision_due, name="supervision_due"),
]
