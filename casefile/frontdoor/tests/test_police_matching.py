"""Who the people in a police file are: each other (one child in two incidents is one record; a near spelling is
asked about), and existing records (only an exact match is linked without a person choosing)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.timezone import localdate

from casefile.core.presenters import govuk_date
from casefile.frontdoor.models import Contact, ContactChild, NotificationPerson
from casefile.frontdoor.services import imports
from casefile.frontdoor.tests.test_police_files import csv_bytes, household, incident, person
from casefile.people.models import Person
from casefile.testing import make_adult, make_child

LILY_BORN = datetime.date(2017, 5, 30)


def stage(org, *incidents):
    return imports.stage_file(actor=org.fran, data=csv_bytes(*incidents), filename="police.csv")


def entry(first_name: str, row: int | None = None) -> NotificationPerson:
    found = NotificationPerson.objects.filter(first_name=first_name)
    return found.get(row=row) if row else found.get()


VICTIMS = {"DA/1": ("Kim", "Jones", "1990-01-01"), "DA/2": ("Ann", "Brown", "1985-06-07")}


def smiths(reference: str, first: str, **fields) -> list[dict]:
    return incident(reference, person("victim", *VICTIMS[reference]),
                    person("child", first, "Smith", "2019-04-02", "M", **fields))


# Rows of one file ---------------------------------------------------------------------------------------


def test_one_child_in_two_incidents_of_a_file_becomes_one_record(org):
    batch = stage(org, household("DA/1"), household("DA/2", household_address="2 New Road, Leeds"))
    later = entry("Lily", row=7)
    assert (later.match, later.same_as_row) == ("same", 4)
    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={})
    assert Person.objects.filter(first_name="Lily").count() == 1
    assert Person.objects.count() == 3
    lily = Person.objects.get(first_name="Lily")
    assert ContactChild.objects.filter(child=lily).count() == 2
    later.refresh_from_db()
    assert later.person == lily


def test_one_child_in_two_incidents_matched_to_a_record_is_matched_on_both_rows(org):
    lily = make_child("Lily", "Marsh", date_of_birth=LILY_BORN)
    stage(org, household("DA/1"), household("DA/2"))
    assert [(e.match, e.person) for e in NotificationPerson.objects.filter(first_name="Lily").order_by("row")] == [
        ("matched", lily), ("matched", lily)]


def test_a_near_spelling_on_another_row_is_a_possible_match_to_choose(org):
    batch = stage(org, smiths("DA/1", "Jayden"), smiths("DA/2", "Jaydon"))
    first, second = entry("Jayden"), entry("Jaydon")
    assert first.match == "new"
    assert second.match == "possible"
    [candidate] = second.candidates
    assert (candidate["row"], candidate["name"], candidate["dob"]) == (first.row, "Jayden Smith", "2019-04-02")
    assert "same date of birth" in candidate["reasons"]
    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={second.pk: f"row:{first.row}"})
    assert Person.objects.filter(last_name="Smith").count() == 1
    assert ContactChild.objects.filter(child__last_name="Smith").count() == 2


def test_a_near_spelling_on_another_row_may_be_a_different_person(org):
    batch = stage(org, smiths("DA/1", "Jayden"), smiths("DA/2", "Jaydon"))
    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={entry("Jaydon").pk: None})
    assert sorted(Person.objects.filter(last_name="Smith").values_list("first_name", flat=True)) == [
        "Jayden", "Jaydon"]


def test_a_row_not_offered_cannot_be_chosen(org):
    batch = stage(org, smiths("DA/1", "Jayden"), smiths("DA/2", "Jaydon"))
    with pytest.raises(ValidationError) as refused:
        imports.confirm_batch(actor=org.fran, batch=batch, resolutions={entry("Jaydon").pk: "row:2"})
    assert "Choose one of the rows listed for Jaydon Smith" in str(refused.value)
    assert Contact.objects.count() == 0


def test_twins_with_different_names_are_not_asked_about(org):
    stage(org, incident("DA/1", person("victim", "Kim", "Lee", "1990-01-01"),
                        person("child", "Lily", "Lee", "2019-04-02"), person("child", "Grace", "Lee", "2019-04-02")))
    assert set(NotificationPerson.objects.values_list("match", flat=True)) == {"new"}


def test_the_same_person_chosen_twice_in_one_incident_is_on_the_contact_once(org):
    batch = stage(org, incident("DA/1", person("victim", "Kim", "Lee", "1990-01-01"),
                                person("child", "Jayden", "Smith", "2019-04-02", "M"),
                                person("child", "Jaydon", "Smith", "2019-04-02", "M")))
    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={entry("Jaydon").pk: "row:3"})
    assert ContactChild.objects.count() == 1


def test_the_preview_offers_the_earlier_row(client, org):
    batch = stage(org, smiths("DA/1", "Jayden"), smiths("DA/2", "Jaydon"))
    client.force_login(org.fran)
    page = client.get(reverse("frontdoor:police_batch", args=[batch.pk])).content.decode()
    assert 'value="row:3"' in page and "The same person as row 3 of this file: Jayden Smith" in page
    chosen = {f"person_{entry('Jaydon').pk}": "row:3"}
    response = client.post(reverse("frontdoor:police_confirm", args=[batch.pk]), chosen)
    assert response.status_code == 302
    assert Person.objects.filter(last_name="Smith").count() == 1


def test_the_preview_shows_an_unborn_childs_expected_date_and_an_nhs_number(client, org):
    from casefile.frontdoor.tests.test_police_files import example_bytes

    batch = imports.stage_file(actor=org.fran, data=example_bytes(), filename="police.csv")
    client.force_login(org.fran)
    page = client.get(reverse("frontdoor:police_batch", args=[batch.pk])).content.decode()
    assert "Unborn Okafor" in page and "Unborn: expected 2 March 2027" in page
    assert "NHS number 943 476 5919" in page


# Existing records ---------------------------------------------------------------------------------------


def test_a_spelling_variant_of_an_existing_person_is_asked_about_not_linked(org):
    lilly = make_child("Lilly", "Marsh", date_of_birth=LILY_BORN)
    stage(org, household("DA/1"))
    lily = entry("Lily")
    assert (lily.match, lily.person) == ("possible", None)
    [candidate] = lily.candidates
    assert (candidate["id"], candidate["name"], candidate["exact"]) == (lilly.pk, "Lilly Marsh", False)


def test_an_exact_match_is_linked_and_the_preview_shows_the_records_own_spelling(client, org):
    lily = make_child("Lily", "Marsh", date_of_birth=LILY_BORN)
    batch = stage(org, household("DA/1", ), incident("DA/2", person("child", "LILY", " marsh ", "2017-05-30")))
    assert [e.person for e in NotificationPerson.objects.filter(first_name__iexact="lily")] == [lily, lily]
    client.force_login(org.fran)
    page = client.get(reverse("frontdoor:police_batch", args=[batch.pk])).content.decode()
    assert "LILY marsh" in page and f"Lily Marsh, born 30 May 2017 ({lily.reference})" in page
    assert "Exact match" in page


def test_an_accent_is_a_different_spelling(org):
    make_child("Zoë", "Okafor", date_of_birth=LILY_BORN)
    stage(org, incident("DA/1", person("child", "Zoe", "Okafor", "2017-05-30")))
    assert entry("Zoe").match == "possible"


def test_the_same_nhs_number_and_name_link_a_record_even_without_a_date_of_birth(org):
    dawn = make_adult("Dawn", "Marsh", nhs_number="9434765919")
    stage(org, incident("DA/1", person("victim", "Dawn", "Marsh", "", nhs_number="9434765919"),
                        person("child", "Lily", "Marsh", "2017-05-30")))
    assert (entry("Dawn").match, entry("Dawn").person) == ("matched", dawn)


def test_the_same_nhs_number_with_another_spelling_is_a_strong_possible_match(org):
    lily = make_child("Lily", "Marsh", date_of_birth=LILY_BORN, nhs_number="9434765919")
    stage(org, incident("DA/1", person("child", "Lilly", "Marsh", "2017-05-30", nhs_number="943 476 5919")))
    found = entry("Lilly")
    assert found.match == "possible" and found.nhs_number == "9434765919"
    assert found.candidates[0]["id"] == lily.pk and "same NHS number" in found.candidates[0]["reasons"]


def test_a_different_nhs_number_stops_an_exact_link(org):
    make_child("Lily", "Marsh", date_of_birth=LILY_BORN, nhs_number="4010232137")
    stage(org, incident("DA/1", person("child", "Lily", "Marsh", "2017-05-30", nhs_number="9434765919")))
    assert entry("Lily").match == "possible"


def test_an_unborn_child_is_matched_to_their_unborn_record(org):
    unborn = make_child("Unborn", "Okafor", date_of_birth=None, expected_date_of_birth=datetime.date(2027, 3, 2),
                        sex="U")
    stage(org, incident("DA/1", person("victim", "Zoë", "Okafor", "1999-08-21"),
                        person("child", "", "Okafor", "", "U", expected_date_of_birth="2027-03-02")))
    assert entry("Unborn").person == unborn


# An incident sent again ---------------------------------------------------------------------------------


def test_an_incident_sent_again_after_confirmation_says_where_it_went_and_links_to_it(client, org):
    from casefile.frontdoor.tests.test_police_pages import imported, upload

    first = imported(org, household("DA/1"), name="monday.csv")
    contact = Contact.objects.get()
    client.force_login(org.fran)
    page = upload(client, csv_bytes(household("DA/2", surname="Reid"), household("DA/1")), "tuesday.csv")
    page = page.content.decode()
    first.refresh_from_db()
    assert (f"police_reference DA/1 was already imported from monday.csv on {govuk_date(localdate(first.decided_at))}, "
            "and is a "
            "contact at the front door: remove this incident from the file and upload the rest again") in page
    assert "discard" not in page.split("Problems in tuesday.csv")[1].split("</table>")[0]
    assert f'href="{reverse("frontdoor:contact", args=[contact.pk])}"' in page
    assert f'href="{reverse("frontdoor:police_batch", args=[first.pk])}"' in page


def test_an_incident_in_a_file_waiting_for_confirmation_says_to_confirm_or_discard_that_file(org):
    waiting = stage(org, household("DA/1"))
    with pytest.raises(imports.ImportRefused) as refused:
        stage(org, household("DA/2", surname="Reid"), household("DA/1"))
    [error] = refused.value.errors
    assert error.message.endswith(f"(uploaded {govuk_date(localdate(waiting.uploaded_at))}), which is waiting for "
                                  "confirmation: remove this incident from this file, or discard that file first "
                                  "if it was wrong")
    assert refused.value.earlier[error.row].batch == waiting
