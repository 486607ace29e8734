"""The 2022-23 rules: the base every later year inherits (105 rules in the community validator)."""

from casefile.rules.cin.cin2022_23 import episodes, identifiers, plans

RULESETS = (identifiers.rules, episodes.rules, plans.rules)
