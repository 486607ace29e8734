"""The duplicate check never reveals that a restricted record exists to anyone not named on it.

An NHS number typed with a made-up name used to be enough to learn that an adoption record existed: the page
said there was a match in records the user could not open. A restricted record is now no candidate at all for
anyone but the people named on it, so the answer is the one given when no such record exists.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casefile.access.models import RestrictedAccessGrant
from casefile.frontdoor.models import NotificationPerson
from casefile.frontdoor.services import imports
from casefile.frontdoor.tests.test_police_files import example_bytes
from casefile.people.models import Person
from casefile.people.tests.helpers import date_fields
from casefile.testing import make_child

CREATE = reverse("people:create")
NHS_NUMBER = "9434765919"
NOBODYS_NHS_NUMBER = "4010232137"


def made_up_name_with(nhs_number: str, last_name: str = "Quorn") -> dict:
    return {"kind": "child", "first_name": "Zed", "last_name": last_name, "sex": "M", "nhs_number": nhs_number,
            **date_fields("date_of_birth", datetime.date(2001, 9, 9)), **date_fields("expected_date_of_birth", None)}


@pytest.fixture
def adopted(org):
    """An adoption record, restricted, with Tess named on it."""
    child = make_child("Ruby", "Sealed", nhs_number=NHS_NUMBER, restriction=Person.Restriction.ADOPTION)
    RestrictedAccessGrant.objects.create(child=child, user=org.tess, granted_by=org.ada)
    return child


def _answer(client, user, last_name: str = "Quorn", nhs_number: str = NHS_NUMBER) -> tuple[int, str, str]:
    """What the user is told when they record Zed with the NHS number: status, where to, and the page."""
    client.force_login(user)
    response = client.post(CREATE, made_up_name_with(nhs_number, last_name))
    opened = Person.objects.filter(last_name=last_name).first()
    where = "record" if opened and response.get("Location") == reverse("people:record", args=[opened.pk]) else ""
    return response.status_code, where, response.content.decode()


@pytest.mark.parametrize("persona", ["sam", "ola", "fran", "mo", "mel", "simon", "hana", "ada"])
def test_a_restricted_record_is_not_revealed_by_its_nhs_number(client, org, adopted, persona):
    user = org.everyone()[persona]
    status, _, page = _answer(client, user)
    # The same answer as for a number nobody holds: the new record is made and opened.
    assert status == 302, page
    assert "cannot open" not in page and "may already be recorded" not in page
    assert Person.objects.filter(last_name="Quorn").count() == 1


def test_the_answer_is_the_one_given_when_no_record_exists(client, org, adopted):
    with_record = _answer(client, org.ola)
    without_record = _answer(client, org.ola, "Quillon", NOBODYS_NHS_NUMBER)
    assert with_record[:2] == without_record[:2] == (302, "record")


def test_someone_named_on_the_restricted_record_is_shown_the_match(client, org, adopted):
    client.force_login(org.tess)
    page = client.post(CREATE, made_up_name_with(NHS_NUMBER)).content.decode()
    assert "This person may already be recorded" in page and adopted.reference in page
    assert not Person.objects.filter(last_name="Quorn").exists()


def test_a_police_file_never_counts_a_restricted_record_among_its_possible_matches(org):
    # Lily Marsh is on the example police file; a restricted record shares her date of birth and name.
    hidden = make_child("Lily", "Marsh", date_of_birth=datetime.date(2017, 5, 30),
                        restriction=Person.Restriction.ADOPTION)
    imports.stage_file(actor=org.fran, data=example_bytes(), filename="police.csv")
    entry = NotificationPerson.objects.get(first_name="Lily")
    assert entry.match == NotificationPerson.Match.NEW and entry.person is None
    assert not any(candidate.get("hidden") or candidate.get("id") == hidden.pk for candidate in entry.candidates)


def test_a_police_file_shows_the_restricted_match_to_someone_named_on_it(org):
    hidden = make_child("Lily", "Marsh", date_of_birth=datetime.date(2017, 5, 30),
                        restriction=Person.Restriction.ADOPTION)
    RestrictedAccessGrant.objects.create(child=hidden, user=org.fran, granted_by=org.ada)
    imports.stage_file(actor=org.fran, data=example_bytes(), filename="police.csv")
    entry = NotificationPerson.objects.get(first_name="Lily")
    assert entry.person == hidden or any(candidate.get("id") == hidden.pk for candidate in entry.candidates)
