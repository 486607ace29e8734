"""2023-24: rule 1530 (the UPN's LA code) replaced."""

from casefile.rules.cin.engine import RuleSet

rules = RuleSet()
RULESETS = (rules,)
