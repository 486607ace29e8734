"""Pages for the front half of the child's journey: episodes (referral and decision), the single assessment,
strategy discussions and section 47 enquiries, case notes, early help and closure.

Every page is under the child (`people/<person_id>/...`) and goes through @record_view (edit=True for changes);
every other record in the URL is fetched with the child as a filter, so no URL reaches another child's record.
Writes go through casework.services.episodes; a refusal is shown on the form and nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.forms import Form
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.access.records import record_view
from casefile.casework.calendar import working_calendar
from casefile.casework.forms import episodes as forms
from casefile.casework.models import (
    AgreedAction,
    Allocation,
    Assessment,
    AssessmentAdult,
    CaseNote,
    Conference,
    EarlyHelpTransfer,
    Episode,
    Plan,
    ReturnedWork,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from casefile.casework.presenters import returned_html
from casefile.casework.returns import open_return
from casefile.casework.services import episodes as services
from casefile.core import presenters
from casefile.core.forms import save_or_show
from casefile.people.models import Person, Relationship
from casefile.people.search import Criteria, search_people
from casefile.rules import clocks, codes

# Helpers ------------------------------------------------------------------------------------------------


def _page(request, template: str, person: Person, **context):
    """Render with what every casework page needs: the identity bar's allocation and age."""
    allocation = (Allocation.objects.filter(child=person, end_date__isnull=True)
                  .select_related("worker", "team").first())
    age = presenters.age_text(person.date_of_birth, timezone.localdate(), person.date_of_death)
    return render(request, f"casework/episodes/{template}", {
        "person": person, "allocation": allocation, "age": age,
        "can_edit": policy.can_edit(request.user, person), **context,
    })


def _form_page(request, person: Person, form, *, title: str, submit: str, back: str, **extra):
    return _page(request, "form.html", person, form=form, page_title=title, submit=submit, back_url=back, **extra)



def _returned_html(kind: str, record_id: int):
    """The manager's comment on returned work still to answer, as the page shows it, or ''."""
    returned = open_return(kind, record_id)
    return returned_html(returned) if returned else ""


def _url(name: str, person: Person, **ids) -> str:
    return reverse(f"casework:{name}", kwargs={"person_id": person.pk, **ids})


def _episode_url(episode: Episode) -> str:
    return reverse("casework:episode", kwargs={"person_id": episode.child_id, "episode_id": episode.pk})


def _assessment_url(assessment: Assessment, person: Person) -> str:
    return _url("assessment", person, assessment_id=assessment.pk)


def _episode(person: Person, episode_id: int) -> Episode:
    return get_object_or_404(Episode.objects.select_related("child"), pk=episode_id, child=person)


def _assessment(person: Person, assessment_id: int) -> Assessment:
    return get_object_or_404(Assessment.objects.select_related("episode__child", "authorised_by"),
                             pk=assessment_id, episode__child=person)


def _discussion(person: Person, strategy_discussion_id: int) -> StrategyDiscussion:
    return get_object_or_404(StrategyDiscussion.objects.select_related("episode__child", "chaired_by"),
                             pk=strategy_discussion_id, episode__child=person)


def _enquiry(person: Person, enquiry_id: int) -> Section47Enquiry:
    return get_object_or_404(Section47Enquiry.objects.select_related("episode__child", "strategy_discussion"),
                             pk=enquiry_id, episode__child=person)


def _for_form(instance, names) -> dict:
    return {name: getattr(instance, name) for name in names}


# Episodes -----------------------------------------------------------------------------------------------


@record_view("GET")
def episode_list(request, person: Person):
    episodes = list(Episode.objects.filter(child=person))
    return _page(request, "list.html", person, episodes=episodes,
                 current=next((e for e in episodes if e.is_open), None),
                 page_title=f"Episodes: {person.full_name}")


@record_view("GET", "POST", edit=True)
def record_referral(request, person: Person):
    form = forms.ReferralForm(request.POST or None)

    def save(data):
        return services.record_referral(actor=request.user, request=request, child=person, **data)

    episode = save_or_show(request, form, save)
    if episode:
        return redirect(_episode_url(episode))
    return _form_page(request, person, form, title="Record a referral", submit="Record the referral",
                      back=_url("episodes", person))


@record_view("GET", "POST", edit=True)
def step_up(request, person: Person):
    form = forms.StepUpForm(request.POST or None)

    def save(data):
        return services.record_referral(actor=request.user, request=request, child=person,
                                        referral_source=codes.STEP_UP_FROM_EARLY_HELP, **data)

    episode = save_or_show(request, form, save)
    if episode:
        return redirect(_episode_url(episode))
    return _form_page(request, person, form, title="Record a step-up from early help", submit="Record the step-up",
                      back=_url("episodes", person),
                      intro="This records a referral from early help (census source 5D) and the step-up together.")


@record_view("GET", "POST", edit=True)
def change_referral(request, person: Person, episode_id: int):
    episode = _episode(person, episode_id)
    form = forms.ChangeReferralForm(request.POST or None, initial=_for_form(episode, services.REFERRAL_FIELDS))
    if save_or_show(request, form, lambda data: services.update_referral(
            actor=request.user, request=request, episode=episode, **data), record=episode):
        return redirect(_episode_url(episode))
    return _form_page(request, person, form, title="Change the referral", submit="Save changes",
                      back=_episode_url(episode))


