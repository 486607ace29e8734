"""The parts every indicator shares: the period it is computed for, the rows it reads, what it returns, and how
it is split by team and worker and run over a list of periods. No Django, no clock: the caller gives the period.

Rows are the record as plain values, in the shapes casefile/rules/annex_a.py already reads (dicts, as Django's
values() gives them, or any object with the same attribute names, such as a NamedTuple): a `Cohort` can be built
straight from an `annex_a.Record` with `Cohort.from_annex_a`, adding the few rows the Annex A lists do not need
(strategy discussions, workers and posts).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import functools
from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from itertools import compress, pairwise
from numbers import Real
from operator import attrgetter
from types import MappingProxyType
from typing import Any, NamedTuple

from casefile.rules.census_projection import CensusYear
from casefile.rules.clocks import add_calendar_months
from casefile.rules.working_days import DFE_STATISTICS, ENGLAND_AND_WALES, Convention, WorkingCalendar

Row = Mapping[str, Any] | Any


def field(row: Row, name: str, default: Any = None) -> Any:
    """A row's value by name, whether the row is a dict (values()) or an object (a NamedTuple or dataclass)."""
    if type(row) is dict:  # the common case, without the cost of an isinstance check against an ABC
        return row.get(name, default)
    if isinstance(row, tuple):  # a named tuple (ROWS), as cohort.load makes them: no ABC check either
        return getattr(row, name, default)
    if isinstance(row, Mapping):
        return row.get(name, default)
    return getattr(row, name, default)


