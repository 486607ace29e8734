"""When a worker's next supervision is due, and whether it is overdue: plain Python, no database.

The standard is local practice, so it is configurable (CASEFILE_SUPERVISION, read by
`SupervisionStandard.from_mapping`): by default every worker is supervised monthly, and a newly qualified social
worker fortnightly in their first year after qualifying (the ASYE year). The next supervision is due one interval
after the last one; a worker never supervised is due one interval after they started. Whether the fortnightly
interval applies is decided on the day of the last supervision, so a session a week before the first anniversary
still calls the next in a fortnight.

>>> standard = SupervisionStandard()
>>> due = supervision_due(last=datetime.date(2026, 1, 31), started_on=datetime.date(2020, 1, 1), qualified_on=None,
...                       today=datetime.date(2026, 3, 3), standard=standard)
>>> due.due_on, due.status, due.frequency
(datetime.date(2026, 2, 28), 'overdue', 'monthly')
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass

UNITS = ("days", "weeks", "months")
OVERDUE = "overdue"
DUE_SOON = "due_soon"
ON_TIME = "on_time"
STATUS_LABELS = {OVERDUE: "Overdue", DUE_SOON: "Due soon", ON_TIME: "On time"}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the last day of that month when it is shorter (31 January -> 28 February).

    >>> add_months(datetime.date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Interval:
    """How long between supervisions: an amount of days, weeks or calendar months."""

    amount: int
    unit: str

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"A supervision interval's unit must be one of {', '.join(UNITS)}, not {self.unit!r}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise ValueError(f"A supervision interval's amount must be a whole number of 1 or more, not "
                             f"{self.amount!r}")

    def after(self, day: datetime.date) -> datetime.date:
        if self.unit == "months":
            return add_months(day, self.amount)
        return day + datetime.timedelta(days=self.amount * (7 if self.unit == "weeks" else 1))

    @property
    def frequency(self) -> str:
        """In words: 'monthly', 'fortnightly', 'weekly', or 'every 3 weeks'.

        >>> Interval(14, "days").frequency, Interval(6, "weeks").frequency
        ('fortnightly', 'every 6 weeks')
        """
        days = {"days": self.amount, "weeks": self.amount * 7}.get(self.unit)
        named = {1: "daily", 7: "weekly", 14: "fortnightly"}.get(days) if days else {1: "monthly"}.get(self.amount)
        if named:
            return named
        unit = self.unit if self.amount != 1 else self.unit.removesuffix("s")
        return f"every {self.amount} {unit}"


@dataclass(frozen=True)
class SupervisionStandard:
    """The local standard: how often, how often for the newly qualified, and for how long after qualifying."""

    usual: Interval = Interval(1, "months")
    newly_qualified: Interval = Interval(14, "days")
    newly_qualified_months: int = 12
    # A supervision due within this many days shows as due soon.
    due_soon_days: int = 7

    @classmethod
    def from_mapping(cls, mapping: Mapping | None) -> SupervisionStandard:
        """The standard from a setting such as {"usual": {"amount": 4, "unit": "weeks"}}; unknown keys refused.

        >>> SupervisionStandard.from_mapping({"usual": {"amount": 6, "unit": "weeks"}}).usual.frequency
        'every 6 weeks'
        """
        mapping = dict(mapping or {})
        unknown = set(mapping) - {"usual", "newly_qualified", "newly_qualified_months", "due_soon_days"}
        if unknown:
            raise ValueError(f"Unknown supervision setting {', '.join(sorted(unknown))}: expected usual, "
                             f"newly_qualified, newly_qualified_months or due_soon_days")
        values = {}
        for key in ("usual", "newly_qualified"):
            if key in mapping:
                given = mapping[key]
                if not isinstance(given, Mapping) or set(given) != {"amount", "unit"}:
                    raise ValueError(f"Supervision setting {key} must be like {{\"amount\": 1, \"unit\": \"months\"}}")
                values[key] = Interval(given["amount"], given["unit"])
        for key in ("newly_qualified_months", "due_soon_days"):
            if key in mapping:
                given = mapping[key]
                if isinstance(given, bool) or not isinstance(given, int) or given < 0:
                    raise ValueError(f"Supervision setting {key} must be a whole number of 0 or more")
                values[key] = given
        return cls(**values)

    def is_newly_qualified(self, qualified_on: datetime.date | None, on: datetime.date) -> bool:
        """Qualified within `newly_qualified_months` before `on` (the ASYE year, by default)."""
        return qualified_on is not None and qualified_on <= on < add_months(qualified_on, self.newly_qualified_months)

    def interval_on(self, qualified_on: datetime.date | None, on: datetime.date) -> Interval:
        return self.newly_qualified if self.is_newly_qualified(qualified_on, on) else self.usual


@dataclass(frozen=True)
class SupervisionDue:
    due_on: datetime.date
    status: str  # OVERDUE, DUE_SOON or ON_TIME
    frequency: str  # 'monthly', 'fortnightly', ...
    newly_qualified: bool

    @property
    def is_overdue(self) -> bool:
        return self.status == OVERDUE

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def due_status(due_on: datetime.date, today: datetime.date, due_soon_days: int) -> str:
    """Overdue after the due day; due soon from `due_soon_days` before it (the day itself included).

    >>> due_status(datetime.date(2026, 3, 3), datetime.date(2026, 3, 3), 7)
    'due_soon'
    """
    if today > due_on:
        return OVERDUE
    if (due_on - today).days <= due_soon_days:
        return DUE_SOON
    return ON_TIME


def supervision_due(*, last: datetime.date | None, started_on: datetime.date, qualified_on: datetime.date | None,
                    today: datetime.date, standard: SupervisionStandard) -> SupervisionDue:
    """When the next supervision is due: one interval after the last (or after the worker started), with the
    interval that applied on that day."""
    since = last or started_on
    interval = standard.interval_on(qualified_on, since)
    due_on = interval.after(since)
    return SupervisionDue(due_on=due_on, status=due_status(due_on, today, standard.due_soon_days),
                          frequency=interval.frequency,
                          newly_qualified=standard.is_newly_qualified(qualified_on, today))
