"""Drift and quality signals for one child, a team, a worker or the whole authority, from the record.

The rules are in casefile/rules/signals.py (no Django). This module loads the rows they read for many children
at once: one query per kind of record, whatever the number of children (chunked by child id, so SQLite's limit
on the variables in one statement is never reached), plus casework/deadlines.py's few queries for the overdue
statutory clocks, which are not worked out again here. The whole authority is loaded with no child filter at
all.

Who a child's signals count against: the team and worker who hold the case now, or who held it last if it closed
within the look-back period (`holders`). The authority's thresholds come from the Django setting CASEFILE_SIGNALS
(`SignalSettings.from_mapping`).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from django.conf import settings as django_settings
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from casefile.casework import deadlines
from casefile.casework.calendar import working_calendar
from casefile.casework.models import (
    Allocation,
    Assessment,
    AssessmentAdult,
    CaseNote,
    Conference,
    CoreGroup,
    Episode,
    Plan,
    PlanReview,
    StrategyDiscussion,
    Visit,
)
from casefile.core.prepared import driver_rows, id_list, prepared_rows
from casefile.people.models import Person, Relationship
from casefile.rules import signals as rules
from casefile.rules.clocks import State, add_calendar_months
from casefile.rules.signals import ChildRecord, Context, Finding, SignalSettings
from casefile.rules.working_days import add_working_days

# Child ids per query for casework/deadlines.py: well under SQLite's 32,766 variables (and PostgreSQL's 65,535
# parameters).
CHUNK = 5_000
# A page looks at what arose in the last year, and at anything still going on.
LOOK_BACK_MONTHS = 12
# From this many children, the oldest rows of the biggest tables are left out (`_Trim`): for a few, the subqueries
# that pick them cost more than the rows.
TRIM_FROM = 1_000
EVERY_ROW = Q()


def signal_settings() -> SignalSettings:
    return SignalSettings.from_mapping(django_settings.CASEFILE_SIGNALS or {})


def context(*, today: datetime.date | None = None, since: datetime.date | None = None, request=None,
            everything: bool = False) -> Context:
    """The rules' context: today, the look-back start (`everything` keeps all history), the settings, the calendar."""
    today = today or timezone.localdate()
    if since is None and not everything:
        since = add_calendar_months(today, -LOOK_BACK_MONTHS)
    return Context(today=today, since=since, settings=signal_settings(), clock_settings=deadlines.clock_settings(),
                   calendar=working_calendar(request))


# Loading ---------------------------------------------------------------------------------------------------


def _chunks(child_ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(child_ids), CHUNK):
        yield child_ids[start:start + CHUNK]


def for_children(queryset, path: str, ids: list[int] | None):
    """Only these children's rows (`ids` None: everyone's). Past MAX_IDS ids, the ids go as one parameter (`id_list`):
    a query stays one query however many children there are, within SQLite's limit on variables, and Django does
    not prepare each id as a parameter of its own."""
    if ids is None:
        return queryset
    return queryset.filter(**{f"{path}__in": id_list(ids)})


def _reader(build: Callable[..., object]) -> Callable[..., list[tuple]]:
    """`build(ids, keep)`'s rows as the database driver returns them, without Django's converter for each value (for
    a whole authority, a third of the time spent reading). The drivers already return every column read here as
    the Python value Django would: ids, text, counts, booleans and dates (on SQLite, through the converters Django
    registers for the columns' declared types); only a datetime needs its zone on SQLite (`_local_day`), and a
    boolean worked out in SQL comes back as 0 or 1. With nothing trimmed (`keep` every row), the query is built
    and compiled once per number of children (core/prepared.py): the record page asks about one child on every
    view, and building the queries cost more than running them; past 200 children, every list is one shape."""
    kept = prepared_rows(build)

    def read(ids, keep: Q = EVERY_ROW) -> list[tuple]:
        return kept(ids) if keep is EVERY_ROW else driver_rows(build(ids, keep))

    return read


def _grouped(rows: list[tuple], row: type) -> dict[int, list]:
    """The rows by child: the first column is the child's id, the others `row`'s fields in order."""
    grouped: dict[int, list] = defaultdict(list)
    make = row._make
    for values in rows:
        grouped[values[0]].append(make(values[1:]))
    return grouped


@_reader
def _people_rows(ids, keep: Q = EVERY_ROW):
    return for_children(Person.objects.filter(kind=Person.Kind.CHILD), "pk", ids).values_list(
        "pk", "date_of_birth", "ethnicity", "religion", "first_language")


