"""Who holds which children: caseloads weighted by the kind of work, and the children waiting for a worker.

Reads only; allocation itself is written by casework.services.allocation. Every list of children goes through
policy.viewable_people; counts and weights per worker cover every child the worker holds, because a manager
balancing caseloads needs the true figure even when a restricted record is not theirs to open.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from casefile.access import policy
from casefile.accounts.models import Team, User
from casefile.casework.deadlines import Deadline, deadlines_for_children, next_due, overdue_count
from casefile.casework.models import Allocation, Assessment, Conference, Episode, Plan
from casefile.core.prepared import id_list, prepared
from casefile.core.presenters import age_text
from casefile.people.models import Person
from casefile.rules import clocks

# How much work one allocated child is, relative to an open case with nothing statutory running. Each child
# counts once, at the heaviest kind of work running for them (a child on a child protection plan with an
# assessment under way counts 3, not 4.5). An authority changes these with the Django setting
# CASEFILE_CASELOAD_WEIGHTS, e.g. {"cp_plan": 4}; the keys it leaves out keep these values.
DEFAULT_CASELOAD_WEIGHTS: Mapping[str, float] = {
    "cp_plan": 3,  # on a child protection plan
    "cin_plan": 2,  # on a child in need plan
    "assessment": 1.5,  # an assessment started and not yet authorised
    "other": 1,  # any other allocated child: an open episode with none of the above, or no episode recorded yet
}
WORK_LABELS = {
    "cp_plan": "Child protection plans",
    "cin_plan": "Child in need plans",
    "assessment": "Assessments in progress",
    "other": "Other open cases",
}
WORK_KINDS = tuple(DEFAULT_CASELOAD_WEIGHTS)


def caseload_weights() -> dict[str, float]:
    """The weights in force: the defaults, with the authority's CASEFILE_CASELOAD_WEIGHTS over them."""
    chosen = settings.CASEFILE_CASELOAD_WEIGHTS or {}
    for kind, weight in chosen.items():
        if kind not in DEFAULT_CASELOAD_WEIGHTS:
            raise ImproperlyConfigured(f"CASEFILE_CASELOAD_WEIGHTS: {kind!r} is not a kind of work; expected one of "
                                       f"{', '.join(WORK_KINDS)}")
        if isinstance(weight, bool) or not isinstance(weight, int | float | Decimal) or weight < 0:
            raise ImproperlyConfigured(f"CASEFILE_CASELOAD_WEIGHTS: {kind!r} must be a number of 0 or more, "
                                       f"got {weight!r}")
    return {**DEFAULT_CASELOAD_WEIGHTS, **chosen}


@dataclass
class Caseload:
    """One worker's open cases: how many of each kind of work, the weighted total, and the children's ids."""

    worker: User
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WORK_KINDS, 0))
    weight: float = 0
    child_ids: list[int] = field(default_factory=list)
    overdue: int = 0  # filled in by the page from the children's deadlines

    @property
    def children(self) -> int:
        return len(self.child_ids)

    @property
    def weight_text(self) -> str:
        """1.5 stays 1.5; 3.0 shows as 3."""
        return f"{self.weight:g}"

    def rows(self) -> list[tuple[str, int]]:
        return [(WORK_LABELS[kind], self.counts[kind]) for kind in WORK_KINDS]


def _kind_of_work(on_cp_plan: bool, on_cin_plan: bool, assessment_in_progress: bool) -> str:
    if on_cp_plan:
        return "cp_plan"
    if on_cin_plan:
        return "cin_plan"
    if assessment_in_progress:
        return "assessment"
    return "other"


def caseloads(workers: Iterable[User]) -> dict[int, Caseload]:
    """Per worker id, their caseload, in one query whatever the number of workers and children."""
    workers = list(workers)
    result = {worker.pk: Caseload(worker) for worker in workers}
    if not workers:
        return result
    open_plans = Plan.objects.filter(child=OuterRef("child_id"), end_date__isnull=True)
    allocations = (
        Allocation.objects.filter(worker__in=workers, end_date__isnull=True)
        .annotate(
            on_cp_plan=Exists(open_plans.filter(kind=Plan.Kind.CHILD_PROTECTION)),
            on_cin_plan=Exists(open_plans.filter(kind=Plan.Kind.CHILD_IN_NEED)),
            assessment_in_progress=Exists(Assessment.objects.filter(
                episode__child=OuterRef("child_id"), episode__closure_date__isnull=True, authorised_on__isnull=True)),
        )
        .values_list("worker_id", "child_id", "on_cp_plan", "on_cin_plan", "assessment_in_progress")
    )
    weights = caseload_weights()
    for worker_id, child_id, on_cp, on_cin, assessing in allocations:
        kind = _kind_of_work(on_cp, on_cin, assessing)
        load = result[worker_id]
        load.counts[kind] += 1
        load.weight += weights[kind]
        load.child_ids.append(child_id)
    return result


