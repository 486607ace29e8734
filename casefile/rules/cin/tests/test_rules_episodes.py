"""Rules 8500 to 8775Q: for each, a child who breaks it and a near miss who does not (the census year is
1 April 2025 to 31 March 2026), read from a written census file as an upload would be."""

from __future__ import annotations

import datetime

import pytest

from casefile.rules.cin.cin2022_23 import episodes
from casefile.rules.cin.cin2022_23.episodes import working_days_before
from casefile.rules.cin.packs import pack
from casefile.rules.cin.parse import parse
from casefile.rules.cin.tests.builder import census_xml, clean_child
from casefile.rules.cin.tests.planted_episodes import DISAGREEMENTS, PLANTED


def flagged(code: str, *children: dict, year: str = "2025-26") -> list[str]:
    """The ids of the children the rule flags (once per flagged row)."""
    rule = pack(year).rules[code]
    return [issue.child for issue in rule.issues(parse(census_xml(list(children))))]


def child(**identifiers) -> dict:
    result = clean_child("C1")
    result.update(identifiers)
    return result


def episode(**fields) -> dict:
    result = clean_child("C1")
    result["CINdetails"][0].update(fields)
    return result


def assessment(**fields) -> dict:
    result = clean_child("C1")
    result["CINdetails"][0]["Assessments"][0].update(fields)
    return result


def open_assessment(started: str) -> dict:
    return assessment(AssessmentActualStartDate=started, AssessmentAuthorisationDate=None, AssessmentFactors=[])


def enquiry(**fields) -> dict:
    result = clean_child("C1")
    result["CINdetails"][0]["Section47"] = [{"S47ActualStartDate": "2025-07-10", "ICPCnotRequired": "false",
                                             **fields}]
    return result


def protection_plan(**fields) -> dict:
    result = clean_child("C1")
    result["CINdetails"][0]["ChildProtectionPlans"] = [{
        "CPPstartDate": "2025-07-21", "InitialCategoryOfAbuse": "NEG", "LatestCategoryOfAbuse": "NEG",
        "NumberOfPreviousCPP": "0", **fields}]
    return result


def unborn(**identifiers) -> dict:
    return child(**{"PersonBirthDate": None, "ExpectedPersonBirthDate": "2026-03-05", "Sex": "U", "UPN": None,
                    "UPNunknown": "UN6", **identifiers})


def closed(closure: str, *, plans: list | None = None, **fields) -> dict:
    return episode(**{"CINclosureDate": closure, "ReasonForClosure": "RC7", "CINPlanDates": plans or [], **fields})


