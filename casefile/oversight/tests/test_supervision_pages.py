"""The supervision pages: who may open each (404 for a child or a worker they may not see, 403 for an act they may
not do), what each shows, that each view of a child's page is audited, and that each costs the same queries
however much is recorded."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefile.accounts.models import Role
from casefile.audit.models import Action, AuditEvent
from casefile.oversight.models import CaseSupervision, StaffSupervision, SupervisionAction
from casefile.oversight.testing import REFLECTIVE, STAFF, make_case_supervision, make_staff_supervision
from casefile.people.tests.helpers import date_fields
from casefile.testing import allocate, make_child, make_user


def _url(name: str, **kwargs) -> str:
    return reverse(f"oversight:{name}", kwargs=kwargs)


def _child_url(name: str, child, supervision=None, **kwargs) -> str:
    if supervision is not None:
        kwargs["supervision_id"] = supervision.pk
    return _url(name, person_id=child.pk, **kwargs)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _viewed(child) -> int:
    return AuditEvent.objects.filter(action=Action.VIEW, child=child).count()


@pytest.fixture
def supervision(org, child):
    return make_case_supervision(child, org.sam, org.tess, held_on=timezone.localdate() - datetime.timedelta(days=2))


# The child's pages --------------------------------------------------------------------------------------


def test_the_child_s_record_links_to_her_supervision_page(client, org, child):
    client.force_login(org.sam)
    page = client.get(reverse("people:record", kwargs={"person_id": child.pk})).content.decode()
    assert f'href="{_child_url("case_supervisions", child)}"' in page


@pytest.mark.parametrize("name", ["case_supervisions", "record_case_supervision", "case_supervision",
                                  "change_case_supervision", "add_supervision_action", "sign_off_case_supervision",
                                  "reopen_case_supervision"])
def test_someone_who_may_not_see_the_child_gets_404_on_every_page(client, org, child, supervision, name):
    url = _child_url(name, child, supervision if "supervision" in name and name != "case_supervisions"
                     and name != "record_case_supervision" else None)
    for outsider in (org.ola, org.pat, org.chris, org.quinn):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider
        assert client.post(url, REFLECTIVE).status_code == 404, outsider
    assert not CaseSupervision.objects.exclude(pk=supervision.pk).exists()


def test_a_supervision_id_from_another_child_s_file_is_not_found(client, org, child, supervision):
    other = make_child("Noah", "Other")
    allocate(other, org.sam)
    client.force_login(org.sam)
    assert client.get(_child_url("case_supervision", other, supervision)).status_code == 404


def test_the_list_shows_each_record_and_is_audited(client, org, child, supervision):
    client.force_login(org.sam)
    before = _viewed(child)
    page = client.get(_child_url("case_supervisions", child)).content.decode()
    assert "Sam Worker" in page and "Tess Manager" in page and "Not signed off" in page
    assert _child_url("case_supervision", child, supervision) in page
    assert "Record case supervision" not in page  # Sam is the worker, not a manager
    assert _viewed(child) == before + 1


def test_a_manager_records_case_supervision_through_the_form(client, org, child):
    client.force_login(org.tess)
    url = _child_url("record_case_supervision", child)
    page = client.get(url).content.decode()
    assert 'name="_submission_token"' in page and "Sam Worker" in page
    held_on = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(url, {"worker": org.sam.pk, **date_fields("held_on", held_on), **REFLECTIVE})
    supervision = CaseSupervision.objects.get()
    assert response.status_code == 302 and response["Location"] == _child_url("case_supervision", child, supervision)
    assert (supervision.worker, supervision.supervisor, supervision.held_on) == (org.sam, org.tess, held_on)


def test_the_form_names_each_missing_part_and_the_page_it_shows_again_is_audited(client, org, child):
    client.force_login(org.tess)
    before = _viewed(child)
    response = client.post(_child_url("record_case_supervision", child), {"worker": org.sam.pk, "happening": "x"})
    page = response.content.decode()
    assert response.status_code == 200
    for message in ("Enter the date of the supervision", "Enter what we are worried about",
                    "Enter what is working well", "Enter what needs to happen"):
        assert message in page
    assert not CaseSupervision.objects.exists()
    assert _viewed(child) == before + 1


def test_a_worker_may_see_but_not_record_case_supervision(client, org, child):
    client.force_login(org.sam)
    assert client.get(_child_url("record_case_supervision", child)).status_code == 403


def test_the_record_shows_each_section_its_actions_and_warns_on_vague_ones(client, org, child, supervision):
    SupervisionAction.objects.create(supervision=supervision, description="Mum to engage", owner="Mum",
                                     due_date=timezone.localdate() - datetime.timedelta(days=1), measure="Improved")
    client.force_login(org.tess)
    page = client.get(_child_url("case_supervision", child, supervision)).content.decode()
    for heading in ("What is happening", "What we are worried about", "What is working well", "Hypotheses",
                    "What needs to happen"):
        assert heading in page
    assert REFLECTIVE["hypotheses"] in page
    assert "is a role, not a named person" in page  # rules/plan_checks.py on the owner
    assert "Overdue" in page and "Mark done" in page
    assert "Change the record" in page and "Sign off this record" in page


def test_both_sign_off_then_changes_are_refused_until_reopened(client, org, child, supervision):
    client.force_login(org.tess)
    sign = _child_url("sign_off_case_supervision", child, supervision)
    assert 'name="_record_version"' in client.get(sign).content.decode()
    assert client.post(sign).status_code == 302
    client.force_login(org.sam)
    assert client.post(sign).status_code == 302
    supervision.refresh_from_db()
    assert supervision.is_signed_off

    client.force_login(org.tess)
    page = client.get(_child_url("case_supervision", child, supervision)).content.decode()
    assert "Signed off by both" in page and "Change the record" not in page and "Re-open the record" in page
    change = _child_url("change_case_supervision", child, supervision)
    response = client.post(change, {**date_fields("held_on", supervision.held_on), **REFLECTIVE,
                                    "next_steps": "Changed after signing"})
    assert response.status_code == 200 and "re-open it" in response.content.decode()
    supervision.refresh_from_db()
    assert supervision.next_steps == REFLECTIVE["next_steps"]

    assert client.post(_child_url("reopen_case_supervision", child, supervision),
                       {"reason": "Wrong date"}).status_code == 302
    supervision.refresh_from_db()
    assert not supervision.has_a_signature


def test_someone_other_than_the_two_may_not_sign(client, org, child, supervision):
    client.force_login(org.simon)  # may change Lily's record, but was not in the supervision
    assert client.get(_child_url("sign_off_case_supervision", child, supervision)).status_code == 403


def test_an_action_is_added_and_marked_done(client, org, child, supervision):
    client.force_login(org.tess)
    due = timezone.localdate()
    response = client.post(_child_url("add_supervision_action", child, supervision), {
        "description": "Visit Lily at school and see her alone", "owner": "Sam Worker (social worker)",
        **date_fields("due_date", due), "measure": "Lily's words recorded on the visit"})
    assert response.status_code == 302
    action = SupervisionAction.objects.get()
    client.force_login(org.sam)
    done = _child_url("complete_supervision_action", child, supervision, supervision_action_id=action.pk)
    assert client.post(done, date_fields("completed_on", due)).status_code == 302
    action.refresh_from_db()
    assert action.completed_on == due
    page = client.get(_child_url("case_supervision", child, supervision)).content.decode()
    assert f"Done on {due.day}" in page


@pytest.mark.parametrize("name", ["case_supervisions", "case_supervision"])
def test_the_child_s_pages_cost_the_same_queries_however_much_is_recorded(client, org, child, supervision, name):
    client.force_login(org.tess)
    url = _child_url(name, child, supervision if name == "case_supervision" else None)
    few = _queries(client, url)
    for number in range(8):
        more = make_case_supervision(child, org.sam, org.tess)
        SupervisionAction.objects.create(supervision=more, description="Visit", owner="Sam Worker",
                                         due_date=more.held_on, measure="Seen alone")
        SupervisionAction.objects.create(supervision=supervision, description=f"Visit {number}", owner="Sam Worker",
                                         due_date=supervision.held_on, measure="Seen alone")
    assert _queries(client, url) == few


# Staff supervision --------------------------------------------------------------------------------------


@pytest.fixture
def staff_supervision(org):
    return make_staff_supervision(org.sam, org.tess)


@pytest.mark.parametrize(("who", "status"), [("sam", 200), ("tess", 200), ("hana", 200), ("ada", 200),
                                              ("ola", 404), ("mel", 404), ("mo", 404), ("chris", 404),
                                              ("quinn", 404), ("petra", 404)])
def test_staff_supervision_is_seen_only_by_the_worker_their_managers_and_administrators(
        client, org, staff_supervision, who, status):
    client.force_login(getattr(org, who))
    for url in (_url("staff_supervisions", worker_id=org.sam.pk),
                _url("staff_supervision", worker_id=org.sam.pk, staff_supervision_id=staff_supervision.pk),
                _url("record_staff_supervision", worker_id=org.sam.pk)):
        response = client.get(url)
        expected = 403 if status == 200 and "new" in url and who in ("sam", "ada") else status
        assert response.status_code == expected, url
        if status == 404:
            assert STAFF["wellbeing"] not in response.content.decode()


def test_a_staff_supervision_record_shows_what_was_said_and_who_read_it_is_kept(client, org, staff_supervision):
    client.force_login(org.simon)
    page = client.get(_url("staff_supervision", worker_id=org.sam.pk,
                           staff_supervision_id=staff_supervision.pk)).content.decode()
    assert STAFF["wellbeing"] in page and "Learning and development" in page
    event = AuditEvent.objects.filter(action=Action.VIEW).latest("pk")
    assert (event.actor, event.subject_id, event.child_id) == (org.simon, str(staff_supervision.pk), None)


def test_a_worker_s_supervision_list_costs_the_same_queries_however_many_records(client, org, staff_supervision):
    client.force_login(org.tess)
    url = _url("staff_supervisions", worker_id=org.sam.pk)
    few = _queries(client, url)
    for _ in range(10):
        make_staff_supervision(org.sam, org.simon)
    assert _queries(client, url) == few


def test_a_staff_supervision_id_of_another_worker_is_not_found(client, org, staff_supervision):
    client.force_login(org.mel)
    url = _url("staff_supervision", worker_id=org.fran.pk, staff_supervision_id=staff_supervision.pk)
    assert client.get(url).status_code == 404


def test_a_manager_records_staff_supervision_which_never_shows_on_the_child_s_file(client, org, child):
    client.force_login(org.tess)
    response = client.post(_url("record_staff_supervision", worker_id=org.sam.pk), {
        **date_fields("held_on", timezone.localdate()), **STAFF})
    assert response.status_code == 302
    assert StaffSupervision.objects.get().worker == org.sam
    for url in (_child_url("case_supervisions", child), reverse("people:chronology", kwargs={"person_id": child.pk})):
        assert STAFF["wellbeing"] not in client.get(url).content.decode()


# Who is due supervision ---------------------------------------------------------------------------------


def test_the_managers_page_shows_overdue_in_red_words(client, org):
    make_staff_supervision(org.sam, org.tess, held_on=timezone.localdate() - datetime.timedelta(days=70))
    client.force_login(org.tess)
    page = client.get(_url("supervision_due")).content.decode()
    assert "Sam Worker" in page
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    assert "1 member of staff overdue" in page
    assert _url("staff_supervisions", worker_id=org.sam.pk) in page


@pytest.mark.parametrize("who", ["sam", "chris", "pat", "petra"])
def test_only_managers_and_administrators_see_who_is_due(client, org, who):
    client.force_login(getattr(org, who))
    assert client.get(_url("supervision_due")).status_code == 403


def test_the_managers_page_is_paged_and_costs_the_same_queries_for_many_staff(client, org):
    client.force_login(org.tess)
    few = _queries(client, _url("supervision_due"))
    for number in range(55):
        make_user(f"worker{number}", Role.SOCIAL_WORKER, team=org.assessment, manager=org.tess)
    assert _queries(client, _url("supervision_due")) == few
    page = client.get(_url("supervision_due")).content.decode()
    assert "Showing 1 to 50 of 56 members of staff" in page
    assert "Showing 51 to 56 of 56" in client.get(_url("supervision_due"), {"page": 2}).content.decode()
