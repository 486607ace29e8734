"""Rules 100 to 4220: each planted violation is found (for its child, or for the return as a whole), and a near
miss beside it is not; the years before 2024-25 keep their own versions of 1530, 2886Q and 4180."""

from __future__ import annotations

import pytest

from casefile.rules.cin.packs import pack
from casefile.rules.cin.parse import parse
from casefile.rules.cin.tests.builder import HEADER, census_xml, clean_child
from casefile.rules.cin.tests.planted_identifiers import (
    PLANTED,
    child,
    cin_plan,
    enquiry,
    episode_of,
    protection_plan,
    upn,
)


def findings(children, header=None, year="2025-26") -> set[tuple[str, str | None]]:
    """(rule code, child id) for each issue, None as the child for the return as a whole."""
    return {(issue.code, issue.child) for issue in pack(year).validate(parse(census_xml(children, header)))}


@pytest.mark.parametrize("code", sorted(PLANTED))
def test_each_planted_violation_is_found(code):
    planted = PLANTED[code]
    found = findings(planted.children, planted.header)
    if planted.header is not None:
        assert (code, None) in found
    else:
        assert {(code, each["LAchildID"]) for each in planted.children} <= found


def test_a_clean_return_breaks_none_of_these_rules_but_its_few_disability_codes():
    found = findings([clean_child("A1"), clean_child("B2")])
    assert {code for code, _ in found if code in PLANTED} == {"2887Q"}


def two(code, **changes):
    """A near miss: a planted child with one episode holding `changes`, beside a clean child."""
    return [episode_of(code, **changes), clean_child("OK1")]


def assessed_on_referral_day():
    planted = child("1103")
    planted["CINdetails"][0]["Assessments"][0]["AssessmentActualStartDate"] = "2025-06-02"
    return [planted]


CONFERENCE = {"DateOfInitialCPC": "2025-08-01"}

NEAR_MISSES = {
    "1103": assessed_on_referral_day(),
    "1104": two("1104", Section47=[enquiry(conference="2025-06-02")]),
    "1105": two("1105", CINPlanDates=[], DateOfInitialCPC="2025-06-02",
                ChildProtectionPlans=[protection_plan("2025-06-02")]),
    "1510": [child("1510", UPN="A20112345678B")],  # a temporary UPN has no check letter to compare
    "1520": [child("1520", 1, UPN=None), child("1520", 2, UPN=None)],
    "1530": [child("1530", UPN=upn("942123456789"))],
    "1540": [child("1540", UPN=upn("201123456789"))],
    "1550": [child("1550", UPN="A20112345678Z")],
    "1560Q": [child("1560Q", FormerUPN="A123456789012")],
    "1570": [clean_child("P1570N1" + "X" * 13)],
    "1580": [clean_child("P1580N1abc")],
    "2883": [episode_of("2883", CINPlanDates=[], DateOfInitialCPC="2025-07-02",
                        ChildProtectionPlans=[protection_plan("2025-07-02")])],
    "2884": two("2884", DateOfInitialCPC="2025-06-21", Section47=[enquiry(conference="2025-06-20")]),
    "2885": two("2885", CINPlanDates=[], Section47=[enquiry(conference="2025-06-20"), enquiry(conference="2025-06-25")],
                ChildProtectionPlans=[protection_plan("2025-06-25")]),
    "2886Q": [child("2886Q", Sex="U", ExpectedPersonBirthDate="2026-05-01")],
    "2887Q": [child("2887Q", n, Disabilities=[code, other]) for n, (code, other) in
              enumerate([("MOB", "HAND"), ("PC", "INC"), ("COMM", "LD"), ("HEAR", "VIS")])],
    "2888Q": [child("2888Q", Disabilities=["MOB", "HAND"]), child("2888Q", 2, Disabilities=["VIS"])],
    "2889": two("2889", Section47=[enquiry(start="2025-06-02")]),
    "2990": two("2990", CINclosureDate="2025-08-01", ReasonForClosure="RC8", CINPlanDates=[]),
    "2991Q": two("2991Q", Section47=[enquiry()]),
    "4000": two("4000", ReferralNFA="true", CINPlanDates=[]),
    "4001": two("4001", **CONFERENCE, CINPlanDates=[cin_plan("2025-07-02", "2025-08-01")],
                ChildProtectionPlans=[protection_plan("2025-08-01")]),
    "4003": two("4003", **CONFERENCE, CINPlanDates=[cin_plan("2025-07-02", "2025-08-01")],
                ChildProtectionPlans=[protection_plan("2025-08-01", "2025-09-01", reviews=["2025-08-15"])]),
    "4004": two("4004", CINPlanDates=[cin_plan("2025-07-02", "2025-07-09"), cin_plan("2025-07-10")]),
    "4008": [child("4008", PersonDeathDate="2025-07-02")],
    "4009Q": [episode_of("4009Q", CINPlanDates=[cin_plan("2025-07-02", "2025-08-01")])
              | {"PersonDeathDate": "2025-08-01"}],
    "4010": two("4010", CINPlanDates=[cin_plan("2026-03-31")]),
    "4011": two("4011", CINPlanDates=[cin_plan("2025-07-02", "2025-07-03")]),
    "4012Q": two("4012Q", CINPlanDates=[cin_plan("2025-07-02", "2025-07-03")]),
    "4013": two("4013", CINPlanDates=[cin_plan("2025-07-02", "2026-03-31")]),
    "4014": two("4014", CINPlanDates=[cin_plan("2025-07-02", "2025-08-01"), cin_plan("2025-08-02")]),
    "4015": two("4015", CINPlanDates=[cin_plan("2025-06-02")]),
    "4016": two("4016", DateOfInitialCPC="2025-06-10", CINPlanDates=[cin_plan("2025-07-10")],
                ChildProtectionPlans=[protection_plan("2025-06-10", "2025-07-10")]),
    "4017": two("4017", **CONFERENCE, CINPlanDates=[cin_plan("2025-07-02", "2025-08-01")],
                ChildProtectionPlans=[protection_plan("2025-08-01", "2025-08-20")]),
    "4180": [child("4180", Sex="U")],
    "4220": [child("4220", Ethnicity="NOBT")],
}


