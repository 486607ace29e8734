"""Rules 8790 to 8940: disabilities, closure, child protection plans and their reviews, and code lists."""

from __future__ import annotations

from casefile.rules.cin.engine import RuleSet

rules = RuleSet()
