"""The Decisions pages of a child's record: the list (with the front door's threshold decisions, newest first,
paged, in a fixed number of queries), a decision's page, the form, the sign-off, a disagreement, and the letter for
the family. Each page is audited, answers 404 to those who may not see the child, and says before the form what
someone may not do."""

from __future__ import annotations

import datetime
import io

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefile.accounts.models import Role
from casefile.audit.models import Action, AuditEvent
from casefile.casework.chronology import chronology
from casefile.casework.testing import make_journey
from casefile.core.pagination import PAGE_SIZE
from casefile.frontdoor.testing import front_door_ids
from casefile.oversight import evidence
from casefile.oversight.models import DecisionKind, ManagementDecision
from casefile.oversight.testing import make_decision
from casefile.testing import allocate, make_child, make_user


def url(name: str, child, **ids) -> str:
    return reverse(f"oversight:{name}", kwargs={"person_id": child.pk, **ids})


def decision_url(name: str, decision) -> str:
    return url(name, decision.child, management_decision_id=decision.pk)


def text(response) -> str:
    return response.content.decode()


def test_the_record_page_links_to_the_decisions(client, org, child):
    client.force_login(org.sam)
    assert url("decisions", child) in text(client.get(reverse("people:record", kwargs={"person_id": child.pk})))


def test_the_list_shows_both_kinds_of_decision_newest_first_and_is_audited(client, org, child):
    older = make_decision(child, org.tess, decided_at=timezone.now() - datetime.timedelta(days=30))
    newer = make_decision(child, org.tess, kind=DecisionKind.CONFERENCE_REQUEST)
    front_door_ids(child, front_door=org.fran, social_worker=org.mo, manager=org.mel)
    client.force_login(org.tess)
    page = text(client.get(url("decisions", child)))
    assert "Threshold decision at the front door" in page
    assert page.index(decision_url("decision", newer)) < page.index(decision_url("decision", older))
    assert "Waiting for a service manager’s sign-off" in page
    assert "Record a management decision" in page
    assert AuditEvent.objects.filter(action=Action.VIEW, child=child, actor=org.tess,
                                     details__page="oversight:decisions").count() == 1


def test_the_list_is_paged(client, org, child):
    start = timezone.now() - datetime.timedelta(days=200)
    for day in range(PAGE_SIZE + 1):
        make_decision(child, org.tess, decided_at=start + datetime.timedelta(days=day))
    client.force_login(org.tess)
    first = text(client.get(url("decisions", child)))
    assert f"Showing 1 to {PAGE_SIZE} of {PAGE_SIZE + 1} decisions" in first
    assert "Showing 51 to 51 of 51 decisions" in text(client.get(url("decisions", child), {"page": 2}))


def test_the_list_costs_the_same_few_queries_however_many_decisions(client, org, child,
                                                                     django_assert_max_num_queries):
    client.force_login(org.tess)
    make_decision(child, org.tess)
    client.get(url("decisions", child))
    with CaptureQueriesContext(connection) as few:
        client.get(url("decisions", child))
    for _ in range(20):
        make_decision(child, org.tess, kind=DecisionKind.CONFERENCE_REQUEST)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url("decisions", child)).status_code == 200


def test_a_worker_is_told_only_managers_record_decisions_before_any_form(client, org, child):
    client.force_login(org.sam)
    page = text(client.get(url("decisions", child)))
    assert "Only a team manager, service manager or head of service" in page
    assert url("record_decision", child) not in page
    refused = client.get(url("record_decision", child))
    assert refused.status_code == 200 and "You cannot record a management decision" in text(refused)
    assert "<textarea" not in text(refused)
    client.post(url("record_decision", child), {"kind": "plan", "reasons": "Because"})
    assert not ManagementDecision.objects.exists()


@pytest.fixture
def unrelated(org):
    """People with no link to Lily: a worker and a manager in other teams, a partner with nothing shared."""
    return [org.ola, make_user("morgan", Role.TEAM_MANAGER, team=org.other_team, name="Morgan Elsewhere"), org.petra]


