"""The indicators of issue 12 item 2, each with the DfE's or Ofsted's definition where one exists, in words and in
code. Sources are ../shared/reference/statutory-rules.md (§1, §5, §8, §11.4) and data-standards.md; the DfE
tables named are those of the "Children in need" statistical release on explore-education-statistics (EES)
and the "Children's social work workforce" release.

Which clock the 45-working-day measure uses: the DfE's (table C2) runs from the assessment's start
(AssessmentActualStartDate) to its authorisation (AssessmentAuthorisationDate), which is what the census
collects and what the England figure is; Working Together's runs from the referral. Both are here:
`assessments_within_45_working_days` (DfE, compared with England) and
`assessments_within_45_working_days_of_referral` (Working Together, for practice).
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from itertools import compress
from operator import attrgetter, itemgetter, not_
from types import MappingProxyType
from typing import Any

from casefile.rules.census_projection import previous_plans
from casefile.rules.clocks import add_calendar_months
from casefile.rules.front_door import Outcome
from casefile.rules.indicators.core import (
    DEFAULT_SETTINGS,
    TABLE_FIELDS,
    Body,
    Cohort,
    Indicator,
    OpenOn,
    Period,
    Records,
    Result,
    Settings,
    Source,
    Unit,
    count,
    open_on,
    rate_per_10000,
    ratio,
)
from casefile.rules.working_days import add_working_days, working_days_between, working_days_between_each

CP = "cp"
# How far back the re-referral figure reads before its period: a referral counts when the child's previous one was
# within these months (reads narrowed this way assume the default settings).
RE_REFERRAL_LOOK_BACK = DEFAULT_SETTINGS.re_referral_months
PERMANENT, AGENCY = "permanent", "agency"
# Census closure reason RC9: "closed after assessment and referred to early help" (data-standards.md §1.3).
RC9_EARLY_HELP = "RC9"

_EES = "https://explore-education-statistics.service.gov.uk/data-catalogue/data-set/"
C1 = Source(Body.DFE, "Children in need, table C1: referrals and re-referrals (referrals in the year; re-referrals "
            "within 12 months of a previous referral)", _EES + "911dae20-ac5d-4e28-bee8-53a658761fa5", "V")
C2 = Source(Body.DFE, "Children in need, table C2: completed assessments by duration (working days from "
            "assessment start to authorisation)", _EES + "3fb5a93d-1eb3-4f3a-bdd0-5caea4556ce6", "V")
C4 = Source(Body.DFE, "Children in need, table C4: section 47 enquiries and initial child protection conferences "
            "(rate per 10,000 children; working days from the start of the section 47 enquiry to the ICPC)",
            _EES + "b0749fa2-c0e2-4a15-8c0f-23941b3b6161", "V")
D1 = Source(Body.DFE, "Children in need, table D1: child protection plans at 31 March (rate per 10,000 children)",
            _EES + "0183a28b-6a55-4eff-aa08-33cc14f3a5bb", "V")
D3 = Source(Body.DFE, "Children in need, table D3: children who became the subject of a child protection plan for "
            "a second or subsequent time (former NI 65; LG Inform metric 100)", "http://id.esd.org.uk/metricType/100",
            "V")
D7 = Source(Body.DFE, "Children in need, table D7: child protection plans ending in the year by duration (2 years "
            "or more; former NI 64)", _EES + "04a78d29-2196-4bea-bf95-7a2eced5d0d5", "V")
WORKFORCE = Source(Body.DFE, "Children's social work workforce (census year to 30 September): agency rate, vacancy "
                   "rate, turnover rate and average caseload", "https://explore-education-statistics.service.gov.uk/"
                   "methodology/children-s-social-work-workforce", "S")
ANNEX_A_1 = Source(Body.OFSTED, "ILACS Annex A, list 1: contacts", "https://www.gov.uk/government/publications/"
                   "inspecting-local-authority-childrens-services-from-2018", "S")
ANNEX_A_2 = Source(Body.OFSTED, "ILACS Annex A, list 2: early help (steps down to early help)",
                   ANNEX_A_1.url, "S")
ANNEX_A_7 = Source(Body.OFSTED, "ILACS Annex A, list 7: child protection (date of the last statutory visit; was "
                   "the child seen alone)", ANNEX_A_1.url, "S")
WT_ICPC = Source(Body.WORKING_TOGETHER, "Initial child protection conference within 15 working days of the strategy "
                 "discussion (paragraph number not yet confirmed)", "https://www.gov.uk/government/publications/"
                 "working-together-to-safeguard-children--2", "S")
WT_ASSESSMENT = Source(Body.WORKING_TOGETHER, "Assessment within 45 working days of the point of referral (paragraph "
                       "number not yet confirmed)", WT_ICPC.url, "S")
LOCAL = Source(Body.LOCAL, "No national definition: Casefile's own measure, defined here", "", "LOCAL")
CP_VISITS_LOCAL = Source(Body.LOCAL, "Visits to a child on a child protection plan: every 10 working days unless the "
                         "plan sets its own frequency (rules/clocks.py CP_VISIT; no regulation sets one)",
                         "https://ascpractice.camden.gov.uk/children-practice-hub/child-protection/"
                         "visits-and-engagement-with-families", "LOCAL")


# Indexes built once per cohort (Cohort.remembered) and read for every period -------------------------------


def _dated(cohort: Cohort, table: str, key: str) -> tuple[list, list]:
    """A table's rows with a date in `key`, sorted by it (then id), and the dates: a period is then two bisects."""

    def build():
        at = TABLE_FIELDS[table].index(key)  # every table's first field is its id
        rows = [row for row in cohort.table(table) if row[at] is not None]
        # By id, then (a stable sort) by date: keys made in C, so a million contacts sort in a fraction of a second.
        try:
            rows.sort(key=itemgetter(0))
        except TypeError:  # hand-built rows, some without an id
            rows.sort(key=lambda row: row[0] or 0)
        rows.sort(key=itemgetter(at))
        return list(map(itemgetter(at), rows)), rows

    return cohort.remembered(("dated", table, key), build)


