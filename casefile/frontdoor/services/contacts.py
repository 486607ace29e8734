"""Writes for contacts: recording one, who holds it and its RAG rating, and concluding it when every child on it
has left the front door.

Like every service here: keyword-only arguments with `actor` (and optional `request`); every problem is
collected and raised at once as a ValidationError keyed by field; then one transaction writes the rows, tells
django-simple-history who made the change and appends an audit event per child.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from casefile.access.policy import works_at_front_door
from casefile.accounts.models import User
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record, record_many
from casefile.core.services import Errors, save_with_history
from casefile.frontdoor.models import CONSENT_NEEDS_REASON, Consent, Contact, ContactAdult, ContactChild, RagRating
from casefile.people.models import Household, Person
from casefile.rules import codes, names, text_limits

CONSENT_QUESTIONS = {
    "consent_to_share": "consent to share information",
    "consent_to_assessment": "consent to an assessment",
}


def _text(value) -> str:
    return (value or "").strip()


def _check_consent(errors: Errors, values: dict) -> None:
    for field, what in CONSENT_QUESTIONS.items():
        position, reason = values[field], values[f"{field}_reason"]
        if position not in Consent.values:
            errors.add(field, f"Select the position on {what}: given, refused, not sought or overridden")
        elif position in CONSENT_NEEDS_REASON and not reason:
            label = Consent(position).label.lower()
            errors.add(f"{field}_reason", f"Enter why {what} was {label}")


def role_field(adult: Person) -> str:
    """The key a missing role is reported under: the form's box for that adult's role has the same name."""
    return f"role_{adult.pk}"


def _check_people(errors: Errors, children: Sequence[Person], adults: Sequence[tuple[Person, str]]) -> None:
    if not children:
        errors.add("children", "Add at least one child the contact is about")
    for child in children:
        if child.kind != Person.Kind.CHILD or child.merged_into_id is not None:
            errors.add("children", f"{child} is not a child’s current record: choose the child’s own record")
    if len({child.pk for child in children}) != len(children):
        errors.add("children", "Each child can be added to a contact once")
    for adult, role in adults:
        if adult.kind != Person.Kind.ADULT:
            errors.add("adults", f"{adult} is a child: add them as a child the contact is about")
        if not _text(role):
            errors.add(role_field(adult),
                       f"Enter how {adult} is involved, for example ‘mother’ or ‘alleged perpetrator’")


def record_contact(*, actor: User, request=None, received_at: datetime.datetime | None, source: str,
                   children: Sequence[Person], summary: str, consent_to_share: str, consent_to_assessment: str,
                   consent_to_share_reason: str = "", consent_to_assessment_reason: str = "",
                   adults: Sequence[tuple[Person, str]] = (), household: Household | None = None,
                   referrer_name: str = "", referrer_role: str = "", referrer_organisation: str = "",
                   referrer_email: str = "", referrer_phone: str = "", referrer_address: str = "",
                   rag: str = "", holder: User | None = None) -> Contact:
    """A contact about one or several children of a household, with who made it and the consent position."""
    values = _values(
        received_at=received_at, source=source, summary=summary, consent_to_share=consent_to_share,
        consent_to_share_reason=consent_to_share_reason, consent_to_assessment=consent_to_assessment,
        consent_to_assessment_reason=consent_to_assessment_reason, household=household,
        referrer_name=referrer_name, referrer_role=referrer_role, referrer_organisation=referrer_organisation,
        referrer_email=referrer_email, referrer_phone=referrer_phone, referrer_address=referrer_address, rag=rag,
        holder=holder)
    _problems(values, children, adults).raise_if_any()
    with transaction.atomic():
        contact = save_with_history(Contact(recorded_by=actor, **values), actor)
        for child in children:
            save_with_history(ContactChild(contact=contact, child=child), actor)
            record(AuditAction.CREATE, actor=actor, request=request, subject=contact, child=child,
                   details={"source": source, "children": len(children)})
        for adult, role in adults:
            save_with_history(ContactAdult(contact=contact, person=adult, role=_text(role)), actor)
    return contact


def record_contacts(*, actor: User, request=None, drafts: Sequence[dict], audit: bool = True) -> list[Contact]:
    """Many contacts at once (a police file), each checked as record_contact checks one and written in bulk, with
    history and one CREATE event per child, in a few queries for the whole list.

    Each draft holds record_contact's keyword arguments and a `label` (like "Row 4, police_reference X") put in
    front of its problems; every problem of every draft is raised together and then nothing is written.
    `audit=False` leaves the audit events to the caller (`new_contact_events`), who appends them later."""
    problems, contacts, links = [], [], []
    for draft in drafts:
        fields = {name: value for name, value in draft.items() if name not in ("label", "children", "adults")}
        children, adults = list(draft["children"]), list(draft.get("adults", ()))
        values = _values(**fields)
        found = _problems(values, children, adults)
        problems += [f"{draft['label']}: {message}" for messages in found.messages.values() for message in messages]
        contacts.append(Contact(recorded_by=actor, **values))
        links.append((children, adults))
    if problems:
        raise ValidationError({"__all__": problems})
    with transaction.atomic():
        contacts = bulk_create_with_history(contacts, Contact, default_user=actor)
        child_rows = [ContactChild(contact=contact, child=child)
                      for contact, (children, _) in zip(contacts, links, strict=True) for child in children]
        bulk_create_with_history(child_rows, ContactChild, default_user=actor)
        bulk_create_with_history([ContactAdult(contact=contact, person=adult, role=_text(role))
                                  for contact, (_, adults) in zip(contacts, links, strict=True)
                                  for adult, role in adults], ContactAdult, default_user=actor)
        if audit:
            audit_new_contacts(actor=actor, request=request,
                               contacts=[(contact, children) for contact, (children, _) in zip(contacts, links,
                                                                                               strict=True)])
    return contacts


def audit_new_contacts(*, actor: User, request=None, contacts: Sequence[tuple[Contact, Sequence[Person]]]) -> None:
    record_many(AuditAction.CREATE, actor=actor, request=request, events=new_contact_events(contacts))


def new_contact_events(contacts: Sequence[tuple[Contact, Sequence[Person]]]) -> list[tuple]:
    """The CREATE events record_contact appends, in the same order: each contact's children in turn."""
    return [(contact, child, {"source": contact.source, "children": len(children)})
            for contact, children in contacts for child in children]


