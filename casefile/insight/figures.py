"""Kept figures (insight.StoredFigures): every indicator, the journeys and the diversity counts, for the whole
authority, each team, each worker and each manager's set of teams, over the census years the clinic offers, and
the whole authority's indicators for the ten-year trend (ten census years and their 120 months), computed from one
read of the record and read back by the clinic, the journeys, the diversity page and the ten-year trend in one
query.

On a large authority one read of the record takes seconds (a million contacts over ten years), far too long for a
page, so the figures are computed in the background: nightly (`manage.py refresh_performance_figures`, or the
task) and whenever an analyst asks. A page uses the kept figures when every period it shows is kept and computes
from the record otherwise (a 12 months to a chosen date; a small authority before the first run), and says which.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from itertools import chain
from typing import NamedTuple

from asgiref.local import Local
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from casefile.access import permissions
from casefile.accounts.models import Team, User
from casefile.casework.caseloads import teams_overseen_by
from casefile.insight import clinic, cohort, diversity
from casefile.insight.models import StoredFigures
from casefile.rules import diversity as diversity_rules
from casefile.rules.indicators import INDICATOR_LIST, INDICATORS, Cohort, Indicator, Period, Result
from casefile.rules.indicators.core import CHILD_ROWS, Window, independent, partition
from casefile.rules.journeys import journey
from casefile.rules.memory import cycle_collector_paused

AUTHORITY = "authority"


def scope_key(scope: clinic.Scope) -> str:
    if scope.worker_id is not None:
        return f"worker:{scope.worker_id}"
    if scope.team_ids is None:
        return AUTHORITY
    ids = sorted(scope.team_ids)
    if len(ids) == 1:
        return f"team:{ids[0]}"
    # A head of service may oversee dozens of teams: a digest of the ids keeps the key one short length.
    return "teams:" + hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()


def periods_kept(today: datetime.date) -> list[Period]:
    """Every census year a clinic offered today can show: the years offered and the trend years before them."""
    years = clinic.census_year_choices(today)
    periods = {period for year in years for period in clinic.census_year_trend(year)}
    return sorted(periods, key=lambda period: period.start)


# Computing -----------------------------------------------------------------------------------------------------


def _result(result: Result) -> list:
    return [result.value, result.numerator, result.denominator, len(result.numerator_items),
            len(result.denominator_items), result.no_figure]


def indicators(part: Cohort, period: Period) -> dict:
    """Every indicator of one scope's part of the record for one period, as kept."""
    return {indicator.code: _result(indicator(part, period)) for indicator in INDICATOR_LIST}


def indicators_over(scope: clinic.Scope, periods: Sequence[Period], *, processes: int | None = None,
                    progress: Callable[[int, int, str], None] = lambda *_: None) -> list[dict]:
    """Every indicator of the scope for each period, as kept (`indicators`), one dict for each period in order.

    The indicators fall into groups that read no table in common (rules.indicators.core.independent): each group
    reads only its own tables, as far back as its figures need, and computes its own figures. The groups run in
    processes of their own, as many at once as `processes` (default CASEFILE_FIGURE_PROCESSES, else one for each
    core), largest first, when that is safe (`_processes_allowed`); otherwise one after another here. On a large
    authority reading and computing ten years takes several seconds in one process (bench/results.md)."""
    groups = sorted(independent(INDICATOR_LIST), key=_rows_read, reverse=True)
    tasks = [(scope, tuple(periods), tuple(indicator.code for indicator in group)) for group in groups]
    found: dict[str, list] = {}
    count = _processes_allowed(processes or settings.CASEFILE_FIGURE_PROCESSES or cores(), len(tasks))
    if count == 1:
        for done, task in enumerate(tasks, start=1):
            found.update(_group_figures(task))
            progress(done, len(tasks), f"Computed {done} of {len(tasks)} groups of indicators")
    else:
        connections.close_all()  # a forked process must open its own connection, never share this one
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_set_inherited_connections_aside) as pool:
            for done, future in enumerate(as_completed([pool.submit(_group_in_own_process, task)
                                                        for task in tasks]), start=1):
                found.update(future.result())
                progress(done, len(tasks), f"Computed {done} of {len(tasks)} groups of indicators")
    return [{indicator.code: found[indicator.code][at] for indicator in INDICATOR_LIST}
            for at in range(len(periods))]