def _kept_dated(cohort: Cohort, key, dated: tuple[list, list], select) -> tuple[list, list]:
    """The rows of a dated index that `select` keeps, still in date order: checked once per cohort, so each period
    is two bisects rather than a pass over its rows (ten years of monthly figures read each row once). `select`
    gives one true or false for each of the rows it is given, in order."""

    def build():
        dates, rows = dated
        kept = list(select(rows))
        return list(compress(dates, kept)), list(compress(rows, kept))

    return cohort.remembered(key, build)


def _in(period: Period, dated: tuple[list, list]) -> list:
    dates, rows = dated
    return rows[bisect_left(dates, period.start):bisect_right(dates, period.end)]


# Front door ------------------------------------------------------------------------------------------------


def _contacts(cohort: Cohort, period: Period, settings: Settings) -> Result:
    return count("contacts", period, Records("contact", _in(period, _dated(cohort, "contacts", "date"))))


def _referrals_sorted(cohort: Cohort) -> tuple[list, list]:
    """Referrals by date, one per child per day (the census records only the first of several referrals for the
    same child on the same day: C1 footnote, "Children in need" release)."""

    def build():
        seen, dates, rows = set(), [], []
        for day, row in zip(*_dated(cohort, "episodes", "referral_date"), strict=True):
            key = (row.child, day)
            if key not in seen:
                seen.add(key)
                dates.append(day)
                rows.append(row)
        return dates, rows

    return cohort.remembered("referrals", build)


def _referrals(cohort: Cohort, period: Period, settings: Settings) -> Result:
    return count("referrals", period, Records("episode", _in(period, _referrals_sorted(cohort))))


_child = attrgetter("child")
_REFERRALS = frozenset(outcome.value for outcome in Outcome if outcome.is_referral)
_outcomes = attrgetter("outcome")


def _referred(rows: list) -> Iterable[bool]:
    """Whether each decided contact was referred, the outcomes checked once (a million contacts are read)."""
    unknown = set(map(_outcomes, rows)) - {outcome.value for outcome in Outcome}
    if unknown:
        known = ", ".join(outcome.value for outcome in Outcome)
        raise ValueError(f"contacts.outcome: expected one of {known}, got {min(unknown, key=repr)!r}")
    return map(_REFERRALS.__contains__, map(_outcomes, rows))


def _conversion(cohort: Cohort, period: Period, settings: Settings) -> Result:
    decided_by_date = _kept_dated(cohort, "contacts_decided", _dated(cohort, "contacts", "date"),
                                  lambda rows: map(_outcomes, rows))  # "" or None while awaited
    decided = _in(period, decided_by_date)
    referred = _in(period, _kept_dated(cohort, "contacts_referred", decided_by_date, _referred))
    return ratio("contact_conversion", period, Records("contact", referred),
                 Records("contact", decided), percent=True,
                 empty="no figure: no contacts in the period had a decision")