# The period ------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included. "In the year" means dated within it; "at 31 March" means as
    at `end`. A period that ends before it starts is refused, naming the field."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
                raise ValueError(f"{name}: expected a date, got {value!r}")
        if self.end < self.start:
            raise ValueError(f"end: the period ends ({self.end.isoformat()}) before it starts "
                             f"({self.start.isoformat()})")

    @classmethod
    def census_year(cls, year: str) -> Period:
        """The DfE children in need year, "2025-26": 1 April 2025 to 31 March 2026 (rules/census_projection)."""
        census = CensusYear.parse(year)
        return cls(census.start, census.reference_date)

    @classmethod
    def year_to(cls, end: datetime.date) -> Period:
        """The 12 months ending on `end`: the workforce census year is `year_to(date(2024, 9, 30))`."""
        return cls(add_calendar_months(end, -12) + datetime.timedelta(days=1), end)

    def within(self, day: datetime.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def name(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def census_years(first: str, last: str) -> list[Period]:
    """Every census year from `first` to `last` ("2021-22" to "2025-26"), oldest first."""
    start, stop = CensusYear.parse(first).start.year, CensusYear.parse(last).start.year
    if stop < start:
        raise ValueError(f"last: {last!r} is before {first!r}")
    return [Period.census_year(f"{year}-{(year + 1) % 100:02d}") for year in range(start, stop + 1)]


def months(first: datetime.date, last: datetime.date) -> list[Period]:
    """Calendar months from the one holding `first` to the one holding `last`, for a monthly trend."""
    if last < first:
        raise ValueError(f"last: {last.isoformat()} is before first ({first.isoformat()})")
    periods, start = [], first.replace(day=1)
    while start <= last:
        following = add_calendar_months(start, 1)
        periods.append(Period(start, following - datetime.timedelta(days=1)))
        start = following
    return periods


# What an indicator is --------------------------------------------------------------------------------------


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    RATE_PER_10000 = "rate per 10,000 children"
    AVERAGE = "average"


class Body(StrEnum):
    DFE = "DfE"
    OFSTED = "Ofsted"
    WORKING_TOGETHER = "Working Together 2023"
    LOCAL = "Local measure"


@dataclasses.dataclass(frozen=True)
class Source:
    """Where a definition comes from: the body, the table or measure, its address, and the status marker of
    ../shared/reference/statutory-rules.md (V verified, S secondary, U unverified, LOCAL)."""

    body: Body
    measure: str
    url: str
    status: str


class Item(NamedTuple):
    """One thing counted: a record (`kind` and `id`, so a page can link to it) and the child it is about
    (None for a worker or a post)."""

    kind: str
    id: Any
    child: Any = None


class Records(Sequence):
    """The records behind one side of a figure, all of one kind, made into `Item`s only when read: a page shows
    the children behind one figure, but a trend computes thousands of figures whose records nobody reads."""

    __slots__ = ("kind", "rows")

    def __init__(self, kind: str, rows: Iterable[Any]):
        self.kind = kind
        # A list is kept as it is (the indicators give fresh ones, never changed after): a trend's thousands of
        # figures would otherwise copy a year of contacts each.
        self.rows = rows if type(rows) in (list, tuple) else tuple(rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self)[index]
        row = self.rows[index]
        return Item(self.kind, field(row, "id"), field(row, "child"))

    def __iter__(self):
        kind = self.kind
        return (Item(kind, field(row, "id"), field(row, "child")) for row in self.rows)

    def children(self) -> set:
        """The children the rows are about (None left out), without making an Item of each row: a year's contacts
        are a hundred thousand rows."""
        rows = self.rows
        if rows and all(type(row) is type(rows[0]) for row in rows) and "child" in getattr(rows[0], "_fields", ()):
            found = set(map(attrgetter("child"), rows))  # named tuples, as cohort.load makes them
        else:
            found = {field(row, "child") for row in rows}
        found.discard(None)
        return found

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Records({self.kind!r}, {len(self.rows)} rows)"


def children_of(items: Iterable[Item]) -> frozenset:
    """The children behind one side of a figure."""
    if isinstance(items, Records):
        return frozenset(items.children())
    return frozenset(item.child for item in items if item.child is not None)


@dataclasses.dataclass(frozen=True)
class Result:
    """An indicator's figure for a period, and the records behind its numerator and denominator.

    `value` is None when there is no figure (nothing to divide by, no population given), and `no_figure` then
    says why, in words for the page. Counts are whole; FTE-weighted workforce figures need not be.
    """

    code: str
    period: Period
    value: float | None
    numerator: float
    denominator: float | None
    numerator_items: Sequence[Item] = ()
    denominator_items: Sequence[Item] = ()
    no_figure: str = ""

    @property
    def numerator_children(self) -> frozenset:
        return children_of(self.numerator_items)

    @property
    def denominator_children(self) -> frozenset:
        return children_of(self.denominator_items)

    def rounded(self, places: int = 1) -> float | None:
        """As the DfE publishes percentages and rates: one decimal place."""
        return None if self.value is None else round(self.value, places)


@dataclasses.dataclass(frozen=True)
class Settings:
    """The choices an indicator depends on, each defaulting to the DfE's own."""

    calendar: WorkingCalendar = ENGLAND_AND_WALES
    # DfE statistics count the start day as day 0 ("started and finished the same day", then "1-10 days").
    convention: Convention = DFE_STATISTICS
    re_referral_months: int = 12
    # "Within 12 months of a previous referral": the DfE does not say whether exactly 12 months counts
    # (statutory-rules.md §1, marked U). By default a referral exactly 12 months after the last one is a re-referral.
    re_referral_boundary_inclusive: bool = True
    cp_visit_working_days: int = 10  # local standard (rules/clocks.py CP_VISIT) unless the plan sets its own


DEFAULT_SETTINGS = Settings()


@dataclasses.dataclass(frozen=True)
class Indicator:
    """One indicator: its definition in words, its unit, its polarity and source, and how to compute it."""

    code: str
    title: str
    numerator: str
    denominator: str
    period_rule: str
    unit: Unit
    higher_is_better: bool | None  # None: neither (a volume, or "low is good but zero is not expected")
    source: Source
    compute: Callable[[Cohort, Period, Settings], Result] = dataclasses.field(repr=False, compare=False)
    note: str = ""
    also: tuple[Source, ...] = ()  # where the standard itself is set, when the measure's source is another
    # The tables the figure reads, each with how far back before the period's start it looks (in months; None:
    # the whole history). A row counts as read when any of its dates falls from then on, or it is still open
    # (`Window`). Empty: every table, whole. A page showing one figure reads only these rows.
    reads: Mapping[str, int | None] = dataclasses.field(default_factory=dict, compare=False)

    @property
    def definition(self) -> str:
        words = f"{self.numerator}"
        if self.unit is Unit.PERCENT:
            words = f"{self.numerator}, as a percentage of {self.denominator}"
        elif self.unit is Unit.RATE_PER_10000:
            words = f"{self.numerator}, per 10,000 {self.denominator}"
        elif self.unit is Unit.AVERAGE:
            words = f"{self.numerator}, divided by {self.denominator}"
        return f"{words}, {self.period_rule}."

    def __call__(self, cohort: Cohort, period: Period, settings: Settings = DEFAULT_SETTINGS) -> Result:
        result = self.compute(cohort, period, settings)
        return result if result.code == self.code else dataclasses.replace(result, code=self.code)


# What a figure reads ---------------------------------------------------------------------------------------


Window = Mapping[str, datetime.date | None]
"""The tables to read and, for each, the first day a row must reach to be read (None: its whole history). A row
reaches a day when any of its dates (start, end, decision) is on or after it, or it has not ended."""


def window(reads: Mapping[str, int | None], period: Period) -> dict[str, datetime.date | None]:
    """The rows `reads` (an Indicator's) needs for `period`."""
    return {table: None if months is None else add_calendar_months(period.start, -months)
            for table, months in reads.items()}


def widest(*windows: Window) -> dict[str, datetime.date | None]:
    """Every table any of the windows reads, each as far back as the furthest of them."""
    found: dict[str, datetime.date | None] = {}
    for one in windows:
        for table, since in one.items():
            if table not in found:
                found[table] = since
            elif found[table] is not None:
                found[table] = None if since is None else min(found[table], since)
    return found


def independent(indicators: Sequence[Indicator]) -> list[list[Indicator]]:
    """The indicators in groups that read no table in common, each in the order given: a group's figures need only
    its own tables, so each group can be read and computed apart from the others (say, in a process of its own).
    An indicator that does not say what it reads reads every table: then every indicator is in one group."""
    if any(not indicator.reads for indicator in indicators):
        return [list(indicators)] if indicators else []
    groups: list[tuple[set, list]] = []
    for indicator in indicators:
        tables = set(indicator.reads)
        joined = [group for group in groups if group[0] & tables]
        merged: tuple[set, list] = (tables, [])
        for group in joined:
            merged[0].update(group[0])
            merged[1].extend(group[1])
            groups.remove(group)
        merged[1].append(indicator)
        groups.append(merged)
    order = {indicator.code: at for at, indicator in enumerate(indicators)}
    found = [sorted(members, key=lambda indicator: order[indicator.code]) for _, members in groups]
    return sorted(found, key=lambda members: order[members[0].code])


# The rows --------------------------------------------------------------------------------------------------


TABLE_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "contacts": ("id", "child", "date", "outcome"),
    "episodes": ("id", "child", "referral_date", "referral_nfa", "closure_date", "closure_reason"),
    "assessments": ("id", "child", "episode", "start_date", "authorised_on"),
    "strategy_discussions": ("id", "child", "date", "enquiry"),
    "enquiries": ("id", "child", "start_date", "icpc_not_required"),
    "initial_conferences": ("id", "child", "enquiry", "date", "decision"),
    "plans": ("id", "child", "kind", "start_date", "end_date", "previous_plans", "visit_interval_working_days"),
    "cp_visits": ("id", "plan", "date", "seen_alone"),
    "early_help": ("id", "child", "date"),
    "allocations": ("id", "child", "start_date", "end_date", "team", "worker"),
    "workers": ("id", "team", "employment_type", "start_date", "leave_date", "fte", "case_holding"),
    "posts": ("id", "team", "fte", "start_date", "end_date", "holder"),
})
_SHAPES = {name: namedtuple(name.title().replace("_", ""), keys) for name, keys in TABLE_FIELDS.items()}
# The named tuple for each table: rows made in it (say, straight from a query's values_list) are used as they are,
# without the copy every other row gets.
ROWS: Mapping[str, type] = MappingProxyType(_SHAPES)


