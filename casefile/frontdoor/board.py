"""What is waiting at the front door, computed for the board, the managers' lists and the weekly report.

Every list here is a few queries whatever its length: the rows come with their contact, child, holder and
decision in one query, the working calendar is one more, and the rest (working time, RAG timescale, the decision
clock, the local open limit) is worked out in Python from those rows. Every list is filtered by the access
policy, so restricted children the user may not see never appear.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from casefile.casework.deadlines import clock_settings
from casefile.core.presenters import govuk_date
from casefile.frontdoor.access import visible_child
from casefile.frontdoor.models import Contact, ContactChild, ImportBatch, ThresholdDecision
from casefile.frontdoor.services.decisions import decision_clock
from casefile.frontdoor.standards import front_door_settings
from casefile.people.models import Person
from casefile.rules import codes
from casefile.rules.clocks import REFERRAL_DECISION, Clock, ClockStatus, State
from casefile.rules.front_door import FrontDoorSettings, Rag, Waiting, received_before, waiting
from casefile.rules.working_days import WorkingCalendar, working_days_in

AWAITING_DECISION = "Awaiting decision"
AWAITING_AUTHORISATION = "Awaiting authorisation"
AWAITING_HANDOVER = "Authorised: awaiting handover"
STAGES = (AWAITING_DECISION, AWAITING_AUTHORISATION, AWAITING_HANDOVER)
NOT_ASSIGNED = "Not assigned"


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def clock_text(status: ClockStatus) -> str:
    """The 1-working-day decision clock in words."""
    due = govuk_date(status.due)
    late = status.working_days_late
    days = f"{late} working day{'' if late == 1 else 's'}"
    return {
        State.ON_TIME: f"Due {due}",
        State.DUE_SOON: f"Due {due}",
        # Past its due date at a weekend or bank holiday, before any working day is lost: overdue, by no count.
        State.OVERDUE: f"Overdue by {days} (was due {due})" if late else f"Overdue (was due {due})",
        State.COMPLETED_ON_TIME: "Authorised on time",
        State.COMPLETED_LATE: f"Authorised {days} late",
    }[status.state]


def stage_of(link: ContactChild) -> str:
    decision = getattr(link, "decision", None)
    if decision is None:
        return AWAITING_DECISION
    return AWAITING_AUTHORISATION if not decision.is_authorised else AWAITING_HANDOVER


def holder_name(contact: Contact) -> str:
    return contact.holder.get_full_name() if contact.holder_id else NOT_ASSIGNED


# The board ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    link: ContactChild
    waiting: Waiting
    stage: str
    clock: ClockStatus

    @property
    def contact(self) -> Contact:
        return self.link.contact

    @property
    def child(self) -> Person:
        return self.link.child

    @property
    def past_limit(self) -> bool:
        return self.waiting.past_open_limit

    @property
    def holder(self) -> str:
        return holder_name(self.contact)

    @property
    def clock_text(self) -> str:
        return clock_text(self.clock)


def open_links(user):
    """Each child still at the front door that this user may see, with what the board shows, in one query."""
    return (ContactChild.objects
            .filter(concluded_at__isnull=True, contact__concluded_at__isnull=True)
            .filter(visible_child(user))
            # A police file still being imported is not on the board yet: it may still be taken back whole.
            .exclude(contact__police_notification__batch__status=ImportBatch.Status.CONFIRMING)
            .select_related("contact__holder", "child", "decision")
            .order_by("contact__received_at", "contact_id", "pk"))


def board_rows(user, *, now: datetime.datetime, calendar: WorkingCalendar,
               settings: FrontDoorSettings | None = None) -> list[BoardRow]:
    """Every open item the user may see, with its working time and clock (for reports; the board pages)."""
    return rows_for(open_links(user), now=now, calendar=calendar, settings=settings)


def rows_for(links, *, now: datetime.datetime, calendar: WorkingCalendar,
             settings: FrontDoorSettings | None = None) -> list[BoardRow]:
    """The board's rows for these links (the board passes one page of them: the work is bounded by the page)."""
    settings = settings or front_door_settings()
    clocks = clock_settings()
    today = _day(now)
    rows = []
    for link in links:
        contact = link.contact
        rag = Rag(contact.rag) if contact.rag else None
        rows.append(BoardRow(link=link, waiting=waiting(contact.received_at, now, rag, calendar, settings),
                             stage=stage_of(link), clock=decision_clock(link).status(today, calendar, clocks)))
    return rows


# Never true (every row has a key): what "past" is when nothing received in the horizon can be.
NONE = Q(pk__isnull=True)


