"""A person's chronology: every event recorded about them, newest first, with the workers' analysis.

The chronology is derived, never stored. Each provider reads one kind of record and yields events; the
only thing kept is what workers add (casework.ChronologyNote: whether an event is significant, and their
analysis), keyed by the event's stable key such as "visit:42". A provider runs one query however long
the history is, so a child with ten years of history opens as quickly as a new one.

The kept record's chronology includes the records merged into it (ADR 0006): both histories, one list.
Later work adds providers with `@provider`, without touching the page.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from casefile.access import policy
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.casework import models as cw
from casefile.core import presenters
from casefile.people.models import Address, HouseholdMember, Merge, Person, Relationship

# Event types: what the filter offers, in the order it offers them.
EVENT_TYPES: dict[str, str] = {
    "front_door": "Front door: contacts, threshold decisions and police notifications",
    "referral": "Referrals and referral decisions",
    "assessment": "Assessments",
    "strategy": "Strategy discussions",
    "section47": "Section 47 enquiries",
    "conference": "Child protection conferences",
    "plan": "Plans and plan reviews",
    "core_group": "Core groups",
    "visit": "Visits",
    "case_note": "Case notes",
    "early_help": "Step-up and step-down (early help)",
    "closure": "Case closures",
    "allocation": "Allocations",
    "record": "Personal details: addresses, relationships, households and merges",
}
OTHER = "other"
ANALYSIS_MAX_LENGTH = 10_000
EXCERPT_LENGTH = 160


@dataclass(frozen=True)
class ChronologyEvent:
    when: datetime.date | datetime.datetime
    title: str
    description: str = ""
    by: str = ""
    key: str = ""  # stable across rebuilds: "visit:42". Workers' notes hang on it.
    type: str = OTHER  # a key of EVENT_TYPES
    url: str = ""  # the record the event comes from
    significant: bool = False  # the default for this kind of event; a worker's note may override it
    from_record: str = ""  # set for events of a record merged into this one
    step: int = 0  # orders events on the same day: a decision (1) comes after the referral it decides (0)

    @property
    def sort_key(self) -> datetime.datetime:
        if isinstance(self.when, datetime.datetime):
            return timezone.localtime(self.when).replace(tzinfo=None)
        return datetime.datetime.combine(self.when, datetime.time.min)

    @property
    def date(self) -> datetime.date:
        return self.sort_key.date()

    @property
    def when_text(self) -> str:
        if isinstance(self.when, datetime.datetime):
            return presenters.govuk_datetime(self.when)
        return presenters.govuk_date(self.when)

    @property
    def when_iso(self) -> str:
        return self.when.isoformat()

    @property
    def type_label(self) -> str:
        return EVENT_TYPES.get(self.type, "Other")

    @property
    def anchor(self) -> str:
        """An HTML id for the event's row, so a page can return to it."""
        return "event-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.key) if self.key else ""


# Whose records a chronology covers ---------------------------------------------------------------------

# Records merged into a record that was itself later merged: followed this many steps, in one query.
MERGE_DEPTH = 3


@dataclass
class Scope:
    """The person whose chronology it is, and the records merged into them (with their own histories)."""

    person: Person
    people: list[Person]

    @property
    def ids(self) -> list[int]:
        return [p.pk for p in self.people]

    def from_record(self, child_id: int) -> str:
        if child_id == self.person.pk:
            return ""
        other = next(p for p in self.people if p.pk == child_id)
        return f"{other.full_name} ({other.reference})"

    def link(self, child_id: int, *targets: tuple[str, dict]) -> str:
        """The first of `targets` (URL name, arguments); a merged record's events link to its history page
        instead, because casework pages open records through the child they belong to."""
        if child_id != self.person.pk:
            return reverse("people:merged_records", kwargs={"person_id": self.person.pk})
        if not targets:
            return ""
        name, kwargs = targets[0]
        return reverse(name, kwargs={"person_id": child_id, **kwargs})


