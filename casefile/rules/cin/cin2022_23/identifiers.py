"""Rules 100 to 4220: the header; identifiers (LA child ID, UPN and former UPN, sex, ethnicity); dates before the
episode's referral; conferences, CIN plans, protection plans and reviews checked against each other; and queries
about the return as a whole (reported with no child: 2883, 2886Q, 2887Q, 2888Q).

Each rule is one pass over its table, with lookups across tables through indexes built once per call. Where the
community validator (csc-validator-be-cin) decides an edge case the DfE text leaves open (a missing date, a
reference date the value is compared with), these rules decide it the same way; where it has a plain bug, the
rule follows the DfE text and `tests/planted_identifiers.py` names the difference in DISAGREEMENTS.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from casefile.rules.cin.engine import ERROR, QUERY, Hit, RuleSet
from casefile.rules.codes import CLOSED_AFTER_ASSESSMENT, ETHNICITY, NO_DISABILITY
from casefile.rules.identifiers import UPN_LETTERS, upn_check_letter

rules = RuleSet()

CHECK = "Please check and either amend or provide a reason: "


def is_true(value) -> bool:
    """The census's yes/no type: true, TRUE or 1."""
    return value is not None and value.lower() in ("true", "1")


@rules.rule("100", ERROR, "Reference Date is incorrect", table="Header", fields=("ReferenceDate",))
def _(census):
    header = census.header
    year = header.get("Year")
    expected = datetime.date(int(year), 3, 31) if isinstance(year, str) and year.isdigit() else None
    reference = header.get("ReferenceDate")
    if reference is None or reference != expected:
        yield Hit("Header", 0)


# --- lookups shared by the rules below (each built once per rule call) ---

def episodes(census) -> dict[tuple, dict]:
    """Each episode (CINdetails row) by (LAchildID, CINdetailsID)."""
    return {(row["LAchildID"], row["CINdetailsID"]): row for row in census.rows("CINdetails")}


def keys_of(census, table: str) -> dict[tuple, list[tuple[int, dict]]]:
    """A table's rows (with their index) grouped by episode, (LAchildID, CINdetailsID)."""
    grouped = defaultdict(list)
    for index, row in enumerate(census.rows(table)):
        grouped[row["LAchildID"], row["CINdetailsID"]].append((index, row))
    return grouped


def before_referral(census, table: str, field: str):
    """Rows of `table` whose `field`, where present, is before their episode's referral date."""
    referrals = episodes(census)
    for index, row in enumerate(census.rows(table)):
        date = row.get(field)
        episode = referrals.get((row["LAchildID"], row["CINdetailsID"]))
        referral = episode.get("CINreferralDate") if episode else None
        if date is not None and referral is not None and date < referral:
            yield Hit(table, index)


def in_period(census, date) -> bool:
    if date is None:  # before working out the period: rules ask this of every row
        return False
    start, end = census.period_start, census.reference_date
    return start is not None and start <= date <= end


def la_level(census):
    """A finding about the return as a whole: reported against its header, with no child."""
    yield Hit("Header", 0, fields=("ReferenceDate",))


# --- dates before the referral ---

@rules.rule("1103", ERROR, "The assessment start date cannot be before the referral date", table="Assessments",
            fields=("AssessmentActualStartDate",))
def _(census):
    yield from before_referral(census, "Assessments", "AssessmentActualStartDate")


@rules.rule("1104", ERROR, "The date of the initial child protection conference cannot be before the referral date",
            table="Section47", fields=("DateOfInitialCPC",))
def _(census):
    yield from before_referral(census, "Section47", "DateOfInitialCPC")


@rules.rule("1105", ERROR, "The child protection plan start date cannot be before the referral date",
            table="ChildProtectionPlans", fields=("CPPstartDate",))
def _(census):
    yield from before_referral(census, "ChildProtectionPlans", "CPPstartDate")


@rules.rule("2889", ERROR, "The S47 start date cannot be before the referral date.", table="Section47",
            fields=("S47ActualStartDate",))
def _(census):
    yield from before_referral(census, "Section47", "S47ActualStartDate")


@rules.rule("4015", ERROR, "The CIN Plan start date cannot be before the referral date", table="CINplanDates",
            fields=("CINPlanStartDate",))
def _(census):
    yield from before_referral(census, "CINplanDates", "CINPlanStartDate")


# --- UPN and former UPN ---

