"""The grades of a case file audit: Ofsted's four-point scale, and the answers to an audit question. Plain Python,
no database.

The scale is the one Ofsted's inspections of local authority children's services (ILACS) judge on, best first.
Moderation's agreement (`agreement`, `agreement_by_section`): how often a second auditor gave the same grade as
the first, and Cohen's kappa, the agreement beyond what chance alone would give.

>>> GRADE_LABELS["requires_improvement"]
'Requires improvement to be good'
>>> worst(["good", "inadequate", "outstanding"])
'inadequate'
>>> worst([]) is None
True
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable

OUTSTANDING = "outstanding"
GOOD = "good"
REQUIRES_IMPROVEMENT = "requires_improvement"
INADEQUATE = "inadequate"

# Best first: the order a page offers them in.
GRADES: tuple[tuple[str, str], ...] = (
    (OUTSTANDING, "Outstanding"),
    (GOOD, "Good"),
    (REQUIRES_IMPROVEMENT, "Requires improvement to be good"),
    (INADEQUATE, "Inadequate"),
)
GRADE_LABELS = dict(GRADES)
GRADE_ORDER = {code: position for position, (code, _) in enumerate(GRADES)}

# How an auditor answers one question about the file.
YES = "yes"
PARTLY = "partly"
NO = "no"
NOT_APPLICABLE = "not_applicable"
ANSWERS: tuple[tuple[str, str], ...] = (
    (YES, "Yes"),
    (PARTLY, "Partly"),
    (NO, "No"),
    (NOT_APPLICABLE, "Does not apply to this child"),
)
ANSWER_LABELS = dict(ANSWERS)


def worst(grades: Iterable[str]) -> str | None:
    """The lowest of the grades given (None when there are none): a helpful anchor for the overall grade."""
    known = [grade for grade in grades if grade in GRADE_ORDER]
    return max(known, key=GRADE_ORDER.__getitem__) if known else None


@dataclasses.dataclass(frozen=True)
class Agreement:
    """Two auditors' grades of the same sections: how many pairs, how many the same, and Cohen's kappa."""

    pairs: int
    agreed: int
    kappa: float | None  # None when it cannot be worked out: no pairs, or chance alone would agree every time

    @property
    def rate(self) -> float | None:
        """Percent of pairs graded the same."""
        return 100 * self.agreed / self.pairs if self.pairs else None


def agreement(pairs: Iterable[tuple[str, str]]) -> Agreement:
    """The first and the second auditor's grades, pair by pair. Kappa = (observed - expected) / (1 - expected),
    where expected is the agreement chance would give from how often each auditor used each grade: 1 is full
    agreement, 0 no better than chance, below 0 worse."""
    pairs = list(pairs)
    for first, second in pairs:
        for grade in (first, second):
            if grade not in GRADE_ORDER:
                raise ValueError(f"grade: {grade!r} is not on the scale ({', '.join(GRADE_ORDER)})")
    count = len(pairs)
    agreed = sum(first == second for first, second in pairs)
    if not count:
        return Agreement(0, 0, None)
    firsts, seconds = Counter(first for first, _ in pairs), Counter(second for _, second in pairs)
    expected = sum(firsts[grade] * seconds[grade] for grade in GRADE_ORDER) / count ** 2
    observed = agreed / count
    kappa = None if expected == 1 else (observed - expected) / (1 - expected)
    return Agreement(count, agreed, kappa)


def agreement_by_section(graded: Iterable[tuple[Hashable, str, str]]) -> dict[Hashable, Agreement]:
    """(section, first grade, second grade) for every moderated section: the agreement for each section."""
    by_section: dict[Hashable, list[tuple[str, str]]] = defaultdict(list)
    for section, first, second in graded:
        by_section[section].append((first, second))
    return {section: agreement(pairs) for section, pairs in by_section.items()}