def scope_for(person: Person) -> Scope:
    merged_chain = Q(pk=person.pk)
    path = "merged_into"
    for _ in range(MERGE_DEPTH):
        merged_chain |= Q(**{path: person})
        path += "__merged_into"
    people = list(Person.objects.filter(merged_chain).select_related("created_by").order_by("pk"))
    people.sort(key=lambda p: p.pk != person.pk)  # the person first
    if not people or people[0].pk != person.pk:
        people.insert(0, person)
    return Scope(person, people)


# Providers ---------------------------------------------------------------------------------------------

Provider = Callable[[Scope], Iterable[ChronologyEvent]]
PROVIDERS: list[Provider] = []


def provider(function: Provider) -> Provider:
    PROVIDERS.append(function)
    return function


def _events(scope: Scope) -> list[ChronologyEvent]:
    events = [event for source in PROVIDERS for event in source(scope)]
    return sorted(events, key=lambda event: (event.sort_key, event.step), reverse=True)


def chronology(person: Person) -> list[ChronologyEvent]:
    """Every event recorded about the person and the records merged into them, newest first."""
    return _events(scope_for(person))


def _name(user) -> str:
    return str(user) if user else ""


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """The start of a long text on one line, cut at a word."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _sentences(*parts: str) -> str:
    """Parts joined into sentences, each ending with a full stop (or the mark it already has)."""
    return " ".join(part if part.endswith((".", "!", "?", "…", "”")) else f"{part}." for part in parts if part)


def _event(scope: Scope, child_id: int, **values) -> ChronologyEvent:
    return ChronologyEvent(from_record=scope.from_record(child_id), **values)


@provider
def person_created(scope: Scope) -> Iterable[ChronologyEvent]:
    for person in scope.people:
        yield _event(scope, person.pk, when=person.created_at, title="Record created", by=_name(person.created_by),
                     key=f"person:{person.pk}", type="record")


@provider
def addresses(scope: Scope) -> Iterable[ChronologyEvent]:
    for address in Address.objects.filter(person_id__in=scope.ids):
        common = {"description": str(address), "type": "record"}
        if address.start_date:
            yield _event(scope, address.person_id, when=address.start_date, title="Moved to a new address",
                         key=f"address:{address.pk}", **common)
        if address.end_date:
            yield _event(scope, address.person_id, when=address.end_date, title="Moved out of an address",
                         key=f"address-end:{address.pk}", **common)


def _recorded_on(model, ids: list[int]) -> dict[int, datetime.datetime]:
    """When each row was first saved, from its history, for rows with no date of their own."""
    rows = model.history.filter(id__in=ids, history_type="+").values_list("id", "history_date")
    return dict(rows)


@provider
def relationships(scope: Scope) -> Iterable[ChronologyEvent]:
    ids = scope.ids
    links = list(
        Relationship.objects.filter(Q(person_id__in=ids) | Q(relative_id__in=ids)).select_related("person", "relative")
    )
    recorded = _recorded_on(Relationship, [link.pk for link in links if not link.start_date])
    for link in links:
        owner = link.person_id if link.person_id in ids else link.relative_id
        when = link.start_date or recorded.get(link.pk)
        if when is not None:
            yield _event(scope, owner, when=when, title="Relationship recorded", description=str(link),
                         key=f"relationship:{link.pk}", type="record")
        if link.end_date:
            yield _event(scope, owner, when=link.end_date, title="Relationship ended", description=str(link),
                         key=f"relationship-end:{link.pk}", type="record")


@provider
def households(scope: Scope) -> Iterable[ChronologyEvent]:
    for membership in HouseholdMember.objects.filter(person_id__in=scope.ids).select_related("household"):
        common = {"description": membership.household.name, "type": "record"}
        if membership.start_date:
            yield _event(scope, membership.person_id, when=membership.start_date, title="Joined a household",
                         key=f"household:{membership.pk}", **common)
        if membership.end_date:
            yield _event(scope, membership.person_id, when=membership.end_date, title="Left a household",
                         key=f"household-end:{membership.pk}", **common)


@provider
def allocations(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = cw.Allocation.objects.filter(child_id__in=scope.ids).select_related("worker", "team", "allocated_by")
    for allocation in rows:
        yield _event(scope, allocation.child_id, when=allocation.start_date,
                     title=f"Allocated to {allocation.worker} ({allocation.team})",
                     description=excerpt(allocation.reason), by=_name(allocation.allocated_by),
                     key=f"allocation:{allocation.pk}", type="allocation")
        if allocation.end_date:
            yield _event(scope, allocation.child_id, when=allocation.end_date,
                         title=f"Allocation to {allocation.worker} ended", key=f"allocation-end:{allocation.pk}",
                         type="allocation", step=-1)


def _episode_link(scope: Scope, child_id: int, episode_id: int | None, *targets: tuple[str, dict]) -> str:
    """A record's own page if it has one, else its episode's page."""
    if episode_id is not None:
        targets = (*targets, ("casework:episode", {"episode_id": episode_id}))
    return scope.link(child_id, *targets)


@provider
def episodes(scope: Scope) -> Iterable[ChronologyEvent]:
    """Referral received, the decision on it, and the closure of the case."""
    rows = cw.Episode.objects.filter(child_id__in=scope.ids).select_related(
        "recorded_by", "referral_decided_by", "closure_signed_off_by")
    for episode in rows:
        child, url = episode.child_id, _episode_link(scope, episode.child_id, episode.pk)
        referrer = f" ({episode.referrer_name})" if episode.referrer_name else ""
        yield _event(scope, child, when=episode.referral_date, title="Referral received",
                     description=_sentences(f"From {episode.get_referral_source_display()}{referrer}.",
                                            excerpt(episode.referral_summary)),
                     by=_name(episode.recorded_by), key=f"referral:{episode.pk}", type="referral", url=url,
                     significant=True)
        if episode.referral_decision_date:
            decision = "no further action" if episode.referral_nfa else "further work with the child and family"
            need = f"Primary need: {episode.get_primary_need_display()}." if episode.primary_need else ""
            yield _event(scope, child, when=episode.referral_decision_date, title=f"Referral decision: {decision}",
                         description=need, by=_name(episode.referral_decided_by),
                         key=f"referral-decision:{episode.pk}", type="referral", url=url, significant=True, step=1)
        if episode.closure_date:
            reason = f"Reason: {episode.get_closure_reason_display()}." if episode.closure_reason else ""
            yield _event(scope, child, when=episode.closure_date, title="Case closed",
                         description=_sentences(reason, excerpt(episode.closure_rationale)),
                         by=_name(episode.closure_signed_off_by or episode.recorded_by), key=f"closure:{episode.pk}",
                         type="closure", url=url, significant=True, step=3)


def _seen(seen: bool | None, alone: bool | None) -> str:
    if seen is False:
        return "The child was not seen."
    if seen is None:
        return "Whether the child was seen is not recorded."
    alone_text = {True: "The child was seen alone.", False: "The child was seen, not alone."}
    return alone_text.get(alone, "The child was seen.")


@provider
def assessments(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = cw.Assessment.objects.filter(episode__child_id__in=scope.ids).select_related(
        "episode", "recorded_by", "authorised_by")
    for assessment in rows:
        child = assessment.episode.child_id
        url = _episode_link(scope, child, assessment.episode_id,
                            ("casework:assessment", {"assessment_id": assessment.pk}))
        common = {"type": "assessment", "url": url}
        yield _event(scope, child, when=assessment.start_date, title="Assessment started",
                     by=_name(assessment.recorded_by), key=f"assessment:{assessment.pk}", **common)
        if assessment.child_seen and assessment.child_seen_on:
            yield _event(scope, child, when=assessment.child_seen_on, title="Child seen for the assessment",
                         description=_seen(True, assessment.child_seen_alone), by=_name(assessment.recorded_by),
                         key=f"assessment-seen:{assessment.pk}", step=1, **common)
        if assessment.authorised_on:
            outcome = f"Outcome: {assessment.get_outcome_display()}." if assessment.outcome else ""
            not_seen = _seen(False, None) if assessment.child_seen is False else ""
            yield _event(scope, child, when=assessment.authorised_on, title="Assessment completed and authorised",
                         description=_sentences(outcome, not_seen), by=_name(assessment.authorised_by),
                         key=f"assessment-authorised:{assessment.pk}", significant=True, step=2, **common)


@provider
def strategy_discussions(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = cw.StrategyDiscussion.objects.filter(episode__child_id__in=scope.ids).select_related(
        "episode", "chaired_by", "recorded_by")
    for discussion in rows:
        child = discussion.episode.child_id
        yield _event(scope, child, when=discussion.date, title=discussion.get_kind_display(),
                     description=_sentences(f"Decision: {discussion.get_decision_display()}.",
                                            f"Why it was held: {excerpt(discussion.reason)}",
                                            f"Chaired by {discussion.chaired_by}."),
                     by=_name(discussion.recorded_by), key=f"strategy:{discussion.pk}", type="strategy",
                     url=_episode_link(scope, child, discussion.episode_id,
                                       ("casework:strategy_discussion", {"strategy_discussion_id": discussion.pk})),
                     significant=True)


@provider
def section47_enquiries(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = cw.Section47Enquiry.objects.filter(episode__child_id__in=scope.ids).select_related(
        "episode", "strategy_discussion", "recorded_by")
    for enquiry in rows:
        child = enquiry.episode.child_id
        url = _episode_link(scope, child, enquiry.episode_id, ("casework:enquiry", {"enquiry_id": enquiry.pk}))
        common = {"by": _name(enquiry.recorded_by), "type": "section47", "url": url, "significant": True}
        yield _event(scope, child, when=enquiry.start_date, title="Section 47 enquiry started",
                     key=f"s47:{enquiry.pk}", step=1, **common)
        if enquiry.outcome and enquiry.outcome_date:
            yield _event(scope, child, when=enquiry.outcome_date, title="Section 47 enquiry outcome",
                         description=_sentences(f"{enquiry.get_outcome_display()}.",
                                                excerpt(enquiry.outcome_rationale)),
                         key=f"s47-outcome:{enquiry.pk}", step=1, **common)
        if enquiry.icpc_not_required:
            yield _event(scope, child, when=enquiry.outcome_date or enquiry.start_date,
                         title="Initial child protection conference not needed",
                         description=excerpt(enquiry.icpc_not_required_reason),
                         key=f"icpc-not-required:{enquiry.pk}", step=2, **common)


def _conference_is_significant(conference: cw.Conference) -> bool:
    """Initial and transfer-in conferences always; a review only when it ends the plan or makes none."""
    if conference.kind != cw.Conference.Kind.REVIEW:
        return True
    return conference.decision in (cw.Conference.Decision.END_PLAN, cw.Conference.Decision.NO_PLAN)


@provider
def conferences(scope: Scope) -> Iterable[ChronologyEvent]:
    for conference in cw.Conference.objects.filter(child_id__in=scope.ids).select_related("chair", "recorded_by"):
        decision = f"Decision: {conference.get_decision_display()}." if conference.decision else ""
        category = f"Category: {conference.get_category_display()}." if conference.category else ""
        yield _event(scope, conference.child_id, when=conference.date, title=conference.get_kind_display(),
                     description=_sentences(decision, category, f"Chaired by {conference.chair}."),
                     by=_name(conference.recorded_by), key=f"conference:{conference.pk}", type="conference",
                     url=_episode_link(scope, conference.child_id, conference.episode_id,
                                       ("casework:conference", {"conference_id": conference.pk})),
                     significant=_conference_is_significant(conference))


def _plan_link(scope: Scope, child_id: int, plan: cw.Plan) -> str:
    return _episode_link(scope, child_id, plan.episode_id, ("casework:plan", {"plan_id": plan.pk}))


@provider
def plans(scope: Scope) -> Iterable[ChronologyEvent]:
    for plan in cw.Plan.objects.filter(child_id__in=scope.ids).select_related("recorded_by"):
        common = {"type": "plan", "url": _plan_link(scope, plan.child_id, plan), "significant": True}
        category = f"Category: {plan.get_initial_category_display()}." if plan.initial_category else ""
        yield _event(scope, plan.child_id, when=plan.start_date, title=f"{plan.get_kind_display()} started",
                     description=category, by=_name(plan.recorded_by), key=f"plan:{plan.pk}", step=1, **common)
        if plan.end_date:
            yield _event(scope, plan.child_id, when=plan.end_date, title=f"{plan.get_kind_display()} ended",
                         key=f"plan-end:{plan.pk}", step=1, **common)


@provider
def plan_reviews(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = cw.PlanReview.objects.filter(plan__child_id__in=scope.ids).select_related("plan", "recorded_by")
    for review in rows:
        child = review.plan.child_id
        at_conference = "At a review conference." if review.conference_id else ""
        yield _event(scope, child, when=review.date, title=f"{review.plan.get_kind_display()} reviewed",
                     description=_sentences(at_conference, excerpt(review.summary)), by=_name(review.recorded_by),
                     key=f"plan-review:{review.pk}", type="plan", step=1,
                     url=_episode_link(scope, child, review.plan.episode_id,
                                       ("casework:review", {"plan_id": review.plan_id, "review_id": review.pk}),
                                       ("casework:plan", {"plan_id": review.plan_id})))


@provider
def core_groups(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = cw.CoreGroup.objects.filter(plan__child_id__in=scope.ids).select_related("plan", "recorded_by")
    for meeting in rows:
        child = meeting.plan.child_id
        yield _event(scope, child, when=meeting.date, title="Core group meeting",
                     description=_sentences(f"Attended: {excerpt(meeting.attendees)}.", excerpt(meeting.summary)),
                     by=_name(meeting.recorded_by), key=f"core-group:{meeting.pk}", type="core_group",
                     url=_episode_link(scope, child, meeting.plan.episode_id,
                                       ("casework:core_group", {"plan_id": meeting.plan_id,
                                                                "core_group_id": meeting.pk}),
                                       ("casework:plan", {"plan_id": meeting.plan_id})))


@provider
def visits(scope: Scope) -> Iterable[ChronologyEvent]:
    """Routine visits are not significant; a visit where the child was not seen is."""
    for visit in cw.Visit.objects.filter(child_id__in=scope.ids).select_related("worker", "recorded_by"):
        seen = _seen(visit.child_seen, visit.seen_alone)
        if visit.child_seen is False and visit.not_seen_reason:
            seen = f"The child was not seen: {excerpt(visit.not_seen_reason)}"
        # What the child said is the point of a visit: kept whole, never cut to an excerpt. For a child too young
        # to say, what the worker saw of them stands in its place.
        words = f"In their words: “{' '.join(visit.childs_words.split())}”" if visit.childs_words.strip() else ""
        observed = f"Seen: {excerpt(visit.observations)}" if visit.observations.strip() and not words else ""
        visitor = f"Visited by {visit.worker}." if visit.worker_id != visit.recorded_by_id else ""
        yield _event(scope, visit.child_id, when=visit.date, title=visit.get_kind_display(),
                     description=_sentences(visitor, seen, words, observed),
                     by=_name(visit.recorded_by), key=f"visit:{visit.pk}", type="visit",
                     url=_episode_link(scope, visit.child_id, visit.episode_id,
                                       ("casework:visit", {"visit_id": visit.pk})),
                     significant=not visit.child_seen)


@provider
def case_notes(scope: Scope) -> Iterable[ChronologyEvent]:
    """A case note is significant if its writer said so."""
    for note in cw.CaseNote.objects.filter(child_id__in=scope.ids).select_related("recorded_by"):
        yield _event(scope, note.child_id, when=note.date, title=f"Case note: {note.subject}",
                     description=excerpt(note.body), by=_name(note.recorded_by), key=f"case-note:{note.pk}",
                     type="case_note",
                     url=_episode_link(scope, note.child_id, note.episode_id,
                                       ("casework:case_note", {"case_note_id": note.pk})),
                     significant=note.significant)


@provider
def early_help_transfers(scope: Scope) -> Iterable[ChronologyEvent]:
    rows = cw.EarlyHelpTransfer.objects.filter(child_id__in=scope.ids).select_related("recorded_by")
    for transfer in rows:
        provider_name = f"Early help provider: {transfer.early_help_provider}." if transfer.early_help_provider else ""
        yield _event(scope, transfer.child_id, when=transfer.date, title=transfer.get_direction_display(),
                     description=_sentences(provider_name, excerpt(transfer.reason)), by=_name(transfer.recorded_by),
                     key=f"early-help:{transfer.pk}", type="early_help", step=2,
                     url=_episode_link(scope, transfer.child_id, transfer.episode_id,
                                       ("casework:early_help_transfer", {"early_help_transfer_id": transfer.pk})),
                     significant=True)


# The front door ----------------------------------------------------------------------------------------------
# Front-door events are dated by day, ordered within the day by `step`, so a contact, its decision, the
# step-down or referral it led to, the handover and the referrer's letter read as one line, in that order.


def _front_door_models():
    # Imported here: the front door builds on people, not the other way round.
    from casefile.frontdoor import models as fd

    return fd


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _time(moment: datetime.datetime) -> str:
    return presenters.govuk_datetime(moment).rsplit(" at ", 1)[-1]


@provider
def front_door(scope: Scope) -> Iterable[ChronologyEvent]:
    """Contacts, authorised threshold decisions, handovers and letters to referrers: two queries."""
    fd = _front_door_models()
    links = list(fd.ContactChild.objects.filter(child_id__in=scope.ids).select_related(
        "contact__recorded_by", "decision__decided_by", "decision__authorised_by", "handover__to_team",
        "handover__handed_over_by"))
    for link in links:
        yield from _contact_events(scope, link)
    contacts = {link.contact_id: [] for link in links}
    for link in links:
        contacts[link.contact_id].append(link.child_id)
    letters = fd.ReferrerLetter.objects.filter(contact_id__in=list(contacts), sent_at__isnull=False).select_related(
        "contact", "sent_by")
    for letter in letters:
        method = f" by {letter.get_method_display().lower()}" if letter.method else ""
        for child_id in contacts[letter.contact_id]:
            yield _event(scope, child_id, when=_local_day(letter.sent_at), title="Referrer told the outcome",
                         description=_sentences(f"Letter to {letter.contact.referrer_name or 'the referrer'} sent"
                                                f"{method} at {_time(letter.sent_at)}"),
                         by=_name(letter.sent_by), key=f"referrer-letter:{letter.pk}:{child_id}", type="front_door",
                         step=5)


def _contact_events(scope: Scope, link) -> Iterable[ChronologyEvent]:
    contact = link.contact
    referrer = ", ".join(part for part in (contact.referrer_name, contact.referrer_organisation) if part)
    source = contact.get_source_display().lower() + (f" ({referrer})" if referrer else "")
    yield _event(scope, link.child_id, when=_local_day(contact.received_at), title="Contact received at the front door",
                 description=_sentences(f"Received at {_time(contact.received_at)} from {source}",
                                        excerpt(contact.summary)),
                 by=_name(contact.recorded_by), key=f"contact:{link.pk}", type="front_door", significant=True)
    decision = getattr(link, "decision", None)
    if decision is not None and decision.authorised_at:
        from casefile.frontdoor.standards import front_door_settings

        level = front_door_settings().level(decision.level)
        provider_name = (f"Early help provider: {decision.early_help_provider}"
                         if decision.outcome == "early_help" and decision.early_help_provider else "")
        yield _event(scope, link.child_id, when=_local_day(decision.authorised_at),
                     title=f"Front-door decision: {decision.get_outcome_display()}",
                     description=_sentences(level.label if level else f"Level {decision.level}", provider_name,
                                            f"Decided by {decision.decided_by}, authorised by "
                                            f"{decision.authorised_by}"),
                     by=_name(decision.authorised_by), key=f"threshold-decision:{decision.pk}", type="front_door",
                     significant=True, step=1)
    handover = getattr(link, "handover", None)
    if handover is not None:
        yield _event(scope, link.child_id, when=_local_day(handover.handed_over_at),
                     title=f"Handed over to {handover.to_team}", description=excerpt(handover.summary),
                     by=_name(handover.handed_over_by), key=f"handover:{handover.pk}", type="front_door", step=4)


@provider
def police_notifications(scope: Scope) -> Iterable[ChronologyEvent]:
    """Police notifications naming the person (a confirmed match) or on a contact about them: one query."""
    fd = _front_door_models()
    named = fd.NotificationPerson.objects.filter(person_id__in=scope.ids).filter(
        Q(match=fd.NotificationPerson.Match.MATCHED) | Q(notification__contact__isnull=False)).exclude(
        notification__batch__status=fd.ImportBatch.Status.DISCARDED)
    on_contact = fd.ContactChild.objects.filter(child_id__in=scope.ids, contact__police_notification__isnull=False)
    rows = fd.PoliceNotification.objects.filter(
        Q(pk__in=named.values("notification_id")) | Q(contact_id__in=on_contact.values("contact_id"))).annotate(
        person_id=models.F("people__person_id"), contact_child_id=models.F("contact__children__child_id"))
    seen: set[tuple[int, int]] = set()
    for row in rows:
        for child_id in {row.person_id, row.contact_child_id} & set(scope.ids):
            if (row.pk, child_id) in seen:
                continue
            seen.add((row.pk, child_id))
            yield _event(scope, child_id, when=_local_day(row.incident_at),
                         title=f"Police notification: domestic abuse incident ({row.police_reference})",
                         description=_sentences(f"DASH risk {row.get_dash_risk_display().lower()}",
                                                f"Children present: {row.get_children_present_display().lower()}",
                                                f"Officer: {row.officer_name}", excerpt(row.summary)),
                         key=f"police:{row.pk}:{child_id}", type="front_door", significant=row.dash_risk == "high",
                         step=-1)


@provider
def merges(scope: Scope) -> Iterable[ChronologyEvent]:
    ids = scope.ids
    rows = Merge.objects.filter(Q(kept_id__in=ids) | Q(merged_id__in=ids)).select_related(
        "kept", "merged", "merged_by", "reversed_by"
    )
    for merge in rows:
        owner = merge.kept_id if merge.kept_id in ids else merge.merged_id
        yield _event(scope, owner, when=merge.merged_at, title="Records merged",
                     description=f"{merge.merged} was merged into {merge.kept}: {merge.reason}",
                     by=_name(merge.merged_by), key=f"merge:{merge.pk}", type="record")
        if merge.reversed_at:
            yield _event(scope, owner, when=merge.reversed_at, title="Merge reversed",
                         description=f"{merge.merged} was separated from {merge.kept}: {merge.reversal_reason}",
                         by=_name(merge.reversed_by), key=f"merge-reversed:{merge.pk}", type="record")


# What workers add: significance and analysis --------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One row of the chronology: the event, and the worker's note on it if there is one."""

    event: ChronologyEvent
    note: cw.ChronologyNote | None = None

    @property
    def significant(self) -> bool:
        if self.note is not None and self.note.significant is not None:
            return self.note.significant
        return self.event.significant

    @property
    def significance_changed(self) -> bool:
        """A worker changed whether this event is significant from its type's default."""
        return self.significant != self.event.significant

    @property
    def analysis(self) -> str:
        return self.note.analysis if self.note is not None else ""

    @property
    def analysis_paragraphs(self) -> list[str]:
        return [part.strip() for part in re.split(r"\n\s*\n", self.analysis) if part.strip()]