def cores() -> int:
    """The cores this process may run on (all of them where the system cannot say)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _rows_read(group: list[Indicator]) -> float:
    return sum(cohort.ROWS_PER_REFERRAL.get(table, 0) for table in {table for indicator in group
                                                                    for table in indicator.reads})


def _processes_allowed(wanted: int, tasks: int) -> int:
    """How many processes may work out figures at once: one where other processes could not read what this one
    reads (rows it has written in a transaction not yet committed, or an in-memory SQLite database, as in most
    tests) or cannot be forked; else `wanted`, at most one for each task."""
    connection = connections["default"]
    if (tasks < 2 or wanted < 2 or "fork" not in multiprocessing.get_all_start_methods()
            or connection.in_atomic_block
            or (connection.vendor == "sqlite" and connection.is_in_memory_db())):
        return 1
    return min(wanted, tasks)


def _group_figures(task: tuple[clinic.Scope, tuple[Period, ...], tuple[str, ...]]) -> dict[str, list]:
    """One group's figures for each period, as kept, from its own read of the record."""
    scope, periods, codes = task
    group = [INDICATORS[code] for code in codes]
    record = cohort.load(max(period.end for period in periods), clinic.reads_every(periods, scope, group),
                         held_by=scope.held_by())
    with cycle_collector_paused():
        parts = [scope.part(record, period) for period in periods]
        return {indicator.code: [_result(indicator(part, period)) for part, period in zip(parts, periods, strict=True)]
                for indicator in group}


# The database connections a forked process inherited: kept, never used or closed (see below).
_INHERITED: list = []


def _set_inherited_connections_aside() -> None:
    """Start a forked process with none of its parent's database connections. Closing them is not enough: a
    connection open in another context of the parent (another thread's, a test's) is copied too, socket and all.
    Two processes using one socket mix their messages, and closing it here would end it for the parent. So they are
    set aside unclosed (kept referenced, so never finalised: the process ends without that), and each process opens
    its own connection when it first reads."""
    _INHERITED.append(connections._connections)
    connections._connections = Local(connections.thread_critical)


def _group_in_own_process(task) -> dict[str, list]:
    try:
        return _group_figures(task)
    finally:
        connections.close_all()  # closed here, not cut off when the process ends


def compute(part: Cohort, period: Period, categories: dict) -> dict:
    """What is kept of one scope's part of the record for one period. `categories`: every child's diversity
    categories (rules.diversity.categories_of), worked out once for every scope and period."""
    found = journey(part, period)
    return {"indicators": indicators(part, period),
            "journey": [[stage.code, stage.label, [[b.code, b.label, b.count] for b in stage.branches]]
                        for stage in found.stages],
            "diversity": diversity_rules.counts(categories, diversity_rules.stages(part, period))}


def _manager_team_sets() -> dict[str, frozenset]:
    """The sets of teams a manager who oversees more than one sees as "All your teams"."""
    sets = {}
    for manager in User.objects.filter(is_active=True).order_by("pk"):
        if not permissions.is_manager(manager):
            continue
        ids = frozenset(teams_overseen_by(manager).values_list("pk", flat=True))
        if len(ids) > 1:
            sets[scope_key(clinic.Scope(team_ids=ids))] = ids
    return sets


