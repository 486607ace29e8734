"""Build CIN census returns for tests from short nested dicts, starting from a child who breaks no rule.

    child = clean_child("A1")
    child["CINdetails"][0]["ReferralSource"] = "99"      # plant a violation
    xml = census_xml([clean_child("OK1"), child])

Values are the text the file will hold (dates as "YYYY-MM-DD"), so any malformed value can be planted. A child
is a dict of ChildIdentifiers fields plus "Ethnicity", "Disabilities" (codes) and "CINdetails" (episodes, each
with "Assessments" (with "AssessmentFactors"), "CINPlanDates", "Section47" and "ChildProtectionPlans" (with
"Reviews": dates)).
"""

from __future__ import annotations

import copy
import dataclasses
import zlib

from casefile.rules.cin.census import Census
from casefile.rules.cin.write import write
from casefile.rules.identifiers import upn_check_letter

REFERENCE_DATE = "2026-03-31"

HEADER = {"Collection": "CIN", "Year": "2026", "ReferenceDate": REFERENCE_DATE, "SourceLevel": "L", "LEA": "201",
          "SoftwareCode": "Casefile", "Release": "1", "SerialNo": "001", "DateTime": "2026-04-02T09:00:00"}

_CLEAN = {
    "LAchildID": None,
    "UPN": None,
    "PersonBirthDate": "2015-06-01",
    "Sex": "F",
    "Ethnicity": "WBRI",
    "Disabilities": ["NONE"],
    "CINdetails": [{
        "CINreferralDate": "2025-06-02",
        "ReferralSource": "2A",
        "PrimaryNeedCode": "N1",
        "ReferralNFA": "false",
        "Assessments": [{
            "AssessmentActualStartDate": "2025-06-03",
            "AssessmentAuthorisationDate": "2025-07-01",
            "AssessmentFactors": ["3A"],
        }],
        "CINPlanDates": [{"CINPlanStartDate": "2025-07-02"}],
        "Section47": [],
        "ChildProtectionPlans": [],
    }],
}


def clean_child(child_id: str) -> dict:
    """A child in need with a referral, an authorised assessment and an open CIN plan, breaking no rule."""
    child = copy.deepcopy(_CLEAN)
    child["LAchildID"] = child_id
    child["UPN"] = upn_for(child_id)
    return child


def clean_return(children: list[dict], header: dict | None = None) -> bytes:
    """A return breaking no rule, the return-level queries included: the first child is given the 8 disability
    codes that rules 2887Q (fewer than 8 codes in the return) and 2888Q (no child with more than one) look for."""
    children = copy.deepcopy(children)
    children[0]["Disabilities"] = list(SEVERAL_DISABILITIES)
    return census_xml(children, header)


SEVERAL_DISABILITIES = ("MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS")


def upn_for(child_id: str) -> str:
    """A valid UPN, different for each child id: LA 201, a school number and a serial derived from the id."""
    digits = f"201{zlib.crc32(child_id.encode()) % 10**9:09d}"
    return upn_check_letter(digits) + digits


def census(children: list[dict], header: dict | None = None) -> Census:
    """The tables of a return holding these children, with values as written (text)."""
    result = Census.empty(HEADER if header is None else header)
    tables = result.tables
    for child in children:
        child_id = child["LAchildID"]
        tables["ChildIdentifiers"].append({k: v for k, v in child.items()
                                           if k not in ("Ethnicity", "Disabilities", "CINdetails")})
        tables["ChildCharacteristics"].append({"LAchildID": child_id, "Ethnicity": child.get("Ethnicity")})
        tables["Disabilities"].extend({"LAchildID": child_id, "Disability": code}
                                      for code in child.get("Disabilities", ()))
        for episode_id, episode in enumerate(child.get("CINdetails", ()), start=1):
            keys = {"LAchildID": child_id, "CINdetailsID": episode_id}
            nested = ("Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans")
            tables["CINdetails"].append({**keys, **{k: v for k, v in episode.items() if k not in nested}})
            for assessment_id, assessment in enumerate(episode.get("Assessments", ()), start=1):
                tables["Assessments"].append({**keys, "AssessmentID": assessment_id, **assessment,
                                              "AssessmentFactors": tuple(assessment.get("AssessmentFactors", ()))})
            tables["CINplanDates"].extend({**keys, **plan} for plan in episode.get("CINPlanDates", ()))
            tables["Section47"].extend({**keys, **enquiry} for enquiry in episode.get("Section47", ()))
            for plan_id, plan in enumerate(episode.get("ChildProtectionPlans", ()), start=1):
                ids = {**keys, "CPPID": plan_id}
                tables["ChildProtectionPlans"].append({**ids, **{k: v for k, v in plan.items() if k != "Reviews"}})
                tables["Reviews"].extend({**ids, "CPPreviewDate": date} for date in plan.get("Reviews", ()))
    return result


def census_xml(children: list[dict], header: dict | None = None) -> bytes:
    return write(census(children, header))


@dataclasses.dataclass
class Planted:
    """A planted violation of one rule, for the parity test against the community validator.

    `children` break the rule (and, ideally, nothing else); give them ids from `planted_id`. With `header`, the
    plant is about the return as a whole and goes in a file of its own with that header."""

    children: list[dict]
    header: dict | None = None


def planted_id(code: str, n: int = 1) -> str:
    """A child id naming the rule it was planted for (letters and digits only: rules 1570 and 1580)."""
    return f"P{code}N{n}"