@dataclasses.dataclass(frozen=True)
class Cohort:
    """The record the indicators read. Keys of each row (dates are datetime.date; `child` is the child's id):

    contacts: id, child, date, outcome (rules/front_door.Outcome value; "" while the decision is awaited)
    episodes: id, child, referral_date, referral_nfa, closure_date, closure_reason (the CIN census episode)
    assessments: id, child, episode, start_date, authorised_on
    strategy_discussions: id, child, date, enquiry (the section 47 enquiry it started, or None)
    enquiries: id, child, start_date (the strategy discussion's date), icpc_not_required
    initial_conferences: id, child, enquiry, date, decision
    plans: id, child, kind ("cp" or "cin"), start_date, end_date, previous_plans (plans before the record began,
        optional), visit_interval_working_days (optional: the plan's own visit frequency)
    cp_visits: id, plan, date, seen_alone (visits that saw the child on a child protection plan)
    early_help: id, child, date (steps down to early help)
    allocations: id, child, start_date, end_date, team, worker
    workers: id, team, employment_type ("permanent" or "agency"), start_date, leave_date, fte (default 1),
        case_holding (default True)
    posts: id, team, fte (default 1), start_date, end_date, holder (the permanent worker in it, or None)
    population_under_18: the authority's children aged 0 to 17 (ONS mid-year estimate), for rates per 10,000
    """

    contacts: Sequence[Row] = ()
    episodes: Sequence[Row] = ()
    assessments: Sequence[Row] = ()
    strategy_discussions: Sequence[Row] = ()
    enquiries: Sequence[Row] = ()
    initial_conferences: Sequence[Row] = ()
    plans: Sequence[Row] = ()
    cp_visits: Sequence[Row] = ()
    early_help: Sequence[Row] = ()
    allocations: Sequence[Row] = ()
    workers: Sequence[Row] = ()
    posts: Sequence[Row] = ()
    population_under_18: int | None = None

    def __post_init__(self):
        population = self.population_under_18
        if population is not None and (isinstance(population, bool) or not isinstance(population, Real)
                                       or population < 0 or population != population):
            raise ValueError(f"population_under_18: expected a number of children of 0 or more, got {population!r}")

    def table(self, name: str) -> list:
        """A table's rows as named tuples with every key of TABLE_FIELDS (None where a row lacks one), made once:
        the indicators read them by attribute, far faster than looking each value up in a dict or an object."""

        def build():
            shape = _SHAPES[name]
            keys = TABLE_FIELDS[name]
            rows = getattr(self, name)
            if set(map(type, rows)) <= {shape}:  # as cohort.load makes them: checked in C, a million rows at once
                return list(rows)
            return [row if type(row) is shape else shape(*map(row.get, keys)) if type(row) is dict
                    else shape(*(field(row, key) for key in keys)) for row in rows]

        return self.remembered(("table", name), build)

    @functools.cached_property
    def memo(self) -> dict:
        """Indexes the indicators build once per cohort (rows sorted by date, grouped by child) and reuse for every
        period and indicator; a cohort is never changed, so they cannot go stale."""
        return {}

    def remembered(self, key: Any, build: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]

    @classmethod
    def from_annex_a(cls, record: Any, **more: Any) -> Cohort:
        """The rows an `annex_a.Record` already holds, plus any others given by name."""
        names = ("contacts", "episodes", "assessments", "enquiries", "initial_conferences", "plans", "cp_visits",
                 "early_help", "allocations")
        return cls(**{name: getattr(record, name) for name in names}, **more)


