"""2024-25: Sex (M, F, U) replaces GenderCurrent; rules 1570, 1580, 8945Q and 8950Q added; 2886Q, 4180, 8750
and 8770Q changed."""

from casefile.rules.cin.cin2024_25 import episodes, identifiers, plans

RULESETS = (identifiers.rules, episodes.rules, plans.rules)