def test_every_decision_page_answers_404_to_someone_with_no_link_to_the_child(client, org, child, unrelated):
    decision = make_decision(child, org.tess, kind=DecisionKind.CONFERENCE_REQUEST, shareable_with_family=True,
                             family_summary="We asked for a conference.")
    ids = front_door_ids(child, front_door=org.fran, social_worker=org.mo, manager=org.mel)
    pages = [url("decisions", child), url("record_decision", child),
             url("threshold_decision", child, threshold_decision_id=ids["decision_id"]),
             *(decision_url(name, decision) for name in ("decision", "sign_off_decision", "record_dissent",
                                                         "family_letter"))]
    for user in unrelated:
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 404, (user, page)
            assert client.post(page, {"reasons": "x"}).status_code == 404, (user, page)
        assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED, actor=user, child=child).count() == 2 * len(
            pages)
    assert not AuditEvent.objects.filter(action=Action.VIEW, child=child).exists()


def test_a_decision_of_another_child_is_not_found_through_this_childs_url(client, org, child):
    other = make_decision(child, org.tess)
    jack = make_child("Jack", "Smith")
    allocate(jack, org.sam, allocated_by=org.tess)
    client.force_login(org.tess)
    assert client.get(url("decision", jack, management_decision_id=other.pk)).status_code == 404


def test_recording_a_decision_through_the_form(client, org, child):
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)
    client.force_login(org.tess)
    form = text(client.get(url("record_decision", child)))
    visit = evidence.value("visit", journey.visit.pk)
    assert f'value="{visit}"' in form and "Legal planning or pre-proceedings" not in form
    empty = client.post(url("record_decision", child), {})
    assert empty.status_code == 200
    for message in ("Enter the reasons for the decision", "Enter the options considered", "Enter the risks weighed",
                    "Select the type of decision"):
        assert message in text(empty)
    today = timezone.localdate()
    response = client.post(url("record_decision", child), {
        "kind": "step_down", "decided_on_day": today.day, "decided_on_month": today.month,
        "decided_on_year": today.year, "options_considered": "Stay open; step down", "risks": "Low",
        "strengths": "Family support", "childs_views": "Happy", "family_views": "Agree",
        "views_weighed": "Fully", "decision": "Step down to early help", "reasons": "Needs met",
        "risk_evidence": [visit]})
    decision = ManagementDecision.objects.get()
    assert response.status_code == 302 and response["Location"] == decision_url("decision", decision)
    page = text(client.get(response["Location"]))
    assert "Step down to early help" in page and reverse(
        "casework:visit", kwargs={"person_id": child.pk, "visit_id": journey.visit.pk}) in page


def test_a_service_manager_signs_off_a_conference_request_from_its_page(client, org, child):
    decision = make_decision(child, org.tess, kind=DecisionKind.CONFERENCE_REQUEST)
    client.force_login(org.tess)
    assert decision_url("sign_off_decision", decision) not in text(client.get(decision_url("decision", decision)))
    refused = client.get(decision_url("sign_off_decision", decision))
    assert "You cannot sign off this decision" in text(refused)
    client.force_login(org.simon)
    assert decision_url("sign_off_decision", decision) in text(client.get(decision_url("decision", decision)))
    client.get(decision_url("sign_off_decision", decision))
    response = client.post(decision_url("sign_off_decision", decision), {})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.signed_off_by == org.simon


def test_a_worker_records_a_disagreement_from_the_decision_page(client, org, child):
    decision = make_decision(child, org.tess)
    client.force_login(org.sam)
    assert decision_url("record_dissent", decision) in text(client.get(decision_url("decision", decision)))
    response = client.post(decision_url("record_dissent", decision), {
        "dissent_raised_by": "Sam Worker, social worker", "dissent": "Lily is frightened at home"})
    assert response.status_code == 302
    assert "Lily is frightened at home" in text(client.get(decision_url("decision", decision)))