# (rule, a child who breaks it, a near miss)
CASES = [
    ("8520", child(PersonBirthDate="2026-04-01"), child(PersonBirthDate="2026-03-31")),
    ("8525Q", child(ExpectedPersonBirthDate="2026-05-01"), unborn()),
    ("8525Q", child(PersonBirthDate=None), child()),
    ("8530Q", unborn(ExpectedPersonBirthDate="2026-03-01"), unborn(ExpectedPersonBirthDate="2026-03-02")),
    ("8530Q", unborn(ExpectedPersonBirthDate="2026-12-31"), unborn(ExpectedPersonBirthDate="2026-12-30")),
    ("8535Q", child(PersonDeathDate="2015-05-31"), child(PersonDeathDate="2015-06-01")),
    ("8535Q", child(PersonBirthDate=None, ExpectedPersonBirthDate="2026-05-01", PersonDeathDate="2025-08-01"),
     child(PersonDeathDate="2025-08-01")),
    ("8540", child(Disabilities=["XYZ"]), child(Disabilities=["AUT"])),
    ("8540", child(Disabilities=[]), child(Disabilities=[], PersonBirthDate=None,
                                           ExpectedPersonBirthDate="2026-05-01")),
    ("8540", episode(ReferralNFA="FALSE") | {"Disabilities": []}, episode(ReferralNFA="true") | {"Disabilities": []}),
    ("8545Q", child(PersonDeathDate="2025-03-31"), child(PersonDeathDate="2025-04-01")),
    ("8545Q", child(PersonDeathDate="2026-04-01"), child(PersonDeathDate="2026-03-31")),
    ("8555Q", child(PersonDeathDate="2025-06-01"), child(PersonDeathDate="2025-06-02")),
    ("8565", closed("2025-06-30"), closed("2025-07-01")),
    ("8565", closed("2025-07-05", plans=[{"CINPlanStartDate": "2025-07-02", "CINPlanEndDate": "2025-07-06"}]),
     closed("2025-07-06", plans=[{"CINPlanStartDate": "2025-07-02", "CINPlanEndDate": "2025-07-06"}])),
    ("8565", closed("2025-07-09", DateOfInitialCPC="2025-07-10"), closed("2025-07-10", DateOfInitialCPC="2025-07-10")),
    ("8568", episode(ReferralNFA="maybe"), episode(ReferralNFA="TRUE")),
    ("8568", episode(ReferralNFA=None), episode(ReferralNFA="0")),
    ("8569Q", episode(CINreferralDate="2025-03-31", ReferralNFA="true"),
     episode(CINreferralDate="2025-04-01", ReferralNFA="true")),
    ("8569Q", episode(CINreferralDate="2025-03-31", ReferralNFA="1"),
     episode(CINreferralDate="2025-03-31", ReferralNFA="False")),
    ("8585Q", closed("2026-03-01", ReasonForClosure="RC2"),
     child(PersonDeathDate="2026-03-01") | {"CINdetails": closed("2026-03-01", ReasonForClosure="RC2")["CINdetails"]}),
    ("8590", child(CINdetails=[]), child()),
    ("8600", episode(CINreferralDate=None), episode(CINreferralDate="2026-03-31")),
    ("8600", episode(CINreferralDate="2026-04-01"), episode(CINreferralDate="2020-01-01")),
    ("8606", child(PersonBirthDate="2026-03-10"), child(PersonBirthDate="2026-03-09")),
    ("8606", unborn(ExpectedPersonBirthDate="2026-03-10"), unborn(ExpectedPersonBirthDate="2026-03-09")),
    ("8608", assessment(AssessmentAuthorisationDate="2025-06-02"),
     assessment(AssessmentAuthorisationDate="2025-06-03")),
    ("8610", episode(PrimaryNeedCode=None), episode(PrimaryNeedCode=None, ReferralNFA="true")),
    ("8614", assessment(AssessmentAuthorisationDate=None), open_assessment("2025-06-03")),
    ("8615", enquiry(DateOfInitialCPC="2025-07-09"), enquiry(DateOfInitialCPC="2025-07-10")),
    ("8620", closed("2026-04-01"), closed("2026-03-31")),
    ("8620", closed("2025-03-31", CINreferralDate="2025-03-01"), closed("2025-04-01", CINreferralDate="2025-03-01")),
    ("8630", closed("2025-06-01", Assessments=[]), closed("2025-06-02", Assessments=[])),
    ("8640", closed("2026-03-01", ReasonForClosure="RC10"), closed("2026-03-01", ReasonForClosure="RC9")),
    ("8650", episode(PrimaryNeedCode="N10"), episode(PrimaryNeedCode="N0")),
    ("8670Q", open_assessment("2026-01-27"), open_assessment("2026-01-28")),
    ("8675Q", enquiry(S47ActualStartDate="2026-03-10"), enquiry(S47ActualStartDate="2026-03-11")),
    ("8675Q", enquiry(S47ActualStartDate="2026-03-10", ICPCnotRequired="0"),
     enquiry(S47ActualStartDate="2026-03-10", ICPCnotRequired="true")),
    ("8696", assessment(AssessmentAuthorisationDate="2026-04-01"),
     assessment(AssessmentAuthorisationDate="2026-03-31")),
    ("8696", assessment(AssessmentActualStartDate="2025-03-01", AssessmentAuthorisationDate="2025-03-31"),
     assessment(AssessmentActualStartDate="2025-03-01", AssessmentAuthorisationDate="2025-04-01")),
    ("8715", enquiry(DateOfInitialCPC="2026-04-01"), enquiry(DateOfInitialCPC="2026-03-31")),
    ("8720", protection_plan(CPPstartDate=None), protection_plan()),
    ("8720", protection_plan(CPPstartDate="2026-04-01"), protection_plan(CPPstartDate="2026-03-31")),
    ("8730", protection_plan(NumberOfPreviousCPP=None), protection_plan(NumberOfPreviousCPP="3")),
    ("8730", protection_plan(NumberOfPreviousCPP="-1"), protection_plan(NumberOfPreviousCPP="0")),
    ("8730", protection_plan(NumberOfPreviousCPP="--1"), protection_plan(NumberOfPreviousCPP="+2")),
    ("8736", open_assessment("2025-03-31"), open_assessment("2025-04-01")),
    ("8736", open_assessment("2026-04-01"), assessment(AssessmentActualStartDate="2025-03-31")),
    ("8740", enquiry(S47ActualStartDate="2025-03-31"), enquiry(S47ActualStartDate="2025-04-01")),
    ("8740", enquiry(S47ActualStartDate="2025-03-31", ICPCnotRequired="0"),
     enquiry(S47ActualStartDate="2025-03-31", ICPCnotRequired="1")),
    ("8750", unborn(Sex="F"), unborn(Sex="U")),
    ("8770Q", child(UPN=None, PersonBirthDate="2020-08-31"), child(UPN=None, PersonBirthDate="2020-09-01")),
    ("8770Q", child(UPN=None, UPNunknown="UN1"), child(UPN=None, UPNunknown="un2")),
    ("8770Q", child(UPN=None), child(UPN=None) | {"CINdetails": episode(ReferralNFA="true")["CINdetails"]}),
    ("8772", child(UPN=None, UPNunknown="UN7"),
     child(UPN=None, UPNunknown="UN7") | {"CINdetails": episode(ReferralNFA="true")["CINdetails"]}),
    ("8772", child(UPN=None, UPNunknown="UN7", CINdetails=[]), child(UPN=None, UPNunknown="UN4", CINdetails=[])),
    ("8775Q", child(PersonBirthDate="2001-03-30"), child(PersonBirthDate="2001-03-31")),
    ("8775Q", child(PersonBirthDate="2000-01-01") | {"CINdetails": closed("2025-12-31")["CINdetails"]},
     child(PersonBirthDate="2000-01-01") | {"CINdetails": closed("2025-01-01",
                                                                   CINreferralDate="2024-12-01")["CINdetails"]}),
]