def upns(census):
    """ChildIdentifiers rows with a UPN: (index, UPN)."""
    for index, row in enumerate(census.rows("ChildIdentifiers")):
        if row.get("UPN"):
            yield index, row["UPN"]


def is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


@rules.rule("1510", ERROR, "UPN invalid (wrong check letter at character 1)", table="ChildIdentifiers",
            fields=("UPN",))
def _(census):
    # Only a UPN of 13 characters ending in 12 digits has a check letter to compare (a temporary UPN ends in a
    # letter; rules 1540 and 1550 report other shapes).
    for index, upn in upns(census):
        if len(upn) == 13 and is_digits(upn[1:]) and upn_check_letter(upn[1:]) != upn[0]:
            yield Hit("ChildIdentifiers", index)


@rules.rule("1520", ERROR, "More than one record with the same UPN.", table="ChildIdentifiers", fields=("UPN",))
def _(census):
    counts = Counter(upn for _, upn in upns(census))
    for index, upn in upns(census):
        if counts[upn] > 1:
            yield Hit("ChildIdentifiers", index)


def la_codes(*extra: int) -> frozenset[str]:
    """Post-April 1998 LA codes and the pseudo-LA codes a UPN's characters 2-4 may hold."""
    spans = ((1, 5), (201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373), (380, 384),
             (390, 394), (660, 681), (701, 708), (800, 803), (805, 808), (810, 813), (820, 823), (835, 839),
             (850, 852), (855, 857), (865, 896), (935, 938), (940, 941))
    singles = (420, 815, 816, 825, 826, 830, 831, 840, 841, 845, 846, 860, 861, 908, 909, 916, 919, 921, 925, 926,
               928, 929, 931, 933) + extra
    codes = {code for first, last in spans for code in range(first, last + 1)} | set(singles)
    return frozenset(f"{code:03d}" for code in codes)


LA_CODES_2022 = la_codes()


def upn_la_code_rule(codes: frozenset[str]):
    def check(census):
        for index, upn in upns(census):
            if len(upn) == 13 and upn[1:4] not in codes:
                yield Hit("ChildIdentifiers", index)
    return check


rules.rule("1530", ERROR, "UPN invalid (characters 2-4 not a recognised LA code)", table="ChildIdentifiers",
           fields=("UPN",))(upn_la_code_rule(LA_CODES_2022))


@rules.rule("1540", ERROR, "UPN invalid (characters 5-12 not all numeric)", table="ChildIdentifiers",
            fields=("UPN",))
def _(census):
    # A UPN too short to have characters 5-12 fails too, as in the community validator.
    for index, upn in upns(census):
        if not is_digits(upn[4:12]):
            yield Hit("ChildIdentifiers", index)


UPN_LAST = frozenset(UPN_LETTERS) | frozenset("0123456789")


@rules.rule("1550", ERROR, "UPN invalid (character 13 not a recognised value)", table="ChildIdentifiers",
            fields=("UPN",))
def _(census):
    for index, upn in upns(census):
        if len(upn) == 13 and upn[12] not in UPN_LAST:
            yield Hit("ChildIdentifiers", index)


@rules.rule("1560Q", QUERY, CHECK + "Former UPN wrongly formatted", table="ChildIdentifiers", fields=("FormerUPN",))
def _(census):
    for index, row in enumerate(census.rows("ChildIdentifiers")):
        former = row.get("FormerUPN")
        if former and not (len(former) == 13 and former[0].isalpha() and is_digits(former[1:])):
            yield Hit("ChildIdentifiers", index)


# --- the return as a whole (reported with no child) ---

@rules.rule("2883", ERROR, "There are more child protection plans starting than initial conferences taking place",
            table="ChildProtectionPlans", fields=("CPPstartDate",))
def _(census):
    if census.reference_date is None:
        return
    plans = sum(in_period(census, row.get("CPPstartDate")) for row in census.rows("ChildProtectionPlans"))
    conferences = sum(in_period(census, row.get("DateOfInitialCPC"))
                      for table in ("CINdetails", "Section47") for row in census.rows(table))
    if plans > conferences:
        yield from la_level(census)


def no_sex_rule(field: str, missing: frozenset[str]):
    def check(census):
        children = census.rows("ChildIdentifiers")
        unrecorded = sum(1 for row in children if row.get("ExpectedPersonBirthDate") is None
                         and (row.get(field) is None or row[field] in missing))
        if children and unrecorded / len(children) > 0.02:
            yield from la_level(census)
    return check


