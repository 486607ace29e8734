"""Where children go after each stage (issue 12, item 4): for a period, the contacts, referrals, assessments,
section 47 enquiries and closures in it, and what each led to. Plain rows in, plain numbers out: no Django, no
clock. The rows are an indicators `Cohort` (casefile/rules/indicators/core.py), so a journey and the indicators
read the same record.

Each stage counts the things that happened in the period (a contact received, a referral received, an assessment
completed, an enquiry started, an episode closed) and splits them into outcomes that add up to the stage's total:
every thing is in exactly one outcome, the furthest it went (an assessment that led to an enquiry and a child in
need plan counts as the enquiry). What is still waiting at the end of the period is an outcome of its own
("awaiting a decision", "no outcome yet"), so a journey for a recent period never hides work in progress. An
outcome is what the record shows by `as_at` (the end of the period unless given): a journey for last year,
drawn today, follows last year's referrals to this year's conferences.

How an outcome is linked to what led to it: an assessment, a section 47 enquiry or a plan belongs to the episode
of the child's that was open on its date (referral on or before it, not closed before it); a conference to its
enquiry; a re-referral is the child's next referral within 12 months of the closure.
"""

from __future__ import annotations

import dataclasses
import datetime
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable

from casefile.rules.clocks import add_calendar_months
from casefile.rules.front_door import Outcome
from casefile.rules.indicators.core import Cohort, Period, restrict

RE_REFERRAL_MONTHS = 12


@dataclasses.dataclass(frozen=True)
class Branch:
    """One outcome of a stage: how many things went that way, and which children they were about."""

    code: str
    label: str
    ids: tuple
    children: frozenset

    @property
    def count(self) -> int:
        return len(self.ids)


@dataclasses.dataclass(frozen=True)
class Stage:
    code: str
    label: str
    kind: str  # what is counted: "contact", "episode", "assessment", "enquiry"
    branches: tuple[Branch, ...]

    @property
    def total(self) -> int:
        return sum(branch.count for branch in self.branches)

    @property
    def children(self) -> frozenset:
        return frozenset().union(*(branch.children for branch in self.branches))

    def branch(self, code: str) -> Branch:
        return next(branch for branch in self.branches if branch.code == code)


@dataclasses.dataclass(frozen=True)
class Journey:
    period: Period
    as_at: datetime.date
    stages: tuple[Stage, ...]

    def stage(self, code: str) -> Stage:
        return next(stage for stage in self.stages if stage.code == code)


def journey(cohort: Cohort, period: Period, as_at: datetime.date | None = None) -> Journey:
    """Every stage of the journey for the things that happened in `period`, followed to `as_at`."""
    as_at = as_at or period.end
    if as_at < period.end:
        raise ValueError(f"as_at: the outcomes are read on {as_at.isoformat()}, before the period ends "
                         f"({period.end.isoformat()})")
    episodes = _Episodes(cohort, as_at)
    return Journey(period, as_at, (
        _contacts(cohort, period),
        _referrals(cohort, period, episodes),
        _assessments(cohort, period, episodes),
        _enquiries(cohort, period, as_at),
        _closures(cohort, period, as_at),
    ))


def stage(cohort: Cohort, period: Period, code: str, as_at: datetime.date | None = None) -> Stage:
    """One stage of the journey (`code`: a stage's code, as STAGE_READS keys them), as `journey` finds it."""
    as_at = as_at or period.end
    if code == "contacts":
        return _contacts(cohort, period)
    if code == "enquiries":
        return _enquiries(cohort, period, as_at)
    if code == "closures":
        return _closures(cohort, period, as_at)
    if code not in STAGE_READS:
        raise ValueError(f"stage: no stage {code!r}")
    # What followed a referral or an assessment is looked up child by child: only the children counted in the stage
    # are kept, as working out every other child's episodes took most of a page about one stage on a large record.
    if code == "referrals":
        counted = {row.child for row in cohort.table("episodes") if period.within(row.referral_date)}
    else:
        counted = {row.child for row in cohort.table("assessments")
                   if period.within(row.authorised_on) and row.start_date is not None}
    cohort = restrict(cohort, counted)
    return (_referrals if code == "referrals" else _assessments)(cohort, period, _Episodes(cohort, as_at))