@record_view("GET", "POST", edit=True)
def referral_decision(request, person: Person, episode_id: int):
    episode = _episode(person, episode_id)
    initial = {"decided_by": episode.referral_decided_by_id or (
                   request.user.pk if permissions.may_decide(request.user) else None),
               "decision_date": episode.referral_decision_date, "nfa": episode.referral_nfa,
               "primary_need": episode.primary_need}
    form = forms.ReferralDecisionForm(request.POST or None, initial=initial)
    if save_or_show(request, form, lambda data: services.record_referral_decision(
            actor=request.user, request=request, episode=episode, **data), record=episode):
        return redirect(_episode_url(episode))
    deadline = clocks.due_date(clocks.REFERRAL_DECISION, episode.referral_date, working_calendar(request))
    return _form_page(request, person, form, title="Record the referral decision", submit="Save the decision",
                      back=_episode_url(episode),
                      intro=f"Working Together expects the decision within 1 working day of the referral: "
                            f"by {presenters.govuk_date(deadline)}.")


@dataclass
class Event:
    date: Any
    title: str
    detail: str = ""
    url: str = ""
    significant: bool = False


def _load_episode(person: Person, episode_id: int) -> Episode:
    """The episode with everything in it, in a fixed number of queries however much it holds."""
    queryset = Episode.objects.select_related(
        "child", "recorded_by", "referral_decided_by", "closure_proposed_by", "closure_signed_off_by",
    ).prefetch_related(
        Prefetch("assessments", queryset=Assessment.objects.select_related("authorised_by")),
        Prefetch("strategy_discussions", queryset=StrategyDiscussion.objects.select_related("chaired_by")),
        Prefetch("section47_enquiries", queryset=Section47Enquiry.objects.select_related("strategy_discussion")),
        Prefetch("conferences", queryset=Conference.objects.order_by("date", "pk")),
        Prefetch("plans", queryset=Plan.objects.order_by("start_date", "pk")),
        Prefetch("visits", queryset=Visit.objects.select_related("worker")),
        "case_notes", "early_help_transfers",
        Prefetch("front_door_decisions", queryset=_front_door_decisions()),
    )
    return get_object_or_404(queryset, pk=episode_id, child=person)


def _front_door_decisions():
    """The front-door decisions that led to the episode, with their handovers (the front door builds on casework,
    so its model is reached through the relation rather than imported)."""
    decision = Episode._meta.get_field("front_door_decisions").related_model
    return decision.objects.select_related(
        "decided_by", "authorised_by", "contact_child__contact", "contact_child__handover__to_team",
        "contact_child__handover__handed_over_by").order_by("decided_at", "pk")


def _episode_events(episode: Episode, person: Person) -> list[Event]:
    """Everything in the episode, oldest first, each with a link to its own page where it has one."""
    source = codes.REFERRAL_SOURCE.get(episode.referral_source, episode.referral_source)
    events = [Event(episode.referral_date, "Referral received", f"From: {source} ({episode.referral_source})",
                    _url("change_referral", person, episode_id=episode.pk))]
    if episode.referral_decision_date:
        decision = "No further action" if episode.referral_nfa else (
            f"Further action. Primary need: {episode.get_primary_need_display()} ({episode.primary_need})")
        events.append(Event(episode.referral_decision_date, "Referral decision",
                            f"{decision}. Decided by {episode.referral_decided_by}",
                            _url("referral_decision", person, episode_id=episode.pk)))
    for assessment in episode.assessments.all():
        url = _assessment_url(assessment, person)
        events.append(Event(assessment.start_date, "Single assessment started", "", url))
        if assessment.authorised_on:
            events.append(Event(assessment.authorised_on, "Single assessment authorised",
                                f"Outcome: {assessment.get_outcome_display()}. By {assessment.authorised_by}", url))
    for discussion in episode.strategy_discussions.all():
        events.append(Event(discussion.date, discussion.get_kind_display(), discussion.get_decision_display(),
                            _url("strategy_discussion", person, strategy_discussion_id=discussion.pk)))
    for enquiry in episode.section47_enquiries.all():
        if enquiry.outcome_date:
            events.append(Event(enquiry.outcome_date, "Section 47 enquiry outcome", enquiry.get_outcome_display(),
                                _url("enquiry", person, enquiry_id=enquiry.pk)))
    for conference in episode.conferences.all():
        events.append(Event(conference.date, conference.get_kind_display(),
                            conference.get_decision_display() if conference.decision else ""))
    for plan in episode.plans.all():
        events.append(Event(plan.start_date, f"{plan.get_kind_display()} started"))
        if plan.end_date:
            events.append(Event(plan.end_date, f"{plan.get_kind_display()} ended"))
    for visit in episode.visits.all():
        events.append(Event(visit.date, visit.get_kind_display(),
                            f"Child {'seen' if visit.child_seen else 'not seen'}. By {visit.worker}"))
    for note in episode.case_notes.all():
        events.append(Event(note.date, f"Case note: {note.subject}", "", _url("case_note", person,
                                                                               case_note_id=note.pk),
                            significant=note.significant))
    for transfer in episode.early_help_transfers.all():
        events.append(Event(transfer.date, transfer.get_direction_display(), transfer.early_help_provider,
                            _url("early_help_transfer", person, early_help_transfer_id=transfer.pk)))
    if episode.closure_proposed_on:
        events.append(Event(episode.closure_proposed_on, "Closure proposed",
                            f"{episode.get_closure_reason_display()} ({episode.closure_reason}). "
                            f"By {episode.closure_proposed_by}"))
    if episode.closure_date:
        events.append(Event(episode.closure_date, "Case closed", f"Signed off by {episode.closure_signed_off_by}"))
    return sorted(events, key=lambda event: event.date)