def test_every_planted_rule_has_a_near_miss():
    assert set(NEAR_MISSES) == set(PLANTED) - {"100"}


@pytest.mark.parametrize("code", sorted(NEAR_MISSES))
def test_a_near_miss_is_not_reported(code):
    found = findings(NEAR_MISSES[code], dict(HEADER))
    assert not {hit for hit in found if hit[0] == code}


def test_upn_la_codes_942_and_943_are_valid_from_2023_24():
    children = [child("1530", UPN=upn("942123456789"))]
    assert ("1530", "P1530N1") in findings(children, year="2022-23")
    assert ("1530", "P1530N1") not in findings(children, year="2023-24")


@pytest.mark.parametrize(("value", "reported"), [("1", False), ("0", False), ("3", True), (None, True)])
def test_before_2024_25_gender_is_one_of_0_1_2_9(value, reported):
    planted = child("4180", Sex=None, GenderCurrent=value)
    assert (("4180", "P4180N1") in findings([planted], year="2023-24")) is reported


@pytest.mark.parametrize(("year", "field", "value"), [("2023-24", "GenderCurrent", "0"), ("2025-26", "Sex", "U")])
def test_a_return_with_no_sex_recorded_for_over_2_percent_of_children_is_queried(year, field, value):
    unrecorded = child("2886Q", Sex=None) | {field: value}
    recorded = [child("2886Q", n, Sex=None) | {field: "1" if field == "GenderCurrent" else "F"} for n in range(2, 51)]
    assert ("2886Q", None) in findings([unrecorded, *recorded[:40]], year=year)
    assert ("2886Q", None) not in findings([unrecorded, *recorded], year=year)  # 1 in 50 is 2%


def test_a_conference_in_another_episode_does_not_stand_for_the_plan_s_own_2885():
    planted = episode_of("2885", CINPlanDates=[], DateOfInitialCPC="2025-06-25",
                         ChildProtectionPlans=[protection_plan("2025-06-25")])
    later = {"CINreferralDate": "2025-09-01", "ReferralSource": "2A", "PrimaryNeedCode": "N1", "ReferralNFA": "false",
             "Section47": [enquiry(start="2025-09-02", conference="2025-09-10")]}
    planted["CINdetails"].append(later)
    assert ("2885", "P2885N1") not in findings([planted])


def test_a_cin_plan_starting_the_day_another_ends_overlaps_it_4014():
    children = [episode_of("4014", CINPlanDates=[cin_plan("2025-07-02", "2025-08-01"), cin_plan("2025-08-01")])]
    assert ("4014", "P4014N1") in findings(children)


@pytest.mark.parametrize("not_required", ["true", "TRUE", "1"])
def test_an_enquiry_needing_no_conference_leaves_the_episode_s_own_conference_to_match_2885(not_required):
    planted = episode_of("2885", CINPlanDates=[], DateOfInitialCPC="2025-06-25",
                         Section47=[enquiry(conference="2025-06-20", not_required=not_required)],
                         ChildProtectionPlans=[protection_plan("2025-06-25")])
    assert ("2885", "P2885N1") not in findings([planted])


@pytest.mark.parametrize(("nfa", "reported"), [("true", True), ("TRUE", True), ("1", True), ("false", False)])
def test_a_referral_with_no_further_action_has_no_cin_plan_4000(nfa, reported):
    assert (("4000", "P4000N1") in findings([episode_of("4000", ReferralNFA=nfa)])) is reported


def review_child(reviews, plan_episode=1):
    """A protection plan (with these reviews) in episode 2, a closed CIN plan in episode `plan_episode`."""
    planted = episode_of("4003", CINPlanDates=[] if plan_episode == 2 else [cin_plan("2025-07-02", "2025-12-01")])
    planted["CINdetails"].append({
        "CINreferralDate": "2025-07-02", "ReferralSource": "2A", "PrimaryNeedCode": "N1", "ReferralNFA": "false",
        "DateOfInitialCPC": "2025-08-01",
        "CINPlanDates": [cin_plan("2025-07-02", "2025-12-01")] if plan_episode == 2 else [],
        "ChildProtectionPlans": [protection_plan("2025-08-01", "2025-09-01", reviews=reviews)]})
    return planted


@pytest.mark.parametrize(("reviews", "plan_episode", "reported"), [
    (["2025-12-15", "2025-08-15"], 2, True),  # every review of the plan is read, not only the first
    (["2025-12-15"], 2, False),
    (["2025-08-15"], 1, False),  # a CIN plan in another episode is not compared
])
def test_a_review_during_a_cin_plan_of_its_own_episode_4003(reviews, plan_episode, reported):
    assert (("4003", "P4003N1") in findings([review_child(reviews, plan_episode)])) is reported
