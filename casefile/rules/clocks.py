"""Statutory clocks: each timescale as a declarative rule, and its due date and status from recorded events.

Due dates are never typed in: they follow from the date of a recorded event (the anchor), the rule's limit, the
working-day calendar and the authority's settings. Each rule carries its legal force and source, because a
missed regulation is unlawful, a missed Working Together timescale is non-compliance with statutory guidance,
and a missed local standard is only below local standard (statutory-rules.md §11.1); the screen must say which.

Sources are as given in ../shared/reference/statutory-rules.md. Working Together 2023 paragraph numbers are not
yet confirmed there, so none are quoted: each citation names the chapter or the procedure that restates it.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from casefile.rules.working_days import (
    DFE_STATISTICS,
    ENGLAND_AND_WALES,
    Convention,
    WorkingCalendar,
    add_working_days,
    working_days_between,
)


class Force(StrEnum):
    """Legal force of a rule (statutory-rules.md §0 and §11.1), with the words a breach is described in."""

    REGULATION = "regulation"
    STATUTORY_GUIDANCE = "statutory_guidance"
    DFE_MEASURE = "dfe_measure"
    LOCAL = "local"

    @property
    def label(self) -> str:
        return _FORCE_LABELS[self]

    @property
    def in_sentence(self) -> str:
        """The label inside a sentence: "statutory guidance", but "DfE measure" keeps its capitals."""
        return self.label if self is Force.DFE_MEASURE else self.label.lower()

    @property
    def breach_wording(self) -> str:
        return _BREACH_WORDING[self]


_FORCE_LABELS = {
    Force.REGULATION: "Regulation",
    Force.STATUTORY_GUIDANCE: "Statutory guidance",
    Force.DFE_MEASURE: "DfE measure",
    Force.LOCAL: "Local standard",
}
# Only a breach of regulation is called unlawful (statutory-rules.md §11.1).
_BREACH_WORDING = {
    Force.REGULATION: "unlawful: breach of regulation",
    Force.STATUTORY_GUIDANCE: "not compliant with statutory guidance",
    Force.DFE_MEASURE: "outside the DfE timeliness measure",
    Force.LOCAL: "below local standard",
}


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_MONTHS = "calendar_months"
    # Weeks in a plan ("6-weekly") are calendar days: 1 week = 7 days (statutory-rules.md §11.3).
    CALENDAR_DAYS = "calendar_days"


class Anchor(StrEnum):
    """The recorded event each clock runs from; the value names the CIN census field where there is one."""

    REFERRAL_RECEIVED = "CINreferralDate"
    ASSESSMENT_STARTED = "AssessmentActualStartDate"
    S47_STRATEGY_DISCUSSION = "S47ActualStartDate"  # the strategy discussion at which s47 enquiries began
    INITIAL_CONFERENCE = "DateOfInitialCPC"
    PREVIOUS_REVIEW_CONFERENCE = "CPPreviewDate"
    PREVIOUS_CP_VISIT = "previous_cp_visit"  # or the plan's start, before the first visit
    PREVIOUS_CIN_VISIT = "previous_cin_visit"  # or the plan's start, before the first visit


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: Unit

    def __post_init__(self):
        if not isinstance(self.amount, int) or self.amount < 1:
            raise ValueError(f"amount: expected a whole number of 1 or more, got {self.amount!r}")
        object.__setattr__(self, "unit", Unit(self.unit))

    @classmethod
    def weeks(cls, weeks: int) -> Limit:
        return cls(weeks * 7, Unit.CALENDAR_DAYS)

    def describe(self) -> str:
        names = {Unit.WORKING_DAYS: "working day", Unit.CALENDAR_MONTHS: "month", Unit.CALENDAR_DAYS: "day"}
        return f"{self.amount} {names[self.unit]}{'' if self.amount == 1 else 's'}"


@dataclass(frozen=True)
class Rule:
    """One timescale: what starts it, how long it allows, how binding it is and where that comes from.

    `limit` is None when only the child's plan can set it; `plan_may_set_limit` says a plan's own frequency
    replaces the default (visits), which statutory and DfE limits never allow.
    """

    code: str
    summary: str
    anchor: Anchor
    limit: Limit | None
    force: Force
    status: str  # V, S, U or LOCAL, as in statutory-rules.md
    source: str
    source_url: str
    plan_may_set_limit: bool = False


WT2023 = "Working Together to Safeguard Children 2023"
UNCONFIRMED_PARAGRAPH = "Paragraph number not yet confirmed."

REFERRAL_DECISION = Rule(
    code="referral_decision",
    summary="Decide the type of response to a referral and acknowledge it to the referrer within 1 working day "
            "of receiving it.",
    anchor=Anchor.REFERRAL_RECEIVED,
    limit=Limit(1, Unit.WORKING_DAYS),
    force=Force.STATUTORY_GUIDANCE,
    status="S",
    source=f"{WT2023}, chapter 3 (chapter 1 in the 2018 edition), as quoted by Surrey Children's Services "
           f"procedures, Contacts and Referrals (refreshed April 2024). {UNCONFIRMED_PARAGRAPH}",
    source_url="https://www.proceduresonline.com/surrey/cs/p_contacts_referral.html",
)

ASSESSMENT = Rule(
    code="assessment",
    summary="Complete the assessment within 45 working days of the referral, sooner where the child's needs "
            "require it; record the reasons if it takes longer.",
    anchor=Anchor.REFERRAL_RECEIVED,
    limit=Limit(45, Unit.WORKING_DAYS),
    force=Force.STATUTORY_GUIDANCE,
    status="S",
    source=f"{WT2023}: at most 45 working days from the point of referral, as quoted by the tri.x national "
           f"procedures glossary (assessment). {UNCONFIRMED_PARAGRAPH}",
    source_url="https://proceduresonline.com/toolkit/glossary/a/cs-assessment",
)

ASSESSMENT_CENSUS = Rule(
    code="assessment_census",
    summary="Authorise the assessment within 45 working days of its start: the DfE children in need census "
            "clock.",
    anchor=Anchor.ASSESSMENT_STARTED,
    limit=Limit(45, Unit.WORKING_DAYS),
    force=Force.DFE_MEASURE,
    status="V",
    source="DfE children in need census validation rule 8670Q (AssessmentActualStartDate without an "
           "AssessmentAuthorisationDate), as implemented in the community validator "
           "data-to-insight/csc-validator-be-cin, rule_8670Q.py.",
    source_url="https://github.com/data-to-insight/csc-validator-be-cin",
)

INITIAL_CONFERENCE = Rule(
    code="initial_conference",
    summary="Hold the initial child protection conference within 15 working days of the strategy discussion "
            "at which section 47 enquiries were started.",
    anchor=Anchor.S47_STRATEGY_DISCUSSION,
    limit=Limit(15, Unit.WORKING_DAYS),
    force=Force.STATUTORY_GUIDANCE,
    status="S",
    source=f"{WT2023}, as restated by the Bexley, Warrington and Brighton & Hove child protection procedures. "
           f"{UNCONFIRMED_PARAGRAPH}",
    source_url="https://bexley.proceduresonline.com/p_sec_47_enq.html",
)

FIRST_REVIEW_CONFERENCE = Rule(
    code="first_review_conference",
    summary="Hold the first review child protection conference within 3 months of the initial conference.",
    anchor=Anchor.INITIAL_CONFERENCE,
    limit=Limit(3, Unit.CALENDAR_MONTHS),
    force=Force.STATUTORY_GUIDANCE,
    status="S",
    source=f"{WT2023}, as restated by the tri.x national keywords (review child protection conference) and "
           f"Sussex child protection procedures 5.5. {UNCONFIRMED_PARAGRAPH}",
    source_url="http://trixresources.proceduresonline.com/nat_key/keywords/rev_chi_prot_conf.html",
)

LATER_REVIEW_CONFERENCE = Rule(
    code="later_review_conference",
    summary="Hold each later review conference not more than 6 months after the previous one while the plan "
            "continues.",
    anchor=Anchor.PREVIOUS_REVIEW_CONFERENCE,
    limit=Limit(6, Unit.CALENDAR_MONTHS),
    force=Force.STATUTORY_GUIDANCE,
    status="S",
    source=f"{WT2023}, as restated by the tri.x national keywords (review child protection conference) and "
           f"Sussex child protection procedures 5.5. {UNCONFIRMED_PARAGRAPH}",
    source_url="http://trixresources.proceduresonline.com/nat_key/keywords/rev_chi_prot_conf.html",
)

FIRST_CORE_GROUP = Rule(
    code="first_core_group",
    summary="Hold the first core group meeting within 10 working days of the initial conference.",
    anchor=Anchor.INITIAL_CONFERENCE,
    limit=Limit(10, Unit.WORKING_DAYS),
    force=Force.LOCAL,
    status="S",
    source="Local procedures (Medway, Sefton 6.1.4, Newcastle, Liverpool). Working Together 2018 contained this "
           "timescale; whether the 2023 edition states it is not confirmed.",
    source_url="https://www.medwayscp.org.uk/info/4/professionals/62/core-group-guidance",
)

CP_VISIT = Rule(
    code="cp_visit",
    summary="Visit a child on a child protection plan at least every 10 working days.",
    anchor=Anchor.PREVIOUS_CP_VISIT,
    limit=Limit(10, Unit.WORKING_DAYS),
    force=Force.LOCAL,
    status="LOCAL",
    source="Local standard: no regulation sets a frequency. Every 10 working days is the most common local "
           "minimum (Camden, Central Bedfordshire and Liverpool procedures).",
    source_url="https://ascpractice.camden.gov.uk/children-practice-hub/child-protection/"
               "visits-and-engagement-with-families",
    plan_may_set_limit=True,
)

CIN_VISIT = Rule(
    code="cin_visit",
    summary="Visit a child on a child in need plan as often as the plan sets.",
    anchor=Anchor.PREVIOUS_CIN_VISIT,
    limit=None,
    force=Force.LOCAL,
    status="LOCAL",
    source="Local standard: no regulation sets a frequency; the child in need plan does (local examples: every "
           "20 working days; 6-weekly in Walsall).",
    source_url="https://walsallcs.trixonline.co.uk/chapter/social-work-visits-and-reviews-in-respect-of-children-"
               "subject-to-a-child-in-need-plan",
    plan_may_set_limit=True,
)

RULES: Mapping[str, Rule] = MappingProxyType({rule.code: rule for rule in (
    REFERRAL_DECISION, ASSESSMENT, ASSESSMENT_CENSUS, INITIAL_CONFERENCE, FIRST_REVIEW_CONFERENCE,
    LATER_REVIEW_CONFERENCE, FIRST_CORE_GROUP, CP_VISIT, CIN_VISIT,
)})


def rules_started_by(anchor: Anchor) -> tuple[Rule, ...]:
    """The clocks a recorded event starts, so the service that records it knows what to show as due."""
    return tuple(rule for rule in RULES.values() if rule.anchor is anchor)


@dataclass(frozen=True)
class ClockSettings:
    """An authority's choices. Only local standards can be changed; national limits cannot.

    - convention: day 0 (DfE statistics, the default) or day 1 (DfE validator); see working_days.py.
    - conventions: the same choice per rule code, e.g. the validator's counting for "assessment_census".
    - roll_non_working_anchor: an anchor on a weekend or bank holiday (a referral received on a Saturday)
      counts from the next working day as day 0 instead of from itself. statutory-rules.md §7 leaves this
      open (U), so it is off by default: the Saturday is day 0 and Monday is day 1. It makes no difference
      with day-1 counting, where the first working day on or after the anchor is day 1 either way.
    - local_limits: rule code -> Limit, for rules whose force is local.
    - due_soon_working_days: an open clock this close to its due date is "due soon".
    """

    convention: Convention = DFE_STATISTICS
    conventions: Mapping[str, Convention] = field(default_factory=dict)
    roll_non_working_anchor: bool = False
    local_limits: Mapping[str, Limit] = field(default_factory=dict)
    due_soon_working_days: int = 3

    def __post_init__(self):
        object.__setattr__(self, "conventions", MappingProxyType(dict(self.conventions)))
        object.__setattr__(self, "local_limits", MappingProxyType(dict(self.local_limits)))
        _check_rule_codes("conventions", self.conventions)
        _check_local_limits(self.local_limits)
        if self.due_soon_working_days < 0:
            raise ValueError(f"due_soon_working_days: expected 0 or more, got {self.due_soon_working_days}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ClockSettings:
        """Build settings from plain data (a settings dict, or a database row later)."""
        known = {setting.name for setting in fields(cls)}
        if unknown := sorted(set(data) - known):
            raise ValueError(f"{unknown[0]}: not a clock setting; expected one of {', '.join(sorted(known))}")
        values = dict(data)
        if "convention" in values:
            values["convention"] = _parse_convention("convention", values["convention"])
        values["conventions"] = {code: _parse_convention(f"conventions.{code}", value)
                                 for code, value in values.get("conventions", {}).items()}
        values["local_limits"] = {code: _parse_limit(f"local_limits.{code}", value)
                                  for code, value in values.get("local_limits", {}).items()}
        return cls(**values)

    def convention_for(self, rule: Rule) -> Convention:
        return self.conventions.get(rule.code, self.convention)


def _check_rule_codes(setting: str, by_code: Mapping[str, object]) -> None:
    for code in by_code:
        if code not in RULES:
            raise ValueError(f"{setting}: {code!r} is not a rule; expected one of {', '.join(RULES)}")


def _check_local_limits(limits: Mapping[str, Limit]) -> None:
    _check_rule_codes("local_limits", limits)
    for code in limits:
        if RULES[code].force is not Force.LOCAL:
            raise ValueError(f"local_limits: {code!r} is {RULES[code].force.in_sentence}, not a local "
                             f"standard, so an authority cannot change its limit")


def _parse_convention(setting: str, value: object) -> Convention:
    try:
        return Convention(value)
    except ValueError:
        raise ValueError(f"{setting}: expected one of {', '.join(Convention)}, got {value!r}") from None


def _parse_limit(setting: str, value: object) -> Limit:
    if isinstance(value, Limit):
        return value
    try:
        return Limit(value["amount"], Unit(value["unit"]))
    except (TypeError, KeyError, ValueError):
        raise ValueError(f"{setting}: expected {{'amount': a whole number of 1 or more, 'unit': one of "
                         f"{', '.join(Unit)}}}, got {value!r}") from None


DEFAULT_SETTINGS = ClockSettings()


class MissingLimit(ValueError):
    """The rule's limit is set by the child's plan and none was given."""


def limit_for(rule: Rule, settings: ClockSettings = DEFAULT_SETTINGS, plan_limit: Limit | None = None) -> Limit:
    """The limit that applies: the plan's own (visits only), else the authority's local one, else the rule's."""
    if plan_limit is not None and not rule.plan_may_set_limit:
        raise ValueError(f"plan_limit: {rule.code!r} is set by {rule.force.in_sentence}, not by the plan")
    limit = plan_limit or settings.local_limits.get(rule.code) or rule.limit
    if limit is None:
        raise MissingLimit(f"plan_limit: {rule.code!r} needs the visit frequency the plan sets")
    return limit


