"""Planted violations of rules 8500 to 8775Q, for the parity test against the community validator.

Each child starts as `clean_child` and breaks its rule with one change (sometimes two, where one alone would
break other rules too: an unborn child also needs a believable expected date of birth). Children whose id ends in
N2 or later show a deliberate difference, explained in DISAGREEMENTS.
"""

from __future__ import annotations

from casefile.rules.cin.tests.builder import Planted, clean_child, planted_id, upn_for


def _child(code: str, n: int = 1, **identifiers) -> dict:
    child = clean_child(planted_id(code, n))
    child.update(identifiers)
    return child


def _episode(code: str, n: int = 1, *, identifiers: dict | None = None, **changes) -> dict:
    """A clean child whose one episode has these fields changed ("Assessments" etc. replace the blocks)."""
    child = _child(code, n, **(identifiers or {}))
    child["CINdetails"][0].update(changes)
    return child


def _assessment(code: str, n: int = 1, *, episode: dict | None = None, **changes) -> dict:
    child = _episode(code, n, **(episode or {}))
    child["CINdetails"][0]["Assessments"][0].update(changes)
    return child


def _enquiry(code: str, n: int = 1, *, episode: dict | None = None, **enquiry) -> dict:
    child = _episode(code, n, **(episode or {}))
    child["CINdetails"][0]["Section47"] = [{"ICPCnotRequired": "false", **enquiry}]
    return child


def _protected(code: str, n: int = 1, *, episode: dict | None = None, **plan) -> dict:
    """A child whose CIN plan ended the day before an initial conference that started a child protection plan."""
    child = _episode(code, n, **(episode or {}))
    details = child["CINdetails"][0]
    details["CINPlanDates"] = [{"CINPlanStartDate": "2025-07-02", "CINPlanEndDate": "2025-07-20"}]
    details["Section47"] = [{"S47ActualStartDate": "2025-07-10", "DateOfInitialCPC": "2025-07-21",
                             "ICPCnotRequired": "false"}]
    details["ChildProtectionPlans"] = [{"CPPstartDate": "2025-07-21", "InitialCategoryOfAbuse": "NEG",
                                        "LatestCategoryOfAbuse": "NEG", "NumberOfPreviousCPP": "0",
                                        "Reviews": ["2025-08-20"], **plan}]
    return child


def _closed(code: str, n: int = 1, *, closed: str, reason: str, **changes) -> dict:
    """A clean child whose CIN plan ended on 1 March 2026 and whose episode closed on `closed`."""
    child = _episode(code, n, CINclosureDate=closed, ReasonForClosure=reason, **changes)
    for plan in child["CINdetails"][0]["CINPlanDates"]:
        plan["CINPlanEndDate"] = "2026-03-01"
    return child


def _no_further_action(code: str, n: int = 1, *, referred: str, flag: str) -> dict:
    """A referral with no assessment or plan, flagged as needing no further action (or not)."""
    return _episode(code, n, CINreferralDate=referred, ReferralNFA=flag, Assessments=[], CINPlanDates=[])


def _died(code: str, died: str) -> dict:
    """A child who died on `died`, with no CIN plan (a plan after the death would break rule 4008 too)."""
    return _episode(code, identifiers={"PersonDeathDate": died}, CINPlanDates=[])


def _unborn(code: str, n: int = 1, *, expected: str, sex: str = "U") -> dict:
    return _child(code, n, PersonBirthDate=None, ExpectedPersonBirthDate=expected, Sex=sex, UPN=None,
                  UPNunknown="UN6")


def _same_id(upn_seed: str) -> dict:
    """A child with 8510's id, its own UPN, and no episodes or disabilities: the community validator joins a
    child's tables by LAchildID, so anything more would be counted twice by other rules (overlapping episodes,
    repeated codes). Each also breaks 8590, in both validators."""
    return _child("8510", UPN=upn_for(upn_seed), Disabilities=[], CINdetails=[])


def _with_disabilities(code: str, n: int, disabilities: list[str], **episode) -> dict:
    child = _episode(code, n, **episode)
    child["Disabilities"] = disabilities
    return child


