"""The child's voice at visits and assessments (issue 10, item 6), over plain rows: no Django here.

Each visit or assessment is a `VoiceRow`: whether the child was seen and seen alone, whether their words or an
observation of them was recorded, and whether the worker said what difference it made to the plan. `Coverage`
counts them for a team or a worker (casefile/oversight/voice.py loads the rows; docs/childs-voice.md).

Every measure but "seen" is counted over the records where the child was seen: a child who was not seen cannot
have been seen alone or have given their words, and counting them again would hide whether the worker who did
see the child wrote down what they said.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date

VISIT, ASSESSMENT = "visit", "assessment"
KINDS = {VISIT: "Visits", ASSESSMENT: "Assessments authorised"}
MEASURES = {
    "seen": "Child seen",
    "alone": "Seen alone",
    "heard": "Words or observation recorded",
    "difference": "Difference to the plan recorded",
}


@dataclass(frozen=True)
class VoiceRow:
    """A visit (on its date) or an assessment (on the day it was authorised), and who it counts against."""

    kind: str
    id: int
    child_id: int
    day: date
    worker_id: int | None
    team_id: int | None
    seen: bool | None
    seen_alone: bool | None = None
    heard: bool = False  # the child's words, or an observation of them, recorded
    difference: bool = False  # what difference it made to the plan, recorded


def counted(row: VoiceRow, measure: str) -> bool:
    """Whether the row is in the measure's denominator: every row for "seen", else the rows where the child was
    seen."""
    if measure not in MEASURES:
        raise ValueError(f"{measure!r} is not one of {', '.join(MEASURES)}")
    return measure == "seen" or row.seen is True


def meets(row: VoiceRow, measure: str) -> bool:
    if not counted(row, measure):
        return False
    return {"seen": row.seen is True, "alone": row.seen_alone is True, "heard": row.heard,
            "difference": row.difference}[measure]


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, halves rounded up; None when there is nothing to count.

    >>> percent(2, 3), percent(1, 8), percent(0, 0)
    (67, 13, None)
    """
    if whole == 0:
        return None
    return (part * 200 + whole) // (whole * 2)


@dataclass
class Coverage:
    """For one team or worker: the records, and for each measure how many were counted and how many met it."""

    records: int = 0
    counted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    met: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))

    def add(self, row: VoiceRow) -> None:
        self.records += 1
        for measure in MEASURES:
            if counted(row, measure):
                self.counted[measure] += 1
                self.met[measure] += meets(row, measure)

    def percent(self, measure: str) -> int | None:
        return percent(self.met[measure], self.counted[measure])

    def missing(self, measure: str) -> int:
        """The records counted for the measure that did not meet it: the ones a manager would look at."""
        return self.counted[measure] - self.met[measure]


def coverage(rows: Iterable[VoiceRow], by: Callable[[VoiceRow], Hashable]) -> dict[Hashable, Coverage]:
    """Coverage per key (`by=lambda row: row.team_id`, or the worker)."""
    found: dict[Hashable, Coverage] = {}
    for row in rows:
        found.setdefault(by(row), Coverage()).add(row)
    return found


def total(rows: Iterable[VoiceRow]) -> Coverage:
    whole = Coverage()
    for row in rows:
        whole.add(row)
    return whole


def behind(rows: Iterable[VoiceRow], measure: str = "") -> list[VoiceRow]:
    """The rows behind a count: all of them, or those counted for `measure` that did not meet it; newest first."""
    chosen = [row for row in rows if not measure or (counted(row, measure) and not meets(row, measure))]
    return sorted(chosen, key=lambda row: (row.day, row.id), reverse=True)
