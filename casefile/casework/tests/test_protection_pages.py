"""The conference pages: one page per kind, saved at once or not at all, for the people allowed to see the child."""

from __future__ import annotations

import datetime

from django.urls import reverse

from casefile.casework.models import Agency, Conference, ConferenceParticipant, ConferenceReport, Plan, PlanReview
from casefile.casework.tests.test_protection_conferences import (
    CONTINGENCY,
    add_smart_action,
    make_enquiry,
    start_cp_plan,
)
from casefile.people.models import Relationship
from casefile.testing import make_adult


def url(name: str, child, **kwargs) -> str:
    return reverse(f"casework:{name}", kwargs={"person_id": child.pk, **kwargs})


def date_fields(name: str, value: datetime.date) -> dict:
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}


def icpc_post(org, child, enquiry, dawn, **overrides) -> dict:
    data = {
        **date_fields("date", datetime.date(2024, 3, 25)), "enquiry": str(enquiry.pk), "chair": str(org.chris.pk),
        "advocacy_offered": "yes", "childs_views": "Lily drew her three houses", "decision": "plan",
        "category": "PHY", "contingency": CONTINGENCY,
        f"invitee_{child.pk}_invited": "yes", f"invitee_{child.pk}_attended": "no",
        f"invitee_{dawn.pk}_invited": "yes", f"invitee_{dawn.pk}_attended": "yes",
        "agency_health_name": "Jo Patel, health visitor", "agency_health_invited": "yes",
        "agency_health_attended": "yes",
        "other_1_name": "Ali Khan", "other_1_role": "Advocate", "other_1_invited": "yes", "other_1_attended": "yes",
        "report_health_received": "yes", "report_health_shared": "no", "report_police_received": "no",
    }
    return {**data, **overrides}


def test_the_initial_conference_page_offers_the_child_their_relatives_and_the_enquiry(client, org, child):
    dawn = make_adult()
    Relationship.objects.create(person=dawn, relative=child, kind=Relationship.Kind.PARENT)
    make_enquiry(child, org)
    client.force_login(org.sam)
    page = client.get(url("record_initial_conference", child)).content.decode()
    assert "Lily Hartley (the child)" in page and "Dawn Hartley (parent)" in page
    assert "Section 47 enquiry started on 4 March 2024" in page
    assert "Chris Tester" not in page and "Chris Chair" in page


def test_recording_an_initial_conference_saves_it_and_starts_the_plan(client, org, child):
    dawn = make_adult()
    Relationship.objects.create(person=dawn, relative=child, kind=Relationship.Kind.PARENT)
    enquiry = make_enquiry(child, org)
    client.force_login(org.sam)
    response = client.post(url("record_initial_conference", child), icpc_post(org, child, enquiry, dawn))
    conference = Conference.objects.get()
    assert response.status_code == 302 and response.url == url("conference", child, conference_id=conference.pk)
    plan = Plan.objects.get()
    assert (plan.start_date, plan.initial_category, plan.started_by_conference) == (
        datetime.date(2024, 3, 25), "PHY", conference)
    rows = {row.name: (row.invited, row.attended, row.agency) for row in ConferenceParticipant.objects.all()}
    assert rows == {"Lily Hartley": (True, False, ""), "Dawn Hartley": (True, True, ""),
                    "Jo Patel, health visitor": (True, True, Agency.HEALTH), "Ali Khan": (True, True, "")}
    reports = {row.agency: (row.received, row.shared_with_parents) for row in ConferenceReport.objects.all()}
    assert reports == {Agency.HEALTH: (True, False), Agency.POLICE: (False, None)}
    page = client.get(response.url).content.decode()
    assert "Dawn Hartley" in page and "Physical abuse" in page and "Started the" in page


def test_a_plan_decision_without_a_category_is_shown_as_an_error_and_nothing_is_saved(client, org, child):
    enquiry = make_enquiry(child, org)
    client.force_login(org.sam)
    response = client.post(url("record_initial_conference", child),
                           icpc_post(org, child, enquiry, child, category=""))
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Select the category of abuse: a child protection plan needs one" in page
    assert not Conference.objects.exists() and not Plan.objects.exists()


