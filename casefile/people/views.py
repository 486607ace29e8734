"""Pages for finding, recording, changing and merging people.

Every page about one person goes through @record_view, which applies the access policy and audits the
view; every list of people goes through policy.viewable_people; every change goes through people.services.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from casefile.access import permissions, policy
from casefile.access.records import reason_given_recently, record_shown, record_view
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.casework.chronology import EVENT_TYPES, Filters, chronology, entries_shown_to, find_entry
from casefile.casework.chronology import save_note as save_chronology_note
from casefile.casework.deadlines import next_steps_context
from casefile.casework.open_allocation import open_allocation
from casefile.core import presenters
from casefile.core.forms import posted, save_or_show
from casefile.core.methods import allow_methods
from casefile.core.pdf import pdf_response
from casefile.oversight.practice_presenters import findings_summary
from casefile.oversight.signals import context as signals_context
from casefile.oversight.signals import signals_beside_deadlines
from casefile.people import chronology_pdf, services
from casefile.people import tasks as people_tasks
from casefile.people.chronology_forms import ExportForm, FilterForm, NoteForm, filter_query
from casefile.people.forms import (
    AddressForm,
    AliasForm,
    DisabilitiesForm,
    EditPersonForm,
    HouseholdForm,
    MergeForm,
    NewPersonForm,
    RelationshipForm,
    SearchForm,
    UnmergeForm,
)
from casefile.people.matching import Duplicates, facts_for_entry, possible_duplicates
from casefile.people.models import Household, MatchDecision, Person, Relationship
from casefile.people.record import load_record
from casefile.people.search import Criteria, search_people
from casefile.returns import data_quality as census_data_quality

# How a relationship reads from the other side: if Dawn is Lily's parent, Lily is Dawn's child.
INVERSE_KIND = {
    Relationship.Kind.PARENT: "Child",
    Relationship.Kind.STEP_PARENT: "Step-child",
    Relationship.Kind.SIBLING: "Sibling",
    Relationship.Kind.GRANDPARENT: "Grandchild",
    Relationship.Kind.CARER: "Cared for by them",
    Relationship.Kind.HOUSEHOLD_MEMBER: "Household member",
}


def age(person: Person) -> str:
    return presenters.age_text(person.date_of_birth, timezone.localdate(), person.date_of_death)


def _record_url(person: Person) -> str:
    return reverse("people:record", kwargs={"person_id": person.pk})


# Finding people ----------------------------------------------------------------------------------------


@allow_methods("GET")
def search(request):
    form = SearchForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        found = search_people(actor=request.user, request=request, criteria=Criteria(**form.cleaned_data))
    return render(request, "people/search.html", {"form": form, "found": found, "age": age,
                                                  "may_create_person": permissions.may_create_person(request.user),
                                                  "page_title": "Find a person"})


def _picker_results(request, person: Person, query: str) -> list:
    """People the user may see whose name answers `query`, for choosing a relative or a duplicate."""
    if not query.strip():
        return []
    found = search_people(actor=request.user, request=request, criteria=Criteria(name=query))
    return [result for result in found.results if result.person.pk != person.pk]


def _picker_choices(results) -> list[tuple[int, str]]:
    return [(result.person.pk, _identity_line(result.person)) for result in results]


def _identity_line(person: Person) -> str:
    born = (f"born {presenters.govuk_date(person.date_of_birth)}" if person.date_of_birth
            else "date of birth not recorded")
    return f"{person.display_name}, {born} ({person.get_kind_display().lower()}, {person.reference})"


def _chosen_viewable(user, person_id: int | None) -> Person | None:
    if not person_id:
        return None
    return policy.viewable_people(user, Person.objects.filter(pk=person_id, merged_into__isnull=True)).first()


# Recording a new person, with the possible-duplicates step -----------------------------------------------


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Is this one of these people?", widget=forms.RadioSelect, choices=[],
        error_messages={"required": "Select the person this is, or that this is a new person",
                        "invalid_choice": "Select one of the records shown, or that this is a new person"},
    )

    def __init__(self, *args, duplicates: Duplicates, **kwargs):
        super().__init__(*args, **kwargs)
        # With a possible match hidden from the user, a new record is offered only as a choice made after checking.
        new = ("A new person: someone who can see the other record has checked it is not this person"
               if duplicates.hidden else "A new person: create a new record")
        self.fields["decision"].choices = [
            *((str(d.person.pk), f"The same person as {_identity_line(d.person)}") for d in duplicates.shown),
            ("new", new),
        ]


def _entered(values: dict) -> dict:
    """What the user typed, as kept with a match decision."""
    address = values.get("address") or {}
    kept = {name: values.get(name) for name in ("first_name", "last_name", "known_as", "date_of_birth",
                                                 "expected_date_of_birth", "sex", "nhs_number")}
    kept["postcode"] = address.get("postcode", "")
    return {name: value.isoformat() if isinstance(value, datetime.date) else value for name, value in kept.items()}


@allow_methods("GET", "POST")
def create(request):
    if not permissions.may_create_person(request.user):
        raise PermissionDenied(services.CANNOT_CREATE)
    form = NewPersonForm(posted(request))
    # "change": back from the possible matches to the form, with what was entered, to correct it.
    if request.POST.get("step") == "change":
        return _create_page(request, form)
    page = save_or_show(request, form, lambda data: _create_or_check(request, form))
    return page or _create_page(request, form)


def _create_or_check(request, form: NewPersonForm):
    """Create the person, or first ask whether they are one of the possible duplicates (the page that asks)."""
    new_person = {"disabilities": form.cleaned_data["disabilities"], "address": form.address(), **form.identity()}
    values = services.validate_new_person(**new_person)
    duplicates = possible_duplicates(request.user, facts_for_entry(values), request)
    if not duplicates:
        person = services.create_person(actor=request.user, request=request, **new_person)
        return redirect(_record_url(person))
    decision_form = DecisionForm(request.POST if request.POST.get("step") == "decide" else None,
                                 duplicates=duplicates)
    if not decision_form.is_bound or not decision_form.is_valid():
        return _matches_page(request, decision_form, duplicates)
    return _decide(request, decision_form.cleaned_data["decision"], duplicates, new_person, values)


def _decide(request, decision: str, duplicates: Duplicates, new_person: dict, values: dict):
    decision_record = {"actor": request.user, "request": request, "candidates": duplicates.all_records(),
                       "entered": _entered(values)}
    if decision == "new":
        with transaction.atomic():
            person = services.create_person(actor=request.user, request=request, **new_person)
            services.record_match_decision(outcome=MatchDecision.Outcome.NEW_PERSON, chosen=person,
                                           **decision_record)
        return redirect(_record_url(person))
    chosen = next(d.person for d in duplicates.shown if str(d.person.pk) == decision)
    services.record_match_decision(outcome=MatchDecision.Outcome.SAME_PERSON, chosen=chosen, **decision_record)
    return redirect(_record_url(chosen))


def _create_page(request, form):
    return render(request, "people/create.html", {"form": form, "page_title": "Record a new person"})


def _matches_page(request, form, duplicates: Duplicates):
    carried = [(name, value) for name, values in request.POST.lists()
               if name not in ("csrfmiddlewaretoken", "decision", "step") for value in values]
    record_shown(request, [duplicate.person for duplicate in duplicates.shown])
    return render(request, "people/matches.html", {
        "form": form, "duplicates": duplicates, "carried": carried, "age": age,
        "page_title": "Check whether this person is already recorded",
    })


# A person's record -------------------------------------------------------------------------------------


def _relationship_rows(person: Person) -> list[dict]:
    rows = [
        {"other": link.person, "label": link.get_kind_display(), "link": link,
         "holder": link.person}
        for link in person.relationships_to.all()
    ] + [
        {"other": link.relative, "label": INVERSE_KIND[link.kind], "link": link, "holder": person}
        for link in person.relationships_from.all()
    ]
    return rows


@record_view("GET")
def person_record(request, person: Person):
    load_record(person)
    allocation = open_allocation(person)
    relationships = _relationship_rows(person)
    household = {member.person_id for membership in person.household_memberships.all()
                 for member in membership.household.members.all()}
    viewable_ids = policy.viewable_beside(request.user, person, [row["other"] for row in relationships], household)
    context = {
        "person": person,
        "allocation": allocation,
        "age": age(person),
        "relationships": relationships,
        "viewable_ids": viewable_ids,
        "current_addresses": [a for a in person.addresses.all() if a.end_date is None],
        "can_see_viewers": policy.can_see_viewers(request.user),
        "can_edit": policy.can_edit(request.user, person),
        "may_separate_merged_records": permissions.may_separate_merged_records(request.user),
        "may_record_contact": person.kind == Person.Kind.CHILD and not person.merged_into_id
                              and permissions.may_record_contact(request.user),
        "page_title": person.full_name,
        # Links only to the pages of the record this user may open (a partner: the items shared with it).
        "opens": {page: policy.can_open_page(request.user, person, page) for page in RECORD_LINKS},
        # The clocks tell of referrals, plans and visits: only for someone who may open those pages.
        **(next_steps_context(request, person) if policy.can_open_page(request.user, person, "casework:episodes")
           else {"next_steps": [], "can_allocate": False}),
    }
    context.update(_signals_panel(request, person, context["next_steps"]))
    context["census_check"] = _census_panel(request, person)
    return render(request, "people/record.html", context)


def _census_panel(request, person: Person):
    """Data quality as you type: the census rules on the record now, for those who change it (who put it right)."""
    if person.kind != Person.Kind.CHILD or person.merged_into_id or not policy.can_edit(request.user, person):
        return None
    return census_data_quality.check_child(person)


def _signals_panel(request, person: Person, next_steps) -> dict:
    """The record's small "Practice quality" panel: the signals found, for whoever may open their page."""
    if person.kind != Person.Kind.CHILD or not policy.can_open_page(request.user, person, "oversight:child_signals"):
        return {"signals_summary": None}
    findings = signals_beside_deadlines(person, next_steps, signals_context(request=request))
    return {"signals_summary": findings_summary(findings) or "No signals found"}