def _re_referred(cohort: Cohort, settings: Settings) -> set:
    """The ids (positions) of referrals made within the settings' months of the child's previous referral."""

    def build():
        last: dict = {}
        found = set()
        for position, (day, row) in enumerate(zip(*_referrals_sorted(cohort), strict=True)):
            child = row.child
            previous = last.get(child)
            if previous is not None:
                earliest = add_calendar_months(day, -settings.re_referral_months)
                if previous > earliest or (settings.re_referral_boundary_inclusive and previous == earliest):
                    found.add(position)
            last[child] = day
        return found

    return cohort.remembered(("re_referred", settings.re_referral_months, settings.re_referral_boundary_inclusive),
                             build)


def _re_referrals(cohort: Cohort, period: Period, settings: Settings) -> Result:
    dates, rows = _referrals_sorted(cohort)
    first, last = bisect_left(dates, period.start), bisect_right(dates, period.end)
    again = _re_referred(cohort, settings)
    return ratio("re_referrals", period, Records("episode", [rows[i] for i in range(first, last) if i in again]),
                 Records("episode", rows[first:last]), percent=True,
                 empty="no figure: no referrals in the period")


# Assessment ------------------------------------------------------------------------------------------------


def _completed_by_date(cohort: Cohort) -> tuple[list, list]:
    return _kept_dated(cohort, "completed", _dated(cohort, "assessments", "authorised_on"), lambda rows: (
        row.start_date is not None and row.start_date <= row.authorised_on for row in rows))


def _completed(cohort: Cohort, period: Period) -> list:
    return _in(period, _completed_by_date(cohort))


def _assessments_45(cohort: Cohort, period: Period, settings: Settings) -> Result:
    done = _completed(cohort, period)
    in_time = _in(period, _kept_dated(
        cohort, ("completed_in_45", settings.calendar, settings.convention), _completed_by_date(cohort),
        lambda rows: map((45).__ge__, working_days_between_each(
            [(row.start_date, row.authorised_on) for row in rows], settings.calendar, settings.convention))))
    return ratio("assessments_within_45_working_days", period, Records("assessment", in_time),
                 Records("assessment", done), percent=True,
                 empty="no figure: no assessments were completed in the period")


def _assessments_45_referral(cohort: Cohort, period: Period, settings: Settings) -> Result:
    referred = cohort.remembered("referral_dates", lambda: {row.id: row.referral_date
                                                           for row in cohort.table("episodes")})
    # Whether each completed assessment belongs to a referral, and whether it was in time, checked once per cohort.
    done_by_date = _kept_dated(cohort, "completed_after_referral", _completed_by_date(cohort), lambda rows: (
        referred.get(row.episode) is not None and referred[row.episode] <= row.authorised_on for row in rows))
    in_time = _in(period, _kept_dated(
        cohort, ("completed_in_45_of_referral", settings.calendar, settings.convention), done_by_date,
        lambda rows: (row.authorised_on <= add_working_days(referred[row.episode], 45, settings.calendar,
                                                            settings.convention) for row in rows)))
    return ratio("assessments_within_45_working_days_of_referral", period,
                 Records("assessment", in_time), Records("assessment", _in(period, done_by_date)), percent=True,
                 empty="no figure: no assessments linked to a referral were completed in the period")


# Section 47 and conferences --------------------------------------------------------------------------------


def _s47_rate(cohort: Cohort, period: Period, settings: Settings) -> Result:
    return rate_per_10000("s47_per_10000", period,
                          Records("enquiry", _in(period, _dated(cohort, "enquiries", "start_date"))),
                          cohort.population_under_18)


def _strategy_to_icpc(cohort: Cohort, period: Period, settings: Settings) -> Result:
    conferenced = cohort.remembered("conferenced", lambda: {row.enquiry for row in cohort.table("initial_conferences")
                                                           if row.enquiry is not None})
    held = _in(period, _dated(cohort, "strategy_discussions", "date"))
    led = [row for row in held if row.enquiry is not None and row.enquiry in conferenced]
    return ratio("strategy_discussions_to_icpc", period, Records("strategy_discussion", led),
                 Records("strategy_discussion", held), percent=True,
                 empty="no figure: no strategy discussions were held in the period")


