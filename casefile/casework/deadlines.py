"""What is due for a child, worked out from what has been recorded: the statutory clocks wired to the record.

`casefile.rules.clocks` holds each timescale as a rule; this module finds the recorded events that start and
stop each clock (a referral, a strategy discussion that started a section 47 enquiry, a conference, a visit
where the child was seen) and returns, per child, the clocks still running and those missed recently. Due
dates are computed every time, never stored, so a correction to a recorded date or a new non-working day
moves them at once.

The same code serves one child (the record page), one plan (the plan page: `deadlines_for_plan`, the same
clocks filtered to the plan) and many children (my work, the team page): records for every child are loaded
in a fixed number of queries, whatever the number of children.

The authority's choices come from the Django setting CASEFILE_CLOCKS, read by ClockSettings.from_mapping, e.g.
    CASEFILE_CLOCKS = {"local_limits": {"cp_visit": {"amount": 15, "unit": "working_days"}},
                       "due_soon_working_days": 5}
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings as django_settings
from django.db.models import F, Max, Q
from django.utils import timezone

from casefile.access import permissions
from casefile.casework.calendar import working_calendar
from casefile.casework.models import (
    Assessment,
    Conference,
    CoreGroup,
    Episode,
    Plan,
    Section47Enquiry,
    Visit,
)
from casefile.core.prepared import id_list, prepared
from casefile.core.presenters import govuk_date
from casefile.rules import clocks
from casefile.rules.clocks import Clock, ClockSettings, ClockStatus, Limit, Rule, State, Unit
from casefile.rules.working_days import WorkingCalendar

# A clock met late stays on the list this long, so the lateness is seen and explained, then drops off.
RECENTLY_MISSED_DAYS = 28

# What each clock asks the worker to do, in the words a page shows.
WHAT = {
    "referral_decision": "Decide what happens next with the referral",
    "assessment": "Complete the assessment (45 working days from the referral)",
    # Running while the worker writes it and while it waits for a manager: both have something to do.
    "assessment_census": "Complete and authorise the assessment (45 working days from its start)",
    "initial_conference": "Hold the initial child protection conference",
    "first_review_conference": "Hold the first review child protection conference",
    "later_review_conference": "Hold the next review child protection conference",
    "first_core_group": "Hold the first core group meeting",
    "cp_visit": "Visit the child (child protection plan)",
    "cin_visit": "Visit the child (child in need plan)",
}

STATE_ORDER = {State.OVERDUE: 0, State.DUE_SOON: 1, State.ON_TIME: 2, State.COMPLETED_LATE: 3,
               State.COMPLETED_ON_TIME: 4}
STATE_LABELS = {State.OVERDUE: "Overdue", State.DUE_SOON: "Due soon", State.ON_TIME: "On time",
                State.COMPLETED_LATE: "Done late", State.COMPLETED_ON_TIME: "Done on time"}
# GOV.UK tag colours: red only for what is overdue now, so it stands out.
STATE_TAGS = {State.OVERDUE: "govuk-tag--red", State.DUE_SOON: "govuk-tag--yellow", State.ON_TIME: "govuk-tag--blue",
              State.COMPLETED_LATE: "govuk-tag--orange", State.COMPLETED_ON_TIME: "govuk-tag--green"}


def clock_settings() -> ClockSettings:
    """The authority's clock settings (Django setting CASEFILE_CLOCKS), read each time: it is a few dict lookups."""
    return ClockSettings.from_mapping(django_settings.CASEFILE_CLOCKS or {})


