"""What the front door knew before: a contact's history panel, for each child on it and for the household.

A decision-maker needs the pattern, not just the last event: how many contacts, referrals, assessments, plans
and closures in the last 12 and 24 calendar months, whether a referral now would be a re-referral, and how
many police notifications the household has had in the repeat window. Everything is derived from the
record; nothing is stored.

`history_for` runs a fixed number of queries whatever the size of the history (one per kind of record, each
filtered by the indexed person columns), so a family known for ten years opens as fast as a new one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from markupsafe import Markup

from casefile.casework.closure_history import Shown
from casefile.casework.models import Assessment, Episode, Plan
from casefile.core import presenters
from casefile.frontdoor.models import Contact, ContactAdult, ContactChild, ImportBatch, NotificationPerson
from casefile.frontdoor.standards import front_door_settings
from casefile.people.models import HouseholdMember, Person
from casefile.rules import codes
from casefile.rules.clocks import add_calendar_months
from casefile.rules.front_door import OUTCOME_LABELS, Outcome, count_within, re_referrals

# The measures counted, in the order the panel shows them.
MEASURES = (
    ("contacts", "Previous contacts"),
    ("referrals", "Referrals"),
    ("assessments", "Assessments"),
    ("cp_plans", "Child protection plans"),
    ("cin_plans", "Child in need plans"),
    ("closures", "Case closures"),
)
RE_REFERRAL_MONTHS = 12
EVENTS_SHOWN = 12


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    last_12: int
    last_24: int
    ever: int


@dataclass(frozen=True)
class Event:
    """One thing that happened, as the panel lists it: "Referral 3 Mar 2025 — closed 12 Jun 2025 (RC8)"."""

    date: datetime.date
    what: str
    outcome: str
    who: str = ""
    key: str = ""

    @property
    def date_text(self) -> str:
        return presenters.govuk_date(self.date)

    def describe(self) -> str:
        return f"{self.what} {self.date_text} — {self.outcome}" if self.outcome else f"{self.what} {self.date_text}"


@dataclass
class Subject:
    """A child on the contact, or the household as a whole."""

    name: str
    person: Person | None
    tallies: list[Tally]
    re_referrals: int
    would_be_re_referral: bool
    repeat_incidents: int
    events: list[Event] = field(default_factory=list)

    def tally(self, key: str) -> Tally:
        return next(tally for tally in self.tallies if tally.key == key)

    @property
    def has_history(self) -> bool:
        return any(tally.ever for tally in self.tallies) or bool(self.repeat_incidents)


@dataclass
class History:
    contact: Contact | None  # None: a child's history on its own (the closure sign-off page)
    today: datetime.date
    children: list[Subject]
    household: Subject
    household_people: list[Person]
    repeat_incident_months: int
    events: list[Event]  # the household's most recent events, newest first

    @property
    def measures(self) -> tuple[tuple[str, str], ...]:
        return MEASURES


# Collected facts, per person id ---------------------------------------------------------------------------


@dataclass
class _Facts:
    """Dates of each kind of record per person, and the events to list, gathered in one pass per query."""

    dates: dict[tuple[str, int], list[datetime.date]] = field(default_factory=dict)
    referral_dates: dict[int, list[datetime.date]] = field(default_factory=dict)
    incidents: dict[int, set[int]] = field(default_factory=dict)  # person id -> notification ids in the window
    events: dict[int, list[Event]] = field(default_factory=dict)
    contacts: dict[int, set[int]] = field(default_factory=dict)  # person id -> contact ids (for the household)
    contact_days: dict[int, datetime.date] = field(default_factory=dict)

    def add(self, measure: str, person_id: int, day: datetime.date | None) -> None:
        if day is not None:
            self.dates.setdefault((measure, person_id), []).append(day)

    def event(self, person_id: int, event: Event) -> None:
        self.events.setdefault(person_id, []).append(event)


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _household_people(contact: Contact | None, on_contact: list[Person]) -> list[Person]:
    """The people on the contact, plus the current members of their households and of the contact's household."""
    ids = [person.pk for person in on_contact]
    their_households = HouseholdMember.objects.filter(person_id__in=ids, end_date__isnull=True).values("household_id")
    condition = Q(household_id__in=their_households)
    if contact is not None and contact.household_id:
        condition |= Q(household_id=contact.household_id)
    members = HouseholdMember.objects.filter(condition, end_date__isnull=True).select_related("person")
    people = {person.pk: person for person in on_contact}
    for membership in members:
        people.setdefault(membership.person_id, membership.person)
    return list(people.values())