@dataclass
class NextStep:
    text: str
    url: str = ""
    who: str = ""


def next_step(episode: Episode, person: Person) -> NextStep | None:
    """The next thing to do in the episode, from what is recorded (the lists are already loaded)."""
    if not episode.is_open:
        return None
    ep = {"episode_id": episode.pk}
    if episode.closure_proposed_on:
        return NextStep("A manager signs off the closure", _url("sign_off_closure", person, **ep),
                        f"Proposed by {episode.closure_proposed_by}")
    if episode.referral_nfa is None:
        return NextStep("Record the referral decision", _url("referral_decision", person, **ep))
    if episode.referral_nfa:
        return NextStep("Close the case: the referral led to no further action", _url("propose_closure", person, **ep))
    for enquiry in episode.section47_enquiries.all():
        if not enquiry.outcome:
            return NextStep("Record the outcome of the section 47 enquiry",
                            _url("enquiry_outcome", person, enquiry_id=enquiry.pk))
    assessments = list(episode.assessments.all())
    if not assessments:
        return NextStep("Start the single assessment", _url("start_assessment", person, **ep))
    latest = assessments[0]
    if not latest.submitted_on:
        return NextStep("Complete the single assessment and submit it for authorisation",
                        _assessment_url(latest, person))
    if not latest.authorised_on:
        return NextStep("A manager authorises the assessment", _url("authorise_assessment", person,
                                                                    assessment_id=latest.pk))
    if latest.outcome == Assessment.Outcome.EARLY_HELP:
        return NextStep("Step down to early help", _url("step_down", person, **ep))
    if latest.outcome == Assessment.Outcome.NO_FURTHER_ACTION:
        return NextStep("Close the case", _url("propose_closure", person, **ep))
    if latest.outcome == Assessment.Outcome.STRATEGY_DISCUSSION and not any(
            d.date >= latest.start_date for d in episode.strategy_discussions.all()):
        return NextStep("Record the strategy discussion", _url("record_strategy_discussion", person, **ep))
    return None


def _enquiry_rows(episode: Episode, person: Person, request) -> list[dict]:
    calendar = working_calendar(request)
    held = {c.enquiry_id: c for c in episode.conferences.all() if c.kind == Conference.Kind.INITIAL}
    return [{"enquiry": enquiry, "url": _url("enquiry", person, enquiry_id=enquiry.pk),
             "icpc_due": clocks.due_date(clocks.INITIAL_CONFERENCE, enquiry.strategy_discussion.date, calendar)
             if services.icpc_due(enquiry) else None,
             "conference": held.get(enquiry.pk)}
            for enquiry in episode.section47_enquiries.all()]


@record_view("GET")
def episode_page(request, person: Person, episode_id: int):
    episode = _load_episode(person, episode_id)
    return _page(request, "episode.html", person, episode=episode, events=_episode_events(episode, person),
                 next_step=next_step(episode, person), enquiries=_enquiry_rows(episode, person, request),
                 assessment_in_progress=any(not a.authorised_on for a in episode.assessments.all()),
                 may_sign_off=permissions.may_return_closure(request.user),
                 returned_html=_returned_html(ReturnedWork.Kind.CLOSURE, episode.pk),
                 page_title=f"Episode from {presenters.govuk_date(episode.referral_date)}")


# The single assessment ----------------------------------------------------------------------------------


@record_view("GET", "POST", edit=True)
def start_assessment(request, person: Person, episode_id: int):
    episode = _episode(person, episode_id)
    form = forms.StartAssessmentForm(request.POST or None)

    def save(data):
        return services.start_assessment(actor=request.user, request=request, episode=episode, **data)

    assessment = save_or_show(request, form, save)
    if assessment:
        return redirect(_assessment_url(assessment, person))
    return _form_page(request, person, form, title="Start the single assessment", submit="Start the assessment",
                      back=_episode_url(episode))


def _shown(assessment: Assessment, name: str) -> str:
    """A recorded answer as the page shows it; empty when nothing is recorded."""
    value = getattr(assessment, name)
    if name in ("outcome", "heard_how"):
        return getattr(assessment, f"get_{name}_display")() if value else ""
    if value is True or value is False:
        return "Yes" if value else "No"
    if hasattr(value, "isoformat"):
        return presenters.govuk_date(value)
    return "" if value is None else str(value)