@dataclass(frozen=True)
class Deadline:
    """One clock for one child: what is due, from which recorded event, by when, and how it stands."""

    child_id: int
    what: str
    anchor_label: str
    status: ClockStatus
    plan_id: int | None = None  # the plan whose clock this is (reviews, core group, visits), else None

    @property
    def rule(self) -> Rule:
        return self.status.rule

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def anchor_date(self) -> datetime.date:
        return self.status.anchor_date

    @property
    def due(self) -> datetime.date:
        return self.status.due

    @property
    def state(self) -> State:
        return self.status.state

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    @property
    def is_overdue(self) -> bool:
        return self.state is State.OVERDUE

    @property
    def working_days_left(self) -> int:
        return self.status.working_days_left

    @property
    def working_days_late(self) -> int:
        return self.status.working_days_late

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def tag_class(self) -> str:
        return STATE_TAGS[self.state]

    @property
    def force_label(self) -> str:
        return self.rule.force.label

    @property
    def breach_wording(self) -> str:
        """How a miss is described: only a breach of regulation is called unlawful."""
        return self.rule.force.breach_wording

    @property
    def source(self) -> str:
        return self.rule.source

    @property
    def source_url(self) -> str:
        return self.rule.source_url

    @property
    def timing(self) -> str:
        """How far off or how late, in working days: "3 working days late", "Due today"."""
        status = self.status
        if status.state is State.OVERDUE:
            return _late_text(status)
        if status.state is State.COMPLETED_LATE:
            return f"Done on {govuk_date(status.completed_on)}, {_late_text(status)}"
        if status.working_days_left == 0:
            return "Due today"
        return f"{_plural(status.working_days_left, 'working day')} left"

    @property
    def sort_key(self) -> tuple:
        return STATE_ORDER[self.state], self.due, self.what


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _late_text(status: ClockStatus) -> str:
    # A month-based due date on a weekend can be late by calendar days before a working day has passed.
    if status.working_days_late == 0:
        return f"{_plural(status.calendar_days_late, 'day')} late"
    return f"{_plural(status.working_days_late, 'working day')} late"


def next_due(deadlines: Iterable[Deadline]) -> Deadline | None:
    """The first clock still running: the most overdue, else the soonest due."""
    return next((deadline for deadline in sorted(deadlines, key=lambda d: d.sort_key) if deadline.is_open), None)


def overdue_count(deadlines: Iterable[Deadline]) -> int:
    return sum(1 for deadline in deadlines if deadline.is_overdue)


# Loading the records ------------------------------------------------------------------------------------


@dataclass
class _Records:
    """Every record that starts or stops a clock, for a set of children: plain rows (named tuples), grouped by
    child, or by episode or plan. Rows, not models: a manager's list covers a thousand children or more, and
    building a model (and Django's prefetch bookkeeping) for each row took most of the page's time
    (bench/results.md, "Load")."""

    episodes: dict[int, list]
    conferences: dict[int, list]
    plans: dict[int, list]
    visits: dict[int, list]  # (child_id, date, child_seen) rows
    assessments: dict[int, list]  # by episode, oldest first
    enquiries: dict[int, list]  # by episode
    core_group_dates: dict[int, list[datetime.date]]  # by plan, earliest first


class _Seen(NamedTuple):
    child_id: int
    date: datetime.date
    child_seen: bool


def _child_ids(children: Iterable) -> list[int]:
    return sorted({getattr(child, "pk", child) for child in children})


# The queries, each built and compiled once per shape (core/prepared.py): pages ask them for every child they show.
# Past MAX_IDS children (a manager's teams), their ids go as one parameter (id_list).

@prepared
def _episodes(child_ids, since):
    return (Episode.objects.filter(child_id__in=id_list(child_ids))
            .filter(Q(closure_date__isnull=True) | Q(closure_date__gte=since))
            .values_list("pk", "child_id", "referral_date", "referral_decision_date", "referral_nfa", "closure_date",
                         named=True))


@prepared
def _assessments(episode_ids):
    return (Assessment.objects.filter(episode_id__in=id_list(episode_ids)).order_by("start_date", "pk")
            .values_list("episode_id", "start_date", "authorised_on", named=True))


@prepared
def _enquiries(episode_ids):
    return (Section47Enquiry.objects.filter(episode_id__in=id_list(episode_ids))
            .annotate(strategy_date=F("strategy_discussion__date"))
            .values_list("pk", "episode_id", "outcome", "icpc_not_required", "strategy_date", named=True))


@prepared
def _conferences(child_ids):
    return Conference.objects.filter(child_id__in=id_list(child_ids)).order_by("date", "pk").values_list(
        "pk", "child_id", "episode_id", "enquiry_id", "kind", "date", named=True)


@prepared
def _plans(child_ids, since):
    return (Plan.objects.filter(child_id__in=id_list(child_ids))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
            .values_list("pk", "child_id", "kind", "start_date", "end_date", "started_by_conference_id",
                         "visit_interval_working_days", named=True))


@prepared
def _core_groups(plan_ids):
    return CoreGroup.objects.filter(plan_id__in=id_list(plan_ids)).order_by("date", "pk").values_list("plan_id", "date")


@prepared
def _seen_since(child_ids, since):
    return (Visit.objects.filter(child_id__in=id_list(child_ids), child_seen=True, date__gte=since)
            .values_list("child_id", "date", "child_seen", named=True))


