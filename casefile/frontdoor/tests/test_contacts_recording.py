"""Recording a contact: find the children and adults, then the details, with the consent position and the source."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casefile.frontdoor.models import Consent, Contact, ContactAdult
from casefile.people.models import Household, HouseholdMember
from casefile.rules import codes
from casefile.testing import make_adult, make_child

NEW = reverse("frontdoor:contact_new")


def details_url(*children, adults=()) -> str:
    query = "&".join([f"child={c.pk}" for c in children] + [f"adult={a.pk}" for a in adults])
    return f"{NEW}?{query}&step=details"


def form_data(**overrides) -> dict:
    # An hour ago by the clock, then in local time: an hour off the local time could fall in the hour skipped in spring.
    received = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))
    data = {"received_date_day": received.day, "received_date_month": received.month,
            "received_date_year": received.year, "received_time": f"{received:%H:%M}", "source": "2A",
            "referrer_name": "Ms Patel", "referrer_role": "DSL", "referrer_organisation": "Hillside Primary",
            "referrer_email": "dsl@hillside.example", "summary": "Bruising to her arm",
            "consent_to_share": "given", "consent_to_assessment": "given", "rag": "amber"}
    return {**data, **overrides}


def test_step_one_finds_children_and_carries_the_choices_in_the_url(client, org, child):
    brother = make_child("Jack", "Hartley", date_of_birth=datetime.date(2019, 2, 1))
    client.force_login(org.fran)
    page = client.get(NEW, {"child": child.pk, "name": "Hartley"}).content.decode()
    assert "Lily Hartley" in page and "Continue to the details" in page
    assert f"{NEW}?child={child.pk}&amp;child={brother.pk}" in page  # add Jack as a second child
    assert f"{NEW}?child={child.pk}&amp;step=details" in page


def test_step_one_hides_a_restricted_child_from_someone_not_named(client, org, child):
    hidden = make_child("Rosa", "Hartley", restriction="adoption")
    client.force_login(org.fran)
    page = client.get(NEW, {"child": hidden.pk, "name": "Hartley"}).content.decode()
    assert "Rosa" not in page
    assert "Lily Hartley" in page


def test_a_child_record_links_front_door_staff_to_record_a_contact(client, org, child):
    link = f"{NEW}?child={child.pk}"
    client.force_login(org.mo)
    assert link in client.get(reverse("people:record", kwargs={"person_id": child.pk})).content.decode()
    client.force_login(org.sam)
    assert link not in client.get(reverse("people:record", kwargs={"person_id": child.pk})).content.decode()


@pytest.mark.parametrize("position", [Consent.GIVEN, Consent.REFUSED])
def test_consent_given_or_refused_needs_no_reason(client, org, child, position):
    client.force_login(org.fran)
    response = client.post(details_url(child), form_data(consent_to_share=position, consent_to_assessment=position))
    contact = Contact.objects.get()
    assert response.status_code == 302 and response.url == reverse("frontdoor:contact",
                                                                   kwargs={"contact_id": contact.pk})
    assert contact.consent_to_share == position and contact.consent_to_assessment == position
    assert contact.rag == "amber" and contact.recorded_by == org.fran


@pytest.mark.parametrize("position", [Consent.NOT_SOUGHT, Consent.OVERRIDDEN])
def test_consent_not_sought_or_overridden_needs_a_reason_for_each_question(client, org, child, position):
    client.force_login(org.fran)
    response = client.post(details_url(child), form_data(consent_to_share=position, consent_to_assessment=position))
    assert response.status_code == 200 and not Contact.objects.exists()
    page = response.content.decode()
    assert 'href="#id_consent_to_share_reason"' in page and 'href="#id_consent_to_assessment_reason"' in page
    assert f"Enter why consent to share information was {Consent(position).label.lower()}" in page
    response = client.post(details_url(child), form_data(consent_to_share=position, consent_to_assessment=position,
                                                         consent_to_share_reason="Would put her at risk",
                                                         consent_to_assessment_reason="Would put her at risk"))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.consent_to_share_reason == "Would put her at risk"


def test_errors_are_named_per_field_and_nothing_is_saved(client, org, child):
    client.force_login(org.fran)
    response = client.post(details_url(child), form_data(source="", referrer_name="", summary="", consent_to_share=""))
    page = response.content.decode()
    assert response.status_code == 200 and not Contact.objects.exists()
    for field in ("source", "referrer_name", "summary", "consent_to_share"):
        assert f'href="#id_{field}"' in page, field
    assert "Select who made the contact, from the census list" in page


def test_a_badly_typed_time_or_email_is_named_on_its_box(client, org, child):
    client.force_login(org.fran)
    response = client.post(details_url(child), form_data(received_time="25:99", referrer_email="not-an-email"))
    page = response.content.decode()
    assert 'href="#id_received_time"' in page and 'href="#id_referrer_email"' in page
    assert "Enter the time as hours and minutes" in page
    assert not Contact.objects.exists()


def test_no_child_chosen_is_an_error_at_the_top(client, org):
    client.force_login(org.fran)
    response = client.post(f"{NEW}?step=details", form_data())
    assert "Add at least one child the contact is about" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_future_time_is_refused_on_the_date(client, org, child):
    client.force_login(org.fran)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(details_url(child), form_data(received_date_day=tomorrow.day,
                                                         received_date_month=tomorrow.month,
                                                         received_date_year=tomorrow.year))
    assert 'href="#id_received_date_day"' in response.content.decode()
    assert not Contact.objects.exists()


def test_a_time_the_clocks_skipped_is_refused_on_the_time(client, org, child, time_machine):
    # 28 March 2027: at 01:00 GMT the clocks went forward to 02:00 BST, so no clock showed 01:30.
    time_machine.move_to(datetime.datetime(2027, 3, 28, 9, tzinfo=datetime.UTC), tick=False)
    client.force_login(org.fran)
    day = {"received_date_day": 28, "received_date_month": 3, "received_date_year": 2027}
    page = client.post(details_url(child), form_data(**day, received_time="01:30")).content.decode()
    assert 'href="#id_received_time"' in page and "01:30 did not happen on that day" in page
    assert not Contact.objects.exists()
    assert client.post(details_url(child), form_data(**day, received_time="02:30")).status_code == 302
    assert Contact.objects.get().received_at == datetime.datetime(2027, 3, 28, 1, 30, tzinfo=datetime.UTC)


def test_several_children_of_one_household_with_adults_and_their_roles(client, org, child):
    brother = make_child("Jack", "Hartley", date_of_birth=datetime.date(2019, 2, 1))
    mother = make_adult()
    household = Household.objects.create(name="Hartley family")
    for person in (child, brother, mother):
        HouseholdMember.objects.create(household=household, person=person)
    client.force_login(org.fran)
    url = details_url(child, brother, adults=[mother])
    page = client.get(url).content.decode()
    assert "How is Dawn Hartley involved?" in page and "Hartley family" in page
    response = client.post(url, form_data(household=household.pk))
    assert 'href="#id_role_' in response.content.decode()  # the adult's role is required
    response = client.post(url, form_data(household=household.pk, **{f"role_{mother.pk}": "mother"}))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert [link.child for link in contact.children.order_by("pk")] == [child, brother]
    assert contact.household == household
    assert ContactAdult.objects.get(contact=contact).role == "mother"


@pytest.mark.parametrize("source", sorted(codes.REFERRAL_SOURCE))
def test_every_census_source_can_be_recorded(client, org, child, source):
    client.force_login(org.fran)
    name = "" if source in ("9", "10") else "Ms Patel"  # anonymous and unknown referrers have no name
    response = client.post(details_url(child), form_data(source=source, referrer_name=name))
    assert response.status_code == 302
    assert Contact.objects.get().source == source


def test_the_source_list_offers_all_22_census_codes(client, org, child):
    client.force_login(org.fran)
    page = client.get(details_url(child)).content.decode()
    assert len(codes.REFERRAL_SOURCE) == 22
    for code in codes.REFERRAL_SOURCE:
        assert f'<option value="{code}"' in page


def test_outsiders_cannot_record_contacts(client, org, child):
    for user in (org.ola, org.sam):
        client.force_login(user)
        assert client.get(NEW).status_code == 404
        assert client.post(details_url(child), form_data()).status_code == 404
    assert not Contact.objects.exists()


def test_a_mistyped_email_and_a_missing_summary_are_shown_together(client, org, child):
    client.force_login(org.fran)
    response = client.post(details_url(child), form_data(referrer_email="not-an-email", summary="",
                                                         received_time="25:99", consent_to_share="not_sought"))
    summary = response.content.decode().split('class="govuk-error-summary"')[1].split("</ul>")[0]
    for field in ("referrer_email", "summary", "received_time", "consent_to_share_reason"):
        assert f'href="#id_{field}' in summary, field
    assert "#id_received_date" not in summary  # the time is already questioned: no second message about the moment
    assert not Contact.objects.exists()


def test_a_missing_role_is_shown_on_that_adults_box_even_when_two_adults_share_a_name(client, org, child):
    """The service keys the message by the adult's role box; nothing matches on the message's words."""
    first, second = make_adult(), make_adult()
    assert str(first) == str(second)
    client.force_login(org.fran)
    response = client.post(details_url(child, adults=[first, second]), form_data(**{f"role_{first.pk}": "mother"}))
    page = response.content.decode()
    assert f'href="#id_role_{second.pk}"' in page and f'href="#id_role_{first.pk}"' not in page
    assert page.count(f"Enter how {second} is involved") == 2  # the summary and the box
    assert not Contact.objects.exists()


def test_a_referrer_name_that_could_never_be_found_is_refused_saying_why(client, org, child):
    client.force_login(org.fran)
    page = client.post(details_url(child), form_data(referrer_name="Ms Pa\u200btel")).content.decode()
    assert 'href="#id_referrer_name"' in page
    assert "Referrer’s name must not contain an invisible character, zero width space (U+200B)" in page
    assert not Contact.objects.exists()