def _readout(assessment: Assessment) -> list[tuple[services.Section, list[tuple[str, str]]]]:
    """Each section's questions and answers, for reading the assessment (the manager before authorising)."""
    return [(section, [(str(forms.SECTION_FORMS[section.key].base_fields[name].label), _shown(assessment, name))
                       for name in section.fields])
            for section in services.SECTIONS]


def _section_statuses(assessment: Assessment, adults, factors) -> dict[str, bool]:
    missing = {section.key for section in services.missing_sections(assessment, adults, factors)}
    return {section.key: section.key not in missing for section in services.SECTIONS}


@record_view("GET")
def assessment_page(request, person: Person, assessment_id: int):
    assessment = _assessment(person, assessment_id)
    adults = list(assessment.adults.select_related("person").order_by("pk"))
    factors = list(assessment.factors.values_list("code", flat=True).order_by("code"))
    editable = policy.can_edit(request.user, person) and not assessment.submitted_on and assessment.episode.is_open
    return _page(request, "assessment.html", person, assessment=assessment, adults=adults,
                 factors=[(code, codes.ASSESSMENT_FACTORS.get(code, code)) for code in factors],
                 sections=services.SECTIONS, complete=_section_statuses(assessment, adults, factors),
                 warnings=services.parent_warnings(assessment, adults), editable=editable,
                 readout=_readout(assessment),
                 young=services.child_is_under(person, services.OBSERVATIONS_ENOUGH_UNDER_AGE, assessment.start_date),
                 may_authorise=permissions.may_authorise_assessment(request.user),
                 returned_html=_returned_html(ReturnedWork.Kind.ASSESSMENT, assessment.pk),
                 page_title=f"Single assessment started {presenters.govuk_date(assessment.start_date)}")


SECTION_PAGES = {"start": ("Date the assessment started", forms.StartAssessmentForm),
                 **{key: (services.SECTIONS_BY_KEY[key].title, form) for key, form in forms.SECTION_FORMS.items()}}


def _section_view(section: str):
    """One page per section, each its own view so its URL has no argument but the ids."""
    def view(request, person: Person, assessment_id: int):
        return assessment_section(request, person, assessment_id, section)

    view.__name__ = view.__qualname__ = f"assessment_{section}"
    return record_view("GET", "POST", edit=True)(view)


def assessment_section(request, person: Person, assessment_id: int, section: str):
    assessment = _assessment(person, assessment_id)
    title, form_class = SECTION_PAGES[section]
    initial = _for_form(assessment, [name for name in form_class.base_fields if name != "factors"])
    if "factors" in form_class.base_fields:
        initial["factors"] = list(assessment.factors.values_list("code", flat=True))
    form = form_class(request.POST or None, initial=initial)
    if save_or_show(request, form, lambda data: services.update_assessment(
            actor=request.user, request=request, assessment=assessment, **data), record=assessment):
        return redirect(_assessment_url(assessment, person))
    intro = ""
    if section == "views" and services.child_is_under(person, services.OBSERVATIONS_ENOUGH_UNDER_AGE,
                                                       assessment.start_date):
        intro = (f"{person.first_name} was under 2 when the assessment started: your observations of them will do "
                 f"if they cannot tell you their views.")
    return _form_page(request, person, form, title=title, submit="Save and return to the assessment",
                      back=_assessment_url(assessment, person), intro=intro)


def _related_adults(child: Person) -> list[dict]:
    """Adults recorded in the child's relationships, with who they are to the child."""
    links = (Relationship.objects.filter(Q(relative=child) | Q(person=child)).select_related("person", "relative")
             .order_by("pk"))
    adults = {}
    for link in links:
        other = link.person if link.relative_id == child.pk else link.relative
        if other.kind != Person.Kind.ADULT or other.pk in adults:
            continue
        if other is link.person and link.kind in services.PARENT_KINDS:
            role = services.parent_word(other, link.kind)
        else:
            role = link.get_kind_display().lower()
        adults[other.pk] = {"person": other, "role": role}
    return list(adults.values())


@record_view("GET", "POST", edit=True)
def assessment_adults(request, person: Person, assessment_id: int):
    assessment = _assessment(person, assessment_id)
    adults = list(assessment.adults.select_related("person").order_by("pk"))
    listed = {adult.person_id for adult in adults}
    related = [row for row in _related_adults(person) if row["person"].pk not in listed]
    viewable = set(policy.viewable_people(request.user, Person.objects.filter(
        pk__in=[row["person"].pk for row in related])).values_list("pk", flat=True)) if related else set()
    query = request.GET.get("q", "")
    found = []
    if query.strip():
        found = [result.person for result in search_people(actor=request.user, request=request,
                                                           criteria=Criteria(name=query)).results
                 if result.person.pk != person.pk and result.person.pk not in listed]
    return _page(request, "assessment_adults.html", person, assessment=assessment, adults=adults,
                 related=[row for row in related if row["person"].pk in viewable], query=query, found=found,
                 warnings=services.parent_warnings(assessment, adults),
                 page_title=services.SECTIONS_BY_KEY["adults"].title)