@prepared
def _last_seen_before(child_ids, earliest, since):
    return (Visit.objects.filter(child_id__in=id_list(child_ids), child_seen=True, date__gte=earliest, date__lt=since)
            .order_by().values("child_id").annotate(last=Max("date")).values_list("child_id", "last"))


def _seen_on_visits(child_ids: list[int], earliest: datetime.date, since: datetime.date) -> list[_Seen]:
    """The visits that can start or stop a clock still on the list (_visit_clocks leaves out the clocks met before
    `since`): each child's visits since then, and their last before it, from `earliest`. For each plan, that last
    visit is its last one before `since` when it falls in the plan's dates; before the plan, the plan has no visit
    before `since`; after the plan, the plan ended before `since` and none of its clocks is listed. Reading every
    visit since the earliest plan began read 11,000 rows for a head of service's 1,200 children."""
    return [*_seen_since(child_ids, since),
            *(_Seen(child_id, day, True) for child_id, day in _last_seen_before(child_ids, earliest, since))]


def _load(child_ids: list[int], since: datetime.date) -> _Records:
    """Eight queries at most, whatever the number of children (fewer when there is nothing to load)."""
    episodes = _episodes(child_ids, since)
    assessments: Iterable = ()
    enquiries: Iterable = ()
    if episodes:
        episode_ids = [episode.pk for episode in episodes]
        assessments = _assessments(episode_ids)
        enquiries = _enquiries(episode_ids)
    conferences = _conferences(child_ids)
    plans = _plans(child_ids, since)
    visits: list = []
    core_group_dates: dict[int, list[datetime.date]] = defaultdict(list)
    if plans:
        for plan_id, day in _core_groups([plan.pk for plan in plans]):
            core_group_dates[plan_id].append(day)
        # Every visit where the child was seen since the earliest plan began, whatever its kind or link:
        # _visit_clocks says why. Only the day counts.
        earliest = min(plan.start_date for plan in plans)
        visits = _seen_on_visits(child_ids, earliest, since)
    return _Records(_by(episodes, "child_id"), _by(conferences, "child_id"), _by(plans, "child_id"),
                    _by(visits, "child_id"), _by(assessments, "episode_id"), _by(enquiries, "episode_id"),
                    core_group_dates)


def _by(rows: Iterable, key: str) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