def _people(ids) -> dict[int, tuple]:
    return {values[0]: values[1:] for values in _people_rows(ids)}


@_reader
def _father_rows(ids, keep: Q = EVERY_ROW):
    return for_children(Relationship.objects.filter(kind=Relationship.Kind.PARENT, person__sex="M"), "relative_id",
                ids).values_list("relative_id", "person_id")


def _fathers(ids) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for child_id, father_id in _father_rows(ids):
        grouped[child_id].append(father_id)
    return grouped


@_reader
def _episode_rows(ids, keep: Q = EVERY_ROW):
    return for_children(Episode.objects.all(), "child_id", ids).annotate(history_shown=ExpressionWrapper(
        Q(closure_history_shown__isnull=False), output_field=BooleanField())).values_list(
        "child_id", "pk", "referral_date", "closure_date", "childs_views_at_closure", "fathers_views_at_closure",
        "fathers_views_not_sought", "closure_signed_off_on", "history_shown")


def _episodes(ids) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for child_id, *values, shown in _episode_rows(ids):
        grouped[child_id].append(rules.EpisodeRow(*values, bool(shown)))
    return grouped


@_reader
def _assessment_adult_rows(ids, keep: Q = EVERY_ROW):
    return for_children(AssessmentAdult.objects.filter(keep), "assessment__episode__child_id", ids).values_list(
        "assessment_id", "person_id", "seen")


@_reader
def _assessment_rows(ids, keep: Q = EVERY_ROW):
    return for_children(Assessment.objects.all(), "episode__child_id", ids).values_list(
        "episode__child_id", "pk", "episode_id", "start_date", "authorised_on", "outcome")


def _assessments(ids, adults_kept: Q = EVERY_ROW) -> dict[int, list]:
    adults: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for assessment, person, seen in _assessment_adult_rows(ids, adults_kept):
        included, seen_by = adults[assessment]
        included.add(person)
        if seen:
            seen_by.add(person)
    grouped: dict[int, list] = defaultdict(list)
    nobody = (frozenset(), frozenset())
    for child_id, pk, *values in _assessment_rows(ids):
        included, seen_by = adults.get(pk, nobody)
        grouped[child_id].append(rules.AssessmentRow(pk, *values, frozenset(included), frozenset(seen_by)))
    return grouped


@_reader
def _strategy_discussion_rows(ids, keep: Q = EVERY_ROW):
    return for_children(StrategyDiscussion.objects.all(), "episode__child_id", ids).values_list(
        "episode__child_id", "pk", "episode_id", "date", "enquiry__outcome_date")


def _strategy_discussions(ids) -> dict[int, list]:
    return _grouped(_strategy_discussion_rows(ids), rules.StrategyRow)


@_reader
def _conference_rows(ids, keep: Q = EVERY_ROW):
    return for_children(Conference.objects.all(), "child_id", ids).values_list("child_id", "pk", "kind", "date")


def _conferences(ids) -> dict[int, list]:
    return _grouped(_conference_rows(ids), rules.ConferenceRow)


@_reader
def _plan_rows(ids, keep: Q = EVERY_ROW):
    return for_children(Plan.objects.all(), "child_id", ids).values_list(
        "child_id", "pk", "episode_id", "kind", "start_date", "end_date", "visit_interval_working_days")


def _plans(ids) -> dict[int, list]:
    return _grouped(_plan_rows(ids), rules.PlanRow)


@_reader
def _review_rows(ids, keep: Q = EVERY_ROW):
    return for_children(PlanReview.objects.filter(keep), "plan__child_id", ids).annotate(
        marked=Count("progress"), done=Count("progress", filter=Q(progress__status=rules.ACTION_DONE)),
    ).values_list("plan__child_id", "pk", "plan_id", "date", "marked", "done")


def _reviews(ids, keep: Q = EVERY_ROW) -> dict[int, list]:
    return _grouped(_review_rows(ids, keep), rules.ReviewRow)


def _dated_reader(model, path: str, *extra: str) -> Callable[..., list[tuple]]:
    def build(ids, keep: Q = EVERY_ROW):
        return for_children(model.objects.filter(keep), path, ids).values_list(
            path, "pk", "date", "recorded_at", *extra)

    build.__name__ = build.__qualname__ = f"_{model._meta.model_name}_rows"
    return _reader(build)


