"""Pages for contacts: recording one, the contact page with its history panel, who has it and its RAG rating,
and multi-agency checks.

Every view goes through @front_door_view; a contact is loaded with access.contact_for, which applies the access
policy to every child on it. Writes go through services.contacts and services.checks; a refusal is shown on
the form and nothing is saved. The decision, authorisation, handover and letter pages belong to
views/decisions.py: links to them are shown only once their URLs exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.access.records import record_shown
from casefile.casework.calendar import working_calendar
from casefile.casework.deadlines import STATE_LABELS, STATE_TAGS
from casefile.core.forms import save_or_show, show_service_errors
from casefile.core.presenters import govuk_date
from casefile.frontdoor.access import contact_for, front_door_view, visible_child
from casefile.frontdoor.forms import contacts as forms
from casefile.frontdoor.history import history_for
from casefile.frontdoor.models import AgencyCheck, Contact, ContactChild, PoliceNotification
from casefile.frontdoor.presenters import outstanding_checks_table
from casefile.frontdoor.services import checks as check_services
from casefile.frontdoor.services import contacts as services
from casefile.frontdoor.services.decisions import decision_status
from casefile.frontdoor.services.handovers import allocated_elsewhere_text, open_allocations
from casefile.frontdoor.standards import front_door_settings
from casefile.people.models import Household, Person
from casefile.people.search import Criteria, search_people
from casefile.rules.front_door import Rag, Waiting, waiting


def _contact_url(contact: Contact) -> str:
    return reverse("frontdoor:contact", kwargs={"contact_id": contact.pk})


def _waiting(request, contact: Contact, now=None) -> Waiting:
    return waiting(contact.received_at, now or timezone.now(), Rag(contact.rag) if contact.rag else None,
                   working_calendar(request), front_door_settings())


# Recording a contact ----------------------------------------------------------------------------------------


def _ids(request, name: str) -> list[int]:
    return [int(value) for value in request.GET.getlist(name) if value.isdigit()]


def _chosen(request) -> tuple[list[Person], list[Person]]:
    """The children and adults chosen so far (carried as ?child=1&adult=2), among those the user may see."""
    child_ids, adult_ids = _ids(request, "child"), _ids(request, "adult")
    people = policy.viewable_people(request.user, Person.objects.filter(pk__in=child_ids + adult_ids,
                                                                         merged_into__isnull=True))
    found = {person.pk: person for person in people}
    children = [found[pk] for pk in dict.fromkeys(child_ids) if pk in found]
    adults = [found[pk] for pk in dict.fromkeys(adult_ids) if pk in found and pk not in child_ids]
    return children, adults


def _query(children: list[Person], adults: list[Person], **extra) -> str:
    pairs = [("child", p.pk) for p in children] + [("adult", p.pk) for p in adults] + list(extra.items())
    return urlencode(pairs)


def _households(children: list[Person]) -> list[Household]:
    return list(Household.objects.filter(members__person__in=children, members__end_date__isnull=True)
                .distinct().order_by("name"))


@dataclass
class Choice:
    person: Person
    reasons: list[str]
    add_url: str
    role: str  # "child" or "adult"


@front_door_view("GET", "POST")
def contact_new(request):
    children, adults = _chosen(request)
    if request.method == "POST" or request.GET.get("step") == "details":
        return _details(request, children, adults)
    base = reverse("frontdoor:contact_new")
    search_data = request.GET if ("name" in request.GET or "date_of_birth_day" in request.GET) else None
    form = forms.FindPersonForm(search_data)
    results: list[Choice] = []
    more = False
    if form.is_bound and form.is_valid():
        found = search_people(actor=request.user, request=request,
                              criteria=Criteria(name=form.cleaned_data["name"],
                                                date_of_birth=form.cleaned_data["date_of_birth"]))
        more = found.more
        chosen = {person.pk for person in children + adults}
        for result in found.results:
            person = result.person
            if person.pk in chosen:
                continue
            role = "child" if person.kind == Person.Kind.CHILD else "adult"
            with_person = (children + [person], adults) if role == "child" else (children, adults + [person])
            results.append(Choice(person, result.reasons, f"{base}?{_query(*with_person)}", role))
    record_shown(request, children + adults)  # those chosen so far; the search audits its own results
    removals = {person.pk: f"{base}?{_query([c for c in children if c != person], [a for a in adults if a != person])}"
                for person in children + adults}
    return render(request, "frontdoor/contacts/find.html", {
        "form": form, "results": results, "more": more, "children": children, "adults": adults,
        "removals": removals, "back_url": reverse("frontdoor:board"),
        "details_url": f"{base}?{_query(children, adults, step='details')}" if children else "",
        "page_title": "Record a contact: who is it about?", "navigation_active": "front_door",
    })


def _show_remaining_problems(form, children: list[Person]) -> None:
    """The form's own checks failed (a mistyped time or email): add what the service would also refuse, so every
    problem shows at once. A field the form already questions is left with its own message."""
    problems = services.contact_problems(children=children, **form.values())
    if problems is None:
        return
    questioned = set(form.errors)
    if questioned & {"received_date", "received_time"}:
        questioned.add("received_at")
    show_service_errors(form, ValidationError({field: found for field, found in problems.message_dict.items()
                                               if field not in questioned}))


def _details(request, children: list[Person], adults: list[Person]):
    households = _households(children)
    now = timezone.localtime()
    initial = {"received_date": now.date(), "received_time": f"{now:%H:%M}"}
    form = forms.ContactForm(request.POST or None, initial=initial, adults=adults, households=households)
    own_checks_failed = request.method == "POST" and not form.is_valid()
    contact = save_or_show(request, form, lambda data: services.record_contact(
        actor=request.user, request=request, children=children, **form.values()))
    if contact:
        messages.success(request, "Contact recorded")
        return redirect(_contact_url(contact))
    if own_checks_failed:
        _show_remaining_problems(form, children)
    base = reverse("frontdoor:contact_new")
    record_shown(request, children + adults)
    return render(request, "frontdoor/contacts/new.html", {
        "form": form, "children": children, "adults": adults,
        "action": f"{base}?{_query(children, adults, step='details')}",
        "change_url": f"{base}?{_query(children, adults)}",
        "page_title": "Record a contact: the details", "navigation_active": "front_door",
    })


# The contact page ------------------------------------------------------------------------------------------


@dataclass
class ChildRow:
    link: ContactChild
    state: str
    clock: object
    clock_label: str
    clock_tag: str
    decide_url: str | None
    authorise_url: str | None
    handover_url: str | None
    allocated: str = ""  # who already holds the child's case, if anyone

    @property
    def child(self) -> Person:
        return self.link.child

    @property
    def decision(self):
        return getattr(self.link, "decision", None)


def _child_state(link: ContactChild) -> str:
    decision = getattr(link, "decision", None)
    if decision is None:
        return "Waiting for a threshold decision"
    outcome = decision.get_outcome_display()
    if not decision.is_authorised:
        return f"Decided ({outcome}): waiting for a manager to authorise"
    if decision.is_referral and not hasattr(link, "handover"):
        return f"Authorised ({outcome}): waiting to be handed over"
    if hasattr(link, "handover"):
        return f"{outcome}: handed over to {link.handover.to_team}"
    return f"Authorised: {outcome}"


def _child_rows(request, contact: Contact, links: list[ContactChild]) -> list[ChildRow]:
    rows = []
    is_manager = permissions.is_manager(request.user)
    allocations = open_allocations([link.child for link in links])
    for link in links:
        allocation = allocations.get(link.child_id)
        decision = getattr(link, "decision", None)
        status = decision_status(link, request=request)
        ids = {"contact_id": contact.pk, "contact_child_id": link.pk}
        rows.append(ChildRow(
            link=link, state=_child_state(link), clock=status, clock_label=STATE_LABELS[status.state],
            clock_tag=STATE_TAGS[status.state],
            decide_url=reverse("frontdoor:decide", kwargs=ids) if not (decision and decision.is_authorised) else None,
            authorise_url=(reverse("frontdoor:authorise", kwargs={"decision_id": decision.pk})
                           if decision and not decision.is_authorised and is_manager else None),
            handover_url=(reverse("frontdoor:handover", kwargs=ids)
                          if decision and decision.is_authorised and decision.is_referral
                          and not hasattr(link, "handover") else None),
            allocated=allocated_elsewhere_text(allocation) if allocation else "",
        ))
    return rows


def _contact_page(request, contact: Contact, *, rag_form=None, holder_form=None, status: int = 200):
    links = list(contact.children.select_related("child", "decision__decided_by", "decision__authorised_by",
                                                 "handover__to_team").order_by("pk"))
    for link in links:
        link.contact = contact  # the clocks read the contact's receipt: no query per child
    adults = list(contact.adults.select_related("person").order_by("pk"))
    notification = PoliceNotification.objects.filter(contact=contact).first()
    checks = list(contact.checks.select_related("requested_by", "response_recorded_by"))
    staff = forms.front_door_staff()
    letter = contact.letters.first()
    context = {
        "contact": contact, "links": links, "rows": _child_rows(request, contact, links), "adults": adults,
        "notification": notification, "checks": checks,
        "outstanding": [check for check in checks if check.is_outstanding],
        "history": history_for(contact), "waiting": _waiting(request, contact), "settings": front_door_settings(),
        "rag_form": rag_form or forms.RagForm(initial={"rag": contact.rag}),
        "holder_form": holder_form or forms.HolderForm(initial={"holder": contact.holder_id}, staff=staff),
        "letter": letter, "letter_url": reverse("frontdoor:letter", kwargs={"contact_id": contact.pk}),
        "any_authorised": any(getattr(link, "decision", None) and link.decision.is_authorised for link in links),
        "page_title": f"Contact received {govuk_date(timezone.localtime(contact.received_at).date())}",
        "navigation_active": "front_door",
    }
    return render(request, "frontdoor/contacts/contact.html", context, status=status)


@front_door_view("GET")
def contact_page(request, contact_id: int):
    return _contact_page(request, contact_for(request, contact_id))


@front_door_view("POST")
def contact_rag(request, contact_id: int):
    contact = contact_for(request, contact_id, edit=True)
    form = forms.RagForm(request.POST)
    if save_or_show(request, form, lambda data: services.set_rag(
            actor=request.user, request=request, contact=contact, rag=data["rag"] or "", reason=data["reason"]),
            record=contact):
        messages.success(request, "RAG rating saved")
        return redirect(_contact_url(contact))
    contact.refresh_from_db(fields=["rag"])
    return _contact_page(request, contact, rag_form=form, status=400)


@front_door_view("POST")
def contact_holder(request, contact_id: int):
    contact = contact_for(request, contact_id, edit=True)
    staff = forms.front_door_staff()
    data = request.POST.copy()
    if "take" in data:
        data["holder"] = str(request.user.pk)
    form = forms.HolderForm(data, staff=staff)
    holder = form.chosen() if form.is_valid() else None

    def save(data):
        if data.get("holder") and holder is None:
            raise ValidationError({"holder": "Select someone who works at the front door"})
        services.set_holder(actor=request.user, request=request, contact=contact, holder=holder)

    if save_or_show(request, form, save, record=contact):
        messages.success(request, f"{holder} now has the contact" if holder
                         else "The contact is back in the front-door tray")
        return redirect(_contact_url(contact))
    return _contact_page(request, contact, holder_form=form, status=400)


# Multi-agency checks --------------------------------------------------------------------------------------


@front_door_view("GET", "POST")
def check_new(request, contact_id: int):
    contact = contact_for(request, contact_id, edit=request.method == "POST")
    form = forms.CheckForm(request.POST or None)
    if save_or_show(request, form, lambda data: check_services.request_check(
            actor=request.user, request=request, contact=contact, **data)):
        messages.success(request, "Check requested")
        return redirect(_contact_url(contact))
    return render(request, "frontdoor/contacts/check_form.html", {
        "form": form, "contact": contact, "back_url": _contact_url(contact), "submit": "Request the check",
        "page_title": "Request a multi-agency check", "navigation_active": "front_door",
    })


def _check_for(request, check_id: int, *, edit: bool) -> AgencyCheck:
    check = get_object_or_404(AgencyCheck.objects.select_related("requested_by"), pk=check_id)
    # The access policy applies to every child on the check's contact, as for the contact itself.
    check.contact = contact_for(request, check.contact_id, edit=edit)
    return check


@front_door_view("GET", "POST")
def check_response(request, check_id: int):
    check = _check_for(request, check_id, edit=request.method == "POST")
    now = timezone.localtime()
    form = forms.CheckResponseForm(request.POST or None,
                                   initial={"responded_date": now.date(), "responded_time": f"{now:%H:%M}"})
    if save_or_show(request, form, lambda data: check_services.record_response(
            actor=request.user, request=request, check=check, response=data["response"],
            responded_at=data["responded_at"]), record=check):
        messages.success(request, "Response recorded")
        return redirect(_contact_url(check.contact))
    return render(request, "frontdoor/contacts/check_form.html", {
        "form": form, "contact": check.contact, "check": check, "back_url": _contact_url(check.contact),
        "submit": "Save the response", "page_title": f"Record the {check.get_agency_display().lower()} response",
        "navigation_active": "front_door",
    })


@dataclass
class OutstandingCheck:
    check: AgencyCheck
    children: list[Person]
    waiting: Waiting
    url: str
    contact_url: str


@front_door_view("GET")
def checks_outstanding(request):
    """Every check still waiting for an answer, about children this user may see. A check stays after its contact
    has left the front door: the receiving team still needs the answer, so it is chased until it comes."""
    hidden = ContactChild.objects.filter(contact=OuterRef("contact_id")).exclude(visible_child(request.user))
    rows = list(AgencyCheck.objects.filter(responded_at__isnull=True)
                .exclude(Exists(hidden)).select_related("contact", "requested_by").order_by("requested_at", "pk"))
    links = ContactChild.objects.filter(contact_id__in={row.contact_id for row in rows}).select_related("child")
    children: dict[int, list[Person]] = {}
    for link in links.order_by("pk"):
        children.setdefault(link.contact_id, []).append(link.child)
    now, calendar, settings = timezone.now(), working_calendar(request), front_door_settings()
    checks = [OutstandingCheck(
        check=row, children=children.get(row.contact_id, []),
        waiting=waiting(row.requested_at, now, None, calendar, settings),
        url=reverse("frontdoor:check_response", kwargs={"check_id": row.pk}),
        contact_url=_contact_url(row.contact)) for row in rows]
    record_shown(request, [child for row in checks for child in row.children])
    return render(request, "frontdoor/contacts/checks_outstanding.html", {
        "checks": checks, "checks_table": outstanding_checks_table(checks),
        "page_title": "Multi-agency checks waiting for an answer", "navigation_active": "front_door",
    })


urlpatterns = [
    path("contacts/new/", contact_new, name="contact_new"),
    path("contacts/<int:contact_id>/", contact_page, name="contact"),
    path("contacts/<int:contact_id>/holder/", contact_holder, name="contact_holder"),
    path("contacts/<int:contact_id>/rag/", contact_rag, name="contact_rag"),
    path("contacts/<int:contact_id>/checks/new/", check_new, name="check_new"),
    path("checks/<int:check_id>/response/", check_response, name="check_response"),
    path("checks/outstanding/", checks_outstanding, name="checks_outstanding"),
]