# From records to clocks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """A clock found in the record, before its status is worked out. `stopped` is set when the episode or plan
    it belongs to has ended, so a clock still running then is no longer due."""

    rule: Rule
    anchor: datetime.date
    completed: datetime.date | None
    anchor_label: str
    stopped: bool = False
    plan_limit: Limit | None = None
    plan_id: int | None = None


def _candidate(rule: Rule, anchor: datetime.date, completed: datetime.date | None, anchor_label: str,
               **extra) -> _Candidate:
    # A completion recorded before its anchor (a data-entry slip) counts as done on the day, never as an error.
    if completed is not None and completed < anchor:
        completed = anchor
    return _Candidate(rule, anchor, completed, anchor_label, **extra)


def _episode_clocks(episode, records: _Records, conferences: list) -> Iterator[_Candidate]:
    stopped = episode.closure_date is not None
    referral = episode.referral_date
    yield _candidate(clocks.REFERRAL_DECISION, referral, episode.referral_decision_date, "Referral received",
                     stopped=stopped)
    assessments = records.assessments.get(episode.pk, [])
    if episode.referral_nfa is not True:
        first = assessments[0].authorised_on if assessments else None
        yield _candidate(clocks.ASSESSMENT, referral, first, "Referral received", stopped=stopped)
    for assessment in assessments:
        yield _candidate(clocks.ASSESSMENT_CENSUS, assessment.start_date, assessment.authorised_on,
                         "Assessment started", stopped=stopped)
    for enquiry in records.enquiries.get(episode.pk, []):
        if _icpc_needed(enquiry):
            start = enquiry.strategy_date
            yield _candidate(clocks.INITIAL_CONFERENCE, start, _initial_conference_for(enquiry, episode, conferences),
                             "Strategy discussion that started the section 47 enquiry", stopped=stopped)


def _icpc_needed(enquiry) -> bool:
    """The clock stops when a conference is judged not needed, or the enquiry finds no continuing risk."""
    if enquiry.icpc_not_required:
        return False
    return enquiry.outcome in ("", Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK)


def _initial_conference_for(enquiry, episode, conferences: list) -> datetime.date | None:
    """The initial conference that followed this enquiry: linked to it, else the first one in the episode after it."""
    initial = [c for c in conferences if c.kind == Conference.Kind.INITIAL]
    linked = [c.date for c in initial if c.enquiry_id == enquiry.pk]
    if linked:
        return linked[0]
    start = enquiry.strategy_date
    unlinked = [c.date for c in initial
                if c.enquiry_id is None and c.episode_id == episode.pk and c.date >= start]
    return unlinked[0] if unlinked else None


def _plan_clocks(plan, records: _Records, conferences: list, visits: list,
                 since: datetime.date | None = None) -> Iterator[_Candidate]:
    """A plan's clocks, each marked with the plan (the plan page shows these and no others).

    This is the one place a plan's due dates are worked out. An earlier copy for the plan page
    (services/plans.py `due_dates`) disagreed with it in three ways; what is right, and why:
    (a) Visit interval: a child protection plan is visited at the authority's CP_VISIT limit (the setting
        CASEFILE_CLOCKS, else 10 working days) unless the plan sets its own `visit_interval_working_days`,
        which then applies; a child in need plan is visited at its own interval. The copy ignored a child
        protection plan's own interval. See _visit_clocks.
    (b) Reviews: a child protection plan is reviewed at a review conference, so the Conference rows of kind
        review are the recorded events; the PlanReview a review conference writes is its record of progress,
        and a conference recorded without one (imported, or entered before the review form) was still held.
        The copy counted PlanReview rows. See _conference_clocks.
    (c) Visits: any visit where the child was seen, within the plan's dates, restarts the visit clock,
        whether or not it was linked to the plan and whatever kind it was recorded as: a worker may forget
        the link or pick another kind, and the child was still seen. The copy counted only visits linked to
        the plan; this module counted unlinked visits only of the plan's kind. See _visit_clocks.
    """
    if plan.kind == Plan.Kind.CHILD_PROTECTION:
        yield from _conference_clocks(plan, conferences, records.core_group_dates.get(plan.pk, []))
    yield from _visit_clocks(plan, visits, since)


def _within(plan, day: datetime.date, after_start: bool = False) -> bool:
    starts_ok = day > plan.start_date if after_start else day >= plan.start_date
    return starts_ok and (plan.end_date is None or day <= plan.end_date)


def _conference_clocks(plan, conferences: list, core_groups: list[datetime.date]) -> Iterator[_Candidate]:
    """First review within 3 months of the initial conference, each later one within 6 months; first core group.

    The plan's reviews are the child's review conferences after the day the plan started, up to and including
    the day it ended. After, not on: the service refuses a review dated on the start day (CIN census), so a
    review conference that day can only be the one that ended an earlier plan. Up to and including the end:
    the review conference that ends the plan is dated on its end date and is a review of this plan, so a late
    final review shows as done late.
    """
    stopped = plan.end_date is not None
    started = next((c for c in conferences if c.pk == plan.started_by_conference_id), None)
    initial_date = started.date if started is not None else plan.start_date
    initial_label = Conference.Kind(started.kind).label if started is not None else "Plan started"
    reviews = [c.date for c in conferences if c.kind == Conference.Kind.REVIEW and _within(plan, c.date, True)]
    yield _candidate(clocks.FIRST_REVIEW_CONFERENCE, initial_date, reviews[0] if reviews else None,
                     initial_label, stopped=stopped, plan_id=plan.pk)
    for previous, following in zip(reviews, [*reviews[1:], None], strict=False):
        yield _candidate(clocks.LATER_REVIEW_CONFERENCE, previous, following, "Previous review conference",
                         stopped=stopped, plan_id=plan.pk)
    yield _candidate(clocks.FIRST_CORE_GROUP, initial_date, core_groups[0] if core_groups else None,
                     initial_label, stopped=stopped, plan_id=plan.pk)


def _visit_interval(plan) -> tuple[Rule, Limit | None]:
    """The visit rule and the plan's own interval, which replaces the rule's limit and the authority's
    (clocks.limit_for). A child protection plan with no interval of its own falls back to the authority's
    CP_VISIT setting, else the rule's 10 working days; a child in need plan has only its own."""
    rule = clocks.CP_VISIT if plan.kind == Plan.Kind.CHILD_PROTECTION else clocks.CIN_VISIT
    interval = plan.visit_interval_working_days
    return rule, Limit(interval, Unit.WORKING_DAYS) if interval else None


