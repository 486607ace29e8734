"""The impact of a case file audit, measured at re-audit: how each section's grade and the overall grade changed
between the audit and the re-audit made once its actions were completed. Plain Python, no database.

Grades are on Ofsted's four-point scale (`audit_grades.GRADES`, best first). A change is counted in steps on that
scale: from requires improvement to good is one step better, from good to inadequate two steps worse.

>>> change("requires_improvement", "good")
Change(before='requires_improvement', after='good', steps=1)
>>> change("good", "inadequate").direction
'declined'
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping

from casefile.rules.audit_grades import GRADE_ORDER

IMPROVED = "improved"
SAME = "same"
DECLINED = "declined"
DIRECTION_LABELS = {IMPROVED: "Improved", SAME: "The same", DECLINED: "Declined"}


@dataclasses.dataclass(frozen=True)
class Change:
    """One grade at the audit and at the re-audit; `steps` is positive when the re-audit's grade is better."""

    before: str
    after: str
    steps: int

    @property
    def direction(self) -> str:
        return IMPROVED if self.steps > 0 else DECLINED if self.steps < 0 else SAME


def change(before: str, after: str) -> Change:
    """The change from the audit's grade to the re-audit's. A grade off the scale is refused, naming it."""
    for grade in (before, after):
        if grade not in GRADE_ORDER:
            raise ValueError(f"grade: {grade!r} is not on the scale ({', '.join(GRADE_ORDER)})")
    # Best first on the scale, so a lower position is a better grade.
    return Change(before, after, GRADE_ORDER[before] - GRADE_ORDER[after])


@dataclasses.dataclass(frozen=True)
class Impact:
    """A re-audit's change in the overall grade and in each section graded at both audits."""

    overall: Change
    sections: dict[Hashable, Change]


def impact(before_overall: str, after_overall: str, before_sections: Mapping[Hashable, str],
           after_sections: Mapping[Hashable, str]) -> Impact:
    """The overall change, and each section's where both audits graded it (a section graded at only one of them
    has no change to measure)."""
    sections = {key: change(grade, after_sections[key]) for key, grade in before_sections.items()
                if grade and after_sections.get(key)}
    return Impact(change(before_overall, after_overall), sections)


@dataclasses.dataclass(frozen=True)
class Summary:
    """How many changes improved, stayed the same and declined, and the mean change in steps."""

    improved: int
    same: int
    declined: int
    steps: int  # the sum of every change's steps

    @property
    def total(self) -> int:
        return self.improved + self.same + self.declined

    @property
    def mean_steps(self) -> float | None:
        return self.steps / self.total if self.total else None

    def share(self, direction: str) -> float | None:
        """Percent of the changes in that direction."""
        return 100 * getattr(self, direction) / self.total if self.total else None


def summarise(changes: Iterable[Change]) -> Summary:
    counts = {IMPROVED: 0, SAME: 0, DECLINED: 0}
    steps = 0
    for each in changes:
        counts[each.direction] += 1
        steps += each.steps
    return Summary(counts[IMPROVED], counts[SAME], counts[DECLINED], steps)


def summarise_overall(impacts: Iterable[Impact]) -> Summary:
    return summarise(each.overall for each in impacts)


def summarise_by_section(impacts: Iterable[Impact]) -> dict[Hashable, Summary]:
    """For each section, the summary of its changes across every re-audit that graded it at both audits."""
    by_section: dict[Hashable, list[Change]] = defaultdict(list)
    for each in impacts:
        for section, section_change in each.sections.items():
            by_section[section].append(section_change)
    return {section: summarise(changes) for section, changes in by_section.items()}
