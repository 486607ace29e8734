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
from casefile.oversight.models import DecisionKind
from casefile.oversight.testing import make_case_supervision, make_decision
from casefile.people.models import Person

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


def proposed_step_down(child, worker, proposed_on):
    return cw.EarlyHelpTransfer.objects.create(child=child, direction="down", date=proposed_on,
                                               early_help_provider="Family Hub North", reason="Parenting support",
                                               recorded_by=worker, proposed_by=worker, proposed_on=proposed_on)


def conference_request(child, manager, decided_on):
    from zoneinfo import ZoneInfo
    return make_decision(child, manager, kind=DecisionKind.CONFERENCE_REQUEST,
                         decided_at=datetime.datetime.combine(decided_on, datetime.time(12),
                                                              tzinfo=ZoneInfo("Europe/London")))


def supervision_recorded(child, worker, supervisor, recorded_on):
    from zoneinfo import ZoneInfo
    return make_case_supervision(child, worker, supervisor, held_on=recorded_on, recorded_at=datetime.datetime.combine(
        recorded_on, datetime.time(12), tzinfo=ZoneInfo("Europe/London")))


def every_kind(org, child, *, first_name="Lily"):
    """One of each kind of work waiting for tess (or, for the conference request, simon) about a new child."""
    other = testing.make_child(first_name, "Family")
    testing.allocate(other, org.sam)
    submitted_assessment(other, org.sam, datetime.date(2025, 3, 10))
    proposed_closure(other, org.sam, datetime.date(2025, 3, 11))
    plan = cw.Plan.objects.create(child=other, episode=cw.Episode.objects.filter(child=other).first(), kind="cin",
                                  start_date=datetime.date(2025, 3, 3), contingency="Contingency",
                                  submitted_on=datetime.date(2025, 3, 10), submitted_by=org.sam, recorded_by=org.sam)
    proposed_step_down(other, org.sam, datetime.date(2025, 3, 12))
    conference_request(other, org.tess, datetime.date(2025, 3, 12))
    supervision_recorded(other, org.sam, org.tess, datetime.date(2025, 3, 11))
    supervision_recorded(other, org.sam, org.simon, datetime.date(2025, 3, 11))
    contact = fd_testing.make_contact(other, by=org.fran)
    fd_testing.decide(contact.children.get(), by=org.mo)
    return other, plan


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


def test_a_step_down_waits_for_a_manager_who_did_not_propose_it_with_working_days(client, org, child, thursday):
    transfer = proposed_step_down(child, org.sam, datetime.date(2025, 3, 10))  # Monday: 3 working days ago
    html = queue_page(client, org.tess).content.decode()
    assert "Step-down to sign off" in html and "3 working days" in html and "To Family Hub North" in html
    assert reverse("casework:early_help_transfer", kwargs={"person_id": child.pk,
                                                           "early_help_transfer_id": transfer.pk}) in html
    transfer.proposed_by = org.tess
    transfer.save()
    assert "Step-down to sign off" not in queue_page(client, org.tess).content.decode()
    assert "Step-down to sign off" in queue_page(client, org.simon).content.decode()


def test_step_downs_signed_off_elsewhere_are_not_queued_twice(client, org, child, thursday):
    # With a closure still to sign off: the closure is the item. From the front door: authorised with its decision.
    episode = proposed_closure(child, org.sam, datetime.date(2025, 3, 12))
    with_closure = proposed_step_down(child, org.sam, datetime.date(2025, 3, 12))
    with_closure.episode = episode
    with_closure.save()
    cw.EarlyHelpTransfer.objects.create(child=child, direction="down", date=datetime.date(2025, 3, 12),
                                        reason="Front door", recorded_by=org.mel, signed_off_by=org.mel,
                                        signed_off_on=datetime.date(2025, 3, 12))
    html = queue_page(client, org.tess).content.decode()
    assert "Closure to sign off" in html and "Step-down to sign off" not in html