_visit_rows = _dated_reader(Visit, "child_id", "child_seen", "plan_id")
_case_note_rows = _dated_reader(CaseNote, "child_id")
_core_group_rows = _dated_reader(CoreGroup, "plan__child_id")


def _dated(read: Callable[..., list[tuple]], ids, keep: Q = EVERY_ROW) -> dict[int, list]:
    """Visits, case notes and core groups: the day, the day typed (in local time) and, for visits, seen.

    The local day is worked out here rather than with TruncDate: on SQLite that parses every row's text in a
    Python function, three times slower for a whole authority's visits."""
    local_day = _local_day(timezone.get_current_timezone())
    grouped: dict[int, list] = defaultdict(list)
    for child_id, pk, day, recorded, *values in read(ids, keep):
        grouped[child_id].append(rules.DatedRow(pk, day, local_day(recorded), *values))
    return grouped


def _local_day(zone) -> Callable[[datetime.datetime], datetime.date]:
    """The day in `zone` of a moment as the driver returns it: aware from PostgreSQL, in UTC without a zone from
    SQLite. Each hour of the driver's clock is worked out once (a whole authority's visits and notes fall in far
    fewer hours than rows), and remembered only when the whole hour falls on one local day."""
    def exact(moment: datetime.datetime) -> datetime.date:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.UTC)
        return moment.astimezone(zone).date()

    hours: dict[tuple, datetime.date] = {}

    def local_day(moment: datetime.datetime) -> datetime.date:
        hour = (moment.tzinfo, moment.year, moment.month, moment.day, moment.hour)
        day = hours.get(hour)
        if day is None:
            day = exact(moment)
            start = moment.replace(minute=0, second=0, microsecond=0)
            if exact(start) == exact(start.replace(minute=59, second=59, microsecond=999_999)):
                hours[hour] = day
        return day
    return local_day


@_reader
def _allocation_rows(ids, keep: Q = EVERY_ROW):
    return for_children(Allocation.objects.filter(keep), "child_id", ids).values_list(
        "child_id", "pk", "worker_id", "team_id", "start_date", "end_date")


def _allocations(ids, keep: Q = EVERY_ROW) -> dict[int, list]:
    return _grouped(_allocation_rows(ids, keep), rules.AllocationRow)


def _overdue_clocks(child_ids: list[int], ctx: Context) -> dict[int, list]:
    """Overdue clocks as casework/deadlines.py works them out (7 queries a chunk), never recomputed here."""
    found: dict[int, list] = {}
    for ids in _chunks(child_ids):
        by_child = deadlines.deadlines_for_children(ids, today=ctx.today, calendar=ctx.calendar,
                                                    settings=ctx.clock_settings)
        for child_id, rows in by_child.items():
            found[child_id] = _overdue_rows(rows)
    return found


def _overdue_rows(rows: Iterable) -> list[rules.OverdueClockRow]:
    return [rules.OverdueClockRow(d.code, d.what, d.due, d.working_days_late, d.breach_wording, d.plan_id)
            for d in rows if d.state is State.OVERDUE]


def load_records(child_ids: Iterable[int] | None, ctx: Context, *, clocks: bool = True,
                 trim: bool = True) -> list[ChildRecord]:
    """Every child's record for the rules. `child_ids` None loads every child with an episode.

    With a look-back (`ctx.since`), for many children, only the children whose record can still make a finding
    the rules report are loaded (`_in_view`), and the biggest tables are trimmed (`_Trim`) to the rows that can;
    a child left out has no findings. `trim=False` loads every child whole (the tests compare the two)."""
    ids = None if child_ids is None else sorted(set(child_ids))
    referred_only, trimmed = ids is None, _Trim()
    if trim and ctx.since is not None and (ids is None or len(ids) >= TRIM_FROM):
        trimmed = _Trim.since(ctx.since)
        in_view = _in_view(ctx)
        ids = in_view if ids is None else sorted(set(ids).intersection(in_view))
    records = _load(ids, trimmed, referred_only=referred_only)
    running = [record.child_id for record in records if _has_running_clocks(record)]
    if clocks and running:
        overdue = _overdue_clocks(running, ctx)
        records = [_with_clocks(record, overdue[record.child_id]) if overdue.get(record.child_id) else record
                   for record in records]
    return records


