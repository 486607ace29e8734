"""Annex A's counts agree with the CIN census's for the same period, on a simulated authority.

The census export (returns/census.py) is being built beside this, so the census side is counted here from the
record the way the census counts it (a referral in the period is a CINdetails with its CINreferralDate in it; a
section 47 enquiry started in it has its S47ActualStartDate in it; a child protection plan open in it has a
CPPstartDate on or before the period's end and no CPPendDate before its start). Once the census export is merged,
the same counts should be read from its XML for the period and compared too."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.db.models import Q

from casefile.casework import models as cw
from casefile.demo import simulate
from casefile.returns import annex_a
from casefile.rules import annex_a as rules

END = datetime.date(2026, 3, 31)
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("simulate_small_annex_a")]


def _references(child_ids) -> set[str]:
    return {annex_a.Person(pk=child).reference for child in child_ids}


@pytest.fixture(scope="module")
def counted(django_db_setup, django_db_blocker) -> dict:
    """Build a small authority, make the lists for an inspection on its last day, count the census's way, and roll
    it all back."""
    with django_db_blocker.unblock(), transaction.atomic():
        simulate.simulate(size="small", seed=7, end_date=END, referrals_per_year=150)
        window = rules.Window(END)
        start, end = window.start, window.inspection
        referrals = cw.Episode.objects.filter(referral_date__range=(start, end))
        s47_started = cw.Section47Enquiry.objects.filter(strategy_discussion__date__range=(start, end))
        s47_open = cw.Section47Enquiry.objects.filter(strategy_discussion__date__lte=end).filter(
            Q(outcome_date__isnull=True) | Q(outcome_date__gte=start))
        cp_open = cw.Plan.objects.filter(kind=cw.Plan.Kind.CHILD_PROTECTION, start_date__lte=end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start))
        cin_open = cw.Episode.objects.filter(referral_date__lte=end).exclude(referral_nfa=True).filter(
            Q(closure_date__isnull=True) | Q(closure_date__gte=start))
        result = {
            "lists": rules.build(annex_a.load(END), END), "window": window,
            "referrals": referrals.count(), "referred": _references(referrals.values_list("child_id", flat=True)),
            "s47_started": s47_started.count(), "s47_open": s47_open.count(),
            "on_plans": _references(cp_open.values_list("child_id", flat=True)),
            "in_need": _references(cin_open.values_list("child_id", flat=True)),
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
    # And every enquiry open at any time in the period is listed, one row each.
    assert len(rows) == counted["s47_open"]


def test_children_on_a_plan_in_the_period_are_the_censuss(counted):
    rows = counted["lists"][7]
    assert {row[0] for row in rows} == counted["on_plans"] and len(rows) == len(counted["on_plans"]) > 0


def test_children_in_need_in_the_period_are_the_censuss(counted):
    rows = counted["lists"][6]
    assert {row[0] for row in rows} == counted["in_need"] and len(rows) == len(counted["in_need"]) > 0