def test_a_conference_request_waits_for_a_service_manager_or_head_of_service(client, org, child, thursday):
    decision = conference_request(child, org.tess, datetime.date(2025, 3, 11))
    assert "Conference request to sign off" not in queue_page(client, org.tess).content.decode()
    for senior in (org.simon, org.hana):
        html = queue_page(client, senior).content.decode()
        assert "Conference request to sign off" in html and "2 working days" in html and "Tess Manager" in html
        assert reverse("oversight:sign_off_decision", kwargs={"person_id": child.pk,
                                                              "management_decision_id": decision.pk}) in html
    decision.decided_by = org.simon
    decision.save()
    assert "Conference request to sign off" not in queue_page(client, org.simon).content.decode()
    decision.signed_off_by, decision.signed_off_at = org.hana, datetime.datetime(2025, 3, 13, 9, tzinfo=datetime.UTC)
    decision.save()
    assert "Conference request to sign off" not in queue_page(client, org.hana).content.decode()


def test_supervision_records_wait_for_each_signature(client, org, child, thursday):
    supervision = supervision_recorded(child, org.sam, org.tess, datetime.date(2025, 3, 12))
    html = queue_page(client, org.tess).content.decode()
    assert "Supervision record to sign" in html and "1 working day" in html
    assert "Supervision record to sign" not in queue_page(client, org.simon).content.decode()
    # The worker sees it on My work until they sign it; the manager's signature takes it off the queue.
    client.force_login(org.sam)
    my_work = client.get("/").content.decode()
    assert 'id="supervision-to-sign"' in my_work and "Not yet signed by your manager" in my_work
    assert reverse("oversight:case_supervision", kwargs={"person_id": child.pk,
                                                         "supervision_id": supervision.pk}) in my_work
    supervision.supervisor_signed_by, supervision.supervisor_signed_at = org.tess, datetime.datetime(
        2025, 3, 13, 9, tzinfo=datetime.UTC)
    supervision.save()
    assert "Supervision record to sign" not in queue_page(client, org.tess).content.decode()
    client.force_login(org.sam)
    assert "Signed by your manager" in client.get("/").content.decode()
    supervision.worker_signed_by, supervision.worker_signed_at = org.sam, datetime.datetime(
        2025, 3, 13, 10, tzinfo=datetime.UTC)
    supervision.save()
    assert 'id="supervision-to-sign"' not in client.get("/").content.decode()


def test_the_queue_and_my_work_count_every_kind(client, org, child, thursday):
    every_kind(org, child)
    client.force_login(org.mel)  # a front-door manager: the threshold decision
    assert "Front-door decision to authorise: 1" in client.get(QUEUE).content.decode()
    client.force_login(org.simon)
    html = client.get(QUEUE).content.decode()
    counts = html.split('id="queue-counts"', 1)[1].split("</ul>", 1)[0]
    for line in ("Assessment to authorise: 1", "Plan to authorise: 1", "Closure to sign off: 1",
                 "Step-down to sign off: 1", "Conference request to sign off: 1", "Supervision record to sign: 1"):
        assert line in counts
    my_work = client.get("/").content.decode()
    assert "Conference request to sign off: 1" in my_work and "Supervision record to sign: 1" in my_work


def test_work_about_a_restricted_child_the_manager_is_not_named_on_is_left_out(client, org, child, thursday):
    adopted = testing.make_child("Ellis", "Marsh", restriction=Person.Restriction.ADOPTION)
    testing.allocate(adopted, org.sam)
    proposed_step_down(adopted, org.sam, datetime.date(2025, 3, 12))
    conference_request(adopted, org.tess, datetime.date(2025, 3, 12))
    supervision_recorded(adopted, org.sam, org.simon, datetime.date(2025, 3, 11))
    supervision_recorded(adopted, org.sam, org.tess, datetime.date(2025, 3, 11))
    for manager in (org.tess, org.simon):
        html = queue_page(client, manager).content.decode()
        assert "Marsh" not in html and 'id="queue-counts"' not in html


def test_the_queue_costs_the_same_queries_with_every_kind_however_many(client, org, child, thursday):
    def queries(user) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUE).status_code == 200
        return len(captured)

    every_kind(org, child, first_name="First")
    few = {user.username: queries(user) for user in (org.simon, org.mel)}
    for number in range(4):
        every_kind(org, child, first_name=f"Child{number}")
    client.force_login(org.simon)
    assert "Conference request to sign off: 5" in client.get(QUEUE).content.decode()
    assert {user.username: queries(user) for user in (org.simon, org.mel)} == few


