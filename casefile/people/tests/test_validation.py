"""Bad input is refused with a message that says what is expected, and nothing is half-saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casefile.audit.models import Action, AuditEvent
from casefile.people import services
from casefile.people.models import Address, Disability, Person
from casefile.people.tests.helpers import date_fields
from casefile.testing import make_adult, make_child

# The cases below are worked out from today when the module is collected; each test runs on that same day, so a
# run that crosses midnight does not find "tomorrow" has become today.
TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _on_the_day_the_cases_were_worked_out(time_machine):
    time_machine.move_to(datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=timezone.get_current_timezone()),
                         tick=False)


def child_values(**overrides) -> dict:
    return {"kind": "child", "first_name": "Maisie", "last_name": "Okafor",
            "date_of_birth": datetime.date(2015, 1, 2), **overrides}


def refused(org, **values) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refusal:
        services.create_person(actor=org.sam, **values)
    assert not Person.objects.exists(), "nothing may be saved when the input is refused"
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()
    return refusal.value.message_dict


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"nhs_number": "9434765918"}, "nhs_number", "This is not a valid NHS number: check each digit"),
    ({"nhs_number": "12345"}, "nhs_number", "Enter an NHS number of 10 digits"),
    ({"upn": "A801200005001"}, "upn", "first letter does not match its check letter"),
    ({"upn": "B801200005001", "upn_unknown_reason": "UN3"}, "upn_unknown_reason", "give a UPN or a reason, not both"),
    ({"upn_unknown_reason": "UN9"}, "upn_unknown_reason", "Select why the UPN is not known, from UN1 to UN7"),
    ({"date_of_birth": TOMORROW}, "date_of_birth", "Date of birth must be today or in the past"),
    ({"date_of_birth": None}, "date_of_birth", "Enter the child’s date of birth, or an expected date of birth"),
    ({"expected_date_of_birth": TODAY + datetime.timedelta(days=30)}, "expected_date_of_birth",
     "Enter either a date of birth or, for an unborn child, an expected date of birth, not both"),
    ({"date_of_birth": None, "expected_date_of_birth": TODAY + datetime.timedelta(days=400)},
     "expected_date_of_birth", "Expected date of birth must be within the next 10 months"),
    ({"date_of_birth": None, "expected_date_of_birth": TODAY - datetime.timedelta(days=60)},
     "expected_date_of_birth", "if the child has been born, enter their date of birth instead"),
    ({"date_of_birth": None, "expected_date_of_birth": TODAY + datetime.timedelta(days=30), "sex": "F"},
     "sex", "Record an unborn child’s sex as unknown (U)"),
    ({"kind": "adult", "expected_date_of_birth": TODAY + datetime.timedelta(days=30)}, "expected_date_of_birth",
     "only for an unborn child"),
    ({"kind": "pet"}, "kind", "Select whether this person is a child or an adult"),
    ({"first_name": "  "}, "first_name", "Enter the first name"),
    ({"last_name": ""}, "last_name", "Enter the last name"),
    ({"sex": "X"}, "sex", "Select the sex: male (M), female (F) or unknown (U)"),
    ({"ethnicity": "WHITE"}, "ethnicity", "Select an ethnicity from the census list, for example White British (WBRI)"),
    ({"date_of_death": TOMORROW}, "date_of_death", "Date of death must be today or in the past"),
    ({"date_of_death": datetime.date(2014, 1, 1)}, "date_of_death", "must be the same as or after the date of birth"),
    ({"religion": "x" * 101}, "religion", "Enter a religion of 100 characters or fewer"),
    ({"disabilities": ["MOB", "FLY"]}, "disabilities", "Select disabilities from the census list"),
    ({"disabilities": ["NONE", "MOB"]}, "disabilities", "Select ‘No disability’ on its own"),
    ({"address": {"line_1": "1 Road", "postcode": "LS1 4AC"}}, "postcode", "Enter a real UK postcode, like LS1 4AB"),
    ({"address": {"postcode": "LS1 4AB"}}, "line_1", "Enter the first line of the address"),
    ({"address": {"line_1": "1 Road", "postcode": "LS1 4AB", "start_date": TOMORROW}}, "start_date",
     "The date they moved in must be today or in the past"),
])
def test_it_refuses_invalid_details_with_a_message_that_says_what_is_expected(org, values, field, message):
    messages = refused(org, **child_values(**values))
    assert any(message in text for text in messages[field]), messages


def test_every_problem_is_reported_at_once(org):
    messages = refused(org, **child_values(nhs_number="1", sex="Q", ethnicity="ZZZZ", last_name=""))
    assert set(messages) == {"nhs_number", "sex", "ethnicity", "last_name"}


def test_a_valid_unborn_child_and_normalised_identifiers_are_saved(org):
    unborn = services.create_person(actor=org.sam, **child_values(
        first_name="Unborn", date_of_birth=None, expected_date_of_birth=TODAY + datetime.timedelta(days=90),
        sex="U", nhs_number="943 476 5919", upn_unknown_reason="UN6"))
    assert unborn.is_unborn and unborn.nhs_number == "9434765919"
    tom = services.create_person(actor=org.sam, **child_values(upn="b801200005001"))
    assert tom.upn == "B801200005001"


def test_missing_identity_details_are_left_empty_not_defaulted(org):
    adult = services.create_person(actor=org.sam, kind="adult", first_name="Dawn", last_name="Hartley")
    adult.refresh_from_db()
    assert (adult.sex, adult.ethnicity, adult.date_of_birth, adult.interpreter_needed) == ("", "", None, None)
    assert not adult.disabilities.exists()


def test_a_refused_address_leaves_no_person_behind(org):
    refused(org, **child_values(address={"line_1": "1 Road", "postcode": "nowhere"}))
    assert not Address.objects.exists() and not Disability.objects.exists()


def test_update_refuses_bad_values_and_changes_nothing(org):
    dawn = make_adult()
    with pytest.raises(ValidationError) as refusal:
        services.update_person(actor=org.ada, person=dawn, nhs_number="9434765918", known_as="Di")
    assert "nhs_number" in refusal.value.message_dict
    dawn.refresh_from_db()
    assert dawn.known_as == "" and dawn.history.count() == 1


def test_update_records_who_changed_what(org):
    dawn = make_adult()
    services.update_person(actor=org.ada, person=dawn, known_as="Di", last_name="Smyth")
    latest = dawn.history.first()
    assert latest.history_user == org.ada and latest.known_as == "Di"
    assert dawn.last_name_key == "SM0"
    event = AuditEvent.objects.get(action=Action.UPDATE, child=dawn)
    assert event.details == {"changed": ["known_as", "last_name"]}


def test_an_expected_date_that_has_passed_does_not_block_other_changes(org):
    unborn = make_child("Unborn", date_of_birth=None,
                        expected_date_of_birth=TODAY - datetime.timedelta(days=90), sex="U")
    services.update_person(actor=org.ada, person=unborn, religion="None")
    unborn.refresh_from_db()
    assert unborn.religion == "None"


def test_disabilities_refuse_none_with_others_and_keep_the_old_set(org, child):
    services.set_disabilities(actor=org.sam, person=child, disability_codes=["AUT"])
    with pytest.raises(ValidationError) as refusal:
        services.set_disabilities(actor=org.sam, person=child, disability_codes=["NONE", "AUT"])
    assert "on its own" in refusal.value.message_dict["disabilities"][0]
    assert list(child.disabilities.values_list("code", flat=True)) == ["AUT"]
    services.set_disabilities(actor=org.sam, person=child, disability_codes=["NONE"])
    assert list(child.disabilities.values_list("code", flat=True)) == ["NONE"]


def test_addresses_are_normalised_and_moving_in_ends_the_previous_address(org, child):
    first = services.add_address(actor=org.sam, person=child, line_1="1 Road", postcode="ls1 4ab",
                                 start_date=datetime.date(2020, 1, 1))
    services.add_address(actor=org.sam, person=child, line_1="2 Lane", postcode="M11AE",
                         start_date=datetime.date(2023, 6, 1))
    first.refresh_from_db()
    assert first.postcode == "LS1 4AB" and first.end_date == datetime.date(2023, 6, 1)
    assert child.addresses.get(end_date__isnull=True).postcode == "M1 1AE"


def test_the_create_page_shows_the_error_summary_and_a_message_on_each_field(client, org):
    client.force_login(org.sam)
    data = {"kind": "child", "first_name": "Maisie", "last_name": "", "nhs_number": "123", "ethnicity": "NOPE",
            **date_fields("date_of_birth", TOMORROW), "postcode": "xyz", "line_1": "1 Road",
            "disabilities": ["NONE", "MOB"]}
    page = client.post(reverse("people:create"), data).content.decode()
    assert "There is a problem" in page
    expected = {
        "#id_last_name": "Enter the last name",
        "#id_date_of_birth_day": "Date of birth must be today or in the past",
        "#id_nhs_number": "Enter an NHS number of 10 digits",
        "#id_ethnicity": "Select an ethnicity from the census list",
        "#id_disabilities": "Select ‘No disability’ on its own",
        "#id_postcode": "Enter a real UK postcode",
    }
    for href, message in expected.items():
        assert f'href="{href}"' in page, href
        assert message in page
    assert page.count("govuk-error-message") >= len(expected)
    assert not Person.objects.exists()


def test_the_edit_page_shows_service_errors_on_the_fields(client, org, child):
    client.force_login(org.sam)
    data = {"kind": "child", "first_name": "Lily", "last_name": "Hartley", "upn": "A801200005001",
            **date_fields("date_of_birth", child.date_of_birth), **date_fields("date_of_death", TOMORROW)}
    page = client.post(reverse("people:edit", kwargs={"person_id": child.pk}), data).content.decode()
    assert 'href="#id_upn"' in page and "check letter" in page
    assert 'href="#id_date_of_death_day"' in page and "Date of death must be today or in the past" in page
    child.refresh_from_db()
    assert child.upn == "" and child.date_of_death is None
