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
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from django.conf import settings as django_settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
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
from casefile.core.prepared import prepared
from casefile.people.models import Person, Relationship
from casefile.rules import signals as rules
from casefile.rules.clocks import State, add_calendar_months
from casefile.rules.signals import ChildRecord, Context, Finding, SignalSettings

# Child ids per query: well under SQLite's 32,766 variables (and PostgreSQL's 65,535 parameters).
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


def _chunks(child_ids: list[int] | None) -> Iterator[list[int] | None]:
    if child_ids is None:
        yield None
        return
    for start in range(0, len(child_ids), CHUNK):
        yield child_ids[start:start + CHUNK]


def _for(queryset, path: str, ids: list[int] | None):
    return queryset if ids is None else queryset.filter(**{f"{path}__in": ids})


def _grouped(rows: Iterable[tuple[int, object]]) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for child_id, row in rows:
        grouped[child_id].append(row)
    return grouped


def _people(ids, keep: Q = EVERY_ROW):
    return _for(Person.objects.filter(kind=Person.Kind.CHILD), "pk", ids).values_list(
        "pk", "date_of_birth", "ethnicity", "religion", "first_language")


def _fathers_query(ids, keep: Q = EVERY_ROW):
    rows = _for(Relationship.objects.filter(kind=Relationship.Kind.PARENT, person__sex="M"), "relative_id", ids)
    return rows.values_list("relative_id", "person_id")


def _fathers(ids) -> dict[int, list]:
    return _grouped(_rows(_fathers_query, ids))


def _episodes_query(ids, keep: Q = EVERY_ROW):
    return _for(Episode.objects.all(), "child_id", ids).annotate(history_shown=ExpressionWrapper(
        Q(closure_history_shown__isnull=False), output_field=BooleanField())).values_list(
        "child_id", "pk", "referral_date", "closure_date", "childs_views_at_closure", "fathers_views_at_closure",
        "fathers_views_not_sought", "closure_signed_off_on", "history_shown")


def _episodes(ids) -> dict[int, list]:
    return _grouped((child, rules.EpisodeRow(pk, *rest)) for child, pk, *rest in _rows(_episodes_query, ids))


def _assessment_adults_query(ids, keep: Q = EVERY_ROW):
    return _for(AssessmentAdult.objects.filter(keep), "assessment__episode__child_id", ids).values_list(
        "assessment_id", "person_id", "seen")


def _assessments_query(ids, keep: Q = EVERY_ROW):
    return _for(Assessment.objects.all(), "episode__child_id", ids).values_list(
        "episode__child_id", "pk", "episode_id", "start_date", "authorised_on", "outcome")


def _assessments(ids, adults_kept: Q = EVERY_ROW) -> dict[int, list]:
    adults: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for assessment, person, seen in _rows(_assessment_adults_query, ids, adults_kept):
        included, seen_by = adults[assessment]
        included.add(person)
        if seen:
            seen_by.add(person)
    return _grouped((child, rules.AssessmentRow(pk, episode, start, authorised, outcome,
                                                frozenset(adults[pk][0]), frozenset(adults[pk][1])))
                    for child, pk, episode, start, authorised, outcome in _rows(_assessments_query, ids))


def _strategy_discussions_query(ids, keep: Q = EVERY_ROW):
    return _for(StrategyDiscussion.objects.all(), "episode__child_id", ids).values_list(
        "episode__child_id", "pk", "episode_id", "date", "enquiry__outcome_date")


def _strategy_discussions(ids) -> dict[int, list]:
    return _grouped((child, rules.StrategyRow(pk, *rest))
                    for child, pk, *rest in _rows(_strategy_discussions_query, ids))


def _conferences_query(ids, keep: Q = EVERY_ROW):
    return _for(Conference.objects.all(), "child_id", ids).values_list("child_id", "pk", "kind", "date")


def _conferences(ids) -> dict[int, list]:
    return _grouped((child, rules.ConferenceRow(pk, *rest)) for child, pk, *rest in _rows(_conferences_query, ids))


def _plans_query(ids, keep: Q = EVERY_ROW):
    return _for(Plan.objects.all(), "child_id", ids).values_list(
        "child_id", "pk", "episode_id", "kind", "start_date", "end_date", "visit_interval_working_days")


def _plans(ids) -> dict[int, list]:
    return _grouped((child, rules.PlanRow(pk, *rest)) for child, pk, *rest in _rows(_plans_query, ids))


def _reviews_query(ids, keep: Q = EVERY_ROW):
    return _for(PlanReview.objects.filter(keep), "plan__child_id", ids).annotate(
        marked=Count("progress"), done=Count("progress", filter=Q(progress__status=rules.ACTION_DONE)),
    ).values_list("plan__child_id", "pk", "plan_id", "date", "marked", "done")


def _reviews(ids, keep: Q = EVERY_ROW) -> dict[int, list]:
    return _grouped((child, rules.ReviewRow(pk, *rest)) for child, pk, *rest in _rows(_reviews_query, ids, keep))


def _visits_query(ids, keep: Q = EVERY_ROW):
    return _for(Visit.objects.filter(keep), "child_id", ids).values_list(
        "child_id", "pk", "date", "recorded_at", "child_seen", "plan_id")


def _case_notes_query(ids, keep: Q = EVERY_ROW):
    return _for(CaseNote.objects.filter(keep), "child_id", ids).values_list("child_id", "pk", "date", "recorded_at")


def _core_groups_query(ids, keep: Q = EVERY_ROW):
    return _for(CoreGroup.objects.filter(keep), "plan__child_id", ids).values_list(
        "plan__child_id", "pk", "date", "recorded_at")


