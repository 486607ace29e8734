"""How alike two person records are, and why, in words a practitioner can check.

`compare(entered, candidate)` looks at each detail both records have (NHS number, date of birth, surname,
first name, postcode, sex), scores how far each agrees, and says why in plain English: "same date of
birth", "surname sounds alike", "first name is a known variant (Bill → William)". The score is the share
of the comparable evidence that agrees, from 0 to 100, so a record compared with itself scores 100 and
the score does not depend on which record comes first.

The database only supplies candidates (by date of birth, NHS number, surname key or postcode); the
decision about what counts as a likely match is made here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz.distance import JaroWinkler

from casefile.rules import names

MAX_SCORE = 100.0
# A candidate at or above this score is shown as a possible duplicate.
LIKELY_SCORE = 60.0
# Names at least this alike (Jaro-Winkler, 0 to 1) count as spelt similarly.
SIMILAR_SPELLING = 0.88

# How much each detail weighs when both records have it. An NHS number is close to proof either way.
WEIGHTS = {
    "nhs_number": 40.0,
    "date_of_birth": 25.0,
    "last_name": 20.0,
    "first_name": 15.0,
    "postcode": 10.0,
    "sex": 5.0,
}


@dataclass(frozen=True)
class Name:
    first: str
    last: str
    # "" for the legal name; otherwise what kind of name it is ("known as", "alias", "previous name").
    label: str = ""


@dataclass(frozen=True)
class PersonFacts:
    """What matching needs to know about one person, taken from a record or from what a user typed."""

    names: tuple[Name, ...]
    date_of_birth: datetime.date | None = None
    nhs_number: str = ""
    # An unborn child's expected date of birth (then date_of_birth is None).
    expected_date_of_birth: datetime.date | None = None
    postcodes: frozenset[str] = frozenset()
    sex: str = ""


@dataclass(frozen=True)
class Evidence:
    """How far one detail agrees (0 to 1), with a plain-English reason when it supports or contradicts."""

    detail: str
    agreement: float
    reason: str = ""
    contradicts: bool = False


@dataclass(frozen=True)
class Match:
    score: float
    evidence: tuple[Evidence, ...] = field(default=())

    @property
    def reasons(self) -> list[str]:
        return [item.reason for item in self.evidence if item.reason and not item.contradicts]

    @property
    def differences(self) -> list[str]:
        return [item.reason for item in self.evidence if item.reason and item.contradicts]

    @property
    def same_nhs_number(self) -> bool:
        return any(item.detail == "nhs_number" and item.agreement == 1.0 for item in self.evidence)

    @property
    def is_likely(self) -> bool:
        """Worth showing a user: most of the evidence agrees, or the NHS numbers are the same."""
        return self.score >= LIKELY_SCORE or self.same_nhs_number


def similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two normalised names, taken in a fixed order so it is symmetric."""
    first, second = sorted((a, b))
    return JaroWinkler.similarity(first, second)


def _labelled(label_a: str, label_b: str) -> str:
    labels = [label for label in (label_a, label_b) if label]
    return f" ({labels[0]})" if labels else ""


def _first_name_pair(a: str, b: str) -> tuple[float, str]:
    if a == b:
        return 1.0, "same first name"
    if names.are_variants(a, b):
        return 0.9, f"first name is a known variant ({a.title()} → {b.title()})"
    if names.sound_alike(a, b):
        return 0.85, f"first name sounds alike ({a.title()}, {b.title()})"
    spelt = similarity(a, b)
    if spelt >= SIMILAR_SPELLING:
        return spelt * 0.9, f"first name spelt similarly ({a.title()}, {b.title()})"
    return spelt * 0.5, ""


def _last_name_pair(a: str, b: str) -> tuple[float, str]:
    if a == b:
        return 1.0, "same surname"
    if names.sound_alike(a, b):
        return 0.9, f"surname sounds alike ({a.title()}, {b.title()})"
    spelt = similarity(a, b)
    if spelt >= SIMILAR_SPELLING:
        return spelt * 0.9, f"surname spelt similarly ({a.title()}, {b.title()})"
    return spelt * 0.5, ""