def refresh(today: datetime.date, progress: Callable[[int, int, str], None] = lambda *_: None) -> int:
    """Compute every scope's figures for every period kept and replace the kept figures with them in one
    transaction (a page reads either the old set or the new, never half of each). Returns the rows kept."""
    periods = periods_kept(today)
    progress(0, len(periods) + 1, "Reading the record")
    record = cohort.load(periods[-1].end)
    categories = diversity_rules.categories_of(diversity.characteristics())
    teams = list(Team.objects.order_by("pk").values_list("pk", flat=True))
    workers = list(User.objects.filter(team__isnull=False, is_active=True).order_by("pk").values_list("pk", flat=True))
    team_sets = _manager_team_sets()
    empty = dataclasses.replace(record, **{name: () for name in (*CHILD_ROWS, "cp_visits", "workers", "posts")})
    computed_at, rows = timezone.now(), []
    for done, period in enumerate(periods, start=1):
        with cycle_collector_paused():  # each period's parts and indexes: many small objects, no cycles
            by_team, by_worker = partition(record, period.end, "team"), partition(record, period.end, "worker")
            parts = {AUTHORITY: record,
                     **{f"team:{pk}": by_team.get(pk, empty) for pk in teams},
                     **{f"worker:{pk}": by_worker.get(pk, empty) for pk in workers},
                     **{key: clinic.Scope(team_ids=ids).part(record, period) for key, ids in team_sets.items()}}
            rows += [StoredFigures(scope=key, start=period.start, end=period.end, computed_at=computed_at,
                                   figures=compute(part, period, categories)) for key, part in parts.items()]
        progress(done, len(periods) + 1, f"Computed {period.name}")
    # The long-run trend (clinic.long_run): the whole authority's indicators for ten census years and each of their
    # 120 months, those not already kept above (indicators only: no page shows a month's journeys or diversity).
    progress(len(periods), len(periods) + 1, "Computing the ten-year trend")
    kept = {(period.start, period.end) for period in periods}
    long_run = [period for period in chain(*clinic.long_run(today)) if (period.start, period.end) not in kept]
    trend = clinic.figures(record, long_run, clinic.Scope())
    rows += [StoredFigures(scope=AUTHORITY, start=period.start, end=period.end, computed_at=computed_at, figures={
        "indicators": {figure.indicator.code: _result(figure.trend[at]) for figure in trend}})
        for at, period in enumerate(long_run)]
    with transaction.atomic():
        StoredFigures.objects.all().delete()
        _replace(rows)
    progress(len(periods) + 1, len(periods) + 1, "Kept")
    return len(rows)


def keep(scope: clinic.Scope, periods: Sequence[Period], *, indicators_only: bool = False,
         progress: Callable[[int, int, str], None] = lambda *_: None) -> int:
    """Compute one scope's figures for these periods from the record and keep them, replacing any kept for the same
    periods: what a page asks for when it shows periods the nightly job does not keep (a 12 months to a chosen day)
    on a record too large to work them out while the page loads (`worked_out_on_the_page`). The nightly refresh
    replaces every kept set, these too. `indicators_only`: no journeys or diversity (the ten-year trend's months)."""
    computed_at = timezone.now()
    if indicators_only:
        progress(0, 1, "Reading the record")
        found = indicators_over(scope, periods, progress=lambda done, total, words: progress(done, total + 1, words))
        _replace([StoredFigures(scope=scope_key(scope), start=period.start, end=period.end, computed_at=computed_at,
                                figures={"indicators": kept}) for period, kept in zip(periods, found, strict=True)])
        progress(1, 1, "Kept")
        return len(periods)
    total = len(periods) + 1
    progress(0, total, "Reading the record")
    record = cohort.load(max(period.end for period in periods), held_by=scope.held_by())
    categories = diversity_rules.categories_of(diversity.characteristics())
    rows = []
    for done, period in enumerate(periods, start=1):
        with cycle_collector_paused():
            found = compute(scope.part(record, period), period, categories)
        rows.append(StoredFigures(scope=scope_key(scope), start=period.start, end=period.end,
                                  computed_at=computed_at, figures=found))
        progress(done, total, f"Computed {period.name}")
    _replace(rows)
    progress(total, total, "Kept")
    return len(rows)