PLANTED: dict[str, Planted] = {
    "8510": Planted(children=[_same_id("8510 first"), _same_id("8510 second")]),
    "8520": Planted(children=[_child("8520", PersonBirthDate="2026-04-15")]),
    "8525Q": Planted(children=[_child("8525Q", ExpectedPersonBirthDate="2026-05-01")]),
    "8530Q": Planted(children=[_unborn("8530Q", expected="2026-02-01")]),
    "8535Q": Planted(children=[_died("8535Q", "2015-01-01")]),
    "8540": Planted(children=[_with_disabilities("8540", 1, ["XYZ"]), _with_disabilities("8540", 2, [])]),
    "8545Q": Planted(children=[_child("8545Q", PersonDeathDate="2026-04-10")]),
    "8555Q": Planted(children=[_died("8555Q", "2025-06-01")]),
    "8565": Planted(children=[
        # Closed after assessment, before the assessment was authorised.
        _episode("8565", CINclosureDate="2025-06-30", ReasonForClosure="RC8", CINPlanDates=[]),
        # A child protection plan ending after its episode closed.
        _protected("8565", 2, episode={"CINclosureDate": "2025-09-01", "ReasonForClosure": "RC7"},
                   CPPendDate="2025-09-10")]),
    "8568": Planted(children=[_episode("8568", ReferralNFA="maybe")]),
    "8569Q": Planted(children=[_no_further_action("8569Q", referred="2025-03-31", flag="true"),
                               _no_further_action("8569Q", 2, referred="2025-03-31", flag="FALSE")]),
    "8585Q": Planted(children=[_closed("8585Q", closed="2026-03-01", reason="RC2")]),
    "8590": Planted(children=[_child("8590", CINdetails=[])]),
    "8600": Planted(children=[_episode("8600", CINreferralDate=None)]),
    "8606": Planted(children=[_child("8606", PersonBirthDate="2026-03-20")]),
    "8608": Planted(children=[_assessment("8608", AssessmentAuthorisationDate="2025-06-02")]),
    "8610": Planted(children=[_episode("8610", PrimaryNeedCode=None),
                              _episode("8610", 2, PrimaryNeedCode=None, ReferralNFA="FALSE")]),
    "8614": Planted(children=[_assessment("8614", AssessmentAuthorisationDate=None)]),
    "8615": Planted(children=[_enquiry("8615", S47ActualStartDate="2025-07-10", DateOfInitialCPC="2025-07-04")]),
    "8620": Planted(children=[_closed("8620", closed="2026-04-05", reason="RC7")]),
    "8630": Planted(children=[_episode("8630", CINclosureDate="2025-06-01", ReasonForClosure="RC7", Assessments=[],
                                       CINPlanDates=[])]),
    "8640": Planted(children=[_closed("8640", closed="2026-03-01", reason="RC10")]),
    "8650": Planted(children=[_episode("8650", PrimaryNeedCode="N10")]),
    "8670Q": Planted(children=[_assessment("8670Q", AssessmentAuthorisationDate=None, AssessmentFactors=[])]),
    "8675Q": Planted(children=[_enquiry("8675Q", S47ActualStartDate="2026-02-02"),
                               _enquiry("8675Q", 2, S47ActualStartDate="2026-02-02", ICPCnotRequired="FALSE")]),
    "8696": Planted(children=[_assessment("8696", episode={"CINreferralDate": "2025-03-01"},
                                          AssessmentActualStartDate="2025-03-02",
                                          AssessmentAuthorisationDate="2025-03-20")]),
    "8715": Planted(children=[_enquiry("8715", S47ActualStartDate="2026-03-20", DateOfInitialCPC="2026-04-02")]),
    "8720": Planted(children=[_protected("8720", CPPstartDate=None)]),
    "8730": Planted(children=[_protected("8730", NumberOfPreviousCPP=None)]),
    "8736": Planted(children=[_assessment("8736", episode={"CINreferralDate": "2025-03-01"},
                                          AssessmentActualStartDate="2025-03-15", AssessmentAuthorisationDate=None,
                                          AssessmentFactors=[])]),
    "8740": Planted(children=[
        _enquiry("8740", episode={"CINreferralDate": "2025-03-01"}, S47ActualStartDate="2025-03-10",
                 ICPCnotRequired="0"),
        _enquiry("8740", 2, episode={"CINreferralDate": "2025-03-01"}, S47ActualStartDate="2025-03-10")]),
    "8750": Planted(children=[_unborn("8750", expected="2026-03-05", sex="F")]),
    "8770Q": Planted(children=[_child("8770Q", UPN=None)]),
    "8772": Planted(children=[_child("8772", UPN=None, UPNunknown="UN7")]),
    "8775Q": Planted(children=[_child("8775Q", PersonBirthDate="2000-01-01")]),
}

DISAGREEMENTS: dict[str, str] = {
    "8540": "The community validator never reports 8540: the location it gives for the child's row names a column "
            "its merge renamed, and its engine drops every finding of a rule whose report cannot be built.",
    "8614": "The community validator stops with an error (a list of factors cannot be grouped) whenever an "
            "assessment breaks 8614, so it reports nothing.",
    "8565": "The DfE rule includes CPPendDate; the community validator checks a dummy table left in its code instead "
            "of the child protection plans, so it misses P8565N2. (It also stops with an error, flagging nothing, "
            "when the number of late CIN plan rows differs from the number of late section 47 rows.)",
    "8569Q": "ReferralNFA FALSE is false here, so P8569QN2's referral is allowed; the community validator only "
             "reads 'false' and '0' as false and flags it.",
    "8610": "ReferralNFA FALSE is 'further action' here (P8610N2); the community validator only reads 'false' and "
            "'0'.",
    "8675Q": "ICPCnotRequired FALSE is false here (P8675QN2); the community validator only reads 'false' and '0'.",
    "8740": "The DfE rule says ICPCnotRequired is false; the community validator only reads '0' as false, so it "
            "misses P8740N2 ('false').",
}