def contact_problems(*, children: Sequence[Person], adults: Sequence[tuple[Person, str]] = (),
                     **fields) -> ValidationError | None:
    """What record_contact would refuse in these values, without writing anything: a form whose own checks
    failed uses it to show every problem at once rather than in two rounds."""
    errors = _problems(_values(**fields), children, adults)
    return ValidationError(errors.messages) if errors.messages else None


def _values(*, received_at, source, summary, consent_to_share, consent_to_assessment, consent_to_share_reason="",
            consent_to_assessment_reason="", household=None, referrer_name="", referrer_role="",
            referrer_organisation="", referrer_email="", referrer_phone="", referrer_address="", rag="",
            holder=None) -> dict:
    return {
        "received_at": received_at, "source": source, "summary": _text(summary),
        "consent_to_share": consent_to_share, "consent_to_share_reason": _text(consent_to_share_reason),
        "consent_to_assessment": consent_to_assessment,
        "consent_to_assessment_reason": _text(consent_to_assessment_reason),
        "referrer_name": _text(referrer_name), "referrer_role": _text(referrer_role),
        "referrer_organisation": _text(referrer_organisation), "referrer_email": _text(referrer_email),
        "referrer_phone": _text(referrer_phone), "referrer_address": _text(referrer_address),
        "rag": rag or "", "household": household, "holder": holder,
    }


def _problems(values: dict, children: Sequence[Person], adults: Sequence[tuple[Person, str]]) -> Errors:
    errors = Errors()
    received_at, source = values["received_at"], values["source"]
    if received_at is None:
        errors.add("received_at", "Enter the date and time the contact was received")
    elif received_at > timezone.now():
        errors.add("received_at", "The date and time the contact was received must be now or in the past")
    if source not in codes.REFERRAL_SOURCE:
        errors.add("source", "Select who made the contact, from the census list (1A to 10)")
    if not values["summary"]:
        errors.add("summary", "Enter what the referrer is worried about")
    elif text_limits.too_long("Summary", values["summary"], text_limits.LONG_TEXT):
        errors.add("summary", text_limits.too_long("Summary", values["summary"], text_limits.LONG_TEXT))
    if source not in codes.NO_REFERRER_SOURCES and not values["referrer_name"]:
        errors.add("referrer_name", "Enter the referrer’s name, or choose Anonymous or Unknown as the source")
    elif names.name_error("Referrer’s name", values["referrer_name"]):
        errors.add("referrer_name", names.name_error("Referrer’s name", values["referrer_name"]))
    if values["rag"] and values["rag"] not in RagRating.values:
        errors.add("rag", "Select a RAG rating: red, amber or green")
    _check_consent(errors, values)
    _check_people(errors, list(children), list(adults))
    return errors


def set_holder(*, actor: User, request=None, contact: Contact, holder: User | None) -> Contact:
    """Who has the contact now (None: back to the front-door tray)."""
    if holder is not None and not (holder.is_active and works_at_front_door(holder)):
        raise ValidationError({"holder": [f"{holder} does not work at the front door: choose someone who does"]})
    with transaction.atomic():
        contact.holder = holder
        save_with_history(contact, actor)
        _audit_each_child(contact, actor, request, {"holder": holder.pk if holder else None})
    return contact


def set_rag(*, actor: User, request=None, contact: Contact, rag: str, reason: str = "") -> Contact:
    if rag not in RagRating.values:
        raise ValidationError({"rag": ["Select a RAG rating: red, amber or green"]})
    if contact.rag and rag != contact.rag and not _text(reason):
        raise ValidationError({"reason": ["Enter why the RAG rating is changing"]})
    with transaction.atomic():
        before = contact.rag
        contact.rag = rag
        save_with_history(contact, actor)
        _audit_each_child(contact, actor, request, {"rag": rag, "was": before, "reason": _text(reason)})
    return contact


def _audit_each_child(contact: Contact, actor: User, request, details: dict) -> None:
    for link in contact.children.select_related("child"):
        record(AuditAction.UPDATE, actor=actor, request=request, subject=contact, child=link.child, details=details)


def child_has_left_front_door(link: ContactChild) -> bool:
    """Authorised, and for a referral also handed over to the assessment team."""
    decision = getattr(link, "decision", None)
    if decision is None or not decision.is_authorised:
        return False
    return not decision.is_referral or hasattr(link, "handover")


def refresh_concluded(contact: Contact, actor: User) -> None:
    """Mark each child, then the contact, concluded once they have left the front door. Call inside the
    transaction that authorised a decision or recorded a handover."""
    now = timezone.now()
    links = list(contact.children.select_related("decision", "handover"))
    for link in links:
        if link.concluded_at is None and child_has_left_front_door(link):
            link.concluded_at = now
            save_with_history(link, actor)
    if contact.concluded_at is None and all(link.concluded_at for link in links):
        contact.concluded_at = now
        save_with_history(contact, actor)