def _contact_outcome(link: ContactChild) -> str:
    decision = getattr(link, "decision", None)
    if decision is None:
        return "no decision yet" if link.contact.is_open else "concluded"
    label = OUTCOME_LABELS[Outcome(decision.outcome)]
    if not decision.is_authorised:
        return f"{label} (not yet authorised)"
    if decision.early_help_provider and decision.outcome == Outcome.EARLY_HELP:
        return f"{label}: {decision.early_help_provider}"
    return label


def _notification_of(contact: Contact):
    try:
        return contact.police_notification
    except Contact.police_notification.RelatedObjectDoesNotExist:
        return None


def _collect_contacts(facts: _Facts, contact: Contact | None, ids: list[int], since: datetime.date) -> None:
    links = (ContactChild.objects.filter(child_id__in=ids).exclude(contact_id=getattr(contact, "pk", None))
             .select_related("contact__police_notification", "decision"))
    for link in links:
        day = _day(link.contact.received_at)
        facts.add("contacts", link.child_id, day)
        facts.contacts.setdefault(link.child_id, set()).add(link.contact_id)
        facts.contact_days[link.contact_id] = day
        source = codes.REFERRAL_SOURCE.get(link.contact.source, link.contact.source)
        facts.event(link.child_id, Event(day, "Contact", f"{_contact_outcome(link)} (from {source.lower()})",
                                         key=f"contact:{link.contact_id}"))
        _note_contact_notification(facts, link.child_id, link.contact, since)
    adult_links = (ContactAdult.objects.filter(person_id__in=ids).exclude(contact_id=getattr(contact, "pk", None))
                   .select_related("contact__police_notification"))
    for link in adult_links:
        day = _day(link.contact.received_at)
        facts.contacts.setdefault(link.person_id, set()).add(link.contact_id)
        facts.contact_days[link.contact_id] = day
        facts.event(link.person_id, Event(day, "Contact", f"named as {link.role}", key=f"contact:{link.contact_id}"))
        _note_contact_notification(facts, link.person_id, link.contact, since)


def _note_contact_notification(facts: _Facts, person_id: int, contact: Contact, since: datetime.date) -> None:
    notification = _notification_of(contact)
    if notification is not None and _day(notification.incident_at) >= since:
        facts.incidents.setdefault(person_id, set()).add(notification.pk)


def _collect_notifications(facts: _Facts, contact: Contact | None, ids: list[int], since: datetime.date) -> None:
    """Police notifications naming these people (matched records), in the repeat window; this contact's excluded."""
    own = _notification_of(contact) if contact is not None else None
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=timezone.get_current_timezone())
    rows = (NotificationPerson.objects
            .filter(person_id__in=ids, notification__incident_at__gte=start)
            .exclude(notification__batch__status=ImportBatch.Status.DISCARDED)
            .select_related("notification"))
    if own is not None:
        rows = rows.exclude(notification_id=own.pk)
    for row in rows:
        notification = row.notification
        if notification.contact_id is None and row.match != NotificationPerson.Match.MATCHED:
            continue  # a possible match not yet confirmed is not the person's history
        facts.incidents.setdefault(row.person_id, set()).add(notification.pk)
        facts.event(row.person_id, Event(_day(notification.incident_at), f"Police notification "
                                         f"{notification.police_reference}",
                                         f"DASH risk {notification.get_dash_risk_display().lower()}",
                                         key=f"police:{notification.pk}"))


def _collect_episodes(facts: _Facts, contact: Contact | None, ids: list[int], own_episodes: set[int]) -> None:
    for episode in Episode.objects.filter(child_id__in=ids).only(
            "pk", "child_id", "referral_date", "closure_date", "closure_reason", "recorded_at"):
        if episode.pk in own_episodes and episode.recorded_at >= contact.recorded_at:
            continue  # the referral this contact itself became is not history
        facts.add("referrals", episode.child_id, episode.referral_date)
        facts.referral_dates.setdefault(episode.child_id, []).append(episode.referral_date)
        facts.add("closures", episode.child_id, episode.closure_date)
        if episode.closure_date:
            reason = f" ({episode.closure_reason})" if episode.closure_reason else ""
            outcome = f"closed {presenters.govuk_date(episode.closure_date)}{reason}"
        else:
            outcome = "still open"
        facts.event(episode.child_id, Event(episode.referral_date, "Referral", outcome, key=f"referral:{episode.pk}"))