@record_view("GET", "POST", edit=True)
def record_assessment_adult(request, person: Person, assessment_id: int):
    assessment = _assessment(person, assessment_id)
    chosen_id = request.GET.get("person") or request.POST.get("person") or ""
    chosen = policy.viewable_people(request.user, Person.objects.filter(
        pk=int(chosen_id) if chosen_id.isdigit() else 0, merged_into__isnull=True)).first()
    if chosen is None or chosen.pk == person.pk:
        raise Http404("No such person")
    existing = assessment.adults.filter(person=chosen).first()
    suggested = next((row["role"] for row in _related_adults(person) if row["person"].pk == chosen.pk), "")
    initial = (_for_form(existing, ("role", "seen", "seen_on", "not_seen_reason")) if existing
               else {"role": suggested})
    form = forms.AssessmentAdultForm(request.POST or None, initial=initial)
    if save_or_show(request, form, lambda data: services.record_assessment_adult(
            actor=request.user, request=request, assessment=assessment, person=chosen, **data), record=existing):
        return redirect(_url("assessment_adults", person, assessment_id=assessment.pk))
    return _form_page(request, person, form, title=f"{chosen.full_name} in the assessment", submit="Save",
                      back=_url("assessment_adults", person, assessment_id=assessment.pk),
                      hidden={"person": chosen.pk})


@record_view("GET", "POST", edit=True)
def remove_assessment_adult(request, person: Person, assessment_id: int):
    assessment = _assessment(person, assessment_id)
    if request.method != "POST":
        return redirect(_url("assessment_adults", person, assessment_id=assessment.pk))
    adult_id = request.POST.get("adult", "")
    adult = get_object_or_404(AssessmentAdult, pk=int(adult_id) if adult_id.isdigit() else 0, assessment=assessment)
    form = Form(request.POST)  # a button: no fields, but a refusal still comes back on the form
    if not save_or_show(request, form, lambda data: services.remove_assessment_adult(
            actor=request.user, request=request, adult=adult)):
        messages.error(request, " ".join(form.non_field_errors()))
    return redirect(_url("assessment_adults", person, assessment_id=assessment.pk))


@record_view("GET", "POST", edit=True)
def submit_assessment(request, person: Person, assessment_id: int):
    assessment = _assessment(person, assessment_id)
    form = forms.SubmitAssessmentForm(request.POST or None)
    returned = _returned_html(ReturnedWork.Kind.ASSESSMENT, assessment.pk)
    if not returned:
        form.fields["answer"].label = "Anything the manager should know (optional)"
    if save_or_show(request, form, lambda data: services.submit_assessment(
            actor=request.user, request=request, assessment=assessment, answer=data["answer"])):
        messages.success(request, "The assessment has been sent to a manager to authorise")
        return redirect(_assessment_url(assessment, person))
    adults = list(assessment.adults.all())
    missing = services.missing_sections(assessment, adults, list(assessment.factors.values_list("code", flat=True)))
    return _form_page(request, person, form, title="Submit the assessment for authorisation",
                      submit="Submit for authorisation", back=_assessment_url(assessment, person),
                      missing=[section.title for section in missing], returned_html=returned,
                      intro="A manager will read the assessment and authorise it. You cannot change it while it is "
                            "waiting for them, unless they return it to you.")


@record_view("GET", "POST", edit=True)
def authorise_assessment(request, person: Person, assessment_id: int):
    assessment = _assessment(person, assessment_id)
    form = forms.AuthoriseForm(request.POST or None, initial={"authorised_on": timezone.localdate()})
    if save_or_show(request, form, lambda data: services.authorise_assessment(
            actor=request.user, request=request, assessment=assessment, **data)):
        messages.success(request, "The assessment is authorised")
        return redirect(_assessment_url(assessment, person))
    return _form_page(request, person, form, title="Authorise the assessment", submit="Authorise",
                      back=_assessment_url(assessment, person),
                      intro="Only a team manager, service manager or head of service can authorise an assessment.")


@record_view("GET", "POST", edit=True)
def return_assessment(request, person: Person, assessment_id: int):
    assessment = _assessment(person, assessment_id)
    form = forms.ReasonForm(request.POST or None)
    if save_or_show(request, form, lambda data: services.return_assessment(
            actor=request.user, request=request, assessment=assessment, **data)):
        messages.success(request, "The assessment has been returned to the worker")
        return redirect(_assessment_url(assessment, person))
    return _form_page(request, person, form, title="Return the assessment for changes", submit="Return it",
                      back=_assessment_url(assessment, person))


# Strategy discussions and section 47 enquiries ----------------------------------------------------------


@record_view("GET", "POST", edit=True)
def record_strategy_discussion(request, person: Person, episode_id: int):
    episode = _episode(person, episode_id)
    form = forms.StrategyDiscussionForm(request.POST or None, initial={"kind": StrategyDiscussion.Kind.DISCUSSION})

    def save(data):
        return services.record_strategy_discussion(
            actor=request.user, request=request, episode=episode, participants=form.participants(),
            **{name: data[name] for name in ("kind", "date", "chaired_by", "reason", "decision",
                                             "decision_rationale")})

    discussion = save_or_show(request, form, save)
    if discussion:
        return redirect(_url("strategy_discussion", person, strategy_discussion_id=discussion.pk))
    return _page(request, "strategy_form.html", person, form=form, back_url=_episode_url(episode),
                 page_title="Record a strategy discussion")


