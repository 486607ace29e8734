"""403, 404 and 500 answers use the service's layout, with its header and navigation; a 404 for a record the user
may not see reads exactly like a 404 for a record that does not exist."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from casefile.core import views


def _without_tokens(page: str) -> str:
    """The page less what changes on every response (CSP nonce, CSRF token)."""
    return re.sub(r'(nonce|value)="[^"]*"', "", page)


def test_a_404_has_the_service_header_and_navigation(client, org):
    client.force_login(org.sam)
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "govuk-generic-header" in page and "govuk-service-navigation" in page
    assert 'href="/"' in page and "My work" in page and "Find a person" in page
    assert "<h1 class=\"govuk-heading-l\">Page not found</h1>" in page
    assert "Signed in as Sam Worker" in page


def test_a_record_the_user_may_not_see_reads_the_same_as_one_that_does_not_exist(client, org, child):
    client.force_login(org.ola)
    hidden = client.get(reverse("people:record", kwargs={"person_id": child.pk}))
    missing = client.get(reverse("people:record", kwargs={"person_id": child.pk + 1000}))
    assert hidden.status_code == missing.status_code == 404
    assert _without_tokens(hidden.content.decode()) == _without_tokens(missing.content.decode())
    assert "Lily" not in hidden.content.decode()


def test_a_403_says_why_in_the_layout(client, org):
    client.force_login(org.sam)
    response = client.get(reverse("casework:unallocated"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "govuk-service-navigation" in page and "You cannot do this" in page
    assert "Only the front door, managers and administrators see the children waiting for a worker." in page


def test_a_form_refused_by_the_csrf_check_is_answered_in_the_layout(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.sam)
    response = client.post(reverse("casework:add_case_note", kwargs={"person_id": 1}), {"subject": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "govuk-service-navigation" in page and "Go back, reload the page and try again." in page


def test_a_500_uses_the_layout(rf, org):
    request = rf.get("/")
    request.user = org.sam
    response = views.server_error(request)
    assert response.status_code == 500
    assert "govuk-generic-header" in response.content.decode()
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_a_signed_out_404_still_has_the_header():
    response = Client().get("/front-door/contacts/999999/")
    # Signed out, the sign-in middleware sends people to sign in first; a page it lets through is in the layout.
    assert response.status_code in (302, 404)
    if response.status_code == 404:
        assert "govuk-generic-header" in response.content.decode()
