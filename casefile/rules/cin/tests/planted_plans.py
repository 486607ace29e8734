"""Planted violations of rules 8790 to 8950Q for the parity test against the community validator.

Each plant starts from a child both validators find clean (`clean_child`, or one of the clean variants below: on a
child protection plan, closed, a referral with no further action) and changes one thing.
"""

from __future__ import annotations

from casefile.rules.cin.tests.builder import Planted, clean_child, planted_id


def on_plan(child_id: str, **plan) -> dict:
    """A clean child on a child protection plan: an enquiry, a conference on Wednesday 30 July 2025 (the CIN plan
    ends that day), the plan from that day with one review; `plan` changes the plan's values."""
    child = clean_child(child_id)
    episode = child["CINdetails"][0]
    episode["CINPlanDates"][0]["CINPlanEndDate"] = "2025-07-30"
    episode["Section47"] = [{"S47ActualStartDate": "2025-07-10", "InitialCPCtarget": "2025-07-31",
                             "DateOfInitialCPC": "2025-07-30"}]
    episode["ChildProtectionPlans"] = [{"CPPstartDate": "2025-07-30", "InitialCategoryOfAbuse": "NEG",
                                        "LatestCategoryOfAbuse": "NEG", "NumberOfPreviousCPP": "0",
                                        "Reviews": ["2025-10-20"], **plan}]
    return child


def closed(child_id: str, on: str = "2026-01-15", reason: str | None = "RC7") -> dict:
    """A clean child whose episode (and CIN plan) closed `on`, for `reason`."""
    child = clean_child(child_id)
    episode = child["CINdetails"][0]
    episode["CINclosureDate"] = on
    if reason:
        episode["ReasonForClosure"] = reason
    episode["CINPlanDates"][0]["CINPlanEndDate"] = on
    return child


def no_further_action(child_id: str) -> dict:
    """A clean referral with no further action, closed the day it came in."""
    child = clean_child(child_id)
    episode = child["CINdetails"][0]
    episode.update(ReferralNFA="true", CINclosureDate=episode["CINreferralDate"], ReasonForClosure="RC7",
                   Assessments=[], CINPlanDates=[])
    return child


def earlier_episode(closed_on: str) -> dict:
    """A finished episode before the clean one: referred 10 April 2025, closed `closed_on`."""
    return {"CINreferralDate": "2025-04-10", "ReferralSource": "1A", "PrimaryNeedCode": "N1", "ReferralNFA": "false",
            "CINclosureDate": closed_on, "ReasonForClosure": "RC7",
            "Assessments": [{"AssessmentActualStartDate": "2025-04-11", "AssessmentAuthorisationDate": "2025-05-01",
                             "AssessmentFactors": ["3A"]}],
            "CINPlanDates": [{"CINPlanStartDate": "2025-05-02", "CINPlanEndDate": closed_on}],
            "Section47": [], "ChildProtectionPlans": []}


def _plant(code: str, change, base=clean_child, n: int = 1) -> dict:
    """A child planted for `code`: `base` (a clean child) with `change` applied to it."""
    child = base(planted_id(code, n))
    change(child)
    return child


def _first(change):
    """A change to the child's first episode."""
    return lambda child: change(child["CINdetails"][0])


def _factors(*factors: str):
    return _first(lambda episode: episode["Assessments"][0].update(AssessmentFactors=list(factors)))


def _also(table: str, **row):
    """Add a row to the first episode's table (Assessments, Section47, ChildProtectionPlans)."""
    return _first(lambda episode: episode[table].append(row))


def _enquiries(*enquiries: dict):
    return _first(lambda episode: episode.update(Section47=list(enquiries)))


def _before(episode: dict):
    """Put an episode before the child's first."""
    return lambda child: child["CINdetails"].insert(0, episode)


_OPEN_EARLIER = {**earlier_episode("2025-06-10"), "CINclosureDate": None, "ReasonForClosure": None,
                 "CINPlanDates": [{"CINPlanStartDate": "2025-05-02"}]}
_PLAN = {"InitialCategoryOfAbuse": "NEG", "LatestCategoryOfAbuse": "NEG", "NumberOfPreviousCPP": "0"}


def _plan_ended(child_id: str) -> dict:
    """On a plan that ended on 30 September 2025."""
    return on_plan(child_id, CPPendDate="2025-09-30")


def _plans_in_two_episodes(child_id: str) -> dict:
    """Two episodes, each with an open child protection plan numbered 1 (the first episode closed on 1 September
    2025 with its plan not ended)."""
    child = on_plan(child_id)
    child["CINdetails"][0].update(CINclosureDate="2025-09-01", ReasonForClosure="RC7")
    second = on_plan(child_id)["CINdetails"][0]
    second.update(CINreferralDate="2025-09-01", CINPlanDates=[])
    second["Assessments"][0].update(AssessmentActualStartDate="2025-09-02", AssessmentAuthorisationDate="2025-09-20")
    second["Section47"][0].update(S47ActualStartDate="2025-09-22", InitialCPCtarget="2025-10-09",
                                  DateOfInitialCPC="2025-10-08")
    second["ChildProtectionPlans"][0].update(CPPstartDate="2025-10-08", Reviews=["2025-12-01"])
    child["CINdetails"].append(second)
    return child