def _in_view(ctx: Context) -> list[int]:
    """The children whose record can still make a finding that arose on or after `ctx.since` or is still going on
    (findings_for leaves out any other), in one query. Every other child has none, whatever their record holds,
    so is not loaded. Each rule, and the children it can report:

    - an episode open, or referred, closed or signed off on or after `since`: `overdue_clock` (a clock runs only
      in an open episode or plan), `re_referral` (the later referral's day, or still open),
      `open_after_assessment` (an episode closed before `since` is skipped), `closure_without_views`,
      `closure_without_fathers_views` and `closure_history_not_shown` (the closure's or sign-off's day);
    - a plan open, or started or ended on or after `since`: `overdue_clock`, `cin_plan_not_reviewed` (the review
      missed was due before the plan ended), `cp_plan_15_months` and `cp_plan_2_years` (reached before the end),
      `repeat_cp_plan` (the plan's start), `late_visits` (a plan ended before `since` is skipped),
      `quiet_cp_case` (an open plan), `plan_no_progress` (still going on only while the plan is open);
    - a plan review on or after `since`: `plan_no_progress` (the review's day);
    - an allocation open, or started on or after `since`: `worker_changes` (the change's day, or still open);
    - an assessment not authorised, or started on or after `since`: `father_left_out`; one that said a plan was
      needed, authorised late enough for its plan to be due on or after `since`, or with no plan started in the
      episode since it began: `plan_not_started` (still going on until a plan starts);
    - as many strategy discussions as `repeated_strategy` needs, ever: it is still going on whenever it is found;
    - a visit or case note typed on or after `since` (in local time): `late_recording`;
    - a child with a field of `missing_identity` empty: it is always going on.

    A new rule must fit this, or widen it here."""
    since, settings = ctx.since, ctx.settings
    plan_due_from = _earliest_due_on_or_after(since, settings.plan_after_assessment_working_days, ctx.calendar)
    plan_started = Plan.objects.filter(episode_id=OuterRef("episode_id"), start_date__gte=OuterRef("start_date"))
    missing = Q()
    for name in settings.identity_fields:
        missing |= Q(**{name: ""})
    groups = [
        Episode.objects.filter(Q(closure_date__isnull=True) | Q(referral_date__gte=since) | Q(closure_date__gte=since)
                               | Q(closure_signed_off_on__gte=since)).values_list("child_id"),
        Plan.objects.filter(Q(end_date__isnull=True) | Q(start_date__gte=since) | Q(end_date__gte=since))
        .values_list("child_id"),
        PlanReview.objects.filter(date__gte=since).values_list("plan__child_id"),
        Allocation.objects.filter(Q(end_date__isnull=True) | Q(start_date__gte=since)).values_list("child_id"),
        Assessment.objects.filter(Q(authorised_on__isnull=True) | Q(start_date__gte=since)
                                  | Q(outcome=rules.PLAN_NEEDED, authorised_on__gte=plan_due_from)
                                  | Q(~Exists(plan_started), outcome=rules.PLAN_NEEDED))
        .values_list("episode__child_id"),
        StrategyDiscussion.objects.values("episode__child_id").annotate(discussions=Count("pk"))
        .filter(discussions__gte=settings.repeated_strategy_count).values_list("episode__child_id"),
        Visit.objects.filter(recorded_at__gte=_typed_from(since)).values_list("child_id"),
        CaseNote.objects.filter(recorded_at__gte=_typed_from(since)).values_list("child_id"),
        Person.objects.filter(missing, kind=Person.Kind.CHILD).values_list("pk"),
    ]
    first, *rest = (group.order_by() for group in groups)
    return sorted(child_id for (child_id,) in first.union(*rest))


def _earliest_due_on_or_after(since: datetime.date, working_days: int, calendar) -> datetime.date:
    """The first day from which `working_days` working days reach `since` or later (add_working_days only grows
    with its start, so every later start does too)."""
    day = since
    while add_working_days(day - datetime.timedelta(days=1), working_days, calendar) >= since:
        day -= datetime.timedelta(days=1)
    return day


def _typed_from(since: datetime.date) -> datetime.datetime:
    """The start of `since` in local time: typed on or after it, as DatedRow.recorded_on counts it."""
    return timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))


