"""2023-24: rule 1530 (the UPN's LA code) replaced: LA codes 942 and 943 became valid."""

from casefile.rules.cin.cin2022_23.identifiers import la_codes, upn_la_code_rule
from casefile.rules.cin.engine import ERROR, RuleSet

rules = RuleSet()

rules.rule("1530", ERROR, "UPN invalid (characters 2-4 not a recognised LA code)", table="ChildIdentifiers",
           fields=("UPN",))(upn_la_code_rule(la_codes(942, 943)))

RULESETS = (rules,)
