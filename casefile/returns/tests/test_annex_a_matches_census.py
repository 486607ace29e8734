"""Annex A's counts agree with the CIN census's for the same period, on a simulated authority (issue 11, item 5).

Two authorities of evidence: the record, counted the census's way (the first tests), and the census return itself,
exported by returns/census.py for 2025-26 and read back with rules/cin/parse.py (the tests from "The census
return"). The inspection is on the census's reference date, 31 March 2026, so the periods line up: Annex A's "in
the last 12 months" counts cover the census year exactly (1 April to 31 March), and its six-month look-back
(1 October to 31 March) lies inside it. Where the two legitimately count different things, each test says how the
period or the rows are aligned before they are compared:
- the census keeps every episode open at any time in the year, Annex A only those open in the six months, so
  census rows are filtered to the look-back (lists 3, 4, 6, 7);
- a section 47 enquiry is on list 5 while open (strategy discussion to outcome), but the census has no outcome
  date: it returns enquiries started in the year, with their conference in it, or still awaiting one; so the
  enquiries started in the look-back are compared row for row, and the rest of list 5 only as a subset;
- list 6 and list 7 have one row per child (the latest episode, the latest plan), the census one per episode or
  plan: the census's latest one open in the look-back is compared.
The authority runs two years, so cases open across the census year's start are in it too.
"""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Q

from casefile.casework import models as cw
from casefile.demo import simulate
from casefile.returns import annex_a
from casefile.returns import census as census_return
from casefile.rules import annex_a as rules
from casefile.rules.cin.parse import parse
from casefile.rules.codes import NO_DISABILITY

END = datetime.date(2026, 3, 31)
YEAR = "2025-26"  # the census year ending on END
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("simulate_small_annex_a")]


def _references(child_ids) -> set[str]:
    return {annex_a.Person(pk=child).reference for child in child_ids}


@pytest.fixture(scope="module")
def counted(django_db_setup, django_db_blocker) -> dict:
    """Build a small authority, make the lists for an inspection on its last day, count the census's way, and roll
    it all back."""
    with django_db_blocker.unblock(), transaction.atomic():
        simulate.simulate(size="small", seed=7, end_date=END, years=2, referrals_per_year=150)
        window = rules.Window(END)
        start, end = window.start, window.inspection
        referrals = cw.Episode.objects.filter(referral_date__range=(start, end))
        s47_started = cw.Section47Enquiry.objects.filter(strategy_discussion__date__range=(start, end))
        s47_listed = cw.Section47Enquiry.objects.filter(strategy_discussion__date__lte=end).filter(
            Q(outcome_date__isnull=True) | Q(outcome_date__gte=start)
            | Q(conferences__kind="initial", conferences__date__range=(start, end))).distinct()
        cp_open = cw.Plan.objects.filter(kind=cw.Plan.Kind.CHILD_PROTECTION, start_date__lte=end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start))
        cin_open = cw.Episode.objects.filter(referral_date__lte=end).exclude(referral_nfa=True).filter(
            Q(closure_date__isnull=True) | Q(closure_date__gte=start))
        result = {
            "lists": rules.build(annex_a.load(END), END), "window": window,
            "referrals": referrals.count(), "referred": _references(referrals.values_list("child_id", flat=True)),
            "s47_started": s47_started.count(), "s47_listed": s47_listed.count(),
            "on_plans": _references(cp_open.values_list("child_id", flat=True)),
            "in_need": _references(cin_open.values_list("child_id", flat=True)),
            "census": parse(census_return.export_and_validate(YEAR).xml),
        }
        transaction.set_rollback(True)
    return result


