"""The manager's queue: what waits for their sign-off, for the children their teams hold, in one list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile import testing
from casefile.audit.models import AuditEvent
from casefile.casework import models as cw
from casefile.frontdoor import testing as fd_testing

QUEUE = reverse("oversight:queue")


@pytest.fixture
def thursday(time_machine):
    from zoneinfo import ZoneInfo
    time_machine.move_to(datetime.datetime(2025, 3, 13, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)


def submitted_assessment(child, worker, submitted_on):
    episode = cw.Episode.objects.create(child=child, referral_date=datetime.date(2025, 2, 3), referral_source="2A",
                                        recorded_by=worker)
    return cw.Assessment.objects.create(episode=episode, start_date=datetime.date(2025, 2, 4),
                                        submitted_on=submitted_on, recorded_by=worker)


def proposed_closure(child, worker, proposed_on):
    return cw.Episode.objects.create(child=child, referral_date=datetime.date(2025, 1, 6), referral_source="2A",
                                     recorded_by=worker, closure_reason="RC8", closure_proposed_by=worker,
                                     closure_proposed_on=proposed_on)


def queue_page(client, user):
    client.force_login(user)
    return client.get(QUEUE)


def test_the_team_manager_and_their_managers_see_a_submitted_assessment_with_how_long_it_has_waited(
        client, org, child, thursday):
    assessment = submitted_assessment(child, org.sam, datetime.date(2025, 3, 10))  # Monday: 3 working days ago
    for manager in (org.tess, org.simon, org.hana):
        html = queue_page(client, manager).content.decode()
        assert "Assessment to authorise" in html and "Lily Hartley" in html and "3 working days" in html
        assert reverse("casework:assessment", kwargs={"person_id": child.pk, "assessment_id": assessment.pk}) in html
    # Not the manager of another team, and never a worker, who is told the page does not exist.
    assert "Lily Hartley" not in queue_page(client, org.mel).content.decode()
    assert queue_page(client, org.sam).status_code == 404


def test_an_authorised_or_returned_assessment_leaves_the_queue(client, org, child, thursday):
    assessment = submitted_assessment(child, org.sam, datetime.date(2025, 3, 10))
    assessment.authorised_on = datetime.date(2025, 3, 12)
    assessment.save()
    assert "Lily Hartley" not in queue_page(client, org.tess).content.decode()


def test_a_closure_waits_for_a_manager_other_than_the_one_who_proposed_it(client, org, child, thursday):
    proposed_closure(child, org.tess, datetime.date(2025, 3, 13))
    assert "Closure to sign off" not in queue_page(client, org.tess).content.decode()
    html = queue_page(client, org.simon).content.decode()
    assert "Closure to sign off" in html and "Sent today" in html


def test_front_door_managers_see_decisions_awaiting_authorisation_but_not_their_own(client, org, thursday):
    lily = testing.make_child()
    contact = fd_testing.make_contact(lily, by=org.fran)
    fd_testing.decide(contact.children.get(), by=org.mo)
    html = queue_page(client, org.mel).content.decode()
    assert "Front-door decision to authorise" in html and "Lily Hartley" in html and "Mo Mash" in html
    assert "Front-door decision" not in queue_page(client, org.tess).content.decode()


def test_the_queue_is_longest_waiting_first_and_audits_the_children_shown(client, org, child, thursday):
    other = testing.make_child("Aaron", "Abbot")
    testing.allocate(other, org.sam)
    submitted_assessment(other, org.sam, datetime.date(2025, 3, 12))
    submitted_assessment(child, org.sam, datetime.date(2025, 3, 3))
    html = queue_page(client, org.tess).content.decode()
    assert html.index("Lily Hartley") < html.index("Aaron Abbot")
    shown = AuditEvent.objects.filter(actor=org.tess).latest("pk").details["shown"]
    assert sorted(shown) == sorted([child.pk, other.pk])


def test_my_work_tells_a_manager_what_waits_for_them(client, org, child, thursday):
    client.force_login(org.tess)
    assert "Nothing is waiting for your sign-off." in client.get("/").content.decode()
    submitted_assessment(child, org.sam, datetime.date(2025, 3, 10))
    html = client.get("/").content.decode()
    assert "Assessment to authorise: 1" in html and QUEUE in html
    client.force_login(org.sam)
    assert QUEUE not in client.get("/").content.decode()


def test_the_number_of_queries_does_not_grow_with_the_queue(client, org, child, thursday):
    def queries() -> int:
        client.force_login(org.tess)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUE).status_code == 200
        return len(captured)

    submitted_assessment(child, org.sam, datetime.date(2025, 3, 10))
    few = queries()
    for number in range(5):
        more = testing.make_child(f"Child{number}", "Family")
        testing.allocate(more, org.sam)
        submitted_assessment(more, org.sam, datetime.date(2025, 3, 11))
        proposed_closure(more, org.sam, datetime.date(2025, 3, 12))
    assert queries() == few


def test_the_team_page_shows_the_median_wait_for_sign_off_per_manager(client, org, child, thursday):
    # Submitted Monday 3 March, authorised Thursday 6 March by tess: 3 working days. Another: 1 day, by simon.
    first = submitted_assessment(child, org.sam, datetime.date(2025, 3, 3))
    first.authorised_on, first.authorised_by = datetime.date(2025, 3, 6), org.tess
    first.save()
    other = testing.make_child("Aaron", "Abbot")
    testing.allocate(other, org.sam)
    second = submitted_assessment(other, org.sam, datetime.date(2025, 3, 10))
    second.authorised_on, second.authorised_by = datetime.date(2025, 3, 11), org.simon
    second.save()
    client.force_login(org.tess)
    html = client.get(reverse("accounts:team", kwargs={"team_id": org.assessment.pk})).content.decode()
    table = html.split('id="sign-off-waits"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody", 1)[1].split("</tr>")[:-1]
    everyone, simon, tess = rows
    assert "Everyone" in everyone and ">2<" in everyone  # two signed off, median of 3 and 1
    assert "Simon Service" in simon and ">1<" in simon
    assert "Tess Manager" in tess and ">3<" in tess
    assert "0 open escalations from conference chairs and IROs, 0 overdue." in html
