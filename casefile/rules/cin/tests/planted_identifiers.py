"""Planted violations of rules 100 to 4220 for the parity test against the community validator: each child is a
clean child with one change (or the few a case needs to reach the rule), so it breaks the rule it is named for.

Rules about the return as a whole (2883, 2886Q, 2887Q, 2888Q) are planted with a header, in files of their own.
"""

from __future__ import annotations

from casefile.rules.cin.tests.builder import HEADER, Planted, clean_child, planted_id, upn_for
from casefile.rules.identifiers import upn_check_letter


def child(code: str, n: int = 1, **identifiers) -> dict:
    planted = clean_child(planted_id(code, n))
    planted.update(identifiers)
    return planted


def episode_of(code: str, n: int = 1, **changes) -> dict:
    """A planted child whose (only) episode has `changes`."""
    planted = child(code, n)
    planted["CINdetails"][0].update(changes)
    return planted


def upn(digits: str) -> str:
    """A UPN with the right check letter for its 12 characters."""
    return upn_check_letter(digits) + digits


def enquiry(start="2025-06-03", conference=None, not_required="false") -> dict:
    record = {"S47ActualStartDate": start, "InitialCPCtarget": "2025-06-20", "ICPCnotRequired": not_required}
    if conference:
        record["DateOfInitialCPC"] = conference
    return record


def protection_plan(start, end=None, reviews=()) -> dict:
    plan = {"CPPstartDate": start, "InitialCategoryOfAbuse": "NEG", "LatestCategoryOfAbuse": "NEG",
            "NumberOfPreviousCPP": "0", "Reviews": list(reviews)}
    if end:
        plan["CPPendDate"] = end
    return plan


def cin_plan(start, end=None) -> dict:
    return {"CINPlanStartDate": start, **({"CINPlanEndDate": end} if end else {})}


def wrong_check_letter(child_id: str) -> str:
    right = upn_for(child_id)
    return ("B" if right[0] == "A" else "A") + right[1:]


def sharing_upn() -> list[dict]:
    first = child("1520", 1)
    return [first, child("1520", 2, UPN=first["UPN"])]


def assessment_before_referral() -> dict:
    planted = child("1103")
    planted["CINdetails"][0]["Assessments"][0]["AssessmentActualStartDate"] = "2025-06-01"
    return planted


