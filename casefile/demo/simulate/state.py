"""What the simulator holds while it runs: families, children, pools to draw from, staff teams, tallies, and the
result."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from casefile.accounts.models import Team, User
from casefile.demo.simulate.config import ARISING, DAY, PLANTED, REPEATED_STRATEGY, Size
from casefile.rules.clocks import add_calendar_months

# State held while simulating ------------------------------------------------------------------------------


@dataclass
class Adult:
    id: int
    name: str
    parental_responsibility: bool | None = None


@dataclass
class Family:
    surname: str
    patch: int  # which team covers the family, and its postcode district
    mother: Adult
    father: Adult | None
    household: int
    address: dict
    children: list[Child] = field(default_factory=list)


@dataclass(eq=False)
class Child:
    id: int
    first_name: str
    dob: datetime.date
    family: Family
    restricted: bool = False
    last_referral: datetime.date | None = None
    # For the disabilities drawn at the end: referred with further action, and with primary need N2.
    in_need: bool = False
    referred_for_disability: bool = False
    workers: list[int] = field(default_factory=list)
    # What the tally needs of the child's history: when the last episode closed, how many child protection
    # plans, when the worker changed, strategy discussions and initial conferences.
    last_closed: datetime.date | None = None
    cp_plans: int = 0
    worker_changes: list[datetime.date] = field(default_factory=list)
    strategy_days: list[datetime.date] = field(default_factory=list)
    initial_conference_days: list[datetime.date] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.family.surname}"

    def age_on(self, day: datetime.date) -> int:
        return day.year - self.dob.year - ((day.month, day.day) < (self.dob.month, self.dob.day))

    def repeated_strategy(self) -> bool:
        """The latest strategy discussion with another within 12 months before it, and no initial conference
        since the first of them."""
        count, months = REPEATED_STRATEGY
        for latest in reversed(self.strategy_days):
            window = [day for day in self.strategy_days if add_calendar_months(latest, -months) < day <= latest]
            if len(window) >= count:
                return not any(day >= window[0] for day in self.initial_conference_days)
        return False

    @property
    def last_day(self) -> datetime.date:
        """The day before the 18th birthday: the journey ends by then."""
        return add_calendar_months(self.dob, 18 * 12) - DAY


class Pool:
    """Children to draw from at random, each removable in constant time."""

    def __init__(self) -> None:
        self.items: list[Child] = []
        self.index: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.items)

    def add(self, child: Child) -> None:
        if child.id not in self.index:
            self.index[child.id] = len(self.items)
            self.items.append(child)

    def remove(self, child: Child) -> bool:
        position = self.index.pop(child.id, None)
        if position is None:
            return False
        last = self.items.pop()
        if last is not child:
            self.items[position] = last
            self.index[last.id] = position
        return True

    def any(self, rng: random.Random) -> Child | None:
        return self.items[rng.randrange(len(self.items))] if self.items else None


@dataclass
class StaffTeam:
    team: Team
    manager: User
    workers: list[User]


@dataclass
class Tally:
    """What the generator planted, for the summary: how many of how many, per problem. A problem counted once per
    child whose answer can change as the child's history grows (`settle`) keeps the child's latest answer."""

    planted: Counter = field(default_factory=Counter)
    of: Counter = field(default_factory=Counter)
    settled: dict[str, dict[int, bool]] = field(default_factory=dict)

    def count(self, problem: str, planted: bool) -> None:
        self.of[problem] += 1
        self.planted[problem] += bool(planted)

    def settle(self, problem: str, child: int, planted: bool) -> None:
        self.settled.setdefault(problem, {})[child] = bool(planted)

    def rates(self) -> dict[str, tuple[int, int]]:
        rates = {}
        for problem in (*PLANTED, *ARISING):
            children = self.settled.get(problem, {})
            rates[problem] = (self.planted[problem] + sum(children.values()), self.of[problem] + len(children))
        return rates


@dataclass
class Result:
    size: Size
    seed: int
    start_date: datetime.date
    end_date: datetime.date
    referrals: int
    counts: dict[str, int]
    planted: dict[str, tuple[int, int]]
    staff: int