def entries(person: Person) -> list[Entry]:
    """The chronology with each event's note: one query per provider, and one for the notes."""
    notes = {note.event_key: note
             for note in cw.ChronologyNote.objects.filter(child=person).select_related("updated_by")}
    return [Entry(event, notes.get(event.key)) for event in chronology(person)]


def find_entry(person: Person, event_key: str) -> Entry | None:
    if not event_key:
        return None
    return next((entry for entry in entries(person) if entry.event.key == event_key), None)


@dataclass(frozen=True)
class Filters:
    """Which events to show. Empty types means every type."""

    types: frozenset[str] = field(default_factory=frozenset)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    significant_only: bool = False

    @property
    def active(self) -> bool:
        return bool(self.types or self.date_from or self.date_to or self.significant_only)

    def keep(self, entry: Entry) -> bool:
        day = entry.event.date
        return ((not self.types or entry.event.type in self.types)
                and (self.date_from is None or day >= self.date_from)
                and (self.date_to is None or day <= self.date_to)
                and (not self.significant_only or entry.significant))

    def apply(self, rows: Iterable[Entry]) -> list[Entry]:
        return [entry for entry in rows if self.keep(entry)]

    def describe(self) -> list[str]:
        """The filters in words, for the page and the exported file."""
        words = []
        if self.types:
            words.append("Types: " + ", ".join(label for key, label in EVENT_TYPES.items() if key in self.types))
        if self.date_from:
            words.append(f"From {presenters.govuk_date(self.date_from)}")
        if self.date_to:
            words.append(f"Up to {presenters.govuk_date(self.date_to)}")
        if self.significant_only:
            words.append("Significant events only")
        return words

    def as_details(self) -> dict:
        """The filters for an audit event."""
        return {"types": sorted(self.types), "date_from": self.date_from, "date_to": self.date_to,
                "significant_only": self.significant_only}


