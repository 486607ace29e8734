"""CIN census rules, rule sets and yearly rule packs.

A rule is a function over a `Census` that yields a `Hit` for each row that breaks it; the engine turns hits into
`Issue`s a person can act on (child, table, fields, the value as written, rule code and message).

    rules = RuleSet()

    @rules.rule("8500", ERROR, "LA Child ID must be present", table="ChildIdentifiers", fields=("LAchildID",))
    def _(census):
        for index, row in enumerate(census.rows("ChildIdentifiers")):
            if not row["LAchildID"]:
                yield Hit("ChildIdentifiers", index)

A census year is a `Pack`: the previous year's rules, with this year's added or replaced (same code) and the
retired ones removed, so a new year is one self-contained addition (see packs.py).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence

from casefile.rules.cin.census import Census
from casefile.rules.memory import cycle_collector_paused

ERROR = "error"
QUERY = "query"


@dataclasses.dataclass(frozen=True)
class Hit:
    """A row that breaks a rule: `table` and the row's index in it. `fields` defaults to the rule's own."""

    table: str
    index: int
    fields: tuple[str, ...] | None = None


@dataclasses.dataclass(frozen=True)
class Issue:
    code: str
    kind: str
    message: str
    child: str | None  # LAchildID; None for a problem with the return as a whole (its header)
    table: str
    fields: tuple[str, ...]
    row: int
    value: str  # the flagged values as written in the return, joined by ", "

    @property
    def is_error(self) -> bool:
        return self.kind == ERROR


Check = Callable[[Census], Iterable[Hit]]


@dataclasses.dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    message: str
    table: str
    fields: tuple[str, ...]
    check: Check

    def issues(self, census: Census) -> Iterator[Issue]:
        for hit in self.check(census):
            row = census.rows(hit.table)[hit.index]
            fields = hit.fields or self.fields
            child = None if hit.table == "Header" else row.get("LAchildID")
            yield Issue(self.code, self.kind, self.message, child, hit.table, fields, hit.index,
                        ", ".join(_text(row.get(field)) for field in fields))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return " ".join(value)
    return str(value)


class RuleSet:
    """The rules one module defines, in the order written."""

    def __init__(self) -> None:
        self.rules: dict[str, Rule] = {}

    def rule(self, code: str, kind: str, message: str, *, table: str, fields: Sequence[str]):
        if kind not in (ERROR, QUERY):
            raise ValueError(f"rule {code}: kind must be ERROR or QUERY")

        def register(check: Check) -> Check:
            if code in self.rules:
                raise ValueError(f"rule {code} is defined twice")
            self.rules[code] = Rule(code, kind, message, table, tuple(fields), check)
            return check
        return register


@dataclasses.dataclass(frozen=True)
class Pack:
    """The rules of one census year: `year` is "2025-26" (the return made on 31 March 2026)."""

    year: str
    parent: Pack | None = None
    add: Sequence[RuleSet] = ()
    remove: frozenset[str] = frozenset()
    # The child's sex element: GenderCurrent until 2023-24, Sex from 2024-25.
    sex_element: str | None = None

    @property
    def rules(self) -> dict[str, Rule]:
        rules = dict(self.parent.rules) if self.parent else {}
        for ruleset in self.add:
            rules.update(ruleset.rules)
        for code in self.remove:
            rules.pop(code)
        return rules

    @property
    def sex(self) -> str:
        if self.sex_element:
            return self.sex_element
        return self.parent.sex if self.parent else "GenderCurrent"

    def validate(self, census: Census) -> list[Issue]:
        """Every issue in the return, rule by rule in code order."""
        issues: list[Issue] = []
        with cycle_collector_paused():
            for rule in sorted(self.rules.values(), key=lambda r: _code_order(r.code)):
                issues.extend(rule.issues(census))
        return issues


def _code_order(code: str) -> tuple[int, str]:
    digits = "".join(ch for ch in code if ch.isdigit())
    return int(digits or 0), code