def _best_name_evidence(detail: str, a: PersonFacts, b: PersonFacts, compare_pair) -> Evidence | None:
    """The best agreement between any name of one record and any name of the other."""
    part = "first" if detail == "first_name" else "last"
    best: tuple[float, str, str] | None = None
    for name_a in a.names:
        for name_b in b.names:
            value_a, value_b = names.normalise(getattr(name_a, part)), names.normalise(getattr(name_b, part))
            if not value_a or not value_b:
                continue
            agreement, reason = compare_pair(value_a, value_b)
            # Prefer legal names when two pairs agree equally, so the reason is the plainest one.
            rank = (agreement, not (name_a.label or name_b.label))
            if best is None or rank > best[0]:
                best = (rank, reason, _labelled(name_a.label, name_b.label))
    if best is None:
        return None
    (agreement, _), reason, labels = best
    return Evidence(detail, agreement, reason + labels if reason else "")


def _nhs_evidence(a: PersonFacts, b: PersonFacts) -> Evidence | None:
    if not (a.nhs_number and b.nhs_number):
        return None
    if a.nhs_number == b.nhs_number:
        return Evidence("nhs_number", 1.0, "same NHS number")
    return Evidence("nhs_number", 0.0, "different NHS number", contradicts=True)


def _expected_birth_evidence(a: PersonFacts, b: PersonFacts) -> Evidence | None:
    """An unborn child against another unborn child, or against a child born since (near the expected date)."""
    one, other = a.expected_date_of_birth or a.date_of_birth, b.expected_date_of_birth or b.date_of_birth
    if one is None or other is None:
        return None
    if one == other and a.expected_date_of_birth and b.expected_date_of_birth:
        return Evidence("date_of_birth", 1.0, "same expected date of birth")
    if abs((one - other).days) <= 31:
        if a.expected_date_of_birth and b.expected_date_of_birth:
            return Evidence("date_of_birth", 0.6, "expected date of birth within a month")
        return Evidence("date_of_birth", 0.6, "born within a month of the expected date of birth")
    return Evidence("date_of_birth", 0.0, "different expected date of birth", contradicts=True)


def _date_of_birth_evidence(a: PersonFacts, b: PersonFacts) -> Evidence | None:
    if a.expected_date_of_birth or b.expected_date_of_birth:
        return _expected_birth_evidence(a, b)
    if a.date_of_birth is None or b.date_of_birth is None:
        return None
    one, other = a.date_of_birth, b.date_of_birth
    if one == other:
        return Evidence("date_of_birth", 1.0, "same date of birth")
    if one.year == other.year and (one.day, one.month) == (other.month, other.day):
        return Evidence("date_of_birth", 0.6, "date of birth with day and month swapped")
    if abs((one - other).days) <= 31 or (one.year == other.year and one.month == other.month):
        return Evidence("date_of_birth", 0.4, "date of birth within a month")
    return Evidence("date_of_birth", 0.0, "different date of birth", contradicts=True)


def _postcode_evidence(a: PersonFacts, b: PersonFacts) -> Evidence | None:
    if not (a.postcodes and b.postcodes):
        return None
    shared = sorted(a.postcodes & b.postcodes)
    if shared:
        return Evidence("postcode", 1.0, f"same postcode ({shared[0]})")
    districts_a = {postcode.split()[0] for postcode in a.postcodes}
    districts_b = {postcode.split()[0] for postcode in b.postcodes}
    if districts_a & districts_b:
        return Evidence("postcode", 0.4, "same postcode district")
    return Evidence("postcode", 0.0)


def _sex_evidence(a: PersonFacts, b: PersonFacts) -> Evidence | None:
    known = {"M", "F"}
    if a.sex not in known or b.sex not in known:
        return None
    if a.sex == b.sex:
        return Evidence("sex", 1.0)
    return Evidence("sex", 0.0, "different sex recorded", contradicts=True)


def compare(entered: PersonFacts, candidate: PersonFacts) -> Match:
    """Score how likely two records are the same person, with the reasons. Reasons read entered → candidate."""
    evidence = [
        item
        for item in (
            _nhs_evidence(entered, candidate),
            _date_of_birth_evidence(entered, candidate),
            _best_name_evidence("last_name", entered, candidate, _last_name_pair),
            _best_name_evidence("first_name", entered, candidate, _first_name_pair),
            _postcode_evidence(entered, candidate),
            _sex_evidence(entered, candidate),
        )
        if item is not None
    ]
    return Match(score=_score(evidence), evidence=tuple(evidence))