@record_view("GET")
def strategy_discussion(request, person: Person, strategy_discussion_id: int):
    discussion = _discussion(person, strategy_discussion_id)
    participants = list(discussion.participants.order_by("pk"))
    enquiry = Section47Enquiry.objects.filter(strategy_discussion=discussion).first()
    return _page(request, "strategy_discussion.html", person, discussion=discussion, participants=participants,
                 actions=list(discussion.agreed_actions.order_by("due_date", "pk")), enquiry=enquiry,
                 today=timezone.localdate(),
                 episode_url=_episode_url(discussion.episode),
                 page_title=f"{discussion.get_kind_display()} on {presenters.govuk_date(discussion.date)}")


@record_view("GET", "POST", edit=True)
def add_strategy_participant(request, person: Person, strategy_discussion_id: int):
    discussion = _discussion(person, strategy_discussion_id)
    form = forms.ParticipantForm(request.POST or None)
    back = _url("strategy_discussion", person, strategy_discussion_id=discussion.pk)
    if save_or_show(request, form, lambda data: services.add_strategy_participant(
            actor=request.user, request=request, discussion=discussion, **data)):
        return redirect(back)
    return _form_page(request, person, form, title="Add an agency to the strategy discussion", submit="Add",
                      back=back)


@record_view("GET", "POST", edit=True)
def add_strategy_action(request, person: Person, strategy_discussion_id: int):
    discussion = _discussion(person, strategy_discussion_id)
    form = forms.StrategyActionForm(request.POST or None)
    back = _url("strategy_discussion", person, strategy_discussion_id=discussion.pk)
    if save_or_show(request, form, lambda data: services.add_strategy_action(
            actor=request.user, request=request, discussion=discussion, **data)):
        return redirect(back)
    return _form_page(request, person, form, title="Add an action", submit="Add the action", back=back)


def _agreed_action(person: Person, agreed_action_id: int) -> AgreedAction:
    """An action agreed at one of this child's strategy discussions or core groups."""
    return get_object_or_404(
        AgreedAction.objects.select_related("strategy_discussion__episode__child", "core_group__plan__child"),
        Q(strategy_discussion__episode__child=person) | Q(core_group__plan__child=person), pk=agreed_action_id)


def _agreed_action_back(action: AgreedAction, person: Person) -> str:
    """Where the action is listed: its strategy discussion, or the core groups on its plan."""
    if action.strategy_discussion_id:
        return _url("strategy_discussion", person, strategy_discussion_id=action.strategy_discussion_id)
    return reverse("casework:plan", kwargs={"person_id": person.pk, "plan_id": action.core_group.plan_id})


@record_view("GET", "POST", edit=True)
def agreed_action_done(request, person: Person, agreed_action_id: int):
    """Mark an agreed action done, or (once done) reopen it. A hidden 'reopen' field says which was asked, so a
    second click on a stale page is refused rather than doing the opposite."""
    action = _agreed_action(person, agreed_action_id)
    back = _agreed_action_back(action, person)
    what = f"{action.description} (for {action.owner}, due {presenters.govuk_date(action.due_date)})"
    reopening = bool(request.POST.get("reopen")) if request.method == "POST" else bool(action.completed_on)
    if reopening:
        form = Form(request.POST or None)
        if save_or_show(request, form, lambda data: services.reopen_agreed_action(
                actor=request.user, request=request, child=person, action=action)):
            messages.success(request, "The action has been reopened")
            return redirect(back)
        done = f" was marked done on {presenters.govuk_date(action.completed_on)}" if action.completed_on else ""
        return _form_page(request, person, form, title="Reopen the action", submit="Reopen the action", back=back,
                          hidden={"reopen": "yes"}, intro=f"{what}{done}. Reopen it if it still needs doing.")
    form = forms.AgreedActionDoneForm(request.POST or None, initial={"completed_on": timezone.localdate()})
    if save_or_show(request, form, lambda data: services.complete_agreed_action(
            actor=request.user, request=request, child=person, action=action, **data)):
        messages.success(request, "The action is marked as done")
        return redirect(back)
    return _form_page(request, person, form, title="Mark the action as done", submit="Mark as done", back=back,
                      intro=what)


@record_view("GET")
def enquiry(request, person: Person, enquiry_id: int):
    found = _enquiry(person, enquiry_id)
    conferences = list(found.conferences.order_by("date", "pk"))
    return _page(request, "enquiry.html", person, enquiry=found, conferences=conferences,
                 icpc_due=services.icpc_due_date(found, request) if services.icpc_due(found) else None,
                 rule=clocks.INITIAL_CONFERENCE, episode_url=_episode_url(found.episode),
                 page_title=f"Section 47 enquiry from {presenters.govuk_date(found.start_date)}")