# The pages a child's record links to.
RECORD_LINKS = ("casework:episode", "casework:episodes", "casework:case_notes", "casework:plans", "people:chronology",
                "oversight:decisions", "oversight:escalations", "oversight:case_supervisions", "quality:child_audits")


# The chronology ------------------------------------------------------------------------------------------

def _chronology_url(person: Person, query: str = "", anchor: str = "") -> str:
    url = reverse("people:chronology", kwargs={"person_id": person.pk})
    return url + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def _filtered_chronology(request, person: Person):
    """The filter form, the filters it gives (None if what was entered is wrong), and every entry."""
    form = FilterForm.for_query(request.GET)
    return form, form.filters(), entries_shown_to(request.user, person)


def _chronology_context(request, person: Person, filters: Filters, rows: list) -> dict:
    return {**chronology_pdf.context(person, filters, rows, filter_query(request.GET)),
            "can_export": policy.can_export(request.user, person)}


# The unbound filter fields' HTML, by the event types they offer (tests and later apps may register more).
_UNBOUND_FILTER_FIELDS: dict[tuple, Markup] = {}


def _unbound_filter_fields(form: FilterForm) -> Markup | None:
    """The filter form's fields, laid out once: unbound, they are the same on every chronology (about a fifth of
    the page's time when laid out each time). None for a bound form, which the page lays out with its values."""
    if form.is_bound:
        return None
    key = tuple(EVENT_TYPES.items())
    if key not in _UNBOUND_FILTER_FIELDS:
        html = render_to_string("people/_chronology_filter_fields.html", {"form": form})
        _UNBOUND_FILTER_FIELDS[key] = Markup(html)  # noqa: S704 - our own template's output, escaped as it was laid out
    return _UNBOUND_FILTER_FIELDS[key]