def _visit_clocks(plan, visits: list, since: datetime.date | None = None) -> Iterator[_Candidate]:
    """Each visit where the child was seen within the plan's dates restarts the clock, linked to the plan or
    not, whatever its kind; a visit where they were not seen does not. With `since`, clocks met before it are
    left out (_deadline would drop them): a long plan has hundreds, and a manager's list thousands."""
    rule, plan_limit = _visit_interval(plan)
    if rule.limit is None and plan_limit is None:
        return  # a child in need plan that sets no visit frequency: nothing to count from
    seen = sorted({visit.date for visit in visits if visit.child_seen and _within(plan, visit.date)})
    anchors = [(plan.start_date, "Plan started"), *((day, "Last visit where the child was seen") for day in seen)]
    for (anchor, label), following in zip(anchors, [*seen, None], strict=True):
        if following == anchor:
            continue  # a visit on the day the plan started meets the first clock on day 0
        if since is not None and following is not None and following < since:
            continue
        yield _candidate(rule, anchor, following, label, stopped=plan.end_date is not None, plan_limit=plan_limit,
                         plan_id=plan.pk)


def _candidates(child_id: int, records: _Records, since: datetime.date | None = None) -> Iterator[_Candidate]:
    conferences = records.conferences.get(child_id, [])
    for episode in records.episodes.get(child_id, []):
        yield from _episode_clocks(episode, records, conferences)
    for plan in records.plans.get(child_id, []):
        yield from _plan_clocks(plan, records, conferences, records.visits.get(child_id, []), since)


def _deadline(child_id: int, candidate: _Candidate, today: datetime.date, since: datetime.date,
              calendar: WorkingCalendar, settings: ClockSettings) -> Deadline | None:
    """The clock's status if it belongs on the list: still running, or met late recently."""
    if candidate.completed is None and candidate.stopped:
        return None
    if candidate.completed is not None and candidate.completed < since:
        return None  # long done: not worth the arithmetic
    clock = Clock(candidate.rule, candidate.anchor, candidate.completed, candidate.plan_limit)
    status = clock.status(today, calendar, settings)
    if status.state is State.COMPLETED_ON_TIME:
        return None
    return Deadline(child_id, WHAT[candidate.rule.code], candidate.anchor_label, status, candidate.plan_id)


# The public functions -----------------------------------------------------------------------------------


def deadlines_for_children(children: Iterable, *, today: datetime.date | None = None,
                           calendar: WorkingCalendar | None = None, settings: ClockSettings | None = None,
                           request=None) -> dict[int, list[Deadline]]:
    """Per child id (every child asked about, even with nothing due): running clocks and recent misses,
    most urgent first. `children` may be Person objects or ids."""
    child_ids = _child_ids(children)
    result: dict[int, list[Deadline]] = {child_id: [] for child_id in child_ids}
    if not child_ids:
        return result
    today = today or timezone.localdate()
    calendar = calendar or working_calendar(request)
    settings = settings or clock_settings()
    since = today - datetime.timedelta(days=RECENTLY_MISSED_DAYS)
    records = _load(child_ids, since)
    for child_id in child_ids:
        found = (_deadline(child_id, candidate, today, since, calendar, settings)
                 for candidate in _candidates(child_id, records, since))
        result[child_id] = sorted((deadline for deadline in found if deadline), key=lambda d: d.sort_key)
    return result


def deadlines_for_child(child, **options) -> list[Deadline]:
    """The same for one child: the record page's "Next steps"."""
    return deadlines_for_children([child], **options)[getattr(child, "pk", child)]


def deadlines_for_plan(plan: Plan, **options) -> list[Deadline]:
    """The plan page's "What is due": the child's deadlines (as on the record page, including those met late
    recently) that belong to this plan: its first core group, review conferences and visits. Filtering the
    child's list, rather than counting again, keeps the two pages from ever disagreeing.

    Options as for deadlines_for_children (today, calendar, settings, request)."""
    return [deadline for deadline in deadlines_for_child(plan.child_id, **options) if deadline.plan_id == plan.pk]


def next_steps_context(request, child) -> dict:
    """What the child record's "Next steps" panel (casework/_next_steps.html) needs: the clocks running for the
    child, and whether this user may change who holds the case. Shared by the record page and casework pages."""
    if child.kind != child.Kind.CHILD:
        return {"next_steps": [], "can_allocate": False}
    return {"next_steps": deadlines_for_child(child, request=request),
            "can_allocate": permissions.may_allocate(request.user)}