rules.rule("2886Q", QUERY, CHECK + "Percentage of children with no gender recorded is more than 2% (excluding unborns)",
           table="ChildIdentifiers", fields=("GenderCurrent",))(no_sex_rule("GenderCurrent", frozenset({"0"})))


@rules.rule("2887Q", QUERY, CHECK + "Less than 8 disability codes have been used in your return", table="Disabilities",
            fields=("Disability",))
def _(census):
    # The DfE rule: fewer than 8 different codes, NONE aside. (The community validator counts the NONE rows.)
    used = {row["Disability"] for row in census.rows("Disabilities")
            if row.get("Disability") and row["Disability"] != NO_DISABILITY}
    if len(used) <= 7:
        yield from la_level(census)


@rules.rule("2888Q", QUERY, CHECK + "Only one disability code is recorded per child and multiple disabilities should "
            "be recorded where possible.", table="Disabilities", fields=("Disability",))
def _(census):
    # Fires when some child has a disability and none has more than one; a return with no disabled child passes.
    per_child = Counter(row["LAchildID"] for row in census.rows("Disabilities")
                        if row.get("Disability") and row["Disability"] != NO_DISABILITY)
    if per_child and max(per_child.values()) <= 1:
        yield from la_level(census)


# --- conferences and plans ---

@rules.rule("2884", ERROR, "An initial child protection conference is recorded at both the S47 and CIN Details "
            "level and it should only be recorded in one", table="Section47", fields=("DateOfInitialCPC",))
def _(census):
    # As the community validator does, a date is matched against the child's episodes, not only its own.
    at_episode = defaultdict(set)
    for row in census.rows("CINdetails"):
        if row.get("DateOfInitialCPC") is not None:
            at_episode[row["LAchildID"]].add(row["DateOfInitialCPC"])
    for index, row in enumerate(census.rows("Section47")):
        if row.get("DateOfInitialCPC") in at_episode.get(row["LAchildID"], ()):
            yield Hit("Section47", index)


@rules.rule("2885", ERROR, "Child protection plan shown as starting a different day to the initial child protection "
            "conference.", table="ChildProtectionPlans", fields=("CPPstartDate",))
def _(census):
    # A plan starting in the census year starts on the day of a conference: one of its episode's section 47
    # enquiries' (those with a conference), or the episode's own when it has no such enquiry.
    if census.reference_date is None:
        return
    enquiries = defaultdict(set)
    for row in census.rows("Section47"):
        # The community validator treats only "1" as "not required"; "true" means the same (DISAGREEMENTS).
        if not is_true(row.get("ICPCnotRequired")):
            enquiries[row["LAchildID"], row["CINdetailsID"]].add(row.get("DateOfInitialCPC"))
    details = episodes(census)
    for index, row in enumerate(census.rows("ChildProtectionPlans")):
        start = row.get("CPPstartDate")
        if not in_period(census, start):
            continue
        key = row["LAchildID"], row["CINdetailsID"]
        if key in enquiries:
            conferences = enquiries[key]
        else:
            episode = details.get(key)
            conferences = {episode.get("DateOfInitialCPC")} if episode else set()
        if start not in conferences:
            yield Hit("ChildProtectionPlans", index)


@rules.rule("2990", ERROR, "Activity is recorded against a case marked as ‘Case closed after assessment, no further "
            "action’ or 'case closed after assessment, referred to early help'.", table="CINdetails",
            fields=("ReasonForClosure",))
def _(census):
    active = set()
    for table in ("Section47", "ChildProtectionPlans", "CINplanDates"):
        active.update((row["LAchildID"], row["CINdetailsID"]) for row in census.rows(table))
    for index, row in enumerate(census.rows("CINdetails")):
        if row.get("ReasonForClosure") in CLOSED_AFTER_ASSESSMENT and (
                row.get("DateOfInitialCPC") is not None or (row["LAchildID"], row["CINdetailsID"]) in active):
            yield Hit("CINdetails", index)


@rules.rule("2991Q", QUERY, "Please check and either amend data or provide a reason: A Section 47 module is recorded "
            "and there is no assessment on the episode", table="Section47", fields=("LAchildID",))