# Shared readings of the rows -------------------------------------------------------------------------------


def open_on(start: datetime.date | None, end: datetime.date | None, day: datetime.date) -> bool:
    """Open at the end of `day`: started by then and not ended by then (as annex_a reads plans)."""
    return start is not None and start <= day and (end is None or end > day)


class OpenOn:
    """Which rows are open at the end of a day (`open_on`), for many days: a trend asks for 130 days of ten years.

    The rows are given in order of their start (each has one). Each day is worked out from the nearest day before
    it already asked for: the rows open then that have not ended since, then the rows started since that have not
    ended, so ten years of month-ends read each open row once a month rather than every row once a day. Rows come
    back in the order given.
    """

    def __init__(self, rows: Sequence[Any], start: Callable[[Any], Any], end: Callable[[Any], Any]):
        self.rows = rows
        self._starts = list(map(start, rows))
        if None in self._starts or any(later < earlier for earlier, later in pairwise(self._starts)):
            raise ValueError("rows: expected rows in order of their start, each with one")
        # A row not ended is open on every day: its end is taken as the last day there is.
        self._ends = [datetime.date.max if ended is None else ended for ended in map(end, rows)]
        self._days: list[datetime.date] = []  # the days worked out, in order, and the positions open on each
        self._open: dict[datetime.date, list[int]] = {}

    def positions(self, day: datetime.date) -> list[int]:
        """The positions of the rows open at the end of `day`, in order."""
        if day in self._open:
            return self._open[day]
        before = bisect.bisect_left(self._days, day)
        base_day = self._days[before - 1] if before else None
        # Rows started after the base day come after every row open then, as the rows are in order of their start.
        since = range(0 if base_day is None else bisect.bisect_right(self._starts, base_day),
                      bisect.bisect_right(self._starts, day))
        candidates = [*self._open.get(base_day, ()), *since]
        # Those not ended by the end of the day, checked in C (no Python call for each of thousands of rows a day).
        found = list(compress(candidates, map(day.__lt__, map(self._ends.__getitem__, candidates))))
        self._days.insert(before, day)
        self._open[day] = found
        return found

    def on(self, day: datetime.date) -> list:
        return list(map(self.rows.__getitem__, self.positions(day)))


