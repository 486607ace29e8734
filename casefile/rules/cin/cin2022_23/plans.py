"""Rules 8790 to 8940: disabilities, closure, referrals with no further action, section 47 enquiries, assessments,
child protection plans and their reviews.

Each rule is one pass over its table. Lookups across tables go through the census's grouping of each table by
child (`census.by_child`, built once and shared by every rule), so a lookup reads only that child's few rows; an
episode is a child's rows with the same CINdetailsID. Where the DfE's wording leaves an edge open, a rule decides
it as the community validator does, except where `tests/planted_plans.py` DISAGREEMENTS says why not.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from casefile.rules.cin.engine import ERROR, QUERY, Hit, RuleSet
from casefile.rules.codes import (
    ASSESSMENT_FACTORS,
    CATEGORY_OF_ABUSE,
    CLOSED_AFTER_ASSESSMENT,
    NO_DISABILITY,
    NO_FACTORS,
    REFERRAL_SOURCE,
)

rules = RuleSet()

# Retired factor codes (18A, 19A) are still valid codes: rules 8945Q and 8950Q query them.
_VALID_FACTORS = frozenset(ASSESSMENT_FACTORS) | {"18A", "19A"}
_REFERRAL_SOURCE_FROM = datetime.date(2013, 4, 1)
_SATURDAY = 5


def _true(value) -> bool:
    """An xs:boolean flag written true or 1."""
    return isinstance(value, str) and value.lower() in ("true", "1")


def _false(value) -> bool:
    """An xs:boolean flag written false or 0 (a missing flag is neither)."""
    return isinstance(value, str) and value.lower() in ("false", "0")


def _weekend(day) -> bool:
    return day is not None and day.weekday() >= _SATURDAY


def _rows_where(census, table: str, breaks):
    """Hits for the rows of `table` that `breaks(row)`."""
    return (Hit(table, index) for index, row in enumerate(census.rows(table)) if breaks(row))


def _in_episode(census, table: str, episode) -> list[tuple[int, dict]]:
    """The rows of `table` (with their indexes) in the same episode as `episode`, a row of any table."""
    return [(index, row) for index, row in census.by_child(table).get(episode["LAchildID"], ())
            if row["CINdetailsID"] == episode["CINdetailsID"]]


def _episodes(census, table: str):
    """The rows of `table` (with their indexes) episode by episode, through the shared grouping by child."""
    for rows in census.by_child(table).values():
        if len(rows) == 1:
            yield rows
        else:
            grouped: dict[object, list[tuple[int, dict]]] = defaultdict(list)
            for index, row in rows:
                grouped[row["CINdetailsID"]].append((index, row))
            yield from grouped.values()


def _more_than_one(table: str, groups, counts):
    """Hits for the rows that `counts(row)` in each group of rows where more than one does."""
    for rows in groups:
        if len(rows) > 1:
            counted = [index for index, row in rows if counts(row)]
            if len(counted) > 1:
                yield from (Hit(table, index) for index in counted)


def _overlapping(census, table: str, groups, start: str, end: str, *, still_open=lambda row: True, strict=False):
    """Hits for rows (in groups of rows that must not overlap) whose `start` falls on or after another row's start
    and on or before that row's `end`, or, for another row with no end that is `still_open`, on or before the
    reference date. With `strict`, a row may start on the day the other ends."""
    reference = census.reference_date
    for rows in groups:
        if len(rows) < 2:
            continue
        dated = [(index, row) for index, row in rows if row[start] is not None]
        for index, row in dated:
            for other_index, other in dated:
                if other_index == index or row[start] < other[start]:
                    continue
                finish = other[end]
                if finish is None:
                    finish = reference if still_open(other) else None
                if finish is not None and (row[start] < finish if strict else row[start] <= finish):
                    yield Hit(table, index)
                    break


# Disabilities

@rules.rule("8790", ERROR, "Disability information includes both None and other values", table="Disabilities",
            fields=("Disability",))
def _(census):
    for rows in census.by_child("Disabilities").values():
        if len(rows) > 1 and any((row["Disability"] or "").upper() == NO_DISABILITY for _, row in rows):
            yield from (Hit("Disabilities", index) for index, row in rows
                        if (row["Disability"] or "").upper() != NO_DISABILITY)


@rules.rule("8794", ERROR, "Child has two or more disabilities with the same code", table="Disabilities",
            fields=("Disability",))
def _(census):
    for rows in census.by_child("Disabilities").values():
        if len(rows) < 2:
            continue
        counts = Counter(row["Disability"] for _, row in rows if row["Disability"] is not None)
        yield from (Hit("Disabilities", index) for index, row in rows if counts[row["Disability"]] > 1)


# CIN episodes: closure and overlaps

@rules.rule("8805", ERROR, "A CIN case cannot have a CIN closure date without a Reason for Closure",
            table="CINdetails", fields=("CINclosureDate", "ReasonForClosure"))
def _(census):
    return _rows_where(census, "CINdetails", lambda row: row["CINclosureDate"] is not None
                       and not row["ReasonForClosure"])


@rules.rule("8810", ERROR, "A CIN case cannot have a Reason for Closure without a CIN Closure Date",
            table="CINdetails", fields=("ReasonForClosure", "CINclosureDate"))
def _(census):
    return _rows_where(census, "CINdetails", lambda row: row["ReasonForClosure"] and row["CINclosureDate"] is None)


def _open_not_nfa(row) -> bool:
    return row["CINclosureDate"] is None and _false(row["ReferralNFA"])


@rules.rule("8815", ERROR, "More than one open CIN Details episode (a module with no CIN Closure Date) has been "
            "provided for this child and case is not a referral with no further action.", table="CINdetails",
            fields=("CINclosureDate", "ReferralNFA"))
def _(census):
    return _more_than_one("CINdetails", census.by_child("CINdetails").values(), _open_not_nfa)


@rules.rule("8816", ERROR, "An open CIN episode is shown and case is not a referral with no further action, but "
            "it is not the latest episode.", table="CINdetails", fields=("CINreferralDate", "ReferralNFA"))
def _(census):
    # An open episode referred on the latest referral date is the latest, whatever the order of the file.
    for rows in census.by_child("CINdetails").values():
        dates = [row["CINreferralDate"] for _, row in rows if row["CINreferralDate"] is not None]
        if len(dates) < 2:
            continue
        latest = max(dates)
        for index, row in rows:
            if _open_not_nfa(row) and row["CINreferralDate"] is not None and row["CINreferralDate"] < latest:
                yield Hit("CINdetails", index)


@rules.rule("8820", ERROR, "The dates on the CIN episodes for this child overlap", table="CINdetails",
            fields=("CINreferralDate", "CINclosureDate"))
def _(census):
    # A referral may start on the day the previous episode closed. An open episode runs to the reference date
    # unless it is a referral with no further action.
    return _overlapping(census, "CINdetails", census.by_child("CINdetails").values(), "CINreferralDate",
                        "CINclosureDate", still_open=lambda other: _false(other["ReferralNFA"]), strict=True)


@rules.rule("8825Q", QUERY, "Please check and either amend data or provide a reason: Reason for Closure code RC8 "
            "(case closed after assessment) or RC9 (case closed after assessment, referred to early help) has been "
            "returned but there is no assessment present for the episode.", table="CINdetails",
            fields=("ReasonForClosure",))
def _(census):
    return _rows_where(census, "CINdetails", lambda row: row["ReasonForClosure"] in CLOSED_AFTER_ASSESSMENT
                       and not _in_episode(census, "Assessments", row))


# Referrals with no further action

@rules.rule("8831", ERROR, "Activity is recorded against a case marked as a referral with no further action",
            table="CINdetails", fields=("ReferralNFA", "DateOfInitialCPC"))
def _(census):
    return _rows_where(census, "CINdetails", lambda row: _true(row["ReferralNFA"]) and (
            row["DateOfInitialCPC"] is not None
            or any(assessment["AssessmentActualStartDate"] is not None
                   or assessment["AssessmentAuthorisationDate"] is not None
                   for _, assessment in _in_episode(census, "Assessments", row))
            or any(enquiry["S47ActualStartDate"] is not None
                   for _, enquiry in _in_episode(census, "Section47", row))))


@rules.rule("8832", ERROR, "Child Protection details provided for a referral with no further action.",
            table="CINdetails", fields=("ReferralNFA",))
def _(census):
    return _rows_where(census, "CINdetails", lambda row: _true(row["ReferralNFA"])
                       and _in_episode(census, "ChildProtectionPlans", row))


# Closure: every assessment and enquiry finished

@rules.rule("8867", ERROR, "CIN episode is shown as closed, however Assessment is not shown as completed",
            table="Assessments", fields=("AssessmentAuthorisationDate",))
def _(census):
    for episode in census.rows("CINdetails"):
        if episode["CINclosureDate"] is not None:
            yield from (Hit("Assessments", index) for index, row in _in_episode(census, "Assessments", episode)
                        if row["AssessmentAuthorisationDate"] is None)


@rules.rule("8868", ERROR, "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed "
            "by ICPC date or ICPC not required flag", table="Section47",
            fields=("DateOfInitialCPC", "ICPCnotRequired"))
def _(census):
    # Finished means exactly one of the two: a conference date, or the flag saying none was needed.
    for episode in census.rows("CINdetails"):
        if episode["CINclosureDate"] is not None:
            yield from (Hit("Section47", index) for index, row in _in_episode(census, "Section47", episode)
                        if (row["DateOfInitialCPC"] is not None) == _true(row["ICPCnotRequired"]))


# Section 47 enquiries

def _s47_open(row) -> bool:
    return row["DateOfInitialCPC"] is None and not _true(row["ICPCnotRequired"])


@rules.rule("8839", ERROR, "Within one CINDetails group there are 2 or more open S47 Assessments", table="Section47",
            fields=("DateOfInitialCPC",))
def _(census):
    return _more_than_one("Section47", _episodes(census, "Section47"), _s47_open)


@rules.rule("8870Q", QUERY, "Please check and either amend or provide a reason: The Target Date for Initial Child "
            "Protection Conference should not be a weekend", table="Section47", fields=("InitialCPCtarget",))
def _(census):
    return _rows_where(census, "Section47", lambda row: _weekend(row["InitialCPCtarget"]))


@rules.rule("8875", ERROR, "The Date of Initial Child Protection Conference cannot be a weekend", table="Section47",
            fields=("DateOfInitialCPC",))
def _(census):
    return _rows_where(census, "Section47", lambda row: _weekend(row["DateOfInitialCPC"]))


@rules.rule("8890", ERROR, "A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry "
            "ongoing", table="Section47", fields=("S47ActualStartDate",))
def _(census):
    return _overlapping(census, "Section47", _episodes(census, "Section47"), "S47ActualStartDate", "DateOfInitialCPC",
                        still_open=lambda other: not _true(other["ICPCnotRequired"]))


# Assessments

@rules.rule("8863Q", QUERY, "An Assessment is shown as starting when there is another Assessment ongoing.",
            table="Assessments", fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def _(census):
    return _overlapping(census, "Assessments", _episodes(census, "Assessments"), "AssessmentActualStartDate",
                        "AssessmentAuthorisationDate")


@rules.rule("8866", ERROR, "Source of Referral is missing or an invalid code", table="CINdetails",
            fields=("CINreferralDate", "ReferralSource"))
def _(census):
    for index, row in enumerate(census.rows("CINdetails")):
        referred = row["CINreferralDate"]
        if referred is not None and referred >= _REFERRAL_SOURCE_FROM and row["ReferralSource"] not in REFERRAL_SOURCE:
            yield Hit("CINdetails", index)


@rules.rule("8869", ERROR, "The assessment factors code “21” cannot be used in conjunction with any other "
            "assessment factors.", table="Assessments", fields=("AssessmentFactors",))
def _(census):
    for index, row in enumerate(census.rows("Assessments")):
        factors = row["AssessmentFactors"]
        if NO_FACTORS in factors and len(factors) > 1:
            yield Hit("Assessments", index)


@rules.rule("8873Q", QUERY, "Please check and either amend data or provide a reason: When there is only one "
            "assessment on the episode and the factors code “21 No factors identified” has been used for the "
            "completed assessment, the reason for closure ‘RC8’ or 'RC9' should be used.", table="CINdetails",
            fields=("ReasonForClosure",))
def _(census):
    for assessments in _episodes(census, "Assessments"):
        if len(assessments) == 1 and NO_FACTORS in assessments[0][1]["AssessmentFactors"]:
            yield from (Hit("CINdetails", index) for index, row in _in_episode(census, "CINdetails", assessments[0][1])
                        if row["ReasonForClosure"] not in CLOSED_AFTER_ASSESSMENT)


@rules.rule("8896", ERROR, "Within one CINDetails group there are 2 or more open Assessments groups",
            table="Assessments", fields=("AssessmentAuthorisationDate",))
def _(census):
    return _more_than_one("Assessments", _episodes(census, "Assessments"),
                          lambda row: row["AssessmentAuthorisationDate"] is None)


@rules.rule("8897Q", QUERY, "Parental or child factors at assessment information is missing from a completed "
            "assessment", table="Assessments", fields=("AssessmentAuthorisationDate", "AssessmentFactors"))
def _(census):
    start = census.period_start
    if start is None:
        return
    for index, row in enumerate(census.rows("Assessments")):
        authorised = row["AssessmentAuthorisationDate"]
        factors = row["AssessmentFactors"]
        if authorised is not None and authorised >= start and (
                not factors or any(factor not in _VALID_FACTORS for factor in factors)):
            yield Hit("Assessments", index)


@rules.rule("8898", ERROR, " The assessment has more than one parental or child factors with the same code",
            table="Assessments", fields=("AssessmentFactors",))
def _(census):
    for index, row in enumerate(census.rows("Assessments")):
        factors = [factor for factor in row["AssessmentFactors"] if factor]
        if len(set(factors)) < len(factors):
            yield Hit("Assessments", index)


# Child protection plans and their reviews

@rules.rule("8840", ERROR, "Child Protection Plan cannot start and end on the same day", table="ChildProtectionPlans",
            fields=("CPPstartDate", "CPPendDate"))
def _(census):
    return _rows_where(census, "ChildProtectionPlans", lambda row: row["CPPstartDate"] is not None
                       and row["CPPstartDate"] == row["CPPendDate"])


@rules.rule("8841", ERROR, "The review date cannot be on the same day or before the Child protection Plan start "
            "date.", table="Reviews", fields=("CPPreviewDate",))
def _(census):
    # Every review date of a plan counts. (The community validator reads only the first CPPreviewDate in a plan's
    # Reviews, so it misses a later one on or before the start.)
    started = {(row["LAchildID"], row["CINdetailsID"], row["CPPID"]): row["CPPstartDate"]
               for row in census.rows("ChildProtectionPlans") if row["CPPstartDate"] is not None}
    for index, row in enumerate(census.rows("Reviews")):
        start = started.get((row["LAchildID"], row["CINdetailsID"], row["CPPID"]))
        if start is not None and row["CPPreviewDate"] is not None and row["CPPreviewDate"] <= start:
            yield Hit("Reviews", index)


@rules.rule("8842Q", QUERY, "Please check and either amend or provide a reason: Review Record has a missing date",
            table="Reviews", fields=("CPPreviewDate",))
def _(census):
    return _rows_where(census, "Reviews", lambda row: row["CPPreviewDate"] is None)


@rules.rule("8905", ERROR, "Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN "
            "Census code set)", table="ChildProtectionPlans", fields=("InitialCategoryOfAbuse",))
def _(census):
    return _rows_where(census, "ChildProtectionPlans", lambda row: row["InitialCategoryOfAbuse"]
                       not in CATEGORY_OF_ABUSE)


@rules.rule("8910", ERROR, "Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN "
            "Census code set)", table="ChildProtectionPlans", fields=("LatestCategoryOfAbuse",))
def _(census):
    return _rows_where(census, "ChildProtectionPlans", lambda row: row["LatestCategoryOfAbuse"]
                       not in CATEGORY_OF_ABUSE)


def _after_death(census, field: str):
    """Plans whose `field` falls after the child's date of death (the earliest, should a child be listed twice)."""
    deaths: dict[object, datetime.date] = {}
    for row in census.rows("ChildIdentifiers"):
        died = row["PersonDeathDate"]
        if died is not None:
            deaths[row["LAchildID"]] = min(died, deaths.get(row["LAchildID"], died))
    plans = census.by_child("ChildProtectionPlans")
    for child, died in deaths.items():
        for index, row in plans.get(child, ()):
            if row[field] is not None and row[field] > died:
                yield Hit("ChildProtectionPlans", index)