def _dated(query, ids, keep: Q = EVERY_ROW) -> dict[int, list]:
    """Visits, case notes and core groups: the day, the day typed (in local time) and, for visits, seen.

    The local day is worked out here rather than with TruncDate: on SQLite that parses every row's text in a
    Python function, three times slower for a whole authority's visits."""
    zone = timezone.get_current_timezone()
    return _grouped((child, rules.DatedRow(pk, day, recorded.astimezone(zone).date(), *rest))
                    for child, pk, day, recorded, *rest in _rows(query, ids, keep))


def _allocations_query(ids, keep: Q = EVERY_ROW):
    return _for(Allocation.objects.filter(keep), "child_id", ids).values_list(
        "child_id", "pk", "worker_id", "team_id", "start_date", "end_date")


def _allocations(ids, keep: Q = EVERY_ROW) -> dict[int, list]:
    return _grouped((child, rules.AllocationRow(pk, *rest))
                    for child, pk, *rest in _rows(_allocations_query, ids, keep))


# Each loader's query over a few children with nothing trimmed, built and compiled once per number of children
# (core/prepared.py, ADR 0022): the record page's practice-quality panel runs all of them about one child on every
# view, and building and compiling them cost more than running them.
QUERIES = (_people, _fathers_query, _episodes_query, _assessment_adults_query, _assessments_query,
           _strategy_discussions_query, _conferences_query, _plans_query, _reviews_query, _visits_query,
           _case_notes_query, _core_groups_query, _allocations_query)
KEPT = {query: prepared(functools.partial(query, keep=EVERY_ROW)) for query in QUERIES}


def _rows(query, ids, keep: Q = EVERY_ROW):
    """The rows of `query(ids, keep)`: kept (KEPT) for a list of children with nothing trimmed, else built."""
    if ids is not None and keep is EVERY_ROW:
        return KEPT[query](ids)
    return query(ids, keep)


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

    With a look-back (`ctx.since`), for many children, the biggest tables are trimmed (`_Trim`) to the rows that
    can still make a finding the rules report; `trim=False` loads everything (the tests compare the two)."""
    ids = None if child_ids is None else sorted(set(child_ids))
    many = ids is None or len(ids) >= TRIM_FROM
    trimmed = _Trim.since(ctx.since) if trim and many and ctx.since is not None else _Trim()
    records: list[ChildRecord] = []
    for chunk in _chunks(ids):
        records.extend(_load_chunk(chunk, trimmed))
    running = [record.child_id for record in records if _has_running_clocks(record)]
    if clocks and running:
        overdue = _overdue_clocks(running, ctx)
        records = [_with_clocks(record, overdue[record.child_id]) if overdue.get(record.child_id) else record
                   for record in records]
    return records


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
        # Typed on or after `since` in local time, as DatedRow.recorded_on counts it.
        typed = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        return cls(dated=Q(child_id__in=planned) | Q(recorded_at__gte=typed),
                   core_groups=Q(plan__child_id__in=planned),
                   reviews=Q(plan__child_id__in=planned) | Q(plan__child_id__in=reviewed),
                   allocations=Q(child_id__in=allocated),
                   assessment_adults=Q(assessment__authorised_on__isnull=True) | Q(assessment__start_date__gte=since))


def _has_running_clocks(record: ChildRecord) -> bool:
    """Only an open episode or plan has a clock that can be overdue today (deadlines.py stops the rest)."""
    return any(e.closure_date is None for e in record.episodes) or any(p.end_date is None for p in record.plans)


def _with_clocks(record: ChildRecord, clocks: Iterable) -> ChildRecord:
    return replace(record, overdue_clocks=tuple(clocks))


def _load_chunk(ids: list[int] | None, trim: _Trim) -> list[ChildRecord]:
    episodes = _episodes(ids)
    wanted = ids if ids is not None else sorted(episodes)
    if not wanted:
        return []
    people = {pk: rest for pk, *rest in _rows(_people, ids)}
    fathers, assessments = _fathers(ids), _assessments(ids, trim.assessment_adults)
    discussions = _strategy_discussions(ids)
    conferences, plans = _conferences(ids), _plans(ids)
    reviews, allocations = _reviews(ids, trim.reviews), _allocations(ids, trim.allocations)
    visits = _dated(_visits_query, ids, trim.dated)
    notes = _dated(_case_notes_query, ids, trim.dated)
    core_groups = _dated(_core_groups_query, ids, trim.core_groups)
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
    """Every child with an episode, loaded without a child filter."""
    ctx = ctx or context()
    return rules.findings_for_all(load_records(None, ctx), ctx, codes)


@dataclass(frozen=True)
class Holder:
    """Who a child's signals count against: the worker and team holding the case, or who held it last."""

    worker_id: int
    team_id: int
    open: bool


def holders(ctx: Context, *, teams: Iterable[int] | None = None, worker: int | None = None) -> dict[int, Holder]:
    """Children held now, or whose last allocation ended on or after `ctx.since`, with their holder; optionally
    only those whose holder is in `teams` or is `worker`. One query."""
    rows = Allocation.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=ctx.since or datetime.date.min))
    latest: dict[int, tuple] = {}
    for child, worker_id, team_id, start, end, pk in rows.values_list(
            "child_id", "worker_id", "team_id", "start_date", "end_date", "pk"):
        key = (end is None, end or start, start, pk)
        if child not in latest or key > latest[child][0]:
            latest[child] = (key, Holder(worker_id, team_id, end is None))
    team_ids = None if teams is None else set(teams)
    return {child: holder for child, (_, holder) in latest.items()
            if (team_ids is None or holder.team_id in team_ids) and (worker is None or holder.worker_id == worker)}


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