def test_the_front_doors_threshold_decision_is_shown_read_only(client, org, child):
    ids = front_door_ids(child, front_door=org.fran, social_worker=org.mo, manager=org.mel)
    client.force_login(org.sam)
    response = client.get(url("threshold_decision", child, threshold_decision_id=ids["decision_id"]))
    assert response.status_code == 200 and "Threshold decision at the front door" in text(response)
    assert "<form method=\"post\"" not in text(response)
    assert client.post(url("threshold_decision", child, threshold_decision_id=ids["decision_id"])).status_code == 405


def test_a_decision_appears_in_the_childs_chronology(client, org, child):
    decision = make_decision(child, org.tess, kind=DecisionKind.CONFERENCE_REQUEST,
                             decision="Ask for an initial conference", signed_off_by=org.simon,
                             signed_off_at=timezone.now())
    events = {event.key: event for event in chronology(child)}
    made = events[f"management-decision:{decision.pk}"]
    assert made.title == "Management decision: request for an initial child protection conference"
    assert "Ask for an initial conference" in made.description and made.significant
    assert made.url == decision_url("decision", decision) and made.by == str(org.tess)
    assert f"management-decision-signed-off:{decision.pk}" in events
    client.force_login(org.sam)
    page = text(client.get(reverse("people:chronology", kwargs={"person_id": child.pk})))
    assert "Management decision: request for an initial child protection conference" in page


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_letter_for_the_family_is_a_tagged_pdf_with_only_what_was_shared_and_is_audited(client, org, child):
    decision = make_decision(child, org.tess, shareable_with_family=True,
                             family_summary="We will keep supporting your family with a plan.",
                             reasons="Internal: mother's mental health is deteriorating")
    client.force_login(org.sam)
    assert decision_url("family_letter", decision) in text(client.get(decision_url("decision", decision)))
    response = client.get(decision_url("family_letter", decision))
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "no-store"
    content = pdf_text(response.content)
    assert "We will keep supporting your family with a plan." in content
    assert "A decision about Lily" in content and "OFFICIAL-SENSITIVE" in content
    for internal in ("Internal", "mental health", decision.risks, decision.options_considered):
        assert internal not in content, internal
    catalog = pypdf.PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "en-GB"
    assert AuditEvent.objects.filter(action=Action.EXPORT, child=child, actor=org.sam,
                                     details__page="oversight:family_letter").count() == 1


def test_a_decision_not_marked_shareable_has_no_letter(client, org, child):
    decision = make_decision(child, org.tess)
    client.force_login(org.sam)
    assert decision_url("family_letter", decision) not in text(client.get(decision_url("decision", decision)))
    assert client.get(decision_url("family_letter", decision)).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_a_decisions_page_costs_the_same_few_queries_however_much_evidence(client, org, child,
                                                                          django_assert_max_num_queries):
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)
    few = make_decision(child, org.tess)
    few.evidence.create(weighed_as="risk", kind="visit", record_id=journey.visit.pk)
    client.force_login(org.tess)
    with CaptureQueriesContext(connection) as counted:
        client.get(decision_url("decision", few))
    many = make_decision(child, org.tess)
    for kind, record in (("visit", journey.visit), ("case_note", journey.case_note), ("plan", journey.plan),
                         ("assessment", journey.assessment), ("conference", journey.conference)):
        for weighed_as in ("option", "risk", "strength"):
            many.evidence.create(weighed_as=weighed_as, kind=kind, record_id=record.pk)
    many.dissents.create(raised_by="DC Reid, police", text="Too soon", recorded_by=org.tess)
    # One more query for each further kind of evidence (at most one per kind), never one per record.
    with django_assert_max_num_queries(len(counted) + 4):
        page = text(client.get(decision_url("decision", many)))
    assert page.count(f"/visits/{journey.visit.pk}/") == 3 and "DC Reid, police" in page
