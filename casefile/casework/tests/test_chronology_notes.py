"""Workers mark events significant or not and add analysis: audited, with history, by those who may edit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework.chronology import entries, save_note
from casefile.casework.models import ChronologyNote
from casefile.casework.testing import make_journey
from casefile.quality.models import CaseSample


@pytest.fixture
def journey(org, child):
    return make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)


def note_url(child, key, query=""):
    url = reverse("people:chronology_note", kwargs={"person_id": child.pk})
    return f"{url}?event={key}" + (f"&{query}" if query else "")


def chronology_url(child):
    return reverse("people:chronology", kwargs={"person_id": child.pk})


def _entry(child, key):
    return next(entry for entry in entries(child) if entry.event.key == key)


def test_a_worker_adds_analysis_and_marks_a_routine_visit_significant(client, org, child, journey):
    key = f"visit:{journey.visit.pk}"
    client.force_login(org.sam)
    page = client.get(note_url(child, key)).content.decode()
    assert "Child protection visit" in page and "Events like this are usually not significant" in page
    response = client.post(note_url(child, key), {
        "significant": "yes", "analysis": "Lily spoke about breakfast for the first time.\n\nA sign of change."})
    assert response.status_code == 302
    assert response.url == chronology_url(child) + f"#event-visit-{journey.visit.pk}"
    note = ChronologyNote.objects.get(child=child, event_key=key)
    assert note.significant is True and note.updated_by == org.sam
    entry = _entry(child, key)
    assert entry.significant and entry.significance_changed
    assert entry.analysis_paragraphs == ["Lily spoke about breakfast for the first time.", "A sign of change."]
    event = AuditEvent.objects.get(action=Action.CREATE, subject_type="casework.chronologynote")
    assert (event.actor, event.child, event.subject_id) == (org.sam, child, str(note.pk))
    assert event.details == {"event_key": key, "significant": True, "significance_changed": True,
                             "analysis_changed": True}
    page = client.get(chronology_url(child)).content.decode()
    assert "A sign of change." in page and "Set by a worker" in page


def test_changing_analysis_keeps_its_history_and_is_audited_as_a_change(org, child, journey):
    key = f"strategy:{journey.strategy_discussion.pk}"
    save_note(actor=org.sam, child=child, event_key=key, significant=True, analysis="First thoughts")
    save_note(actor=org.tess, child=child, event_key=key, significant=True, analysis="Manager's view")
    note = ChronologyNote.objects.get(child=child, event_key=key)
    assert note.analysis == "Manager's view" and note.updated_by == org.tess
    assert [h.analysis for h in note.history.order_by("history_id")] == ["First thoughts", "Manager's view"]
    assert [h.history_user for h in note.history.order_by("history_id")] == [org.sam, org.tess]
    assert AuditEvent.objects.filter(action=Action.UPDATE, subject_type="casework.chronologynote",
                                     actor=org.tess).count() == 1


def test_agreeing_with_the_default_stores_no_override(org, child, journey):
    key = f"strategy:{journey.strategy_discussion.pk}"  # significant by default
    note = save_note(actor=org.sam, child=child, event_key=key, significant=True, analysis="Key decision")
    assert note.significant is None
    assert _entry(child, key).significant and not _entry(child, key).significance_changed
    save_note(actor=org.sam, child=child, event_key=key, significant=False, analysis="Key decision")
    assert _entry(child, key).significant is False


def test_saving_the_same_note_again_writes_nothing(org, child, journey):
    key = f"visit:{journey.visit.pk}"
    save_note(actor=org.sam, child=child, event_key=key, significant=False, analysis="Routine")
    save_note(actor=org.sam, child=child, event_key=key, significant=False, analysis="Routine")
    assert ChronologyNote.objects.get(child=child, event_key=key).history.count() == 1
    assert AuditEvent.objects.filter(subject_type="casework.chronologynote").count() == 1


def test_a_note_must_be_about_an_event_in_this_childs_chronology(org, child, journey):
    with pytest.raises(ValidationError) as error:
        save_note(actor=org.sam, child=child, event_key="visit:999999", significant=True, analysis="")
    assert error.value.message_dict == {"event_key": ["Choose an event from this chronology"]}
    assert not ChronologyNote.objects.exists()


def test_analysis_that_is_too_long_is_refused_with_a_message(client, org, child, journey):
    key = f"visit:{journey.visit.pk}"
    client.force_login(org.sam)
    page = client.post(note_url(child, key), {"significant": "no", "analysis": "x" * 10_001}).content.decode()
    assert "Analysis must be 10,000 characters or fewer" in page
    page = client.post(note_url(child, key), {"analysis": "Something"}).content.decode()
    assert "Select yes if this is a significant event" in page
    assert not ChronologyNote.objects.exists()


def test_the_page_links_to_add_analysis_only_for_those_who_may_edit(client, org, child, journey):
    CaseSample.objects.create(child=child, officer=org.quinn)  # Quinn may see the record, not change it
    link = reverse("people:chronology_note", kwargs={"person_id": child.pk})
    client.force_login(org.sam)
    assert link in client.get(chronology_url(child)).content.decode()
    client.force_login(org.quinn)
    page = client.get(chronology_url(child))
    assert page.status_code == 200 and link not in page.content.decode()
    key = f"visit:{journey.visit.pk}"
    assert client.get(note_url(child, key)).status_code == 404
    assert client.post(note_url(child, key), {"significant": "yes", "analysis": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        save_note(actor=org.quinn, child=child, event_key=key, significant=True, analysis="x")
    assert not ChronologyNote.objects.exists()


def test_an_unknown_event_is_not_found(client, org, child, journey):
    client.force_login(org.sam)
    assert client.get(note_url(child, "visit:999999")).status_code == 404
    assert client.get(reverse("people:chronology_note", kwargs={"person_id": child.pk})).status_code == 404


def test_saving_returns_to_the_filtered_chronology(client, org, child, journey):
    key = f"visit:{journey.visit.pk}"
    client.force_login(org.sam)
    page = client.get(chronology_url(child), {"type": "visit"}).content.decode()
    assert f"?event={key.replace(':', '%3A')}&amp;type=visit" in page
    response = client.post(note_url(child, key, "type=visit&evil=1"), {"significant": "no", "analysis": "Fine"})
    assert response.url == chronology_url(child) + f"?type=visit#event-visit-{journey.visit.pk}"