PLANTED: dict[str, Planted] = {
    "100": Planted(children=[clean_child(planted_id("100"))], header={**HEADER, "ReferenceDate": "2026-03-30"}),
    "1103": Planted(children=[assessment_before_referral()]),
    "1104": Planted(children=[episode_of("1104", Section47=[enquiry(conference="2025-06-01")])]),
    "1105": Planted(children=[episode_of("1105", CINPlanDates=[], DateOfInitialCPC="2025-06-01",
                                         ChildProtectionPlans=[protection_plan("2025-06-01")])]),
    "1510": Planted(children=[child("1510", UPN=wrong_check_letter(planted_id("1510")))]),
    "1520": Planted(children=sharing_upn()),
    "1530": Planted(children=[child("1530", UPN=upn("999123456789"))]),
    "1540": Planted(children=[child("1540", UPN="A20112X456789")]),
    "1550": Planted(children=[child("1550", UPN="A20112345678I")]),
    "1560Q": Planted(children=[child("1560Q", FormerUPN="12345")]),
    "1570": Planted(children=[clean_child(planted_id("1570") + "LONGERTHANTWENTY")]),
    "1580": Planted(children=[clean_child(planted_id("1580") + "-A")]),
    "2883": Planted(children=[episode_of("2883", CINPlanDates=[],
                                         ChildProtectionPlans=[protection_plan("2025-07-02")])], header=dict(HEADER)),
    "2884": Planted(children=[episode_of("2884", DateOfInitialCPC="2025-06-20",
                                         Section47=[enquiry(conference="2025-06-20")])]),
    "2885": Planted(children=[episode_of("2885", CINPlanDates=[], Section47=[enquiry(conference="2025-06-20")],
                                         ChildProtectionPlans=[protection_plan("2025-06-25")])]),
    "2886Q": Planted(children=[child("2886Q", Sex="U")], header=dict(HEADER)),
    "2887Q": Planted(children=[child("2887Q")], header=dict(HEADER)),
    "2888Q": Planted(children=[child("2888Q", Disabilities=["MOB"])], header=dict(HEADER)),
    "2889": Planted(children=[episode_of("2889", Section47=[enquiry(start="2025-06-01")])]),
    "2990": Planted(children=[episode_of("2990", CINclosureDate="2025-08-01", ReasonForClosure="RC8",
                                         CINPlanDates=[cin_plan("2025-07-02", "2025-08-01")])]),
    "2991Q": Planted(children=[episode_of("2991Q", Assessments=[], Section47=[enquiry()])]),
    "4000": Planted(children=[episode_of("4000", ReferralNFA="true")]),
    "4001": Planted(children=[episode_of("4001", DateOfInitialCPC="2025-08-01",
                                         ChildProtectionPlans=[protection_plan("2025-08-01")])]),
    "4003": Planted(children=[episode_of("4003", DateOfInitialCPC="2025-08-01",
                                         CINPlanDates=[cin_plan("2025-07-02", "2025-12-01")],
                                         ChildProtectionPlans=[protection_plan("2025-08-01", "2025-09-01",
                                                                               reviews=["2025-08-15"])])]),
    "4004": Planted(children=[episode_of("4004", CINPlanDates=[cin_plan("2025-07-02"), cin_plan("2025-07-10")])]),
    "4008": Planted(children=[child("4008", PersonDeathDate="2025-07-01")]),
    "4009Q": Planted(children=[episode_of("4009Q", CINPlanDates=[cin_plan("2025-07-02", "2025-08-15")])
                               | {"PersonDeathDate": "2025-08-01"}]),
    "4010": Planted(children=[episode_of("4010", CINPlanDates=[cin_plan("2026-04-05")])]),
    "4011": Planted(children=[episode_of("4011", CINPlanDates=[cin_plan("2025-07-02", "2025-07-01")])]),
    "4012Q": Planted(children=[episode_of("4012Q", CINPlanDates=[cin_plan("2025-07-02", "2025-07-02")])]),
    "4013": Planted(children=[episode_of("4013", CINPlanDates=[cin_plan("2025-07-02", "2026-04-02")])]),
    "4014": Planted(children=[episode_of("4014", CINPlanDates=[cin_plan("2025-07-02", "2025-09-01"),
                                                               cin_plan("2025-08-01")])]),
    "4015": Planted(children=[episode_of("4015", CINPlanDates=[cin_plan("2025-06-01")])]),
    "4016": Planted(children=[episode_of("4016", DateOfInitialCPC="2025-06-10",
                                         ChildProtectionPlans=[protection_plan("2025-06-10", "2025-07-10")])]),
    "4017": Planted(children=[episode_of("4017", DateOfInitialCPC="2025-08-01",
                                         CINPlanDates=[cin_plan("2025-07-02", "2025-09-01")],
                                         ChildProtectionPlans=[protection_plan("2025-08-01", "2025-08-20")])]),
    "4180": Planted(children=[child("4180", Sex="X")]),
    "4220": Planted(children=[child("4220", Ethnicity="XXXX")]),
}

# Where we differ on inputs other than the planted ones, which both validators find alike (so the parity test,
# which checks DISAGREEMENTS still differ, does not list them). Shown in docs/returns.md's parity section.
DIFFERENCES_ON_OTHER_INPUTS: dict[str, str] = {
    "2885": "The community validator sets aside a section 47 enquiry needing no conference only when "
            "ICPCnotRequired is written 1, not true or TRUE (which the schema's yes/no type allows and its other "
            "rules accept), and then asks the plan to start on that enquiry's missing conference date; we set it "
            "aside however true is written. The planted case (a conference on another day) is found by both.",
    "4003": "The DfE rule compares reviews with CIN plans within one episode (CINdetails); the community validator "
            "joins reviews to protection plans by CPPID alone and to CIN plans by child, so it pairs a review with "
            "another episode's plans and their end dates. It also reads only the first CPPreviewDate of a plan's "
            "Reviews block, so it misses a later review held during a CIN plan. We follow the DfE text and read every "
            "review. The planted case (one episode, one review) is found by both.",
    "4000": "The community validator reads ReferralNFA as true when written true or 1, not TRUE; we accept TRUE too, "
            "as the schema's yes/no type does. The planted case (true) is found by both.",
}

DISAGREEMENTS: dict[str, str] = {
    "2887Q": "The community validator counts the rows whose disability is NONE (its filter keeps NONE rather than "
             "leaving it out), so it queries a return with 7 or fewer NONE rows; we count the different disability "
             "codes other than NONE, as the DfE rule says. Both are reported for the return as a whole, which the "
             "community validator leaves out of user_report.csv.",
    "2883": "Reported for the return as a whole: the community validator finds it too, but lists it only among its "
            "LA-level results, never in user_report.csv.",
    "2886Q": "Reported for the return as a whole: the community validator finds it too, but lists it only among its "
             "LA-level results, never in user_report.csv.",
    "2888Q": "Reported for the return as a whole: the community validator finds it too, but lists it only among its "
             "LA-level results, never in user_report.csv.",
}
