"""Rules 8790 to 8950Q: each planted child breaks its rule, each near miss does not, through the yearly packs and a
real census file (written, then parsed)."""

from __future__ import annotations

import pytest

from casefile.rules.cin.packs import pack
from casefile.rules.cin.parse import parse
from casefile.rules.cin.tests.builder import census_xml, clean_child
from casefile.rules.cin.tests.planted_plans import (
    _OPEN_EARLIER,
    _PLAN,
    DISAGREEMENTS,
    PLANTED,
    _also,
    _before,
    _death,
    _enquiries,
    _factors,
    _first,
    _plan,
    _plan_ended,
    _plant,
    closed,
    earlier_episode,
    no_further_action,
    on_plan,
)

RANGE = ("8790", "8794", "8805", "8810", "8815", "8816", "8820", "8825Q", "8831", "8832", "8839", "8840", "8841",
         "8842Q", "8863Q", "8866", "8867", "8868", "8869", "8870Q", "8873Q", "8875", "8890", "8896", "8897Q", "8898",
         "8905", "8910", "8915", "8920", "8925", "8930", "8935", "8940", "8945Q", "8950Q")


def issues(children, year="2025-26"):
    return pack(year).validate(parse(census_xml(children)))


def flagged(children, year="2025-26") -> set[tuple[str, str]]:
    return {(issue.code, issue.child) for issue in issues(children, year)}


def test_every_rule_in_the_range_is_in_the_pack_and_planted():
    assert set(RANGE) <= set(pack("2025-26").rules)
    assert set(PLANTED) == set(RANGE)
    assert set(DISAGREEMENTS) <= set(RANGE)


def test_clean_children_break_none_of_these_rules():
    children = [clean_child("OK1"), on_plan("OK2"), closed("OK3"), no_further_action("OK4"), _plan_ended("OK5")]
    assert {code for code, _ in flagged(children)} & set(RANGE) == set()


# Planted to show where the community validator flags a child that breaks no rule (DISAGREEMENTS).
NOT_BROKEN = {"P8816N2"}


@pytest.mark.parametrize("code", RANGE)
def test_each_planted_child_breaks_its_rule(code):
    children = PLANTED[code].children
    found = flagged([clean_child("OK1"), *children])
    assert {(code, child["LAchildID"]) for child in children if child["LAchildID"] not in NOT_BROKEN} <= found
    assert not {(code, child) for child in NOT_BROKEN} & found
    assert not [hit for hit in found if hit[1] == "OK1"]


def _child(code, change, base=clean_child):
    return _plant(code, change, base=base, n=9)


