"""Rules 8500 to 8775Q: child characteristics, referrals, assessments, CIN plans and section 47 enquiries.

Each rule is one pass over its table, with lookups across tables through dicts built once per call. Where the
community validator (csc-validator-be-cin 0.1.13) reads the DfE rule differently from its own rule text, these
follow the DfE rule and `tests/planted_episodes.py` names the difference (DISAGREEMENTS).

Booleans (ReferralNFA, ICPCnotRequired) are read as the schema's yes/no type: true, false, 1 or 0 in any case.
Working days leave out England and Wales bank holidays from the `holidays` package, which match the community
validator's own list for 2022 to 2027, the years that list covers.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter

from casefile.rules import codes
from casefile.rules.cin.engine import ERROR, QUERY, Hit, RuleSet
from casefile.rules.working_days import ENGLAND_AND_WALES

rules = RuleSet()

ONE_DAY = datetime.timedelta(days=1)


# Helpers shared by the rules of this range (and by cin2024_25/episodes.py).

def is_false(value: object) -> bool:
    return isinstance(value, str) and value.lower() in ("false", "0")


def is_true(value: object) -> bool:
    return isinstance(value, str) and value.lower() in ("true", "1")


def shifted(day: datetime.date, *, years: int = 0, months: int = 0, days: int = 0) -> datetime.date:
    """`day` moved by whole years and months (the day of the month kept, or the month's last day), then days."""
    month_index = day.year * 12 + day.month - 1 + years * 12 + months
    year, month = divmod(month_index, 12)
    month += 1
    moved = datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return moved + datetime.timedelta(days=days)


def working_days_before(day: datetime.date, n: int) -> datetime.date:
    """The limit `n` working days back from `day`, counting `day` itself as the first (the DfE validator's
    convention): `day`, or the next working day when it is closed, for n=1; otherwise the (n-1)th working day
    before `day`. England and Wales bank holidays, as the community validator's list."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if n == 1:
        return ENGLAND_AND_WALES.first_working_day_from(day)
    for _ in range(n - 1):
        day -= ONE_DAY
        while not ENGLAND_AND_WALES.is_working_day(day):
            day -= ONE_DAY
    return day


def _rows(census, table):
    return enumerate(census.rows(table))


def _outside_period(census, table: str, field: str, *, missing: bool = False):
    """Rows whose date `field` is outside the census year (or missing, when `missing`)."""
    start, end = census.period_start, census.reference_date
    if end is None:
        return
    for index, row in _rows(census, table):
        day = row[field]
        if (missing if day is None else not start <= day <= end):
            yield Hit(table, index)


def _episodes(census, child) -> list[dict]:
    return [row for _, row in census.by_child("CINdetails").get(child, ())]


# Child identifiers and characteristics

@rules.rule("8500", ERROR, "LA Child ID missing", table="ChildIdentifiers", fields=("LAchildID",))
def _(census):
    for index, row in _rows(census, "ChildIdentifiers"):
        if not row["LAchildID"]:
            yield Hit("ChildIdentifiers", index)


@rules.rule("8510", ERROR, "More than one child record with the same LA Child ID", table="ChildIdentifiers",
            fields=("LAchildID",))
def _(census):
    counts = Counter(row["LAchildID"] for row in census.rows("ChildIdentifiers"))
    for index, row in _rows(census, "ChildIdentifiers"):
        if counts[row["LAchildID"]] > 1:
            yield Hit("ChildIdentifiers", index)


@rules.rule("8520", ERROR, "Date of Birth is after data collection period (must be on or before the end of the "
            "census period)", table="ChildIdentifiers", fields=("PersonBirthDate",))
def _(census):
    end = census.reference_date
    if end is None:
        return
    for index, row in _rows(census, "ChildIdentifiers"):
        if row["PersonBirthDate"] is not None and row["PersonBirthDate"] > end:
            yield Hit("ChildIdentifiers", index)


@rules.rule("8525Q", QUERY, "Either Date of Birth or Expected Date of Birth must be provided (but not both)",
            table="ChildIdentifiers", fields=("PersonBirthDate", "ExpectedPersonBirthDate"))
def _(census):
    for index, row in _rows(census, "ChildIdentifiers"):
        if (row["PersonBirthDate"] is None) == (row["ExpectedPersonBirthDate"] is None):
            yield Hit("ChildIdentifiers", index)


@rules.rule("8530Q", QUERY, "Please check and either amend data or provide a reason: Expected Date of Birth is "
            "outside the expected range for this census (March to December of the Census Year end)",
            table="ChildIdentifiers", fields=("ExpectedPersonBirthDate",))
def _(census):
    # Strictly between the reference date less 30 days and the reference date plus 9 months.
    end = census.reference_date
    if end is None:
        return
    earliest, latest = end - datetime.timedelta(days=30), shifted(end, months=9)
    for index, row in _rows(census, "ChildIdentifiers"):
        expected = row["ExpectedPersonBirthDate"]
        if expected is not None and not earliest < expected < latest:
            yield Hit("ChildIdentifiers", index)


@rules.rule("8535Q", QUERY, "Please check and either amend data or provide a reason: Child’s date of death should "
            "not be prior to the date of birth", table="ChildIdentifiers",
            fields=("PersonDeathDate", "PersonBirthDate"))
def _(census):
    for index, row in _rows(census, "ChildIdentifiers"):
        died, born = row["PersonDeathDate"], row["PersonBirthDate"]
        if died is not None and (born is None or born > died):
            yield Hit("ChildIdentifiers", index)


@rules.rule("8540", ERROR, "Child’s disability is missing or invalid (see Disability table)", table="Disabilities",
            fields=("Disability",))
def _(census):
    # A child with a date of birth and a referral that led to further action needs valid disability codes: the
    # invalid codes are flagged, or the child when there are none.
    disabilities = census.by_child("Disabilities")
    further_action = {row["LAchildID"] for row in census.rows("CINdetails") if is_false(row["ReferralNFA"])}
    for index, row in _rows(census, "ChildIdentifiers"):
        child = row["LAchildID"]
        if row["PersonBirthDate"] is None or child not in further_action:
            continue
        recorded = disabilities.get(child, ())
        if not recorded:
            yield Hit("ChildIdentifiers", index, ("LAchildID",))
        for disability_index, disability in recorded:
            if disability["Disability"] not in codes.DISABILITY:
                yield Hit("Disabilities", disability_index)


@rules.rule("8545Q", QUERY, "Please check and either amend data or provide a reason: Child's date of death should "
            "be within the census year", table="ChildIdentifiers", fields=("PersonDeathDate",))
def _(census):
    yield from _outside_period(census, "ChildIdentifiers", "PersonDeathDate")


@rules.rule("8555Q", QUERY, "Child cannot be referred after its recorded date of death", table="CINdetails",
            fields=("CINreferralDate",))
def _(census):
    died = {row["LAchildID"]: row["PersonDeathDate"] for row in census.rows("ChildIdentifiers")
            if row["PersonDeathDate"] is not None}
    if not died:
        return
    for index, row in _rows(census, "CINdetails"):
        death = died.get(row["LAchildID"])
        if death is not None and row["CINreferralDate"] is not None and row["CINreferralDate"] > death:
            yield Hit("CINdetails", index)


# Referrals and episodes

def _later(closed: datetime.date, *days: datetime.date | None) -> bool:
    for day in days:  # a loop, not any(...): this runs for every row below every closed episode
        if day is not None and day > closed:
            return True
    return False


@rules.rule("8565", ERROR, "Activity shown after a case has been closed", table="CINdetails",
            fields=("CINclosureDate",))
def _(census):
    # A closed episode's dates (its initial conference; its assessments' starts and authorisations; its
    # enquiries' starts and conferences; its plans' starts and ends; its child protection plans' ends) must all
    # be on or before its closure date. The episode is flagged, and each row with a later date.
    closures = {(row["LAchildID"], row["CINdetailsID"]): row["CINclosureDate"] for row in census.rows("CINdetails")
                if row["CINclosureDate"] is not None}
    if not closures:
        return
    late_episodes: set[tuple] = set()
    below = (("Assessments", ("AssessmentActualStartDate", "AssessmentAuthorisationDate")),
             ("Section47", ("S47ActualStartDate", "DateOfInitialCPC")),
             ("ChildProtectionPlans", ("CPPendDate",)),
             ("CINplanDates", ("CINPlanStartDate", "CINPlanEndDate")))
    for table, fields in below:
        for index, row in _rows(census, table):
            key = (row["LAchildID"], row["CINdetailsID"])
            closed = closures.get(key)
            if closed is not None and _later(closed, *(row[field] for field in fields)):
                late_episodes.add(key)
                yield Hit(table, index, fields)
    for index, row in _rows(census, "CINdetails"):
        key = (row["LAchildID"], row["CINdetailsID"])
        if key in late_episodes or (key in closures and _later(closures[key], row["DateOfInitialCPC"])):
            yield Hit("CINdetails", index)


@rules.rule("8568", ERROR, "RNFA flag is missing or invalid", table="CINdetails", fields=("ReferralNFA",))
def _(census):
    for index, row in _rows(census, "CINdetails"):
        if not (is_true(row["ReferralNFA"]) or is_false(row["ReferralNFA"])):
            yield Hit("CINdetails", index)


@rules.rule("8569Q", QUERY, "A case with referral date before one working day prior to the collection start date "
            "must not be flagged as a no further action case", table="CINdetails",
            fields=("CINreferralDate", "ReferralNFA"))
def _(census):
    # "One working day" counted as the community validator counts: the first working day of the census year.
    if census.period_start is None:
        return
    limit = working_days_before(census.period_start, 1)
    for index, row in _rows(census, "CINdetails"):
        referred = row["CINreferralDate"]
        if referred is not None and referred < limit and not is_false(row["ReferralNFA"]):
            yield Hit("CINdetails", index)


@rules.rule("8585Q", QUERY, "Please check and either amend or provide a reason: CIN episode shows Died as the "
            "Closure Reason, however child has no recorded Date of Death", table="CINdetails",
            fields=("ReasonForClosure",))
def _(census):
    died = [(index, row) for index, row in _rows(census, "CINdetails") if row["ReasonForClosure"] == codes.DIED]
    if not died:
        return
    without_date = {row["LAchildID"] for row in census.rows("ChildIdentifiers") if row["PersonDeathDate"] is None}
    for index, row in died:
        if row["LAchildID"] in without_date:
            yield Hit("CINdetails", index)


@rules.rule("8590", ERROR, "Child does not have a recorded CIN episode.", table="ChildIdentifiers",
            fields=("LAchildID",))
def _(census):
    episodes = census.by_child("CINdetails")
    for index, row in _rows(census, "ChildIdentifiers"):
        if not episodes.get(row["LAchildID"]):
            yield Hit("ChildIdentifiers", index)


@rules.rule("8600", ERROR, "Child referral date missing or after data collection period", table="CINdetails",
            fields=("CINreferralDate",))
def _(census):
    end = census.reference_date
    for index, row in _rows(census, "CINdetails"):
        referred = row["CINreferralDate"]
        if referred is None or (end is not None and referred > end):
            yield Hit("CINdetails", index)


@rules.rule("8606", ERROR, "Child referral date is more than 40 weeks before DOB or expected DOB",
            table="CINdetails", fields=("CINreferralDate",))
def _(census):
    forty_weeks = datetime.timedelta(days=280)
    earliest = {}
    for row in census.rows("ChildIdentifiers"):
        born, expected = row["PersonBirthDate"], row["ExpectedPersonBirthDate"]
        latest = expected if born is None else born if expected is None else max(born, expected)
        if latest is not None:
            earliest[row["LAchildID"]] = latest - forty_weeks
    for index, row in _rows(census, "CINdetails"):
        limit = earliest.get(row["LAchildID"])
        if limit is not None and row["CINreferralDate"] is not None and row["CINreferralDate"] < limit:
            yield Hit("CINdetails", index)


@rules.rule("8610", ERROR, "Primary Need code is missing for a referral which led to further action.",
            table="CINdetails", fields=("ReferralNFA", "PrimaryNeedCode"))
def _(census):
    for index, row in _rows(census, "CINdetails"):
        if is_false(row["ReferralNFA"]) and row["PrimaryNeedCode"] is None:
            yield Hit("CINdetails", index)


@rules.rule("8620", ERROR, "CIN Closure Date present and does not fall within the Census year", table="CINdetails",
            fields=("CINclosureDate",))
def _(census):
    yield from _outside_period(census, "CINdetails", "CINclosureDate")


@rules.rule("8630", ERROR, "CIN Closure Date is before CIN Referral Date for the same CIN episode",
            table="CINdetails", fields=("CINreferralDate", "CINclosureDate"))
def _(census):
    for index, row in _rows(census, "CINdetails"):
        referred, closed = row["CINreferralDate"], row["CINclosureDate"]
        if referred is not None and closed is not None and closed < referred:
            yield Hit("CINdetails", index)


@rules.rule("8640", ERROR, "CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code "
            "set)", table="CINdetails", fields=("ReasonForClosure",))
def _(census):
    for index, row in _rows(census, "CINdetails"):
        if row["ReasonForClosure"] is not None and row["ReasonForClosure"] not in codes.REASON_FOR_CLOSURE:
            yield Hit("CINdetails", index)


@rules.rule("8650", ERROR, "Primary Need Code invalid (see Primary Need table in CIN census code set)",
            table="CINdetails", fields=("PrimaryNeedCode",))
def _(census):
    for index, row in _rows(census, "CINdetails"):
        if row["PrimaryNeedCode"] is not None and row["PrimaryNeedCode"] not in codes.PRIMARY_NEED:
            yield Hit("CINdetails", index)


# Assessments

@rules.rule("8608", ERROR, "Assessment Start Date cannot be later than its End Date", table="Assessments",
            fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def _(census):
    for index, row in _rows(census, "Assessments"):
        started, authorised = row["AssessmentActualStartDate"], row["AssessmentAuthorisationDate"]
        if started is not None and authorised is not None and started > authorised:
            yield Hit("Assessments", index)


@rules.rule("8614", ERROR, "Parental or child factors at assessment should only be present for a completed "
            "assessment.", table="Assessments", fields=("AssessmentAuthorisationDate", "AssessmentFactors"))
def _(census):
    for index, row in _rows(census, "Assessments"):
        if row["AssessmentAuthorisationDate"] is None and row["AssessmentFactors"]:
            yield Hit("Assessments", index)


@rules.rule("8670Q", QUERY, "Please check and either amend data or provide a reason: Assessment started more than "
            "45 working days before the end of the census year. However, there is no Assessment end date.",
            table="Assessments", fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def _(census):
    if census.reference_date is None:
        return
    limit = working_days_before(census.reference_date, 45)
    for index, row in _rows(census, "Assessments"):
        started = row["AssessmentActualStartDate"]
        if row["AssessmentAuthorisationDate"] is None and started is not None and started < limit:
            yield Hit("Assessments", index)


@rules.rule("8696", ERROR, "Assessment end date must fall within the census year", table="Assessments",
            fields=("AssessmentAuthorisationDate",))
def _(census):
    yield from _outside_period(census, "Assessments", "AssessmentAuthorisationDate")


@rules.rule("8736", ERROR, "For an Assessment that has not been completed, the start date must fall within the "
            "census year", table="Assessments", fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"))
def _(census):
    # A missing start date is outside it too.
    rows = census.rows("Assessments")
    for hit in _outside_period(census, "Assessments", "AssessmentActualStartDate", missing=True):
        if rows[hit.index]["AssessmentAuthorisationDate"] is None:
            yield hit


# Section 47 enquiries and child protection plans

@rules.rule("8615", ERROR, "Section 47 Enquiry Start Date must be present and cannot be later than the date of the "
            "initial Child Protection Conference", table="Section47", fields=("S47ActualStartDate", "DateOfInitialCPC"))
def _(census):
    for index, row in _rows(census, "Section47"):
        started, conference = row["S47ActualStartDate"], row["DateOfInitialCPC"]
        if conference is not None and (started is None or started > conference):
            yield Hit("Section47", index)


@rules.rule("8675Q", QUERY, "Please check and either amend data or provide a reason: S47 Enquiry started more than "
            "15 working days before the end of the census year. However, there is no date of Initial Child "
            "Protection Conference.", table="Section47",
            fields=("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"))
def _(census):
    if census.reference_date is None:
        return
    limit = working_days_before(census.reference_date, 15)
    for index, row in _rows(census, "Section47"):
        started = row["S47ActualStartDate"]
        if (row["DateOfInitialCPC"] is None and is_false(row["ICPCnotRequired"]) and started is not None
                and started < limit):
            yield Hit("Section47", index)


@rules.rule("8715", ERROR, "Date of Initial Child Protection Conference must fall within the census year",
            table="Section47", fields=("DateOfInitialCPC",))
def _(census):
    yield from _outside_period(census, "Section47", "DateOfInitialCPC")


@rules.rule("8720", ERROR, "Child Protection Plan Start Date missing or out of data collection period",
            table="ChildProtectionPlans", fields=("CPPstartDate",))
def _(census):
    # As the community validator reads it: missing, or after the reference date.
    end = census.reference_date
    for index, row in _rows(census, "ChildProtectionPlans"):
        started = row["CPPstartDate"]
        if started is None or (end is not None and started > end):
            yield Hit("ChildProtectionPlans", index)


@rules.rule("8730", ERROR, "Total Number of previous Child Protection Plans missing", table="ChildProtectionPlans",
            fields=("NumberOfPreviousCPP",))
def _(census):
    # Missing, negative, or not a whole number (which the community validator cannot read at all: it then stops
    # with an error and reports no plan).
    for index, row in _rows(census, "ChildProtectionPlans"):
        number = _whole_number(row["NumberOfPreviousCPP"])
        if number is None or number < 0:
            yield Hit("ChildProtectionPlans", index)


def _whole_number(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


@rules.rule("8740", ERROR, "For a Section 47 Enquiry that has not held the Initial Child Protection Conference by "
            "the end of the census year, the start date must fall within the census year", table="Section47",
            fields=("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"))
def _(census):
    rows = census.rows("Section47")
    for hit in _outside_period(census, "Section47", "S47ActualStartDate"):
        row = rows[hit.index]
        if row["DateOfInitialCPC"] is None and is_false(row["ICPCnotRequired"]):
            yield hit


# Unborn children, UPNs and age

@rules.rule("8750", ERROR, "Gender must equal 0 for an unborn child", table="ChildIdentifiers",
            fields=("GenderCurrent", "PersonBirthDate", "ExpectedPersonBirthDate"))
def _(census):
    yield from unborn_without(census, "GenderCurrent", "0")


def unborn_without(census, field: str, code: str):
    """Children with an expected date of birth and no date of birth whose `field` is not `code`."""
    for index, row in _rows(census, "ChildIdentifiers"):
        if row["PersonBirthDate"] is None and row["ExpectedPersonBirthDate"] is not None and row.get(field) != code:
            yield Hit("ChildIdentifiers", index)


UPN_MISSING_REASONS = frozenset({"UN2", "UN3", "UN4", "UN5", "UN6", "UN7"})  # UN1: over compulsory school age


def school_age_without_upn(census, born_by: datetime.date):
    """Children born on or before `born_by` with a referral that led to further action, and neither a UPN nor a
    reason for its absence other than UN1."""
    for index, row in _rows(census, "ChildIdentifiers"):
        born = row["PersonBirthDate"]
        if born is None or born > born_by or row["UPN"] is not None:
            continue
        reason = row["UPNunknown"]
        if reason is not None and reason.upper() in UPN_MISSING_REASONS:
            continue
        if any(is_false(episode["ReferralNFA"]) for episode in _episodes(census, row["LAchildID"])):
            yield Hit("ChildIdentifiers", index)


@rules.rule("8770Q", QUERY, "Please check and either amend data or provide a reason: UPN or reason UPN missing "
            "expected for a child who is more than 5 years old", table="ChildIdentifiers",
            fields=("UPN", "UPNunknown"))
def _(census):
    if census.reference_date is not None:
        yield from school_age_without_upn(census, shifted(census.reference_date, years=-6))


@rules.rule("8772", ERROR, "UPN unknown reason is UN7 (Referral with no further action) but at least one CIN "
            "details is a referral going on to further action", table="ChildIdentifiers", fields=("UPNunknown",))
def _(census):
    # A child without episodes counts as one whose referrals are not all "no further action".
    for index, row in _rows(census, "ChildIdentifiers"):
        if row["UPNunknown"] != "UN7":
            continue
        referrals = _episodes(census, row["LAchildID"])
        if not referrals or not all(is_true(episode["ReferralNFA"]) for episode in referrals):
            yield Hit("ChildIdentifiers", index)


@rules.rule("8775Q", QUERY, "Please check and either amend data or provide a reason: Child is over 25 years old",
            table="ChildIdentifiers", fields=("PersonBirthDate",))
def _(census):
    # Born more than 25 years before the reference date, with an episode open or closed after the 25th birthday.
    end = census.reference_date
    if end is None:
        return
    born_before = shifted(end, years=-25)
    for index, row in _rows(census, "ChildIdentifiers"):
        born = row["PersonBirthDate"]
        if born is None or born >= born_before:
            continue
        birthday = shifted(born, years=25)
        if any(episode["CINclosureDate"] is None or episode["CINclosureDate"] > birthday
               for episode in _episodes(census, row["LAchildID"])):
            yield Hit("ChildIdentifiers", index)
