"""Reading and writing census files: a round trip keeps every value, and a file that is not a census is refused
in plain words before anything is read from it."""

from __future__ import annotations

import datetime
import gc

import pytest

from casefile.rules.cin.packs import UnknownYear, pack, year_ending
from casefile.rules.cin.parse import CensusFileError, parse
from casefile.rules.cin.tests.builder import census_xml, clean_child
from casefile.rules.memory import cycle_collector_paused


def test_a_written_census_reads_back_with_every_value():
    child = clean_child("A1")
    child["CINdetails"][0]["ChildProtectionPlans"] = [{
        "CPPstartDate": "2025-08-01", "InitialCategoryOfAbuse": "NEG", "LatestCategoryOfAbuse": "EMO",
        "NumberOfPreviousCPP": "0", "Reviews": ["2025-10-01", "2026-03-01"]}]
    census = parse(census_xml([child, clean_child("B2")]))
    assert census.children == ["A1", "B2"]
    assert census.reference_date == datetime.date(2026, 3, 31)
    assert census.period_start == datetime.date(2025, 4, 1)
    assert census.tables["CINdetails"][0]["CINreferralDate"] == datetime.date(2025, 6, 2)
    assert census.tables["Assessments"][0]["AssessmentFactors"] == ("3A",)
    assert census.tables["AssessmentFactorsList"][0]["AssessmentFactor"] == "3A"
    assert [row["CPPreviewDate"] for row in census.tables["Reviews"]] == [datetime.date(2025, 10, 1),
                                                                         datetime.date(2026, 3, 1)]
    assert census.tables["ChildProtectionPlans"][0]["CPPID"] == 1
    assert [index for index, _ in census.by_child("CINdetails")["B2"]] == [1]


@pytest.mark.parametrize(("content", "says"), [
    (b"", "empty"),
    (b"name,date\nA,2025-01-01\n", "not complete, well-formed XML"),
    (b"<Other><Children/></Other>", "starts with <Other>"),
    (b"<Message><Children></Children></Message>", "no children"),
    (census_xml([clean_child("A1")])[:-40], "cut short"),
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
     b"<Message>&lol2;</Message>", "document type or entities"),
])
def test_what_is_not_a_census_is_refused_in_plain_words(content, says):
    with pytest.raises(CensusFileError, match=says):
        parse(content)


def test_the_first_element_is_checked_even_when_it_starts_past_the_part_read_ahead():
    # More than the 64 KB read ahead comes before the first element: the whole read still refuses the file.
    content = b"<!--" + b"x" * 70_000 + b"--><Other><Children><Child/></Children></Other>"
    with pytest.raises(CensusFileError, match="starts with <Other>"):
        parse(content)


def test_only_children_where_the_census_puts_them_are_read():
    child = census_xml([clean_child("A1")]).split(b"<Children>")[1].split(b"</Children>")[0]
    misplaced = b"<Message><Children><Group>" + child + b"</Group></Children></Message>"
    with pytest.raises(CensusFileError, match="no children"):
        parse(misplaced)
    assert parse(b"<Message><Children>" + child + b"</Children></Message>").children == ["A1"]


def test_the_cycle_collector_is_paused_only_while_a_census_is_handled():
    assert gc.isenabled()
    with cycle_collector_paused():
        with cycle_collector_paused():  # nested: the inner one leaves it to the outer one to turn back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(CensusFileError), cycle_collector_paused():
        parse(b"<Other/>")
    assert gc.isenabled()


def test_census_years_are_named_by_the_year_they_end():
    assert year_ending(datetime.date(2026, 3, 31)) == "2025-26"
    assert pack("2025-26").sex == "Sex"
    assert pack("2023-24").sex == "GenderCurrent"
    with pytest.raises(UnknownYear, match="2019-20"):
        pack("2019-20")
