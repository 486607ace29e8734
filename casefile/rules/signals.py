"""Drift and quality signals computed from the record (issue 10, item 7), over plain rows: no Django here.

Each signal has a code, a name, and a check that reads one child's record (`ChildRecord`, built from the
database by casefile/oversight/signals.py) and returns findings. A finding explains itself in one sentence
built from the facts ("Child in need plan started 3 March 2025 has not been reviewed: the first review was due
by 3 June 2025"), names the records it points at (`Evidence`: a kind and an id, so a page can link to each), the
day the problem arose, and whether it is still going on (`current`).

Thresholds an authority would want to set are in `SignalSettings`, each with its default and where that
default comes from (`SignalSettings.source`). Statutory clocks are not worked out again here: the caller passes
the child's overdue clocks (casework/deadlines.py over rules/clocks.py) as `OverdueClockRow`s, and late visits
use rules/clocks.py's visit rules.

A closure signed off without the re-referral history being shown is found from what the sign-off page kept of
the history it showed (`EpisodeRow.closure_history_shown`): a closure signed off before that was kept, or closed
any other way, has nothing kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from types import MappingProxyType
from typing import Any, NamedTuple

from casefile.rules import clocks
from casefile.rules.clocks import Clock, ClockSettings, Limit, Unit, add_calendar_months
from casefile.rules.working_days import (
    ENGLAND_AND_WALES,
    Convention,
    WorkingCalendar,
    add_working_days,
    working_days_between,
)

# The plan kinds and assessment outcomes as the record stores them (casework.models).
CP, CIN = "cp", "cin"
PLAN_NAMES = {CP: "Child protection plan", CIN: "Child in need plan"}
NOTHING_MORE_TO_DO = frozenset({"nfa", "early_help"})
PLAN_NEEDED = "cin_plan"
INITIAL_CONFERENCE = "initial"
ACTION_DONE = "done"
IDENTITY_FIELDS = ("ethnicity", "religion", "first_language")
IDENTITY_LABELS = {"ethnicity": "ethnicity", "religion": "religion", "first_language": "first language"}
MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _source(text: str) -> dict:
    return {"source": text}


@dataclass(frozen=True)
class SignalSettings:
    """An authority's thresholds. Every default names its source (`SignalSettings.source(name)`)."""

    cin_first_review_months: int = field(default=3, metadata=_source(
        "Local standard, as in the issue (and common local procedures, e.g. Walsall): the first child in need "
        "review within 3 months of the plan starting."))
    cin_review_interval_months: int = field(default=6, metadata=_source(
        "Local standard, as in the issue: later child in need reviews at least every 6 months."))
    cp_plan_long_months: int = field(default=15, metadata=_source(
        "Ofsted and DfE attention to plans lasting beyond 15 months (the issue's first threshold)."))
    cp_plan_very_long_months: int = field(default=24, metadata=_source(
        "DfE Children in need statistics, table D7: plans lasting 2 years or more."))
    repeat_plan_window_months: int | None = field(default=None, metadata=_source(
        "DfE Children in need statistics count a second or subsequent plan ever (None); an authority may "
        "look back only so many months."))
    no_progress_reviews: int = field(default=2, metadata=_source(
        "The issue: plan actions not done at two reviews running."))
    open_after_assessment_working_days: int = field(default=20, metadata=_source(
        "Local practice: a case with nothing more to do is closed within about a month (20 working days) of "
        "the assessment ending."))
    plan_after_assessment_working_days: int = field(default=10, metadata=_source(
        "The issue: an assessment that said a plan was needed, with no plan after 10 working days."))
    re_referral_months: int = field(default=12, metadata=_source(
        "DfE Children in need statistics, table C1: a referral within 12 months of a previous one."))
    worker_changes: int = field(default=3, metadata=_source(
        "The issue: three or more changes of worker in 12 months."))
    worker_changes_months: int = field(default=12, metadata=_source("The issue: in 12 months."))
    identity_fields: tuple[str, ...] = field(default=IDENTITY_FIELDS, metadata=_source(
        "The issue and the CIN census (ethnicity); religion and first language for the child's identity."))
    views_from_age: int = field(default=4, metadata=_source(
        "Local practice (and the simulator): a child of 4 or more can give their views in their own words."))
    repeated_strategy_count: int = field(default=2, metadata=_source(
        "The issue: repeated strategy discussions or section 47 enquiries (two or more) without a conference."))
    repeated_strategy_months: int = field(default=12, metadata=_source(
        "Local practice: repeated within 12 months, the re-referral window."))
    late_recording_working_days: int = field(default=5, metadata=_source(
        "Local recording standard: most authorities ask for visits and notes to be typed within 5 working "
        "days."))
    quiet_weeks: int = field(default=6, metadata=_source(
        "Local practice: an open child protection case with nothing on its chronology for 6 weeks (three "
        "missed 10-working-day visits) is drifting."))

    def __post_init__(self):
        for setting in fields(self):
            value = getattr(self, setting.name)
            if isinstance(value, int) and not isinstance(value, bool) and value < 1:
                raise ValueError(f"{setting.name}: expected a whole number of 1 or more, got {value!r}")
        unknown = sorted(set(self.identity_fields) - set(IDENTITY_FIELDS))
        if unknown:
            raise ValueError(f"identity_fields: {unknown[0]!r} is not one of {', '.join(IDENTITY_FIELDS)}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SignalSettings:
        """Settings from plain data (the Django setting CASEFILE_SIGNALS)."""
        known = {setting.name for setting in fields(cls)}
        if unknown := sorted(set(data) - known):
            raise ValueError(f"{unknown[0]}: not a signal setting; expected one of {', '.join(sorted(known))}")
        values = dict(data)
        if "identity_fields" in values:
            values["identity_fields"] = tuple(values["identity_fields"])
        return cls(**values)

    @classmethod
    def source(cls, name: str) -> str:
        return next(setting.metadata["source"] for setting in fields(cls) if setting.name == name)


# The rows a check reads ----------------------------------------------------------------------------------
# Named tuples: a whole authority has a million of them, and a tuple is made three times as fast as a frozen
# dataclass (oversight/signals.py makes them straight from the database's rows).


class EpisodeRow(NamedTuple):
    id: int
    referral_date: date
    closure_date: date | None = None
    childs_views_at_closure: str = ""
    fathers_views_at_closure: str = ""
    fathers_views_not_sought: str = ""  # why not, when they were not sought (casework.FathersViewsNotSought)
    closure_signed_off_on: date | None = None
    closure_history_shown: bool = True  # the sign-off page kept what it showed of the child's history


class AssessmentRow(NamedTuple):
    id: int
    episode_id: int
    start_date: date
    authorised_on: date | None = None
    outcome: str = ""
    adults_included: frozenset[int] = frozenset()  # people recorded as part of the assessment
    adults_seen: frozenset[int] = frozenset()


class StrategyRow(NamedTuple):
    """A strategy discussion, with the section 47 enquiry it started, if any."""

    id: int
    episode_id: int
    date: date
    enquiry_outcome_date: date | None = None


class ConferenceRow(NamedTuple):
    id: int
    kind: str
    date: date


class PlanRow(NamedTuple):
    id: int
    episode_id: int
    kind: str
    start_date: date
    end_date: date | None = None
    visit_interval_working_days: int | None = None


class ReviewRow(NamedTuple):
    """A plan review, with how many of the plan's actions were marked at it and how many of those were done."""

    id: int
    plan_id: int
    date: date
    actions_marked: int = 0
    actions_done: int = 0


class DatedRow(NamedTuple):
    """A visit, case note or core group: when it happened and the day it was typed. `seen` is for visits."""

    id: int
    date: date
    recorded_on: date
    seen: bool = True
    plan_id: int | None = None


class AllocationRow(NamedTuple):
    id: int
    worker_id: int
    team_id: int
    start_date: date
    end_date: date | None = None


class OverdueClockRow(NamedTuple):
    """A statutory clock overdue today, as casework/deadlines.py works it out."""

    code: str
    what: str
    due: date
    working_days_late: int
    breach_wording: str
    plan_id: int | None = None


@dataclass(frozen=True)
class ChildRecord:
    """Everything the checks read about one child."""

    child_id: int
    date_of_birth: date | None = None
    ethnicity: str = ""
    religion: str = ""
    first_language: str = ""
    father_ids: frozenset[int] = frozenset()
    episodes: tuple[EpisodeRow, ...] = ()
    assessments: tuple[AssessmentRow, ...] = ()
    strategy_discussions: tuple[StrategyRow, ...] = ()
    conferences: tuple[ConferenceRow, ...] = ()
    plans: tuple[PlanRow, ...] = ()
    reviews: tuple[ReviewRow, ...] = ()
    visits: tuple[DatedRow, ...] = ()
    case_notes: tuple[DatedRow, ...] = ()
    core_groups: tuple[DatedRow, ...] = ()
    allocations: tuple[AllocationRow, ...] = ()
    overdue_clocks: tuple[OverdueClockRow, ...] = ()

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        birth = self.date_of_birth
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# What a check returns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A record a finding points at: `kind` is one of EVIDENCE_KINDS, `id` its primary key."""

    kind: str
    id: int
    plan_id: int | None = None  # a review's plan, which its page's address needs


EVIDENCE_KINDS = ("person", "episode", "assessment", "strategy_discussion", "conference", "plan", "review", "visit",
                  "case_note", "allocation")


@dataclass(frozen=True)
class Finding:
    code: str
    child_id: int
    explanation: str
    evidence: tuple[Evidence, ...]
    day: date  # when the problem arose (a due date missed, a closure, a referral)
    current: bool = False  # still going on today
    occurrences: int = 1  # late visits: how many gaps were late


@dataclass(frozen=True)
class Context:
    today: date
    settings: SignalSettings = field(default_factory=SignalSettings)
    clock_settings: ClockSettings = clocks.DEFAULT_SETTINGS
    calendar: WorkingCalendar = ENGLAND_AND_WALES
    since: date | None = None  # findings that arose earlier and are over are left out; None keeps all


Check = Callable[[ChildRecord, Context], Iterator[Finding]]


@dataclass(frozen=True)
class Signal:
    code: str
    name: str
    description: str
    check: Check


def govuk_day(day: date) -> str:
    """'3 June 2025', as GOV.UK writes dates (core.presenters.govuk_date is Django-side).

    >>> govuk_day(date(2025, 6, 3))
    '3 June 2025'
    """
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _plan_name(plan: PlanRow, *, lower: bool = False) -> str:
    name = PLAN_NAMES.get(plan.kind, "Plan")
    return f"{name.lower() if lower else name} started {govuk_day(plan.start_date)}"


def _left_out(ctx: Context, day: date, current: bool = False) -> bool:
    """Whether findings_for would leave out a finding that arose on `day`: checks ask before writing one, as a whole
    authority has years of such findings to skip."""
    return not current and ctx.since is not None and day < ctx.since


def _within(plan: PlanRow, day: date, *, after_start: bool = False) -> bool:
    starts_ok = day > plan.start_date if after_start else day >= plan.start_date
    return starts_ok and (plan.end_date is None or day <= plan.end_date)


# The checks ---------------------------------------------------------------------------------------------


def _overdue_clocks(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    for clock in record.overdue_clocks:
        evidence = (Evidence("plan", clock.plan_id),) if clock.plan_id else (Evidence("person", record.child_id),)
        yield Finding("overdue_clock", record.child_id,
                      f"{clock.what}: due by {govuk_day(clock.due)}, {_plural(clock.working_days_late, 'working day')}"
                      f" late ({clock.breach_wording}).", evidence, clock.due, current=True)


def _cin_plan_not_reviewed(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    """The first review within 3 months of the start, then at least every 6 months (settings)."""
    settings = ctx.settings
    for plan in record.plans:
        if plan.kind != CIN:
            continue
        reviews = sorted(r.date for r in record.reviews if r.plan_id == plan.id and _within(plan, r.date))
        due, last, late = add_calendar_months(plan.start_date, settings.cin_first_review_months), None, None
        for day in reviews:
            if day > due:
                late = day  # the review that came after the one missed
                break
            last, due = day, add_calendar_months(day, settings.cin_review_interval_months)
        if (plan.end_date or ctx.today) <= due or _left_out(ctx, due, plan.end_date is None and late is None):
            continue
        what = ("has not been reviewed: the first review was due by" if last is None else
                f"was last reviewed on {govuk_day(last)}: the next review was due by")
        after = f"; it was reviewed late, on {govuk_day(late)}" if late else ""
        yield Finding("cin_plan_not_reviewed", record.child_id, f"{_plan_name(plan)} {what} {govuk_day(due)}{after}.",
                      (Evidence("plan", plan.id),), due, current=plan.end_date is None and late is None)


def _long_plans(code: str, months: Callable[[SignalSettings], int]) -> Check:
    def check(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
        limit = months(ctx.settings)
        for plan in record.plans:
            reached = add_calendar_months(plan.start_date, limit)
            if (plan.kind != CP or (plan.end_date or ctx.today) < reached
                    or _left_out(ctx, reached, plan.end_date is None)):
                continue
            now = f"ended {govuk_day(plan.end_date)}" if plan.end_date else "is still open"
            yield Finding(code, record.child_id, f"{_plan_name(plan)} {now}: it reached {_plural(limit, 'month')} "
                          f"on {govuk_day(reached)}.", (Evidence("plan", plan.id),), reached,
                          current=plan.end_date is None)
    return check


def _repeat_plans(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    window = ctx.settings.repeat_plan_window_months
    plans = sorted((plan for plan in record.plans if plan.kind == CP), key=lambda plan: (plan.start_date, plan.id))
    for number, plan in enumerate(plans[1:], start=2):
        previous = plans[number - 2]
        ended = previous.end_date or plan.start_date
        if window is not None and add_calendar_months(ended, window) < plan.start_date:
            continue
        ordinal = {2: "second", 3: "third"}.get(number, f"{number}th")
        yield Finding("repeat_cp_plan", record.child_id,
                      f"{_plan_name(plan)} is the child's {ordinal} child protection plan: the previous one ran "
                      f"from {govuk_day(previous.start_date)} to {govuk_day(ended)}.",
                      (Evidence("plan", plan.id), Evidence("plan", previous.id)), plan.start_date,
                      current=plan.end_date is None)


def _no_progress(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    """At `no_progress_reviews` reviews running, none of the plan's actions was done."""
    needed = ctx.settings.no_progress_reviews
    for plan in record.plans:
        reviews = sorted((r for r in record.reviews if r.plan_id == plan.id and r.actions_marked),
                         key=lambda review: (review.date, review.id))
        run: list[ReviewRow] = []
        for review in reviews:
            run = [*run, review] if review.actions_done == 0 else []
            if len(run) == needed:
                days = " and ".join(govuk_day(r.date) for r in run)
                yield Finding("plan_no_progress", record.child_id,
                              f"No action in the {_plan_name(plan, lower=True)} was done at the "
                              f"reviews on {days}.", tuple(Evidence("review", r.id, plan.id) for r in run), review.date,
                              current=plan.end_date is None and review is reviews[-1])
                break


def _visit_rule(plan: PlanRow) -> tuple[clocks.Rule, Limit | None]:
    """As casework/deadlines.py: the plan's own interval, else the authority's CP visit standard."""
    rule = clocks.CP_VISIT if plan.kind == CP else clocks.CIN_VISIT
    interval = plan.visit_interval_working_days
    return rule, Limit(interval, Unit.WORKING_DAYS) if interval else None


def _visit_late(rule: clocks.Rule, limit: Limit, anchor: date, day: date, ctx: Context) -> bool:
    """Whether a visit on `day` came after the due date counted from `anchor`, as clocks.Clock says.

    A whole authority has tens of thousands of gaps, so the usual case (day-0 counting, working days) is worked
    out by arithmetic: the day is late if more than `limit` working days follow the anchor up to it, or exactly
    that many and the day itself is not a working day (the due date was the working day before it). Any other
    setting asks clocks.due_date.
    """
    settings = ctx.clock_settings
    if (limit.unit is Unit.WORKING_DAYS and settings.convention_for(rule) is Convention.ANCHOR_IS_DAY_0
            and not settings.roll_non_working_anchor):
        counted = working_days_between(anchor, day, ctx.calendar)
        return counted > limit.amount or (counted == limit.amount and not ctx.calendar.is_working_day(day))
    return day > clocks.due_date(rule, anchor, ctx.calendar, settings, plan_limit=limit)


def _late_visits(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    """Each gap between visits where the child was seen (from the plan's start) that ran past the standard."""
    for plan in record.plans:
        rule, plan_limit = _visit_rule(plan)
        if (rule.limit is None and plan_limit is None) or (plan.end_date and _left_out(ctx, plan.end_date)):
            continue  # no standard; or every gap within the plan ended before ctx.since, and only later ones count
        seen = {}
        for visit in record.visits:
            if visit.seen and _within(plan, visit.date):
                seen.setdefault(visit.date, visit)
        limit = clocks.limit_for(rule, ctx.clock_settings, plan_limit)
        late = []
        anchor = plan.start_date
        for day in sorted(seen):
            if day == anchor:
                continue
            if (ctx.since is None or day >= ctx.since) and _visit_late(rule, limit, anchor, day, ctx):
                late.append((seen[day], anchor))
            anchor = day
        if late:
            visit, anchor = late[-1]
            status = Clock(rule, anchor, visit.date, plan_limit).status(ctx.today, ctx.calendar, ctx.clock_settings)
            yield Finding("late_visits", record.child_id,
                          f"{_plural(len(late), 'visit')} on the {_plan_name(plan, lower=True)} "
                          f"came more than {limit.describe()} after the last; the latest, on {govuk_day(visit.date)}, "
                          f"was {_plural(status.working_days_late, 'working day')} late.",
                          tuple(Evidence("visit", v.id) for v, _ in late[-5:]), visit.date, occurrences=len(late))


def _work_ended(episode: EpisodeRow, record: ChildRecord) -> tuple[AssessmentRow, date] | None:
    """The episode's last assessment, if it said there was nothing more to do, and the day the work ended (the
    later of its authorisation and any section 47 enquiry's outcome)."""
    done = [a for a in record.assessments if a.episode_id == episode.id and a.authorised_on]
    if not done:
        return None
    last = max(done, key=lambda a: (a.authorised_on, a.id))
    if last.outcome not in NOTHING_MORE_TO_DO:
        return None
    if any(p.episode_id == episode.id and p.start_date >= last.authorised_on for p in record.plans):
        return None
    outcomes = [s.enquiry_outcome_date for s in record.strategy_discussions
                if s.episode_id == episode.id and s.enquiry_outcome_date]
    return last, max([last.authorised_on, *outcomes])


def _open_after_assessment(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    limit = ctx.settings.open_after_assessment_working_days
    for episode in record.episodes:
        if episode.closure_date and _left_out(ctx, episode.closure_date):
            continue  # the finding's day comes before the closure
        ended = _work_ended(episode, record)
        if ended is None:
            continue
        assessment, day = ended
        stop = episode.closure_date or ctx.today
        if stop < day or working_days_between(day, stop, ctx.calendar) <= limit:
            continue
        still = (f"was closed only on {govuk_day(episode.closure_date)}" if episode.closure_date
                 else "is still open")
        yield Finding("open_after_assessment", record.child_id,
                      f"The assessment ended on {govuk_day(day)} with nothing more for children's social care to do, "
                      f"but the case {still}, more than {_plural(limit, 'working day')} later.",
                      (Evidence("episode", episode.id), Evidence("assessment", assessment.id)),
                      add_working_days(day, limit, ctx.calendar), current=episode.closure_date is None)


def _plan_not_started(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    """A plan in the episode counts if it started once the assessment had begun: a conference that decides on
    no child protection plan may start a child in need plan before the assessment is authorised."""
    limit = ctx.settings.plan_after_assessment_working_days
    for assessment in record.assessments:
        if assessment.outcome != PLAN_NEEDED or assessment.authorised_on is None:
            continue
        due = add_working_days(assessment.authorised_on, limit, ctx.calendar)
        starts = sorted(p.start_date for p in record.plans
                        if p.episode_id == assessment.episode_id and p.start_date >= assessment.start_date)
        started = starts[0] if starts else None
        if (started or ctx.today) <= due:
            continue
        after = f"the plan started only on {govuk_day(started)}" if started else "no plan has started"
        yield Finding("plan_not_started", record.child_id,
                      f"The assessment authorised on {govuk_day(assessment.authorised_on)} said a child in need plan "
                      f"was needed, but {after}: it was due by {govuk_day(due)}.",
                      (Evidence("assessment", assessment.id),), due, current=started is None)


def _re_referrals(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    months = ctx.settings.re_referral_months
    episodes = sorted(record.episodes, key=lambda e: (e.referral_date, e.id))
    for previous, episode in zip(episodes, episodes[1:], strict=False):
        closed = previous.closure_date
        if (closed is None or _left_out(ctx, episode.referral_date, episode.closure_date is None)
                or episode.referral_date > add_calendar_months(closed, months)):
            continue
        yield Finding("re_referral", record.child_id,
                      f"Referred again on {govuk_day(episode.referral_date)}, within {_plural(months, 'month')} of the "
                      f"case closing on {govuk_day(closed)}.",
                      (Evidence("episode", episode.id), Evidence("episode", previous.id)), episode.referral_date,
                      current=episode.closure_date is None)


def _worker_changes(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    settings = ctx.settings
    allocations = sorted(record.allocations, key=lambda a: (a.start_date, a.id))
    changes = [a for previous, a in zip(allocations, allocations[1:], strict=False)
               if a.worker_id != previous.worker_id]
    for change in reversed(changes):
        start = add_calendar_months(change.start_date, -settings.worker_changes_months)
        window = [c for c in changes if start < c.start_date <= change.start_date]
        if len(window) >= settings.worker_changes:
            yield Finding("worker_changes", record.child_id,
                          f"The child's worker changed {len(window)} times in the {settings.worker_changes_months} "
                          f"months to {govuk_day(change.start_date)}.",
                          tuple(Evidence("allocation", c.id) for c in window), change.start_date,
                          current=change.end_date is None)
            return


def _missing_identity(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    missing = [IDENTITY_LABELS[name] for name in ctx.settings.identity_fields if not getattr(record, name)]
    if missing:
        listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        verb = "is" if len(missing) == 1 else "are"
        yield Finding("missing_identity", record.child_id, f"The child's {listed} {verb} not recorded.",
                      (Evidence("person", record.child_id),), ctx.today, current=True)


def _closure_without_views(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    """Closures after an assessment, of a child old enough to say what they think, with no views recorded."""
    assessed = {a.episode_id for a in record.assessments}
    for episode in record.episodes:
        closed = episode.closure_date
        if (closed is None or _left_out(ctx, closed) or episode.id not in assessed
                or episode.childs_views_at_closure.strip()):
            continue
        age = record.age_on(closed)
        if age is None or age < ctx.settings.views_from_age:
            continue
        yield Finding("closure_without_views", record.child_id,
                      f"The case was closed on {govuk_day(closed)} without the child's views, when they were {age}.",
                      (Evidence("episode", episode.id),), closed)


def _closure_without_fathers_views(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    """Closures after an assessment, of a child whose father is known on the record, with neither his views nor
    why they were not sought."""
    if not record.father_ids:
        return
    assessed = {a.episode_id for a in record.assessments}
    for episode in record.episodes:
        closed = episode.closure_date
        if (closed is None or episode.id not in assessed or episode.fathers_views_at_closure.strip()
                or episode.fathers_views_not_sought):
            continue
        yield Finding("closure_without_fathers_views", record.child_id,
                      f"The case was closed on {govuk_day(closed)} without the father's views, or why they were not "
                      f"sought, though the child's father is known on the record.",
                      (Evidence("episode", episode.id),), closed)


def _closure_without_history(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    """A closed case whose sign-off kept nothing of the child's contact and referral history shown to the manager."""
    for episode in record.episodes:
        if episode.closure_date is None or episode.closure_history_shown:
            continue
        referrals = sum(1 for other in record.episodes if other.referral_date <= episode.closure_date)
        signed = (f"signed off on {govuk_day(episode.closure_signed_off_on)}" if episode.closure_signed_off_on
                  else "closed")
        yield Finding("closure_history_not_shown", record.child_id,
                      f"The case closed on {govuk_day(episode.closure_date)} was {signed} without the child's "
                      f"contact, referral and re-referral history being shown ({_plural(referrals, 'referral')} "
                      f"on the record by then).", (Evidence("episode", episode.id),),
                      episode.closure_signed_off_on or episode.closure_date)


def _father_left_out(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    if not record.father_ids:
        return
    for assessment in record.assessments:
        if (_left_out(ctx, assessment.start_date, assessment.authorised_on is None)
                or assessment.adults_seen & record.father_ids):
            continue
        how = "saw" if assessment.adults_included & record.father_ids else "included"
        yield Finding("father_left_out", record.child_id,
                      f"The assessment started {govuk_day(assessment.start_date)} never {how} the child's father, "
                      f"who is known on the record.", (Evidence("assessment", assessment.id),),
                      assessment.start_date, current=assessment.authorised_on is None)


def _repeated_strategy(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    settings = ctx.settings
    discussions = sorted(record.strategy_discussions, key=lambda s: (s.date, s.id))
    initial = [c.date for c in record.conferences if c.kind == INITIAL_CONFERENCE]
    for latest in reversed(discussions):
        start = add_calendar_months(latest.date, -settings.repeated_strategy_months)
        window = [s for s in discussions if start < s.date <= latest.date]
        if len(window) < settings.repeated_strategy_count:
            continue
        if any(window[0].date <= day for day in initial):
            return
        yield Finding("repeated_strategy", record.child_id,
                      f"{_plural(len(window), 'strategy discussion')} from {govuk_day(window[0].date)} to "
                      f"{govuk_day(latest.date)}, with no initial child protection conference.",
                      tuple(Evidence("strategy_discussion", s.id) for s in window), latest.date, current=True)
        return


def _late_recording(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    limit = ctx.settings.late_recording_working_days
    late = [(kind, row) for kind, rows in (("visit", record.visits), ("case_note", record.case_notes))
            for row in rows if row.recorded_on > row.date and (ctx.since is None or row.recorded_on >= ctx.since)
            and working_days_between(row.date, row.recorded_on, ctx.calendar) > limit]
    if late:
        kind, row = max(late, key=lambda item: item[1].recorded_on)
        what = "visit" if kind == "visit" else "case note"
        yield Finding("late_recording", record.child_id,
                      f"{_plural(len(late), 'record')} typed more than {_plural(limit, 'working day')} after the "
                      f"event; "
                      f"the latest, a {what} on {govuk_day(row.date)}, was typed on {govuk_day(row.recorded_on)}.",
                      tuple(Evidence(k, r.id) for k, r in late[-5:]), row.recorded_on, occurrences=len(late))


def _quiet_cp_case(record: ChildRecord, ctx: Context) -> Iterator[Finding]:
    """A child protection plan open at the end of `ctx.today` with nothing on the chronology for `quiet_weeks`
    weeks. As at a day in the past (a self-evaluation pack's period end), a plan started after it is not yet open,
    and one ended after it was still open then."""
    weeks = ctx.settings.quiet_weeks
    for plan in record.plans:
        if plan.kind != CP or plan.start_date > ctx.today or (plan.end_date is not None
                                                               and plan.end_date <= ctx.today):
            continue
        days = [plan.start_date, *(row.date for row in (*record.visits, *record.case_notes, *record.core_groups)),
                *(r.date for r in record.reviews), *(c.date for c in record.conferences)]
        last = max(day for day in days if day <= ctx.today)
        if (ctx.today - last).days <= weeks * 7:
            continue
        yield Finding("quiet_cp_case", record.child_id,
                      f"Nothing has been added to the chronology since {govuk_day(last)}, more than "
                      f"{_plural(weeks, 'week')} ago, while the {_plan_name(plan, lower=True)} "
                      f"is open.", (Evidence("plan", plan.id),), last, current=True)


SIGNALS: Mapping[str, Signal] = MappingProxyType({signal.code: signal for signal in (
    Signal("overdue_clock", "Overdue statutory clocks", "A statutory or local timescale is overdue today.",
           _overdue_clocks),
    Signal("cin_plan_not_reviewed", "Child in need plan not reviewed",
           "No review within 3 months of the plan starting, or within 6 months of the last review.",
           _cin_plan_not_reviewed),
    Signal("plan_not_started", "No plan after the assessment",
           "The assessment said a child in need plan was needed and none started within 10 working days.",
           _plan_not_started),
    Signal("cp_plan_15_months", "Child protection plan over 15 months", "A plan open more than 15 months.",
           _long_plans("cp_plan_15_months", lambda s: s.cp_plan_long_months)),
    Signal("cp_plan_2_years", "Child protection plan over 2 years", "A plan open 2 years or more.",
           _long_plans("cp_plan_2_years", lambda s: s.cp_plan_very_long_months)),
    Signal("repeat_cp_plan", "Second or subsequent child protection plan",
           "The child has been on a child protection plan before.", _repeat_plans),
    Signal("repeated_strategy", "Repeated strategy discussions without a conference",
           "Two or more strategy discussions in 12 months and no initial conference.", _repeated_strategy),
    Signal("re_referral", "Re-referral within 12 months of closure",
           "Referred again within 12 months of the case closing.", _re_referrals),
    Signal("plan_no_progress", "Plan actions not done at two reviews running",
           "At two reviews running, none of the plan's actions was done.", _no_progress),
    Signal("late_visits", "Visits outside the standard",
           "Visits where the child was seen came later than the plan's interval.", _late_visits),
    Signal("worker_changes", "Three or more changes of worker in 12 months",
           "The child's allocated worker changed three or more times in 12 months.", _worker_changes),
    Signal("open_after_assessment", "Case left open after the assessment ended",
           "Nothing more to do after the assessment, but the case stayed open.", _open_after_assessment),
    Signal("missing_identity", "Missing ethnicity, religion or first language",
           "The child's identity is not fully recorded.", _missing_identity),
    Signal("closure_without_views", "Closure without the child's views",
           "A case closed after an assessment without the views of a child old enough to give them.",
           _closure_without_views),
    Signal("closure_without_fathers_views", "Closure without the father's views",
           "A case closed after an assessment without the views of a father known on the record, or why they were "
           "not sought.", _closure_without_fathers_views),
    Signal("closure_history_not_shown", "Closure signed off without the re-referral history",
           "A closure signed off without the child's contact, referral and re-referral history shown to the manager.",
           _closure_without_history),
    Signal("father_left_out", "Father left out of the assessment",
           "A father known on the record was not part of the assessment, or was not seen.", _father_left_out),
    Signal("quiet_cp_case", "No chronology entry on an open child protection case",
           "Nothing recorded for weeks while a child protection plan is open.", _quiet_cp_case),
    Signal("late_recording", "Late recording",
           "Visits and case notes typed more than 5 working days after the event.", _late_recording),
)})


# What a check needs: it finds nothing for a child when any of these ChildRecord fields is empty, so it is not run
# (a whole authority is mostly children with long-closed cases: no plan, no allocation, no visit left to look at).
# A check not named here always runs.
NEEDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "overdue_clock": ("overdue_clocks",),
    "cin_plan_not_reviewed": ("plans",),
    "plan_not_started": ("assessments",),
    "cp_plan_15_months": ("plans",),
    "cp_plan_2_years": ("plans",),
    "repeat_cp_plan": ("plans",),
    "repeated_strategy": ("strategy_discussions",),
    "re_referral": ("episodes",),
    "plan_no_progress": ("plans", "reviews"),
    "late_visits": ("plans", "visits"),
    "worker_changes": ("allocations",),
    "open_after_assessment": ("episodes", "assessments"),
    "closure_without_views": ("episodes", "assessments"),
    "father_left_out": ("father_ids", "assessments"),
    "quiet_cp_case": ("plans",),
})


def findings_for(record: ChildRecord, ctx: Context, codes: Iterable[str] | None = None) -> list[Finding]:
    """Every finding for one child, in SIGNALS order. Findings that arose before `ctx.since` and are over are
    left out, so a page can look at the last year while a rate looks at everything."""
    return _findings(record, ctx, _checks(codes))


def findings_for_all(records: Iterable[ChildRecord], ctx: Context,
                     codes: Iterable[str] | None = None) -> dict[int, list[Finding]]:
    checks = _checks(codes)
    return {record.child_id: _findings(record, ctx, checks) for record in records}


def _checks(codes: Iterable[str] | None) -> tuple[tuple[Check, tuple[str, ...]], ...]:
    return tuple((SIGNALS[code].check, NEEDS.get(code, ())) for code in codes or SIGNALS)


def _findings(record: ChildRecord, ctx: Context, checks) -> list[Finding]:
    found = []
    since = ctx.since
    for check, needs in checks:
        for name in needs:
            if not getattr(record, name):
                break
        else:
            for finding in check(record, ctx):
                if finding.current or since is None or finding.day >= since:
                    found.append(finding)
    return found
