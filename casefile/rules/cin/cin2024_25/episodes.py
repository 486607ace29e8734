"""2024-25 rules added or changed in this range (see cin2022_23 for the base)."""

from __future__ import annotations

from casefile.rules.cin.engine import RuleSet

rules = RuleSet()