def _received_before(moment: datetime.datetime | None) -> Q:
    return Q(contact__received_at__lt=moment) if moment else NONE


@dataclass(frozen=True)
class Limits:
    """Which open items are past a limit, as conditions on their receipt for the database: each cut is found
    with the same rules that work out a row's waiting time and clock (rules.front_door.received_before), so the
    counts and filters over the whole list agree with the tags on each row."""

    past_limit: Q
    past_rag: Q
    overdue_decision: Q

    @classmethod
    def at(cls, now: datetime.datetime, calendar: WorkingCalendar, settings: FrontDoorSettings | None = None):
        settings = settings or front_door_settings()
        clocks, today = clock_settings(), _day(now)
        past_limit = received_before(lambda moment: waiting(moment, now, None, calendar, settings).past_open_limit,
                                     now)
        past_rag = NONE
        for rag in Rag:
            cut = received_before(lambda moment, rag=rag: waiting(moment, now, rag, calendar, settings)
                                  .past_rag_timescale, now)
            past_rag |= Q(contact__rag=rag.value) & _received_before(cut)
        overdue = received_before(lambda moment: Clock(REFERRAL_DECISION, _day(moment), None)
                                  .status(today, calendar, clocks).state == State.OVERDUE, now)
        undecided = Q(decision__isnull=True) | Q(decision__authorised_at__isnull=True)
        return cls(past_limit=_received_before(past_limit), past_rag=past_rag,
                   overdue_decision=undecided & _received_before(overdue))


@dataclass(frozen=True)
class BoardFilters:
    holder: str = ""  # "mine" or "unassigned"
    rag: str = ""  # red, amber, green or "none"
    past_limit: bool = False

    def apply(self, links, user, limits: Limits):
        """The links that pass the filters, filtered in the database."""
        if self.holder == "mine":
            links = links.filter(contact__holder=user)
        if self.holder == "unassigned":
            links = links.filter(contact__holder__isnull=True)
        if self.rag:
            links = links.filter(contact__rag="" if self.rag == "none" else self.rag)
        if self.past_limit:
            links = links.filter(limits.past_limit)
        return links

    @property
    def active(self) -> bool:
        return bool(self.holder or self.rag or self.past_limit)


def summary(user, limits: Limits) -> dict[str, int]:
    """The counts at the top of the board, over every item the user may see (before any filter): one aggregate
    query, however many are open."""
    def count(condition: Q) -> Count:
        return Count("pk", filter=condition)

    counts = open_links(user).order_by().aggregate(
        total=Count("pk"), past_limit=count(limits.past_limit), past_rag=count(limits.past_rag),
        overdue_decisions=count(limits.overdue_decision), unassigned=count(Q(contact__holder__isnull=True)),
        mine=count(Q(contact__holder=user)),
        awaiting_decision=count(Q(decision__isnull=True)),
        awaiting_authorisation=count(Q(decision__isnull=False, decision__authorised_at__isnull=True)),
        awaiting_handover=count(Q(decision__authorised_at__isnull=False)))
    stages = {AWAITING_DECISION: counts.pop("awaiting_decision"),
              AWAITING_AUTHORISATION: counts.pop("awaiting_authorisation"),
              AWAITING_HANDOVER: counts.pop("awaiting_handover")}
    return {**counts, **stages}


# Awaiting authorisation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwaitingRow:
    decision: ThresholdDecision
    waiting: Waiting
    clock: ClockStatus

    @property
    def clock_text(self) -> str:
        return clock_text(self.clock)


def awaiting_authorisation(user, *, now: datetime.datetime, calendar: WorkingCalendar) -> list[AwaitingRow]:
    """Decisions not yet authorised, oldest first, with how long each has waited since it was made."""
    settings, clocks, today = front_door_settings(), clock_settings(), _day(now)
    decisions = (ThresholdDecision.objects.filter(authorised_at__isnull=True)
                 .filter(visible_child(user, "contact_child__child_id"))
                 .select_related("contact_child__contact", "contact_child__child", "decided_by")
                 .order_by("decided_at", "pk"))
    return [AwaitingRow(decision, waiting(decision.decided_at, now, None, calendar, settings),
                        decision_clock(decision.contact_child).status(today, calendar, clocks))
            for decision in decisions]


# The weekly report --------------------------------------------------------------------------------------