def _icpc_15(cohort: Cohort, period: Period, settings: Settings) -> Result:
    started = cohort.remembered("enquiry_starts", lambda: {row.id: row.start_date
                                                          for row in cohort.table("enquiries")})
    # C4 excludes conferences dated before the enquiry started (and those with no enquiry) from the durations.
    held = [row for row in _in(period, _dated(cohort, "initial_conferences", "date"))
            if started.get(row.enquiry) is not None and started[row.enquiry] <= row.date]
    in_time = [row for row in held if working_days_between(started[row.enquiry], row.date,
                                                           settings.calendar, settings.convention) <= 15]
    return ratio("icpc_within_15_working_days", period, Records("conference", in_time),
                 Records("conference", held), percent=True,
                 empty="no figure: no initial conferences in the period followed a section 47 enquiry")


# Child protection plans ------------------------------------------------------------------------------------


def _cp_plans(cohort: Cohort) -> tuple[list, list]:
    """Child protection plans by start date (then id)."""

    def build():
        plans = [row for row in _dated(cohort, "plans", "start_date")[1] if row.kind == CP]
        return [row.start_date for row in plans], plans

    return cohort.remembered("cp_plans", build)


def _open_cp_plans(cohort: Cohort, day: datetime.date) -> list:
    """Child protection plans open at the end of `day`, by start date (then id)."""
    return cohort.remembered(("open_cp_plans", day), lambda: _open_index(
        cohort, "cp_plans_open", lambda: _cp_plans(cohort)[1], "start_date", "end_date").on(day))


def _open_index(cohort: Cohort, key: str, rows, start: str, end: str) -> OpenOn:
    """An index of the rows (`rows()`, made once) open on any day, by their `start` and `end` fields."""
    return cohort.remembered(key, lambda: OpenOn(rows(), attrgetter(start), attrgetter(end)))


def _cpp_rate(cohort: Cohort, period: Period, settings: Settings) -> Result:
    # Children, once each (the census allows one open plan per child; a record that breaks that still counts once).
    subject: dict = {}
    for row in _open_cp_plans(cohort, period.end):
        subject.setdefault(row.child, row)
    return rate_per_10000("cpp_per_10000", period, Records("plan", subject.values()),
                          cohort.population_under_18)


def _repeat_plans(cohort: Cohort, period: Period, settings: Settings) -> Result:
    def build():
        starts: dict = defaultdict(list)
        for plan in _cp_plans(cohort)[1]:
            starts[plan.child].append(plan.start_date)
        return starts

    starts = cohort.remembered("cp_starts", build)
    # D3 counts children: each child who became the subject of a plan in the year once, in the numerator when any
    # plan they started in it had a plan before it (in this record, or before the record began), however long ago.
    first_start: dict = {}
    repeat: dict = {}
    for plan in _in(period, _cp_plans(cohort)):
        child = plan.child
        first_start.setdefault(child, plan)
        earlier = previous_plans(starts[child], plan.start_date) + (plan.previous_plans or 0)
        if earlier and child not in repeat:
            repeat[child] = plan
    return ratio("second_or_subsequent_plans", period, Records("plan", repeat.values()),
                 Records("plan", first_start.values()), percent=True,
                 empty="no figure: no child became the subject of a child protection plan in the period")


def _two_years(cohort: Cohort, period: Period, settings: Settings) -> Result:
    ended = [row for row in _in(period, _dated(cohort, "plans", "end_date")) if row.kind == CP]
    long = [row for row in ended if row.end_date >= add_calendar_months(row.start_date, 24)]
    return ratio("plans_ending_after_2_years", period, Records("plan", long),
                 Records("plan", ended), percent=True,
                 empty="no figure: no child protection plans ended in the period")


class _LatestBy:
    """The latest row for each key (a visit's plan) as at the end of a day, for many days: rows in date order are
    swept forward from the day asked for before, so ten years of month-ends read each row once rather than once a
    month (from the start again when a day before the last is asked for). Of two rows on one day, the later in
    order counts."""

    def __init__(self, dates: list, rows: list, key: Callable[[Any], Any]):
        self.dates, self.rows, self.key = dates, rows, key
        self.day: datetime.date | None = None
        self.read = 0  # rows swept so far
        self.latest: dict = {}

    def on(self, day: datetime.date) -> dict:
        """{key: its latest row by the end of `day`}: read it before asking for another day."""
        if self.day is not None and day < self.day:
            self.read, self.latest = 0, {}
        until = bisect_right(self.dates, day)
        swept = self.rows[self.read:until]
        self.latest.update(zip(map(self.key, swept), swept, strict=True))  # later rows replace earlier ones
        self.read, self.day = until, day
        return self.latest