def save_note(*, actor, request=None, child: Person, event_key: str, significant: bool,
              analysis: str) -> cw.ChronologyNote:
    """Record whether an event is significant, and the worker's analysis of it.

    `significant` is the worker's answer. It is kept as an override only when it differs from the event
    type's default, so an event that follows the default keeps following it if the record changes.
    """
    if not policy.can_edit(actor, child):
        raise PermissionDenied("Only people who may change this record can add analysis to its chronology")
    entry = find_entry(child, event_key)
    analysis = (analysis or "").strip()
    errors: dict[str, list[str]] = {}
    if entry is None:
        errors["event_key"] = ["Choose an event from this chronology"]
    if significant not in (True, False):
        errors["significant"] = ["Select yes if this is a significant event"]
    if len(analysis) > ANALYSIS_MAX_LENGTH:
        errors["analysis"] = [f"Analysis must be {ANALYSIS_MAX_LENGTH:,} characters or fewer"]
    if errors:
        raise ValidationError(errors)
    override = None if significant == entry.event.significant else significant
    note = entry.note
    if note is not None and (note.significant, note.analysis) == (override, analysis):
        return note  # nothing changed: nothing to write
    with transaction.atomic():
        created = note is None
        if created:
            note = cw.ChronologyNote(child=child, event_key=event_key)
        analysis_changed = note.analysis != analysis
        note.significant, note.analysis = override, analysis
        note.updated_by, note.updated_at = actor, timezone.now()
        note._history_user = actor
        note.save()
        record(Action.CREATE if created else Action.UPDATE, actor=actor, request=request, subject=note,
               child=child, details={"event_key": event_key, "significant": significant,
                                     "significance_changed": override is not None,
                                     "analysis_changed": analysis_changed})
    return note
