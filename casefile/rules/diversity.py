"""Who is at each stage, by ethnicity, religion, disability and sex, against the authority's child population
(issue 12, item 5), with how often each is not recorded. Plain rows in, plain numbers out: no Django.

The children are a mapping of child id to their recorded characteristics (`ethnicity`: a CIN census code;
`religion`: as typed; `disabled`: True, False or None for not recorded; `sex`: M, F or U). A stage is the set of
children at it (from a journey's stages, a list of children on plans, ...). The population is entered as data:
for each characteristic, the number of the authority's children in each category; none is shipped, since no
figure has been read from a published source yet (the ONS Census 2021 tables by local authority are the source
to load).

Shares are of the children whose characteristic is recorded; the missing count and rate sit beside them, so a
share never hides how much of the stage it speaks for. The ratio is the stage's share over the population's:
above 1, a group is over-represented at that stage.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping
from numbers import Real
from operator import attrgetter

from casefile.rules import codes

CHARACTERISTICS = ("ethnic_group", "ethnicity", "religion", "disability", "sex")
LABELS = {"ethnic_group": "Ethnic group", "ethnicity": "Ethnicity", "religion": "Religion",
          "disability": "Disability", "sex": "Sex"}

# The CIN census codes by broad group (the first letter of the code: White, Mixed, Asian, Black), with Chinese,
# any other group and refusals as their own. Not yet obtained is not recorded.
ETHNIC_GROUPS = {"W": "White", "M": "Mixed or multiple ethnic groups", "A": "Asian or Asian British",
                 "B": "Black or Black British"}
ETHNICITY_NOT_RECORDED = {"NOBT", ""}


def _ethnic_group(code: str) -> str | None:
    if code in ETHNICITY_NOT_RECORDED:
        return None
    if code == "CHNE":
        return "Chinese"
    if code == "OOTH":
        return "Any other ethnic group"
    if code == "REFU":
        return "Refused"
    return ETHNIC_GROUPS.get(code[:1])


# The field of a child's row each characteristic is read from: its category depends on that field alone.
SOURCES = {"ethnic_group": "ethnicity", "ethnicity": "ethnicity", "religion": "religion", "disability": "disabled",
           "sex": "sex"}
_UNRECORDED: Mapping = {}


def category(characteristic: str, child: Mapping) -> str | None:
    """The child's category for a characteristic, or None when it is not recorded."""
    if characteristic in ("ethnic_group", "ethnicity"):
        code = (child.get("ethnicity") or "").strip().upper()
        if characteristic == "ethnic_group":
            return _ethnic_group(code)
        return None if code in ETHNICITY_NOT_RECORDED else codes.ETHNICITY.get(code, code)
    if characteristic == "religion":
        religion = " ".join((child.get("religion") or "").split())
        return religion.capitalize() if religion else None
    if characteristic == "disability":
        disabled = child.get("disabled")
        return None if disabled is None else ("Disabled" if disabled else "Not disabled")
    if characteristic == "sex":
        sex = child.get("sex")
        return {codes.SEX_MALE: "Male", codes.SEX_FEMALE: "Female"}.get(sex)
    raise ValueError(f"characteristic: expected one of {', '.join(CHARACTERISTICS)}, got {characteristic!r}")


@dataclasses.dataclass(frozen=True)
class Share:
    category: str
    count: int
    share: float | None  # percent of the stage's children with the characteristic recorded
    population: int | None
    population_share: float | None  # percent of the population given for the characteristic
    children: frozenset

    @property
    def ratio(self) -> float | None:
        """The stage's share over the population's: above 1, over-represented at this stage."""
        if self.share is None or not self.population_share:
            return None
        return self.share / self.population_share