def _last_visits(cohort: Cohort, day: datetime.date) -> list[tuple]:
    """Each child protection plan open at the end of `day`, with its last visit by then (not before the plan
    started) or None: worked out once a day for both the visits in time and the children seen alone."""

    def find():
        last = cohort.remembered("last_visit_by_plan", lambda: _LatestBy(*_dated(cohort, "cp_visits", "date"),
                                                                         attrgetter("plan"))).on(day)
        found = []
        for plan in _open_cp_plans(cohort, day):
            visit = last.get(plan.id)
            found.append((plan, visit if visit is not None and visit.date >= plan.start_date else None))
        return found

    return cohort.remembered(("last_visits", day), find)


def _cp_visits_in_time(cohort: Cohort, period: Period, settings: Settings) -> Result:
    day = period.end
    # The day the next visit is due, by the day it is counted from and the working days allowed: thousands of plans
    # a month, from a few thousand distinct days over ten years.
    due = cohort.remembered(("cp_visit_due", settings.calendar, settings.convention), dict)
    plans, in_time = [], []
    for plan, last in _last_visits(cohort, day):
        plans.append(plan)
        clock = (last.date if last else plan.start_date, plan.visit_interval_working_days
                 or settings.cp_visit_working_days)  # from which day, and how many working days
        if clock not in due:
            due[clock] = add_working_days(*clock, settings.calendar, settings.convention)
        if due[clock] >= day:
            in_time.append(plan)
    return ratio("cp_visits_in_time", period, Records("plan", in_time),
                 Records("plan", plans), percent=True,
                 empty="no figure: no child was on a child protection plan at the end of the period")


def _seen_alone(cohort: Cohort, period: Period, settings: Settings) -> Result:
    day = period.end
    visited, alone = [], []
    for plan, last in _last_visits(cohort, day):
        if last is None:
            continue  # Annex A leaves "seen alone" blank when there has been no visit: not in the denominator
        visited.append(plan)
        if last.seen_alone:
            alone.append(plan)
    return ratio("children_seen_alone", period, Records("plan", alone),
                 Records("plan", visited), percent=True,
                 empty="no figure: no child on a child protection plan at the end of the period had been visited")


# Step-downs, allocation and caseloads ----------------------------------------------------------------------


def _step_downs(cohort: Cohort, period: Period, settings: Settings) -> Result:
    return count("step_downs_to_early_help", period,
                 Records("early_help", _in(period, _dated(cohort, "early_help", "date"))))


def _open_children(cohort: Cohort, day: datetime.date) -> dict:
    """Children with an episode open at the end of `day` (referral received, not closed), and that episode.
    A referral that led to no further action is never an open case, even if no closure date was recorded."""

    def find():
        index = _open_index(cohort, "episodes_open", lambda: [
            row for row in _dated(cohort, "episodes", "referral_date")[1] if not row.referral_nfa],
            "referral_date", "closure_date")
        rows = index.on(day)
        return dict(zip(map(_child, rows), rows, strict=True))  # a child's latest episode, if two are open

    return cohort.remembered(("open_children", day), find)


def _allocated_to(cohort: Cohort, day: datetime.date) -> dict:
    """Each child's worker on `day`: their latest allocation open then."""

    def find():
        index = _open_index(cohort, "allocations_open", lambda: [
            row for row in _dated(cohort, "allocations", "start_date")[1] if row.worker is not None],
            "start_date", "end_date")
        rows = index.on(day)
        return dict(zip(map(_child, rows), rows, strict=True))  # a child's latest allocation, if two are open

    return cohort.remembered(("allocated_to", day), find)


def _unallocated(cohort: Cohort, period: Period, settings: Settings) -> Result:
    day = period.end
    allocated = _allocated_to(cohort, day)
    open_now = _open_children(cohort, day)
    return count("unallocated_children", period,
                 Records("episode", compress(open_now.values(), map(not_, map(allocated.__contains__, open_now)))))


