"""The outcome letter to the referrer: written from authorised decisions, exported as a tagged PDF, marked sent,
and listed when the referrer has not been told in time."""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from casefile.audit.models import Action, AuditEvent
from casefile.frontdoor.models import ReferrerLetter, ThresholdDecision
from casefile.frontdoor.services import decisions, letters
from casefile.frontdoor.testing import decide, make_contact, working_days_ago
from casefile.testing import make_child

OVERDUE = reverse("frontdoor:letters_overdue")


def letter_url(contact):
    return reverse("frontdoor:letter", kwargs={"contact_id": contact.pk})


def decided(org, *children, outcome="assessment", authorised_at=None, **fields):
    contact = make_contact(*children, by=org.fran, **fields)
    for link in contact.children.all():
        decision = decisions.authorise_decision(actor=org.mel, decision=decide(link, by=org.mo, outcome=outcome))
        if authorised_at:
            ThresholdDecision.objects.filter(pk=decision.pk).update(authorised_at=authorised_at)
    return contact


def test_the_letter_says_the_outcome_and_what_next_without_the_rationale(client, org, child):
    contact = decided(org, child)
    client.force_login(org.fran)
    response = client.post(letter_url(contact), follow=True)
    letter = ReferrerLetter.objects.get(contact=contact)
    for expected in ("Dear Ms Patel", "Thank you for contacting", "Lily Hartley (born 14 May 2016)",
                     "a social worker will assess Lily’s needs", "If you think a child is in immediate danger"):
        assert expected in letter.body, expected
    for confidential in ("Bruising seen by school", "One earlier contact in 2024", "Level 3"):
        assert confidential not in letter.body  # the rationale and history stay in the record
    assert "a social worker will assess Lily’s needs" in response.content.decode()


def test_no_letter_until_every_decision_is_authorised_nor_for_an_anonymous_source(client, org, child):
    brother = make_child("Jack", "Hartley")
    contact = make_contact(child, brother, by=org.fran)
    first, _second = contact.children.all()
    decisions.authorise_decision(actor=org.mel, decision=decide(first, by=org.mo, outcome="nfa"))
    client.force_login(org.fran)
    assert "still waiting for Jack" in client.post(letter_url(contact), follow=True).content.decode()
    anonymous = decided(org, make_child("Ann", "Nonymous"), source="9", referrer_name="")
    client.post(letter_url(anonymous))
    assert not ReferrerLetter.objects.exists()
    assert "nobody to tell the outcome" in client.get(letter_url(anonymous)).content.decode()


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_pdf_is_tagged_says_the_outcome_and_is_audited_per_child(client, org, child):
    brother = make_child("Jack", "Hartley")
    contact = decided(org, child, brother, outcome="early_help")
    letter = letters.generate_letter(actor=org.fran, contact=contact)
    client.force_login(org.fran)
    response = client.get(reverse("frontdoor:letter_pdf", kwargs={"letter_id": letter.pk}))
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "no-store"
    assert "Hartley" not in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in ("Outcome of your contact", "Dear Ms Patel", "the family has been offered early help",
                     "Family Hub North will contact the family", "Jack Hartley", "OFFICIAL-SENSITIVE"):
        assert expected in text, expected
    catalog = pypdf.PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "en-GB"
    exports = AuditEvent.objects.filter(action=Action.EXPORT, actor=org.fran)
    assert {event.child_id for event in exports} == {child.pk, brother.pk}


def test_recording_the_letter_as_sent(client, org, child):
    contact = decided(org, child)
    letter = letters.generate_letter(actor=org.fran, contact=contact)
    sent_url = reverse("frontdoor:letter_sent", kwargs={"letter_id": letter.pk})
    client.force_login(org.fran)
    page = client.post(sent_url, {"sent_on_day": "1", "sent_on_month": "1", "sent_on_year": "2099"}).content.decode()
    assert "Select how the letter was sent" in page and "must be today or in the past" in page
    today = timezone.localdate()
    response = client.post(sent_url, {"method": "email", "sent_on_day": today.day, "sent_on_month": today.month,
                                      "sent_on_year": today.year})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.method == "email" and letter.sent_by == org.fran
    assert timezone.localtime(letter.sent_at).date() == today
    assert "Sent" in client.get(letter_url(contact)).content.decode()


def test_referrers_not_told_lists_a_contact_authorised_four_working_days_ago(client, org, child):
    late = decided(org, child, authorised_at=working_days_ago(4))
    told = decided(org, make_child("Tom", "Told"), authorised_at=working_days_ago(6))
    letter = letters.generate_letter(actor=org.fran, contact=told)
    letters.record_sent(actor=org.fran, letter=letter, method="post", sent_at=timezone.now())
    decided(org, make_child("Ann", "Recent"), authorised_at=working_days_ago(2))
    decided(org, make_child("Ann", "Nonymous"), authorised_at=working_days_ago(8), source="10", referrer_name="")
    decided(org, make_child("Rosa", "Quill", restriction="adoption"), authorised_at=working_days_ago(8))
    older = decided(org, make_child("Otto", "Older"), authorised_at=working_days_ago(7))
    unsent = decided(org, make_child("Una", "Unsent"), authorised_at=working_days_ago(5))
    letters.generate_letter(actor=org.fran, contact=unsent)  # written but not sent: still not told
    client.force_login(org.fran)
    page = client.get(OVERDUE).content.decode()
    for absent in ("Tom Told", "Ann Recent", "Ann Nonymous", "Quill"):
        assert absent not in page, absent
    assert page.index(letter_url(older)) < page.index(letter_url(unsent)) < page.index(letter_url(late))


def test_a_contact_with_a_decision_still_waiting_is_not_listed(client, org, child):
    brother = make_child("Jack", "Hartley")
    contact = make_contact(child, brother, by=org.fran)
    first, _second = contact.children.all()
    decision = decisions.authorise_decision(actor=org.mel, decision=decide(first, by=org.mo, outcome="nfa"))
    ThresholdDecision.objects.filter(pk=decision.pk).update(authorised_at=working_days_ago(6))
    client.force_login(org.fran)
    assert letter_url(contact) not in client.get(OVERDUE).content.decode()


@pytest.mark.parametrize("name", ["ola", "sam"])
def test_people_outside_the_front_door_get_not_found(client, org, child, name):
    contact = decided(org, child)
    letter = letters.generate_letter(actor=org.fran, contact=contact)
    client.force_login(getattr(org, name))
    for url in (letter_url(contact), reverse("frontdoor:letter_pdf", kwargs={"letter_id": letter.pk}), OVERDUE):
        assert client.get(url).status_code == 404
    assert client.post(reverse("frontdoor:letter_sent", kwargs={"letter_id": letter.pk}),
                       {"method": "email"}).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_referrers_not_told_covers_the_last_three_months_only(client, org, child):
    long_ago = timezone.now() - datetime.timedelta(days=130)
    decided(org, make_child("Ola", "Longago"), authorised_at=long_ago, received_at=long_ago)
    recent = decided(org, child, authorised_at=working_days_ago(10))
    client.force_login(org.fran)
    page = client.get(OVERDUE).content.decode()
    assert letter_url(recent) in page
    assert "Longago" not in page
    assert "in the last three months" in page
