"""2024-25 rules added in this range (see cin2022_23 for the base): the retired physical and sexual abuse factors
18A and 19A, now split into child on child (B) and adult on child (C), are queried."""

from __future__ import annotations

from casefile.rules.cin.engine import QUERY, Hit, RuleSet

rules = RuleSet()


def _retired_factor(code: str):
    def check(census):
        for index, row in enumerate(census.rows("Assessments")):
            if code in map(str.upper, row["AssessmentFactors"]):  # stops at the first, as any() would
                yield Hit("Assessments", index)
    return check


rules.rule("8945Q", QUERY, "Please check and either amend data or provide a reason: the assessment factors code "
           "'18A' should not be used ('18B' or '18C' should be used instead)", table="Assessments",
           fields=("AssessmentFactors",))(_retired_factor("18A"))
rules.rule("8950Q", QUERY, "Please check and either amend data or provide a reason: the assessment factors code "
           "'19A' should not be used ('19B' or '19C' should be used instead)", table="Assessments",
           fields=("AssessmentFactors",))(_retired_factor("19A"))