# Children waiting for a worker --------------------------------------------------------------------------

@dataclass(frozen=True)
class WaitingChild:
    child: Person
    referral_date: datetime.date
    waiting_since: datetime.date
    since_allocation_ended: bool
    days_waiting: int


def unallocated_children(user: User, today: datetime.date | None = None) -> list[WaitingChild]:
    """Children with an open episode and no allocated worker, that this user may see, longest waiting first.

    A child waits from the referral, or from the day their last worker's allocation ended if that is later.
    """
    today = today or timezone.localdate()
    open_episodes = Episode.objects.filter(child=OuterRef("pk"), closure_date__isnull=True)
    allocations = Allocation.objects.filter(child=OuterRef("pk"))
    children = (
        Person.objects.filter(kind=Person.Kind.CHILD, merged_into__isnull=True)
        .filter(Exists(open_episodes), ~Exists(allocations.filter(end_date__isnull=True)))
        .annotate(
            open_referral_date=Subquery(open_episodes.order_by("referral_date").values("referral_date")[:1]),
            last_allocation_ended=Subquery(
                allocations.filter(end_date__isnull=False).order_by("-end_date").values("end_date")[:1]),
        )
    )
    rows = []
    for child in policy.viewable_children(user, children):
        ended = child.last_allocation_ended
        since_ended = ended is not None and ended > child.open_referral_date
        since = ended if since_ended else child.open_referral_date
        rows.append(WaitingChild(child, child.open_referral_date, since, since_ended, (today - since).days))
    return sorted(rows, key=lambda row: (row.waiting_since, row.child.last_name, row.child.first_name, row.child.pk))


# Teams and the children they hold ----------------------------------------------------------------------

# team.manager, then up to the head of service (and one spare), loaded with the team in one query.
MANAGER_CHAIN = ["manager" + "__manager" * depth for depth in range(policy.MAX_CHAIN)]


def teams_overseen_by(user: User) -> QuerySet:
    """Teams the user manages, directly or through the managers who report to them."""
    managed = Q(pk__in=[])
    for path in MANAGER_CHAIN:
        managed |= Q(**{path: user})
    return Team.objects.filter(managed)


@dataclass(frozen=True)
class ChildRow:
    """One line in a list of allocated children."""

    child: Person
    age: str
    worker: User
    team: Team
    allocated_since: datetime.date
    deadlines: tuple[Deadline, ...] = ()

    @property
    def next_due(self) -> Deadline | None:
        return next_due(self.deadlines)

    @property
    def overdue(self) -> int:
        return overdue_count(self.deadlines)


def allocated_children(user: User, allocations: QuerySet, request=None,
                       deadlines: dict[int, list[Deadline]] | None = None) -> list[ChildRow]:
    """The open allocations among `allocations` of children the user may see, each with what is due next.

    Children with something overdue come first, most overdue first; then the soonest due; then by name. The
    number of queries does not grow with the number of children. `deadlines` may be given when already known.
    """
    held = allocations.filter(end_date__isnull=True)
    # The policy asked about these children only: asked about everyone, it reads every person on the record.
    viewable = policy.viewable_children(user, Person.objects.filter(pk__in=held.values("child_id"))).values("pk")
    open_allocations = _allocations_with_children(list(held.filter(child__in=viewable).values_list("pk", flat=True)))
    # A few workers and teams hold many children: each is read, and made a model, once.
    workers = {worker.pk: worker for worker in _users({a.worker_id for a in open_allocations})}
    teams = {team.pk: team for team in _teams({a.team_id for a in open_allocations})}
    if deadlines is None:
        deadlines = deadlines_for_children([a.child_id for a in open_allocations], request=request)
    today = timezone.localdate()
    rows = [
        ChildRow(
            child=a.child,
            age=age_text(a.child.date_of_birth, today, a.child.date_of_death),
            worker=workers[a.worker_id],
            team=teams[a.team_id],
            allocated_since=a.start_date,
            deadlines=tuple(deadlines.get(a.child_id, ())),
        )
        for a in open_allocations
    ]
    return sorted(rows, key=_urgency)


