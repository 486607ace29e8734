"""How the record becomes a CIN census return, without the database: the census year, what falls in it, and the
rows of each table from plain values (casefile/returns/census.py reads the record and calls these).

The census year runs from 1 April to 31 March (the reference date). A return is what was known on the reference
date: anything dated after it is left out, so a case closed on 2 April is open on the return, and a plan ended
after 31 March has no end date there. Codes are the record's own (casefile/rules/codes.py follows the census).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from bisect import bisect_left
from collections.abc import Iterable

from casefile.rules import codes

# Ethnicity not recorded is "information not yet obtained" on the return (the census code for exactly that).
ETHNICITY_NOT_OBTAINED = "NOBT"
# S47 outcomes after which no initial conference is convened: the enquiry's own finding that it is not required.
NO_CONFERENCE_OUTCOMES = frozenset({"not_substantiated", "substantiated_not_at_risk"})
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


class UnknownYear(ValueError):
    """A census year that is not written "2025-26" or that Casefile has no schema for."""


@dataclasses.dataclass(frozen=True)
class CensusYear:
    """A census year: 1 April to 31 March (the reference date), named "2025-26"."""

    start: datetime.date
    reference_date: datetime.date

    @classmethod
    def parse(cls, year: str) -> CensusYear:
        match = _YEAR.match(year or "")
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise UnknownYear(f"{year!r} is not a census year: write it as 2025-26 (the year ending 31 March 2026).")
        first = int(match[1])
        return cls(datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31))

    @property
    def name(self) -> str:
        return f"{self.start.year}-{self.reference_date.year % 100:02d}"

    def known(self, day: datetime.date | None) -> datetime.date | None:
        """A date as the return knows it: left out when it is after the reference date."""
        return day if day is not None and day <= self.reference_date else None

    def within(self, day: datetime.date | None) -> bool:
        return day is not None and self.start <= day <= self.reference_date

    def overlaps(self, start: datetime.date | None, end: datetime.date | None) -> bool:
        """Something running from start to end (None: still running) was open at some time in the year."""
        return start is not None and start <= self.reference_date and (end is None or end >= self.start)


def year_in_progress(today: datetime.date) -> CensusYear:
    """The census year today falls in: on 4 December 2026, 2026-27 (1 April 2026 to 31 March 2027)."""
    first = today.year if today >= datetime.date(today.year, 4, 1) else today.year - 1
    return CensusYear.parse(f"{first}-{(first + 1) % 100:02d}")


def latest_complete_year(today: datetime.date) -> str:
    """The last census year whose reference date has passed: on 3 December 2026, "2025-26"."""
    end = today.year if today >= datetime.date(today.year, 3, 31) else today.year - 1
    return f"{end - 1}-{end % 100:02d}"


def sex(recorded: str, unborn: bool) -> str:
    """M, F or U: an unborn child is always U (rule 8750), and so is a sex not recorded."""
    if unborn or recorded not in (codes.SEX_MALE, codes.SEX_FEMALE):
        return codes.SEX_UNKNOWN
    return recorded


def previous_plans(starts: Iterable[datetime.date], start: datetime.date) -> int:
    """NumberOfPreviousCPP: the child's child protection plans that started before this one, from the record."""
    ordered = sorted(starts)
    return bisect_left(ordered, start)


def icpc_not_required(recorded: bool, outcome: str, conference: datetime.date | None) -> bool:
    """ICPCnotRequired: recorded as not required, or the enquiry's outcome convenes none. An enquiry that led to a
    conference never says it was not required (rule 8868 reads the two together)."""
    if conference is not None:
        return False
    return bool(recorded) or outcome in NO_CONFERENCE_OUTCOMES


def enquiry_in_year(year: CensusYear, start: datetime.date, conference: datetime.date | None,
                    not_required: bool) -> bool:
    """A section 47 enquiry is returned when it started in the year, its initial conference was in it, or it
    was still waiting for its conference at the start of the year."""
    if start > year.reference_date:
        return False
    if year.within(start) or year.within(conference):
        return True
    return conference is None and not not_required


def assessment_in_year(year: CensusYear, start: datetime.date, authorised: datetime.date | None) -> bool:
    """An assessment is returned when it was authorised in the year or was still open at its end."""
    if start > year.reference_date:
        return False
    authorised = year.known(authorised)
    return authorised is None or authorised >= year.start
