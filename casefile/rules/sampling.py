"""Drawing a sample of children's files for case file audits, over plain rows: no Django here.

Three ways to draw (issue 12, item 1):

- **random**: every candidate equally likely, from a seed that is recorded, so the same candidates and the same seed
  draw the same children again (`random.Random(seed)` over the candidates in child id order);
- **thematic**: the same, over candidates the caller has already narrowed by a cohort filter (a team, a worker, a
  plan type, an age band); the reason names the theme;
- **risk**: the children with the most, and the most serious, quality signals (casefile/rules/signals.py) first;
  the seed only breaks ties, so the draw is reproducible too.

Each chosen child comes with one sentence saying why ("Chosen at random (seed 4711).", "Chosen because: 3 quality
signals — Child protection plan over 15 months, Late visits, Re-referral within 12 months of closure.").

A sample that cannot be drawn raises `SampleError` naming the field to correct (`size`, `filters`).

>>> rows = [Candidate(child_id) for child_id in (5, 3, 9, 1)]
>>> [chosen.child_id for chosen in draw(rows, method=RANDOM, size=2, seed=4711)] == \\
...     [chosen.child_id for chosen in draw(list(reversed(rows)), method=RANDOM, size=2, seed=4711)]
True
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

RANDOM, THEMATIC, RISK = "random", "thematic", "risk"
METHODS: tuple[tuple[str, str], ...] = (
    (RANDOM, "Random"),
    (THEMATIC, "Thematic (a cohort chosen by filters)"),
    (RISK, "Risk-based (the most quality signals first)"),
)
METHOD_LABELS = dict(METHODS)

# How much each quality signal weighs when the sample is risk-based. A local weighting, not a national one: a
# signal about a child protection plan running on, a statutory clock missed or a child not seen counts more than one
# about recording. A signal not named here weighs 1.
SEVERITY: Mapping[str, int] = MappingProxyType({
    "cp_plan_2_years": 3,
    "cp_plan_15_months": 2,
    "repeat_cp_plan": 2,
    "overdue_clock": 2,
    "plan_not_started": 2,
    "late_visits": 2,
    "quiet_cp_case": 2,
    "re_referral": 2,
    "repeated_strategy": 2,
    "plan_no_progress": 2,
    "cin_plan_not_reviewed": 2,
})

# The largest seed kept: six digits, easy to read out and type in again.
SEED_LIMIT = 1_000_000


@dataclass(frozen=True)
class SignalMark:
    """One quality signal found on a child's record: its code (rules/signals.py SIGNALS) and its name."""

    code: str
    name: str


@dataclass(frozen=True)
class Candidate:
    child_id: int
    signals: tuple[SignalMark, ...] = ()


@dataclass(frozen=True)
class Chosen:
    child_id: int
    reason: str
    score: int = 0  # the weight of the child's quality signals (risk-based samples)


class SampleError(ValueError):
    """Why the sample cannot be drawn, keyed by the field to correct."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def new_seed() -> int:
    """A seed for a sample drawn without one: recorded with the sample, so it can be drawn again."""
    return random.SystemRandom().randrange(1, SEED_LIMIT)


def score(candidate: Candidate) -> int:
    """The weight of a child's quality signals, each distinct signal counted once."""
    return sum(SEVERITY.get(code, 1) for code in {mark.code for mark in candidate.signals})


def _distinct(marks: Sequence[SignalMark]) -> list[SignalMark]:
    """Each signal once, the heaviest first, then in the order found."""
    seen: dict[str, SignalMark] = {}
    for mark in marks:
        seen.setdefault(mark.code, mark)
    ordered = list(seen.values())
    return sorted(ordered, key=lambda mark: -SEVERITY.get(mark.code, 1))


def risk_reason(candidate: Candidate) -> str:
    """'Chosen because: 2 quality signals — Child protection plan over 2 years, Late visits.'"""
    marks = _distinct(candidate.signals)
    noun = "quality signal" if len(marks) == 1 else "quality signals"
    return f"Chosen because: {len(marks)} {noun} — {', '.join(mark.name for mark in marks)}."


def random_reason(seed: int, theme: str = "") -> str:
    """'Chosen at random (seed 4711).', or with the theme: '… from children matching: team North.'"""
    if theme:
        return f"Chosen at random (seed {seed}) from children matching: {theme}."
    return f"Chosen at random (seed {seed})."


def check(candidates: Sequence[Candidate], *, method: str, size: int) -> None:
    """Whether a sample of `size` can be drawn from these candidates by this method; SampleError if not."""
    if method not in METHOD_LABELS:
        raise SampleError("method", "Select how to choose the children: random, thematic or risk-based")
    if size < 1:
        raise SampleError("size", "Enter how many children to sample: 1 or more")
    candidates = list({candidate.child_id: candidate for candidate in candidates}.values())
    if not candidates:
        raise SampleError("filters", "No open cases match these filters: choose other filters")
    pool = [candidate for candidate in candidates if score(candidate)] if method == RISK else candidates
    if method == RISK and not pool:
        raise SampleError("filters", "None of the children matching these filters has a quality signal: choose "
                                     "other filters, or sample at random")
    if size > len(pool):
        noun = "child" if len(pool) == 1 else "children"
        whom = f"{noun} with a quality signal" if method == RISK else f"{noun} matching these filters"
        verb = "is" if len(pool) == 1 else "are"
        raise SampleError("size", f"There {verb} only {len(pool)} {whom}: enter {len(pool)} or fewer")


def draw(candidates: Sequence[Candidate], *, method: str, size: int, seed: int, theme: str = "") -> list[Chosen]:
    """`size` children from the candidates, each with the reason they were chosen. The same candidates (in any
    order) and the same seed give the same sample."""
    check(candidates, method=method, size=size)
    unique = {candidate.child_id: candidate for candidate in candidates}
    ordered = [unique[child_id] for child_id in sorted(unique)]
    generator = random.Random(seed)
    if method == RISK:
        tie_break = {candidate.child_id: generator.random() for candidate in ordered}
        ranked = sorted((candidate for candidate in ordered if score(candidate)),
                        key=lambda c: (-score(c), -len({m.code for m in c.signals}), tie_break[c.child_id]))
        return [Chosen(candidate.child_id, risk_reason(candidate), score(candidate)) for candidate in ranked[:size]]
    chosen = generator.sample(ordered, size)
    reason = random_reason(seed, theme if method == THEMATIC else "")
    return [Chosen(candidate.child_id, reason, score(candidate)) for candidate in chosen]