@record_view("GET", "POST", edit=True)
def enquiry_outcome(request, person: Person, enquiry_id: int):
    found = _enquiry(person, enquiry_id)
    names = ("outcome", "outcome_date", "outcome_rationale", "icpc_not_required", "icpc_not_required_reason")
    form = forms.Section47OutcomeForm(request.POST or None, initial=_for_form(found, names))
    back = _url("enquiry", person, enquiry_id=found.pk)
    if save_or_show(request, form, lambda data: services.record_section47_outcome(
            actor=request.user, request=request, enquiry=found, **data), record=found):
        return redirect(back)
    return _form_page(request, person, form, title="Outcome of the section 47 enquiry", submit="Save the outcome",
                      back=back)


# Case notes ---------------------------------------------------------------------------------------------


@record_view("GET")
def case_notes(request, person: Person):
    notes = list(CaseNote.objects.filter(child=person).select_related("recorded_by", "episode"))
    return _page(request, "case_notes.html", person, notes=notes, page_title=f"Case notes: {person.full_name}")


@record_view("GET", "POST", edit=True)
def add_case_note(request, person: Person):
    form = forms.CaseNoteForm(request.POST or None, initial={"date": timezone.localdate()})
    saved = {}
    if save_or_show(request, form, lambda data: saved.setdefault("note", services.record_case_note(
            actor=request.user, request=request, child=person, **data))):
        messages.success(request, f"The case note ‘{saved['note'].subject}’ is saved")
        return redirect(_url("case_notes", person))
    return _form_page(request, person, form, title="Add a case note", submit="Save the note",
                      back=_url("case_notes", person))


def _case_note(person: Person, case_note_id: int) -> CaseNote:
    return get_object_or_404(CaseNote.objects.select_related("recorded_by", "episode", "child"), pk=case_note_id,
                             child=person)


@record_view("GET")
def case_note(request, person: Person, case_note_id: int):
    note = _case_note(person, case_note_id)
    # The latest change after the note was written (simple-history lists the newest first).
    last_change = note.history.filter(history_type="~").select_related("history_user").first()
    return _page(request, "case_note.html", person, note=note, last_change=last_change, page_title=note.subject)


@record_view("GET", "POST", edit=True)
def change_case_note(request, person: Person, case_note_id: int):
    note = _case_note(person, case_note_id)
    back = _url("case_note", person, case_note_id=note.pk)
    form = forms.CaseNoteForm(request.POST or None, initial=_for_form(note, services.CASE_NOTE_FIELDS))
    if save_or_show(request, form, lambda data: services.change_case_note(
            actor=request.user, request=request, note=note, **data), record=note):
        messages.success(request, "The case note has been changed. The earlier version is kept in its history")
        return redirect(back)
    return _form_page(request, person, form, title="Change the case note", submit="Save changes", back=back)


# Early help and closure ---------------------------------------------------------------------------------


@record_view("GET")
def early_help_transfer(request, person: Person, early_help_transfer_id: int):
    transfer = get_object_or_404(EarlyHelpTransfer.objects.select_related("recorded_by", "episode"),
                                 pk=early_help_transfer_id, child=person)
    return _page(request, "early_help_transfer.html", person, transfer=transfer,
                 page_title=transfer.get_direction_display())


@record_view("GET", "POST", edit=True)
def record_step_down(request, person: Person):
    form = forms.PlainStepDownForm(request.POST or None)
    if save_or_show(request, form, lambda data: services.record_step_down(
            actor=request.user, request=request, child=person, **data)):
        return redirect(_url("episodes", person))
    return _form_page(request, person, form, title="Record a step-down to early help", submit="Record the step-down",
                      back=_url("episodes", person),
                      intro=f"For a child with no open episode. To close {person.first_name}’s open episode and step "
                            f"down together, use ‘Step down to early help’ on the episode.")


@record_view("GET", "POST", edit=True)
def propose_closure(request, person: Person, episode_id: int):
    episode = _episode(person, episode_id)
    form, returned = _closure_form(forms.ClosureForm, request, episode)
    if save_or_show(request, form, lambda data: services.propose_closure(
            actor=request.user, request=request, episode=episode, **data)):
        messages.success(request, "The closure has been sent to a manager to sign off")
        return redirect(_episode_url(episode))
    return _form_page(request, person, form, title="Close the case", submit="Send to a manager to sign off",
                      back=_episode_url(episode), returned_html=returned,
                      intro="The case stays open until a manager who is not you signs off the closure.")


def _closure_form(form_class, request, episode: Episode):
    """A closure form, asking for an answer only when a manager returned the last proposal, with their comment."""
    form = form_class(request.POST or None)
    returned = _returned_html(ReturnedWork.Kind.CLOSURE, episode.pk)
    if not returned:
        del form.fields["answer"]
    return form, returned


@record_view("GET", "POST", edit=True)
def step_down(request, person: Person, episode_id: int):
    episode = _episode(person, episode_id)
    form, returned = _closure_form(forms.StepDownForm, request, episode)
    if save_or_show(request, form, lambda data: services.step_down_to_early_help(
            actor=request.user, request=request, episode=episode, **data)):
        messages.success(request, "The step-down is recorded and the closure has been sent to a manager to sign off")
        return redirect(_episode_url(episode))
    return _form_page(request, person, form, title="Step down to early help", submit="Step down and close the case",
                      back=_episode_url(episode), returned_html=returned,
                      intro="This records the step-down and closes the case to early help (RC9) once a manager "
                            "signs it off.")


