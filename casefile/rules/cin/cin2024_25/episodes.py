"""2024-25 rules changed in this range (see cin2022_23/episodes.py for the base): 8750 reads Sex (U for an unborn
child) instead of GenderCurrent, and 8770Q asks for a UPN from the school year a child turns five in."""

from __future__ import annotations

from casefile.rules import codes
from casefile.rules.cin.cin2022_23.episodes import school_age_without_upn, shifted, unborn_without
from casefile.rules.cin.engine import ERROR, QUERY, RuleSet

rules = RuleSet()


@rules.rule("8750", ERROR, "Sex must equal U for an unborn child", table="ChildIdentifiers",
            fields=("Sex", "PersonBirthDate", "ExpectedPersonBirthDate"))
def _(census):
    yield from unborn_without(census, "Sex", codes.SEX_UNKNOWN)


@rules.rule("8770Q", QUERY, "Please check and either amend data or provide a reason: UPN is missing or reason UPN is "
            "missing or is UN1 for a child who is of school age.", table="ChildIdentifiers",
            fields=("UPN", "UPNunknown"))
def _(census):
    # Of school age: born on or before 31 August six years before the August after the reference date (the
    # community validator's reference date plus 4 months and 31 days, less 6 years).
    if census.reference_date is not None:
        yield from school_age_without_upn(census, shifted(shifted(census.reference_date, months=4, days=31),
                                                          years=-6))
