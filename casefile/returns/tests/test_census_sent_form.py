"""The return is built in the file's own values: written as the census file and read back, it comes back the same,
so the rules run on the built return see what the DfE will read (census.py; the export validates it without
reading its own file back)."""

import datetime

import pytest

from casefile.casework import models as cw
from casefile.demo import simulate
from casefile.people.models import Disability
from casefile.returns import census
from casefile.rules.cin.census import TABLES
from casefile.rules.cin.parse import parse
from casefile.rules.cin.write import write
from casefile.testing import make_child

D = datetime.date
NOW = datetime.datetime(2026, 4, 1, 9, 30, 15, 123456)
pytestmark = pytest.mark.django_db


def _same_as_read_back(built):
    read = parse(write(built))
    assert read.header == built.header
    for table in built.tables:
        assert read.tables[table] == built.tables[table], table


def _every_column(built):
    assert set(built.header) == set(TABLES["Header"])
    for table, rows in built.tables.items():
        assert all(set(row) == set(TABLES[table]) for row in rows), table


def test_a_simulated_authority_s_return_reads_back_the_same(org):
    simulate.simulate(size="small", seed=7, end_date=D(2026, 3, 31))
    built = census.census_for_year("2025-26", now=NOW)
    assert len(built.children) > 100 and built.tables["ChildProtectionPlans"] and built.tables["Section47"]
    _every_column(built)
    _same_as_read_back(built)


def test_values_typed_with_spaces_or_left_empty_read_back_the_same(org):
    child = make_child(upn="A001200212345", sex="M", ethnicity="WBRI ")
    Disability.objects.create(person=child, code=" MOB")
    Disability.objects.create(person=child, code="")
    unborn = make_child("Baby", date_of_birth=None, expected_date_of_birth=D(2026, 5, 1), sex="F", ethnicity="",
                        upn="", upn_unknown_reason="UN1 ")
    for person in (child, unborn):
        cw.Episode.objects.create(child=person, referral_date=D(2025, 6, 2), referral_source="2A ",
                                  primary_need="", referral_nfa=person is unborn, recorded_by=org.sam)

    built = census.census_for_year("2025-26", now=NOW)

    _every_column(built)
    _same_as_read_back(built)
    assert [row["Disability"] for row in built.tables["Disabilities"]] == ["MOB"]
    assert [row["ReferralNFA"] for row in built.tables["CINdetails"]] == ["false", "true"]
    assert built.header["DateTime"] == "2026-04-01T09:30:15"