@dataclass(frozen=True)
class _Trim:
    """Which rows of the biggest tables to load. A whole authority's record is mostly visits, case notes, core
    groups, reviews and allocations from years ago, and those can no longer make a finding that is still going
    on or arose since the look-back began (findings_for leaves any other out). Each rule reading these tables,
    and why the rows left out cannot change what it reports:

    - visits and case notes: `late_visits` counts gaps that ended on or after `since` within a plan, so only a
      plan open on or after `since` matters, and every visit of its child is kept; `late_recording` counts what
      was typed on or after `since`; `quiet_cp_case` reads a child with an open plan (kept).
    - core groups: `quiet_cp_case` only (kept with an open plan).
    - reviews: `cin_plan_not_reviewed` finds a missed review before the plan ended, so a plan that ended before
      `since` reports nothing; `plan_no_progress` reports a review's day, so a child reviewed on or after
      `since` is kept whole; `quiet_cp_case` as above.
    - allocations: `worker_changes` reports a change that started on or after `since` or is still open; a child
      with either is kept whole.
    - the adults in an assessment: `father_left_out` only, which reports an assessment still going on or started
      on or after `since` (the assessment itself is always loaded).

    A new rule that reads one of these tables must fit this, or widen it here.
    """

    dated: Q = EVERY_ROW  # visits and case notes
    core_groups: Q = EVERY_ROW
    reviews: Q = EVERY_ROW
    allocations: Q = EVERY_ROW
    assessment_adults: Q = EVERY_ROW

    @classmethod
    def since(cls, since: datetime.date) -> _Trim:
        planned = Plan.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=since)).values("child_id")
        reviewed = PlanReview.objects.filter(date__gte=since).values("plan__child_id")
        allocated = Allocation.objects.filter(Q(end_date__isnull=True) | Q(start_date__gte=since)).values("child_id")
        return cls(dated=Q(child_id__in=planned) | Q(recorded_at__gte=_typed_from(since)),
                   core_groups=Q(plan__child_id__in=planned),
                   reviews=Q(plan__child_id__in=planned) | Q(plan__child_id__in=reviewed),
                   allocations=Q(child_id__in=allocated),
                   assessment_adults=Q(assessment__authorised_on__isnull=True) | Q(assessment__start_date__gte=since))


def _has_running_clocks(record: ChildRecord) -> bool:
    """Only an open episode or plan has a clock that can be overdue today (deadlines.py stops the rest)."""
    return any(e.closure_date is None for e in record.episodes) or any(p.end_date is None for p in record.plans)


def _with_clocks(record: ChildRecord, clocks: Iterable) -> ChildRecord:
    return replace(record, overdue_clocks=tuple(clocks))


def _load(ids: list[int] | None, trim: _Trim, *, referred_only: bool) -> list[ChildRecord]:
    """The records of these children (None: everyone); `referred_only` keeps only those with an episode."""
    if ids == []:
        return []
    episodes = _episodes(ids)
    wanted = sorted(episodes) if ids is None else [child_id for child_id in ids if child_id in episodes] \
        if referred_only else ids
    if not wanted:
        return []
    people = _people(ids)
    fathers, assessments = _fathers(ids), _assessments(ids, trim.assessment_adults)
    discussions = _strategy_discussions(ids)
    conferences, plans = _conferences(ids), _plans(ids)
    reviews, allocations = _reviews(ids, trim.reviews), _allocations(ids, trim.allocations)
    visits = _dated(_visit_rows, ids, keep=trim.dated)
    notes = _dated(_case_note_rows, ids, keep=trim.dated)
    core_groups = _dated(_core_group_rows, ids, keep=trim.core_groups)
    records = []
    for child_id in wanted:
        if child_id not in people:
            continue  # an adult, or a disposed record
        birth, ethnicity, religion, language = people[child_id]
        records.append(ChildRecord(
            child_id=child_id, date_of_birth=birth, ethnicity=ethnicity, religion=religion, first_language=language,
            father_ids=frozenset(fathers.get(child_id, ())), episodes=tuple(episodes.get(child_id, ())),
            assessments=tuple(assessments.get(child_id, ())),
            strategy_discussions=tuple(discussions.get(child_id, ())), conferences=tuple(conferences.get(child_id, ())),
            plans=tuple(plans.get(child_id, ())), reviews=tuple(reviews.get(child_id, ())),
            visits=tuple(visits.get(child_id, ())), case_notes=tuple(notes.get(child_id, ())),
            core_groups=tuple(core_groups.get(child_id, ())), allocations=tuple(allocations.get(child_id, ()))))
    return records