def _collect_assessments(facts: _Facts, ids: list[int]) -> None:
    rows = Assessment.objects.filter(episode__child_id__in=ids).select_related("episode").only(
        "pk", "start_date", "outcome", "authorised_on", "episode__child_id")
    for assessment in rows:
        child = assessment.episode.child_id
        facts.add("assessments", child, assessment.start_date)
        if assessment.authorised_on:
            outcome = assessment.get_outcome_display() or "completed"
            outcome = f"{outcome} (authorised {presenters.govuk_date(assessment.authorised_on)})"
        else:
            outcome = "in progress"
        facts.event(child, Event(assessment.start_date, "Assessment", outcome, key=f"assessment:{assessment.pk}"))


def _collect_plans(facts: _Facts, ids: list[int]) -> None:
    for plan in Plan.objects.filter(child_id__in=ids).only("pk", "child_id", "kind", "start_date", "end_date"):
        measure = "cp_plans" if plan.kind == Plan.Kind.CHILD_PROTECTION else "cin_plans"
        facts.add(measure, plan.child_id, plan.start_date)
        outcome = f"ended {presenters.govuk_date(plan.end_date)}" if plan.end_date else "current"
        facts.event(plan.child_id, Event(plan.start_date, plan.get_kind_display(), outcome, key=f"plan:{plan.pk}"))


# Building the panel ----------------------------------------------------------------------------------------


def _tallies(days_by_measure: dict[str, list[datetime.date]], today: datetime.date) -> list[Tally]:
    return [Tally(key, label, count_within(days_by_measure.get(key, []), today, 12),
                  count_within(days_by_measure.get(key, []), today, 24), len(days_by_measure.get(key, [])))
            for key, label in MEASURES]


def _would_be_re_referral(referral_dates: Iterable[datetime.date], received: datetime.date) -> bool:
    """A referral in the 12 months before this contact: if it became a referral, it would be a re-referral."""
    earliest = add_calendar_months(received, -RE_REFERRAL_MONTHS)
    return any(earliest <= day <= received for day in referral_dates)


def _recent(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda event: (event.date, event.key), reverse=True)[:EVENTS_SHOWN]


def _named(events: Iterable[Event], people: dict[int, Person], person_id: int) -> list[Event]:
    name = people[person_id].full_name
    return [Event(event.date, event.what, event.outcome, who=name, key=event.key) for event in events]


def _household_events(facts: _Facts, people: dict[int, Person]) -> list[Event]:
    """Each event once, naming everyone it concerns (a contact about two siblings is one event)."""
    merged: dict[str, Event] = {}
    for person_id, events in facts.events.items():
        for event in _named(events, people, person_id):
            earlier = merged.get(event.key)
            if earlier is None:
                merged[event.key] = event
            elif event.who not in earlier.who.split(", "):
                # Siblings on one contact can have different outcomes: say whose is whose.
                outcome = earlier.outcome if earlier.outcome == event.outcome else (
                    f"{earlier.outcome}; {event.who}: {event.outcome}")
                merged[event.key] = Event(event.date, event.what, outcome, f"{earlier.who}, {event.who}", event.key)
    return _recent(merged.values())


