"""Each indicator on a small hand-built cohort, with the expected figure worked out in the comments.

Dates are fixed; nothing reads the clock. Working days are England and Wales: the bank holidays used are
Good Friday 18 April 2025, Easter Monday 21 April 2025, 5 May 2025, 26 May 2025, 25 and 26 December 2025 and
1 January 2026. The period is the census year 2025-26 (1 April 2025 to 31 March 2026) unless a test says otherwise.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from casefile.rules.indicators import (
    INDICATORS,
    ROWS,
    Body,
    Cohort,
    Period,
    Settings,
    Unit,
    by_group,
    census_years,
    months,
    over_periods,
)

YEAR = Period.census_year("2025-26")


def run(code: str, cohort: Cohort, period: Period = YEAR, settings: Settings | None = None):
    indicator = INDICATORS[code]
    return indicator(cohort, period, settings) if settings else indicator(cohort, period)


def ids(items) -> list:
    return sorted(item.id for item in items)


# The period and the inputs ---------------------------------------------------------------------------------


def test_the_census_year_runs_from_1_april_to_31_march():
    assert (YEAR.start, YEAR.end) == (date(2025, 4, 1), date(2026, 3, 31))


def test_the_workforce_year_and_monthly_periods():
    assert Period.year_to(date(2024, 9, 30)) == Period(date(2023, 10, 1), date(2024, 9, 30))
    assert [(p.start, p.end) for p in months(date(2024, 1, 31), date(2024, 2, 1))] == [
        (date(2024, 1, 1), date(2024, 1, 31)), (date(2024, 2, 1), date(2024, 2, 29))]
    with pytest.raises(ValueError, match="^last: "):
        months(date(2024, 2, 1), date(2024, 1, 1))
    with pytest.raises(ValueError, match="^last: "):
        census_years("2025-26", "2024-25")


def test_the_icpc_measure_names_working_together_as_where_the_15_days_are_set():
    indicator = INDICATORS["icpc_within_15_working_days"]
    assert indicator.source.body is Body.DFE and [s.body for s in indicator.also] == [Body.WORKING_TOGETHER]


def test_a_period_that_ends_before_it_starts_is_refused_naming_the_field():
    with pytest.raises(ValueError, match="^end: the period ends"):
        Period(date(2026, 3, 31), date(2025, 4, 1))
    with pytest.raises(ValueError, match="^start: expected a date"):
        Period("2025-04-01", date(2026, 3, 31))


@pytest.mark.parametrize("population", [-1, "20000", float("nan"), True])
def test_a_population_that_is_negative_or_not_a_number_is_refused_naming_the_field(population):
    with pytest.raises(ValueError, match="^population_under_18: "):
        Cohort(population_under_18=population)


def test_every_indicator_gives_no_figure_rather_than_an_error_when_there_is_nothing_to_count():
    for indicator in INDICATORS.values():
        result = indicator(Cohort(), YEAR)
        assert result.code == indicator.code
        if indicator.unit is Unit.COUNT:
            assert result.value == 0, indicator.code
        else:
            # nothing to divide by (or no population): no figure, and a reason for the page
            assert result.value is None and result.no_figure.startswith("no figure"), indicator.code


def test_every_indicator_says_what_it_counts_where_it_comes_from_and_how_binding_that_is():
    for indicator in INDICATORS.values():
        assert indicator.numerator and indicator.period_rule and indicator.definition.endswith("."), indicator.code
        assert indicator.source.status in {"V", "S", "U", "LOCAL"}, indicator.code
        if indicator.unit is not Unit.COUNT:
            assert indicator.denominator, indicator.code
        if indicator.source.body is not Body.LOCAL:
            assert indicator.source.url.startswith(("https://", "http://")), indicator.code


# Front door ------------------------------------------------------------------------------------------------


def contact(id, child, day, outcome=""):
    return {"id": id, "child": child, "date": day, "outcome": outcome}


def episode(id, child, referral, closed=None, nfa=False):
    return {"id": id, "child": child, "referral_date": referral, "referral_nfa": nfa, "closure_date": closed,
            "closure_reason": None}


def test_contacts_and_their_conversion_to_referrals():
    cohort = Cohort(contacts=[
        contact(1, 101, date(2025, 4, 1), "assessment"),   # a referral
        contact(2, 102, date(2025, 6, 1), "strategy"),     # a referral
        contact(3, 103, date(2025, 7, 1), "nfa"),
        contact(4, 104, date(2025, 8, 1), "early_help"),
        contact(5, 105, date(2026, 3, 31), ""),            # awaiting a decision: counted, but not in the conversion
        contact(6, 106, date(2025, 3, 31), "assessment"),  # the day before the year: not counted at all
    ])
    # 5 contacts in the year; 4 of them decided, 2 of those referrals: 2 / 4 = 50%.
    assert run("contacts", cohort).value == 5
    conversion = run("contact_conversion", cohort)
    assert (conversion.value, conversion.numerator, conversion.denominator) == (50.0, 2, 4)
    assert conversion.numerator_children == {101, 102}
    assert 105 not in conversion.denominator_children


def test_a_contact_outcome_not_known_is_refused_naming_the_field():
    with pytest.raises(ValueError, match="^contacts.outcome: expected one of"):
        run("contact_conversion", Cohort(contacts=[contact(1, 1, date(2025, 5, 1), "referred")]))


def referral_cohort() -> Cohort:
    return Cohort(episodes=[
        # Child 1: referred 10 May 2024 and again exactly 12 months later, 10 May 2025: a re-referral.
        episode(1, 1, date(2024, 5, 10), date(2024, 6, 1)), episode(2, 1, date(2025, 5, 10)),
        # Child 2: 9 May 2024, then 10 May 2025: 12 months and a day: not a re-referral.
        episode(3, 2, date(2024, 5, 9), date(2024, 6, 1)), episode(4, 2, date(2025, 5, 10)),
        # Child 3: one referral, which ended in no further action (still a referral).
        episode(5, 3, date(2025, 6, 1), date(2025, 6, 2), nfa=True),
        # Child 4: twice in the year; the second, two months after the first, is a re-referral.
        episode(6, 4, date(2025, 7, 1), date(2025, 8, 1)), episode(7, 4, date(2025, 9, 1)),
        # Child 5: two referrals recorded on the same day: the census counts one.
        episode(8, 5, date(2025, 10, 1)), episode(9, 5, date(2025, 10, 1)),
    ])


def test_referrals_count_each_referral_in_the_year_once_per_child_per_day():
    # In the year: 2, 4, 5, 6, 7 and 8 (9 is child 5's second referral that day): 6.
    result = run("referrals", referral_cohort())
    assert result.value == 6 and ids(result.numerator_items) == [2, 4, 5, 6, 7, 8]


def test_re_referrals_within_12_months_of_a_previous_referral():
    # Re-referrals: 2 (exactly 12 months after 1) and 7 (2 months after 6); of 6 referrals: 2 / 6 = 33.3%.
    result = run("re_referrals", referral_cohort())
    assert ids(result.numerator_items) == [2, 7]
    assert result.value == pytest.approx(100 * 2 / 6) and result.rounded() == 33.3
    assert result.numerator_children == {1, 4}
    assert result.denominator_children == {1, 2, 3, 4, 5}


def test_re_referral_boundary_can_exclude_exactly_12_months():
    # Read strictly ("less than 12 months"), child 1's referral exactly 12 months on is not a re-referral: 1 / 6.
    result = run("re_referrals", referral_cohort(), settings=Settings(re_referral_boundary_inclusive=False))
    assert ids(result.numerator_items) == [7]


# Assessments -----------------------------------------------------------------------------------------------


def assessment(id, child, ep, start, authorised):
    return {"id": id, "child": child, "episode": ep, "start_date": start, "authorised_on": authorised}


def assessment_cohort() -> Cohort:
    # Started Thursday 20 March 2025 (day 0). Counting working days: 21 March is day 1; 18 and 21 April, 5 May
    # and 26 May are bank holidays, so day 44 is Tuesday 27 May, day 45 Wednesday 28 May, day 46 Thursday 29 May.
    # (Counting weekdays alone, 28 May would be day 49: the bank holidays matter.)
    start = date(2025, 3, 20)
    return Cohort(
        episodes=[episode(1, 1, start), episode(2, 2, date(2025, 3, 13)), episode(3, 3, start)],
        assessments=[
            assessment(11, 1, 1, start, date(2025, 5, 28)),  # day 45 from its start and from the referral: in time
            assessment(12, 2, 2, start, date(2025, 5, 28)),  # day 45 from its start, but day 50 from the referral
            assessment(13, 3, 3, start, date(2025, 5, 29)),  # day 46: late
            assessment(14, 4, None, date(2025, 1, 6), date(2025, 3, 31)),  # completed before the year: not counted
            assessment(15, 5, None, date(2026, 1, 5), None),  # not completed: not counted
        ])


def test_assessments_within_45_working_days_of_their_start_as_the_dfe_measures_it():
    # Completed in the year: 11, 12, 13; within 45 working days of the start: 11 and 12. 2 / 3 = 66.7%.
    result = run("assessments_within_45_working_days", assessment_cohort())
    assert ids(result.numerator_items) == [11, 12] and ids(result.denominator_items) == [11, 12, 13]
    assert result.rounded() == 66.7


def test_assessments_within_45_working_days_of_the_referral_as_working_together_sets_it():
    # Child 2 was referred on Thursday 13 March, a week before the assessment started: 28 May is day 50. 1 / 3.
    result = run("assessments_within_45_working_days_of_referral", assessment_cohort())
    assert ids(result.numerator_items) == [11] and ids(result.denominator_items) == [11, 12, 13]
    assert result.rounded() == 33.3


# Section 47 and conferences --------------------------------------------------------------------------------


def test_s47_enquiries_per_10000_children():
    enquiries = [{"id": n, "child": n, "start_date": day, "icpc_not_required": False}
                 for n, day in enumerate([date(2025, 4, 1), date(2025, 9, 9), date(2026, 1, 2), date(2026, 3, 31),
                                          date(2025, 3, 31)])]  # the last is before the year
    # 4 in the year among 8,000 children: 4 / 8,000 x 10,000 = 5.0.
    assert run("s47_per_10000", Cohort(enquiries=enquiries, population_under_18=8_000)).value == pytest.approx(5.0)
    without = run("s47_per_10000", Cohort(enquiries=enquiries))
    assert without.value is None and without.numerator == 4 and "was not given" in without.no_figure


def test_strategy_discussions_leading_to_an_initial_conference():
    cohort = Cohort(
        strategy_discussions=[{"id": 1, "child": 1, "date": date(2025, 5, 1), "enquiry": 21},
                              {"id": 2, "child": 2, "date": date(2025, 6, 1), "enquiry": 22},
                              {"id": 3, "child": 3, "date": date(2025, 7, 1), "enquiry": None},
                              {"id": 4, "child": 4, "date": date(2025, 3, 1), "enquiry": 24}],  # before the year
        initial_conferences=[{"id": 31, "child": 1, "enquiry": 21, "date": date(2025, 5, 20), "decision": "plan"},
                             {"id": 34, "child": 4, "enquiry": 24, "date": date(2025, 3, 20), "decision": "plan"}])
    # Held in the year: 1, 2, 3; only 1's enquiry had a conference: 1 / 3.
    result = run("strategy_discussions_to_icpc", cohort)
    assert ids(result.numerator_items) == [1] and ids(result.denominator_items) == [1, 2, 3]


def test_initial_conferences_within_15_working_days_across_christmas():
    # The strategy discussion that started the enquiry was on Wednesday 17 December 2025 (day 0). With 25 and 26
    # December and 1 January closed, day 15 is Monday 12 January 2026 and day 16 Tuesday 13 January.
    enquiries = [{"id": n, "child": n, "start_date": date(2025, 12, 17)} for n in (1, 2, 3)]
    conferences = [
        {"id": 11, "child": 1, "enquiry": 1, "date": date(2026, 1, 12), "decision": "plan"},  # day 15: in time
        {"id": 12, "child": 2, "enquiry": 2, "date": date(2026, 1, 13), "decision": "plan"},  # day 16: late
        {"id": 13, "child": 3, "enquiry": 3, "date": date(2025, 12, 16), "decision": "plan"},  # before the s47: out
        {"id": 14, "child": 4, "enquiry": None, "date": date(2026, 1, 5), "decision": "plan"},  # no enquiry: out
    ]
    result = run("icpc_within_15_working_days", Cohort(enquiries=enquiries, initial_conferences=conferences))
    assert ids(result.numerator_items) == [11] and ids(result.denominator_items) == [11, 12]
    assert result.value == 50.0


# Child protection plans ------------------------------------------------------------------------------------


def plan(id, child, start, end=None, kind="cp", **more):
    return {"id": id, "child": child, "kind": kind, "start_date": start, "end_date": end, **more}


def test_children_on_a_plan_per_10000_at_the_end_of_the_period():
    plans = [plan(1, 1, date(2025, 1, 1)),                       # open at 31 March 2026
             plan(2, 2, date(2026, 3, 31)),                      # started on the day: counted
             plan(3, 3, date(2025, 6, 1), date(2026, 3, 31)),    # ended on the day: not counted
             plan(4, 4, date(2025, 6, 1), date(2026, 4, 2)),     # ended after the day: counted
             plan(5, 5, date(2025, 6, 1), kind="cin"),           # a child in need plan: not counted
             plan(6, 1, date(2025, 2, 1))]                       # child 1 again (against the census): once
    # 3 plans among 20,000 children: 3 / 20,000 x 10,000 = 1.5.
    result = run("cpp_per_10000", Cohort(plans=plans, population_under_18=20_000))
    assert result.value == pytest.approx(1.5) and ids(result.numerator_items) == [1, 2, 4]
    assert run("cpp_per_10000", Cohort(plans=plans, population_under_18=0)).value is None


def test_second_or_subsequent_plans_counts_children_with_a_plan_before_however_long_ago():
    plans = [
        plan(1, 1, date(2015, 1, 10), date(2016, 1, 10)), plan(2, 1, date(2025, 6, 1)),  # a plan ten years before
        plan(3, 2, date(2025, 7, 1)),                                                    # a first plan
        plan(4, 3, date(2025, 8, 1), previous_plans=1),  # a plan before the record began (census NumberOfPreviousCPP)
        plan(5, 4, date(2025, 4, 10), date(2025, 5, 10)), plan(6, 4, date(2025, 10, 1)),  # two in the year
        plan(7, 5, date(2024, 6, 1), date(2025, 1, 1)),  # started before the year: not in it
        plan(8, 6, date(2025, 9, 1), kind="cin"),         # not a child protection plan
    ]
    # Children who became the subject of a plan in the year: 1, 2, 3, 4 (4 once, though they started two).
    # Had a plan before: 1, 3 and 4 (their second plan in the year). 3 / 4 = 75%.
    result = run("second_or_subsequent_plans", Cohort(plans=plans))
    assert result.value == 75.0
    assert result.numerator_children == {1, 3, 4} and result.denominator_children == {1, 2, 3, 4}


def test_plans_ending_after_2_years_or_more():
    plans = [plan(1, 1, date(2023, 6, 15), date(2025, 6, 15)),   # exactly 2 years: counts
             plan(2, 2, date(2023, 6, 16), date(2025, 6, 15)),   # a day short of 2 years: does not
             plan(3, 3, date(2024, 2, 29), date(2026, 2, 28)),   # from 29 February: 2 years on is 28 February
             plan(4, 4, date(2022, 1, 1), date(2025, 3, 31)),    # ended before the year
             plan(5, 5, date(2022, 1, 1))]                       # still open
    # Ended in the year: 1, 2, 3; lasted 2 years or more: 1 and 3. 2 / 3 = 66.7%.
    result = run("plans_ending_after_2_years", Cohort(plans=plans))
    assert ids(result.numerator_items) == [1, 3] and ids(result.denominator_items) == [1, 2, 3]


def visit_cohort() -> Cohort:
    # At Tuesday 31 March 2026, visits are due every 10 working days (day 0 is the last visit):
    plans = [plan(1, 1, date(2025, 9, 1)),    # last visit Tuesday 17 March: the next is due 31 March, in time
             plan(2, 2, date(2025, 9, 1)),    # last visit Monday 16 March: the next was due 30 March, overdue
             plan(3, 3, date(2026, 3, 25)),   # started 25 March, not yet visited: first visit not yet due
             plan(4, 4, date(2025, 9, 1), visit_interval_working_days=20),  # its plan says 20: 3 March + 20 = 31
             plan(5, 5, date(2025, 9, 1), date(2026, 2, 1))]  # ended: not on a plan at the end
    visits = [{"id": 1, "plan": 1, "date": date(2026, 3, 2), "seen_alone": False},
              {"id": 2, "plan": 1, "date": date(2026, 3, 17), "seen_alone": True},
              {"id": 3, "plan": 2, "date": date(2026, 3, 16), "seen_alone": False},
              {"id": 4, "plan": 4, "date": date(2026, 3, 3), "seen_alone": True},
              {"id": 5, "plan": 2, "date": date(2026, 4, 1), "seen_alone": True},  # after the period: not yet made
              {"id": 6, "plan": 5, "date": date(2026, 1, 20), "seen_alone": True}]
    return Cohort(plans=plans, cp_visits=visits)


def test_cp_visits_in_time_at_the_end_of_the_period():
    # On a plan at the end: 1, 2, 3, 4; not overdue: 1, 3, 4. 3 / 4 = 75%.
    result = run("cp_visits_in_time", visit_cohort())
    assert ids(result.numerator_items) == [1, 3, 4] and ids(result.denominator_items) == [1, 2, 3, 4]
    # Were visits due every 5 working days, only plan 3 (started 25 March) and plan 4 (its own 20) would be in time.
    assert ids(run("cp_visits_in_time", visit_cohort(), settings=Settings(cp_visit_working_days=5)).numerator_items) \
        == [3, 4]


def test_children_seen_alone_at_their_last_visit():
    # Visited on a plan open at the end: 1 (last visit alone), 2 (last visit by the end not alone; 1 April is after
    # it), 4 (alone). Child 3 has had no visit, so is in neither count. 2 / 3.
    result = run("children_seen_alone", visit_cohort())
    assert ids(result.numerator_items) == [1, 4] and ids(result.denominator_items) == [1, 2, 4]
    assert 3 not in result.denominator_children


def test_step_downs_to_early_help():
    rows = [{"id": 1, "child": 1, "date": date(2025, 4, 1)}, {"id": 2, "child": 2, "date": date(2026, 3, 31)},
            {"id": 3, "child": 3, "date": date(2026, 4, 1)}]
    result = run("step_downs_to_early_help", Cohort(early_help=rows))
    assert result.value == 2 and result.numerator_children == {1, 2}


# Allocation, caseloads and the workforce -------------------------------------------------------------------


def allocation(id, child, worker, team, start, end=None):
    return {"id": id, "child": child, "worker": worker, "team": team, "start_date": start, "end_date": end}


def worker(id, team, kind, start, leave=None, fte=1.0, case_holding=True):
    return {"id": id, "team": team, "employment_type": kind, "start_date": start, "leave_date": leave, "fte": fte,
            "case_holding": case_holding}


def post(id, team, holder, fte=1.0):
    return {"id": id, "team": team, "holder": holder, "fte": fte, "start_date": date(2020, 1, 1), "end_date": None}


def workforce_cohort() -> Cohort:
    return Cohort(
        contacts=[contact(1, 6, date(2025, 5, 1), "nfa")],  # child 6 was never allocated
        episodes=[episode(1, 1, date(2025, 2, 1)),                      # open
                  episode(2, 2, date(2025, 5, 1)),                      # open, but allocation ended 1 March
                  episode(3, 3, date(2025, 1, 1), date(2026, 2, 1)),    # closed before the end
                  episode(4, 4, date(2025, 1, 1)),                      # open, four workers
                  episode(5, 5, date(2025, 10, 1)),                     # open
                  episode(6, 7, date(2025, 6, 1), nfa=True)],           # no further action, never closed: not open
        allocations=[allocation(1, 1, 10, "North", date(2025, 2, 1)),
                     allocation(2, 2, 10, "North", date(2025, 5, 1), date(2026, 3, 1)),
                     allocation(3, 3, 11, "South", date(2025, 1, 1), date(2026, 2, 1)),
                     allocation(4, 4, 10, "North", date(2025, 1, 1), date(2025, 6, 1)),
                     allocation(5, 4, 11, "South", date(2025, 6, 1), date(2025, 9, 1)),
                     allocation(6, 4, 10, "North", date(2025, 9, 1), date(2026, 1, 1)),
                     allocation(7, 4, 11, "South", date(2026, 1, 1)),
                     allocation(8, 5, 10, "North", date(2025, 10, 1))],
        workers=[worker(10, "North", "permanent", date(2020, 1, 1)),
                 worker(11, "South", "agency", date(2025, 5, 1)),
                 worker(12, "North", "permanent", date(2019, 1, 1), leave=date(2025, 10, 31), fte=0.5),
                 worker(13, "South", "permanent", date(2025, 11, 1), case_holding=False)],
        posts=[post(1, "North", 10), post(2, "North", 12), post(3, "South", None), post(4, "South", 13)])


def test_open_cases_and_unallocated_children():
    cohort = workforce_cohort()
    # Open at 31 March: children 1, 2, 4 and 5; child 2's allocation ended on 1 March, so child 2 is unallocated.
    assert run("open_cases", cohort).numerator_children == {1, 2, 4, 5}
    unallocated = run("unallocated_children", cohort)
    assert unallocated.value == 1 and unallocated.numerator_children == {2}


def test_caseload_per_worker():
    # Case-holding workers in post at the end: 10 and 11 (12 left, 13 holds no cases): 2 FTE. Open cases allocated
    # to them: children 1 and 5 (worker 10) and 4 (worker 11): 3 / 2 = 1.5.
    result = run("caseload_per_worker", workforce_cohort())
    assert (result.value, result.numerator, result.denominator) == (1.5, 3, 2.0)
    assert result.numerator_children == {1, 4, 5}


def test_changes_of_worker_per_child():
    # Child 4's worker changed on 1 June, 1 September and 1 January (all in the year); no other open child's did.
    # 3 changes over 4 open children = 0.75.
    result = run("worker_changes_per_child", workforce_cohort())
    assert result.value == 0.75 and ids(result.numerator_items) == [5, 6, 7]


def test_agency_share_vacancies_and_turnover():
    cohort = workforce_cohort()
    # In post at the end: 10 (permanent), 11 (agency), 13 (permanent), 1 FTE each: 1 / 3 agency.
    assert run("agency_share", cohort).value == pytest.approx(100 / 3)
    # Posts: 1 held by 10; 2 held by 12, who left; 3 has no permanent holder (agency cover); 4 held by 13: 2 / 4.
    vacancies = run("vacancy_rate", cohort)
    assert vacancies.value == 50.0 and ids(vacancies.numerator_items) == [2, 3]
    # Permanent leavers in the year: 12 (0.5 FTE); permanent FTE in post at the end: 10 and 13 (2): 0.5 / 2 = 25%.
    turnover = run("turnover_rate", cohort)
    assert (turnover.value, turnover.numerator, turnover.denominator) == (25.0, 0.5, 2.0)


@pytest.mark.parametrize(("change", "message"), [
    ({"employment_type": "Agency"}, "^workers.employment_type: expected 'permanent' or 'agency', got 'Agency'"),
    ({"fte": 1.5}, "^workers.fte: expected a number above 0 and at most 1, got 1.5"),
    ({"fte": "full"}, "^workers.fte: "),
    ({"start_date": None}, "^workers.start_date: worker 10 has no start date"),
])
def test_a_worker_recorded_wrongly_is_refused_naming_the_field(change, message):
    cohort = Cohort(workers=[{**worker(10, "North", "permanent", date(2020, 1, 1)), **change}])
    with pytest.raises(ValueError, match=message):
        run("agency_share", cohort)


def test_a_post_with_no_start_date_has_always_been_there():
    cohort = Cohort(posts=[{"id": 1, "team": "North", "holder": None}])
    assert run("vacancy_rate", cohort).value == 100.0


def test_by_team():
    results = by_group(INDICATORS["caseload_per_worker"], workforce_cohort(), YEAR, key="team")
    # By their latest allocation by 31 March, North has children 1, 2 and 5; South has 3 and 4.
    # North's case holder in post is 10, with children 1 and 5 open and allocated: 2.0. South: 11 holds child 4: 1.0.
    assert results["North"].value == 2.0 and results["South"].value == 1.0
    assert results[None].value is None  # child 6 was never allocated; no workers
    assert by_group(INDICATORS["unallocated_children"], workforce_cohort(), YEAR)["North"].value == 1
    agency = by_group(INDICATORS["agency_share"], workforce_cohort(), YEAR)
    assert (agency["North"].value, agency["South"].value) == (0.0, 50.0)
    vacancies = by_group(INDICATORS["vacancy_rate"], workforce_cohort(), YEAR)
    assert (vacancies["North"].value, vacancies["South"].value) == (50.0, 50.0)


def test_by_worker():
    results = by_group(INDICATORS["caseload_per_worker"], workforce_cohort(), YEAR, key="worker")
    # Worker 10: children 1 and 5 open and allocated (2 is allocated to no one now): 2 / 1 FTE. Worker 11: child 4.
    assert results[10].value == 2.0 and results[10].numerator_children == {1, 5}
    assert results[11].value == 1.0
    assert results[12].value is None and results[13].value is None  # left; holds no cases


def test_rates_by_team_need_the_teams_population():
    cohort = dataclasses.replace(workforce_cohort(), enquiries=[
        {"id": 1, "child": 1, "start_date": date(2025, 6, 1)}, {"id": 2, "child": 4, "start_date": date(2025, 7, 1)}],
        population_under_18=50_000)
    results = by_group(INDICATORS["s47_per_10000"], cohort, YEAR, populations={"North": 5_000})
    assert results["North"].value == pytest.approx(2.0)  # child 1's enquiry among 5,000 children
    assert results["South"].value is None and results["South"].numerator == 1


def test_a_group_key_not_known_is_refused():
    with pytest.raises(ValueError, match="^key: "):
        by_group(INDICATORS["referrals"], Cohort(), YEAR, key="region")


# Over time -------------------------------------------------------------------------------------------------


def test_over_periods_gives_the_figure_for_each_period():
    cohort = referral_cohort()
    # Referrals by month, April to July 2025: May has 2 and 4, June 5, July 6.
    trend = over_periods(INDICATORS["referrals"], cohort, months(date(2025, 4, 15), date(2025, 7, 1)))
    assert [(result.period.start, result.value) for result in trend] == [
        (date(2025, 4, 1), 0), (date(2025, 5, 1), 2), (date(2025, 6, 1), 1), (date(2025, 7, 1), 1)]
    years = census_years("2024-25", "2025-26")
    # 2024-25 has referrals 1 and 3 (May 2024); 2025-26 has 6.
    assert [result.value for result in over_periods(INDICATORS["referrals"], cohort, years)] == [2, 6]


def test_a_cohort_can_be_built_from_the_annex_a_record():
    from casefile.rules.annex_a import Record

    record = Record(children={}, disabled=set(), episodes=referral_cohort().episodes)
    cohort = Cohort.from_annex_a(record, population_under_18=100)
    assert run("referrals", cohort).value == 6 and cohort.population_under_18 == 100


def test_rows_can_be_objects_as_well_as_dicts():
    from typing import NamedTuple

    class Referral(NamedTuple):
        id: int
        child: int
        referral_date: date
        closure_date: date | None = None

    cohort = Cohort(episodes=[Referral(1, 1, date(2025, 1, 1)), Referral(2, 1, date(2025, 12, 1))])
    assert run("re_referrals", cohort).value == 100.0


def test_rows_already_in_the_tables_shape_are_used_as_they_are():
    Episode = ROWS["episodes"]
    row = Episode(id=1, child=1, referral_date=date(2025, 5, 1), referral_nfa=False, closure_date=None,
                  closure_reason=None)
    cohort = Cohort(episodes=[row, {"id": 2, "child": 2, "referral_date": date(2025, 6, 1)}])
    assert cohort.table("episodes")[0] is row
    assert cohort.table("episodes")[1] == Episode(2, 2, date(2025, 6, 1), None, None, None)  # missing keys: None
    result = run("referrals", cohort)
    # The records behind a figure are made into items only when read, and read the same however often.
    assert list(result.numerator_items) == [("episode", 1, 1), ("episode", 2, 2)] == list(result.numerator_items)
    assert result.numerator_items[1].child == 2 and len(result.numerator_items) == 2


@pytest.mark.parametrize("key", ["team", "worker"])
def test_a_partition_holds_the_same_rows_as_restricting_to_each_groups_children(key):
    from casefile.rules.indicators.core import CHILD_ROWS, allocated_on, partition, restrict

    cohort = workforce_cohort()
    parts = partition(cohort, YEAR.end, key)
    owner = allocated_on(cohort.allocations, YEAR.end, key)
    assert len(parts) > 2  # more than one group, and the unallocated
    worker_key = "team" if key == "team" else "id"
    for group, part in parts.items():
        children = {child for child, owned_by in owner.items() if owned_by == group}
        if group is None:
            children |= {row["child"] if isinstance(row, dict) else row.child for name in CHILD_ROWS
                         for row in getattr(cohort, name)} - set(owner)
        expected = restrict(cohort, children, workers=lambda row, g=group: row[worker_key] == g,
                            posts=(lambda row, g=group: row["team"] == g) if key == "team" else (lambda row: False))
        for name in (*CHILD_ROWS, "cp_visits", "workers", "posts"):
            assert sorted(map(repr, getattr(part, name))) == sorted(map(repr, getattr(expected, name))), (group, name)


def test_the_children_behind_records_are_read_from_any_kind_of_row():
    from casefile.rules.indicators.core import Records, children_of

    tuples = Records("contact", [ROWS["contacts"](1, 5, date(2025, 5, 1), ""), ROWS["contacts"](2, None, None, ""),
                                 ROWS["contacts"](3, 5, None, ""), ROWS["contacts"](4, 7, None, "")])
    dicts = Records("contact", [{"id": 1, "child": 5}, {"id": 2}, {"id": 4, "child": 7}])
    mixed = Records("plan", [ROWS["plans"](1, 5, "cp", None, None, None, None), {"id": 2, "child": 8}])
    assert tuples.children() == dicts.children() == {5, 7} and mixed.children() == {5, 8}
    assert children_of(tuples) == children_of(list(tuples)) == frozenset({5, 7})
