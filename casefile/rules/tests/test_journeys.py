"""Journeys on crafted records: each thing counted once, in the furthest outcome the record shows by `as_at`, with
what is still waiting counted too. Periods are the census year 2025-26 unless said."""

import datetime

import pytest

from casefile.rules.indicators.core import Cohort, Period
from casefile.rules.journeys import journey

D = datetime.date
YEAR = Period(D(2025, 4, 1), D(2026, 3, 31))


def episode(id, child, referral, closure=None, nfa=False):
    return {"id": id, "child": child, "referral_date": referral, "referral_nfa": nfa, "closure_date": closure,
            "closure_reason": "RC1" if closure else None}


def counts(stage):
    return {branch.code: branch.count for branch in stage.branches}


def test_contacts_split_by_their_decision_and_those_awaiting_one():
    cohort = Cohort(contacts=[
        {"id": 1, "child": "a", "date": D(2025, 5, 1), "outcome": "assessment"},
        {"id": 2, "child": "b", "date": D(2025, 5, 1), "outcome": "strategy"},
        {"id": 3, "child": "c", "date": D(2025, 5, 1), "outcome": "early_help"},
        {"id": 4, "child": "d", "date": D(2025, 5, 1), "outcome": "nfa"},
        {"id": 5, "child": "e", "date": D(2025, 5, 1), "outcome": "advice"},
        {"id": 6, "child": "f", "date": D(2026, 3, 31), "outcome": ""},
        {"id": 7, "child": "g", "date": D(2025, 3, 31), "outcome": "nfa"},  # the day before the year
    ])
    contacts = journey(cohort, YEAR).stage("contacts")
    assert counts(contacts) == {"referral": 2, "early_help": 1, "no_further_action": 2, "awaiting": 1}
    assert contacts.total == 6
    assert contacts.branch("referral").children == {"a", "b"}
    assert contacts.branch("referral").ids == ("1", "2")


def test_a_referral_counts_once_at_the_furthest_it_went():
    cohort = Cohort(
        episodes=[episode(10, "a", D(2025, 6, 1)), episode(11, "b", D(2025, 6, 1)),
                  episode(12, "c", D(2025, 6, 1), D(2025, 6, 2), nfa=True), episode(13, "d", D(2026, 3, 30)),
                  episode(14, "e", D(2025, 6, 1))],
        assessments=[{"id": 20, "child": "a", "episode": 10, "start_date": D(2025, 6, 2), "authorised_on": None},
                     {"id": 21, "child": "b", "episode": 11, "start_date": D(2025, 6, 2), "authorised_on": None}],
        # b's enquiry follows the assessment: b counts as a section 47 enquiry, not as an assessment. e went
        # straight to a strategy discussion and an enquiry.
        enquiries=[{"id": 30, "child": "b", "start_date": D(2025, 6, 20), "icpc_not_required": False},
                   {"id": 31, "child": "e", "start_date": D(2025, 6, 3), "icpc_not_required": False}],
    )
    referrals = journey(cohort, YEAR).stage("referrals")
    assert counts(referrals) == {"section_47": 2, "assessment": 1, "no_further_action": 1, "no_outcome_yet": 1}
    assert referrals.branch("section_47").children == {"b", "e"}
    assert referrals.branch("no_outcome_yet").ids == ("13",)


def test_an_enquiry_belongs_to_the_episode_open_on_its_day():
    # Child a had an episode closed in May and another from July; the enquiry in August is the second one's.
    cohort = Cohort(
        episodes=[episode(1, "a", D(2025, 4, 10), D(2025, 5, 31)), episode(2, "a", D(2025, 7, 1))],
        assessments=[{"id": 5, "child": "a", "episode": 1, "start_date": D(2025, 4, 11),
                      "authorised_on": D(2025, 5, 20)},
                     {"id": 6, "child": "a", "episode": 2, "start_date": D(2025, 7, 2),
                      "authorised_on": D(2025, 8, 20)}],
        enquiries=[{"id": 7, "child": "a", "start_date": D(2025, 8, 1), "icpc_not_required": False}],
    )
    found = journey(cohort, YEAR)
    assert counts(found.stage("referrals")) == {"section_47": 1, "assessment": 1, "no_further_action": 0,
                                                "no_outcome_yet": 0}
    assert found.stage("referrals").branch("section_47").ids == ("2",)
    assert counts(found.stage("assessments")) == {"section_47": 1, "child_in_need": 0, "no_plan": 1}
    assert found.stage("assessments").branch("section_47").ids == ("6",)


def test_an_enquiry_between_two_episodes_belongs_to_neither():
    # An enquiry dated after the first episode closed and before the next referral is not the first's outcome.
    cohort = Cohort(
        episodes=[episode(1, "a", D(2025, 4, 10), D(2025, 5, 31)), episode(2, "a", D(2025, 7, 1))],
        enquiries=[{"id": 7, "child": "a", "start_date": D(2025, 6, 15), "icpc_not_required": False}],
    )
    assert counts(journey(cohort, YEAR).stage("referrals")) == {"section_47": 0, "assessment": 0,
                                                                "no_further_action": 0, "no_outcome_yet": 2}