def _kept(items: Iterable[Item]) -> Sequence[Item]:
    return items if isinstance(items, Records) else tuple(items)


def ratio(code: str, period: Period, numerator_items: Iterable[Item], denominator_items: Iterable[Item],
          *, percent: bool, empty: str, numerator: float | None = None,
          denominator: float | None = None) -> Result:
    """numerator / denominator (x 100 for a percentage), or no figure, saying why, when the denominator is 0."""
    top, bottom = _kept(numerator_items), _kept(denominator_items)
    count = float(len(top)) if numerator is None else numerator
    base = float(len(bottom)) if denominator is None else denominator
    if base == 0:
        return Result(code, period, None, count, base, top, bottom, no_figure=empty)
    return Result(code, period, count / base * (100 if percent else 1), count, base, top, bottom)


def count(code: str, period: Period, items: Iterable[Item]) -> Result:
    found = _kept(items)
    return Result(code, period, float(len(found)), float(len(found)), None, found)


def rate_per_10000(code: str, period: Period, items: Iterable[Item], population: int | None) -> Result:
    found = _kept(items)
    if not population:
        why = ("no figure: the number of children aged under 18 in the area was not given" if population is None
               else "no figure: the number of children aged under 18 in the area is 0")
        return Result(code, period, None, float(len(found)), population, found, no_figure=why)
    return Result(code, period, len(found) / population * 10_000, float(len(found)), float(population), found)


# Over time, by team and by worker --------------------------------------------------------------------------


def over_periods(indicator: Indicator, cohort: Cohort, periods: Iterable[Period],
                 settings: Settings = DEFAULT_SETTINGS) -> list[Result]:
    """The indicator for each period in turn (a trend), in the order given."""
    return [indicator(cohort, period, settings) for period in periods]


