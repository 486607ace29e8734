"""Front-door events in the child's chronology: the contact, the decision, the handover, the letter and police."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casefile.casework.chronology import chronology
from casefile.frontdoor.models import Handover, ImportBatch, NotificationPerson, PoliceNotification, ReferrerLetter
from casefile.frontdoor.services import decisions
from casefile.frontdoor.testing import decide, make_contact
from casefile.testing import make_child


def front_door_events(child):
    return [event for event in chronology(child) if event.type == "front_door" or event.type == "early_help"]


def test_a_step_down_reads_as_one_line_with_its_contact(org, child):
    contact = make_contact(child, by=org.fran, received_at=timezone.now() - datetime.timedelta(minutes=30),
                           referrer_name="Ms Patel")
    decisions.authorise_decision(actor=org.mel, decision=decide(contact.children.get(), by=org.mo,
                                                                outcome="early_help"))
    events = front_door_events(child)
    # Newest first: the step-down, the decision that made it, then the contact.
    assert [event.title for event in events] == ["Step down to early help", "Front-door decision: Early help",
                                                 "Contact received at the front door"]
    decision = events[1]
    assert "Early help provider: Family Hub North" in decision.description
    assert "Decided by Mo Mash, authorised by Mel Mash" in decision.description
    assert decision.by == "Mel Mash" and decision.significant
    assert "Ms Patel" in events[2].description and "designated" not in events[2].description.lower()
    assert "Individual" not in events[2].description  # source 2A is a school, not an individual
    assert "schools" in events[2].description.lower()


def test_a_referral_shows_the_handover_and_the_letter_to_the_referrer(org, child):
    contact = make_contact(child, by=org.fran)
    link = contact.children.get()
    decisions.authorise_decision(actor=org.mel, decision=decide(link, by=org.mo))
    Handover.objects.create(contact_child=link, to_team=org.assessment, summary="Bruising; school worried",
                            immediate_safety="Safe at school", handed_over_by=org.mo)
    ReferrerLetter.objects.create(contact=contact, body="Letter", generated_by=org.fran)  # not sent: not shown
    ReferrerLetter.objects.create(contact=contact, body="Letter", generated_by=org.fran, sent_at=timezone.now(),
                                  sent_by=org.fran, method="email")
    titles = [event.title for event in front_door_events(child)]
    assert titles == ["Referrer told the outcome", "Handed over to Assessment Team",
                      "Front-door decision: Referral for a social work assessment",
                      "Contact received at the front door"]


def test_an_unauthorised_decision_is_not_in_the_chronology(org, child):
    decide(make_contact(child, by=org.fran).children.get(), by=org.mo)
    assert [event.title for event in front_door_events(child)] == ["Contact received at the front door"]


def _notification(person, by, reference, match=NotificationPerson.Match.MATCHED, contact=None, status="confirmed"):
    batch = ImportBatch.objects.create(content_hash=reference.ljust(64, "0"), filename="p.csv", uploaded_by=by,
                                       status=status)
    row = PoliceNotification.objects.create(
        batch=batch, police_reference=reference, incident_at=timezone.now() - datetime.timedelta(days=2),
        reported_at=timezone.now(), dash_risk="high", children_present="yes", household_address="1 High Street",
        postcode="AB1 2CD", officer_name="PC Reid", summary="Shouting", first_row=2, contact=contact)
    NotificationPerson.objects.create(notification=row, row=2, role="child", first_name="L", last_name="H", sex="F",
                                      person=person, match=match)
    return row


def test_police_notifications_naming_the_child_are_shown_once(org, child):
    contact = make_contact(child, by=org.fran)
    _notification(child, org.fran, "DA/1", contact=contact)  # named and on her contact: once
    _notification(child, org.fran, "DA/2")
    _notification(child, org.fran, "DA/3", match=NotificationPerson.Match.POSSIBLE)  # not confirmed as her
    _notification(child, org.fran, "DA/4", status="discarded")
    police = [event for event in chronology(child) if event.title.startswith("Police notification")]
    assert sorted(event.title for event in police) == [
        "Police notification: domestic abuse incident (DA/1)", "Police notification: domestic abuse incident (DA/2)"]
    assert "DASH risk high" in police[0].description and police[0].significant


def _queries(org, child, how_many: int) -> int:
    for number in range(how_many):
        contact = make_contact(child, by=org.fran, received_at=timezone.now() - datetime.timedelta(days=number + 1))
        decisions.authorise_decision(actor=org.mel, decision=decide(contact.children.get(), by=org.mo, outcome="nfa"))
        ReferrerLetter.objects.create(contact=contact, body="Letter", generated_by=org.fran, sent_at=timezone.now(),
                                      sent_by=org.fran, method="email")
        _notification(child, org.fran, f"DA/{child.pk}/{number}", contact=contact)
    with CaptureQueriesContext(connection) as queries:
        events = front_door_events(child)
    assert len(events) == how_many * 4  # contact, decision, letter, police notification
    return len(queries)


def test_the_front_door_events_take_a_fixed_number_of_queries(org):
    assert _queries(org, make_child("Ann", "Few"), 2) == _queries(org, make_child("Bea", "Many"), 6)