@record_view("GET", "POST", edit=True)
def sign_off_closure(request, person: Person, episode_id: int):
    episode = _episode(person, episode_id)
    if not episode.closure_proposed_on:
        messages.info(request, "No closure is waiting for sign-off in this episode")
        return redirect(_episode_url(episode))
    form = forms.SignOffForm(request.POST or None, initial={"signed_off_on": timezone.localdate()})
    if save_or_show(request, form, lambda data: services.sign_off_closure(
            actor=request.user, request=request, episode=episode, **data)):
        messages.success(request, "The closure is signed off and the case is closed")
        return redirect(_episode_url(episode))
    return _form_page(request, person, form, title="Sign off the closure", submit="Sign off and close the case",
                      back=_episode_url(episode), closure=episode,
                      intro="Only a manager who did not propose the closure can sign it off.")


@record_view("GET", "POST", edit=True)
def return_closure(request, person: Person, episode_id: int):
    episode = _episode(person, episode_id)
    if not episode.closure_proposed_on:
        messages.info(request, "No closure is waiting for sign-off in this episode")
        return redirect(_episode_url(episode))
    form = forms.ReasonForm(request.POST or None)
    if save_or_show(request, form, lambda data: services.return_closure(
            actor=request.user, request=request, episode=episode, **data)):
        messages.success(request, "The closure has been returned: the case stays open")
        return redirect(_episode_url(episode))
    return _form_page(request, person, form, title="Return the closure", submit="Return it",
                      back=_episode_url(episode), closure=episode)


P = "people/<int:person_id>/"
urlpatterns = [
    path(P + "episodes/", episode_list, name="episodes"),
    path(P + "episodes/new/", record_referral, name="record_referral"),
    path(P + "episodes/step-up/", step_up, name="step_up"),
    path(P + "episodes/<int:episode_id>/", episode_page, name="episode"),
    path(P + "episodes/<int:episode_id>/referral/", change_referral, name="change_referral"),
    path(P + "episodes/<int:episode_id>/decision/", referral_decision, name="referral_decision"),
    path(P + "episodes/<int:episode_id>/assessments/new/", start_assessment, name="start_assessment"),
    path(P + "episodes/<int:episode_id>/strategy-discussions/new/", record_strategy_discussion,
         name="record_strategy_discussion"),
    path(P + "episodes/<int:episode_id>/close/", propose_closure, name="propose_closure"),
    path(P + "episodes/<int:episode_id>/step-down/", step_down, name="step_down"),
    path(P + "episodes/<int:episode_id>/closure/sign-off/", sign_off_closure, name="sign_off_closure"),
    path(P + "episodes/<int:episode_id>/closure/return/", return_closure, name="return_closure"),
    path(P + "assessments/<int:assessment_id>/", assessment_page, name="assessment"),
    *(path(P + f"assessments/<int:assessment_id>/{key}/", _section_view(key), name=f"assessment_{key}")
      for key in SECTION_PAGES),
    path(P + "assessments/<int:assessment_id>/adults/", assessment_adults, name="assessment_adults"),
    path(P + "assessments/<int:assessment_id>/adults/record/", record_assessment_adult,
         name="record_assessment_adult"),
    path(P + "assessments/<int:assessment_id>/adults/remove/", remove_assessment_adult,
         name="remove_assessment_adult"),
    path(P + "assessments/<int:assessment_id>/submit/", submit_assessment, name="submit_assessment"),
    path(P + "assessments/<int:assessment_id>/authorise/", authorise_assessment, name="authorise_assessment"),
    path(P + "assessments/<int:assessment_id>/return/", return_assessment, name="return_assessment"),
    path(P + "strategy-discussions/<int:strategy_discussion_id>/", strategy_discussion, name="strategy_discussion"),
    path(P + "strategy-discussions/<int:strategy_discussion_id>/agencies/new/", add_strategy_participant,
         name="add_strategy_participant"),
    path(P + "strategy-discussions/<int:strategy_discussion_id>/actions/new/", add_strategy_action,
         name="add_strategy_action"),
    path(P + "section-47-enquiries/<int:enquiry_id>/", enquiry, name="enquiry"),
    path(P + "section-47-enquiries/<int:enquiry_id>/outcome/", enquiry_outcome, name="enquiry_outcome"),
    path(P + "case-notes/", case_notes, name="case_notes"),
    path(P + "case-notes/new/", add_case_note, name="add_case_note"),
    path(P + "case-notes/<int:case_note_id>/", case_note, name="case_note"),
    path(P + "case-notes/<int:case_note_id>/change/", change_case_note, name="change_case_note"),
    path(P + "agreed-actions/<int:agreed_action_id>/done/", agreed_action_done, name="agreed_action_done"),
    path(P + "early-help/step-down/", record_step_down, name="record_step_down"),
    path(P + "early-help/<int:early_help_transfer_id>/", early_help_transfer, name="early_help_transfer"),
]

