"""Pages for plans (child protection and child in need), their outcomes and SMART actions, reviews, core groups
and statutory visits, and the child's "Plans, conferences and visits" page that links them.

Every page is under the child (people/<person_id>/...) through @record_view (edit=True for changes); every
other record in the URL is fetched with the child as a filter, so no URL reaches another child's record.
Every change goes through casework/services/plans.py, which validates, writes atomically and audits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.access.records import record_view
from casefile.casework.deadlines import deadlines_for_plan
from casefile.casework.forms.plans import (
    ActionForm,
    AuthorisePlanForm,
    CinPlanForm,
    CoreGroupForm,
    EndCpPlanForm,
    EndPlanForm,
    OutcomeForm,
    PlanDetailsForm,
    ReturnPlanForm,
    ReviewForm,
    SubmitPlanForm,
    VisitForm,
)
from casefile.casework.models import (
    ActionProgress,
    AgreedAction,
    Conference,
    CoreGroup,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanReview,
    ReturnedWork,
    Visit,
)
from casefile.casework.plan_quality import plan_quality
from casefile.casework.presenters import (
    conferences_table,
    plan_quality_items,
    plan_summary_rows,
    plans_table,
    returned_html,
)
from casefile.casework.returns import open_return
from casefile.casework.services import plans as services
from casefile.core.forms import posted, save_or_show
from casefile.core.presenters import govuk_date
from casefile.people.models import Person


def plan_url(plan: Plan) -> str:
    return reverse("casework:plan", kwargs={"person_id": plan.child_id, "plan_id": plan.pk})


def overview_url(person: Person) -> str:
    return reverse("casework:plans", kwargs={"person_id": person.pk})


def _plan(person: Person, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("started_by_conference", "ended_by_conference",
                                                         "submitted_by", "authorised_by"),
                             pk=plan_id, child=person)
    plan.child = person  # the same person: saves a query wherever the page names the child
    return plan


def _form_page(request, person: Person, form, *, title: str, submit: str, back: str, template="form.html",
               **extra):
    return render(request, f"casework/plans/{template}", {
        "person": person, "form": form, "page_title": title, "submit": submit, "back": back, **extra})


# The child's plans, conferences and visits -----------------------------------------------------------


@record_view("GET")
def overview(request, person: Person):
    plans = list(Plan.objects.filter(child=person).order_by("-start_date", "-pk"))
    conferences = list(Conference.objects.filter(child=person).select_related("chair").order_by("-date", "-pk"))
    visits = list(Visit.objects.filter(child=person).select_related("worker").order_by("-date", "-pk"))
    return render(request, "casework/plans/overview.html", {
        "person": person, "plans": plans, "conferences": conferences, "visits": visits,
        "plans_table": plans_table(person, plans), "conferences_table": conferences_table(person, conferences),
        "open_cp_plan": next((p for p in plans if p.is_open and p.kind == Plan.Kind.CHILD_PROTECTION), None),
        "open_cin_plan": next((p for p in plans if p.is_open and p.kind == Plan.Kind.CHILD_IN_NEED), None),
        "page_title": f"Plans, conferences and visits: {person.full_name}",
    })


# A plan -------------------------------------------------------------------------------------------------


PLAN_PREFETCHES = (
    Prefetch("outcomes", queryset=PlanOutcome.objects.order_by("position", "pk").prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.order_by("due_date", "pk").prefetch_related(
            Prefetch("progress", queryset=ActionProgress.objects.select_related("review")
                     .order_by("-review__date", "-review__pk")))))),
    Prefetch("reviews", queryset=PlanReview.objects.select_related("conference").order_by("-date", "-pk")),
    Prefetch("core_groups", queryset=CoreGroup.objects.prefetch_related(
        Prefetch("agreed_actions", queryset=AgreedAction.objects.order_by("due_date", "pk"))).order_by("-date", "-pk")),
    Prefetch("visits", queryset=Visit.objects.select_related("worker").order_by("-date", "-pk")),
)


@record_view("GET")
def plan_page(request, person: Person, plan_id: int):
    plan = _plan(person, plan_id)
    prefetch_related_objects([plan], *PLAN_PREFETCHES)
    core_group_actions = sorted((action for group in plan.core_groups.all() for action in group.agreed_actions.all()),
                                key=lambda action: (action.due_date, action.pk))
    returned = open_return(ReturnedWork.Kind.PLAN, plan.pk)
    return render(request, "casework/plans/plan.html", {
        "person": person, "plan": plan,
        "summary_rows": plan_summary_rows(plan, may_end_cp=permissions.may_end_plan_without_conference(
            request.user, person)),
        "deadlines": deadlines_for_plan(plan, request=request),
        "quality": plan_quality_items(plan, plan_quality(plan)), "core_group_actions": core_group_actions,
        "today": timezone.localdate(), "can_edit": policy.can_edit(request.user, person),
        "may_submit": not services.submit_refusal(request.user, plan),
        "may_authorise": not services.manager_refusal(request.user, plan, "authorise"),
        "returned": returned, "returned_html": returned_html(returned) if returned else "",
        "page_title": f"{plan.get_kind_display()}: {person.full_name}",
    })


@record_view("GET", "POST", edit=True)
def start_cin_plan(request, person: Person):
    form = CinPlanForm(posted(request))

    def save(data):
        return services.start_cin_plan(actor=request.user, request=request, child=person, **data)

    plan = save_or_show(request, form, save)
    if plan:
        return redirect(plan_url(plan))
    return _form_page(request, person, form, title="Start a child in need plan", submit="Start the plan",
                      back=overview_url(person),
                      intro="Then add the plan’s outcomes and actions on the plan’s page.")


@record_view("GET", "POST", edit=True)
def change_plan(request, person: Person, plan_id: int):
    plan = _plan(person, plan_id)
    child_in_need = plan.kind == Plan.Kind.CHILD_IN_NEED
    form = PlanDetailsForm(posted(request), child_in_need=child_in_need, initial={
        "contingency": plan.contingency, "visit_interval_working_days": plan.visit_interval_working_days})
    if save_or_show(request, form, lambda data: services.change_plan(
            actor=request.user, request=request, plan=plan, contingency=data["contingency"],
            visit_interval_working_days=data.get("visit_interval_working_days")), record=plan):
        return redirect(plan_url(plan))
    return _form_page(request, person, form, title="Change the contingency" + (" and visits" if child_in_need
                                                                              else ""),
                      submit="Save changes", back=plan_url(plan))


@record_view("GET", "POST", edit=True)
def end_plan(request, person: Person, plan_id: int):
    plan = _plan(person, plan_id)
    if plan.kind == Plan.Kind.CHILD_PROTECTION:
        return _end_cp_plan(request, person, plan)
    form = EndPlanForm(posted(request))
    if save_or_show(request, form, lambda data: services.end_cin_plan(
            actor=request.user, request=request, plan=plan, end_date=data["end_date"])):
        return redirect(plan_url(plan))
    return _form_page(request, person, form, title="End the child in need plan", submit="End the plan",
                      back=plan_url(plan))


def _end_cp_plan(request, person: Person, plan: Plan):
    """A child protection plan ends at a review conference, or here when the child became looked after, moved to
    another authority, turned 18 or died."""
    if not permissions.may_end_plan_without_conference(request.user, person):
        # Said before the form, with what to do instead (as a visit's refusal is).
        return render(request, "casework/plans/end_refused.html", {
            "person": person, "plan": plan, "back": plan_url(plan),
            "page_title": "You cannot end this child protection plan"})
    form = EndCpPlanForm(posted(request))
    if save_or_show(request, form, lambda data: services.end_cp_plan(
            actor=request.user, request=request, plan=plan, **data)):
        return redirect(plan_url(plan))
    return _form_page(request, person, form, title="End the child protection plan without a conference",
                      submit="End the plan", back=plan_url(plan),
                      intro="Use this when the child became looked after, moved to another authority, turned 18 "
                            "or died. A plan that ends for any other reason ends at a review conference.")
# Authorisation ------------------------------------------------------------------------------------------
# Whoever may not act is told why before any form (services.submit_refusal, services.manager_refusal); the
# services ask again when the form is sent.


def _authorisation_page(request, person: Person, plan: Plan, form, *, refusal: str, title: str, submit: str,
                        intro: str, returned=None, quality=(), show_clean=False):
    return render(request, "casework/plans/authorisation_form.html", {
        "person": person, "plan": plan, "form": form, "refusal": refusal, "page_title": title, "submit": submit,
        "intro": intro, "back": plan_url(plan), "returned": returned,
        "returned_html": returned_html(returned) if returned else "", "quality": quality, "show_clean": show_clean})


@record_view("GET", "POST", edit=True)
def submit_plan(request, person: Person, plan_id: int):
    plan = _plan(person, plan_id)
    refusal = services.submit_refusal(request.user, plan)
    form = SubmitPlanForm(None if refusal else posted(request))
    if not refusal and save_or_show(request, form, lambda data: services.submit_plan(
            actor=request.user, request=request, plan=plan, answer=data["answer"]), record=plan):
        messages.success(request, "The plan has been sent to a manager to authorise")
        return redirect(plan_url(plan))
    returned = open_return(ReturnedWork.Kind.PLAN, plan.pk)
    if returned is None:
        form.fields["answer"].label = "Anything the manager should know (optional)"
    return _authorisation_page(
        request, person, plan, form, refusal=refusal, title="Submit the plan for authorisation",
        submit="Submit for authorisation", returned=returned,
        quality=plan_quality_items(plan, plan_quality(plan)),
        intro="A manager will check the plan, with its quality flags, and authorise it or return it to you "
              "with a comment." + (" Answer their comment below." if returned else ""))


@dataclass(frozen=True)
class ManagerAct:
    """Authorising or returning a plan: the same page, with its own form, words and service."""

    what: str  # as services.manager_refusal names it
    form_class: type
    title: str
    submit: str
    intro: str
    done: str  # the message after it is saved
    save: Callable  # the service: save(actor=, request=, plan=, **the form's data)


AUTHORISE = ManagerAct(
    "authorise", AuthorisePlanForm, "Authorise the plan", "Authorise the plan",
    "The plan’s quality checks have run. If any flag remains, say why you authorise the plan as it stands, or "
    "return it to the worker instead.", "The plan is authorised", services.authorise_plan)
RETURN = ManagerAct(
    "return", ReturnPlanForm, "Return the plan for changes", "Return the plan",
    "The worker sees your comment on their work list and on the plan, and answers it when they submit the plan "
    "again.", "The plan has been returned to the worker with your comment", services.return_plan)


def _manager_page(request, person: Person, plan_id: int, act: ManagerAct):
    plan = _plan(person, plan_id)
    refusal = services.manager_refusal(request.user, plan, act.what)
    form = act.form_class(None if refusal else posted(request))
    if not refusal and save_or_show(request, form, lambda data: act.save(
            actor=request.user, request=request, plan=plan, **data), record=plan):
        messages.success(request, act.done)
        return redirect(plan_url(plan))
    return _authorisation_page(request, person, plan, form, refusal=refusal, title=act.title, submit=act.submit,
                               intro=act.intro, quality=plan_quality_items(plan, plan_quality(plan)),
                               show_clean=True)


@record_view("GET", "POST", edit=True)
def authorise_plan(request, person: Person, plan_id: int):
    return _manager_page(request, person, plan_id, AUTHORISE)


@record_view("GET", "POST", edit=True)
def return_plan(request, person: Person, plan_id: int):
    return _manager_page(request, person, plan_id, RETURN)


# Outcomes and actions -----------------------------------------------------------------------------------


@record_view("GET", "POST", edit=True)
def add_outcome(request, person: Person, plan_id: int):
    plan = _plan(person, plan_id)
    form = OutcomeForm(posted(request))

    def save(data):
        return services.add_outcome(actor=request.user, request=request, plan=plan, **data)

    outcome = save_or_show(request, form, save)
    if outcome:
        return redirect(reverse("casework:add_action", kwargs={
            "person_id": person.pk, "plan_id": plan.pk, "outcome_id": outcome.pk}))
    return _form_page(request, person, form, title="Add an outcome for the child", submit="Add the outcome",
                      back=plan_url(plan))


@record_view("GET", "POST", edit=True)
def add_action(request, person: Person, plan_id: int, outcome_id: int):
    plan = _plan(person, plan_id)
    outcome = get_object_or_404(PlanOutcome, pk=outcome_id, plan=plan)
    form = ActionForm(posted(request))
    if save_or_show(request, form, lambda data: services.add_action(
            actor=request.user, request=request, outcome=outcome, **data)):
        return redirect(plan_url(plan))
    return _form_page(request, person, form, title="Add an action", submit="Add the action", back=plan_url(plan),
                      outcome=outcome)


@record_view("GET", "POST", edit=True)
def change_action(request, person: Person, plan_id: int, action_id: int):
    plan = _plan(person, plan_id)
    action = get_object_or_404(PlanAction.objects.select_related("outcome"), pk=action_id, outcome__plan=plan)
    form = ActionForm(posted(request), initial={name: getattr(action, name) for name in services.ACTION_FIELDS})
    if save_or_show(request, form, lambda data: services.change_action(
            actor=request.user, request=request, action=action, **data), record=action):
        return redirect(plan_url(plan))
    return _form_page(request, person, form, title="Change an action", submit="Save the action",
                      back=plan_url(plan), outcome=action.outcome)


# Reviews ----------------------------------------------------------------------------------------------


@record_view("GET", "POST", edit=True)
def record_review(request, person: Person, plan_id: int):
    plan = _plan(person, plan_id)
    form = ReviewForm(posted(request), actions=services.plan_actions(plan))

    def save(data):
        return services.record_review(actor=request.user, request=request, plan=plan, date=data["date"],
                                      summary=data["summary"], progress=form.progress())

    review = save_or_show(request, form, save)
    if review:
        return redirect(reverse("casework:review", kwargs={
            "person_id": person.pk, "plan_id": plan.pk, "review_id": review.pk}))
    return render(request, "casework/plans/review_form.html", {
        "person": person, "plan": plan, "form": form, "back": plan_url(plan),
        "page_title": "Record a review meeting",
    })


@record_view("GET")
def review_page(request, person: Person, plan_id: int, review_id: int):
    plan = _plan(person, plan_id)
    review = get_object_or_404(PlanReview.objects.select_related("conference", "recorded_by"), pk=review_id,
                               plan=plan)
    progress = review.progress.select_related("action").order_by("action__due_date", "action__pk")
    return render(request, "casework/plans/review.html", {
        "person": person, "plan": plan, "review": review, "progress": list(progress),
        "page_title": f"Review on {govuk_date(review.date)}",
    })


# Core groups -------------------------------------------------------------------------------------------


@record_view("GET", "POST", edit=True)
def record_core_group(request, person: Person, plan_id: int):
    plan = _plan(person, plan_id)
    form = CoreGroupForm(posted(request))
    if save_or_show(request, form, lambda data: services.record_core_group(
            actor=request.user, request=request, plan=plan, date=data["date"], attendees=data["attendees"],
            summary=data["summary"], actions=form.actions())):
        return redirect(plan_url(plan))
    return render(request, "casework/plans/core_group_form.html", {
        "person": person, "plan": plan, "form": form, "back": plan_url(plan),
        "page_title": "Record a core group meeting",
    })


@record_view("GET")
def core_group_page(request, person: Person, plan_id: int, core_group_id: int):
    plan = _plan(person, plan_id)
    core_group = get_object_or_404(CoreGroup.objects.select_related("recorded_by"), pk=core_group_id, plan=plan)
    return render(request, "casework/plans/core_group.html", {
        "person": person, "plan": plan, "core_group": core_group,
        "actions": list(core_group.agreed_actions.order_by("due_date", "pk")),
        "page_title": "Core group meeting",
    })


# Visits -----------------------------------------------------------------------------------------------


@record_view("GET", "POST", edit=True)
def record_visit(request, person: Person):
    plan = services.open_plan(person)
    if refusal := services.visit_refusal(request.user, person):
        # Said before the form, not after it is filled in, with what to do instead.
        return render(request, "casework/plans/visit_refused.html", {
            "person": person, "refusal": refusal, "page_title": "You cannot record a visit",
            "back": plan_url(plan) if plan else overview_url(person)})
    kind = {Plan.Kind.CHILD_PROTECTION: Visit.Kind.CHILD_PROTECTION,
            Plan.Kind.CHILD_IN_NEED: Visit.Kind.CHILD_IN_NEED}.get(plan.kind if plan else None)
    form = VisitForm(posted(request), child=person, initial={"kind": kind})

    def save(data):
        return services.record_visit(actor=request.user, request=request, child=person, **data)

    visit = save_or_show(request, form, save)
    if visit:
        messages.success(request, f"The visit on {govuk_date(visit.date)} is saved")
        return redirect(plan_url(visit.plan) if visit.plan else reverse(
            "casework:visit", kwargs={"person_id": person.pk, "visit_id": visit.pk}))
    return _form_page(request, person, form, title="Record a visit", submit="Save the visit",
                      back=plan_url(plan) if plan else overview_url(person), plan=plan,
                      intro=(f"The visit will be linked to the {plan.get_kind_display().lower()}." if plan else ""))


@record_view("GET")
def visit_page(request, person: Person, visit_id: int):
    visit = get_object_or_404(Visit.objects.select_related("worker", "plan", "recorded_by"), pk=visit_id,
                              child=person)
    return render(request, "casework/plans/visit.html", {
        "person": person, "visit": visit, "can_give_words": services.can_give_words(person, visit.date),
        "page_title": f"{visit.get_kind_display()} on {govuk_date(visit.date)}",
    })


_plan_path = "people/<int:person_id>/plans/<int:plan_id>/"
urlpatterns = [
    path("people/<int:person_id>/plans/", overview, name="plans"),
    path("people/<int:person_id>/plans/child-in-need/new/", start_cin_plan, name="start_cin_plan"),
    path(_plan_path, plan_page, name="plan"),
    path(f"{_plan_path}change/", change_plan, name="change_plan"),
    path(f"{_plan_path}end/", end_plan, name="end_plan"),
    path(f"{_plan_path}submit/", submit_plan, name="submit_plan"),
    path(f"{_plan_path}authorise/", authorise_plan, name="authorise_plan"),
    path(f"{_plan_path}return/", return_plan, name="return_plan"),
    path(f"{_plan_path}outcomes/new/", add_outcome, name="add_outcome"),
    path(f"{_plan_path}outcomes/<int:outcome_id>/actions/new/", add_action, name="add_action"),
    path(f"{_plan_path}actions/<int:action_id>/", change_action, name="change_action"),
    path(f"{_plan_path}reviews/new/", record_review, name="record_review"),
    path(f"{_plan_path}reviews/<int:review_id>/", review_page, name="review"),
    path(f"{_plan_path}core-groups/new/", record_core_group, name="record_core_group"),
    path(f"{_plan_path}core-groups/<int:core_group_id>/", core_group_page, name="core_group"),
    path("people/<int:person_id>/visits/new/", record_visit, name="record_visit"),
    path("people/<int:person_id>/visits/<int:visit_id>/", visit_page, name="visit"),
]
