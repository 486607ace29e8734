"""The outcome letter to the referrer: generated from the authorised decisions, kept as written, and marked sent.

Working Together expects the referrer to be told the outcome of their contact. The letter says, for each child,
what was decided in plain words and what happens next. It never repeats anything from the history panel or the
decision's rationale: the referrer learns the outcome, not the family's record. Anonymous and unknown sources
(census codes 9 and 10) have nobody to write to.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from casefile.accounts.models import User
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.core import presenters
from casefile.core.services import Errors, save_with_history
from casefile.frontdoor.models import Contact, ContactChild, ReferrerLetter
from casefile.rules import codes
from casefile.rules.front_door import Outcome

# Census referral sources with nobody to tell.


def letter_refusal(contact: Contact, links: list[ContactChild] | None = None) -> str:
    """Why no letter can be written for this contact yet ("" when one can)."""
    if contact.source in codes.NO_REFERRER_SOURCES:
        return "The contact came from an anonymous or unknown source: there is nobody to write to"
    links = links if links is not None else list(contact.children.select_related("child", "decision"))
    waiting = [link.child.first_name for link in links
               if getattr(link, "decision", None) is None or not link.decision.is_authorised]
    if waiting:
        return (f"The letter can be written once every decision is authorised: still waiting for "
                f"{', '.join(waiting)}")
    return ""


def _what_was_decided(link: ContactChild) -> str:
    """The outcome in plain words, and what happens next: no rationale, history or level of need."""
    decision, name = link.decision, link.child.first_name
    return {
        Outcome.NO_FURTHER_ACTION: f"we do not need to take any further action for {name} at the moment. If you "
                                   f"have new worries, please contact us again.",
        Outcome.ADVICE: f"we have given the family advice and information about services that can help. "
                        f"Children’s social care will not be taking any further action for {name}.",
        Outcome.EARLY_HELP: f"the family has been offered early help. "
                            f"{decision.early_help_provider or 'An early help worker'} will contact the family to "
                            f"offer support.",
        Outcome.ASSESSMENT: f"a social worker will assess {name}’s needs. The assessment team will be in touch with "
                            f"the family, and may contact you for more information.",
        Outcome.STRATEGY: f"we are working with our partner agencies to look into the concerns about {name}. A "
                          f"social worker may contact you for more information.",
    }[Outcome(decision.outcome)]


def _child_line(link: ContactChild) -> str:
    child = link.child
    born = f" (born {presenters.govuk_date(child.date_of_birth)})" if child.date_of_birth else ""
    return f"{child.first_name} {child.last_name}{born}: {_what_was_decided(link)}"


def letter_body(contact: Contact, links: list[ContactChild], author: User, today: datetime.date) -> str:
    received = presenters.govuk_date(timezone.localtime(contact.received_at).date())
    names = " and ".join(", ".join(link.child.first_name for link in links).rsplit(", ", 1))
    team = author.team.name if author.team_id else "Front Door"
    phone = settings.CASEFILE_FRONT_DOOR_PHONE
    call = f"call the {team} team on {phone}" if phone else f"contact the {team} team"
    paragraphs = [
        presenters.govuk_date(today),
        f"Dear {contact.referrer_name or 'Sir or Madam'},",
        f"Thank you for contacting {settings.AUTHORITY_NAME} children’s services on {received} about {names}. "
        f"We have looked carefully at what you told us, and this letter tells you what we decided.",
        *(_child_line(link) for link in links),
        f"If you have any questions about this letter, or new worries about {names}, please {call}. "
        f"If you think a child is in immediate danger, call 999.",
        "Yours sincerely,",
        f"{author.get_full_name()}\n{author.job_title or author.role_label}, {team}",
    ]
    return "\n\n".join(paragraphs)


def generate_letter(*, actor: User, request=None, contact: Contact) -> ReferrerLetter:
    """Write the outcome letter from the authorised decisions (a new letter each time it is generated)."""
    links = list(contact.children.select_related("child", "decision"))
    errors = Errors()
    if refusal := letter_refusal(contact, links):
        errors.add("__all__", refusal)
    errors.raise_if_any()
    with transaction.atomic():
        letter = save_with_history(ReferrerLetter(contact=contact, generated_by=actor,
                                                  body=letter_body(contact, links, actor, timezone.localdate())),
                                   actor)
        for link in links:
            record(AuditAction.CREATE, actor=actor, request=request, subject=letter, child=link.child,
                   details={"contact": contact.pk})
    return letter


def record_sent(*, actor: User, request=None, letter: ReferrerLetter, method: str,
                sent_at: datetime.datetime | None) -> ReferrerLetter:
    """When and how the letter went to the referrer."""
    errors = Errors()
    if letter.sent_at is not None:
        sent_on = presenters.govuk_date(timezone.localtime(letter.sent_at).date())
        errors.add("__all__", f"This letter was already sent on {sent_on}")
    if method not in ReferrerLetter.Method.values:
        errors.add("method", "Select how the letter was sent: email, secure email or post")
    if sent_at is None:
        errors.add("sent_on", "Enter the date the letter was sent")
    elif sent_at > timezone.now():
        errors.add("sent_on", "The date the letter was sent must be today or in the past")
    elif timezone.localtime(sent_at).date() < timezone.localtime(letter.generated_at).date():
        errors.add("sent_on", "The date the letter was sent must be on or after the day it was written, "
                              f"{presenters.govuk_date(timezone.localtime(letter.generated_at).date())}")
    errors.raise_if_any()
    with transaction.atomic():
        letter.method, letter.sent_at, letter.sent_by = method, sent_at, actor
        save_with_history(letter, actor)
        for link in letter.contact.children.select_related("child"):
            record(AuditAction.UPDATE, actor=actor, request=request, subject=letter, child=link.child,
                   details={"sent": timezone.localtime(sent_at).date().isoformat(), "method": method})
    return letter