def _death(on: str):
    return lambda child: child.update(PersonDeathDate=on)


def _plan(**values):
    return _first(lambda episode: episode["ChildProtectionPlans"][0].update(values))


PLANTED: dict[str, Planted] = {
    "8790": Planted(children=[_plant("8790", lambda child: child.update(Disabilities=["NONE", "VIS"]))]),
    "8794": Planted(children=[_plant("8794", lambda child: child.update(Disabilities=["VIS", "VIS"]))]),
    "8805": Planted(children=[closed(planted_id("8805"), reason=None)]),
    "8810": Planted(children=[_plant("8810", _first(lambda episode: episode.update(ReasonForClosure="RC7")))]),
    # Two open episodes: the earlier is also not the latest (8816) and the later starts inside it (8820).
    "8815": Planted(children=[_plant("8815", _before(_OPEN_EARLIER))]),
    # N1: an open episode before a closed one, which starts inside it (8820). N2: a referral with no further
    # action listed before an open episode referred the same day (the open one is the latest: see DISAGREEMENTS).
    "8816": Planted(children=[_plant("8816", _before(_OPEN_EARLIER), base=closed),
                              _plant("8816", lambda child: child["CINdetails"].insert(
                                  0, no_further_action("unused")["CINdetails"][0]), n=2)]),
    "8820": Planted(children=[_plant("8820", _before(earlier_episode("2025-06-10")))]),
    "8825Q": Planted(children=[_plant("8825Q", _first(lambda episode: episode.update(
        CINclosureDate="2025-07-01", ReasonForClosure="RC8", Assessments=[], CINPlanDates=[])))]),
    "8831": Planted(children=[_plant("8831", _also("Assessments", AssessmentActualStartDate="2025-06-02"),
                                     base=no_further_action)]),
    "8832": Planted(children=[_plant("8832", _also("ChildProtectionPlans", CPPstartDate="2025-06-02",
                                                   CPPendDate="2025-06-02", **_PLAN), base=no_further_action)]),
    "8839": Planted(children=[_plant("8839", _enquiries({"S47ActualStartDate": "2025-07-10"},
                                                        {"S47ActualStartDate": "2025-08-11"}))]),
    "8840": Planted(children=[_plant("8840", _plan(CPPendDate="2025-07-30", Reviews=[]), base=on_plan)]),
    # N2 (and 8842Q's N2): the date comes second in the plan's Reviews (see DISAGREEMENTS).
    "8841": Planted(children=[_plant("8841", _plan(Reviews=["2025-07-30"]), base=on_plan),
                              _plant("8841", _plan(Reviews=["2025-10-20", "2025-07-01"]), base=on_plan, n=2)]),
    "8842Q": Planted(children=[_plant("8842Q", _plan(Reviews=["", "2025-10-20"]), base=on_plan),
                               _plant("8842Q", _plan(Reviews=["2025-10-20", ""]), base=on_plan, n=2)]),
    # N2: the same assessment twice (see DISAGREEMENTS).
    "8863Q": Planted(children=[_plant("8863Q", _also("Assessments", AssessmentActualStartDate="2025-06-20",
                                                     AssessmentAuthorisationDate="2025-07-10",
                                                     AssessmentFactors=["3A"])),
                               _plant("8863Q", _first(lambda episode: episode["Assessments"].append(
                                   dict(episode["Assessments"][0]))), n=2)]),
    "8866": Planted(children=[_plant("8866", _first(lambda episode: episode.update(ReferralSource="99")))]),
    "8867": Planted(children=[_plant("8867", _first(lambda episode: episode["Assessments"][0].pop(
        "AssessmentAuthorisationDate")), base=closed)]),
    "8868": Planted(children=[_plant("8868", _enquiries({"S47ActualStartDate": "2025-07-10"}), base=closed)]),
    "8869": Planted(children=[_plant("8869", _factors("21", "3A"))]),
    # Saturday 2 August 2025.
    "8870Q": Planted(children=[_plant("8870Q", _first(lambda episode: episode["Section47"][0].update(
        InitialCPCtarget="2025-08-02")), base=on_plan)]),
    "8873Q": Planted(children=[_plant("8873Q", _factors("21"))]),
    # Sunday 3 August 2025, with the plan starting that day.
    "8875": Planted(children=[_plant("8875", _first(lambda episode: (
        episode["Section47"][0].update(DateOfInitialCPC="2025-08-03"),
        episode["CINPlanDates"][0].update(CINPlanEndDate="2025-08-03"),
        episode["ChildProtectionPlans"][0].update(CPPstartDate="2025-08-03"))), base=on_plan)]),
    "8890": Planted(children=[_plant("8890", _enquiries(
        {"S47ActualStartDate": "2025-07-10", "InitialCPCtarget": "2025-07-31", "DateOfInitialCPC": "2025-07-30"},
        {"S47ActualStartDate": "2025-07-20", "ICPCnotRequired": "true"}), base=on_plan),
                              # N2: the same enquiry twice (see DISAGREEMENTS).
                              _plant("8890", _first(lambda episode: episode["Section47"].append(
                                  dict(episode["Section47"][0]))), base=on_plan, n=2)]),
    # Two unfinished assessments: the second also starts while the first is ongoing (8863Q).
    "8896": Planted(children=[_plant("8896", _first(lambda episode: (
        episode["Assessments"][0].pop("AssessmentAuthorisationDate"),
        episode["Assessments"].append({"AssessmentActualStartDate": "2025-06-20", "AssessmentFactors": ["3A"]}))))]),
    "8897Q": Planted(children=[_plant("8897Q", _factors("99"))]),
    "8898": Planted(children=[_plant("8898", _factors("3A", "3A"))]),
    "8905": Planted(children=[_plant("8905", _plan(InitialCategoryOfAbuse="XXX"), base=on_plan)]),
    "8910": Planted(children=[_plant("8910", _plan(LatestCategoryOfAbuse="XXX"), base=on_plan)]),
    "8915": Planted(children=[_plant("8915", _death("2025-07-29"), base=on_plan)]),
    "8920": Planted(children=[_plant("8920", _death("2025-09-29"), base=_plan_ended)]),
    "8925": Planted(children=[_plant("8925", _plan(CPPendDate="2025-07-29", Reviews=[]), base=on_plan)]),
    "8930": Planted(children=[_plant("8930", _plan(CPPendDate="2026-04-10"), base=on_plan)]),
    # N1: two open plans in one episode (the second starts inside the first: 8940 too), N2: one open plan in each
    # of two episodes (8940 too).
    "8935": Planted(children=[
        _plant("8935", _also("ChildProtectionPlans", CPPstartDate="2025-10-01", **_PLAN), base=on_plan),
        _plant("8935", lambda child: None, base=_plans_in_two_episodes, n=2)]),
    # N1: the second plan in the episode starts the day the first ended; N2: plans numbered 1 in two episodes.
    "8940": Planted(children=[
        _plant("8940", _also("ChildProtectionPlans", CPPstartDate="2025-09-30", CPPendDate="2025-12-01", **_PLAN),
               base=_plan_ended),
        _plant("8940", lambda child: None, base=_plans_in_two_episodes, n=2)]),
    "8945Q": Planted(children=[_plant("8945Q", _factors("18A"))]),
    "8950Q": Planted(children=[_plant("8950Q", _factors("19A"))]),
}