def add_calendar_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day when it is shorter.

    "Within 3 months" and "not more than 6 months" are read as calendar months, with no working-day
    adjustment (statutory-rules.md §11.3; the end-of-month clamp is marked U there). For 31 January + 1 month
    the guidance implies a date in February, and "3 months" cannot be stretched into the following month,
    so we clamp to the last day of February (28th, or 29th in a leap year), as dateutil's relativedelta does.

    >>> add_calendar_months(date(2024, 1, 31), 1), add_calendar_months(date(2025, 1, 31), 1)
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28))
    """
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    if day.day <= 28:  # every month has it: no need to look up the month's length (signals ask this very often)
        return date(year, month + 1, day.day)
    last_day = gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def due_date(rule: Rule, anchor_date: date, calendar: WorkingCalendar = ENGLAND_AND_WALES,
             settings: ClockSettings = DEFAULT_SETTINGS, *, plan_limit: Limit | None = None) -> date:
    """The last day on which the rule is met, computed from the recorded anchor event.

    A month-based due date stays a calendar date even on a weekend or bank holiday: the sources give the
    limit in calendar months and say nothing about moving it to a working day (statutory-rules.md §5 and
    §11.3), and moving it later would allow more than the guidance does: a due date on a Saturday means
    "by the Friday" in practice.
    """
    limit = limit_for(rule, settings, plan_limit)
    if limit.unit is Unit.CALENDAR_MONTHS:
        return add_calendar_months(anchor_date, limit.amount)
    if limit.unit is Unit.CALENDAR_DAYS:
        return anchor_date + timedelta(days=limit.amount)
    start = calendar.first_working_day_from(anchor_date) if settings.roll_non_working_anchor else anchor_date
    return add_working_days(start, limit.amount, calendar, settings.convention_for(rule))


class State(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"


@dataclass(frozen=True)
class ClockStatus:
    """Where a clock stands. Lateness is counted from the due date, the same way whatever the convention:
    the first working day after the due date is 1 working day late."""

    rule: Rule
    anchor_date: date
    due: date
    completed_on: date | None
    state: State
    working_days_left: int  # open and not overdue: working days after today up to the due date
    working_days_late: int  # overdue or completed late: working days after the due date
    calendar_days_late: int  # shows lateness when a month-based due date fell on a weekend

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    @property
    def is_late(self) -> bool:
        return self.state in (State.OVERDUE, State.COMPLETED_LATE)


@dataclass(frozen=True)
class Clock:
    """A rule running from a recorded anchor event, optionally completed by another recorded event."""

    rule: Rule
    anchor_date: date
    completed_on: date | None = None
    plan_limit: Limit | None = None

    def __post_init__(self):
        if self.completed_on is not None and self.completed_on < self.anchor_date:
            raise ValueError(f"completed_on: expected a date on or after {self.anchor_date.isoformat()}, "
                             f"got {self.completed_on.isoformat()}")

    def due_date(self, calendar: WorkingCalendar = ENGLAND_AND_WALES,
                 settings: ClockSettings = DEFAULT_SETTINGS) -> date:
        return due_date(self.rule, self.anchor_date, calendar, settings, plan_limit=self.plan_limit)

    def status(self, today: date, calendar: WorkingCalendar = ENGLAND_AND_WALES,
               settings: ClockSettings = DEFAULT_SETTINGS) -> ClockStatus:
        """On time, due soon, overdue, or completed on time or late, and by how many working days."""
        due = self.due_date(calendar, settings)
        end = self.completed_on or today
        late = end > due
        left = 0 if late or self.completed_on else working_days_between(today, due, calendar)
        return ClockStatus(
            rule=self.rule, anchor_date=self.anchor_date, due=due, completed_on=self.completed_on,
            state=_state(self.completed_on is not None, late, left, settings),
            working_days_left=left,
            working_days_late=working_days_between(due, end, calendar) if late else 0,
            calendar_days_late=(end - due).days if late else 0,
        )


def _state(completed: bool, late: bool, working_days_left: int, settings: ClockSettings) -> State:
    if completed:
        return State.COMPLETED_LATE if late else State.COMPLETED_ON_TIME
    if late:
        return State.OVERDUE
    return State.DUE_SOON if working_days_left <= settings.due_soon_working_days else State.ON_TIME