def week_for(value: str | None, today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The week to report on: the last 7 days by default, or Monday to Sunday of the week of `value`
    (YYYY-MM-DD). None when `value` is not a date."""
    if not value:
        return today - datetime.timedelta(days=6), today
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def limit_passed_on(received: datetime.date, limit: int, calendar: WorkingCalendar) -> datetime.date:
    """The first day an item received on `received` counts as past the limit: working day limit + 1."""
    day = received
    for _ in range(limit + 1):
        day = calendar.next_working_day(day)
    return day


@dataclass(frozen=True)
class ReportRow:
    link: ContactChild
    passed_limit_on: datetime.date
    concluded_on: datetime.date | None
    working_days: int

    @property
    def holder(self) -> str:
        return holder_name(self.link.contact)

    @property
    def still_open(self) -> bool:
        return self.concluded_on is None


def weekly_report(user, *, start: datetime.date, end: datetime.date, today: datetime.date,
                  calendar: WorkingCalendar) -> tuple[list[ReportRow], list[tuple[str, int]]]:
    """Children past the local limit at some point in the week: still open, or concluded in or after the week
    having gone past it. Returns the rows (longest at the front door first) and the totals by holder."""
    limit = front_door_settings().open_limit_working_days
    zone = timezone.get_current_timezone()
    week_starts = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    week_ends = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    # A child leaves no later than their contact, so the contact's indexed conclusion narrows the search first.
    links = (ContactChild.objects
             .filter(Q(contact__concluded_at__isnull=True) | Q(contact__concluded_at__gte=week_starts))
             .filter(contact__received_at__lt=week_ends - datetime.timedelta(days=limit))
             .filter(Q(concluded_at__isnull=True) | Q(concluded_at__gte=week_starts))
             .filter(visible_child(user))
             .select_related("contact__holder", "child"))
    rows = []
    for link in links:
        received = _day(link.contact.received_at)
        passed = limit_passed_on(received, limit, calendar)
        concluded = _day(link.concluded_at) if link.concluded_at else None
        if passed > end or passed > today or (concluded is not None and concluded < max(start, passed)):
            continue
        counted_to = min(concluded or today, end, today)
        rows.append(ReportRow(link, passed, concluded if concluded and concluded <= end else None,
                              working_days_in(received + datetime.timedelta(days=1), counted_to, calendar)))
    rows.sort(key=lambda row: (-row.working_days, row.link.contact.received_at, row.link.pk))
    totals = Counter(row.holder for row in rows)
    return rows, sorted(totals.items(), key=lambda item: (-item[1], item[0]))


# Referrers not yet told -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueLetter:
    contact: Contact
    authorised_on: datetime.date
    working_days: int

    @property
    def children(self) -> list[Person]:
        return [link.child for link in self.contact.children.all()]


# The list is for catching up: referrers of decisions authorised in the last three months. Years of untold
# referrers are a finding for a report, not a to-do list (a large authority has tens of thousands).
OVERDUE_LETTER_WINDOW_DAYS = 92


def letters_overdue(user, *, today: datetime.date, calendar: WorkingCalendar) -> list[OverdueLetter]:
    """Contacts whose decisions were all authorised more than the feedback standard's working days ago (and in
    the last OVERDUE_LETTER_WINDOW_DAYS days), and whose referrer has not been sent a letter; oldest first.
    Anonymous and unknown sources are left out."""
    allowed = front_door_settings().referrer_feedback_working_days
    # Working days never outnumber calendar days, so this cut-off only drops contacts that cannot be late.
    zone = timezone.get_current_timezone()
    cutoff = datetime.datetime.combine(today - datetime.timedelta(days=allowed), datetime.time.min, tzinfo=zone)
    since = datetime.datetime.combine(today - datetime.timedelta(days=OVERDUE_LETTER_WINDOW_DAYS), datetime.time.min,
                                      tzinfo=zone)
    contacts = (Contact.objects
                .filter(received_at__gte=since - datetime.timedelta(days=OVERDUE_LETTER_WINDOW_DAYS))
                .exclude(source__in=codes.NO_REFERRER_SOURCES)
                .exclude(letters__sent_at__isnull=False)
                .exclude(children__decision__authorised_at__isnull=True)
                .filter(~Exists(ContactChild.objects.filter(contact=OuterRef("pk")).filter(~visible_child(user))))
                .annotate(last_authorised=Max("children__decision__authorised_at"))
                .filter(last_authorised__lt=cutoff, last_authorised__gte=since)
                .select_related("holder")
                .prefetch_related("children__child")
                .order_by("last_authorised", "pk"))
    rows = []
    for contact in contacts:
        authorised = _day(contact.last_authorised)
        days = working_days_in(authorised + datetime.timedelta(days=1), today, calendar)
        if days > allowed:
            rows.append(OverdueLetter(contact, authorised, days))
    return rows