# (rule, a child who breaks it, a near miss who does not)
CASES = [
    ("8790", _child("8790", lambda c: c.update(Disabilities=["none", "VIS"])),
     _child("8790", lambda c: c.update(Disabilities=["MOB", "VIS"]))),
    ("8794", _child("8794", lambda c: c.update(Disabilities=["NONE", "NONE"])),
     _child("8794", lambda c: c.update(Disabilities=["MOB", "VIS"]))),
    ("8805", closed("A8805", reason=None), closed("B8805")),
    ("8810", _child("8810", _first(lambda e: e.update(ReasonForClosure="RC2"))), closed("B8810", reason="RC2")),
    # Two open episodes, against an open one and a referral with no further action left open.
    ("8815", _child("8815", _before(_OPEN_EARLIER)),
     _child("8815", _before({**_OPEN_EARLIER, "ReferralNFA": "true", "Assessments": [], "CINPlanDates": []}))),
    # An open episode before a closed one, against an open episode after a closed one.
    ("8816", _child("8816", _before(_OPEN_EARLIER), base=closed),
     _child("8816", _before(earlier_episode("2025-06-01")))),
    # The later referral came the day before the earlier episode closed, against on the day it closed.
    ("8820", _child("8820", _before(earlier_episode("2025-06-03"))),
     _child("8820", _before(earlier_episode("2025-06-02")))),
    ("8825Q", _child("8825Q", _first(lambda e: e.update(CINclosureDate="2025-07-01", ReasonForClosure="RC9",
                                                          Assessments=[], CINPlanDates=[]))),
     closed("B8825Q", on="2025-07-01", reason="RC9")),
    ("8831", _child("8831", _first(lambda e: e.update(DateOfInitialCPC="2025-06-02")), base=no_further_action),
     _child("8831", _also("Section47"), base=no_further_action)),
    ("8831", _child("8831", _also("Section47", S47ActualStartDate="2025-06-02", ICPCnotRequired="true"),
                    base=no_further_action), no_further_action("C8831")),
    ("8832", PLANTED["8832"].children[0], _child("8832", _first(lambda e: e.update(ReferralNFA="false")),
                                                 base=on_plan)),
    # Two open enquiries, against one open and one needing no conference.
    ("8839", PLANTED["8839"].children[0],
     _child("8839", _enquiries({"S47ActualStartDate": "2025-07-10", "ICPCnotRequired": "1"},
                               {"S47ActualStartDate": "2025-08-11"}))),
    ("8840", PLANTED["8840"].children[0], _child("8840", _plan(CPPendDate="2025-07-31", Reviews=[]), base=on_plan)),
    ("8841", PLANTED["8841"].children[0], _child("8841", _plan(Reviews=["2025-07-31"]), base=on_plan)),
    ("8842Q", _child("8842Q", _plan(Reviews=["2025-02-30"]), base=on_plan), on_plan("B8842Q")),
    # Starting on the day the other was authorised, against the day after.
    ("8863Q", _child("8863Q", _also("Assessments", AssessmentActualStartDate="2025-07-01",
                                    AssessmentAuthorisationDate="2025-07-10", AssessmentFactors=["3A"])),
     _child("8863Q", _also("Assessments", AssessmentActualStartDate="2025-07-02",
                           AssessmentAuthorisationDate="2025-07-10", AssessmentFactors=["3A"]))),
    # An assessment starting after another that is still open (it runs to the reference date).
    ("8863Q", _child("8863Q", _first(lambda e: (e["Assessments"][0].pop("AssessmentAuthorisationDate"), e[
        "Assessments"].append({"AssessmentActualStartDate": "2026-01-10", "AssessmentAuthorisationDate": "2026-02-01",
                              "AssessmentFactors": ["3A"]})))), clean_child("C8863Q")),
    ("8866", _child("8866", _first(lambda e: e.pop("ReferralSource"))),
     _child("8866", _first(lambda e: e.update(CINreferralDate="2013-03-31", ReferralSource="99")))),
    ("8867", PLANTED["8867"].children[0], _child("8867", _first(lambda e: e["Assessments"][0].pop(
        "AssessmentAuthorisationDate")))),
    # A conference date and the flag saying none was needed, against the flag alone.
    ("8868", _child("8868", _enquiries({"S47ActualStartDate": "2025-07-10", "DateOfInitialCPC": "2025-07-30",
                                        "ICPCnotRequired": "true"}), base=closed),
     _child("8868", _enquiries({"S47ActualStartDate": "2025-07-10", "ICPCnotRequired": "true"}), base=closed)),
    ("8869", PLANTED["8869"].children[0], _child("8869", _factors("3A", "4B"))),
    # Friday 1 August 2025.
    ("8870Q", PLANTED["8870Q"].children[0], _child("8870Q", _first(lambda e: e["Section47"][0].update(
        InitialCPCtarget="2025-08-01")), base=on_plan)),
    ("8873Q", PLANTED["8873Q"].children[0], _child("8873Q", lambda c: (c["CINdetails"][0].update(
        CINclosureDate="2025-07-01", ReasonForClosure="RC8", CINPlanDates=[]), _factors("21")(c)))),
    ("8873Q", _child("8873Q", _factors("21"), base=closed), _child("8873Q", _also(
        "Assessments", AssessmentActualStartDate="2025-07-02", AssessmentAuthorisationDate="2025-07-20",
        AssessmentFactors=["21"]))),
    ("8875", PLANTED["8875"].children[0], on_plan("B8875")),
    # Starting on the day of the other's conference, against the day after.
    ("8890", _child("8890", _enquiries(
        {"S47ActualStartDate": "2025-07-10", "DateOfInitialCPC": "2025-07-30", "InitialCPCtarget": "2025-07-31"},
        {"S47ActualStartDate": "2025-07-30", "ICPCnotRequired": "true"}), base=on_plan),
     _child("8890", _enquiries(
         {"S47ActualStartDate": "2025-07-10", "DateOfInitialCPC": "2025-07-30", "InitialCPCtarget": "2025-07-31"},
         {"S47ActualStartDate": "2025-07-31", "ICPCnotRequired": "true"}), base=on_plan)),
    ("8896", PLANTED["8896"].children[0], _child("8896", _first(lambda e: e["Assessments"][0].pop(
        "AssessmentAuthorisationDate")))),
    # No factors on an assessment authorised on the first day of the census year, against the day before.
    ("8897Q", _child("8897Q", _first(lambda e: e["Assessments"][0].update(
        AssessmentActualStartDate="2025-03-01", AssessmentAuthorisationDate="2025-04-01", AssessmentFactors=[]))),
     _child("8897Q", _first(lambda e: e["Assessments"][0].update(
         AssessmentActualStartDate="2025-03-01", AssessmentAuthorisationDate="2025-03-31", AssessmentFactors=[])))),
    ("8897Q", PLANTED["8897Q"].children[0], _child("8897Q", _factors("18A", "3A"))),
    ("8898", PLANTED["8898"].children[0], _child("8898", _factors("3A", "3B"))),
    ("8905", PLANTED["8905"].children[0], _child("8905", _plan(InitialCategoryOfAbuse="MUL"), base=on_plan)),
    ("8910", PLANTED["8910"].children[0], _child("8910", _plan(LatestCategoryOfAbuse="SAB"), base=on_plan)),
    ("8915", PLANTED["8915"].children[0], _child("8915", _death("2025-07-30"), base=on_plan)),
    ("8920", PLANTED["8920"].children[0], _child("8920", _death("2025-09-30"), base=_plan_ended)),
    ("8925", PLANTED["8925"].children[0], _plan_ended("B8925")),
    ("8930", _child("8930", _plan(CPPstartDate="2025-03-01", CPPendDate="2025-03-31"), base=on_plan),
     _child("8930", _plan(CPPendDate="2026-03-31"), base=on_plan)),
    ("8935", PLANTED["8935"].children[0], _child("8935", _also(
        "ChildProtectionPlans", CPPstartDate="2025-10-01", CPPendDate="2025-12-01", **_PLAN), base=_plan_ended)),
    # The second plan starts the day the first ended, against the day after.
    ("8940", PLANTED["8940"].children[0], _child("8940", _also(
        "ChildProtectionPlans", CPPstartDate="2025-10-01", CPPendDate="2025-12-01", **_PLAN), base=_plan_ended)),
    ("8945Q", PLANTED["8945Q"].children[0], _child("8945Q", _factors("18B", "18C"))),
    ("8950Q", PLANTED["8950Q"].children[0], _child("8950Q", _factors("19B", "19C"))),
]