@prepared
def _allocations_with_children(allocation_ids):
    """The allocations with their child, in the child's name order. Built once (core/prepared.py): compiling the
    models' columns into one query cost more than the access check that chose the ids."""
    return (Allocation.objects.filter(pk__in=id_list(allocation_ids)).select_related("child")
            .order_by("child__last_name", "child__first_name", "child_id"))


@prepared
def _users(user_ids):
    return User.objects.filter(pk__in=id_list(user_ids))


@prepared
def _teams(team_ids):
    return Team.objects.filter(pk__in=id_list(team_ids))


def _urgency(row: ChildRow) -> tuple:
    """Overdue first, then due soonest; children with nothing running keep their name order at the end."""
    due = row.next_due
    return (0, due.sort_key) if due is not None else (1,)


# A manager's view of the children their teams hold: filtered by team, worker and what is due, with counts ------

OVERDUE, RUNNING, NOTHING_DUE = "overdue", "running", "nothing"
DUE_STATUSES = {OVERDUE: "Something overdue", RUNNING: "Something due, nothing overdue", NOTHING_DUE: "Nothing due"}


def due_status(row: ChildRow) -> str:
    if row.overdue:
        return OVERDUE
    return RUNNING if row.next_due is not None else NOTHING_DUE


def filter_rows(rows: list[ChildRow], *, team_id: int | None = None, worker_id: int | None = None,
                status: str = "") -> list[ChildRow]:
    """The rows for one team, one worker and one kind of due status (any of them left out: all), in their order."""
    return [row for row in rows
            if (team_id is None or row.team.pk == team_id)
            and (worker_id is None or row.worker.pk == worker_id)
            and (not status or due_status(row) == status)]


@dataclass(frozen=True)
class TeamCount:
    team: Team
    children: int
    overdue: int  # children with something overdue
    workers: int  # workers holding them


def team_counts(rows: list[ChildRow], teams: list[Team]) -> list[TeamCount]:
    """Per team, in the order given: how many children it holds, how many with something overdue, and by how
    many workers."""
    counts = []
    for team in teams:
        held = [row for row in rows if row.team.pk == team.pk]
        counts.append(TeamCount(team, len(held), sum(1 for row in held if row.overdue),
                                len({row.worker.pk for row in held})))
    return counts


# A conference chair's children: the review conferences due for the child protection plans they chair ------------

REVIEW_CODES = frozenset({clocks.FIRST_REVIEW_CONFERENCE.code, clocks.LATER_REVIEW_CONFERENCE.code})


@dataclass(frozen=True)
class ChairedPlan:
    child: Person
    plan_start: datetime.date
    review: Deadline | None  # the next review conference due, None when none is running


def chaired_plans(user: User, request=None) -> list[ChairedPlan]:
    """Open child protection plans whose latest conference this chair (or IRO) chaired, each with the review
    conference due next; overdue first, then soonest due. A fixed number of queries however many."""
    latest_chair = (Conference.objects.filter(child=OuterRef("child_id")).order_by("-date", "-pk")
                    .values("chair_id")[:1])
    plans = list(Plan.objects.filter(kind=Plan.Kind.CHILD_PROTECTION, end_date__isnull=True)
                 .annotate(latest_chair=Subquery(latest_chair)).filter(latest_chair=user.pk)
                 .filter(child__in=policy.viewable_children(user).values("pk"))
                 .select_related("child").order_by("start_date", "pk"))
    deadlines = deadlines_for_children([plan.child_id for plan in plans], request=request)
    rows = [ChairedPlan(plan.child, plan.start_date,
                        next_due([d for d in deadlines[plan.child_id] if d.code in REVIEW_CODES
                                  and d.plan_id == plan.pk]))
            for plan in plans]
    return sorted(rows, key=lambda row: (0, row.review.sort_key) if row.review else (1,))