@dataclasses.dataclass(frozen=True)
class Breakdown:
    characteristic: str
    stage: str
    total: int
    missing_count: int
    shares: tuple[Share, ...]  # the stage's categories, then any others in the population, largest first
    # The children whose characteristic is not recorded; empty when only the counts were kept (from_counts).
    missing: frozenset = frozenset()

    @property
    def missing_rate(self) -> float | None:
        return 100 * self.missing_count / self.total if self.total else None


def check_population(population: Mapping[str, Mapping[str, object]]) -> None:
    """Refuse a population figure that is not a whole number of children of 0 or more, naming it."""
    for characteristic, counts in population.items():
        if characteristic not in CHARACTERISTICS:
            raise ValueError(f"population: {characteristic!r} is not a characteristic "
                             f"({', '.join(CHARACTERISTICS)})")
        for name, value in counts.items():
            if isinstance(value, bool) or not isinstance(value, Real) or value != value or value < 0 \
                    or int(value) != value:
                raise ValueError(f"population, {LABELS[characteristic].lower()}, {name}: expected a number of "
                                 f"children of 0 or more, got {value!r}")


def _breakdown(characteristic: str, stage: str, total: int, counted: Mapping[str, int],
               population: Mapping[str, Mapping[str, int]], children: Mapping[str, frozenset] | None = None,
               missing: frozenset = frozenset()) -> Breakdown:
    """A breakdown from how many children at the stage are in each category (`children`: which, when known)."""
    recorded = sum(counted.values())
    in_population = Counter({name: int(value) for name, value in population.get(characteristic, {}).items()})
    population_total = sum(in_population.values())
    names = sorted(counted, key=lambda name: (-counted[name], name)) + sorted(
        name for name in in_population if name not in counted)
    shares = tuple(Share(
        category=name, count=counted.get(name, 0),
        share=100 * counted.get(name, 0) / recorded if recorded else None,
        population=in_population[name] if name in in_population else None,
        population_share=100 * in_population[name] / population_total if population_total and name in in_population
        else None,
        children=(children or {}).get(name, frozenset()),
    ) for name in names)
    return Breakdown(characteristic, stage, total, total - recorded, shares, missing)


def breakdown(children: Mapping, stage: str, at_stage: Iterable, characteristic: str,
              population: Mapping[str, Mapping[str, int]] | None = None) -> Breakdown:
    """One characteristic at one stage. A child at the stage with no row in `children` counts as not recorded."""
    population = population or {}
    check_population(population)
    if characteristic not in SOURCES:
        category(characteristic, {})  # refused, naming the characteristic
    source = SOURCES[characteristic]
    everyone = set(at_stage)
    # The children by the value recorded, then each value's category worked out once: a stage of a large authority
    # is a hundred thousand children and a few dozen values.
    by_value: dict[object, list] = {}
    for child in everyone:
        by_value.setdefault(children.get(child, _UNRECORDED).get(source), []).append(child)
    counted: dict[str, set] = {}
    missing = set()
    for value, ids in by_value.items():
        found = category(characteristic, {source: value})
        if found is None:
            missing.update(ids)
        else:
            counted.setdefault(found, set()).update(ids)
    return _breakdown(characteristic, stage, len(everyone), {name: len(ids) for name, ids in counted.items()},
                      population, {name: frozenset(ids) for name, ids in counted.items()}, frozenset(missing))


def representation(children: Mapping, stages: Mapping[str, Iterable],
                   population: Mapping[str, Mapping[str, int]] | None = None,
                   characteristics: Iterable[str] = CHARACTERISTICS) -> list[Breakdown]:
    """Every characteristic at every stage, in the stages' order."""
    population = population or {}
    check_population(population)
    return [breakdown(children, stage, at_stage, characteristic, population)
            for characteristic in characteristics for stage, at_stage in stages.items()]


# Counts kept without the children ---------------------------------------------------------------------------------
# The performance figures kept for a large authority (insight/figures.py) keep how many children are in each
# category at each stage, not which: enough for the diversity page, in a few kilobytes a scope and period.


