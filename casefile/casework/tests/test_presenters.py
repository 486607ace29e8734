"""Casework's list presenters: what the caseload and non-working-day tables show."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from casefile.casework import models as cw
from casefile.casework.presenters import (
    caseload_weights_text,
    caseloads_table,
    closed_days_table,
    conference_decision,
    conference_summary_rows,
    conferences_table,
    plan_summary_rows,
    plans_table,
)
from casefile.casework.testing import make_journey
from casefile.core.presenters import MISSING, govuk_date

KINDS = ("cp_plan", "assessment")
LABELS = {"cp_plan": "CP plan", "assessment": "Assessment"}


def test_weights_read_as_a_sentence_with_no_needless_decimals():
    assert caseload_weights_text(KINDS, LABELS, {"cp_plan": 3.0, "assessment": 1.5}) == "cp plan 3, assessment 1.5."


def test_a_caseload_row_tags_overdue_items_and_lines_up_the_numbers():
    load = SimpleNamespace(worker=None, counts={"cp_plan": 1, "assessment": 2}, children=3, weight_text="5",
                           overdue=2)
    calm = SimpleNamespace(**{**vars(load), "overdue": 0})
    load.worker = calm.worker = SimpleNamespace(role_label="Social worker")
    params = caseloads_table([load, calm], KINDS, LABELS)
    assert [cell["text"] for cell in params["head"]] == ["Name", "CP plan", "Assessment", "Children", "Weight",
                                                         "Overdue items"]
    assert all(cell.get("format") == "numeric" for cell in params["head"][1:])
    assert params["rows"][0][-1]["html"] == '<strong class="govuk-tag govuk-tag--red">2</strong>'
    assert params["rows"][1][-1] == {"text": "0", "format": "numeric"}
    assert params["captionClasses"] == "govuk-visually-hidden"


def test_a_closed_day_says_its_weekday_and_where_it_comes_from():
    days = [SimpleNamespace(date=datetime.date(2026, 12, 28), description="Boxing Day (substitute day)",
                            added_by_authority=False),
            SimpleNamespace(date=datetime.date(2026, 12, 29), description="Council closure", added_by_authority=True)]
    rows = closed_days_table(days)["rows"]
    assert rows[0] == [{"text": "Monday 28 December 2026"}, {"text": "Boxing Day (substitute day)"},
                       {"text": "England and Wales bank holiday"}]
    assert rows[1][2] == {"text": "Added by the council"}


@pytest.mark.django_db
def test_a_child_protection_plan_links_the_conference_that_started_it_and_cannot_be_ended_here(org, child):
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)
    plan = journey.plan
    rows = {row["key"]["text"]: row for row in plan_summary_rows(plan)}
    conference_url = reverse("casework:conference", kwargs={"person_id": child.pk,
                                                            "conference_id": journey.conference.pk})
    assert rows["Started"]["value"]["html"] == (
        f'{govuk_date(plan.start_date)}, at the <a class="govuk-link" href="{conference_url}">initial child '
        f'protection conference</a>')
    assert "actions" not in rows["Ended"]
    assert rows["Initial category of abuse"]["value"] == {"text": "Neglect"}
    assert "Visits" not in rows  # no interval set by a conference yet
    assert rows["Contingency"]["actions"]["items"][0]["visuallyHiddenText"] == "the contingency"


@pytest.mark.django_db
def test_a_child_in_need_plan_says_what_is_missing_and_offers_to_change_it(org, child):
    episode = cw.Episode.objects.create(child=child, referral_date=datetime.date(2026, 1, 2), referral_source="2A",
                                        recorded_by=org.fran)
    plan = cw.Plan.objects.create(child=child, episode=episode, kind=cw.Plan.Kind.CHILD_IN_NEED,
                                  start_date=datetime.date(2026, 1, 5), contingency="", recorded_by=org.sam)
    rows = {row["key"]["text"]: row for row in plan_summary_rows(plan)}
    assert rows["Started"]["value"] == {"text": "5 January 2026"}
    assert rows["Ended"]["value"] == {"text": "Not ended"}
    assert rows["Ended"]["actions"]["items"][0]["text"] == "End the plan"
    assert rows["Visits"]["value"] == {"html": MISSING}
    assert rows["Visits"]["actions"]["items"][0]["visuallyHiddenText"] == "how often visits happen"
    assert rows["Contingency"]["value"] == {"html": MISSING}
    assert "Initial category of abuse" not in rows
    plan.visit_interval_working_days, plan.end_date = 20, datetime.date(2026, 6, 1)
    rows = {row["key"]["text"]: row for row in plan_summary_rows(plan)}
    assert rows["Visits"]["value"] == {"text": "At least every 20 working days"}
    assert rows["Ended"]["value"] == {"text": "1 June 2026"} and "actions" not in rows["Visits"]


@pytest.mark.django_db
def test_the_overview_tables_tag_the_open_plan_and_say_each_conferences_decision(org, child):
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)
    plans = plans_table(child, [journey.plan])
    assert "Open</strong>" in plans["rows"][0][0]["html"] and plans["rows"][0][2] == {"text": "Not ended"}
    decision = conferences_table(child, [journey.conference])["rows"][0][2]
    assert decision == {"text": "Child protection plan (started or continued) (neglect)"}
    journey.conference.decision = ""
    assert conference_decision(journey.conference) is MISSING


@pytest.mark.django_db
def test_a_conference_summary_names_the_plan_it_started_and_leaves_out_what_does_not_apply(org, child):
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)
    conference = journey.conference
    rows = {row["key"]["text"]: row["value"] for row in conference_summary_rows(
        conference, child, started=[journey.plan], review=None, ended=[])}
    plan_url = reverse("casework:plan", kwargs={"person_id": child.pk, "plan_id": journey.plan.pk})
    assert rows["The plan"]["html"] == (f'<p class="govuk-body">Started the <a class="govuk-link" href="{plan_url}">'
                                        f'child protection plan</a>.</p>')
    assert rows["Advocate offered"] == {"text": "Yes"}
    assert rows[f"How {child.first_name}’s views were brought"] == {"html": MISSING}
    assert rows["Section 47 enquiry"]["text"].startswith("Started on ")
    rows = {row["key"]["text"] for row in conference_summary_rows(conference, child, started=[], review=None,
                                                                   ended=[])}
    assert "The plan" not in rows
