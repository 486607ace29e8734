"""Multi-agency checks: asked of an agency, answered later, and chased from the outstanding list."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefile.audit.models import AuditEvent
from casefile.frontdoor.models import AgencyCheck
from casefile.frontdoor.services import checks
from casefile.frontdoor.testing import make_contact
from casefile.testing import make_child

OUTSTANDING = reverse("frontdoor:checks_outstanding")


def test_a_check_is_asked_and_answered_with_an_audit_event_per_child(org, child):
    brother = make_child("Jack", "Hartley")
    contact = make_contact(child, brother, by=org.fran)
    check = checks.request_check(actor=org.fran, contact=contact, agency="health", asked_of="Health visitors",
                                 question="Known to health visiting?")
    assert check.is_outstanding and check.requested_by == org.fran
    answered = timezone.now()
    checks.record_response(actor=org.mo, check=check, response="Known: missed appointments", responded_at=answered)
    check.refresh_from_db()
    assert not check.is_outstanding and check.response_recorded_by == org.mo
    events = AuditEvent.objects.filter(subject_id=str(check.pk), subject_type__icontains="agencycheck")
    assert sorted((event.action, event.child_id) for event in events) == sorted(
        [("create", child.pk), ("create", brother.pk), ("update", child.pk), ("update", brother.pk)])


def test_a_check_needs_an_agency_from_the_list_and_someone_asked(org, child):
    contact = make_contact(child, by=org.fran)
    with pytest.raises(ValidationError) as error:
        checks.request_check(actor=org.fran, contact=contact, agency="vets", asked_of=" ")
    assert set(error.value.message_dict) == {"agency", "asked_of"}
    assert not AgencyCheck.objects.exists()


def test_a_response_is_required_and_dated_between_the_request_and_now(org, child):
    contact = make_contact(child, by=org.fran)
    check = checks.request_check(actor=org.fran, contact=contact, agency="police", asked_of="PPU")
    for response, responded_at, field in (
            ("", timezone.now(), "response"),
            ("Nothing known", timezone.now() + datetime.timedelta(hours=1), "responded_at"),
            ("Nothing known", check.requested_at - datetime.timedelta(hours=1), "responded_at"),
            ("Nothing known", None, "responded_at")):
        with pytest.raises(ValidationError) as error:
            checks.record_response(actor=org.fran, check=check, response=response, responded_at=responded_at)
        assert field in error.value.message_dict
    check.refresh_from_db()
    assert check.is_outstanding


def test_the_pages_ask_and_answer_a_check(client, org, child):
    contact = make_contact(child, by=org.fran)
    client.force_login(org.fran)
    url = reverse("frontdoor:check_new", kwargs={"contact_id": contact.pk})
    response = client.post(url, {"agency": "", "asked_of": ""})
    page = response.content.decode()
    assert 'href="#id_agency"' in page and 'href="#id_asked_of"' in page
    assert client.post(url, {"agency": "education", "asked_of": "Hillside DSL"}).status_code == 302
    check = AgencyCheck.objects.get()
    url = reverse("frontdoor:check_response", kwargs={"check_id": check.pk})
    now = timezone.localtime()
    response = client.post(url, {"response": "", "responded_date_day": now.day, "responded_date_month": now.month,
                                 "responded_date_year": now.year, "responded_time": f"{now:%H:%M}"})
    assert 'href="#id_response"' in response.content.decode()
    response = client.post(url, {"response": "Attendance 70%", "responded_date_day": now.day,
                                 "responded_date_month": now.month, "responded_date_year": now.year,
                                 "responded_time": f"{now:%H:%M}"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.response == "Attendance 70%"


# 31 October 2027: at 02:00 BST the clocks go back to 01:00 GMT, so 01:00 to 01:59 happens twice.
GMT_AGAIN = {"fold": 1, "tzinfo": ZoneInfo("Europe/London")}


@pytest.mark.parametrize(("asked", "now", "typed", "recorded"), [
    # Asked at 01:35 GMT; at 01:40 GMT, "01:38" is two minutes ago, not the 01:38 BST before it was asked.
    (datetime.datetime(2027, 10, 31, 1, 35, **GMT_AGAIN), datetime.datetime(2027, 10, 31, 1, 40, **GMT_AGAIN),
     "01:38", datetime.datetime(2027, 10, 31, 1, 38, tzinfo=datetime.UTC)),
    # At 01:10 GMT, 01:30 GMT is still to come: "01:30" is the 01:30 BST already gone.
    (datetime.datetime(2027, 10, 31, 0, 20, tzinfo=datetime.UTC), datetime.datetime(2027, 10, 31, 1, 10, **GMT_AGAIN),
     "01:30", datetime.datetime(2027, 10, 31, 0, 30, tzinfo=datetime.UTC)),
])
def test_a_time_typed_in_the_hour_the_clocks_go_back_is_the_latest_one_past(client, org, child, time_machine,
                                                                            asked, now, typed, recorded):
    time_machine.move_to(asked, tick=False)
    check = checks.request_check(actor=org.fran, contact=make_contact(child, by=org.fran), agency="police",
                                 asked_of="PPU")
    time_machine.move_to(now, tick=False)
    client.force_login(org.fran)
    response = client.post(reverse("frontdoor:check_response", kwargs={"check_id": check.pk}),
                           {"response": "Nothing known", "responded_date_day": 31, "responded_date_month": 10,
                            "responded_date_year": 2027, "responded_time": typed})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.responded_at == recorded


def test_the_outstanding_list_is_oldest_first_and_says_who_asked(client, org, child):
    contact = make_contact(child, by=org.fran)
    newer = AgencyCheck.objects.create(contact=contact, agency="health", asked_of="Newer team", requested_by=org.mo)
    older = AgencyCheck.objects.create(contact=contact, agency="police", asked_of="Older team", requested_by=org.fran,
                                       requested_at=timezone.now() - datetime.timedelta(days=3))
    AgencyCheck.objects.create(contact=contact, agency="housing", asked_of="Answered team", requested_by=org.fran,
                               response="None", responded_at=timezone.now())
    client.force_login(org.mel)
    page = client.get(OUTSTANDING).content.decode()
    assert page.index(older.asked_of) < page.index(newer.asked_of)
    assert "Answered team" not in page
    assert "by Fran Frontdoor" in page and "by Mo Mash" in page
    assert "working day" in page


def test_the_outstanding_list_hides_restricted_children(client, org, child):
    hidden = make_child("Rosa", "Secret", restriction="adoption")
    AgencyCheck.objects.create(contact=make_contact(hidden, by=org.fran), agency="health", asked_of="Hidden team",
                               requested_by=org.fran)
    client.force_login(org.fran)
    page = client.get(OUTSTANDING).content.decode()
    assert "Secret" not in page and "Hidden team" not in page


def test_an_unanswered_check_stays_on_the_list_after_the_contact_is_handed_over(client, org, child):
    """The answer still matters to the receiving team: a check is chased until it is answered."""
    concluded = make_contact(child, by=org.fran)
    concluded.concluded_at = timezone.now()
    concluded.save()
    check = AgencyCheck.objects.create(contact=concluded, agency="health", asked_of="Closed team",
                                       requested_by=org.fran)
    client.force_login(org.fran)
    assert "Closed team" in client.get(OUTSTANDING).content.decode()
    checks.record_response(actor=org.fran, check=check, response="Nothing known", responded_at=timezone.now())
    assert "Closed team" not in client.get(OUTSTANDING).content.decode()


def test_outsiders_get_404(client, org, child):
    check = AgencyCheck.objects.create(contact=make_contact(child, by=org.fran), agency="health", asked_of="HV",
                                       requested_by=org.fran)
    for user in (org.ola, org.sam):
        client.force_login(user)
        assert client.get(OUTSTANDING).status_code == 404
        assert client.get(reverse("frontdoor:check_response", kwargs={"check_id": check.pk})).status_code == 404


def _queries(client, org, how_many: int) -> int:
    for number in range(how_many):
        contact = make_contact(make_child("Kid", f"Number{how_many}x{number}"), by=org.fran)
        AgencyCheck.objects.create(contact=contact, agency="health", asked_of=f"Team {number}", requested_by=org.fran)
    client.force_login(org.fran)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(OUTSTANDING).status_code == 200
    return len(queries)


def test_the_outstanding_list_takes_a_fixed_number_of_queries(client, org):
    assert _queries(client, org, 2) == _queries(client, org, 8)
