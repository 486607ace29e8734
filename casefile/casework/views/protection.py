"""Pages for child protection conferences: choose the kind, record it (one page, saved at once), and read it.

Recording a conference carries out its decision (casework/services/protection.py): an initial or transfer-in
conference that decides on a plan starts the child protection plan; a review conference records the plan's
review, with every action's progress, and continues or ends the plan.
"""

from __future__ import annotations

from django import forms
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from casefile.access.records import record_view
from casefile.casework.forms.protection import ConferenceForm
from casefile.casework.models import Conference, ConferenceParticipant, Plan, PlanReview, Section47Enquiry
from casefile.casework.presenters import conference_summary_rows
from casefile.casework.services import protection as services
from casefile.casework.services.plans import open_plan, plan_actions
from casefile.casework.views.plans import overview_url
from casefile.core.forms import posted, save_or_show
from casefile.core.presenters import govuk_date
from casefile.people.models import Person

Kind = Conference.Kind
TITLES = {Kind.INITIAL: "Record an initial child protection conference",
          Kind.REVIEW: "Record a review child protection conference",
          Kind.TRANSFER_IN: "Record a transfer-in conference"}
URL_NAMES = {Kind.INITIAL: "casework:record_initial_conference", Kind.REVIEW: "casework:record_review_conference",
             Kind.TRANSFER_IN: "casework:record_transfer_in_conference"}


def conference_url(conference: Conference) -> str:
    return reverse("casework:conference", kwargs={"person_id": conference.child_id, "conference_id": conference.pk})


class KindForm(forms.Form):
    kind = forms.ChoiceField(label="What kind of conference was it?", widget=forms.RadioSelect, choices=[
        (Kind.INITIAL.value, Kind.INITIAL.label), (Kind.REVIEW.value, Kind.REVIEW.label),
        (Kind.TRANSFER_IN.value, Kind.TRANSFER_IN.label)],
        error_messages={"required": "Select what kind of conference it was",
                        "invalid_choice": "Select what kind of conference it was"})


@record_view("GET", "POST", edit=True)
def choose_kind(request, person: Person):
    form = KindForm(posted(request), initial={"kind": Kind.REVIEW if open_plan(person, Plan.Kind.CHILD_PROTECTION)
                                                   else Kind.INITIAL})
    if request.method == "POST" and form.is_valid():
        return redirect(URL_NAMES[form.cleaned_data["kind"]], person_id=person.pk)
    return render(request, "casework/protection/choose_kind.html", {
        "person": person, "form": form, "back": overview_url(person), "page_title": "Record a conference"})


def _record(request, person: Person, kind: str):
    """The one page for a conference of this kind: saved in one go, or not at all."""
    plan = open_plan(person, Plan.Kind.CHILD_PROTECTION) if kind == Kind.REVIEW else None
    enquiries = list(services.enquiries_for_icpc(person)) if kind == Kind.INITIAL else []
    chairs = list(services.chairs())
    form = ConferenceForm(posted(request), kind=kind, child=person, invitees=services.people_to_invite(person),
                          chairs=chairs, enquiries=enquiries, actions=plan_actions(plan) if plan else [])

    def save(data):
        enquiry = (Section47Enquiry.objects.filter(pk=data["enquiry"], episode__child=person).first()
                   if data.get("enquiry") else None)
        return services.record_conference(
            actor=request.user, request=request, child=person, kind=kind,
            chair=next((chair for chair in chairs if chair.pk == data["chair"]), None), enquiry=enquiry,
            **form.service_values())

    conference = save_or_show(request, form, save)
    if conference:
        return redirect(conference_url(conference))
    return render(request, "casework/protection/conference_form.html", {
        "person": person, "form": form, "kind": kind, "plan": plan, "enquiries": enquiries,
        "back": reverse("casework:record_conference", kwargs={"person_id": person.pk}),
        "page_title": TITLES[kind],
    })


@record_view("GET", "POST", edit=True)
def record_initial(request, person: Person):
    return _record(request, person, Kind.INITIAL)


@record_view("GET", "POST", edit=True)
def record_review(request, person: Person):
    return _record(request, person, Kind.REVIEW)


@record_view("GET", "POST", edit=True)
def record_transfer_in(request, person: Person):
    return _record(request, person, Kind.TRANSFER_IN)


@record_view("GET")
def conference_page(request, person: Person, conference_id: int):
    conference = get_object_or_404(
        Conference.objects.select_related("chair", "enquiry__strategy_discussion", "recorded_by")
        .prefetch_related(Prefetch("participants", queryset=ConferenceParticipant.objects.order_by("pk")),
                          "reports", "plans_started", "plans_ended"),
        pk=conference_id, child=person)
    review = PlanReview.objects.filter(conference=conference).select_related("plan").first()
    progress = list(review.progress.select_related("action").order_by("action__due_date", "action__pk")) \
        if review else []
    started, ended = list(conference.plans_started.all()), list(conference.plans_ended.all())
    return render(request, "casework/protection/conference.html", {
        "person": person, "conference": conference, "review": review, "progress": progress,
        "summary_rows": conference_summary_rows(conference, person, started=started, review=review, ended=ended),
        "page_title": f"{conference.get_kind_display()} on {govuk_date(conference.date)}",
    })


urlpatterns = [
    path("people/<int:person_id>/conferences/new/", choose_kind, name="record_conference"),
    path("people/<int:person_id>/conferences/new/initial/", record_initial, name="record_initial_conference"),
    path("people/<int:person_id>/conferences/new/review/", record_review, name="record_review_conference"),
    path("people/<int:person_id>/conferences/new/transfer-in/", record_transfer_in,
         name="record_transfer_in_conference"),
    path("people/<int:person_id>/conferences/<int:conference_id>/", conference_page, name="conference"),
]