@pytest.mark.parametrize(("code", "breaks", "near_miss"), CASES, ids=[f"{case[0]}-{n}" for n, case in
                                                                      enumerate(CASES)])
def test_a_child_breaks_the_rule_and_a_near_miss_does_not(code, breaks, near_miss):
    assert flagged(code, breaks) != []
    assert flagged(code, near_miss) == []


def test_children_sharing_an_id_are_each_flagged():
    assert flagged("8510", clean_child("A1"), clean_child("A1"), clean_child("B2")) == ["A1", "A1"]


def test_closure_flags_the_episode_and_each_row_dated_after_it():
    late = closed("2025-06-30")
    late["CINdetails"][0]["ChildProtectionPlans"] = protection_plan(CPPendDate="2025-07-01")["CINdetails"][0][
        "ChildProtectionPlans"]
    tables = [issue.table for issue in pack("2025-26").rules["8565"].issues(parse(census_xml([late])))]
    assert sorted(tables) == ["Assessments", "CINdetails", "ChildProtectionPlans"]


def test_2022_23_reads_gender_and_asks_for_a_upn_from_six():
    assert flagged("8750", unborn(GenderCurrent="2"), year="2022-23") == ["C1"]
    assert flagged("8750", unborn(GenderCurrent="0"), year="2022-23") == []
    assert pack("2022-23").rules["8750"].message == "Gender must equal 0 for an unborn child"
    assert flagged("8770Q", child(UPN=None, PersonBirthDate="2020-03-31"), year="2022-23") == ["C1"]
    assert flagged("8770Q", child(UPN=None, PersonBirthDate="2020-04-01"), year="2022-23") == []


@pytest.mark.parametrize(("day", "n", "limit"), [
    (datetime.date(2026, 3, 31), 1, datetime.date(2026, 3, 31)),
    (datetime.date(2026, 3, 31), 45, datetime.date(2026, 1, 28)),
    (datetime.date(2024, 3, 31), 1, datetime.date(2024, 4, 2)),    # Easter Sunday, then Easter Monday
    (datetime.date(2024, 3, 31), 2, datetime.date(2024, 3, 28)),    # back past Good Friday
    (datetime.date(2023, 4, 1), 1, datetime.date(2023, 4, 3)),
])
def test_working_days_are_counted_as_the_community_validator_counts_them(day, n, limit):
    assert working_days_before(day, n) == limit


def test_every_rule_of_the_range_is_planted_and_every_disagreement_has_a_plant():
    codes = set(episodes.rules.rules) - {"8500"}
    assert len(codes) == 35
    assert codes <= set(PLANTED)
    assert set(DISAGREEMENTS) <= set(PLANTED)
    for code, plant in PLANTED.items():
        assert flagged(code, *plant.children), code
