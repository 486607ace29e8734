"""What the record already says about a child, laid beside an audit's sections so the auditor judges the quality
of the work instead of copying dates from the file.

Derived on every view, never stored or typed: it is read with the functions the record's own pages use
(casework/deadlines.py for the statutory clocks, rules/clocks.py for the 45-working-day assessment clock,
oversight/signals.py for the drift and quality signals, oversight/supervision.py and oversight/decisions.py for
management oversight). A fixed number of queries, however long the child's history.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from casefile.casework import deadlines
from casefile.casework.calendar import working_calendar
from casefile.casework.models import Allocation, Assessment, Episode, Plan, Visit
from casefile.oversight import signals
from casefile.oversight.decisions import Listed, listed
from casefile.oversight.models import CaseSupervision, SupervisionAction
from casefile.people.models import Person
from casefile.rules import clocks
from casefile.rules.clocks import Clock, ClockStatus
from casefile.rules.signals import Finding
from casefile.rules.working_days import working_days_between

# Visits are counted over the last year, as the signals look back.
VISITS_LOOK_BACK_DAYS = 365


@dataclass(frozen=True)
class AssessmentClock:
    """An episode's assessment clock: 45 working days from the referral to the first assessment authorised."""

    referral_date: datetime.date
    authorised_on: datetime.date | None
    status: ClockStatus
    working_days_taken: int | None


@dataclass(frozen=True)
class Seen:
    last_seen: datetime.date | None
    last_seen_alone: datetime.date | None
    visits: int  # in the last VISITS_LOOK_BACK_DAYS
    seen: int  # of those, visits where the child was seen


@dataclass(frozen=True)
class Oversight:
    supervisions: int
    last_supervision: datetime.date | None
    overdue_supervision_actions: int
    decisions: list[Listed]


@dataclass(frozen=True)
class RecordEvidence:
    today: datetime.date
    episodes: list[Episode]  # newest first
    assessment_clocks: list[AssessmentClock]  # newest referral first
    deadlines: list[deadlines.Deadline]  # clocks running now, and those missed lately
    seen: Seen
    allocation: Allocation | None
    workers: int  # different workers who have held the case
    plans: list[Plan]  # newest first, each with review_count and last_review
    oversight: Oversight
    findings: list[Finding]


def _assessment_clocks(episodes: list[Episode], today, calendar, settings) -> list[AssessmentClock]:
    """One query: the first assessment authorised in each episode, on the clock the Next steps panel runs."""
    first: dict[int, datetime.date] = {}
    rows = (Assessment.objects.filter(episode__in=[e.pk for e in episodes], authorised_on__isnull=False)
            .values_list("episode_id", "authorised_on").order_by("authorised_on"))
    for episode_id, authorised_on in rows:
        first.setdefault(episode_id, authorised_on)
    found = []
    for episode in episodes:
        if episode.referral_nfa is True:
            continue
        authorised = first.get(episode.pk)
        if authorised is not None and authorised < episode.referral_date:
            authorised = episode.referral_date
        if authorised is None and episode.closure_date is not None:
            continue  # closed with no assessment: nothing to time
        status = Clock(clocks.ASSESSMENT, episode.referral_date, authorised).status(today, calendar, settings)
        taken = (working_days_between(episode.referral_date, authorised, calendar)
                 if authorised is not None else None)
        found.append(AssessmentClock(episode.referral_date, authorised, status, taken))
    return found


def _seen(child: Person, today: datetime.date) -> Seen:
    since = today - datetime.timedelta(days=VISITS_LOOK_BACK_DAYS)
    row = Visit.objects.filter(child=child).aggregate(
        last_seen=Max("date", filter=Q(child_seen=True)),
        last_seen_alone=Max("date", filter=Q(child_seen=True, seen_alone=True)),
        visits=Count("pk", filter=Q(date__gte=since)),
        seen=Count("pk", filter=Q(date__gte=since, child_seen=True)))
    return Seen(**row)


def _oversight(child: Person, today: datetime.date) -> Oversight:
    supervision = CaseSupervision.objects.filter(child=child).aggregate(count=Count("pk"), last=Max("held_on"))
    overdue = SupervisionAction.objects.filter(supervision__child=child, completed_on__isnull=True,
                                               due_date__lt=today).count()
    return Oversight(supervision["count"], supervision["last"], overdue, listed(child))


def record_evidence(child: Person, *, request=None, today: datetime.date | None = None) -> RecordEvidence:
    """Everything the audit page lays beside its sections, for one child."""
    today = today or timezone.localdate()
    calendar = working_calendar(request)
    settings = deadlines.clock_settings()
    episodes = list(Episode.objects.filter(child=child).order_by("-referral_date", "-pk"))
    running = deadlines.deadlines_for_child(child, today=today, calendar=calendar, settings=settings)
    context = signals.context(today=today, request=request)
    allocations = list(Allocation.objects.filter(child=child).select_related("worker", "team")
                       .order_by("-start_date", "-pk"))
    plans = list(Plan.objects.filter(child=child).annotate(review_count=Count("reviews"),
                                                            last_review=Max("reviews__date"))
                 .order_by("-start_date", "-pk"))
    return RecordEvidence(
        today=today, episodes=episodes,
        assessment_clocks=_assessment_clocks(episodes, today, calendar, settings),
        deadlines=running, seen=_seen(child, today),
        allocation=next((a for a in allocations if a.end_date is None), None),
        workers=len({a.worker_id for a in allocations}), plans=plans,
        oversight=_oversight(child, today),
        findings=signals.signals_beside_deadlines(child, running, context))
