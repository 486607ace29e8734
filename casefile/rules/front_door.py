"""Front-door rules: working hours, RAG ratings, threshold levels and the history counters. Plain Python, no Django.

The front door (often a MASH) works to timescales in *working hours* as well as working days: a red item is
worked within 4 working hours, amber within 24 and green within 72 (Surrey Police MASH; statutory-rules.md §1,
LOCAL). Working hours are the office hours of working days, so a notification received at 16:30 on a Friday
before a bank holiday Monday has waited 30 minutes by Tuesday 09:00. Every limit here is the authority's
choice (`FrontDoorSettings.from_mapping`); the decision clock itself (1 working day) is `clocks.REFERRAL_DECISION`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from casefile.rules.clocks import add_calendar_months
from casefile.rules.working_days import ENGLAND_AND_WALES, WorkingCalendar, working_days_in

LONDON = ZoneInfo("Europe/London")


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return self.value.title()


class Outcome(StrEnum):
    """What a threshold decision leads to (the SSD referral outcomes, without "other")."""

    NO_FURTHER_ACTION = "nfa"
    ADVICE = "advice"
    EARLY_HELP = "early_help"
    ASSESSMENT = "assessment"
    STRATEGY = "strategy"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]

    @property
    def is_referral(self) -> bool:
        """The outcomes that make the contact a referral to children's social care (a CIN census episode)."""
        return self in (Outcome.ASSESSMENT, Outcome.STRATEGY)


OUTCOME_LABELS = {
    Outcome.NO_FURTHER_ACTION: "No further action",
    Outcome.ADVICE: "Advice, information or signposting",
    Outcome.EARLY_HELP: "Early help",
    Outcome.ASSESSMENT: "Referral for a social work assessment",
    Outcome.STRATEGY: "Strategy discussion (possible significant harm)",
}


@dataclass(frozen=True)
class ThresholdLevel:
    """One level on the authority's continuum of need."""

    code: str
    label: str
    description: str = ""


# A common four-level continuum; each authority names its own (settings: CASEFILE_FRONT_DOOR["threshold_levels"]).
DEFAULT_THRESHOLD_LEVELS = (
    ThresholdLevel("1", "Level 1: universal", "Needs met by universal services such as schools and GPs"),
    ThresholdLevel("2", "Level 2: early help", "Additional needs met by early help with the family's consent"),
    ThresholdLevel("3", "Level 3: child in need", "Complex needs: a child in need under section 17"),
    ThresholdLevel("4", "Level 4: child protection", "Suffering or likely to suffer significant harm (section 47)"),
)


@dataclass(frozen=True)
class OfficeHours:
    starts: time = time(9, 0)
    ends: time = time(17, 0)

    def __post_init__(self):
        if self.ends <= self.starts:
            raise ValueError(f"office_hours: the day must end after it starts, got {self.starts}–{self.ends}")

    @property
    def minutes_per_day(self) -> int:
        return (self.ends.hour * 60 + self.ends.minute) - (self.starts.hour * 60 + self.starts.minute)