@rules.rule("8915", ERROR, "Child Protection Plan shown as starting after the child’s Date of Death",
            table="ChildProtectionPlans", fields=("CPPstartDate",))
def _(census):
    return _after_death(census, "CPPstartDate")


@rules.rule("8920", ERROR, "Child Protection Plan cannot end after the child’s Date of Death",
            table="ChildProtectionPlans", fields=("CPPendDate",))
def _(census):
    return _after_death(census, "CPPendDate")


@rules.rule("8925", ERROR, "Child Protection Plan End Date earlier than Start Date", table="ChildProtectionPlans",
            fields=("CPPstartDate", "CPPendDate"))
def _(census):
    for index, row in enumerate(census.rows("ChildProtectionPlans")):
        start, end = row["CPPstartDate"], row["CPPendDate"]
        if start is not None and end is not None and end < start:
            yield Hit("ChildProtectionPlans", index)


@rules.rule("8930", ERROR, "Child Protection Plan End Date must fall within the census year",
            table="ChildProtectionPlans", fields=("CPPendDate",))
def _(census):
    first, last = census.period_start, census.reference_date
    if first is None:
        return
    for index, row in enumerate(census.rows("ChildProtectionPlans")):
        end = row["CPPendDate"]
        if end is not None and not first <= end <= last:
            yield Hit("ChildProtectionPlans", index)


@rules.rule("8935", ERROR, "This child is showing more than one open Child Protection plan, i.e. with no End Date",
            table="ChildProtectionPlans", fields=("CPPendDate",))
def _(census):
    return _more_than_one("ChildProtectionPlans", census.by_child("ChildProtectionPlans").values(),
                          lambda row: row["CPPendDate"] is None)


@rules.rule("8940", ERROR, "Child Protection Plan data contains overlapping dates", table="ChildProtectionPlans",
            fields=("CPPstartDate", "CPPendDate"))
def _(census):
    return _overlapping(census, "ChildProtectionPlans", census.by_child("ChildProtectionPlans").values(),
                        "CPPstartDate", "CPPendDate")