# What one stage reads, followed to the end of its period: for a page about one stage's children, which reads only
# these tables and, in each, only the rows on or after the period's start (months before it, as Indicator.reads).
# Everything that decides a referral's, an enquiry's or a closure's outcome is dated on or after the thing itself,
# so in the period: an enquiry or assessment in the referral's episode, the enquiry's conference, the next referral
# after a closure. An episode closed before the period is not read; the episode an enquiry belongs to (the latest
# referred by its day, if still open) is then the same for every episode referred in the period. An assessment
# completed in the period may have begun long before it, and what followed it is looked for from the day it
# began: those tables are read from the day the earliest of them began (`followed_from`).
STAGE_READS = {
    "contacts": {"contacts": 0},
    "referrals": {"episodes": 0, "assessments": 0, "enquiries": 0},
    "assessments": {"assessments": 0},
    "enquiries": {"enquiries": 0, "initial_conferences": 0},
    "closures": {"episodes": 0},
}
FOLLOWED_FROM_EACH_ASSESSMENT = ("episodes", "enquiries", "plans")


def followed_from(cohort: Cohort, period: Period) -> datetime.date | None:
    """The day the earliest assessment completed in the period began (None: no such assessment): what followed
    each is read from then on."""
    return min((row.start_date for row in cohort.table("assessments")
                if period.within(row.authorised_on) and row.start_date is not None), default=None)


# Linking what followed to the episode it happened in ------------------------------------------------------


class _Episodes:
    """Each child's episodes by referral date, to find the one open on a day; and, per episode, what followed in
    it by `as_at` (assessments, enquiries, plans)."""

    def __init__(self, cohort: Cohort, as_at: datetime.date):
        self.by_child: dict = defaultdict(list)
        for row in sorted(cohort.table("episodes"), key=lambda row: (row.referral_date, str(row.id))):
            if row.referral_date is not None and row.referral_date <= as_at:
                self.by_child[row.child].append(row)
        self.referral_days = {child: [row.referral_date for row in rows] for child, rows in self.by_child.items()}
        self.assessed = {row.episode for row in cohort.table("assessments")
                         if row.start_date is not None and row.start_date <= as_at}
        self.enquiries: dict = defaultdict(list)
        for row in cohort.table("enquiries"):
            if row.start_date is not None and row.start_date <= as_at:
                self.enquiries[self.open_on(row.child, row.start_date)].append(row)
        self.cin_plans: dict = defaultdict(list)
        for row in cohort.table("plans"):
            if row.kind == "cin" and row.start_date is not None and row.start_date <= as_at:
                self.cin_plans[self.open_on(row.child, row.start_date)].append(row)
        self.enquiries.pop(None, None)
        self.cin_plans.pop(None, None)

    def open_on(self, child, day: datetime.date):
        """The id of the child's episode open on `day` (the latest referred on or before it, not closed before
        it), or None."""
        days = self.referral_days.get(child)
        if not days:
            return None
        index = bisect_right(days, day) - 1
        if index < 0:
            return None
        episode = self.by_child[child][index]
        return episode.id if episode.closure_date is None or episode.closure_date >= day else None


def _branches(kind_labels: Iterable[tuple[str, str]], sorted_into: dict[str, list]) -> tuple[Branch, ...]:
    return tuple(Branch(code, label, tuple(str(row.id) for row in sorted_into.get(code, ())),
                        frozenset(row.child for row in sorted_into.get(code, ())))
                 for code, label in kind_labels)


# The stages ------------------------------------------------------------------------------------------------

CONTACT_OUTCOMES = (("referral", "Referred to children’s social care"), ("early_help", "Early help"),
                    ("no_further_action", "No further action, or advice and information"),
                    ("awaiting", "Awaiting a decision"))


def _contacts(cohort: Cohort, period: Period) -> Stage:
    sorted_into: dict[str, list] = defaultdict(list)
    for row in cohort.table("contacts"):
        if not period.within(row.date):
            continue
        outcome = Outcome(row.outcome) if row.outcome else None
        if outcome is None:
            sorted_into["awaiting"].append(row)
        elif outcome.is_referral:
            sorted_into["referral"].append(row)
        elif outcome is Outcome.EARLY_HELP:
            sorted_into["early_help"].append(row)
        else:
            sorted_into["no_further_action"].append(row)
    return Stage("contacts", "Contacts received", "contact", _branches(CONTACT_OUTCOMES, sorted_into))


REFERRAL_OUTCOMES = (("section_47", "Section 47 enquiry"), ("assessment", "Assessment, no section 47 enquiry"),
                     ("no_further_action", "No further action at referral"),
                     ("no_outcome_yet", "No assessment or enquiry yet"))