@pytest.mark.parametrize(("code", "breaks", "near_miss"), CASES, ids=[f"{case[0]}-{n}" for n, case in enumerate(CASES)])
def test_a_child_breaks_the_rule_and_a_near_miss_does_not(code, breaks, near_miss):
    found = {hit_code for hit_code, _ in flagged([breaks])}
    assert code in found
    assert code not in {hit_code for hit_code, _ in flagged([near_miss])}


def test_rules_added_in_2024_25_are_not_in_earlier_years():
    child = PLANTED["8945Q"].children[0]
    assert "8945Q" not in {code for code, _ in flagged([child], year="2023-24")}
    assert "8945Q" in {code for code, _ in flagged([child], year="2024-25")}
    assert "8950Q" in pack("2026-27").rules


def test_an_issue_names_the_row_and_the_values_as_written():
    [issue] = [issue for issue in issues(PLANTED["8866"].children) if issue.code == "8866"]
    assert (issue.table, issue.fields, issue.value) == ("CINdetails", ("CINreferralDate", "ReferralSource"),
                                                         "2025-06-02, 99")
    assert issue.message == "Source of Referral is missing or an invalid code" and issue.is_error
    overlapping = [issue for issue in issues(PLANTED["8940"].children[:1]) if issue.code == "8940"]
    assert [(issue.table, issue.row, issue.value) for issue in overlapping] == [
        ("ChildProtectionPlans", 1, "2025-09-30, 2025-12-01")]
