"""The demo logins' cases, taken from the simulated authority.

`make demo` simulates a small authority up to today, then seed_demo adds the named demo logins. Those logins
would otherwise hold nothing a worker could act on; here each printed social worker is given children from the
simulated authority at every stage of the journey (an assessment under way, a child in need plan, a child
protection plan), with clocks on time, due soon and a few overdue (casework/deadlines.py, as the pages show
them). Every child given has an open episode, so a visit, a note or a review can be recorded at once.

Cases move through the allocation service, as a manager reallocating them would: the simulated worker's
allocation ends today, the demo worker's starts today, and both are audited. The choice depends only on the
simulated data and the day, so the same seed and day give every demo login the same children.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from casefile.accounts.models import User
from casefile.casework.deadlines import deadlines_for_children, next_due
from casefile.casework.models import Allocation, Assessment, Plan
from casefile.casework.services.allocation import allocate
from casefile.people.models import Person
from casefile.rules.clocks import State

ASSESSMENT, CIN_PLAN, CP_PLAN = "assessment", "cin_plan", "cp_plan"
STAGES = (ASSESSMENT, CIN_PLAN, CP_PLAN)
STAGE_LABELS = {ASSESSMENT: "assessment", CIN_PLAN: "child in need plan", CP_PLAN: "child protection plan"}
# Rounds of giving, one child per worker per round, scarce states first so every worker gets some: in a small
# authority on a given day only about one child in twenty has a clock due within 3 working days.
ROUNDS = (State.DUE_SOON, State.DUE_SOON, State.OVERDUE)
PER_STAGE = 2  # then children on time until each worker holds this many at every stage
REASON = "Caseloads balanced across the teams: case transferred from the previous worker"

@dataclass(frozen=True)
class Case:
    child_id: int
    stage: str
    state: State  # of the child's most urgent running clock


def open_cases(child_ids: Iterable[int], *, today: datetime.date) -> list[Case]:
    """The stage and most urgent clock of each child with an open episode at one of STAGES, in a fixed number of
    queries. Children at no such stage (a referral not yet decided, an assessment done and the case about to
    close) or with no clock running are left out."""
    child_ids = sorted(set(child_ids))
    plans = dict(Plan.objects.filter(child_id__in=child_ids, end_date__isnull=True, episode__closure_date__isnull=True)
                 .values_list("child_id", "kind"))
    assessing = set(Assessment.objects.filter(episode__child_id__in=child_ids, episode__closure_date__isnull=True,
                                              authorised_on__isnull=True).values_list("episode__child_id", flat=True))
    staged = {child: _stage(plans.get(child), child in assessing) for child in child_ids}
    staged = {child: stage for child, stage in staged.items() if stage}
    cases = []
    for child, deadlines in deadlines_for_children(list(staged), today=today).items():
        urgent = next_due(deadlines)
        if urgent is not None:
            cases.append(Case(child, staged[child], urgent.state))
    return cases


def _stage(plan_kind: str | None, assessing: bool) -> str | None:
    if plan_kind == Plan.Kind.CHILD_PROTECTION:
        return CP_PLAN
    if plan_kind == Plan.Kind.CHILD_IN_NEED:
        return CIN_PLAN
    return ASSESSMENT if assessing else None


def give_caseloads(workers: list[User], *, from_workers: Iterable[int], today: datetime.date) -> dict[str, list[Case]]:
    """Move a spread of children held by `from_workers` (the simulated staff) to each of `workers`.

    Only children with an open allocation and an open episode, and no restriction (a restricted record is open
    to its named workers only), are moved. Returns each worker's new cases by username."""
    held = (Allocation.objects.filter(end_date__isnull=True, worker_id__in=list(from_workers),
                                      child__restriction="", child__merged_into__isnull=True)
            .values_list("child_id", flat=True))
    pool: dict[tuple[str, State], list[Case]] = defaultdict(list)
    for case in open_cases(held, today=today):
        pool[case.stage, case.state].append(case)
    chosen: dict[str, list[Case]] = {worker.username: [] for worker in workers}
    for round_number, state in enumerate(ROUNDS):
        for index, worker in enumerate(workers):
            # Each worker starts at a different stage, so the scarce states spread across the stages.
            first = (index + round_number) % len(STAGES)
            stages = STAGES[first:] + STAGES[:first]
            case = next((case for stage in stages if (case := _take(pool, stage, (state,))) is not None), None)
            if case is not None:
                chosen[worker.username].append(case)
    for _ in range(PER_STAGE):
        for worker in workers:
            for stage in STAGES:
                if sum(case.stage == stage for case in chosen[worker.username]) < PER_STAGE:
                    case = _take(pool, stage, (State.ON_TIME, State.DUE_SOON, State.OVERDUE))
                    if case is not None:
                        chosen[worker.username].append(case)
    ids = [case.child_id for cases in chosen.values() for case in cases]
    children = Person.objects.in_bulk(ids)
    for worker in workers:
        for case in chosen[worker.username]:
            allocate(actor=worker.team.manager, child=children[case.child_id], worker=worker, reason=REASON)
    return chosen


def _take(pool: dict[tuple[str, State], list[Case]], stage: str, states: tuple[State, ...]) -> Case | None:
    """The first child at this stage in the first of these states there is one in."""
    for state in states:
        if pool[stage, state]:
            return pool[stage, state].pop(0)
    return None


def caseload_summary(worker: User, *, today: datetime.date) -> str:
    """'9 children: 3 in assessment, 3 on a child in need plan, 3 on a child protection plan; 2 overdue, 3 due
    soon', from the record as it is now (so it stays true when seed_demo is run again later)."""
    held = Allocation.objects.filter(worker=worker, end_date__isnull=True).values_list("child_id", flat=True)
    cases = open_cases(held, today=today)
    if not cases:
        return "no children"
    stages = Counter(case.stage for case in cases)
    states = Counter(case.state for case in cases)
    where = ", ".join(f"{stages[stage]} {'in' if stage == ASSESSMENT else 'on a'} {STAGE_LABELS[stage]}"
                      for stage in STAGES if stages[stage])
    return (f"{len(cases)} children: {where}; {states[State.OVERDUE]} overdue, {states[State.DUE_SOON]} due soon, "
            f"{states[State.ON_TIME]} on time")