def _(census):
    assessed = {(row["LAchildID"], row["CINdetailsID"]) for row in census.rows("Assessments")}
    for index, row in enumerate(census.rows("Section47")):
        if (row["LAchildID"], row["CINdetailsID"]) not in assessed:
            yield Hit("Section47", index)


# --- CIN plans ---

@rules.rule("4000", ERROR, "CIN Plan details provided for a referral with no further action", table="CINdetails",
            fields=("ReferralNFA",))
def _(census):
    planned = {(row["LAchildID"], row["CINdetailsID"]) for row in census.rows("CINplanDates")}
    for index, row in enumerate(census.rows("CINdetails")):
        if is_true(row.get("ReferralNFA")) and (row["LAchildID"], row["CINdetailsID"]) in planned:
            yield Hit("CINdetails", index)


@rules.rule("4001", ERROR, "A CIN Plan cannot run concurrently with a Child Protection Plan", table="CINplanDates",
            fields=("CINPlanEndDate",))
def _(census):
    # Within an episode: an open child protection plan and an open CIN plan (one that started).
    open_cpp = {(row["LAchildID"], row["CINdetailsID"]) for row in census.rows("ChildProtectionPlans")
                if row.get("CPPendDate") is None}
    for index, row in enumerate(census.rows("CINplanDates")):
        if (row.get("CINPlanStartDate") is not None and row.get("CINPlanEndDate") is None
                and (row["LAchildID"], row["CINdetailsID"]) in open_cpp):
            yield Hit("CINplanDates", index)


@rules.rule("4003", ERROR, "A CPP review date is shown as being held at the same time as an open CIN Plan.",
            table="Reviews", fields=("CPPreviewDate",))
def _(census):
    # Within an episode, a review on or after a CIN plan's start and before its end, unless the review is the day
    # its plan ended. As in the community validator, only plans that ended (CIN and child protection) count.
    plan_ends = {(row["LAchildID"], row["CINdetailsID"], row["CPPID"]): row.get("CPPendDate")
                 for row in census.rows("ChildProtectionPlans")}
    cin_plans = keys_of(census, "CINplanDates")
    for index, row in enumerate(census.rows("Reviews")):
        review = row.get("CPPreviewDate")
        end = plan_ends.get((row["LAchildID"], row["CINdetailsID"], row["CPPID"]))
        if review is None or end is None or review == end:
            continue
        for _, plan in cin_plans.get((row["LAchildID"], row["CINdetailsID"]), ()):
            start, finish = plan.get("CINPlanStartDate"), plan.get("CINPlanEndDate")
            if start is not None and finish is not None and start <= review < finish:
                yield Hit("Reviews", index)
                break


@rules.rule("4004", ERROR, "This child is showing more than one open CIN Plan, i.e. with no End Date",
            table="CINplanDates", fields=("CINPlanEndDate",))
def _(census):
    plans = census.rows("CINplanDates")
    open_plans = Counter((row["LAchildID"], row["CINdetailsID"]) for row in plans if row.get("CINPlanEndDate") is None)
    for index, row in enumerate(plans):
        if row.get("CINPlanEndDate") is None and open_plans[row["LAchildID"], row["CINdetailsID"]] > 1:
            yield Hit("CINplanDates", index)


def death_rule(field: str):
    """CIN plans of a child who died whose `field` is after the date of death."""
    def check(census):
        deaths = {row["LAchildID"]: row["PersonDeathDate"] for row in census.rows("ChildIdentifiers")
                  if row.get("PersonDeathDate") is not None}
        for index, row in enumerate(census.rows("CINplanDates")):
            death = deaths.get(row["LAchildID"])
            if death is not None and row.get(field) is not None and row[field] > death:
                yield Hit("CINplanDates", index)
    return check


rules.rule("4008", ERROR, "CIN Plan shown as starting after the child’s Date of Death.", table="CINplanDates",
           fields=("CINPlanStartDate",))(death_rule("CINPlanStartDate"))
rules.rule("4009Q", QUERY, "CIN Plan cannot end after the child’s Date of Death", table="CINplanDates",
           fields=("CINPlanEndDate",))(death_rule("CINPlanEndDate"))


@rules.rule("4010", ERROR, "CIN Plan start date is missing or out of data collection period", table="CINplanDates",
            fields=("CINPlanStartDate",))
def _(census):
    reference = census.reference_date
    for index, row in enumerate(census.rows("CINplanDates")):
        start = row.get("CINPlanStartDate")
        if start is None or (reference is not None and start > reference):
            yield Hit("CINplanDates", index)