@record_view("GET")
def chronology_page(request, person: Person):
    form, filters, rows = _filtered_chronology(request, person)
    return render(request, "people/chronology.html", {
        **_chronology_context(request, person, filters or Filters(), rows),
        "form": form, "filters_wrong": filters is None, "can_edit": policy.can_edit(request.user, person),
        "page_title": f"Chronology: {person.full_name}", "unbound_filter_fields": _unbound_filter_fields(form),
    })


@record_view("GET", "POST", edit=True)
def chronology_note(request, person: Person):
    """Mark one event significant or not, and add analysis to it."""
    entry = find_entry(person, request.GET.get("event", ""))
    if entry is None:
        raise Http404("No such event in this chronology")
    back = _chronology_url(person, filter_query(request.GET), entry.event.anchor)
    form = NoteForm(request.POST or None, significant=entry.significant,
                    initial={"analysis": entry.analysis})
    if save_or_show(request, form, lambda data: save_chronology_note(
            actor=request.user, request=request, child=person, event_key=entry.event.key,
            significant=data["significant"], analysis=data["analysis"])):
        return redirect(back)
    return render(request, "people/chronology_note.html", {
        "person": person, "entry": entry, "form": form, "back": back,
        "page_title": f"Analysis: {entry.event.title}",
    })