def test_the_team_pages_median_covers_step_downs_conference_requests_and_supervision(client, org, child, thursday):
    step_down = proposed_step_down(child, org.sam, datetime.date(2025, 3, 3))
    step_down.signed_off_by, step_down.signed_off_on = org.tess, datetime.date(2025, 3, 5)  # 2 working days
    step_down.save()
    request = conference_request(child, org.tess, datetime.date(2025, 3, 3))
    request.signed_off_by, request.signed_off_at = org.simon, datetime.datetime(2025, 3, 7, 12, tzinfo=datetime.UTC)
    request.save()  # 4 working days
    supervision = supervision_recorded(child, org.sam, org.tess, datetime.date(2025, 3, 10))
    supervision.supervisor_signed_by = org.tess
    supervision.supervisor_signed_at = datetime.datetime(2025, 3, 10, 15, tzinfo=datetime.UTC)  # the same day
    supervision.save()
    client.force_login(org.tess)
    html = client.get(reverse("accounts:team", kwargs={"team_id": org.assessment.pk})).content.decode()
    table = html.split('id="sign-off-waits"', 1)[1].split("</table>", 1)[0]
    everyone, simon, tess = table.split("<tbody", 1)[1].split("</tr>")[:-1]
    assert "Everyone" in everyone and ">3<" in everyone and ">2<" in everyone  # 3 signed off, median 2
    assert "Simon Service" in simon and ">4<" in simon
    assert "Tess Manager" in tess and ">1<" in tess  # median of 2 and 0


def test_with_nothing_waiting_the_supervision_and_step_down_lists_build_no_access_filter(org, child, thursday):
    # Every manager's my work reads these lists, which are nearly always empty: the access filter is asked about
    # the children of the rows found, never built into the query (it cost a few milliseconds a list).
    from casefile.oversight import queue

    with CaptureQueriesContext(connection) as captured:
        assert queue.supervision_for_worker_to_sign(org.sam) == []
        assert queue._waiting_supervision(org.tess) == []
        assert queue._waiting_step_downs(org.tess, [child.pk]) == []
    assert len(captured) == 3  # one query a list (the teams are a subquery)
    assert not [query for query in captured.captured_queries if "restrictedaccessgrant" in query["sql"]]


def test_supervision_about_a_restricted_child_is_not_for_the_worker_to_sign(org, child, thursday):
    from casefile.oversight import queue

    adopted = testing.make_child("Ellis", "Marsh", restriction=Person.Restriction.ADOPTION)
    testing.allocate(adopted, org.sam)
    supervision_recorded(adopted, org.sam, org.tess, datetime.date(2025, 3, 11))
    assert queue.supervision_for_worker_to_sign(org.sam) == []
    visible = supervision_recorded(child, org.sam, org.tess, datetime.date(2025, 3, 11))
    assert queue.supervision_for_worker_to_sign(org.sam) == [visible]


def test_my_work_counts_what_the_queue_page_lists_for_every_manager(client, org, child, thursday):
    # My work hands the queue the children it has already read and checked (held_ids): the counts must be the
    # queue page's, a restricted child's work left out of both.
    every_kind(org, child)
    adopted = testing.make_child("Ellis", "Marsh", restriction=Person.Restriction.ADOPTION)
    testing.allocate(adopted, org.sam)
    submitted_assessment(adopted, org.sam, datetime.date(2025, 3, 12))
    for manager in (org.tess, org.simon, org.hana, org.mel):
        client.force_login(manager)
        queue = client.get(QUEUE).content.decode()
        listed = (queue.split('id="queue-counts"', 1)[1].split("</ul>", 1)[0] if 'id="queue-counts"' in queue
                  else "")
        my_work = client.get("/").content.decode()
        counted = my_work.split('id="my-queue"', 1)[1].split("</ul>", 1)[0] if 'id="my-queue"' in my_work else ""
        assert [line for line in counted.split("<li>")[1:]] == [line for line in listed.split("<li>")[1:]], \
            manager.username
        assert "Marsh" not in queue
    client.force_login(org.tess)
    assert "Assessment to authorise: 1" in client.get("/").content.decode()
