"""Adding names, addresses, relationships, households and disabilities from the record."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.frontdoor.testing import make_contact
from casefile.people import services
from casefile.people.models import Alias, HouseholdMember, Relationship
from casefile.people.tests.helpers import date_fields
from casefile.testing import make_adult, make_child


def url(name, person):
    return reverse(name, kwargs={"person_id": person.pk})


def test_a_relative_is_chosen_by_search_and_linked_with_parental_responsibility(client, org, child):
    dawn = make_adult()
    Relationship.objects.create(person=dawn, relative=make_child("Tom", "Hartley"), kind="parent")
    # Sam cannot see Dawn yet (she is linked only to Tom), so a front-door worker links her while Lily is at the
    # front door (the front door changes only the records of people on the contacts it holds).
    make_contact(child, by=org.fran)
    client.force_login(org.fran)
    page = client.get(url("people:add_relationship", child), {"q": "Dawn Hartley"}).content.decode()
    assert f'value="{dawn.pk}"' in page
    response = client.post(url("people:add_relationship", child), {
        "q": "Dawn Hartley", "relative": dawn.pk, "kind": "parent", "direction": "theirs",
        "parental_responsibility": "yes", **date_fields("start_date", None)})
    assert response.status_code == 302
    link = Relationship.objects.get(relative=child)
    assert (link.person, link.kind, link.parental_responsibility) == (dawn, "parent", True)
    assert AuditEvent.objects.filter(action=Action.CREATE, child=child, subject_type="people.relationship").exists()
    assert link.history.get().history_user == org.fran


def test_a_relative_the_user_cannot_see_cannot_be_chosen(client, org, child):
    hidden = make_child("Secret", "Person")
    client.force_login(org.sam)
    page = client.get(url("people:add_relationship", child), {"q": "Secret Person"}).content.decode()
    assert hidden.reference not in page
    page = client.post(url("people:add_relationship", child), {
        "relative": hidden.pk, "kind": "sibling", "direction": "theirs"}).content.decode()
    assert "Choose the person they are related to" in page
    assert not Relationship.objects.exists()


def test_relationship_rules_are_explained(org, child):
    dawn = make_adult()
    with pytest.raises(ValidationError) as refusal:
        services.add_relationship(actor=org.fran, person=child, relative=dawn, kind="parent",
                                  parental_responsibility=True, start_date=datetime.date(2999, 1, 1))
    messages = refusal.value.message_dict
    assert "only held for a child" in messages["parental_responsibility"][0]
    assert "must be today or in the past" in messages["start_date"][0]
    with pytest.raises(ValidationError) as refusal:
        services.add_relationship(actor=org.fran, person=child, relative=child, kind="cousin")
    assert set(refusal.value.message_dict) == {"relative", "kind"}
    services.add_relationship(actor=org.fran, person=dawn, relative=child, kind="parent")
    with pytest.raises(ValidationError, match="already recorded"):
        services.add_relationship(actor=org.fran, person=dawn, relative=child, kind="parent")


def test_a_person_joins_a_new_household_and_then_a_relative_joins_it(client, org, child):
    dawn = make_adult()
    services.add_relationship(actor=org.sam, person=dawn, relative=child, kind="parent")
    client.force_login(org.sam)
    response = client.post(url("people:add_to_household", child), {"household": "", "name": "Hartley household"})
    assert response.status_code == 302
    household = HouseholdMember.objects.get(person=child).household
    page = client.get(url("people:add_to_household", dawn)).content.decode()
    assert f'value="{household.pk}"' in page
    client.post(url("people:add_to_household", dawn), {"household": household.pk})
    assert set(household.members.values_list("person_id", flat=True)) == {child.pk, dawn.pk}


def test_a_new_household_needs_a_name_and_nothing_is_half_saved(client, org, child):
    client.force_login(org.sam)
    page = client.post(url("people:add_to_household", child), {"household": "", "name": "",
                                                                **date_fields("start_date", datetime.date(2999, 1, 1))})
    content = page.content.decode()
    assert "Enter a name for the household" in content
    assert not HouseholdMember.objects.exists()
    from casefile.people.models import Household

    client.post(url("people:add_to_household", child), {"household": "", "name": "Hartleys",
                                                        **date_fields("start_date", datetime.date(2999, 1, 1))})
    assert not Household.objects.exists(), "the household is not kept when adding the member fails"


def test_an_alias_is_added_and_searchable_by_sound(client, org, child):
    client.force_login(org.sam)
    response = client.post(url("people:add_alias", child), {"kind": "previous", "first_name": "", "last_name": "Smyth"})
    assert response.status_code == 302
    alias = Alias.objects.get()
    assert alias.last_name_key == "SM0" and alias.history.get().history_user == org.sam


def test_an_alias_needs_a_name(client, org, child):
    client.force_login(org.sam)
    page = client.post(url("people:add_alias", child), {"kind": "alias"}).content.decode()
    assert 'href="#id_first_name"' in page and "Enter a first name, a last name or both" in page


def test_an_address_is_added_from_the_record(client, org, child):
    client.force_login(org.sam)
    client.post(url("people:add_address", child), {"line_1": "9 Elm Road", "postcode": "ls2 9jt",
                                                   **date_fields("start_date", datetime.date(2021, 4, 1))})
    assert child.addresses.get().postcode == "LS2 9JT"


def test_disabilities_are_chosen_from_the_census_list(client, org, child):
    client.force_login(org.sam)
    client.post(url("people:disabilities", child), {"disabilities": ["AUT", "COMM"]})
    assert sorted(child.disabilities.values_list("code", flat=True)) == ["AUT", "COMM"]
    page = client.post(url("people:disabilities", child), {"disabilities": ["NONE", "AUT"]}).content.decode()
    assert "Select ‘No disability’ on its own" in page
    page = client.get(url("people:record", child)).content.decode()
    assert "Autism or Asperger syndrome" in page


def test_changes_are_refused_on_a_merged_record(org, child):
    duplicate = make_child("Lilly", "Hartly")
    services.merge_people(actor=org.ada, kept=child, merged=duplicate, reason="Duplicate")
    duplicate.refresh_from_db()
    with pytest.raises(ValidationError, match="make changes on that record instead"):
        services.add_alias(actor=org.ada, person=duplicate, first_name="Lil")


def test_only_people_who_may_change_the_record_can_open_its_forms(client, org, child):
    client.force_login(org.quinn)
    for name in ("people:edit", "people:add_alias", "people:add_address", "people:add_relationship",
                 "people:add_to_household", "people:disabilities", "people:merge", "people:unmerge"):
        assert client.get(url(name, child)).status_code == 404, name
