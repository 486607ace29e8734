"""The retention schedule: how long each kind of child's record is kept, and the day it may be disposed of.

Plain values in, a date out. `assess(facts, schedule)` finds every kind of record a child's file is (a file can
be several: a child in need who was later adopted), works out each kind's disposal date and keeps the file
until the latest of them, so the longest period always wins. A file whose date cannot be worked out (no date
of birth for a rule counted from a birthday, an adoption with no order date) is held, with the reason, never
disposed of by guesswork; so is a file with anything still open.

Each default names its source. Two are law (a regulation sets a minimum that an authority may lengthen but not
shorten); the others are published local practice that an authority replaces with its own records policy
through `CASEFILE_RETENTION` (docs/production.md, "Retention and disposal"):

- adoption: the Disclosure of Adoption Information (Post-Commencement Adoptions) Regulations 2005
  (SI 2005/888), regulation 6: the adoption agency keeps the section 56 information (which includes the child's
  case record) for at least 100 years from the date of the adoption order. (The Adoption Agencies Regulations
  2005, regulation 40, leave the period to the agency; the 100 years comes from SI 2005/888.)
- looked after: the Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959),
  regulation 50: the case record is kept until the 75th anniversary of the child's birth or, if the child dies
  before 18, for 15 years from the date of death. Casefile does not yet record who is looked after (roadmap
  item 10), so no file is classed as this kind until it does; the rule is here so that the schedule is whole.
- child protection (a section 47 enquiry, a child protection conference or plan): no statutory period. The
  default, 35 years after the case closed, is the policy the High Court held lawful in R (C) v Northumberland
  County Council [2015] EWHC 2134 (Admin).
- child in need (any referral, with no child protection): no statutory period. The default is Devon County
  Council's published schedule for children in need: "until child is 18 plus a further three years of
  inactivity", read here as the later of the 21st birthday and 3 years after the case closed.
- contact only (contacts that never became a referral: no further action, advice, early help): no statutory
  period. The default, 6 years after the last contact was concluded, is the six-year limitation period of the
  Limitation Act 1980, section 2, as published council schedules apply it to advice with no further
  involvement (Devon County Council: "6 years from date of last contact, Limitation Act 1980").

Birthdays and anniversaries: a period "until the 75th anniversary of birth" ends on that day, so the file may be
disposed of the day after; "N years after" a date ends on its Nth anniversary. 29 February is taken as 1 March
in a year without it, the later of the two readings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

ADOPTION = "adoption"
LOOKED_AFTER = "looked_after"
CHILD_PROTECTION = "child_protection"
CHILD_IN_NEED = "child_in_need"
CONTACT_ONLY = "contact_only"

# What a rule's years are counted from.
LAST_INVOLVEMENT = "last_involvement"
ADOPTION_ORDER = "adoption_order"


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str
    source: str
    statutory: bool
    until_birthday: int | None = None
    years_after: int | None = None
    counted_from: str = LAST_INVOLVEMENT
    # Regulation 50's alternative: a child who dies before 18 has the file kept this long after the death.
    years_after_death_under_18: int | None = None

    def describe(self) -> str:
        """The rule in words, for the listing and the tombstone.

        >>> DEFAULT_SCHEDULE[CHILD_IN_NEED].describe()
        'until the later of the 21st birthday and 3 years after the last involvement'
        >>> DEFAULT_SCHEDULE[LOOKED_AFTER].describe()
        'until the 75th birthday (15 years after death if the child died before 18)'
        """
        parts = []
        if self.until_birthday is not None:
            parts.append(f"the {_ordinal(self.until_birthday)} birthday")
        if self.years_after is not None:
            parts.append(f"{self.years_after} years after the {self.counted_from.replace('_', ' ')}")
        text = "until " + (" and ".join(parts) if len(parts) < 2 else "the later of " + " and ".join(parts))
        if self.years_after_death_under_18 is not None:
            text += f" ({self.years_after_death_under_18} years after death if the child died before 18)"
        return text


DEFAULT_SCHEDULE: Mapping[str, Rule] = MappingProxyType({
    ADOPTION: Rule(
        ADOPTION, "Adoption", statutory=True, years_after=100, counted_from=ADOPTION_ORDER,
        source="Disclosure of Adoption Information (Post-Commencement Adoptions) Regulations 2005 "
               "(SI 2005/888), regulation 6",
    ),
    LOOKED_AFTER: Rule(
        LOOKED_AFTER, "Looked after", statutory=True, until_birthday=75, years_after_death_under_18=15,
        source="Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959), regulation 50",
    ),
    CHILD_PROTECTION: Rule(
        CHILD_PROTECTION, "Child protection", statutory=False, years_after=35,
        source="Local practice: 35 years after closure, the policy held lawful in R (C) v Northumberland "
               "County Council [2015] EWHC 2134 (Admin)",
    ),
    CHILD_IN_NEED: Rule(
        CHILD_IN_NEED, "Child in need", statutory=False, until_birthday=21, years_after=3,
        source="Local practice: Devon County Council's published retention schedule, children in need "
               "(until 18 plus a further three years of inactivity)",
    ),
    CONTACT_ONLY: Rule(
        CONTACT_ONLY, "Contact only", statutory=False, years_after=6,
        source="Local practice: the six-year period of the Limitation Act 1980, section 2, as Devon County "
               "Council's published schedule applies it (6 years from the date of last contact)",
    ),
})


@dataclass(frozen=True)
class Facts:
    """What the record says about one child's file, as plain values."""

    date_of_birth: date | None
    date_of_death: date | None = None
    has_open_work: bool = False  # an open episode or a contact still at the front door
    last_involvement: date | None = None  # the latest closure or concluded contact
    adopted: bool = False
    adoption_order_on: date | None = None
    looked_after: bool = False
    child_protection: bool = False
    child_in_need: bool = False  # any referral (episode)


