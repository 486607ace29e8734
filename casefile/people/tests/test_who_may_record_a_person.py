"""Only those who may change records may record a new person, they are told so before the form, and whoever
records someone can open the record they made (a social worker got a 404 on the child she had just recorded)."""

import datetime

import pytest
from django.urls import reverse

from casefile.people.models import Person
from casefile.people.tests.helpers import date_fields

CREATE = reverse("people:create")


def new_child(last_name: str) -> dict:
    return {"kind": "child", "first_name": "Maisie", "last_name": last_name, "sex": "F",
            **date_fields("date_of_birth", datetime.date(2016, 5, 14)), **date_fields("expected_date_of_birth", None)}


@pytest.mark.parametrize("persona", ["petra", "quinn", "pat", "chris"])
def test_read_only_roles_are_refused_before_the_form_with_a_reason(client, org, persona):
    client.force_login(org.everyone()[persona])
    search = client.get(reverse("people:search")).content.decode()
    assert 'href="/people/new/"' not in search and "You cannot record a new person" in search
    refused = client.get(CREATE)
    assert refused.status_code == 403
    assert "record new people: ask the front door to record them" in refused.content.decode()
    assert client.post(CREATE, new_child("Okafor")).status_code == 403
    assert not Person.objects.filter(last_name="Okafor").exists()


@pytest.mark.parametrize("persona", ["sam", "ola", "tess", "simon", "fran", "mo", "ada"])
def test_whoever_records_a_person_can_open_and_change_the_record(client, org, persona):
    client.force_login(org.everyone()[persona])
    response = client.post(CREATE, new_child("Okafor"))
    person = Person.objects.get(last_name="Okafor")
    assert response.status_code == 302 and response.url == reverse("people:record", kwargs={"person_id": person.pk})
    assert client.get(response.url).status_code == 200
    assert client.get(reverse("people:edit", kwargs={"person_id": person.pk})).status_code == 200