GROUP_KEYS = ("team", "worker")
CHILD_ROWS = ("contacts", "episodes", "assessments", "strategy_discussions", "enquiries", "initial_conferences",
              "plans", "early_help", "allocations")


def allocated_on(allocations: Iterable[Row], day: datetime.date, key: str) -> dict[Any, Any]:
    """Each child's team or worker as at `day`: the latest allocation started by then (as annex_a reads it)."""
    latest: dict[Any, tuple] = {}
    for row in allocations:
        start = field(row, "start_date")
        if start is None or start > day:
            continue
        order = (start, field(row, "id") or 0)
        child = field(row, "child")
        if child not in latest or order >= latest[child][0]:
            latest[child] = (order, field(row, key))
    return {child: value for child, (_, value) in latest.items()}


def restrict(cohort: Cohort, children: set, *, workers: Callable[[Row], bool] = lambda row: True,
             posts: Callable[[Row], bool] = lambda row: True, population: int | None = None) -> Cohort:
    """The part of the cohort about these children (and these workers and posts)."""
    kept = {name: tuple(row for row in getattr(cohort, name) if field(row, "child") in children)
            for name in CHILD_ROWS}
    plan_ids = {field(plan, "id") for plan in kept["plans"]}
    return dataclasses.replace(
        cohort, **kept,
        cp_visits=tuple(visit for visit in cohort.cp_visits if field(visit, "plan") in plan_ids),
        workers=tuple(row for row in cohort.workers if workers(row)),
        posts=tuple(row for row in cohort.posts if posts(row)),
        population_under_18=population)


def partition(cohort: Cohort, day: datetime.date, key: str = "team",
              populations: Mapping[Any, int] | None = None) -> dict[Any, Cohort]:
    """The cohort split by team (key="team") or worker (key="worker") as at `day`, in one pass over each table.

    A child belongs to the team or worker they were allocated to at the end of `day` (the latest allocation started
    by then); children never allocated by then are under None. Workers and posts belong to their own team; for
    key="worker" a worker is their own group and posts are left out (vacancies are a team's). Each part equals
    `restrict(cohort, its children, ...)`, without reading every row once for every group.
    """
    if key not in GROUP_KEYS:
        raise ValueError(f"key: expected one of {', '.join(GROUP_KEYS)}, got {key!r}")
    owner = allocated_on(cohort.allocations, day, key)
    rows: dict[Any, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    plan_group: dict[Any, Any] = {}
    for name in CHILD_ROWS:
        for row in getattr(cohort, name):
            group = owner.get(field(row, "child"))
            rows[group][name].append(row)
            if name == "plans":
                plan_group[field(row, "id")] = group
    for visit in cohort.cp_visits:
        plan = field(visit, "plan")
        if plan in plan_group:
            rows[plan_group[plan]]["cp_visits"].append(visit)
    worker_key = "team" if key == "team" else "id"
    for worker in cohort.workers:
        rows[field(worker, worker_key)]["workers"].append(worker)
    if key == "team":
        for post in cohort.posts:
            rows[field(post, "team")]["posts"].append(post)
    populations = populations or {}
    empty = dataclasses.replace(cohort, **{name: () for name in (*CHILD_ROWS, "cp_visits", "workers", "posts")})
    return {group: dataclasses.replace(empty, **{name: tuple(found) for name, found in tables.items()},
                                       population_under_18=populations.get(group))
            for group, tables in rows.items()}


def by_group(indicator: Indicator, cohort: Cohort, period: Period, key: str = "team",
             settings: Settings = DEFAULT_SETTINGS,
             populations: Mapping[Any, int] | None = None) -> dict[Any, Result]:
    """The indicator for each team (key="team") or worker (key="worker"), as `partition` splits the cohort at the
    end of the period. Rates per 10,000 need the group's population (`populations`), else they have no figure."""
    parts = partition(cohort, period.end, key, populations)
    return {group: indicator(parts[group], period, settings)
            for group in sorted(parts, key=lambda value: (value is None, str(value)))}
