"""A child protection plan can end without a conference: the child became looked after, moved to another
authority (transfer out, with a summary), turned 18 or died. A manager records it; everyone else is refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework.chronology import chronology
from casefile.casework.models import Episode, Plan
from casefile.casework.services.plans import end_cp_plan

START = datetime.date(2024, 3, 1)


@pytest.fixture
def plan(org, child):
    episode = Episode.objects.create(child=child, referral_date=datetime.date(2024, 2, 1), referral_source="2A",
                                     recorded_by=org.sam)
    return Plan.objects.create(child=child, episode=episode, kind=Plan.Kind.CHILD_PROTECTION, start_date=START,
                               initial_category="NEG", latest_category="NEG", contingency="Reconvene",
                               recorded_by=org.sam)


def end(org, plan, **values):
    return end_cp_plan(actor=org.tess, plan=plan, **{"end_date": datetime.date(2024, 6, 3), **values})


def test_a_manager_ends_the_plan_when_the_child_becomes_looked_after(org, plan):
    end(org, plan, reason="looked_after")
    plan.refresh_from_db()
    assert plan.end_date == datetime.date(2024, 6, 3) and plan.end_reason == "looked_after"
    assert plan.ended_by_conference is None and plan.history.count() == 2
    event = AuditEvent.objects.filter(action=Action.UPDATE, subject_id=str(plan.pk)).get()
    assert event.details["reason"] == "The child became looked after"
    ended = next(e for e in chronology(plan.child) if e.key == f"plan-end:{plan.pk}")
    assert "The child became looked after." in ended.description


def test_a_transfer_out_needs_the_receiving_authority_and_a_summary(org, plan):
    with pytest.raises(ValidationError) as error:
        end(org, plan, reason="transferred_out")
    assert set(error.value.message_dict) == {"receiving_authority", "summary"}
    end(org, plan, reason="transferred_out", receiving_authority="Leeds City Council",
        summary="Neglect; school attendance improving; core group due 10 June")
    plan.refresh_from_db()
    assert plan.receiving_authority == "Leeds City Council" and "core group due" in plan.end_summary


def test_a_plan_ends_at_18_on_the_18th_birthday(org, child, plan):
    child.date_of_birth = datetime.date(2006, 5, 14)
    child.save()
    with pytest.raises(ValidationError) as error:
        end(org, plan, reason="turned_18", end_date=datetime.date(2024, 5, 20))
    assert "Lily turns 18 on 14 May 2024" in error.value.message_dict["end_date"][0]
    end(org, plan, reason="turned_18", end_date=datetime.date(2024, 5, 14))


def test_a_death_must_be_on_the_record_first(org, child, plan):
    with pytest.raises(ValidationError) as error:
        end(org, plan, reason="died")
    assert "date of death" in error.value.message_dict["reason"][0]
    child.date_of_death = datetime.date(2024, 6, 1)
    child.save()
    with pytest.raises(ValidationError) as error:
        end(org, plan, reason="died", end_date=datetime.date(2024, 5, 30))
    assert "on or after Lily died, 1 June 2024" in error.value.message_dict["end_date"][0]
    end(org, plan, reason="died", end_date=datetime.date(2024, 6, 1))


def test_the_reason_and_date_are_required_and_the_date_not_before_the_start(org, plan):
    with pytest.raises(ValidationError) as error:
        end(org, plan, reason="", end_date=None)
    assert set(error.value.message_dict) == {"reason", "end_date"}
    with pytest.raises(ValidationError) as error:
        end(org, plan, reason="looked_after", end_date=datetime.date(2024, 2, 1))
    assert "on or after it started, 1 March 2024" in error.value.message_dict["end_date"][0]


def test_only_a_manager_who_may_change_her_record_ends_it(org, plan):
    for who in (org.sam, org.mel, org.chris):
        with pytest.raises(PermissionDenied):
            end_cp_plan(actor=who, plan=plan, reason="looked_after", end_date=datetime.date(2024, 6, 3))
    plan.refresh_from_db()
    assert plan.is_open


def test_the_plan_page_offers_a_manager_the_ending_and_refuses_the_worker(client, org, child, plan):
    ids = {"person_id": child.pk, "plan_id": plan.pk}
    end_url = reverse("casework:end_plan", kwargs=ids)
    client.force_login(org.sam)
    assert end_url not in client.get(reverse("casework:plan", kwargs=ids)).content.decode()
    refused = client.post(end_url, {"reason": "looked_after", "end_date_day": "3", "end_date_month": "6",
                                    "end_date_year": "2024"})
    assert refused.status_code == 200 and "Only a manager may end it without one" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.is_open
    client.force_login(org.tess)
    assert end_url in client.get(reverse("casework:plan", kwargs=ids)).content.decode()
    page = client.post(end_url, {"reason": "transferred_out", "end_date_day": "3", "end_date_month": "6",
                                 "end_date_year": "2024"}).content.decode()
    assert "Enter the authority Lily moved to" in page
    response = client.post(end_url, {"reason": "looked_after", "end_date_day": "3", "end_date_month": "6",
                                     "end_date_year": "2024"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "3 June 2024: the child became looked after" in page