def _caseloads(cohort: Cohort, period: Period, settings: Settings) -> Result:
    return count("open_cases", period, Records("episode", _open_children(cohort, period.end).values()))


# Workforce -------------------------------------------------------------------------------------------------


def _fte(row) -> float:
    value = row.fte
    return 1.0 if value is None else float(value)


def _workers(cohort: Cohort) -> list:
    """The workers, checked once: a worker's employment type and FTE decide every workforce figure."""

    def build():
        rows = cohort.table("workers")
        for row in rows:
            if row.employment_type not in (PERMANENT, AGENCY):
                raise ValueError(f"workers.employment_type: expected {PERMANENT!r} or {AGENCY!r}, got "
                                 f"{row.employment_type!r} (worker {row.id})")
            if row.start_date is None:
                raise ValueError(f"workers.start_date: worker {row.id} has no start date")
            if row.fte is not None and (isinstance(row.fte, bool) or not isinstance(row.fte, int | float)
                                        or not 0 < row.fte <= 1):
                raise ValueError(f"workers.fte: expected a number above 0 and at most 1, got {row.fte!r} "
                                 f"(worker {row.id})")
        return rows

    return cohort.remembered("workers_checked", build)


def _in_post(cohort: Cohort, day: datetime.date, kind: str | None = None) -> list:
    return [row for row in _workers(cohort) if open_on(row.start_date, row.leave_date, day)
            and (kind is None or row.employment_type == kind)]


def _caseload_per_worker(cohort: Cohort, period: Period, settings: Settings) -> Result:
    day = period.end
    holders = [row for row in _in_post(cohort, day) if row.case_holding is not False]
    ids = {row.id for row in holders}
    open_now = _open_children(cohort, day)
    allocated = _allocated_to(cohort, day)
    open_allocated = list(compress(allocated.values(), map(open_now.__contains__, allocated)))
    cases = list(compress(open_allocated, map(ids.__contains__, map(attrgetter("worker"), open_allocated))))
    return ratio("caseload_per_worker", period, Records("allocation", cases),
                 Records("worker", holders), percent=False, denominator=sum(_fte(r) for r in holders),
                 empty="no figure: no case-holding workers in post at the end of the period")


def _worker_changes(cohort: Cohort, period: Period, settings: Settings) -> Result:
    day = period.end
    open_now = _open_children(cohort, day)

    def build():
        """The allocations that changed the child's worker (from their allocation before, by start date)."""
        last: dict = {}
        changed = []
        for row in _dated(cohort, "allocations", "start_date")[1]:
            if row.child in last and last[row.child].worker != row.worker:
                changed.append(row)
            last[row.child] = row
        return [row.start_date for row in changed], changed

    changed = _in(period, cohort.remembered("worker_changes", build))
    changes = Records("allocation", compress(changed, map(open_now.__contains__, map(_child, changed))))
    return ratio("worker_changes_per_child", period, changes,
                 Records("episode", open_now.values()), percent=False,
                 empty="no figure: no children were open at the end of the period")


def _agency_share(cohort: Cohort, period: Period, settings: Settings) -> Result:
    everyone = _in_post(cohort, period.end)
    agency = [row for row in everyone if row.employment_type == AGENCY]
    return ratio("agency_share", period, Records("worker", agency), Records("worker", everyone), percent=True,
                 numerator=sum(_fte(r) for r in agency), denominator=sum(_fte(r) for r in everyone),
                 empty="no figure: no workers in post at the end of the period")


def _vacancies(cohort: Cohort, period: Period, settings: Settings) -> Result:
    day = period.end
    permanent = {row.id for row in _in_post(cohort, day, PERMANENT)}
    # A post with no start date has always been in the establishment.
    posts = [row for row in cohort.table("posts") if open_on(row.start_date or datetime.date.min, row.end_date, day)]
    vacant = [row for row in posts if row.holder not in permanent]
    return ratio("vacancy_rate", period, Records("post", vacant),
                 Records("post", posts), percent=True,
                 numerator=sum(_fte(r) for r in vacant), denominator=sum(_fte(r) for r in posts),
                 empty="no figure: no posts in the establishment at the end of the period")


