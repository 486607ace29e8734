"""2024-25 rules added or changed in this range (see cin2022_23 for the base): the LA child ID's length and
characters (1570, 1580), and Sex (M, F, U) in place of GenderCurrent (2886Q, 4180)."""

from __future__ import annotations

from casefile.rules.cin.cin2022_23.identifiers import CHECK, code_rule, no_sex_rule
from casefile.rules.cin.engine import ERROR, QUERY, Hit, RuleSet
from casefile.rules.codes import SEX

rules = RuleSet()


@rules.rule("1570", ERROR, "LA Child ID must not be longer than 20 characters", table="ChildIdentifiers",
            fields=("LAchildID",))
def _(census):
    for index, row in enumerate(census.rows("ChildIdentifiers")):
        if row.get("LAchildID") and len(row["LAchildID"]) > 20:
            yield Hit("ChildIdentifiers", index)


@rules.rule("1580", ERROR, "LA Child ID must not contain any non-alphanumeric characters", table="ChildIdentifiers",
            fields=("LAchildID",))
def _(census):
    for index, row in enumerate(census.rows("ChildIdentifiers")):
        if row.get("LAchildID") and not row["LAchildID"].isalnum():
            yield Hit("ChildIdentifiers", index)


rules.rule("2886Q", QUERY, CHECK + "Percentage of children with no sex recorded is more than 2% (excluding unborns)",
           table="ChildIdentifiers", fields=("Sex",))(no_sex_rule("Sex", frozenset({"U"})))
rules.rule("4180", ERROR, "Sex must be provided and equal M, F, or U", table="ChildIdentifiers", fields=("Sex",))(
    code_rule("ChildIdentifiers", "Sex", SEX))
