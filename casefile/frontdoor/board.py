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

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from casefile.casework.deadlines import clock_settings
from casefile.core.presenters import govuk_date
from casefile.frontdoor.access import visible_child
from casefile.frontdoor.models import Contact, ContactChild, ImportBatch, ThresholdDecision
from casefile.frontdoor.services.decisions import decision_clock
from casefile.frontdoor.standards import front_door_settings
from casefile.people.models import Person
from casefile.rules import codes
from casefile.rules.clocks import ClockStatus, State
from casefile.rules.front_door import FrontDoorSettings, Rag, Waiting, waiting
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
    settings = settings or front_door_settings()
    clocks = clock_settings()
    today = _day(now)
    rows = []
    for link in open_links(user):
        contact = link.contact
        rag = Rag(contact.rag) if contact.rag else None
        rows.append(BoardRow(link=link, waiting=waiting(contact.received_at, now, rag, calendar, settings),
                             stage=stage_of(link), clock=decision_clock(link).status(today, calendar, clocks)))
    return rows


@dataclass(frozen=True)
class BoardFilters:
    holder: str = ""  # "mine" or "unassigned"
    rag: str = ""  # red, amber, green or "none"
    past_limit: bool = False

    def keep(self, row: BoardRow, user) -> bool:
        contact = row.contact
        if self.holder == "mine" and contact.holder_id != user.pk:
            return False
        if self.holder == "unassigned" and contact.holder_id is not None:
            return False
        if self.rag and (contact.rag or "none") != self.rag:
            return False
        return not (self.past_limit and not row.past_limit)

    @property
    def active(self) -> bool:
        return bool(self.holder or self.rag or self.past_limit)


def summary(rows: list[BoardRow], user) -> dict[str, int]:
    """The counts at the top of the board, over every row the user may see (before any filter)."""
    stages = Counter(row.stage for row in rows)
    return {
        "total": len(rows),
        "past_limit": sum(row.past_limit for row in rows),
        "past_rag": sum(row.waiting.past_rag_timescale for row in rows),
        "overdue_decisions": sum(row.clock.state == State.OVERDUE for row in rows),
        "unassigned": sum(row.contact.holder_id is None for row in rows),
        "mine": sum(row.contact.holder_id == user.pk for row in rows),
        **{stage: stages[stage] for stage in STAGES},
    }


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