def _turnover(cohort: Cohort, period: Period, settings: Settings) -> Result:
    leavers = [row for row in _workers(cohort) if row.employment_type == PERMANENT
               and period.within(row.leave_date)]
    staying = _in_post(cohort, period.end, PERMANENT)
    return ratio("turnover_rate", period, Records("worker", leavers), Records("worker", staying), percent=True,
                 numerator=sum(_fte(r) for r in leavers), denominator=sum(_fte(r) for r in staying),
                 empty="no figure: no permanent workers in post at the end of the period")


# The catalogue ---------------------------------------------------------------------------------------------

IN_YEAR = "dated in the period (the DfE publishes the year to 31 March)"
DATED_IN = "dated in the period"
AT_END = "at the end of the period (the DfE publishes the figure at 31 March)"
WORKFORCE_AT_END = "at the end of the period (the DfE workforce census publishes it at 30 September)"

INDICATOR_LIST = (
    Indicator("contacts", "Contacts", "Children on contacts received", "", DATED_IN + "; one for each child on "
              "each contact, as Ofsted's list 1 counts them", Unit.COUNT, None, ANNEX_A_1, _contacts,
              note="Contacts are not in the children in need census; Ofsted's Annex A list 1 lists them.",
              reads={"contacts": 0}),
    Indicator("referrals", "Referrals", "Referrals received (including those that led to no further action; one "
              "per child per day)", "", IN_YEAR, Unit.COUNT, None, C1, _referrals,
              reads={"episodes": 0}),
    Indicator("contact_conversion", "Contacts that became referrals", "Contacts whose decision was a referral to "
              "children's social care (an assessment or a strategy discussion)", "contacts with a decision", DATED_IN
              + "; contacts still awaiting a decision are left out", Unit.PERCENT, None, LOCAL, _conversion,
              note="No national definition: neither the DfE nor Ofsted publishes a conversion rate.",
              reads={"contacts": 0}),
    Indicator("re_referrals", "Re-referrals within 12 months", "Referrals received within 12 months of a previous "
              "referral for the same child (the previous referral may be before the period)", "referrals received",
              IN_YEAR + "; a referral exactly 12 months after the previous one counts as a re-referral (the DfE "
              "does not say; configurable)", Unit.PERCENT, False, C1, _re_referrals,
              reads={"episodes": RE_REFERRAL_LOOK_BACK}),
    Indicator("assessments_within_45_working_days", "Assessments completed within 45 working days",
              "Assessments authorised within 45 working days of their start (the start day is day 0)",
              "assessments completed (authorised)", "completed in the period", Unit.PERCENT, True, C2,
              _assessments_45, note="The DfE clock: assessment start to authorisation, as in table C2.",
              also=(WT_ASSESSMENT,),
              reads={"assessments": 0}),
    Indicator("assessments_within_45_working_days_of_referral", "Assessments completed within 45 working days of "
              "the referral", "Assessments authorised within 45 working days of the referral (the referral day is "
              "day 0)", "assessments completed (authorised) that belong to a referral", "completed in the period",
              Unit.PERCENT, True, WT_ASSESSMENT, _assessments_45_referral,
              note="Working Together's clock, from the referral; not comparable with the DfE's England figure.",
              reads={"assessments": 0, "episodes": None}),
    Indicator("s47_per_10000", "Section 47 enquiries per 10,000 children", "Section 47 enquiries started (at the "
              "strategy discussion that began them)", "children aged under 18 in the area", IN_YEAR,
              Unit.RATE_PER_10000, None, C4, _s47_rate,
              reads={"enquiries": 0}),
    Indicator("strategy_discussions_to_icpc", "Strategy discussions leading to an initial conference",
              "Strategy discussions whose section 47 enquiry led to an initial child protection conference (held at "
              "any time after)", "strategy discussions held", DATED_IN, Unit.PERCENT, None, LOCAL,
              _strategy_to_icpc, note="No national definition; the DfE publishes section 47s and ICPCs separately.",
              reads={"strategy_discussions": 0, "initial_conferences": None}),
    Indicator("icpc_within_15_working_days", "Initial conferences within 15 working days of the strategy discussion",
              "Initial child protection conferences held within 15 working days of the start of the section 47 "
              "enquiry (the strategy discussion's day is day 0)", "initial conferences held (those dated before the "
              "enquiry started, or with no enquiry, are left out, as in table C4)", IN_YEAR, Unit.PERCENT, True, C4,
              _icpc_15, note="Working Together sets the 15 working days; the DfE measures it in table C4 (bands "
              "0-10 and 11-15 days).", also=(WT_ICPC,),
              reads={"initial_conferences": 0, "enquiries": None}),
    Indicator("cpp_per_10000", "Children on a child protection plan per 10,000 children", "Children subject to a "
              "child protection plan (a plan ending on the last day is not counted)",
              "children aged under 18 in the area", AT_END, Unit.RATE_PER_10000, None, D1, _cpp_rate,
              reads={"plans": 0}),
    Indicator("second_or_subsequent_plans", "Second or subsequent child protection plans", "Children who became the "
              "subject of a child protection plan and had been the subject of one before, however long ago",
              "children who became the subject of a child protection plan", IN_YEAR, Unit.PERCENT, None, D3,
              _repeat_plans, note="Low is good, but zero is not expected (LG Inform metric 100).",
              reads={"plans": None}),
    Indicator("plans_ending_after_2_years", "Child protection plans ending after 2 years or more", "Child "
              "protection plans that lasted 2 years or more (a plan of exactly 2 years counts)",
              "child protection plans that ended", "ended in the period", Unit.PERCENT, False, D7, _two_years,
              reads={"plans": 0}),
    Indicator("cp_visits_in_time", "Child protection visits in time", "Children on a child protection plan whose "
              "next visit was not overdue (visited, or the plan started, within 10 working days, or the plan's own "
              "frequency)", "children on a child protection plan", "at the end of the period", Unit.PERCENT, True,
              CP_VISITS_LOCAL, _cp_visits_in_time,
              reads={"plans": 0, "cp_visits": 0}),
    Indicator("children_seen_alone", "Children seen alone", "Children on a child protection plan who were seen "
              "alone at their last visit", "children on a child protection plan who have been visited on it",
              "at the end of the period", Unit.PERCENT, True, ANNEX_A_7, _seen_alone,
              reads={"plans": 0, "cp_visits": 0}),
    Indicator("step_downs_to_early_help", "Steps down to early help", "Steps down to early help", "", DATED_IN,
              Unit.COUNT, None, ANNEX_A_2, _step_downs,
              note=f"The census records the same step as closure reason {RC9_EARLY_HELP}.",
              reads={"early_help": 0}),
    Indicator("unallocated_children", "Unallocated children", "Children with an open case and no allocated worker",
              "", "at the end of the period", Unit.COUNT, False, LOCAL, _unallocated,
              reads={"episodes": 0, "allocations": 0}),
    Indicator("open_cases", "Caseloads: open cases", "Children with an open case (referral received, not closed, not "
              "no further action)",
              "", "at the end of the period", Unit.COUNT, None, LOCAL, _caseloads,
              reads={"episodes": 0}),
    Indicator("caseload_per_worker", "Caseload per worker", "Open cases allocated to case-holding workers in post",
              "the full-time equivalent of case-holding workers in post", WORKFORCE_AT_END, Unit.AVERAGE, False,
              WORKFORCE, _caseload_per_worker,
              reads={"episodes": 0, "allocations": 0, "workers": None}),
    Indicator("worker_changes_per_child", "Changes of worker per child", "Changes of allocated worker during the "
              "period for children with an open case at its end", "children with an open case",
              "at the end of the period", Unit.AVERAGE, False, LOCAL, _worker_changes,
              reads={"episodes": 0, "allocations": None}),
    Indicator("agency_share", "Agency staff share", "Full-time equivalent agency workers in post",
              "full-time equivalent permanent and agency workers in post", WORKFORCE_AT_END, Unit.PERCENT, False,
              WORKFORCE, _agency_share,
              reads={"workers": None}),
    Indicator("vacancy_rate", "Vacancies", "Full-time equivalent posts without a permanent worker in them "
              "(covered by an agency worker or not)", "full-time equivalent posts", WORKFORCE_AT_END, Unit.PERCENT,
              False, WORKFORCE, _vacancies,
              reads={"workers": None, "posts": None}),
    Indicator("turnover_rate", "Turnover", "Full-time equivalent permanent workers who left",
              "full-time equivalent permanent workers in post at the end of the period",
              "leavers in the period (the DfE's year is to 30 September)", Unit.PERCENT, False, WORKFORCE,
              _turnover,
              reads={"workers": None}),
)

INDICATORS: Mapping[str, Indicator] = MappingProxyType({indicator.code: indicator for indicator in INDICATOR_LIST})