@record_view("GET", "POST")
def chronology_export(request, person: Person):
    """The filtered chronology as an accessible PDF, once the user says why they need it."""
    if not policy.can_export(request.user, person):
        raise PermissionDenied("Partner agencies cannot export a child's record")
    _, filters, rows = _filtered_chronology(request, person)
    if filters is None:
        return redirect(_chronology_url(person, filter_query(request.GET)))
    context = _chronology_context(request, person, filters, rows)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A long chronology takes a while to lay out: a background worker makes the PDF while the person
        # watches its progress; the download (chronology_download) is audited as the export, with this reason.
        job = people_tasks.export_in_background(actor=request.user, person=person, query=context["query"],
                                                reason=form.cleaned_data["reason"],
                                                back_url=_chronology_url(person, context["query"]))
        return redirect("core:job", job_id=job.pk)
    return render(request, "people/chronology_export.html", {
        **context, "form": form, "back": _chronology_url(person, context["query"]),
        "page_title": "Export the chronology",
    })


@record_view("GET")
def chronology_download(request, person: Person, job_id):
    """The PDF a background job made, for the person who asked for it, while they may still export the record.
    Each download is the export: audited with the reason given when it was asked for."""
    if not policy.can_export(request.user, person):
        raise PermissionDenied("Partner agencies cannot export a child's record")
    job = people_tasks.finished_export(request.user, job_id, person)
    if job is None:
        raise Http404("No such export")
    record(Action.EXPORT, request=request, subject=person, child=person, reason=job.details["reason"],
           details={"page": "people:chronology_export", "format": "pdf", "events": job.details.get("events"),
                    "filters": job.details.get("filters"), "job": str(job.pk)})
    return pdf_response(bytes(job.result_file), job.result_filename)


@record_view("GET", audit_action=Action.PRINT)
def chronology_print(request, person: Person):
    """The filtered chronology laid out for printing from the browser."""
    if not policy.can_export(request.user, person):
        raise PermissionDenied("Partner agencies cannot print a child's record")
    _, filters, rows = _filtered_chronology(request, person)
    if filters is None:
        return redirect(_chronology_url(person, filter_query(request.GET)))
    context = _chronology_context(request, person, filters, rows)
    return render(request, "people/chronology_print.html", {
        **context, "produced_at": timezone.now(), "produced_by": request.user, "action": "Printed",
        "back": _chronology_url(person, context["query"]), "page_title": f"Chronology: {person.full_name}",
    })


@record_view("GET")
def merged_records(request, person: Person):
    """The records merged into this one, with their own histories, for those who may see them."""
    merged = [m for m in Person.objects.filter(merged_into=person).order_by("pk") if policy.can_view(request.user, m)]
    restricted = [m for m in merged if m.is_restricted and not reason_given_recently(request, m)]
    if restricted:
        url = reverse("access:restricted_reason", kwargs={"person_id": restricted[0].pk})
        return redirect(f"{url}?next={request.get_full_path()}")
    for other in merged:
        record(Action.VIEW, request=request, subject=other, child=other, details={"page": "people:merged_records"})
    return render(request, "people/merged_records.html", {
        "person": person, "records": [(other, chronology(other)) for other in merged],
        "page_title": f"Also recorded as: {person.full_name}",
    })


# Changing a record ---------------------------------------------------------------------------------------


def _form_page(request, person: Person, form, *, title: str, template: str = "people/form.html", **extra):
    return render(request, template, {"person": person, "form": form, "page_title": title, **extra})


@record_view("GET", "POST", edit=True)
def edit(request, person: Person):
    initial = {name: getattr(person, name) for name in services.IDENTITY_FIELDS}
    form = EditPersonForm(request.POST or None, initial=initial)
    if save_or_show(request, form, lambda data: services.update_person(
            actor=request.user, request=request, person=person, **form.identity()), record=person):
        return redirect(_record_url(person))
    return _form_page(request, person, form, title="Change identity details", submit="Save changes")


@record_view("GET", "POST", edit=True)
def add_alias(request, person: Person):
    form = AliasForm(request.POST or None)
    if save_or_show(request, form, lambda data: services.add_alias(
            actor=request.user, request=request, person=person, **data)):
        return redirect(_record_url(person))
    return _form_page(request, person, form, title="Add another name", submit="Add name")


@record_view("GET", "POST", edit=True)
def add_address(request, person: Person):
    form = AddressForm(request.POST or None)
    if save_or_show(request, form, lambda data: services.add_address(
            actor=request.user, request=request, person=person, **data)):
        return redirect(_record_url(person))
    return _form_page(request, person, form, title="Add an address", submit="Add address")


