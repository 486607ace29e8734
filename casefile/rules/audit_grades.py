"""The grades of a case file audit: Ofsted's four-point scale, and the answers to an audit question. Plain Python,
no database.

The scale is the one Ofsted's inspections of local authority children's services (ILACS) judge on, best first.
Moderation's agreement rates (per-section agreement and Cohen's kappa) will be worked out here too.

>>> GRADE_LABELS["requires_improvement"]
'Requires improvement to be good'
>>> worst(["good", "inadequate", "outstanding"])
'inadequate'
>>> worst([]) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable

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
