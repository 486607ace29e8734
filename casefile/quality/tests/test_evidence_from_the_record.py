"""The evidence laid beside an audit's sections comes from the record, worked out by hand here from the journey's
dates: the referral on Monday 8 January 2024, the assessment authorised 9 days later, Lily seen alone on a visit on
7 February 2024, a child protection plan from 28 January with one review."""

import datetime

import pytest

from casefile.casework import models as cw
from casefile.casework.testing import make_journey
from casefile.oversight.testing import make_case_supervision
from casefile.quality.evidence import record_evidence
from casefile.quality.models import PracticeArea
from casefile.quality.presenters import evidence_by_area

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 3, 20)


def _texts(rows: list[dict]) -> dict[str, str]:
    return {row["key"]["text"]: str(row["value"].get("text") or row["value"].get("html")) for row in rows}


@pytest.fixture
def journey(org, child):
    return make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)


def test_the_assessment_is_timed_against_45_working_days_from_the_referral(child, journey):
    rows = _texts(evidence_by_area(record_evidence(child, today=TODAY))[PracticeArea.NEED_AND_RISK])
    # 9 January to 17 January 2024: 7 working days.
    assert rows["Assessment after the referral of 8 January 2024"] == (
        "Authorised on 17 January 2024, 7 working days after the referral (45 allowed)")


def test_an_assessment_authorised_after_the_45th_working_day_is_shown_late(child, journey):
    # The 45th working day after Monday 8 January 2024 is Monday 11 March; the 12th is the 46th.
    cw.Assessment.objects.filter(pk=journey.assessment.pk).update(authorised_on=datetime.date(2024, 3, 12))
    rows = _texts(evidence_by_area(record_evidence(child, today=TODAY))[PracticeArea.NEED_AND_RISK])
    text = rows["Assessment after the referral of 8 January 2024"]
    assert "Late" in text and "46 working days after the referral" in text


def test_when_the_child_was_last_seen_and_seen_alone(child, journey, org):
    cw.Visit.objects.create(child=child, episode=journey.episode, plan=journey.plan,
                            kind=cw.Visit.Kind.CHILD_PROTECTION, date=datetime.date(2024, 3, 1), worker=org.sam,
                            child_seen=True, seen_alone=False,
                            recorded_by=org.sam)
    rows = _texts(evidence_by_area(record_evidence(child, today=TODAY))[PracticeArea.RELATIONSHIP_WITH_CHILD])
    assert rows["Last seen"] == "1 March 2024"
    assert rows["Last seen alone"] == "7 February 2024"
    assert rows["Visits in the last year"] == "2 visits, seen on 2"


def test_plans_reviews_supervision_and_the_allocated_worker(child, journey, org):
    make_case_supervision(child, org.sam, org.tess, held_on=datetime.date(2024, 3, 4))
    by_area = evidence_by_area(record_evidence(child, today=TODAY))
    plans = _texts(by_area[PracticeArea.PLANNING_AND_REVIEW])
    assert plans["Child protection plan from 28 January 2024"] == "Open; 1 review, the last on 17 April 2024"
    oversight = _texts(by_area[PracticeArea.OVERSIGHT_AND_SUPERVISION])
    assert oversight["Case supervision"] == "1 record, the last on 4 March 2024"
    basic = _texts(by_area[PracticeArea.BASIC_INFORMATION])
    assert basic["Referrals"] == "1 referral"
    assert basic["Latest referral"] == "Received on 8 January 2024, open"
    assert basic["Allocated worker"].startswith(str(org.sam))


def test_a_child_with_no_record_yet_says_so_rather_than_failing(org):
    from casefile.testing import make_child

    newcomer = make_child("Noah", "Fenwick")
    by_area = evidence_by_area(record_evidence(newcomer, today=TODAY))
    assert _texts(by_area[PracticeArea.BASIC_INFORMATION])["Referrals"] == "No referral recorded"
    assert _texts(by_area[PracticeArea.RELATIONSHIP_WITH_CHILD])["Last seen"] == "Not seen on any visit recorded"