@dataclass(frozen=True)
class Verdict:
    kind: str | None  # the kind whose rule keeps the file longest
    rule: Rule | None
    dispose_on: date | None  # the first day it may be disposed of; None while held
    held_because: str = ""

    def is_due(self, today: date) -> bool:
        return self.dispose_on is not None and self.dispose_on <= today


def kinds_of(facts: Facts) -> list[str]:
    """Every kind of record the file is.

    >>> kinds_of(Facts(date_of_birth=None, child_in_need=True, child_protection=True))
    ['child_protection', 'child_in_need']
    >>> kinds_of(Facts(date_of_birth=None))
    ['contact_only']
    """
    kinds = [kind for kind, applies in (
        (ADOPTION, facts.adopted), (LOOKED_AFTER, facts.looked_after),
        (CHILD_PROTECTION, facts.child_protection), (CHILD_IN_NEED, facts.child_in_need),
    ) if applies]
    return kinds or [CONTACT_ONLY]


def dispose_on(rule: Rule, facts: Facts) -> tuple[date | None, str]:
    """The first day the rule lets the file go, or None and why it cannot be worked out."""
    dob, death = facts.date_of_birth, facts.date_of_death
    if (rule.years_after_death_under_18 is not None and dob is not None and death is not None
            and death < add_years(dob, 18)):
        return add_years(death, rule.years_after_death_under_18), ""
    candidates = []
    if rule.until_birthday is not None:
        if dob is None:
            return None, "no date of birth is recorded"
        candidates.append(add_years(dob, rule.until_birthday) + timedelta(days=1))
    if rule.years_after is not None:
        start = facts.adoption_order_on if rule.counted_from == ADOPTION_ORDER else facts.last_involvement
        if start is None:
            return None, f"no {rule.counted_from.replace('_', ' ')} date is recorded"
        candidates.append(add_years(start, rule.years_after))
    return max(candidates), ""


def assess(facts: Facts, schedule: Mapping[str, Rule] = DEFAULT_SCHEDULE) -> Verdict:
    """The latest disposal date of every kind the file is; held if any is unknown or work is open.

    >>> lily = Facts(date_of_birth=date(2000, 5, 1), last_involvement=date(2010, 3, 1), child_in_need=True)
    >>> assess(lily).dispose_on
    datetime.date(2021, 5, 2)
    >>> assess(replace(lily, has_open_work=True)).held_because
    'work on the file is still open'
    """
    if facts.has_open_work:
        return Verdict(None, None, None, "work on the file is still open")
    latest: tuple[date, str] | None = None
    for kind in kinds_of(facts):
        day, why = dispose_on(schedule[kind], facts)
        if day is None:
            return Verdict(kind, schedule[kind], None, f"{schedule[kind].label.lower()}: {why}")
        if latest is None or day > latest[0]:
            latest = (day, kind)
    day, kind = latest
    return Verdict(kind, schedule[kind], day)


# The authority's schedule ---------------------------------------------------------------------------------

_SETTABLE = {"until_birthday", "years_after", "years_after_death_under_18", "source"}


def schedule_from(overrides: Mapping[str, Any]) -> Mapping[str, Rule]:
    """The default schedule with the authority's changes, e.g. {"child_in_need": {"until_birthday": 25,
    "years_after": 6, "source": "Borough records policy 2026, 4.2"}}. Each change names its source, and a
    statutory minimum can be lengthened, never shortened. Raises ValueError naming what is wrong.
    """
    schedule = dict(DEFAULT_SCHEDULE)
    for kind, change in overrides.items():
        if kind not in schedule:
            raise ValueError(f"{kind}: not a kind of record; use one of {', '.join(schedule)}")
        if not isinstance(change, Mapping):
            raise ValueError(f"{kind}: give the changes as an object, like {{\"years_after\": 10, \"source\": ...}}")
        unknown = set(change) - _SETTABLE
        if unknown:
            raise ValueError(f"{kind}: cannot set {', '.join(sorted(unknown))}; settable: "
                             f"{', '.join(sorted(_SETTABLE))}")
        if not str(change.get("source", "")).strip():
            raise ValueError(f"{kind}.source: say where the authority's period comes from")
        for key in _SETTABLE - {"source"}:
            value = change.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise ValueError(f"{kind}.{key}: a whole number of years, or null")
        default = schedule[kind]
        rule = replace(default, **change, statutory=default.statutory)
        if rule.until_birthday is None and rule.years_after is None:
            raise ValueError(f"{kind}: give until_birthday or years_after, or both")
        if default.statutory:
            _refuse_shorter(default, rule)
        schedule[kind] = rule
    return MappingProxyType(schedule)


def _refuse_shorter(law: Rule, rule: Rule) -> None:
    for key in ("until_birthday", "years_after", "years_after_death_under_18"):
        minimum, value = getattr(law, key), getattr(rule, key)
        if minimum is not None and (value is None or value < minimum):
            raise ValueError(f"{law.kind}.{key}: the law sets at least {minimum} ({law.source}); "
                             "an authority may keep records longer, never shorter")


def add_years(day: date, years: int) -> date:
    """The anniversary, with 29 February taken as 1 March in a year without it.

    >>> add_years(date(2008, 2, 29), 21)
    datetime.date(2029, 3, 1)
    >>> add_years(date(2008, 2, 29), 4)
    datetime.date(2012, 2, 29)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
