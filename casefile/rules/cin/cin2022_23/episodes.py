"""Rules 8500 to 8775Q: child characteristics, referrals, assessments, CIN plans and section 47 enquiries."""

from __future__ import annotations

from casefile.rules.cin.engine import ERROR, Hit, RuleSet

rules = RuleSet()


@rules.rule("8500", ERROR, "LA Child ID missing", table="ChildIdentifiers", fields=("LAchildID",))
def _(census):
    for index, row in enumerate(census.rows("ChildIdentifiers")):
        if not row["LAchildID"]:
            yield Hit("ChildIdentifiers", index)
