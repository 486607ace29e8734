"""Staging a police file, matching its people to records, and confirming it as contacts: all or nothing."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from casefile.audit.models import Action, AuditEvent
from casefile.frontdoor.models import Consent, Contact, ContactAdult, ContactChild, ImportBatch, NotificationPerson
from casefile.frontdoor.services import imports
from casefile.frontdoor.tests.test_police_files import csv_bytes, example_bytes, household, incident, person
from casefile.people.models import Address, Person
from casefile.testing import make_adult, make_child


def row_counts() -> dict[str, int]:
    """Every model's row count, the audit trail included."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def record_counts() -> dict[str, int]:
    """Every model's row count but the change history and the audit trail, which record what was tried."""
    return {label: count for label, count in row_counts().items()
            if ".Historical" not in label and label not in ("audit.AuditEvent", "core.Job")}


def stage(org, data: bytes, filename: str = "police.csv") -> ImportBatch:
    return imports.stage_file(actor=org.fran, data=data, filename=filename)


def test_staging_the_example_keeps_every_incident_and_person_for_the_preview(org):
    batch = stage(org, example_bytes(), "2026-11-21.csv")
    assert (batch.status, batch.incident_count, batch.person_count) == ("staged", 3, 12)
    assert batch.already_imported is False
    first = batch.notifications.order_by("first_row")[0]
    assert (first.police_reference, first.dash_risk, first.postcode, first.first_row) == (
        "WYP/26/004512", "high", "LS6 2AB", 2)
    assert [p.role for p in first.people.all()] == ["victim", "perpetrator", "child", "child"]
    assert set(NotificationPerson.objects.values_list("match", flat=True)) == {"new"}
    assert Contact.objects.count() == 0  # nothing reaches the front door until someone confirms
    event = AuditEvent.objects.filter(action=Action.IMPORT).get()
    assert event.details["staged"] is True and event.details["incidents"] == 3


