"""Every read of a child's record is audited, whatever the method; a page refuses the methods it does not serve;
lists and searches name the children they showed; nothing a signed-in user is sent is kept by the browser."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.frontdoor.services import imports
from casefile.frontdoor.testing import make_contact
from casefile.frontdoor.tests.test_police_files import example_bytes
from casefile.testing import make_child

NOT_SERVED = ("OPTIONS", "PUT", "PATCH", "DELETE")


def views_of(child) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(child=child, action=Action.VIEW).order_by("pk"))


def lists_naming(child) -> list[AuditEvent]:
    return [event for event in AuditEvent.objects.filter(child__isnull=True).order_by("pk")
            if child.pk in event.details.get("shown", [])]


@pytest.mark.parametrize("method", [*NOT_SERVED, "POST"])
def test_a_person_page_refuses_a_method_it_does_not_serve_and_shows_nothing(client, org, child, method):
    """OPTIONS needs no CSRF token: it used to return the whole record, unaudited."""
    client.force_login(org.sam)
    response = client.generic(method, reverse("people:record", args=[child.pk]))
    page = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "This page cannot be used that way" in page and "govuk-heading-l" in page
    assert child.last_name not in page and child.reference not in page
    assert views_of(child) == []


def test_head_is_served_and_audited_as_get(client, org, child):
    client.force_login(org.sam)
    response = client.head(reverse("people:record", args=[child.pk]))
    assert response.status_code == 200
    [event] = views_of(child)
    assert event.details == {"page": "people:record", "method": "HEAD"}


def test_a_form_sent_back_with_its_errors_shows_the_record_and_is_audited(client, org, child):
    client.force_login(org.sam)
    response = client.post(reverse("people:edit", args=[child.pk]), {"first_name": "", "last_name": ""})
    assert response.status_code == 200 and child.last_name in response.content.decode()
    [event] = views_of(child)
    assert event.details == {"page": "people:edit", "method": "POST"}


def test_a_change_that_is_saved_redirects_and_writes_its_own_event_not_a_view(client, org, child):
    client.force_login(org.sam)
    response = client.post(reverse("people:add_alias", args=[child.pk]),
                           {"kind": "nickname", "first_name": "Lil", "last_name": "Hartley"})
    assert response.status_code == 302
    assert views_of(child) == [] and AuditEvent.objects.filter(child=child, action=Action.CREATE).exists()


@pytest.mark.parametrize("method", NOT_SERVED)
def test_a_front_door_contact_page_refuses_a_method_it_does_not_serve(client, org, child, method):
    contact = make_contact(child, by=org.fran)
    client.force_login(org.fran)
    response = client.generic(method, reverse("frontdoor:contact", args=[contact.pk]))
    assert response.status_code == 405 and child.last_name not in response.content.decode()
    assert views_of(child) == []


def test_a_front_door_form_returned_with_its_errors_audits_each_child_it_shows(client, org, child):
    sister = make_child("Rose", "Hartley")
    contact = make_contact(child, sister, by=org.fran)
    client.force_login(org.fran)
    response = client.post(reverse("frontdoor:contact_rag", args=[contact.pk]), {"rag": "purple"})
    assert response.status_code == 400 and child.last_name in response.content.decode()
    assert [event.details for event in views_of(child)] == [{"path": f"/front-door/contacts/{contact.pk}/rag/",
                                                             "method": "POST"}]
    assert len(views_of(sister)) == 1


def test_my_work_records_the_children_it_listed(client, org, child):
    other = make_child("Amy", "Other")
    client.force_login(org.sam)
    assert child.last_name in client.get("/").content.decode()
    [event] = lists_naming(child)
    assert event.details == {"page": "core:my_work", "method": "GET", "shown": [child.pk]}
    assert lists_naming(other) == []


def test_a_team_page_records_the_children_it_listed(client, org, child):
    client.force_login(org.tess)
    assert child.last_name in client.get(reverse("accounts:team", args=[org.assessment.pk])).content.decode()
    [event] = lists_naming(child)
    assert event.details["page"] == "accounts:team"


def test_a_search_records_who_it_found(client, org, child):
    make_child("Rose", "Hartley")  # found too: both are named
    client.force_login(org.fran)
    assert child.last_name in client.get(reverse("people:search"), {"name": "Hartley"}).content.decode()
    [event] = AuditEvent.objects.filter(action=Action.SEARCH)
    assert child.pk in event.details["shown"] and len(event.details["shown"]) == 2


def test_the_front_door_board_records_the_children_on_the_page_shown(client, org, child):
    make_contact(child, by=org.fran)
    client.force_login(org.fran)
    assert child.last_name in client.get(reverse("frontdoor:board")).content.decode()
    [event] = lists_naming(child)
    assert event.details["page"] == "frontdoor:board"


def test_a_police_file_preview_records_which_file_and_which_records_it_showed(client, org):
    lily = make_child("Lily", "Marsh", date_of_birth=datetime.date(2017, 5, 30))  # an exact match in the file
    batch = imports.stage_file(actor=org.fran, data=example_bytes(), filename="police.csv")
    client.force_login(org.fran)
    page = client.get(reverse("frontdoor:police_batch", args=[batch.pk])).content.decode()
    assert lily.reference in page
    [event] = AuditEvent.objects.filter(action=Action.VIEW, subject_type="frontdoor.importbatch")
    assert event.subject_id == str(batch.pk) and event.details["shown"] == [lily.pk]


def test_nothing_sent_to_a_signed_in_user_is_kept_by_the_browser(client, org, child):
    client.force_login(org.sam)
    for url in ("/", reverse("people:record", args=[child.pk]), reverse("people:search")):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