@dataclass(frozen=True)
class FrontDoorSettings:
    """An authority's front-door standards. `open_limit_working_days`: an item still at the front door after
    this many working days is highlighted and listed for managers. `referrer_feedback_working_days`: the
    referrer is told the outcome within this many working days of the decision being authorised."""

    office_hours: OfficeHours = OfficeHours()
    open_limit_working_days: int = 5
    rag_working_hours: Mapping[Rag, int] = field(default_factory=lambda: {Rag.RED: 4, Rag.AMBER: 24, Rag.GREEN: 72})
    referrer_feedback_working_days: int = 3
    threshold_levels: tuple[ThresholdLevel, ...] = DEFAULT_THRESHOLD_LEVELS
    repeat_incident_months: int = 12

    def __post_init__(self):
        for name in ("open_limit_working_days", "referrer_feedback_working_days", "repeat_incident_months"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 1:
                raise ValueError(f"{name}: expected a whole number of 1 or more, got {getattr(self, name)!r}")
        if set(self.rag_working_hours) != set(Rag):
            raise ValueError("rag_working_hours: give hours for red, amber and green")
        if not self.threshold_levels:
            raise ValueError("threshold_levels: give at least one level")
        codes = [level.code for level in self.threshold_levels]
        if len(set(codes)) != len(codes):
            raise ValueError("threshold_levels: each level needs its own code")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> FrontDoorSettings:
        known = {setting.name for setting in fields(cls)}
        if unknown := sorted(set(data) - known):
            raise ValueError(f"{unknown[0]}: not a front-door setting; expected one of {', '.join(sorted(known))}")
        values = dict(data)
        if "office_hours" in values:
            starts, ends = values["office_hours"]
            values["office_hours"] = OfficeHours(time.fromisoformat(starts), time.fromisoformat(ends))
        if "rag_working_hours" in values:
            values["rag_working_hours"] = {Rag(key): int(hours) for key, hours in values["rag_working_hours"].items()}
        if "threshold_levels" in values:
            values["threshold_levels"] = tuple(ThresholdLevel(**level) for level in values["threshold_levels"])
        return cls(**values)

    def level(self, code: str) -> ThresholdLevel | None:
        return next((level for level in self.threshold_levels if level.code == code), None)


DEFAULT_SETTINGS = FrontDoorSettings()


# Working hours ------------------------------------------------------------------------------------------


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("expected an aware datetime")
    return moment.astimezone(LONDON)


def _minutes_on(day: date, start: time, end: time, calendar: WorkingCalendar, hours: OfficeHours) -> int:
    """Office minutes between two times of one day (0 on a day the office is closed)."""
    if not calendar.is_working_day(day):
        return 0
    lower, upper = max(start, hours.starts), min(end, hours.ends)
    if upper <= lower:
        return 0
    return (upper.hour * 60 + upper.minute) - (lower.hour * 60 + lower.minute)


def working_minutes_between(start: datetime, end: datetime, calendar: WorkingCalendar = ENGLAND_AND_WALES,
                            hours: OfficeHours = DEFAULT_SETTINGS.office_hours) -> int:
    """Office minutes from `start` to `end` on working days, in UK time; 0 when `end` is not after `start`."""
    start, end = _local(start), _local(end)
    if end <= start:
        return 0
    first_day, last_day = start.date(), end.date()
    if first_day == last_day:
        return _minutes_on(first_day, start.time(), end.time(), calendar, hours)
    first = _minutes_on(first_day, start.time(), time.max, calendar, hours)
    last = _minutes_on(last_day, time.min, end.time(), calendar, hours)
    whole_days = working_days_in(first_day + timedelta(days=1), last_day - timedelta(days=1), calendar)
    return first + whole_days * hours.minutes_per_day + last


@dataclass(frozen=True)
class Waiting:
    """How long an item has been at the front door, and whether that is too long."""

    working_minutes: int
    working_days: int
    rag: Rag | None
    past_rag_timescale: bool
    past_open_limit: bool

    @property
    def working_hours(self) -> int:
        return self.working_minutes // 60

    def describe(self) -> str:
        hours, minutes = divmod(self.working_minutes, 60)
        day_word = "working day" if self.working_days == 1 else "working days"
        return f"{hours} h {minutes:02d} min ({self.working_days} {day_word})"


def waiting(received_at: datetime, now: datetime, rag: Rag | None = None,
            calendar: WorkingCalendar = ENGLAND_AND_WALES, settings: FrontDoorSettings = DEFAULT_SETTINGS) -> Waiting:
    """Working time since receipt, in office minutes and in working days after the day of receipt (day 0)."""
    minutes = working_minutes_between(received_at, now, calendar, settings.office_hours)
    received_day, today = _local(received_at).date(), _local(now).date()
    days = working_days_in(received_day + timedelta(days=1), today, calendar) if today > received_day else 0
    limit_hours = settings.rag_working_hours[rag] if rag else None
    return Waiting(
        working_minutes=minutes,
        working_days=days,
        rag=rag,
        past_rag_timescale=limit_hours is not None and minutes > limit_hours * 60,
        past_open_limit=days > settings.open_limit_working_days,
    )


def received_before(past: Callable[[datetime], bool], now: datetime, horizon_days: int = 3660) -> datetime | None:
    """The moment before which every item received is `past` (over a limit, overdue) and at or after which none is,
    so a list can count and filter such items in the database with `received_at < moment`.

    `past(received_at)` must only ever turn true as an item gets older (waiting only grows), and must read the
    receipt time to the minute (as working_minutes_between and the day-based clocks do): the search then finds the
    exact minute by halving, trying a few dozen moments. None when nothing received in the last `horizon_days` is
    past."""
    this_minute = now.replace(second=0, microsecond=0)

    def past_at(minutes_back: int) -> bool:
        return past(this_minute - timedelta(minutes=minutes_back))

    if past_at(0):
        return this_minute + timedelta(minutes=1)
    newest_past = 1  # the fewest minutes back that are past: first doubled, then halved
    while not past_at(newest_past):
        newest_past *= 2
        if newest_past > horizon_days * 24 * 60:
            return None
    not_past = newest_past // 2
    while newest_past - not_past > 1:
        middle = (not_past + newest_past) // 2
        if past_at(middle):
            newest_past = middle
        else:
            not_past = middle
    # The minute `newest_past` back is past, the one after it is not: the cut is at the end of that minute.
    return this_minute - timedelta(minutes=newest_past - 1)


# RAG for police notifications -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RagRating:
    rag: Rag
    reasons: tuple[str, ...]


# MARAC's "potential escalation" criterion: commonly 3 or more incidents in 12 months (statutory-rules.md §9).
ESCALATION_INCIDENTS = 3


def notification_rag(dash_risk: str, children_present: str, previous_incidents: int) -> RagRating:
    """A suggested RAG rating for a police domestic-abuse notification, with the reasons for it.

    `dash_risk` is standard/medium/high, `children_present` yes/no/unknown, `previous_incidents` counts the
    household's earlier incidents in the repeat window (this one excluded). A practitioner may raise it.
    """
    red, amber = [], []
    incidents = previous_incidents + 1
    children = children_present == "yes"
    if dash_risk == "high":
        red.append("DASH risk is high")
    elif dash_risk == "medium" and children:
        red.append("DASH risk is medium and children were present")
    elif dash_risk == "medium":
        amber.append("DASH risk is medium")
    if incidents >= ESCALATION_INCIDENTS:
        red.append(f"{incidents} incidents in the household in the repeat window (potential escalation)")
    elif previous_incidents:
        amber.append(f"{incidents} incidents in the household in the repeat window")
    if children and dash_risk != "medium":
        amber.append("Children were present")
    elif children_present == "unknown":
        amber.append("Not known whether children were present")
    if red:
        return RagRating(Rag.RED, tuple(red + amber))
    if amber:
        return RagRating(Rag.AMBER, tuple(amber))
    return RagRating(Rag.GREEN, ("Standard risk, no children present and no earlier incidents",))


# History counters -----------------------------------------------------------------------------------------


def within_months(day: date, today: date, months: int) -> bool:
    """`day` falls in the `months` calendar months up to and including `today`."""
    return add_calendar_months(today, -months) <= day <= today


def count_within(days: Iterable[date], today: date, months: int) -> int:
    return sum(1 for day in days if within_months(day, today, months))


def re_referrals(referral_dates: Sequence[date], months: int = 12) -> int:
    """How many referrals came within `months` of the one before (the DfE re-referral definition)."""
    ordered = sorted(referral_dates)
    pairs = zip(ordered, ordered[1:], strict=False)
    return sum(1 for earlier, later in pairs if add_calendar_months(later, -months) <= earlier)