def _replace(rows: list[StoredFigures]) -> None:
    """Keep these sets, each replacing any kept for its scope and period. An insert that meets a set kept by someone
    else meanwhile (two people working out the same choice at once, or the nightly refresh) waits for it and then
    replaces it, rather than failing on the one set per scope and period."""
    with transaction.atomic():
        StoredFigures.objects.bulk_create(rows, batch_size=500, update_conflicts=True,
                                          unique_fields=["scope", "start", "end"],
                                          update_fields=["computed_at", "figures"])


def worked_out_on_the_page(end: datetime.date, reads: Window | None) -> bool:
    """Whether a page may work out figures needing `reads` up to `end` while it loads: only when the contacts it would
    read (the largest table, the measure of the authority's size) are at most CASEFILE_PAGE_CONTACTS_LIMIT. On a
    large authority four years of contacts take seconds to read, so the page offers to work them out in the
    background instead (`keep`)."""
    limit = settings.CASEFILE_PAGE_CONTACTS_LIMIT
    return cohort.contacts_read(end, reads, up_to=limit + 1) <= limit


# Reading -------------------------------------------------------------------------------------------------------


class Counted(Sequence):
    """The records behind a kept figure: only how many (a page links to them; listing them reads the record)."""

    def __init__(self, size: int):
        self.size = size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index):
        raise IndexError("a kept figure keeps how many records it counts, not which")


class Branch(NamedTuple):
    code: str
    label: str
    count: int


@dataclasses.dataclass(frozen=True)
class Stage:
    code: str
    label: str
    branches: tuple[Branch, ...]

    @property
    def total(self) -> int:
        return sum(branch.count for branch in self.branches)


@dataclasses.dataclass(frozen=True)
class Kept:
    """The kept figures for the periods asked for (oldest first), and when they were computed."""

    computed_at: datetime.datetime
    rows: list[StoredFigures]

    def clinic_figures(self, indicators=clinic.CLINIC_INDICATORS) -> list[clinic.Figure] | None:
        """The clinic's figures, or None if an indicator was added since they were computed."""
        return clinic_figures_of([Period(row.start, row.end) for row in self.rows],
                                 [row.figures["indicators"] for row in self.rows], indicators)

    def diversity(self, characteristics=diversity_rules.CHARACTERISTICS) -> dict | None:
        """The kept diversity counts of the last period (rules.diversity.counts), or None if they were computed
        before diversity was kept."""
        kept = self.rows[-1].figures.get("diversity")
        if kept is None or any(characteristic not in kept for characteristic in characteristics):
            return None
        return kept

    def journey_stages(self) -> list[Stage] | None:
        """The kept journey of the last period, or None where only its indicators are kept (the ten-year trend's
        oldest census year, which a 12 months to 31 March can be)."""
        kept = self.rows[-1].figures.get("journey")
        return None if kept is None else [Stage(code, label, tuple(Branch(*branch) for branch in branches))
                                          for code, label, branches in kept]


def clinic_figures_of(periods: Sequence[Period], kept: Sequence[dict],
                      indicators=clinic.CLINIC_INDICATORS) -> list[clinic.Figure] | None:
    """The clinic's figures from each period's indicators as kept (`indicators`, `indicators_over`), or None if one
    is missing (an indicator added since they were computed)."""
    found = []
    for indicator in indicators:
        trend = []
        for period, indicators_kept in zip(periods, kept, strict=True):
            one = indicators_kept.get(indicator.code)
            if one is None:
                return None
            value, numerator, denominator, top, bottom, why = one
            trend.append(Result(indicator.code, period, value, numerator, denominator, Counted(top), Counted(bottom),
                                why))
        found.append(clinic.Figure(indicator, trend))
    return found


def kept_for(scope: clinic.Scope, periods: Sequence[Period]) -> Kept | None:
    """The kept figures of the scope for every one of the periods, in one query; None unless all are kept."""
    found = {(row.start, row.end): row for row in StoredFigures.objects.filter(
        scope=scope_key(scope), start__in={p.start for p in periods}, end__in={p.end for p in periods})}
    rows = [found.get((period.start, period.end)) for period in periods]
    if not rows or None in rows:
        return None
    return Kept(min(row.computed_at for row in rows), rows)