@record_view("GET", "POST", edit=True)
def set_disabilities(request, person: Person):
    form = DisabilitiesForm(request.POST or None,
                            initial={"disabilities": [row.code for row in person.disabilities.all()]})
    def save(data):
        # The service returns the codes kept: none (all unticked: not known) is saved too, not "not saved".
        services.set_disabilities(actor=request.user, request=request, person=person,
                                  disability_codes=data["disabilities"])

    if save_or_show(request, form, save):
        return redirect(_record_url(person))
    return _form_page(request, person, form, title="Disabilities", submit="Save disabilities")


@record_view("GET", "POST", edit=True)
def add_relationship(request, person: Person):
    query = request.GET.get("q") or request.POST.get("q", "")
    results = _picker_results(request, person, query)
    form = RelationshipForm(request.POST or None)
    form.fields["relative"].choices = _picker_choices(results)

    def save(data):
        relative = _chosen_viewable(request.user, data["relative"])
        if relative is None:
            raise ValidationError({"relative": ["Choose the person they are related to"]})
        pair = (relative, person) if data["direction"] == "theirs" else (person, relative)
        services.add_relationship(actor=request.user, request=request, person=pair[0], relative=pair[1],
                                  kind=data["kind"], parental_responsibility=data["parental_responsibility"],
                                  start_date=data["start_date"])

    if save_or_show(request, form, save):
        return redirect(_record_url(person))
    return _form_page(request, person, form, title="Add a relationship", template="people/pick_person.html",
                      query=query, results=results, picker="relative", submit="Add relationship",
                      search_label="Search for the person by name")


def _households_near(person: Person) -> list[Household]:
    """Households this person or their relatives belong to: the ones they are most likely to join."""
    near = (Q(members__person=person) | Q(members__person__relationships_from__relative=person)
            | Q(members__person__relationships_to__person=person))
    return list(Household.objects.filter(near).distinct().order_by("name"))


@record_view("GET", "POST", edit=True)
def add_to_household(request, person: Person):
    form = HouseholdForm(request.POST or None, households=_households_near(person))

    def save(data):
        with transaction.atomic():
            if data["household"]:
                household = Household.objects.get(pk=data["household"])
            else:
                household = services.create_household(actor=request.user, request=request, name=data["name"])
            services.add_household_member(actor=request.user, request=request, household=household, person=person,
                                          start_date=data["start_date"])

    if save_or_show(request, form, save):
        return redirect(_record_url(person))
    return _form_page(request, person, form, title="Add to a household", submit="Add to household")


# Merging -------------------------------------------------------------------------------------------------


@record_view("GET", "POST", edit=True)
def merge(request, person: Person):
    """Merge a duplicate record into this one, which is kept."""
    query = request.GET.get("q") or request.POST.get("q", "")
    results = _picker_results(request, person, query)
    form = MergeForm(request.POST or None)
    form.fields["merged"].choices = _picker_choices(results)

    def save(data):
        duplicate = _chosen_viewable(request.user, data["merged"])
        if duplicate is None:
            raise ValidationError({"merged": ["Choose the record to merge into this one"]})
        services.merge_people(actor=request.user, request=request, kept=person, merged=duplicate,
                              reason=data["reason"])

    if save_or_show(request, form, save):
        return redirect(_record_url(person))
    return _form_page(request, person, form, title="Merge a duplicate record into this one",
                      template="people/pick_person.html", query=query, results=results, picker="merged",
                      submit="Merge records", search_label="Search for the duplicate record by name",
                      warning="The duplicate’s page will open this record instead. Both histories are kept, "
                              "and an administrator can separate the records again.")


@record_view("GET", "POST", edit=True)
def unmerge(request, person: Person):
    """Separate a record that was merged into this one: administrators only."""
    if not permissions.may_separate_merged_records(request.user):
        raise PermissionDenied("Only an administrator can separate merged records")
    merged = list(Person.objects.filter(merged_into=person).order_by("pk"))
    if not merged:
        raise Http404("No merged records")
    form = UnmergeForm(request.POST or None)
    form.fields["merged"].choices = [(other.pk, _identity_line(other)) for other in merged]

    def save(data):
        chosen = next((other for other in merged if other.pk == data["merged"]), None)
        if chosen is None:
            raise ValidationError({"merged": ["Choose the record to separate"]})
        services.unmerge_people(actor=request.user, request=request, merged=chosen, reason=data["reason"])

    if save_or_show(request, form, save):
        return redirect(_record_url(person))
    return _form_page(request, person, form, title="Separate merged records", submit="Separate records")