def exact_spelling(name: str) -> str:
    """A name as an exact match compares it: case, spacing and the kind of apostrophe aside, spelt the same.
    Accents count ("Zoe" is not exactly "Zoë"), unlike in `names.normalise`."""
    return " ".join((name or "").replace("\u2019", "'").casefold().split())


def is_exact(entered: PersonFacts, candidate: PersonFacts) -> bool:
    """The same person beyond reasonable doubt, so a record may be linked without anyone choosing.

    Exact means: the same legal first and last name, spelt the same; the same date of birth, the same expected
    date of birth or the same NHS number; and nothing that both records have disagrees (date of birth, expected
    date of birth, NHS number, sex M/F). A known variant, a sound-alike, a known-as name or an alias is never
    exact: a person chooses. An NHS number alone, with a different spelling, is not exact either."""
    mine, theirs = entered.names[0], candidate.names[0]
    if (exact_spelling(mine.first), exact_spelling(mine.last)) != (
            exact_spelling(theirs.first), exact_spelling(theirs.last)) or not exact_spelling(mine.last):
        return False
    pairs = [(entered.date_of_birth, candidate.date_of_birth),
             (entered.expected_date_of_birth, candidate.expected_date_of_birth),
             (entered.nhs_number, candidate.nhs_number)]
    if entered.sex in ("M", "F") and candidate.sex in ("M", "F"):
        pairs.append((entered.sex, candidate.sex))
    both = [(one, other) for one, other in pairs if one and other]
    agreeing_identifier = any(one and one == other for one, other in pairs[:3])
    return agreeing_identifier and all(one == other for one, other in both)


def score(a: PersonFacts, b: PersonFacts) -> float:
    return compare(a, b).score


def _score(evidence: Iterable[Evidence]) -> float:
    available = agreed = 0.0
    for item in evidence:
        available += WEIGHTS[item.detail]
        agreed += WEIGHTS[item.detail] * item.agreement
    if available == 0:
        return 0.0
    return round(MAX_SCORE * agreed / available, 1)


def likely_matches(
    entered: PersonFacts, candidates: Iterable[tuple[object, PersonFacts]]
) -> list[tuple[object, Match]]:
    """The candidates worth showing, best first: (key, match) pairs for the keys given with each candidate."""
    scored = [(key, compare(entered, facts)) for key, facts in candidates]
    likely = [(key, match) for key, match in scored if match.is_likely]
    return sorted(likely, key=lambda pair: pair[1].score, reverse=True)


# Search: why a record answers a name someone typed ---------------------------------------------------


def _searched_name_reasons(first: str, last: str, name: Name) -> tuple[float, list[str]] | None:
    """How well one of a record's names answers the searched first and last name, or None if it does not."""
    record_first, record_last = names.normalise(name.first), names.normalise(name.last)
    last_agreement, last_reason = _last_name_pair(last, record_last) if record_last else (0.0, "")
    if not last_reason:
        return None
    reasons = [last_reason]
    agreement = last_agreement
    if first:
        first_agreement, first_reason = _first_name_pair(first, record_first) if record_first else (0.0, "")
        if not first_reason:
            return None
        reasons.append(first_reason)
        agreement += first_agreement
    label = _labelled(name.label, "")
    return agreement, [reason + label for reason in reasons]


def _searched_first_name_only(word: str, name: Name) -> tuple[float, list[str]] | None:
    record_first = names.normalise(name.first)
    if not record_first:
        return None
    agreement, reason = _first_name_pair(word, record_first)
    if not reason or agreement < 0.85:
        return None
    return agreement, [reason + _labelled(name.label, "")]


def name_search_reasons(first: str, last: str, facts: PersonFacts) -> list[str]:
    """Why a record answers a searched name, in plain English; empty when it does not answer it.

    With a first and last name, both must agree with the same name on the record (legal name, known-as
    name or alias): exactly, as a known variant, by sound or by close spelling. A single word (given as
    `last`, with no `first`) may be the surname or a first name.
    """
    first, last = names.normalise(first), names.normalise(last)
    if not last:
        return []
    found = [_searched_name_reasons(first, last, name) for name in facts.names]
    if not first:
        found += [_searched_first_name_only(last, name) for name in facts.names]
    found = [item for item in found if item is not None]
    if not found:
        return []
    return max(found, key=lambda item: item[0])[1]  # the first best: legal names come first
