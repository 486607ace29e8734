"""The chair and IRO challenge pages: who may open and use each, what they audit, the deadlines in words, the
open escalations list in a fixed number of queries, and the concern in the child's chronology."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework.models import Agency, Conference, ConferenceReport
from casefile.oversight.models import Escalation, EscalationStage, ReportFeedback
from casefile.oversight.testing import make_escalation
from casefile.testing import allocate, make_child

LONDON = ZoneInfo("Europe/London")
RAISED = datetime.date(2024, 3, 28)  # the informal stage is due on Monday 8 April 2024 (Easter in between)


@pytest.fixture
def on_the_day(time_machine):
    time_machine.move_to(datetime.datetime(2024, 4, 2, 12, tzinfo=LONDON), tick=False)


def chaired(child, chair) -> Conference:
    return Conference.objects.create(child=child, kind=Conference.Kind.INITIAL, date=datetime.date(2024, 3, 1),
                                     chair=chair, recorded_by=chair)


def url(name: str, escalation: Escalation | None = None, child=None, **kwargs) -> str:
    if escalation is not None:
        kwargs.update(person_id=escalation.child_id, escalation_id=escalation.pk)
    elif child is not None:
        kwargs["person_id"] = child.pk
    return reverse(f"oversight:{name}", kwargs=kwargs)


def views_of(child) -> int:
    return AuditEvent.objects.filter(action=Action.VIEW, child=child).count()


def test_a_chair_raises_a_concern_from_the_childs_page_and_sees_its_deadline(client, org, child, on_the_day):
    chaired(child, org.chris)
    client.force_login(org.chris)
    page = client.get(url("escalations", child=child)).content.decode()
    assert "Raise a practice concern" in page and "No practice concerns have been raised" in page
    response = client.post(url("raise_concern", child=child), {"concern": "No core group", "asked_for": "Hold one"})
    escalation = Escalation.objects.get()
    assert response.status_code == 302 and response["Location"] == url("escalation", escalation)
    page = client.get(response["Location"]).content.decode()
    assert "No core group" in page and "Informal stage" in page
    # Raised on Tuesday 2 April 2024: five working days later is Tuesday 9 April.
    assert "9 April 2024" in page and "Due in 5 working days" in page


def test_a_concern_sent_without_its_parts_names_each(client, org, child):
    chaired(child, org.chris)
    client.force_login(org.chris)
    page = client.post(url("raise_concern", child=child), {"concern": "", "asked_for": ""}).content.decode()
    assert "Enter what you are worried about" in page and "Enter what you are asking to happen" in page
    assert not Escalation.objects.exists()


def test_only_a_chair_of_her_conferences_may_raise_one_and_others_who_may_not_see_her_get_404(client, org, child):
    client.force_login(org.sam)
    assert client.get(url("raise_concern", child=child)).status_code == 403
    assert "Raise a practice concern" not in client.get(url("escalations", child=child)).content.decode()
    for outsider in (org.ola, org.chris):  # chris chairs none of her conferences yet
        client.force_login(outsider)
        assert client.get(url("escalations", child=child)).status_code == 404
        assert client.post(url("raise_concern", child=child), {"concern": "x", "asked_for": "y"}).status_code == 404
    assert not Escalation.objects.exists()


def test_the_childs_concerns_are_audited_as_a_view_of_her_record(client, org, child, on_the_day):
    escalation = make_escalation(child, org.chris, RAISED)
    client.force_login(org.tess)
    before = views_of(child)
    assert client.get(url("escalations", child=child)).status_code == 200
    assert client.get(url("escalation", escalation)).status_code == 200
    assert views_of(child) == before + 2


def test_the_record_page_links_to_her_concerns_except_for_a_partner(client, org, child):
    client.force_login(org.sam)
    page = client.get(reverse("people:record", kwargs={"person_id": child.pk})).content.decode()
    assert url("escalations", child=child) in page


def test_the_team_manager_answers_stage_one_on_the_page(client, org, child, on_the_day):
    escalation = make_escalation(child, org.chris, RAISED, stage="team_manager")
    client.force_login(org.sam)
    assert "Respond to the concern" not in client.get(url("escalation", escalation)).content.decode()
    assert client.get(url("respond_to_concern", escalation)).status_code == 403
    client.force_login(org.tess)
    assert "Respond to the concern" in client.get(url("escalation", escalation)).content.decode()
    response = client.post(url("respond_to_concern", escalation), {
        "response": "Core group booked", "responded_on_day": "2", "responded_on_month": "4",
        "responded_on_year": "2024"})
    assert response.status_code == 302
    row = EscalationStage.objects.get(escalation=escalation)
    assert (row.responded_by, row.responded_on, row.response) == (org.tess, datetime.date(2024, 4, 2),
                                                                  "Core group booked")
    page = client.get(url("escalation", escalation)).content.decode()
    assert "Answered on 2 April 2024" in page


def test_skipping_a_stage_without_a_reason_is_refused_on_the_page(client, org, child, on_the_day):
    chaired(child, org.chris)
    escalation = make_escalation(child, org.chris, RAISED)
    EscalationStage.objects.filter(escalation=escalation).update(responded_on=RAISED, responded_by=org.sam,
                                                                 response="We disagree")
    client.force_login(org.chris)
    page = client.post(url("escalate_concern", escalation), {"stage": "service_manager", "skip_reason": ""})
    assert page.status_code == 200
    assert "An escalation cannot skip a stage without a reason" in page.content.decode()
    response = client.post(url("escalate_concern", escalation), {"stage": "team_manager", "skip_reason": ""})
    assert response.status_code == 302 and Escalation.objects.get().stage == "team_manager"


def test_the_chair_records_the_resolution_on_the_page(client, org, child, on_the_day):
    chaired(child, org.chris)
    escalation = make_escalation(child, org.chris, RAISED)
    client.force_login(org.tess)
    assert client.get(url("resolve_concern", escalation)).status_code == 403
    client.force_login(org.chris)
    response = client.post(url("resolve_concern", escalation), {"resolution": "The core group met"})
    assert response.status_code == 302
    page = client.get(url("escalation", escalation)).content.decode()
    assert "The core group met" in page and "Record the resolution" not in page


# The open escalations page ----------------------------------------------------------------------------


def _children_with_concerns(org, count: int, start: int = 0) -> list:
    children = []
    for number in range(start, start + count):
        other = make_child(f"Child{number}", "Waiting")
        allocate(other, org.sam)
        make_escalation(other, org.chris, RAISED if number % 2 else datetime.date(2024, 4, 2))
        children.append(other)
    return children


def test_open_escalations_say_the_deadline_and_overdue_in_words(client, org, child, time_machine):
    time_machine.move_to(datetime.datetime(2024, 4, 10, 12, tzinfo=LONDON), tick=False)
    make_escalation(child, org.chris, RAISED)
    client.force_login(org.tess)
    page = client.get(url("open_escalations")).content.decode()
    assert "Lily Hartley" in page and "8 April 2024" in page and "Overdue by 2 working days" in page
    event = AuditEvent.objects.filter(action=Action.VIEW, details__page="oversight:open_escalations").get()
    assert event.details["shown"] == [child.pk]


def test_the_open_escalations_page_costs_the_same_queries_however_many(client, org, on_the_day):
    _children_with_concerns(org, 2)
    client.force_login(org.tess)
    client.get(url("open_escalations"))  # the session and the calendar's holidays, once
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("open_escalations")).status_code == 200
    _children_with_concerns(org, 6, start=2)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("open_escalations")).content.decode()
    assert "Showing 8 open escalations" in page and page.count("Child7 Waiting") == 1
    assert len(many) == len(few)


def test_a_childs_concerns_page_costs_the_same_queries_however_many(client, org, child, on_the_day):
    make_escalation(child, org.chris, RAISED)
    client.force_login(org.tess)
    client.get(url("escalations", child=child))
    with CaptureQueriesContext(connection) as few:
        client.get(url("escalations", child=child))
    for _ in range(5):
        make_escalation(child, org.chris, RAISED)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("escalations", child=child)).content.decode()
    assert page.count("Due in 4 working days") == 6
    assert len(many) == len(few)


def test_the_open_escalations_page_is_for_chairs_and_managers(client, org):
    for name, status in (("sam", 403), ("quinn", 403), ("petra", 403), ("chris", 200), ("hana", 200)):
        client.force_login(getattr(org, name))
        assert client.get(url("open_escalations")).status_code == status, name
    client.force_login(org.chris)
    assert client.post(url("open_escalations")).status_code == 405


# Feedback on conference reports ------------------------------------------------------------------------


def test_the_chair_gives_feedback_on_each_agency_report(client, org, child):
    conference = chaired(child, org.chris)
    report = ConferenceReport.objects.create(conference=conference, agency=Agency.EDUCATION, received=True)
    feedback_url = url("report_feedback", child=child, conference_id=conference.pk, report_id=report.pk)
    client.force_login(org.tess)
    assert client.get(feedback_url).status_code == 403
    client.force_login(org.chris)
    page = client.post(feedback_url, {"grade": "", "comment": ""}).content.decode()
    assert "Select whether the Education report was good, adequate or poor" in page
    response = client.post(feedback_url, {"grade": "good", "comment": "Clear analysis of attendance"})
    assert response.status_code == 302
    assert ReportFeedback.objects.get().grade == "good"
    page = client.get(response["Location"]).content.decode()
    assert "Clear analysis of attendance" in page and "Change feedback" in page
    conference_page = client.get(reverse("casework:conference", kwargs={"person_id": child.pk,
                                                                        "conference_id": conference.pk}))
    assert url("conference_reports", child=child, conference_id=conference.pk) in conference_page.content.decode()


# The chronology ---------------------------------------------------------------------------------------


def test_the_concern_its_stages_and_responses_are_in_her_chronology(client, org, child, on_the_day):
    escalation = make_escalation(child, org.chris, RAISED)
    EscalationStage.objects.filter(escalation=escalation).update(responded_on=datetime.date(2024, 4, 2),
                                                                 responded_by=org.sam, response="Booked a meeting")
    EscalationStage.objects.create(escalation=escalation, stage="service_manager", started_on=datetime.date(2024, 4, 2),
                                   started_by=org.chris, skip_reason="Team manager away")
    client.force_login(org.sam)
    page = client.get(reverse("people:chronology", kwargs={"person_id": child.pk})).content.decode()
    assert "Practice concern raised" in page and "No core group has met since the plan started" in page
    assert "Response to a practice concern (informal stage)" in page and "Booked a meeting" in page
    assert "Practice concern escalated: Stage 2: service manager" in page and "Team manager away" in page
    assert "Chair and IRO challenge" in page  # the filter offers the type
