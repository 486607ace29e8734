"""Front-door records for tests: a contact about a child, decided, authorised or not."""

from __future__ import annotations

import datetime

from django.utils import timezone

from casefile.accounts.models import User
from casefile.casework.calendar import working_calendar
from casefile.frontdoor.models import (
    AgencyCheck,
    Consent,
    Contact,
    ContactChild,
    ImportBatch,
    NotificationPerson,
    PoliceNotification,
    ReferrerLetter,
    ThresholdDecision,
)
from casefile.frontdoor.services import contacts, decisions
from casefile.people.models import Person
from casefile.rules.working_days import working_days_in


def make_contact(*children: Person, by: User, received_at: datetime.datetime | None = None, source: str = "2A",
                 **fields) -> Contact:
    values = {"referrer_name": "Ms Patel", "referrer_role": "Designated safeguarding lead",
              "referrer_organisation": "Hillside Primary School", "referrer_email": "dsl@hillside.example",
              "summary": "Came to school with bruising to her arm and said she was scared to go home.",
              "consent_to_share": Consent.GIVEN, "consent_to_assessment": Consent.GIVEN} | fields
    return contacts.record_contact(actor=by, received_at=received_at or timezone.now() - datetime.timedelta(hours=2),
                                   source=source, children=list(children), **values)


def decide(link: ContactChild, by: User, outcome: str = "assessment", **fields) -> ThresholdDecision:
    values = {"level": "3", "criteria_applied": "Level 3: possible child in need, needs assessment",
              "circumstances": "Bruising seen by school; she says she is scared",
              "history_considered": "One earlier contact in 2024, advice given",
              "consent_position": "Mother agrees to an assessment",
              "primary_need": "N1" if outcome in ("assessment", "strategy") else "",
              "early_help_provider": "Family Hub North" if outcome == "early_help" else ""} | fields
    return decisions.record_decision(actor=by, contact_child=link, outcome=outcome, **values)


def front_door_ids(child: Person, *, front_door: User, social_worker: User, manager: User) -> dict[str, int]:
    """One of every front-door record about `child`, for the URL sweep: URL argument name -> id."""

    contact = make_contact(child, by=front_door)
    link = contact.children.get()
    decision = decide(link, by=social_worker)
    decisions.authorise_decision(actor=manager, decision=decision)
    check = AgencyCheck.objects.create(contact=contact, agency="health", asked_of="Health visiting team",
                                       requested_by=front_door)
    letter = ReferrerLetter.objects.create(contact=contact, body="Outcome letter", generated_by=front_door)
    batch = ImportBatch.objects.create(content_hash="0" * 64, filename="police.csv", uploaded_by=front_door)
    notification = PoliceNotification.objects.create(
        batch=batch, police_reference="DA/1", incident_at=timezone.now(), reported_at=timezone.now(),
        dash_risk="standard", children_present="yes", household_address="1 High Street", postcode="AB1 2CD",
        officer_name="PC Reid", summary="Argument overheard", first_row=2, contact=contact)
    NotificationPerson.objects.create(notification=notification, row=2, role="child", first_name=child.first_name,
                                      last_name=child.last_name, sex="F", person=child, match="matched")
    return {"contact_id": contact.pk, "contact_child_id": link.pk, "decision_id": decision.pk, "check_id": check.pk,
            "letter_id": letter.pk, "batch_id": batch.pk, "notification_id": notification.pk}


def working_days_ago(n: int, hour: int = 10) -> datetime.datetime:
    """10am on the working day that is `n` working days before today (counting the days after it), or now if
    that is still to come: before 10am, `working_days_ago(0)` is now, as a moment in the future is refused."""
    now = timezone.now()
    calendar, today = working_calendar(), timezone.localdate(now)
    day = today
    while not (calendar.is_working_day(day) and working_days_in(day + datetime.timedelta(days=1), today,
                                                                 calendar) == n):
        day -= datetime.timedelta(days=1)
    return min(now, datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone()))