def test_every_problem_on_the_conference_page_is_shown_at_once_next_to_its_question(client, org, child):
    dawn = make_adult()
    Relationship.objects.create(person=dawn, relative=child, kind=Relationship.Kind.PARENT)
    enquiry = make_enquiry(child, org)
    client.force_login(org.sam)
    data = icpc_post(org, child, enquiry, dawn, chair="", agency_health_name="", report_police_shared="yes")
    del data[f"invitee_{dawn.pk}_invited"]
    page = client.post(url("record_initial_conference", child), data).content.decode()
    summary = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    for message, field in [("Select who chaired the conference", "chair"),
                           ("Select whether Dawn Hartley was invited", f"invitee_{dawn.pk}_invited"),
                           ("Enter the name of the person from Health", "agency_health_name"),
                           ("Say the Police report arrived before saying it was shared with the parents",
                            "report_police_shared")]:
        assert message in summary and f"#id_{field}" in summary, message
    assert not Conference.objects.exists()


def test_the_review_conference_page_asks_for_progress_on_every_action(client, org, child):
    plan = start_cp_plan(child, org)
    first, second = add_smart_action(plan), add_smart_action(plan, description="Take Lily to the dentist")
    client.force_login(org.sam)
    page = client.get(url("record_review_conference", child)).content.decode()
    assert "Walk Lily to school each morning" in page and "Take Lily to the dentist" in page
    data = {**date_fields("date", datetime.date(2024, 6, 20)), "chair": str(org.chris.pk),
            "advocacy_offered": "no", "childs_views": "Lily wrote a letter", "decision": "plan", "category": "NEG",
            f"invitee_{child.pk}_invited": "no",
            f"progress_{first.pk}_status": "done", f"progress_{first.pk}_evidence": "Register shows 97%",
            f"progress_{second.pk}_status": "not_done"}
    page = client.post(url("record_review_conference", child), data).content.decode()
    assert "Enter the evidence for ‘Take Lily to the dentist’: what shows how far it was done" in page
    assert not PlanReview.objects.exists()
    data[f"progress_{second.pk}_evidence"] = "No appointment booked"
    response = client.post(url("record_review_conference", child), data)
    assert response.status_code == 302
    assert PlanReview.objects.get().progress.count() == 2


def test_the_review_conference_page_explains_when_there_is_no_plan_to_review(client, org, child):
    client.force_login(org.sam)
    page = client.get(url("record_review_conference", child)).content.decode()
    assert "Lily has no open child protection plan to review" in page and "<form method=\"post\"" not in page


def test_choosing_the_kind_of_conference_leads_to_its_page(client, org, child):
    client.force_login(org.sam)
    response = client.post(url("record_conference", child), {"kind": "transfer_in"})
    assert response.url == url("record_transfer_in_conference", child)
    page = client.post(url("record_conference", child), {}).content.decode()
    assert "Select what kind of conference it was" in page


def test_conference_pages_are_not_found_for_someone_with_no_link_to_the_child(client, org, child):
    conference = start_cp_plan(child, org).started_by_conference
    client.force_login(org.ola)
    for name, extra in [("record_conference", {}), ("record_initial_conference", {}),
                        ("record_review_conference", {}), ("record_transfer_in_conference", {}),
                        ("conference", {"conference_id": conference.pk})]:
        assert client.get(url(name, child, **extra)).status_code == 404, name
        assert client.post(url(name, child, **extra), {"kind": "initial"}).status_code == 404, name
    assert Conference.objects.count() == 1


def test_a_conference_id_from_another_child_is_not_found(client, org, child):
    from casefile.testing import allocate, make_child

    other = make_child(first_name="Mia")
    allocate(other, org.sam)
    conference = start_cp_plan(other, org).started_by_conference
    client.force_login(org.sam)
    assert client.get(url("conference", child, conference_id=conference.pk)).status_code == 404
