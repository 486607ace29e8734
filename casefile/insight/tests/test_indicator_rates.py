"""On the medium simulated authority, the clinic's indicators (read by insight/cohort.py, computed by
casefile/rules/indicators) equal the rates the simulator was drawn at, within 2 percentage points (issue 12, "Done
when"), over the same two census years demo/tests/test_simulate_rates.py measures with its own queries; and where
that test counts the same thing the DfE's way, the two agree exactly, so the indicators and the simulator's own
check cannot both be wrong the same way.

The authority is built once per test process (conftest.medium_authority_measures) and measured here by `measure`.
"""

import pytest

from casefile.demo.tests.test_simulate_rates import END, START
from casefile.insight import cohort
from casefile.rules.indicators import INDICATORS, Period

TOLERANCE_POINTS = 2.0
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("simulate_medium")]

# The rate each indicator was drawn at (casefile/demo/simulate/config.py, England 2024-25), in percent.
DRAWN_AT = {
    "re_referrals": 22.6,  # C1
    "assessments_within_45_working_days": 85.7,  # C2
    "icpc_within_15_working_days": 81.4,  # C4
    "plans_ending_after_2_years": 4.4,  # D7
}
# The same measure in test_simulate_rates (a fraction there).
SAME_AS = {"re_referrals": "re_referrals", "assessments_within_45_working_days": "assessments_within_45",
           "icpc_within_15_working_days": "icpc_within_15", "plans_ending_after_2_years": "plans_two_years_or_more"}


def measure(result) -> dict[str, dict]:
    """The indicators over the two census years to END, as the clinic computes them."""
    record = cohort.load(END)
    period = Period(START, END)
    found = {}
    for code in DRAWN_AT:
        figure = INDICATORS[code](record, period)
        found[code] = {"value": figure.value, "numerator": figure.numerator, "denominator": figure.denominator}
    return found


@pytest.fixture
def measured(medium_authority_measures) -> tuple[dict, dict]:
    return medium_authority_measures["indicators"], medium_authority_measures["england"]


@pytest.mark.parametrize("code", sorted(DRAWN_AT))
def test_each_indicator_on_a_medium_authority_is_within_2_points_of_the_rate_drawn(measured, code):
    indicators, _ = measured
    figure = indicators[code]
    assert figure["denominator"] and figure["denominator"] >= 50, f"{code}: too few to measure ({figure})"
    assert abs(figure["value"] - DRAWN_AT[code]) <= TOLERANCE_POINTS, \
        f"{code}: {figure['value']:.1f}%, drawn at {DRAWN_AT[code]}%"


@pytest.mark.parametrize("code", sorted(SAME_AS))
def test_each_indicator_equals_the_simulators_own_check(measured, code):
    indicators, england = measured
    assert indicators[code]["value"] == pytest.approx(100 * england[SAME_AS[code]], abs=1e-9)