# The public functions --------------------------------------------------------------------------------------


def signals_for_children(child_ids: Iterable[int], ctx: Context | None = None,
                         codes: Iterable[str] | None = None) -> dict[int, list[Finding]]:
    """Per child id asked about (even with none): the findings, in the rules' order."""
    ctx = ctx or context()
    ids = sorted(set(child_ids))
    found: dict[int, list[Finding]] = {child_id: [] for child_id in ids}
    found.update(rules.findings_for_all(load_records(ids, ctx), ctx, codes))
    return found


def signals_for_child(child, ctx: Context | None = None) -> list[Finding]:
    child_id = getattr(child, "pk", child)
    return signals_for_children([child_id], ctx)[child_id]


def signals_beside_deadlines(child, deadlines: Iterable, ctx: Context | None = None) -> list[Finding]:
    """One child's findings when the page already has the child's deadlines (the record page's "Next steps"):
    the overdue ones are handed to the rules rather than loaded again."""
    ctx = ctx or context()
    child_id = getattr(child, "pk", child)
    records = [_with_clocks(record, _overdue_rows(deadlines)) for record in load_records([child_id], ctx, clocks=False)]
    return rules.findings_for_all(records, ctx).get(child_id, [])


def signals_for_authority(ctx: Context | None = None, codes: Iterable[str] | None = None) -> dict[int, list[Finding]]:
    """Every child with an episode (even with no findings), loaded without a child filter."""
    ctx = ctx or context()
    referred = Person.objects.filter(kind=Person.Kind.CHILD, pk__in=Episode.objects.values("child_id"))
    found: dict[int, list[Finding]] = {child_id: [] for child_id in referred.values_list("pk", flat=True)}
    found.update(rules.findings_for_all(load_records(None, ctx), ctx, codes))
    return found


@dataclass(frozen=True)
class Holder:
    """Who a child's signals count against: the worker and team holding the case, or who held it last."""

    worker_id: int
    team_id: int
    open: bool


def holders(ctx: Context, *, teams: Iterable[int] | None = None, worker: int | None = None) -> dict[int, Holder]:
    """Children held now, or whose last allocation ended on or after `ctx.since`, with their holder; optionally
    only those whose holder is in `teams` or is `worker`. One query, its rows as the driver gives them (ids and
    dates); with `teams` or `worker`, only the rows of children they have held in that time (a child's holder is
    always one of those rows, so none is missed)."""
    team_ids = None if teams is None else sorted(set(teams))
    if team_ids == []:
        return {}  # no team in view (a manager between teams): nobody held, and no query
    rows = Allocation.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=ctx.since or datetime.date.min))
    if team_ids is not None or worker is not None:
        theirs = rows.filter(**({"team_id__in": team_ids} if team_ids is not None else {}),
                             **({"worker_id": worker} if worker is not None else {}))
        rows = rows.filter(child_id__in=theirs.values("child_id"))
    latest: dict[int, tuple] = {}
    for child, worker_id, team_id, start, end, pk in driver_rows(rows.values_list(
            "child_id", "worker_id", "team_id", "start_date", "end_date", "pk")):
        key = (end is None, end or start, start, pk)
        if child not in latest or key > latest[child][0]:
            latest[child] = (key, Holder(worker_id, team_id, end is None))
    in_teams = None if team_ids is None else set(team_ids)
    return {child: holder for child, (_, holder) in latest.items()
            if (in_teams is None or holder.team_id in in_teams) and (worker is None or holder.worker_id == worker)}


@dataclass
class Tally:
    """Counts for a team or a worker: children held, children with any signal, and children per signal."""

    children: int = 0
    with_signals: int = 0
    by_signal: Counter = field(default_factory=Counter)

    def add(self, findings: list[Finding]) -> None:
        self.children += 1
        self.with_signals += bool(findings)
        self.by_signal.update({finding.code for finding in findings})


def tallies(held: dict[int, Holder], found: dict[int, list[Finding]], by: str) -> dict[int, Tally]:
    """Per team (`by="team_id"`) or per worker (`by="worker_id"`)."""
    counted: dict[int, Tally] = defaultdict(Tally)
    for child_id, holder in held.items():
        counted[getattr(holder, by)].add(found.get(child_id, []))
    return dict(counted)


def overall(found: dict[int, list[Finding]]) -> Tally:
    total = Tally()
    for findings in found.values():
        total.add(findings)
    return total
