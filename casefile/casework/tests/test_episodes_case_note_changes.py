"""Changing a case note: the earlier version stays in its history, the change is audited, and the note's page
says when it was changed and by whom."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework.services import episodes as services

D = datetime.date


@pytest.fixture
def note(org, child):
    return services.record_case_note(actor=org.sam, child=child, date=D(2024, 3, 4), subject="Call from school",
                                     body="Attendance improving.")


def change_url(child, note) -> str:
    return reverse("casework:change_case_note", kwargs={"person_id": child.pk, "case_note_id": note.pk})


def note_url(child, note) -> str:
    return reverse("casework:case_note", kwargs={"person_id": child.pk, "case_note_id": note.pk})


CHANGES = {"date_day": "5", "date_month": "3", "date_year": "2024", "subject": "Call from school nurse",
           "body": "Attendance improving. Nurse to visit.", "significant": "on"}


def test_changing_a_note_keeps_the_earlier_version_in_its_history(org, child, note):
    services.change_case_note(actor=org.tess, note=note, date=D(2024, 3, 5), subject="Call from school nurse",
                              body="Attendance improving. Nurse to visit.", significant=True)
    note.refresh_from_db()
    assert note.subject == "Call from school nurse" and note.significant and note.date == D(2024, 3, 5)
    latest, original = note.history.all()[:2]
    assert original.subject == "Call from school" and original.body == "Attendance improving."
    assert original.history_user == org.sam and latest.history_user == org.tess


def test_changing_a_note_is_audited_with_the_fields_changed(org, child, note):
    services.change_case_note(actor=org.sam, note=note, date=D(2024, 3, 4), subject="Call from school",
                              body="Attendance improving since March.", significant=False)
    event = AuditEvent.objects.get(action=Action.UPDATE, subject_type="casework.casenote")
    assert event.child == child and event.actor == org.sam and event.details == {"changed": ["body"]}


def test_it_refuses_a_change_that_empties_the_note_and_saves_nothing(org, child, note):
    with pytest.raises(ValidationError) as raised:
        services.change_case_note(actor=org.sam, note=note, date=None, subject=" ", body="")
    assert raised.value.message_dict == {"date": ["Enter the date of the note"],
                                         "subject": ["Enter a subject, for example Phone call from school"],
                                         "body": ["Enter the note"]}
    note.refresh_from_db()
    assert note.subject == "Call from school" and note.history.count() == 1


def test_the_change_page_saves_and_the_note_shows_who_changed_it(client, org, child, note):
    client.force_login(org.tess)
    assert "Call from school" in client.get(change_url(child, note)).content.decode()
    response = client.post(change_url(child, note), CHANGES)
    assert response.status_code == 302 and response.url == note_url(child, note)
    content = client.get(note_url(child, note)).content.decode()
    assert "Call from school nurse" in content and "Changed on" in content and f"by {org.tess}" in content


def test_an_unchanged_note_does_not_say_it_was_changed(client, org, child, note):
    client.force_login(org.sam)
    content = client.get(note_url(child, note)).content.decode()
    assert "Changed on" not in content and change_url(child, note) in content


def test_an_outsider_gets_not_found_on_the_change_page(client, org, child, note):
    client.force_login(org.ola)
    assert client.get(change_url(child, note)).status_code == 404
    assert client.post(change_url(child, note), CHANGES).status_code == 404
    note.refresh_from_db()
    assert note.subject == "Call from school"
