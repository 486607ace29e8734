"""A medium simulated authority matches England 2024-25 within 2 percentage points.

Every figure is computed here from the database records, with the clocks and working-days packages, the way
the DfE counts it; nothing is read from the generator's own counters. The measure covers the last two
census years (1 April 2024 to 31 March 2026) of the four simulated, so the first two fill the authority's
history first: re-referrals look back 12 months and plans lasting 2 years must have had time to start.
Targets: statutory-rules.md §8 (DfE Children in need 2025, tables C1, C2, C4, D7).
"""

import datetime
import statistics
from collections import defaultdict

import pytest

from casefile.casework import models as cw
from casefile.rules.clocks import ASSESSMENT_CENSUS, INITIAL_CONFERENCE, Clock, State, add_calendar_months
from casefile.rules.working_days import ENGLAND_AND_WALES, working_days_between

END = datetime.date(2026, 3, 31)  # the end of the 2025-26 census year: named, so any day builds the same
START = add_calendar_months(END, -24) + datetime.timedelta(days=1)
WINDOW = (START, END)
TOLERANCE = 0.02
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("simulate_medium")]


def re_referral_rate() -> tuple[float, int]:
    """Referrals in the window made within 12 months of an earlier referral of the same child (DfE C1)."""
    referrals = defaultdict(list)
    for child, day in cw.Episode.objects.values_list("child_id", "referral_date"):
        referrals[child].append(day)
    in_window = [(child, day) for child, days in referrals.items() for day in days if START <= day <= END]
    again = sum(any(add_calendar_months(day, -12) <= earlier < day for earlier in referrals[child])
                for child, day in in_window)
    return again / len(in_window), len(in_window)


def assessments() -> tuple[float, float]:
    """Assessments authorised in the window: share within 45 working days of the start (DfE C2), and median."""
    rows = list(cw.Assessment.objects.filter(authorised_on__range=WINDOW).values_list("start_date", "authorised_on"))
    on_time = [Clock(ASSESSMENT_CENSUS, start, completed_on=end).status(END).state == State.COMPLETED_ON_TIME
               for start, end in rows]
    median = statistics.median(working_days_between(start, end, ENGLAND_AND_WALES) for start, end in rows)
    return sum(on_time) / len(rows), median


def initial_conferences() -> tuple[int, int, float]:
    """Section 47 enquiries started and initial conferences held in the window, and the share of conferences
    within 15 working days of the strategy discussion that started the enquiry (DfE C4)."""
    enquiries = cw.Section47Enquiry.objects.filter(strategy_discussion__date__range=WINDOW).count()
    held = list(cw.Conference.objects.filter(kind="initial", date__range=WINDOW)
                .values_list("enquiry__strategy_discussion__date", "date"))
    on_time = [Clock(INITIAL_CONFERENCE, started, completed_on=day).status(END).state == State.COMPLETED_ON_TIME
               for started, day in held]
    return enquiries, len(held), sum(on_time) / len(held)


def plans_lasting_two_years() -> float:
    """Child protection plans ending in the window that lasted 2 years or more (DfE D7)."""
    ended = list(cw.Plan.objects.filter(kind="cp", end_date__range=WINDOW).values_list("start_date", "end_date"))
    return sum(end >= add_calendar_months(start, 24) for start, end in ended) / len(ended)


def neglect_and_emotional_abuse() -> float:
    """Child protection plans starting in the window under neglect or emotional abuse."""
    categories = list(cw.Plan.objects.filter(kind="cp", start_date__range=WINDOW)
                      .values_list("initial_category", flat=True))
    return sum(category in ("NEG", "EMO") for category in categories) / len(categories)


def measure(result) -> dict[str, float]:
    """Measure the medium authority as the DfE counts (conftest.medium_authority_measures)."""
    re_referrals, referrals = re_referral_rate()
    within_45, median = assessments()
    enquiries, conferences, icpc_on_time = initial_conferences()
    return {
        "referrals": referrals, "re_referrals": re_referrals, "assessments_within_45": within_45,
        "assessment_median": median, "s47_per_referral": enquiries / referrals,
        "icpc_per_s47": conferences / enquiries, "icpc_within_15": icpc_on_time,
        "plans_two_years_or_more": plans_lasting_two_years(), "neglect_or_emotional": neglect_and_emotional_abuse(),
    }


@pytest.fixture
def england(medium_authority_measures) -> dict[str, float]:
    return medium_authority_measures["england"]


@pytest.mark.parametrize(("measure", "target"), [
    ("re_referrals", 0.226),
    ("assessments_within_45", 0.857),
    ("s47_per_referral", 230_590 / 632_830),  # 36.4 per 100 referrals
    ("icpc_per_s47", 72_100 / 230_590),  # 31.3%
    ("icpc_within_15", 0.814),
    ("plans_two_years_or_more", 0.044),
    ("neglect_or_emotional", 0.85),  # approximate: about half neglect and a third emotional abuse
])
def test_a_medium_authority_matches_england_within_2_percentage_points(england, measure, target):
    assert abs(england[measure] - target) <= TOLERANCE, f"{measure}: {england[measure]:.3f}, England {target:.3f}"


def test_the_median_assessment_takes_33_working_days_give_or_take_2(england):
    assert abs(england["assessment_median"] - 33) <= 2


def test_the_measure_covers_thousands_of_referrals(england):
    assert 4_500 <= england["referrals"] <= 5_500