_NEVER = "never reports this rule on a census file: "

DISAGREEMENTS: dict[str, str] = {
    "8816": "Two episodes referred the same day: the community validator takes the first row with the latest date "
            "as the latest episode, so an open episode listed after one referred the same day is flagged, or not, "
            "by the order of the file. We take an episode referred on the latest date as the latest (DfE: 'must be "
            "the latest of all Referral Dates').",
    "8832": "The community validator swaps the two tables' row numbers (its merge suffixes are the wrong way "
            "round), so it reports the plan and the episode at each other's row numbers: usually other children, "
            "and the referral with no further action only when both happen to share a row number.",
    "8841": "The community validator reads only the first CPPreviewDate in a plan's Reviews (its reader finds one "
            "date per Reviews element, and the schema puts all of a plan's review dates in one), so it misses a "
            "later review date on or before the plan's start. We read every review date.",
    "8842Q": "As 8841: the community validator misses a missing or invalid review date that is not the first of "
             "the plan's.",
    "8863Q": "The community validator tells an assessment from the others by its dates, so an assessment recorded "
             "twice (same start and authorisation) is never compared with its copy. We compare every other "
             "assessment in the episode, so a copy starting while the original is ongoing is flagged.",
    "8869": _NEVER + "it compares each assessment's list of factors, as text, with \"21\", which never matches.",
    "8870Q": _NEVER + "InitialCPCtarget is not read as a date (its name lacks 'date') and is then parsed as "
             "DD-MM-YYYY, so a census date (YYYY-MM-DD) is never a weekend.",
    "8890": "As 8863Q: an enquiry recorded twice (same start and conference date) is never compared with its copy "
            "by the community validator; we flag the copy.",
    "8897Q": _NEVER + "it fails with 'unhashable type: list' whenever an assessment breaks it. It also joins "
             "factors to assessments by AssessmentID without CINdetailsID, mixing episodes.",
    "8898": _NEVER + "it fails with 'unhashable type: list' whenever an assessment breaks it.",
    "8935": "The community validator counts open plans per child and CPPID, which restarts at 1 in each episode: it "
            "misses two open plans in one episode and flags open plans numbered alike in two episodes only. We "
            "count open plans per child, as the DfE rule says.",
    "8940": "The community validator never compares two plans with the same CPPID, so it misses an overlap "
            "between plan 1 of one episode and plan 1 of another. We compare every other plan of the child.",
    "8945Q": _NEVER + "it upper-cases each assessment's list of factors as if it were text, which gives nothing.",
    "8950Q": _NEVER + "as 8945Q.",
}
