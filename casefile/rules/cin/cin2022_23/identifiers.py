"""Rules 100 to 4220: the header, identifiers (LA child ID, UPN, dates of birth and death, sex) and the
checks across a child's episodes (one open episode, overlaps)."""

from __future__ import annotations

import datetime

from casefile.rules.cin.engine import ERROR, Hit, RuleSet

rules = RuleSet()


@rules.rule("100", ERROR, "Reference Date is incorrect", table="Header", fields=("ReferenceDate",))
def _(census):
    header = census.header
    year = header.get("Year")
    expected = datetime.date(int(year), 3, 31) if isinstance(year, str) and year.isdigit() else None
    reference = header.get("ReferenceDate")
    if reference is None or reference != expected:
        yield Hit("Header", 0)