def categories_of(children: Mapping) -> dict:
    """Each child's category for every characteristic, in CHARACTERISTICS order (None: not recorded), worked out
    once however many stages, periods and scopes then count them."""
    return {child: tuple(category(characteristic, row) for characteristic in CHARACTERISTICS)
            for child, row in children.items()}


def counts(categories: Mapping, stages: Mapping[str, Iterable]) -> dict[str, dict[str, list]]:
    """How many children at each stage are in each category of each characteristic:
    {characteristic: {stage: [children at the stage, {category: children}]}}. A child with no categories counts as
    not recorded, as in `breakdown`."""
    unknown = (None,) * len(CHARACTERISTICS)
    found: dict[str, dict[str, list]] = {characteristic: {} for characteristic in CHARACTERISTICS}
    for stage, at_stage in stages.items():
        everyone = set(at_stage)
        tallies = [Counter() for _ in CHARACTERISTICS]
        for child in everyone:
            for tally, name in zip(tallies, categories.get(child, unknown), strict=True):
                if name is not None:
                    tally[name] += 1
        for characteristic, tally in zip(CHARACTERISTICS, tallies, strict=True):
            found[characteristic][stage] = [len(everyone), dict(tally)]
    return found


def from_counts(kept: Mapping[str, Mapping[str, list]], population: Mapping[str, Mapping[str, int]] | None = None,
                characteristics: Iterable[str] = CHARACTERISTICS) -> list[Breakdown]:
    """`representation` from kept counts: the same shares and missing rates, without the children behind them."""
    population = population or {}
    check_population(population)
    # In the stages' order, whatever order the keys came back in (PostgreSQL's jsonb keeps its own).
    order = {stage: index for index, (stage, _) in enumerate(STAGES)}
    return [_breakdown(characteristic, stage, *kept[characteristic][stage], population)
            for characteristic in characteristics
            for stage in sorted(kept[characteristic], key=lambda stage: order.get(stage, len(order)))]


# The stages of a period, from the indicators' rows ------------------------------------------------------------

STAGES = (
    ("contacts", "Contacts"),
    ("referrals", "Referrals"),
    ("assessments", "Assessments started"),
    ("enquiries", "Section 47 enquiries started"),
    ("cp_plans", "Child protection plans started"),
    ("cin_plans", "Child in need plans started"),
)
STAGE_LABELS = dict(STAGES)
# The table each stage is read from (rules/indicators/core.py TABLE_FIELDS), dated in the period.
STAGE_TABLES = {"contacts": "contacts", "referrals": "episodes", "assessments": "assessments",
                "enquiries": "enquiries", "cp_plans": "plans", "cin_plans": "plans"}


def reads(only: str | None = None) -> dict[str, int]:
    """What the stages read (rules.indicators.core.window): each table from the period's start, no further back;
    `only` one stage's."""
    return {STAGE_TABLES[stage]: 0 for stage in ([only] if only else STAGE_TABLES)}


def stages(cohort, period) -> dict[str, frozenset]:
    """The children at each stage in the period, from an indicators `Cohort` (rules/indicators/core.py): those with
    a contact received, a referral, an assessment started, a section 47 enquiry started, or a child protection or
    child in need plan started, dated in the period. Children looked after are not in the record."""
    start, end = period.start, period.end

    def dated(table: str, day: str, kind: str | None = None) -> frozenset:
        # A year's contacts on a large authority are a hundred thousand rows: compared inline, not through calls.
        on = attrgetter(day)
        return frozenset(row.child for row in cohort.table(table) if (when := on(row)) is not None
                         and start <= when <= end and (kind is None or row.kind == kind))

    return {
        "contacts": dated("contacts", "date"),
        "referrals": dated("episodes", "referral_date"),
        "assessments": dated("assessments", "start_date"),
        "enquiries": dated("enquiries", "start_date"),
        "cp_plans": dated("plans", "start_date", "cp"),
        "cin_plans": dated("plans", "start_date", "cin"),
    }
