"""Read a CIN census XML file into a `Census`, in one pass over the file (time grows with the number of children,
not its square), refusing anything that is not a census in plain words.

Safety: a file that declares a DTD or entities is refused before parsing (an "XML bomb" expands a few bytes of
entities into gigabytes), and the parser itself never resolves entities or reaches the network.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

from lxml import etree

from casefile.rules.cin.census import DATE_FIELDS, TABLES, Census, Row, as_date


class CensusFileError(ValueError):
    """The file cannot be read as a CIN census; the message says why, for the person who gave it."""


_SNIFF_BYTES = 64 * 1024


def parse(source: bytes | str | os.PathLike | io.BufferedIOBase) -> Census:
    """A census from XML bytes, a path, or a binary file."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    elif isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            return parse(io.BytesIO(handle.read()))
    head = source.read(_SNIFF_BYTES)
    source.seek(0)
    if not head.strip():
        raise CensusFileError("The file is empty.")
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise CensusFileError("The file declares a document type or entities, which a CIN census never has. "
                              "It was not read.")
    census = Census.empty()
    try:
        for element in _elements(source):
            if element.tag == "Header":
                census.header = _header(element)
            else:
                _add_child(census, element)
            element.clear()
    except etree.XMLSyntaxError as error:
        raise CensusFileError(f"The file is not complete, well-formed XML ({error.msg}, line {error.lineno}). "
                              "It may have been cut short: export it again.") from None
    if not census.tables["ChildIdentifiers"]:
        raise CensusFileError("The file has no children: a CIN census lists each child under Message, Children.")
    return census


def _elements(source) -> Iterator[etree._Element]:
    parser = etree.iterparse(source, events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False, remove_comments=True)
    depth = 0
    for event, element in parser:
        if event == "start":
            depth += 1
            if depth == 1 and element.tag != "Message":
                raise CensusFileError(f"This is not a CIN census: it starts with <{element.tag}>, not <Message>.")
            continue
        depth -= 1
        if (depth == 1 and element.tag == "Header") or (depth == 2 and element.tag == "Child"):
            yield element


def _text(element: etree._Element | None, name: str) -> str | None:
    if element is None:
        return None
    found = element.find(name)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _values(element: etree._Element | None, fields: tuple[str, ...], row: Row) -> Row:
    for field in fields:
        if field in row:
            continue
        text = _text(element, field)
        row[field] = as_date(text) if field in DATE_FIELDS else text
    return row


def _header(header: etree._Element) -> Row:
    row: Row = {}
    _values(header.find("CollectionDetails"), TABLES["Header"][:3], row)
    _values(header.find("Source"), TABLES["Header"][3:], row)
    return row


def _add_child(census: Census, child: etree._Element) -> None:
    tables = census.tables
    identifiers = _values(child.find("ChildIdentifiers"), TABLES["ChildIdentifiers"], {})
    child_id = identifiers["LAchildID"]
    tables["ChildIdentifiers"].append(identifiers)
    characteristics = child.find("ChildCharacteristics")
    tables["ChildCharacteristics"].append(_values(characteristics, TABLES["ChildCharacteristics"],
                                                  {"LAchildID": child_id}))
    disabilities = characteristics.find("Disabilities") if characteristics is not None else None
    for disability in disabilities if disabilities is not None else ():
        tables["Disabilities"].append({"LAchildID": child_id, "Disability": (disability.text or "").strip() or None})
    for episode_id, episode in enumerate(child.findall("CINdetails"), start=1):
        _add_episode(tables, episode, {"LAchildID": child_id, "CINdetailsID": episode_id})


def _add_episode(tables: dict[str, list[Row]], episode: etree._Element, keys: Row) -> None:
    tables["CINdetails"].append(_values(episode, TABLES["CINdetails"], dict(keys)))
    for assessment_id, assessment in enumerate(episode.findall("Assessments"), start=1):
        ids = {**keys, "AssessmentID": assessment_id}
        factors_element = assessment.find("FactorsIdentifiedAtAssessment")
        factors = tuple((factor.text or "").strip() for factor in factors_element) if factors_element is not None \
            else ()
        tables["Assessments"].append(_values(assessment, TABLES["Assessments"], {**ids, "AssessmentFactors": factors}))
        for factor in factors:
            tables["AssessmentFactorsList"].append({**ids, "AssessmentFactor": factor or None})
    for plan in episode.findall("CINPlanDates"):
        tables["CINplanDates"].append(_values(plan, TABLES["CINplanDates"], dict(keys)))
    for enquiry in episode.findall("Section47"):
        tables["Section47"].append(_values(enquiry, TABLES["Section47"], dict(keys)))
    for plan_id, plan in enumerate(episode.findall("ChildProtectionPlans"), start=1):
        ids = {**keys, "CPPID": plan_id}
        tables["ChildProtectionPlans"].append(_values(plan, TABLES["ChildProtectionPlans"], dict(ids)))
        reviews = plan.find("Reviews")
        for review in reviews.findall("CPPreviewDate") if reviews is not None else ():
            tables["Reviews"].append({**ids, "CPPreviewDate": as_date((review.text or "").strip())})
