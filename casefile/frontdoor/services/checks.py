"""Multi-agency checks: asking a partner agency what it knows about the family, and recording its answer.

A check is outstanding until its response is recorded; the outstanding list is what the front door chases.
Like every service here: keyword-only arguments with `actor`, every problem collected and raised at once,
then one transaction with an audit event per child on the contact.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from casefile.accounts.models import User
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.core.presenters import govuk_datetime
from casefile.core.services import Errors, save_with_history
from casefile.frontdoor.models import AgencyCheck, CheckAgency, Contact


def _text(value) -> str:
    return (value or "").strip()


def _audit_each_child(check: AgencyCheck, action: str, actor: User, request, details: dict) -> None:
    for link in check.contact.children.select_related("child"):
        record(action, actor=actor, request=request, subject=check, child=link.child, details=details)


def request_check(*, actor: User, request=None, contact: Contact, agency: str, asked_of: str,
                  question: str = "") -> AgencyCheck:
    """Ask a partner agency (police, health, education, probation or housing) what it knows."""
    values = {"agency": agency, "asked_of": _text(asked_of), "question": _text(question)}
    errors = Errors()
    if agency not in CheckAgency.values:
        errors.add("agency", "Select the agency asked: police, health, education, probation or housing")
    if not values["asked_of"]:
        errors.add("asked_of", "Enter the person or team asked, for example ‘Health visiting team North’")
    if not contact.is_open:
        errors.add("__all__", "This contact has left the front door: checks are asked while it is open")
    errors.raise_if_any()
    with transaction.atomic():
        check = save_with_history(AgencyCheck(contact=contact, requested_by=actor, requested_at=timezone.now(),
                                              **values), actor)
        _audit_each_child(check, AuditAction.CREATE, actor, request, {"agency": agency, "contact": contact.pk})
    return check


def record_response(*, actor: User, request=None, check: AgencyCheck, response: str,
                    responded_at: datetime.datetime | None) -> AgencyCheck:
    """What the agency said, and when it answered."""
    response = _text(response)
    errors = Errors()
    if not response:
        errors.add("response", "Enter what the agency said, or that it holds no information")
    if responded_at is None:
        errors.add("responded_at", "Enter the date and time the agency answered")
    elif responded_at > timezone.now():
        errors.add("responded_at", "The date and time the agency answered must be now or in the past")
    elif responded_at < check.requested_at.replace(second=0, microsecond=0):
        # Times are typed to the minute: an answer in the minute it was asked is not before it.
        errors.add("responded_at", f"The agency cannot have answered before it was asked, on "
                                   f"{govuk_datetime(check.requested_at)}")
    if not check.is_outstanding:
        errors.add("__all__", "This check already has a response")
    errors.raise_if_any()
    with transaction.atomic():
        check.response, check.responded_at, check.response_recorded_by = response, responded_at, actor
        save_with_history(check, actor)
        _audit_each_child(check, AuditAction.UPDATE, actor, request, {"agency": check.agency, "responded": True})
    return check