def test_an_existing_child_is_matched_by_name_and_date_of_birth(org):
    lily = make_child("Lily", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    make_child("Lily", "Hartley", date_of_birth=datetime.date(2012, 1, 1))
    batch = stage(org, example_bytes())
    entry = NotificationPerson.objects.get(notification__batch=batch, first_name="Lily")
    assert (entry.match, entry.person) == ("matched", lily)


def test_two_similar_records_are_possible_matches_with_the_reasons(org):
    one = make_child("Lily", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    two = make_child("Lilly", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    stage(org, example_bytes())
    entry = NotificationPerson.objects.get(first_name="Lily")
    assert entry.match == "possible" and entry.person is None
    assert {candidate["id"] for candidate in entry.candidates} == {one.pk, two.pk}
    best = entry.candidates[0]
    assert best["id"] == one.pk and best["dob"] == "2017-05-30" and "same date of birth" in best["reasons"]


def test_an_adult_record_is_not_offered_for_a_child(org):
    make_adult("Lily", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    stage(org, example_bytes())
    assert NotificationPerson.objects.get(first_name="Lily").match == "new"


def test_the_same_file_again_returns_the_same_batch_and_writes_nothing(org):
    batch = stage(org, example_bytes())
    before = row_counts()
    again = stage(org, example_bytes(), "renamed.csv")
    assert again.pk == batch.pk and again.already_imported is True
    assert row_counts() == before


def test_a_discarded_file_can_be_staged_again(org):
    batch = stage(org, example_bytes())
    imports.discard_batch(actor=org.fran, batch=batch)
    again = stage(org, example_bytes())
    assert again.pk != batch.pk and again.status == "staged"


def test_incidents_already_imported_are_refused_by_row_and_column(org):
    stage(org, csv_bytes(household("DA/1")))
    with pytest.raises(imports.ImportRefused) as refused:
        stage(org, csv_bytes(household("DA/2", surname="Reid"), household("DA/1")))
    [error] = refused.value.errors
    assert (error.row, error.column) == (5, "police_reference")
    assert "DA/1 is already in police.csv" in error.message


def test_an_incident_with_no_child_is_refused(org):
    data = csv_bytes(incident("DA/9", person("victim", "Jo", "Bell", "1990-01-01"),
                              person("perpetrator", "Al", "Bell", "1989-01-01", "M")))
    with pytest.raises(imports.ImportRefused) as refused:
        stage(org, data)
    [error] = refused.value.errors
    assert (error.row, error.column) == (2, "person_role") and "No child named" in error.message


def test_a_refused_file_writes_only_one_audit_event(org):
    before = row_counts()
    bad = example_bytes().replace(b",high,", b",severe,", 1)
    with pytest.raises(imports.ImportRefused) as refused:
        stage(org, bad, "bad.csv")
    assert any(error.column == "dash_risk" and error.row == 2 for error in refused.value.errors)
    after = row_counts()
    assert after.pop("audit.AuditEvent") == before.pop("audit.AuditEvent") + 1
    assert after == before
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.child, event.details) == (
        Action.IMPORT, None, {"refused": True, "errors": len(refused.value.errors), "filename": "bad.csv"})


def _resolve_all_new(batch: ImportBatch) -> dict[int, int | None]:
    return {entry.pk: None for entry in NotificationPerson.objects.filter(notification__batch=batch, match="possible")}


def test_confirming_creates_a_contact_per_incident_with_new_records(org):
    batch = stage(org, example_bytes())
    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={})
    batch.refresh_from_db()
    assert (batch.status, batch.decided_by) == ("confirmed", org.fran)
    assert Contact.objects.count() == 3
    contact = Contact.objects.get(police_notification__police_reference="WYP/26/004512")
    assert contact.received_at == batch.uploaded_at and contact.source == "6"
    assert (contact.referrer_name, contact.referrer_organisation) == ("PC 4471 Amir Khan", "Police")
    assert contact.consent_to_share == Consent.NOT_SOUGHT and "safeguarding duties" in contact.consent_to_share_reason
    assert contact.rag == "red" and "DASH risk: High" in contact.summary and "14 Elm Grove" in contact.summary
    assert "Incident on 20 November 2026 at 10:40pm." in contact.summary  # GOV.UK style, not 20/11/2026
    children = [link.child for link in contact.children.all()]
    assert sorted(c.first_name for c in children) == ["Lily", "Noah"]
    assert all(c.kind == Person.Kind.CHILD for c in children)
    assert {(a.person.first_name, a.role) for a in contact.adults.all()} == {("Jodie", "Victim"),
                                                                            ("Dean", "Perpetrator")}
    reid = Person.objects.get(first_name="Marcus")
    assert reid.kind == Person.Kind.ADULT and reid.date_of_birth is None and reid.sex == "M"
    assert Person.objects.count() == 12
    unborn = Person.objects.get(first_name="Unborn", last_name="Okafor")
    assert unborn.is_unborn and unborn.expected_date_of_birth == datetime.date(2027, 3, 2) and unborn.sex == "U"
    assert Person.objects.get(first_name="Lily").nhs_number == "9434765919"
    creates = AuditEvent.objects.filter(action=Action.CREATE, subject_type="frontdoor.contact")
    assert creates.count() == 5  # one per child on each contact
    confirmed = AuditEvent.objects.get(action=Action.IMPORT, details__confirmed=True)
    assert sorted(confirmed.details["new_people"]) == sorted(Person.objects.values_list("pk", flat=True))
    assert reid.last_name_key and reid.history.get().history_user == org.fran  # as if saved one by one
    assert contact.police_notification.history.latest().contact_id == contact.pk


def test_confirming_links_matched_people_and_creates_no_duplicate(org):
    lily = make_child("Lily", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    batch = stage(org, example_bytes())
    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={})
    assert Person.objects.filter(first_name="Lily", last_name="Marsh").count() == 1
    assert ContactChild.objects.filter(child=lily).count() == 1


@pytest.mark.parametrize("choose_existing", [True, False])
def test_a_possible_match_is_resolved_to_the_chosen_record_or_a_new_one(org, choose_existing):
    one = make_child("Lily", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    make_child("Lilly", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    batch = stage(org, example_bytes())
    entry = NotificationPerson.objects.get(first_name="Lily")
    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={entry.pk: one.pk if choose_existing else None})
    link = ContactChild.objects.get(child__first_name="Lily", contact__police_notification__isnull=False)
    assert (link.child == one) is choose_existing
    entry.refresh_from_db()
    assert entry.person == link.child


def test_every_possible_match_must_be_resolved(org):
    make_child("Lily", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    make_child("Lilly", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    batch = stage(org, example_bytes())
    entry = NotificationPerson.objects.get(first_name="Lily")
    with pytest.raises(ValidationError) as refused:
        imports.confirm_batch(actor=org.fran, batch=batch, resolutions={})
    assert "Lily Marsh (row 4)" in refused.value.message_dict[f"person_{entry.pk}"][0]
    assert Contact.objects.count() == 0


def test_a_record_not_offered_cannot_be_chosen(org):
    make_child("Lily", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    make_child("Lilly", "Marsh", date_of_birth=datetime.date(2017, 5, 30))
    stranger = make_child("Amy", "Stone")
    batch = stage(org, example_bytes())
    entry = NotificationPerson.objects.get(first_name="Lily")
    with pytest.raises(ValidationError):
        imports.confirm_batch(actor=org.fran, batch=batch, resolutions={entry.pk: stranger.pk})


def test_confirming_is_all_or_nothing(org, monkeypatch):
    batch = stage(org, example_bytes())
    before = record_counts()
    real = imports.contact_summary
    calls = []

    def blank_second(notification):
        # The second incident's contact has no summary, so record_contacts refuses it.
        calls.append(1)
        return "" if len(calls) == 2 else real(notification)

    monkeypatch.setattr(imports, "contact_summary", blank_second)
    with pytest.raises(ValidationError) as refused:
        imports.confirm_batch(actor=org.fran, batch=batch, resolutions={})
    assert "Row 6, police_reference WYP/26/004530" in refused.value.messages[0]
    assert record_counts() == before
    assert Contact.objects.count() == ContactChild.objects.count() == ContactAdult.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == "staged"


def test_a_confirmed_batch_cannot_be_confirmed_or_discarded_again(org):
    batch = stage(org, example_bytes())
    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={})
    with pytest.raises(ValidationError):
        imports.confirm_batch(actor=org.fran, batch=batch, resolutions={})
    with pytest.raises(ValidationError):
        imports.discard_batch(actor=org.fran, batch=batch)
    assert Contact.objects.count() == 3


def test_household_incidents_count_shared_people_and_same_address_in_the_window(org):
    first = stage(org, csv_bytes(household("DA/1", incident_datetime="2026-01-10T10:00",
                                           reported_datetime="2026-01-10T11:00")))
    imports.confirm_batch(actor=org.fran, batch=first, resolutions={})
    # Same people (matched by name and date of birth) at a new address.
    second = stage(org, csv_bytes(household("DA/2", household_address="2 New Road, Leeds", postcode="LS1 4AB",
                                            incident_datetime="2026-06-10T10:00",
                                            reported_datetime="2026-06-10T11:00")))
    # Different people, same address written differently.
    third = stage(org, csv_bytes(household("DA/3", surname="Okafor", household_address="14  ELM GROVE., Leeds",
                                           incident_datetime="2026-07-10T10:00", reported_datetime="2026-07-10T11:00")))
    # An old incident at the address, outside the 12 months.
    old = stage(org, csv_bytes(household("DA/0", surname="Stone", incident_datetime="2025-03-01T10:00",
                                         reported_datetime="2025-03-01T11:00")))
    imports.confirm_batch(actor=org.fran, batch=second, resolutions=_resolve_all_new(second))
    notifications = {n.police_reference: n for n in
                     imports.PoliceNotification.objects.prefetch_related("people")}
    counts = imports.household_incidents(list(notifications.values()), today=datetime.date(2026, 11, 20))
    assert counts[notifications["DA/2"].pk] == 2  # DA/1 shares the people
    assert counts[notifications["DA/3"].pk] == 2  # DA/1 shares the address; DA/0 is too old
    assert counts[notifications["DA/1"].pk] == 3
    at_incident = imports.household_incidents([notifications["DA/1"]])
    assert at_incident[notifications["DA/1"].pk] == 2  # DA/0 was within 12 months of DA/1; later ones do not count
    assert old.pk and third.pk
    assert Address.objects.count() == 0


def test_the_suggested_rag_counts_earlier_incidents_at_the_household(org):
    for number, month in enumerate((2, 5), start=1):
        batch = stage(org, csv_bytes(household(f"DA/{number}", children_present="no",
                                               incident_datetime=f"2026-0{month}-10T10:00",
                                               reported_datetime=f"2026-0{month}-10T11:00")))
        imports.confirm_batch(actor=org.fran, batch=batch, resolutions={})
    third = stage(org, csv_bytes(household("DA/3", children_present="no")))
    imports.confirm_batch(actor=org.fran, batch=third, resolutions={})
    rags = dict(Contact.objects.values_list("police_notification__police_reference", "rag"))
    assert rags == {"DA/1": "green", "DA/2": "amber", "DA/3": "red"}


def test_a_batch_confirmed_elsewhere_meanwhile_is_not_confirmed_twice(org):
    batch = imports.stage_file(actor=org.fran, data=example_bytes(), filename="police.csv")
    stale = ImportBatch.objects.get(pk=batch.pk)  # what a second tab loaded before the first one confirmed
    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={})
    contacts = Contact.objects.count()
    assert contacts > 0 and stale.status == ImportBatch.Status.STAGED
    with pytest.raises(ValidationError, match="imported"):
        imports.confirm_batch(actor=org.fran, batch=stale, resolutions={})
    assert Contact.objects.count() == contacts


def test_every_new_record_from_an_import_has_its_own_audit_event_and_the_chain_holds(org):
    from casefile.audit.verify import first_broken_link

    batch = imports.stage_file(actor=org.fran, data=example_bytes(), filename="police.csv")
    imports.confirm_batch(actor=org.fran, batch=batch, resolutions={})
    new_people = Person.objects.filter(created_by=org.fran)
    assert new_people.exists()
    for created in new_people:
        event = AuditEvent.objects.get(action=Action.CREATE, subject_type="people.person", subject_id=str(created.pk))
        assert event.child_id == created.pk and event.details["batch"] == batch.pk
    checked, broken = first_broken_link()
    assert broken is None and checked == AuditEvent.objects.count()
