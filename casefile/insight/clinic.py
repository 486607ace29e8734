"""A performance clinic: the indicators (casefile/rules/indicators) for the whole authority, some teams or one
worker, for a period and the periods before it (the trend), over one read of the record (`cohort.load`).

A child belongs to the team or worker they were allocated to at the end of each period (the latest allocation
started by then), as `rules.indicators.by_group` reads it; so a team's figure here equals
`by_group(indicator, cohort, period, "team")[team]`. The workforce indicators (caseload per worker, agency share,
vacancies, turnover) read each worker's employment and the establishment's posts as administrators keep them
(accounts.WorkerRecord, accounts.Post); a worker and a post count in their own team, and a worker's own figures
leave posts out (vacancies are a team's).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from casefile.rules.census_projection import latest_complete_year
from casefile.rules.clocks import add_calendar_months
from casefile.rules.indicators import INDICATOR_LIST, Cohort, Indicator, Period, Result, census_years, months
from casefile.rules.indicators.core import Window, allocated_on, field, restrict, widest, window
from casefile.rules.memory import cycle_collector_paused

TREND_PERIODS = 4
WORKFORCE = frozenset({"caseload_per_worker", "agency_share", "vacancy_rate", "turnover_rate"})
CLINIC_INDICATORS: tuple[Indicator, ...] = tuple(INDICATOR_LIST)
# The sides of a figure that count workers or posts, not children: nothing to list on the children's page.
NO_CHILDREN = frozenset({("caseload_per_worker", "denominator"), *((code, side) for code in WORKFORCE - {
    "caseload_per_worker"} for side in ("numerator", "denominator"))})
CENSUS_YEARS_OFFERED = 6


def census_year_choices(today: datetime.date) -> list[str]:
    """The census years a clinic may be for, newest first: the latest complete one and the five before it."""
    last = latest_complete_year(today)
    first = int(last[:4])
    return [f"{year}-{(year + 1) % 100:02d}" for year in range(first, first - CENSUS_YEARS_OFFERED, -1)]


def census_year_trend(year: str) -> list[Period]:
    """The census year and the three before it, oldest first."""
    start = int(year[:4])
    first = f"{start - TREND_PERIODS + 1}-{(start - TREND_PERIODS + 2) % 100:02d}"
    return census_years(first, year)


LONG_RUN_YEARS = 10


def long_run(today: datetime.date) -> tuple[list[Period], list[Period]]:
    """The long-run trend: the ten complete census years to the latest, oldest first, and their 120 months."""
    last = latest_complete_year(today)
    start = int(last[:4]) - LONG_RUN_YEARS + 1
    years = census_years(f"{start}-{(start + 1) % 100:02d}", last)
    return years, months(years[0].start, years[-1].end)


def twelve_months_trend(end: datetime.date) -> list[Period]:
    """The 12 months to `end` and the three 12 months before, oldest first."""
    return [Period.year_to(add_calendar_months(end, -12 * back)) for back in range(TREND_PERIODS - 1, -1, -1)]


@dataclasses.dataclass(frozen=True)
class Scope:
    """Whose children: the whole authority (no teams, no worker), the children of some teams, or of one worker."""

    team_ids: frozenset | None = None
    worker_id: int | None = None

    def children(self, cohort: Cohort, period: Period) -> set | None:
        """The children in scope at the end of the period; None for the whole authority (every row counts)."""
        if self.worker_id is not None:
            owner = allocated_on(cohort.allocations, period.end, "worker")
            return {child for child, worker in owner.items() if worker == self.worker_id}
        if self.team_ids is not None:
            owner = allocated_on(cohort.allocations, period.end, "team")
            return {child for child, team in owner.items() if team in self.team_ids}
        return None

    def reads(self, needs: Window) -> Window:
        """The rows to read for a figure needing `needs` in this scope: a team's or a worker's children are found
        from every allocation (the latest by the period's end, however old), and its workers and posts."""
        if self.team_ids is None and self.worker_id is None:
            return needs
        return widest(needs, dict.fromkeys(("allocations", "workers", "posts")))

    def held_by(self) -> dict | None:
        """The allocations that make a child this scope's (lookups for insight.cohort.load); None: every child."""
        if self.worker_id is not None:
            return {"worker_id": self.worker_id}
        if self.team_ids is not None:
            return {"team_id__in": sorted(self.team_ids)}
        return None

    def part(self, cohort: Cohort, period: Period) -> Cohort:
        children = self.children(cohort, period)
        if children is None:
            return cohort
        if self.worker_id is not None:
            return restrict(cohort, children, workers=lambda row: field(row, "id") == self.worker_id,
                            posts=lambda row: False)
        return restrict(cohort, children, workers=lambda row: field(row, "team") in self.team_ids,
                        posts=lambda row: field(row, "team") in self.team_ids)


@dataclasses.dataclass(frozen=True)
class Figure:
    """One indicator in a clinic: its result in each period of the trend, oldest first; the last is the period
    chosen."""

    indicator: Indicator
    trend: Sequence[Result]

    @property
    def result(self) -> Result:
        return self.trend[-1]


def figures(cohort: Cohort, periods: Sequence[Period], scope: Scope,
            indicators: Sequence[Indicator] = CLINIC_INDICATORS) -> list[Figure]:
    """Every indicator over every period, each period's part of the cohort made once. The indexes the indicators
    keep (Cohort.memo) are millions of small objects in no reference cycle: the cycle collector is paused while
    they are made rather than re-scanning them all again and again."""
    with cycle_collector_paused():
        parts = [scope.part(cohort, period) for period in periods]
        return [Figure(indicator, [indicator(part, period) for part, period in zip(parts, periods, strict=True)])
                for indicator in indicators]


def result(cohort: Cohort, period: Period, scope: Scope, indicator: Indicator) -> Result:
    return indicator(scope.part(cohort, period), period)


def reads(indicator: Indicator, period: Period, scope: Scope) -> Window | None:
    """The rows one figure reads (None: the whole record, for an indicator that does not say what it reads)."""
    return scope.reads(window(indicator.reads, period)) if indicator.reads else None


def reads_every(periods: Sequence[Period], scope: Scope,
                indicators: Sequence[Indicator] = CLINIC_INDICATORS) -> Window | None:
    """The rows a clinic reads: each table as far back as any of its figures needs (None: the whole record). Four
    census years of a large authority are then four years of contacts and visits, not ten."""
    needs = [reads(indicator, period, scope) for indicator in indicators for period in periods]
    return None if None in needs else widest(*needs)