def test_assessments_completed_by_what_followed_them():
    cohort = Cohort(
        episodes=[episode(1, "a", D(2025, 4, 1)), episode(2, "b", D(2025, 4, 1)), episode(3, "c", D(2025, 4, 1)),
                  episode(4, "d", D(2025, 4, 1))],
        assessments=[
            {"id": 11, "child": "a", "episode": 1, "start_date": D(2025, 4, 2), "authorised_on": D(2025, 5, 1)},
            {"id": 12, "child": "b", "episode": 2, "start_date": D(2025, 4, 2), "authorised_on": D(2025, 5, 1)},
            {"id": 13, "child": "c", "episode": 3, "start_date": D(2025, 4, 2), "authorised_on": D(2025, 5, 1)},
            # Completed after the year: not counted.
            {"id": 14, "child": "d", "episode": 4, "start_date": D(2026, 3, 2), "authorised_on": D(2026, 4, 1)},
        ],
        plans=[{"id": 21, "child": "a", "kind": "cin", "start_date": D(2025, 5, 5), "end_date": None},
               # b's plan started before the assessment began: not what the assessment led to.
               {"id": 22, "child": "b", "kind": "cin", "start_date": D(2025, 4, 1), "end_date": D(2025, 4, 1)},
               {"id": 23, "child": "c", "kind": "cin", "start_date": D(2025, 5, 5), "end_date": None}],
        enquiries=[{"id": 31, "child": "c", "start_date": D(2025, 6, 1), "icpc_not_required": False}],
    )
    assessments = journey(cohort, YEAR).stage("assessments")
    assert counts(assessments) == {"section_47": 1, "child_in_need": 1, "no_plan": 1}
    assert [assessments.branch(code).ids for code in ("section_47", "child_in_need", "no_plan")] == [
        ("13",), ("11",), ("12",)]


def test_enquiries_by_their_initial_conference_read_on_the_day_asked():
    cohort = Cohort(
        enquiries=[{"id": n, "child": f"c{n}", "start_date": D(2026, 3, 1), "icpc_not_required": n == 3}
                   for n in (1, 2, 3, 4)],
        initial_conferences=[
            {"id": 41, "child": "c1", "enquiry": 1, "date": D(2026, 3, 20), "decision": "plan"},
            {"id": 42, "child": "c2", "enquiry": 2, "date": D(2026, 3, 20), "decision": "no_plan"},
            {"id": 44, "child": "c4", "enquiry": 4, "date": D(2026, 4, 15), "decision": "plan"},
        ],
    )
    at_year_end = journey(cohort, YEAR).stage("enquiries")
    assert counts(at_year_end) == {"child_protection_plan": 1, "no_plan": 1, "not_required": 1, "awaiting": 1}
    # Read a month on, the April conference is the fourth enquiry's outcome.
    later = journey(cohort, YEAR, as_at=D(2026, 4, 30)).stage("enquiries")
    assert counts(later) == {"child_protection_plan": 2, "no_plan": 1, "not_required": 1, "awaiting": 0}


def test_closures_and_re_referral_within_12_months_including_the_day_itself():
    cohort = Cohort(episodes=[
        episode(1, "a", D(2025, 1, 1), D(2025, 5, 10)), episode(2, "a", D(2026, 5, 10)),  # 12 months to the day
        episode(3, "b", D(2025, 1, 1), D(2025, 5, 10)), episode(4, "b", D(2026, 5, 11)),  # a day too late
        episode(5, "c", D(2025, 1, 1), D(2026, 2, 1)),  # closed in February: 12 months not passed by July 2026
        episode(6, "d", D(2025, 6, 1), D(2025, 6, 1), nfa=True),  # no further action: not a closure of a case
    ])
    closures = journey(cohort, YEAR, as_at=D(2026, 7, 1)).stage("closures")
    assert counts(closures) == {"re_referred": 1, "not_re_referred": 1, "too_soon": 1}
    assert closures.branch("re_referred").children == {"a"}
    assert closures.branch("too_soon").children == {"c"}


def test_every_stage_adds_up_and_nothing_after_as_at_is_seen():
    cohort = Cohort(
        episodes=[episode(1, "a", D(2025, 4, 1))],
        assessments=[{"id": 2, "child": "a", "episode": 1, "start_date": D(2026, 4, 2), "authorised_on": None}],
    )
    # The assessment began after the day asked about: the referral has no outcome yet.
    assert counts(journey(cohort, YEAR).stage("referrals"))["no_outcome_yet"] == 1
    assert counts(journey(cohort, YEAR, as_at=D(2026, 4, 2)).stage("referrals"))["assessment"] == 1


def test_outcomes_read_before_the_period_ends_are_refused():
    with pytest.raises(ValueError, match="as_at: the outcomes are read on 2026-03-30, before the period ends"):
        journey(Cohort(), YEAR, as_at=D(2026, 3, 30))


def test_one_stage_is_the_journeys_stage_and_what_followed_an_assessment_is_read_from_the_day_it_began():
    from casefile.rules.journeys import STAGE_READS, followed_from, stage

    cohort = Cohort(
        contacts=[{"id": 1, "child": "a", "date": D(2025, 5, 1), "outcome": "assessment"}],
        episodes=[episode(10, "a", D(2025, 1, 10)), episode(11, "b", D(2025, 6, 1), D(2025, 9, 1))],
        # a's assessment began in February, before the year, and was completed in April: an enquiry in March
        # followed it.
        assessments=[{"id": 20, "child": "a", "episode": 10, "start_date": D(2025, 2, 3),
                      "authorised_on": D(2025, 4, 2)},
                     {"id": 21, "child": "b", "episode": 11, "start_date": D(2025, 6, 2), "authorised_on": None}],
        enquiries=[{"id": 30, "child": "a", "start_date": D(2025, 3, 1), "icpc_not_required": True}],
    )
    whole = journey(cohort, YEAR)
    for code in STAGE_READS:
        assert stage(cohort, YEAR, code) == whole.stage(code)
    assert stage(cohort, YEAR, "assessments").branch("section_47").children == {"a"}
    assert followed_from(cohort, YEAR) == D(2025, 2, 3)  # not b's, which is not completed
    assert followed_from(Cohort(), YEAR) is None
    with pytest.raises(ValueError, match="no stage 'plans'"):
        stage(cohort, YEAR, "plans")
