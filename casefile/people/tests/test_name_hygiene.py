"""A name holding an invisible character, a direction control or an emoji could never be found by typing it:
it is refused, saying why, on every way a person's name comes in (casefile/rules/names.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casefile.people import services
from casefile.people.models import Alias, Person
from casefile.people.tests.helpers import date_fields
from casefile.testing import make_child

ZERO_WIDTH, RTL_OVERRIDE = "\u200b", "\u202e"


def child_values(**overrides) -> dict:
    return {"kind": "child", "first_name": "Maisie", "last_name": "Okafor",
            "date_of_birth": datetime.date(2015, 1, 2), **overrides}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("first_name", f"Mai{ZERO_WIDTH}sie", "Legal first name must not contain an invisible character, zero width space"),
    ("last_name", f"{RTL_OVERRIDE}Okafor", "Legal last name must not contain a hidden character that changes"),
    ("middle_names", "Rose\u00ad", "Legal middle names must not contain an invisible character, soft hyphen"),
    ("known_as", "Mai 🌸", "Known as must not contain emoji or symbols (🌸)"),
])
def test_a_new_person_with_such_a_name_is_refused_and_nothing_is_saved(org, field, value, message):
    with pytest.raises(ValidationError) as refusal:
        services.create_person(actor=org.sam, **child_values(**{field: value}))
    [given] = refusal.value.message_dict[field]
    assert given.startswith(message), given
    assert not Person.objects.exists()


def test_a_change_to_such_a_name_is_refused(org):
    child = make_child()
    with pytest.raises(ValidationError, match="Legal last name must not contain"):
        services.update_person(actor=org.sam, person=child, last_name=f"Hart{ZERO_WIDTH}ley")
    child.refresh_from_db()
    assert child.last_name == "Hartley"


def test_an_alias_with_such_a_name_is_refused(org):
    child = make_child()
    with pytest.raises(ValidationError, match="First name must not contain emoji"):
        services.add_alias(actor=org.sam, person=child, first_name="Lil 😀", last_name="Hart")
    assert not Alias.objects.exists()


def test_names_in_other_scripts_and_with_accents_are_still_saved(org):
    person = services.create_person(actor=org.sam, **child_values(first_name="Zoë", last_name="Nguyễn-O’Brien"))
    assert person.last_name == "Nguyễn-O’Brien"


def test_the_page_shows_why_on_the_name_box(client, org):
    client.force_login(org.sam)
    data = {"kind": "child", "first_name": "Maisie", "last_name": f"Oka{ZERO_WIDTH}for", "sex": "F",
            **date_fields("date_of_birth", datetime.date(2015, 1, 2))}
    page = client.post(reverse("people:create"), data).content.decode()
    assert 'href="#id_last_name"' in page
    assert "Legal last name must not contain an invisible character, zero width space (U+200B)" in page
    assert not Person.objects.exists()