@rules.rule("4011", ERROR, "CIN Plan End Date earlier than Start Date", table="CINplanDates",
            fields=("CINPlanEndDate", "CINPlanStartDate"))
def _(census):
    for index, row in enumerate(census.rows("CINplanDates")):
        start, end = row.get("CINPlanStartDate"), row.get("CINPlanEndDate")
        if start is not None and end is not None and end < start:
            yield Hit("CINplanDates", index)


@rules.rule("4012Q", QUERY, CHECK + "CIN Plan shown as starting and ending on the same day", table="CINplanDates",
            fields=("CINPlanStartDate", "CINPlanEndDate"))
def _(census):
    for index, row in enumerate(census.rows("CINplanDates")):
        if row.get("CINPlanStartDate") is not None and row["CINPlanStartDate"] == row.get("CINPlanEndDate"):
            yield Hit("CINplanDates", index)


@rules.rule("4013", ERROR, "CIN Plan end date must fall within the census year", table="CINplanDates",
            fields=("CINPlanEndDate",))
def _(census):
    if census.reference_date is None:
        return
    for index, row in enumerate(census.rows("CINplanDates")):
        end = row.get("CINPlanEndDate")
        if end is not None and not in_period(census, end):
            yield Hit("CINplanDates", index)


def starts_within(start, other_start, other_end, reference) -> bool:
    """Whether `start` falls in a period from `other_start` to `other_end` (inclusive), or to the reference date
    while it is open."""
    if start is None or other_start is None or start < other_start:
        return False
    if other_end is not None:
        return start <= other_end
    return reference is not None and start <= reference


@rules.rule("4014", ERROR, "CIN Plan data contains overlapping dates", table="CINplanDates",
            fields=("CINPlanStartDate",))
def _(census):
    # Across all the child's episodes, as the community validator compares them.
    reference = census.reference_date
    for rows in census.by_child("CINplanDates").values():
        if len(rows) < 2:
            continue
        for index, plan in rows:
            if any(other_index != index and starts_within(plan.get("CINPlanStartDate"), other.get("CINPlanStartDate"),
                                                          other.get("CINPlanEndDate"), reference)
                   for other_index, other in rows):
                yield Hit("CINplanDates", index)


def starting_while_open(table: str, start_field: str, other: str, other_start: str, other_end: str):
    """Rows of `table` starting while one of the child's `other` plans is open: from its start to the day before
    its end, or to the reference date while it has no end (so starting on the day the other ends is allowed)."""
    def check(census):
        reference = census.reference_date
        others = census.by_child(other)
        for index, row in enumerate(census.rows(table)):
            start = row.get(start_field)
            for _, plan in others.get(row["LAchildID"], ()):
                end = plan.get(other_end)
                if starts_within(start, plan.get(other_start), end, reference) and (end is None or start < end):
                    yield Hit(table, index)
                    break
    return check


OPEN_TOGETHER = "A CIN Plan has been reported as open at the same time as a Child Protection Plan."
rules.rule("4016", ERROR, OPEN_TOGETHER, table="CINplanDates", fields=("CINPlanStartDate",))(starting_while_open(
    "CINplanDates", "CINPlanStartDate", "ChildProtectionPlans", "CPPstartDate", "CPPendDate"))
rules.rule("4017", ERROR, OPEN_TOGETHER, table="ChildProtectionPlans", fields=("CPPstartDate",))(starting_while_open(
    "ChildProtectionPlans", "CPPstartDate", "CINplanDates", "CINPlanStartDate", "CINPlanEndDate"))


# --- sex and ethnicity ---

def code_rule(table: str, field: str, codes):
    """Rows whose `field` is missing or not one of `codes`."""
    codes = frozenset(codes)

    def check(census):
        for index, row in enumerate(census.rows(table)):
            if row.get(field) not in codes:
                yield Hit(table, index)
    return check


rules.rule("4180", ERROR, "Gender is missing", table="ChildIdentifiers", fields=("GenderCurrent",))(
    code_rule("ChildIdentifiers", "GenderCurrent", ("0", "1", "2", "9")))
rules.rule("4220", ERROR, "Ethnicity is missing or invalid (see Ethnicity table)", table="ChildCharacteristics",
           fields=("Ethnicity",))(code_rule("ChildCharacteristics", "Ethnicity", ETHNICITY))