def history_for(contact: Contact, today: datetime.date | None = None) -> History:
    """The history panel for a contact: each child on it, and the household. A fixed number of queries."""
    today = today or timezone.localdate()
    settings = front_door_settings()
    since = add_calendar_months(today, -settings.repeat_incident_months)
    links = list(contact.children.select_related("child", "decision"))
    children = [link.child for link in links]
    adults = [link.person for link in contact.adults.select_related("person")]
    people_list = _household_people(contact, children + adults)
    people = {person.pk: person for person in people_list}
    ids = list(people)
    own_episodes = {link.decision.episode_id for link in links
                    if getattr(link, "decision", None) is not None and link.decision.episode_id}

    facts = _Facts()
    _collect_contacts(facts, contact, ids, since)
    _collect_notifications(facts, contact, ids, since)
    _collect_episodes(facts, contact, ids, own_episodes)
    _collect_assessments(facts, ids)
    _collect_plans(facts, ids)

    received = _day(contact.received_at)
    child_subjects = [_child_subject(facts, child, people, today, received) for child in children]
    household = _household_subject(facts, people, today, received, contact)
    return History(contact=contact, today=today, children=child_subjects, household=household,
                   household_people=people_list, repeat_incident_months=settings.repeat_incident_months,
                   events=household.events)


def _child_subject(facts: _Facts, child: Person, people: dict[int, Person], today: datetime.date,
                   received: datetime.date) -> Subject:
    days = {key: facts.dates.get((key, child.pk), []) for key, _label in MEASURES}
    referral_dates = facts.referral_dates.get(child.pk, [])
    return Subject(name=child.full_name, person=child, tallies=_tallies(days, today),
                   re_referrals=re_referrals(referral_dates, RE_REFERRAL_MONTHS),
                   would_be_re_referral=_would_be_re_referral(referral_dates, received),
                   repeat_incidents=len(facts.incidents.get(child.pk, set())),
                   events=_recent(_named(facts.events.get(child.pk, []), people, child.pk)))


def _household_subject(facts: _Facts, people: dict[int, Person], today: datetime.date, received: datetime.date,
                       contact: Contact | None) -> Subject:
    days: dict[str, list[datetime.date]] = {}
    for (measure, _person_id), dates in facts.dates.items():
        if measure != "contacts":
            days.setdefault(measure, []).extend(dates)
    # A contact about several of the household counts once.
    contact_ids = set().union(*facts.contacts.values()) if facts.contacts else set()
    days["contacts"] = [facts.contact_days[contact_id] for contact_id in contact_ids]
    incidents = set().union(*facts.incidents.values()) if facts.incidents else set()
    children = [pid for pid, person in people.items() if person.kind == Person.Kind.CHILD]
    name = contact.household.name if contact is not None and contact.household_id else "The household"
    return Subject(
        name=name, person=None, tallies=_tallies(days, today),
        re_referrals=sum(re_referrals(facts.referral_dates.get(pid, []), RE_REFERRAL_MONTHS) for pid in children),
        would_be_re_referral=any(_would_be_re_referral(facts.referral_dates.get(pid, []), received)
                                 for pid in children),
        repeat_incidents=len(incidents), events=_household_events(facts, people))


def child_history(child: Person, today: datetime.date | None = None) -> History:
    """One child's history on its own, with their household, as the front door would show it on a contact about
    them: what the manager signing off a closure reads (casework/closure_history.py). A fixed number of queries."""
    today = today or timezone.localdate()
    settings = front_door_settings()
    since = add_calendar_months(today, -settings.repeat_incident_months)
    people_list = _household_people(None, [child])
    people = {person.pk: person for person in people_list}
    ids = list(people)
    facts = _Facts()
    _collect_contacts(facts, None, ids, since)
    _collect_notifications(facts, None, ids, since)
    _collect_episodes(facts, None, ids, set())
    _collect_assessments(facts, ids)
    _collect_plans(facts, ids)
    household = _household_subject(facts, people, today, today, None)
    return History(contact=None, today=today, children=[_child_subject(facts, child, people, today, today)],
                   household=household, household_people=people_list,
                   repeat_incident_months=settings.repeat_incident_months, events=household.events)


def shown_at_closure(child: Person, today: datetime.date):
    """The history panel for the closure sign-off page, and the counts kept of what it showed (registered with
    casework/closure_history.py from FrontDoorConfig.ready())."""
    history = child_history(child, today)
    subject = history.children[0]
    counts = {"contacts": subject.tally("contacts").ever, "referrals": subject.tally("referrals").ever,
              "re_referrals": subject.re_referrals, "closures": subject.tally("closures").ever}
    return Shown(counts=counts, html=Markup(render_to_string("frontdoor/_history.html", {"history": history})))  # noqa: S704 (our template)


__all__ = ["History", "Subject", "Tally", "Event", "history_for", "child_history", "shown_at_closure"]
