"""Write a `Census` as CIN census XML, in the schema's element order (the XSD uses xs:sequence throughout).

Absent values (None, or an empty tuple of factors) are left out. A value that is already text is written as it
is, so a test can plant a malformed value; dates are written YYYY-MM-DD and booleans as true/false.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from xml.sax.saxutils import escape

from casefile.rules.cin.census import Census, Row
from casefile.rules.memory import cycle_collector_paused


def _tags(*fields: str) -> tuple[tuple[str, str, str], ...]:
    """Each field with its opening and closing tags, made once rather than for every row."""
    return tuple((field, f"<{field}>", f"</{field}>") for field in fields)


_IDENTIFIERS = _tags("LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate", "ExpectedPersonBirthDate",
                     "GenderCurrent", "Sex", "PersonDeathDate")
_ETHNICITY = _tags("Ethnicity")
_EPISODE_BEFORE = _tags("CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure",
                        "DateOfInitialCPC")
_EPISODE_AFTER = _tags("ReferralNFA")
_ASSESSMENT = _tags("AssessmentActualStartDate", "AssessmentInternalReviewDate", "AssessmentAuthorisationDate")
_CIN_PLAN = _tags("CINPlanStartDate", "CINPlanEndDate")
_SECTION_47 = _tags("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired")
_CP_PLAN = _tags("CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP")
_COLLECTION = _tags("Collection", "Year", "ReferenceDate")
_SOURCE = _tags("SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime")


def _text(value: object) -> str:
    # Text and dates are nearly every value: checked first, by exact type, as this runs for every field written.
    kind = type(value)
    if kind is str:
        return escape(value) if "&" in value or "<" in value or ">" in value else value
    if kind is datetime.date:
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return escape(str(value))


def _fields(out: list[str], row: Row, fields: tuple[tuple[str, str, str], ...]) -> None:
    for field, opening, closing in fields:
        value = row.get(field)
        if value is not None:
            out.append(opening + _text(value) + closing)


def _index(rows: list[Row], *keys: str) -> dict[tuple, list[Row]]:
    grouped: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[tuple(map(row.get, keys))].append(row)
    return grouped


def write(census: Census) -> bytes:
    """The return as UTF-8 XML bytes."""
    with cycle_collector_paused():
        return _write(census)


def _write(census: Census) -> bytes:
    tables = census.tables
    characteristics = _index(tables["ChildCharacteristics"], "LAchildID")
    disabilities = _index(tables["Disabilities"], "LAchildID")
    episodes = _index(tables["CINdetails"], "LAchildID")
    by_episode = {name: _index(tables[name], "LAchildID", "CINdetailsID")
                  for name in ("Assessments", "CINplanDates", "Section47", "ChildProtectionPlans")}
    reviews = _index(tables["Reviews"], "LAchildID", "CINdetailsID", "CPPID")

    out = ['<?xml version="1.0" encoding="utf-8"?>', "<Message>"]
    _header(out, census.header)
    out.append("<Children>")
    for identifiers in tables["ChildIdentifiers"]:
        child = identifiers.get("LAchildID")
        out.append("<Child><ChildIdentifiers>")
        _fields(out, identifiers, _IDENTIFIERS)
        out.append("</ChildIdentifiers><ChildCharacteristics>")
        for row in characteristics.get((child,), ()):
            _fields(out, row, _ETHNICITY)
        codes = disabilities.get((child,), ())
        if codes:
            out.append("<Disabilities>")
            out.extend(f"<Disability>{_text(row['Disability'])}</Disability>" for row in codes
                       if row.get("Disability") is not None)
            out.append("</Disabilities>")
        out.append("</ChildCharacteristics>")
        for episode in episodes.get((child,), ()):
            _episode(out, episode, {name: rows.get((child, episode.get("CINdetailsID")), ())
                                    for name, rows in by_episode.items()}, reviews)
        out.append("</Child>")
    out.append("</Children></Message>")
    return "".join(out).encode("utf-8")


def _header(out: list[str], header: Row) -> None:
    if not header:
        return
    out.append("<Header><CollectionDetails>")
    _fields(out, header, _COLLECTION)
    out.append("</CollectionDetails><Source>")
    _fields(out, header, _SOURCE)
    out.append("</Source></Header>")


def _episode(out: list[str], episode: Row, below: dict[str, list[Row]], reviews: dict[tuple, list[Row]]) -> None:
    out.append("<CINdetails>")
    _fields(out, episode, _EPISODE_BEFORE)
    for assessment in below["Assessments"]:
        out.append("<Assessments>")
        _fields(out, assessment, _ASSESSMENT)
        factors = assessment.get("AssessmentFactors") or ()
        if factors:
            out.append("<FactorsIdentifiedAtAssessment>")
            out.extend(f"<AssessmentFactors>{_text(code)}</AssessmentFactors>" for code in factors)
            out.append("</FactorsIdentifiedAtAssessment>")
        out.append("</Assessments>")
    for plan in below["CINplanDates"]:
        out.append("<CINPlanDates>")
        _fields(out, plan, _CIN_PLAN)
        out.append("</CINPlanDates>")
    for enquiry in below["Section47"]:
        out.append("<Section47>")
        _fields(out, enquiry, _SECTION_47)
        out.append("</Section47>")
    _fields(out, episode, _EPISODE_AFTER)
    for plan in below["ChildProtectionPlans"]:
        out.append("<ChildProtectionPlans>")
        _fields(out, plan, _CP_PLAN)
        dates = reviews.get((plan.get("LAchildID"), plan.get("CINdetailsID"), plan.get("CPPID")), ())
        if dates:
            out.append("<Reviews>")
            out.extend(f"<CPPreviewDate>{_text(row['CPPreviewDate'])}</CPPreviewDate>" for row in dates)
            out.append("</Reviews>")
        out.append("</ChildProtectionPlans>")
    out.append("</CINdetails>")
