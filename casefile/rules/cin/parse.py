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
from casefile.rules.memory import cycle_collector_paused


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
    _refuse_other_roots(_root_tag(head))
    census = Census.empty()
    try:
        with cycle_collector_paused():
            for element in _elements(source):
                if element.tag == "Header":
                    census.header = _header(element)
                else:
                    _add_child(census, element)
    except etree.XMLSyntaxError as error:
        raise CensusFileError(f"The file is not complete, well-formed XML ({error.msg}, line {error.lineno}). "
                              "It may have been cut short: export it again.") from None
    if not census.tables["ChildIdentifiers"]:
        raise CensusFileError("The file has no children: a CIN census lists each child under Message, Children.")
    return census


def _parser(source, **events) -> etree.iterparse:
    return etree.iterparse(source, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, **events)


def _root_tag(head: bytes) -> str | None:
    """The first element's name, read from the head of the file alone, so another document is refused before the
    rest is read (None when the head breaks off first: the full read then says what is wrong)."""
    try:
        _, root = next(_parser(io.BytesIO(head), events=("start",)))
    except (etree.XMLSyntaxError, StopIteration):
        return None
    return root.tag


def _refuse_other_roots(tag: str | None) -> None:
    if tag is not None and tag != "Message":
        raise CensusFileError(f"This is not a CIN census: it starts with <{tag}>, not <Message>.")


def _elements(source) -> Iterator[etree._Element]:
    """Message/Header and each Message/Children/Child, complete, in file order; each is emptied (and dropped
    from the tree) once read, so memory holds one child at a time."""
    # Only the two tags become Python events: reaching every element from Python was most of the time spent.
    parser = _parser(source, events=("end",), tag=("Header", "Child"))
    for _, element in parser:
        if _depth(element) == (1 if element.tag == "Header" else 2):
            yield element
            element.clear()
            _drop_earlier_siblings(element)
    _refuse_other_roots(parser.root.tag)


def _depth(element: etree._Element) -> int:
    depth = 0
    parent = element.getparent()
    while parent is not None:
        depth += 1
        parent = parent.getparent()
    return depth


def _drop_earlier_siblings(element: etree._Element) -> None:
    parent = element.getparent()
    while element.getprevious() is not None:
        del parent[0]


def _read(element: etree._Element | None, blocks: tuple[str, ...] = ()) -> tuple[dict, dict[str, list]]:
    """One pass over an element's children: each name's first text (as `find` would see it) and, for the block
    names in `blocks`, every element of that name in order."""
    texts: dict = {}
    found: dict[str, list] = {name: [] for name in blocks}
    if element is not None:
        for sub in element:
            tag = sub.tag
            if tag in found:
                found[tag].append(sub)
            elif tag not in texts:
                texts[tag] = sub.text
    return texts, found


# Each table's columns, with whether the column is a date, worked out once rather than per row.
_COLUMNS = {table: tuple((field, field in DATE_FIELDS) for field in fields) for table, fields in TABLES.items()}


def _values(texts: dict, table: str, row: Row, columns: slice = slice(None)) -> Row:
    """`row` (which holds its keys already) with the table's other columns, from the texts `_read` found."""
    for field, is_date in _COLUMNS[table][columns]:
        if field in row:
            continue
        text = texts.get(field)
        if text is not None:
            text = text.strip() or None
        row[field] = as_date(text) if is_date else text
    return row


def _header(header: etree._Element) -> Row:
    _, blocks = _read(header, ("CollectionDetails", "Source"))
    row: Row = {}
    _values(_first_texts(blocks["CollectionDetails"]), "Header", row, slice(3))
    _values(_first_texts(blocks["Source"]), "Header", row, slice(3, None))
    return row


def _first_texts(elements: list) -> dict:
    return _read(elements[0] if elements else None)[0]


def _codes(container: etree._Element | None, name: str | None = None) -> list[str | None]:
    """The text of each element in `container` (of that name, when given), as written."""
    if container is None:
        return []
    return [sub.text for sub in container if name is None or sub.tag == name]


def _add_child(census: Census, child: etree._Element) -> None:
    tables = census.tables
    _, blocks = _read(child, ("ChildIdentifiers", "ChildCharacteristics", "CINdetails"))
    identifiers = _values(_first_texts(blocks["ChildIdentifiers"]), "ChildIdentifiers", {})
    child_id = identifiers["LAchildID"]
    tables["ChildIdentifiers"].append(identifiers)
    characteristics = blocks["ChildCharacteristics"][0] if blocks["ChildCharacteristics"] else None
    texts, inside = _read(characteristics, ("Disabilities",))
    tables["ChildCharacteristics"].append(_values(texts, "ChildCharacteristics", {"LAchildID": child_id}))
    for code in _codes(inside["Disabilities"][0] if inside["Disabilities"] else None):
        tables["Disabilities"].append({"LAchildID": child_id, "Disability": (code or "").strip() or None})
    for episode_id, episode in enumerate(blocks["CINdetails"], start=1):
        _add_episode(tables, episode, {"LAchildID": child_id, "CINdetailsID": episode_id})


_EPISODE_BLOCKS = ("Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans")


def _add_episode(tables: dict[str, list[Row]], episode: etree._Element, keys: Row) -> None:
    texts, blocks = _read(episode, _EPISODE_BLOCKS)
    tables["CINdetails"].append(_values(texts, "CINdetails", dict(keys)))
    for assessment_id, assessment in enumerate(blocks["Assessments"], start=1):
        ids = {**keys, "AssessmentID": assessment_id}
        texts, inside = _read(assessment, ("FactorsIdentifiedAtAssessment",))
        factors = tuple((code or "").strip() for code in _codes(
            inside["FactorsIdentifiedAtAssessment"][0] if inside["FactorsIdentifiedAtAssessment"] else None))
        tables["Assessments"].append(_values(texts, "Assessments", {**ids, "AssessmentFactors": factors}))
        for factor in factors:
            tables["AssessmentFactorsList"].append({**ids, "AssessmentFactor": factor or None})
    for plan in blocks["CINPlanDates"]:
        tables["CINplanDates"].append(_values(_read(plan)[0], "CINplanDates", dict(keys)))
    for enquiry in blocks["Section47"]:
        tables["Section47"].append(_values(_read(enquiry)[0], "Section47", dict(keys)))
    for plan_id, plan in enumerate(blocks["ChildProtectionPlans"], start=1):
        ids = {**keys, "CPPID": plan_id}
        texts, inside = _read(plan, ("Reviews",))
        tables["ChildProtectionPlans"].append(_values(texts, "ChildProtectionPlans", dict(ids)))
        for day in _codes(inside["Reviews"][0] if inside["Reviews"] else None, "CPPreviewDate"):
            tables["Reviews"].append({**ids, "CPPreviewDate": as_date((day or "").strip())})