def _referrals(cohort: Cohort, period: Period, episodes: _Episodes) -> Stage:
    sorted_into: dict[str, list] = defaultdict(list)
    for row in cohort.table("episodes"):
        if not period.within(row.referral_date):
            continue
        if episodes.enquiries.get(row.id):
            sorted_into["section_47"].append(row)
        elif row.id in episodes.assessed:
            sorted_into["assessment"].append(row)
        elif row.referral_nfa:
            sorted_into["no_further_action"].append(row)
        else:
            sorted_into["no_outcome_yet"].append(row)
    return Stage("referrals", "Referrals received", "episode", _branches(REFERRAL_OUTCOMES, sorted_into))


ASSESSMENT_OUTCOMES = (("section_47", "Section 47 enquiry"), ("child_in_need", "Child in need plan"),
                       ("no_plan", "No plan or enquiry (yet)"))


def _assessments(cohort: Cohort, period: Period, episodes: _Episodes) -> Stage:
    """Assessments completed in the period, by what followed in their episode from the day the assessment began.
    "No plan or enquiry (yet)" holds both the assessments that ended the work and those whose plan is still to
    come: the record does not say which until the episode closes."""
    sorted_into: dict[str, list] = defaultdict(list)
    for row in cohort.table("assessments"):
        if not period.within(row.authorised_on) or row.start_date is None:
            continue
        if any(enquiry.start_date >= row.start_date for enquiry in episodes.enquiries.get(row.episode, ())):
            sorted_into["section_47"].append(row)
        elif any(plan.start_date >= row.start_date for plan in episodes.cin_plans.get(row.episode, ())):
            sorted_into["child_in_need"].append(row)
        else:
            sorted_into["no_plan"].append(row)
    return Stage("assessments", "Assessments completed", "assessment", _branches(ASSESSMENT_OUTCOMES, sorted_into))


ENQUIRY_OUTCOMES = (("child_protection_plan", "Initial conference: child protection plan"),
                    ("no_plan", "Initial conference: no plan"), ("not_required", "Conference not required"),
                    ("awaiting", "Awaiting a conference or a decision"))


def _enquiries(cohort: Cohort, period: Period, as_at: datetime.date) -> Stage:
    conferences = {}
    for row in cohort.table("initial_conferences"):
        if row.enquiry is not None and row.date is not None and row.date <= as_at:
            earlier = conferences.get(row.enquiry)
            if earlier is None or row.date < earlier.date:
                conferences[row.enquiry] = row
    sorted_into: dict[str, list] = defaultdict(list)
    for row in cohort.table("enquiries"):
        if not period.within(row.start_date):
            continue
        conference = conferences.get(row.id)
        if conference is not None and conference.decision == "plan":
            sorted_into["child_protection_plan"].append(row)
        elif conference is not None and conference.decision:
            sorted_into["no_plan"].append(row)
        elif conference is None and row.icpc_not_required:
            sorted_into["not_required"].append(row)
        else:
            sorted_into["awaiting"].append(row)
    return Stage("enquiries", "Section 47 enquiries started", "enquiry", _branches(ENQUIRY_OUTCOMES, sorted_into))


CLOSURE_OUTCOMES = (("re_referred", f"Referred again within {RE_REFERRAL_MONTHS} months"),
                    ("not_re_referred", f"Not referred again within {RE_REFERRAL_MONTHS} months"),
                    ("too_soon", f"Not referred again yet; {RE_REFERRAL_MONTHS} months not passed"))


def _closures(cohort: Cohort, period: Period, as_at: datetime.date) -> Stage:
    """Episodes closed in the period (not referrals that ended in no further action), by whether the child was
    referred again within 12 months of the closure, as the record shows on `as_at`."""
    referrals: dict = defaultdict(list)
    for row in cohort.table("episodes"):
        if row.referral_date is not None and row.referral_date <= as_at:
            referrals[row.child].append(row.referral_date)
    for days in referrals.values():
        days.sort()
    sorted_into: dict[str, list] = defaultdict(list)
    for row in cohort.table("episodes"):
        if row.referral_nfa or not period.within(row.closure_date):
            continue
        limit = add_calendar_months(row.closure_date, RE_REFERRAL_MONTHS)
        days = referrals.get(row.child, [])
        later = days[bisect_right(days, row.closure_date):]
        if later and later[0] <= limit:
            sorted_into["re_referred"].append(row)
        elif as_at >= limit:
            sorted_into["not_re_referred"].append(row)
        else:
            sorted_into["too_soon"].append(row)
    return Stage("closures", "Cases closed", "episode", _branches(CLOSURE_OUTCOMES, sorted_into))
