"""A page showing one figure reads only the rows that figure needs (`cohort.load(end, reads)`, each indicator's
`reads`); the oracle is the whole record. On the medium simulated authority, every indicator, for the whole
authority, a team and a worker, in a census year, a month and a year four years back, gives exactly the same
figure and the same records behind it from the narrowed read as from the whole one; so do the diversity stages and
the journey's stages (insight/journeys.py: the children behind each outcome).

The authority is built once per test process (conftest.medium_authority_measures) and measured here by `measure`.
"""

import datetime

import pytest
from django.db.models import Count

from casefile.casework.models import Allocation
from casefile.demo.tests.test_simulate_rates import END
from casefile.insight import clinic, cohort, journeys
from casefile.rules import diversity
from casefile.rules import journeys as journey_rules
from casefile.rules.indicators import INDICATOR_LIST, Period
from casefile.rules.indicators.core import window

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("simulate_medium")]

PERIODS = (Period.census_year("2025-26"), Period(datetime.date(2025, 11, 1), datetime.date(2025, 11, 30)),
           Period.census_year("2021-22"))


def _scopes() -> dict[str, clinic.Scope]:
    busiest = (Allocation.objects.filter(end_date__isnull=True).values("team_id", "worker_id")
               .annotate(held=Count("pk")).order_by("-held", "team_id", "worker_id").first())
    return {"authority": clinic.Scope(), "team": clinic.Scope(team_ids=frozenset({busiest["team_id"]})),
            "worker": clinic.Scope(worker_id=busiest["worker_id"])}


def _same(result) -> tuple:
    return (result.value, result.numerator, result.denominator, tuple(result.numerator_items),
            tuple(result.denominator_items), result.no_figure)


def _outcomes(stage) -> list:
    """A journey stage's outcomes, each with the things and children in it (in any order: rows are read unordered)."""
    return [(branch.code, sorted(branch.ids), branch.children) for branch in stage.branches]


def measure(result) -> dict:
    """Where a narrowed read differs from the whole record, and how many rows each read."""
    whole = cohort.load(END)
    loads: dict = {}
    differences, figures, clinics, stages = [], 0, 0, []
    rows = {"whole": sum(len(getattr(whole, table)) for table in cohort.TABLES), "narrowed": [],
            "allocations": len(whole.allocations)}
    for name, scope in _scopes().items():
        held = cohort.load(END, held_by=scope.held_by())  # every table, a team's or worker's allocations only
        rows[f"{name}_allocations"] = len(held.allocations)
        # A clinic: every figure over all its periods from one read, each table as far back as any figure needs.
        every = cohort.load(END, clinic.reads_every(PERIODS, scope), held_by=scope.held_by())
        clinics += 1
        for from_part, from_whole in zip(clinic.figures(every, PERIODS, scope), clinic.figures(whole, PERIODS, scope),
                                         strict=True):
            if list(map(_same, from_part.trend)) != list(map(_same, from_whole.trend)):
                differences.append(f"clinic, {from_part.indicator.code}, {name}")
        for period in PERIODS:
            for indicator in INDICATOR_LIST:
                needs = clinic.reads(indicator, period, scope)
                key = (name, *sorted(needs.items(), key=str))
                if key not in loads:
                    loads[key] = cohort.load(END, needs, held_by=scope.held_by())
                    rows["narrowed"].append(sum(len(getattr(loads[key], table)) for table in needs))
                expected = _same(clinic.result(whole, period, scope, indicator))
                figures += 1
                if _same(clinic.result(loads[key], period, scope, indicator)) != expected:
                    differences.append(f"{indicator.code}, {name}, {period.name}")
                if _same(clinic.result(held, period, scope, indicator)) != expected:
                    differences.append(f"{indicator.code}, {name}, {period.name}, every table")
            for stage in diversity.STAGE_TABLES:
                needs = scope.reads(window(diversity.reads(stage), period))
                narrowed = cohort.load(END, needs, held_by=scope.held_by())
                if (diversity.stages(scope.part(narrowed, period), period)[stage]
                        != diversity.stages(scope.part(whole, period), period)[stage]):
                    differences.append(f"diversity {stage}, {name}, {period.name}")
            whole_journey = journey_rules.journey(scope.part(whole, period), period)
            for code in journey_rules.STAGE_READS:
                from_whole = whole_journey.stage(code)
                stages.append((code, name, period.name, sum(1 for branch in from_whole.branches if branch.ids)))
                if _outcomes(journeys.stage(scope, period, code)) != _outcomes(from_whole):
                    differences.append(f"journey {code}, {name}, {period.name}")
    return {"differences": differences, "figures": figures, "clinics": clinics, "rows": rows, "stages": stages,
            "nonempty": sum(bool(_same(clinic.result(whole, PERIODS[0], clinic.Scope(), i))[1])
                            for i in INDICATOR_LIST)}


@pytest.fixture
def measured(medium_authority_measures) -> dict:
    return medium_authority_measures["narrowed"]


def test_every_figure_read_narrowly_equals_the_figure_from_the_whole_record(measured):
    assert measured["figures"] == 3 * len(PERIODS) * len(INDICATOR_LIST)
    assert measured["clinics"] == 3
    # The medium authority has something to count for nearly every indicator, so the comparison is not of empties.
    assert measured["nonempty"] >= len(INDICATOR_LIST) - 2
    assert measured["differences"] == []


def test_a_narrowed_read_reads_fewer_rows_than_the_whole_record(measured):
    assert max(measured["rows"]["narrowed"]) < measured["rows"]["whole"] / 2
    # A worker's allocations alone are a small part of every allocation.
    assert measured["rows"]["worker_allocations"] < measured["rows"]["allocations"] / 10


def test_every_journey_stage_read_narrowly_equals_the_stage_of_the_whole_record(measured):
    assert len(measured["stages"]) == 3 * len(PERIODS) * len(journey_rules.STAGE_READS)
    # Each stage of the authority's census year has something in at least two of its outcomes: not a comparison
    # of empties.
    census_year = PERIODS[0].name
    assert all(outcomes >= 2 for code, scope, period, outcomes in measured["stages"]
               if scope == "authority" and period == census_year), measured["stages"]
    assert not [found for found in measured["differences"] if found.startswith("journey")]