def _day(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def test_the_simulated_authority_gives_every_list_rows(counted):
    built = counted["lists"]
    assert all(built[number] for number in (1, 3, 4, 5, 6, 7)), {number: len(rows) for number, rows in built.items()}


def test_referrals_in_the_period_are_the_censuss_referrals_in_it(counted):
    rows = counted["lists"][3]
    assert len(rows) == counted["referrals"] > 0
    assert {row[0] for row in rows} == counted["referred"]


def test_section_47_enquiries_started_in_the_period_are_the_censuss(counted):
    rows, window = counted["lists"][5], counted["window"]
    assert sum(1 for row in rows if window.within(_day(row[6]))) == counted["s47_started"] > 0
    # And every enquiry open at any time in the period, or with its initial conference in it, is listed, one row
    # each.
    assert len(rows) == counted["s47_listed"]


def test_children_on_a_plan_in_the_period_are_the_censuss(counted):
    rows = counted["lists"][7]
    assert {row[0] for row in rows} == counted["on_plans"] and len(rows) == len(counted["on_plans"]) > 0


def test_children_in_need_in_the_period_are_the_censuss(counted):
    rows = counted["lists"][6]
    assert {row[0] for row in rows} == counted["in_need"] and len(rows) == len(counted["in_need"]) > 0


# The census return ---------------------------------------------------------------------------------------------
# Annex A columns, by position: the five common ones (0 the child's reference), then each list's own.
REFERRAL_DATE, REFERRAL_NFA, REFERRALS_IN_12_MONTHS = 5, 7, 8
DISABLED = 5  # lists 4 to 7
ASSESSMENT_START, ASSESSMENT_AUTHORISED = 6, 8
S47_START, ICPC_DATE, S47S_IN_12_MONTHS, ICPCS_IN_12_MONTHS = 6, 8, 10, 11
CIN_START, PRIMARY_NEED, CIN_CLOSED = 6, 7, 9
CPP_START, CPP_END, PREVIOUS_CPPS = 6, 12, 14


def _true(value) -> bool:
    return value is not None and value.lower() in ("true", "1")


def test_the_periods_line_up_with_the_census_year(counted):
    window, header = counted["window"], counted["census"].header
    assert header["ReferenceDate"] == window.inspection == END
    assert window.count_start == datetime.date(2025, 4, 1)  # Annex A's 12 months are the census year
    assert datetime.date(2025, 4, 1) < window.start == datetime.date(2025, 10, 1)


def test_list_3_is_the_censuss_referrals_in_the_six_months(counted):
    rows, window, census = counted["lists"][3], counted["window"], counted["census"]
    referrals = census.rows("CINdetails")
    annex = Counter((row[0], _day(row[REFERRAL_DATE]), row[REFERRAL_NFA] == rules.YES) for row in rows)
    returned = Counter((row["LAchildID"], row["CINreferralDate"], _true(row["ReferralNFA"])) for row in referrals
                       if window.within(row["CINreferralDate"]))
    assert annex == returned and sum(annex.values()) > 20
    # "Number of referrals in the last 12 months" is the child's referrals in the census year.
    in_year = Counter(row["LAchildID"] for row in referrals if window.counted(row["CINreferralDate"]))
    assert {row[0]: row[REFERRALS_IN_12_MONTHS] for row in rows} == {child: in_year[child] for child, *_ in annex}


def test_list_4_is_the_censuss_assessments_open_in_the_six_months(counted):
    rows, window, census = counted["lists"][4], counted["window"], counted["census"]
    annex = Counter((row[0], _day(row[ASSESSMENT_START]), row[ASSESSMENT_AUTHORISED]) for row in rows)
    # The census returns assessments authorised in the year or still open at its end: those open in the look-back
    # are the ones authorised in it or not at all.
    returned = Counter((row["LAchildID"], row["AssessmentActualStartDate"], row["AssessmentAuthorisationDate"])
                       for row in census.rows("Assessments")
                       if window.open_in(row["AssessmentActualStartDate"], row["AssessmentAuthorisationDate"]))
    assert annex == returned and sum(annex.values()) > 20


def test_list_5_is_the_censuss_section_47_enquiries_and_initial_conferences(counted):
    rows, window, census = counted["lists"][5], counted["window"], counted["census"]
    enquiries = census.rows("Section47")
    # Started in the look-back: the same enquiries, with the same initial conference (or none yet).
    annex = Counter((row[0], _day(row[S47_START]), row[ICPC_DATE]) for row in rows if window.within(row[S47_START]))
    returned = Counter((row["LAchildID"], row["S47ActualStartDate"], row["DateOfInitialCPC"]) for row in enquiries
                       if window.within(row["S47ActualStartDate"]))
    assert annex == returned and sum(annex.values()) > 10
    assert any(icpc for _, _, icpc in annex), "some led to an initial conference"
    # Started earlier and still open in the look-back: every one started in the census year is on the census too
    # (the census cannot say which of its earlier ones were still open: it has no outcome date).
    earlier = Counter((row[0], _day(row[S47_START]), row[ICPC_DATE]) for row in rows
                      if window.counted(row[S47_START]) and not window.within(row[S47_START]))
    returned_earlier = Counter((row["LAchildID"], row["S47ActualStartDate"], row["DateOfInitialCPC"])
                               for row in enquiries if window.counted(row["S47ActualStartDate"]))
    assert earlier <= returned_earlier
    # The 12-month counts are the child's enquiries started, and initial conferences held, in the census year.
    s47s = Counter(row["LAchildID"] for row in enquiries if window.counted(row["S47ActualStartDate"]))
    icpcs = Counter(row["LAchildID"] for table in ("Section47", "CINdetails") for row in census.rows(table)
                    if window.counted(row["DateOfInitialCPC"]))
    assert {row[0]: (row[S47S_IN_12_MONTHS], row[ICPCS_IN_12_MONTHS]) for row in rows} == {
        row[0]: (s47s[row[0]], icpcs[row[0]]) for row in rows}
    # Every initial conference in the look-back is on list 5, under the enquiry that led to it.
    held = Counter((row["LAchildID"], row["DateOfInitialCPC"]) for table in ("Section47", "CINdetails")
                   for row in census.rows(table) if window.within(row["DateOfInitialCPC"]))
    listed = Counter((row[0], row[ICPC_DATE]) for row in rows if window.within(row[ICPC_DATE]))
    assert listed == held and sum(held.values()) > 5


def _latest_open(rows, window: rules.Window, start: str, end: str) -> dict[str, dict]:
    """Each child's latest census row open at some time in the look-back (rows are in date order per child)."""
    latest = {}
    for row in sorted(rows, key=lambda row: (row["LAchildID"], row[start])):
        if window.open_in(row[start], row[end]):
            latest[row["LAchildID"]] = row
    return latest


def test_list_6_is_the_censuss_children_in_need_in_the_six_months(counted):
    rows, window, census = counted["lists"][6], counted["window"], counted["census"]
    in_need = [row for row in census.rows("CINdetails") if not _true(row["ReferralNFA"])]
    latest = _latest_open(in_need, window, "CINreferralDate", "CINclosureDate")
    annex = {row[0]: (_day(row[CIN_START]), row[PRIMARY_NEED][:2] or None, row[CIN_CLOSED]) for row in rows}
    returned = {child: (row["CINreferralDate"], row["PrimaryNeedCode"], row["CINclosureDate"])
                for child, row in latest.items()}
    assert annex == returned and len(annex) > 20


def test_list_7_is_the_censuss_child_protection_plans_in_the_six_months(counted):
    rows, window, census = counted["lists"][7], counted["window"], counted["census"]
    latest = _latest_open(census.rows("ChildProtectionPlans"), window, "CPPstartDate", "CPPendDate")
    annex = {row[0]: (_day(row[CPP_START]), row[CPP_END], row[PREVIOUS_CPPS]) for row in rows}
    returned = {child: (row["CPPstartDate"], row["CPPendDate"], int(row["NumberOfPreviousCPP"]))
                for child, row in latest.items()}
    assert annex == returned and len(annex) > 5


def test_the_disability_column_is_the_censuss_disabilities(counted):
    census = counted["census"]
    disabled = {row["LAchildID"] for row in census.rows("Disabilities") if row["Disability"] != NO_DISABILITY}
    listed = [row for number in (4, 5, 6, 7) for row in counted["lists"][number]]
    assert {row[0]: row[DISABLED] == rules.YES for row in listed} == {
        row[0]: row[0] in disabled for row in listed}
    assert any(row[DISABLED] == rules.YES for row in listed) and any(row[DISABLED] == rules.NO for row in listed)
