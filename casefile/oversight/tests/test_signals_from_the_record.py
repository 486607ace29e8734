"""Signals worked out from database records: the rows loaded for the rules, in a fixed number of queries, and who
each child's signals count against."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casefile.casework import models as cw
from casefile.casework.testing import make_journey
from casefile.oversight import signals
from casefile.people.models import Relationship
from casefile.rules.signals import Context, Evidence
from casefile.testing import allocate, make_adult, make_child

TODAY = datetime.date(2025, 11, 3)
pytestmark = pytest.mark.django_db


def context(**extra) -> Context:
    return signals.context(today=TODAY, everything=True, **extra)


def codes(findings) -> set[str]:
    return {finding.code for finding in findings}


def test_a_whole_journey_is_read_into_the_rules(org, child):
    journey = make_journey(child, org.sam, org.tess, org.chris)
    [record] = signals.load_records([child.pk], context())
    assert [plan.id for plan in record.plans] == [journey.plan.pk]
    assert record.reviews[0].actions_marked == 1 and record.reviews[0].actions_done == 1
    # The day it was typed, in England (at 00:30 in summer time, UTC is still on the day before).
    assert record.visits[0].seen and record.visits[0].recorded_on == timezone.localdate(journey.visit.recorded_at)
    assert record.strategy_discussions[0].enquiry_outcome_date == journey.enquiry.outcome_date
    assert [allocation.worker_id for allocation in record.allocations] == [org.sam.pk]


def test_a_child_protection_plan_open_since_january_2024_is_long_and_quiet(org, child):
    journey = make_journey(child, org.sam, org.tess, org.chris)
    found = signals.signals_for_child(child, context())
    assert {"cp_plan_15_months", "quiet_cp_case", "missing_identity", "overdue_clock"} <= codes(found)
    long = next(f for f in found if f.code == "cp_plan_15_months")
    assert long.evidence == (Evidence("plan", journey.plan.pk),)
    assert long.explanation == ("Child protection plan started 28 January 2024 is still open: it reached 15 months "
                                "on 28 April 2025.")


def test_a_child_with_a_tidy_record_has_no_signals(org):
    tidy = make_child("Tom", "Tidy", ethnicity="WBRI", religion="None", first_language="English")
    allocate(tidy, org.sam, allocated_by=org.tess)
    cw.Episode.objects.create(child=tidy, referral_date=datetime.date(2025, 10, 27), referral_source="2A",
                              referral_decision_date=datetime.date(2025, 10, 27), recorded_by=org.sam)
    assert signals.signals_for_child(tidy, context()) == []


def test_a_known_father_not_in_the_assessment_is_found_from_the_relationship(org, child):
    journey = make_journey(child, org.sam, org.tess, org.chris)
    father = make_adult("Dean", "Hartley", sex="M")
    Relationship.objects.create(person=father, relative=child, kind=Relationship.Kind.PARENT)
    found = [f for f in signals.signals_for_child(child, context()) if f.code == "father_left_out"]
    assert [f.evidence for f in found] == [(Evidence("assessment", journey.assessment.pk),)]
    cw.AssessmentAdult.objects.create(assessment=journey.assessment, person=father, role="birth father", seen=True)
    assert "father_left_out" not in codes(signals.signals_for_child(child, context()))


def test_a_closure_without_a_known_fathers_views_is_found_and_a_reason_answers_it(org, child):
    journey = make_journey(child, org.sam, org.tess, org.chris)
    father = make_adult("Dean", "Hartley", sex="M")
    Relationship.objects.create(person=father, relative=child, kind=Relationship.Kind.PARENT)
    episode = journey.episode
    episode.closure_date, episode.childs_views_at_closure = datetime.date(2025, 6, 2), "Glad it is over"
    episode.save()
    [finding] = [f for f in signals.signals_for_child(child, context()) if f.code == "closure_without_fathers_views"]
    assert finding.evidence == (Evidence("episode", episode.pk),)
    episode.fathers_views_not_sought = cw.FathersViewsNotSought.RISK
    episode.save()
    assert "closure_without_fathers_views" not in codes(signals.signals_for_child(child, context()))


def test_the_queries_do_not_grow_with_the_number_of_children(org, child):
    make_journey(child, org.sam, org.tess, org.chris)
    with CaptureQueriesContext(connection) as one:
        signals.signals_for_children([child.pk], context())
    others = [make_child(f"Child{n}", "Many") for n in range(4)]
    for other in others:
        make_journey(other, org.sam, org.tess, org.chris)
    with CaptureQueriesContext(connection) as five:
        found = signals.signals_for_children([child.pk, *(o.pk for o in others)], context())
    assert len(five.captured_queries) == len(one.captured_queries)
    assert all("cp_plan_15_months" in codes(found[o.pk]) for o in others)


def test_the_whole_authority_is_every_child_with_an_episode(org, child):
    make_journey(child, org.sam, org.tess, org.chris)
    make_child("Never", "Referred")
    assert set(signals.signals_for_authority(context())) == {child.pk}


def test_signals_count_against_who_holds_the_case_or_held_it_last(org, child):
    closed = make_child("Closed", "Lately")
    allocation = allocate(closed, org.ola, allocated_by=org.tess)
    allocation.start_date, allocation.end_date = datetime.date(2025, 1, 6), datetime.date(2025, 6, 2)
    allocation.save()
    long_ago = make_child("Closed", "Longago")
    old = allocate(long_ago, org.ola, allocated_by=org.tess)
    old.start_date, old.end_date = datetime.date(2023, 1, 9), datetime.date(2023, 6, 5)
    old.save()
    held = signals.holders(signals.context(today=TODAY))
    assert held[child.pk] == signals.Holder(org.sam.pk, org.assessment.pk, True)
    assert held[closed.pk] == signals.Holder(org.ola.pk, org.other_team.pk, False)
    assert long_ago.pk not in held
    assert set(signals.holders(signals.context(today=TODAY), teams=[org.assessment.pk])) == {child.pk}
    assert set(signals.holders(signals.context(today=TODAY), worker=org.ola.pk)) == {closed.pk}


def test_the_authoritys_thresholds_come_from_the_setting(settings, org, child):
    make_journey(child, org.sam, org.tess, org.chris)
    assert "cp_plan_15_months" in codes(signals.signals_for_child(child, context()))
    settings.CASEFILE_SIGNALS = {"cp_plan_long_months": 24}  # the plan reaches 24 months on 28 January 2026
    assert "cp_plan_15_months" not in codes(signals.signals_for_child(child, context()))
