"""The threshold decision: made for each child by a qualified social worker, authorised by a manager.

Authorising is what changes the child's journey, in the same transaction:
- a referral for assessment or a strategy discussion opens a casework Episode (the CIN census referral, dated
  the day the contact was received, with the decision recorded on it), or links the one already open;
- early help records a step-down (EarlyHelpTransfer, direction down), so the child's journey between early
  help and social care reads as one line in the chronology;
- the child, and then the contact, leave the front door (a referral stays until it is handed over).

The 1-working-day clock is `clocks.REFERRAL_DECISION`, anchored on the day the contact was received and met on
the day the decision was authorised.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casefile.access import permissions
from casefile.accounts.models import User
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.casework.calendar import working_calendar
from casefile.casework.deadlines import clock_settings
from casefile.casework.services import episodes as casework
from casefile.core.presenters import govuk_date
from casefile.core.services import Errors, save_with_history
from casefile.frontdoor.models import BulkTriage, Consent, ContactChild, DecisionOutcome, ThresholdDecision
from casefile.frontdoor.services.contacts import refresh_concluded
from casefile.frontdoor.standards import front_door_settings
from casefile.rules import clocks, codes
from casefile.rules.front_door import Outcome

RATIONALE_PARTS = {
    "criteria_applied": "the threshold criteria applied",
    "circumstances": "the child’s circumstances",
    "history_considered": "the history taken into account",
    "consent_position": "the consent position",
}
# Outcomes a manager may agree in bulk for standard-risk police notifications.
BULK_OUTCOMES = frozenset({Outcome.NO_FURTHER_ACTION, Outcome.ADVICE})


def _text(value) -> str:
    return (value or "").strip()


def received_on(link: ContactChild) -> datetime.date:
    return timezone.localtime(link.contact.received_at).date()


def _check_decision(errors: Errors, actor: User, link: ContactChild, values: dict) -> None:
    if not permissions.may_decide(actor):
        errors.add("__all__", f"A threshold decision is made by a qualified social worker or a manager: you are "
                              f"signed in as a {actor.role_label.lower()}")
    if front_door_settings().level(values["level"]) is None:
        errors.add("level", "Select the level of need on the continuum")
    if values["outcome"] not in DecisionOutcome.values:
        errors.add("outcome", "Select the outcome of the decision")
    for field, what in RATIONALE_PARTS.items():
        if not values[field]:
            errors.add(field, f"Enter {what}")
    outcome = values["outcome"]
    if outcome in (Outcome.ASSESSMENT, Outcome.STRATEGY) and values["primary_need"] not in codes.PRIMARY_NEED:
        errors.add("primary_need", "Select the child’s primary need, from N0 to N9: it is required for a referral "
                                   "(census rule 8610)")
    if outcome == Outcome.EARLY_HELP:
        if not values["early_help_provider"]:
            errors.add("early_help_provider", "Enter the early help service or team that will work with the family")
        if link.contact.consent_to_assessment in (Consent.REFUSED, Consent.NOT_SOUGHT):
            errors.add("outcome", "Early help needs the family’s agreement, and consent to an assessment was not "
                                  "given: record the family’s consent on the contact first, or choose another "
                                  "outcome")
        if casework.open_episode(link.child):
            errors.add("outcome", f"{link.child.first_name} has an open social care episode: the allocated "
                                  f"worker decides on a step-down from the episode")


def record_decision(*, actor: User, request=None, contact_child: ContactChild, level: str, outcome: str,
                    criteria_applied: str, circumstances: str, history_considered: str, consent_position: str,
                    primary_need: str = "", early_help_provider: str = "",
                    bulk_triage: BulkTriage | None = None) -> ThresholdDecision:
    """Record (or, until it is authorised, change) the decision for one child on a contact."""
    link = contact_child
    values = {"level": _text(level), "outcome": outcome, "criteria_applied": _text(criteria_applied),
              "circumstances": _text(circumstances), "history_considered": _text(history_considered),
              "consent_position": _text(consent_position), "primary_need": primary_need or "",
              "early_help_provider": _text(early_help_provider)}
    existing = ThresholdDecision.objects.filter(contact_child=link).first()
    if existing and existing.is_authorised:
        authorised_on = govuk_date(timezone.localtime(existing.authorised_at).date())
        raise ValidationError({"__all__": [f"The decision for {link.child.first_name} was authorised on "
                                           f"{authorised_on}: it cannot change"]})
    errors = Errors()
    _check_decision(errors, actor, link, values)
    errors.raise_if_any()
    with transaction.atomic():
        decision = existing or ThresholdDecision(contact_child=link)
        for name, value in values.items():
            setattr(decision, name, value)
        decision.decided_by, decision.decided_at, decision.bulk_triage = actor, timezone.now(), bulk_triage
        save_with_history(decision, actor)
        record(AuditAction.UPDATE if existing else AuditAction.CREATE, actor=actor, request=request,
               subject=decision, child=link.child,
               details={"outcome": outcome, "level": values["level"], "bulk_triage": getattr(bulk_triage, "pk", None)})
    return decision


def authorise_decision(*, actor: User, request=None, decision: ThresholdDecision,
                       comment: str = "") -> ThresholdDecision:
    """A manager who did not make the decision agrees it; the referral or step-down follows from it."""
    errors = Errors()
    if not permissions.is_manager(actor):
        errors.add("__all__", "Only a team manager, service manager or head of service can authorise a decision")
    elif not permissions.may_authorise_decision(actor, decision):
        errors.add("__all__", "A decision is authorised by a manager who did not make it")
    if decision.is_authorised:
        errors.add("__all__", "This decision has already been authorised")
    errors.raise_if_any()
    with transaction.atomic():
        # Two managers at once: the second waits for the first, then finds the decision already authorised.
        if ThresholdDecision.objects.select_for_update().filter(pk=decision.pk, authorised_at__isnull=False).exists():
            raise ValidationError({"__all__": ["This decision has already been authorised"]})
        _carry_out(decision, actor, request)  # first: if the casework refuses, the decision is left as it was
        decision.authorised_by, decision.authorised_at = actor, timezone.now()
        decision.manager_comment = _text(comment)
        save_with_history(decision, actor)
        record(AuditAction.AUTHORISE, actor=actor, request=request, subject=decision,
               child=decision.contact_child.child, details={"outcome": decision.outcome,
                                                            "episode": decision.episode_id,
                                                            "early_help_transfer": decision.early_help_transfer_id})
        refresh_concluded(decision.contact_child.contact, actor)
    return decision


def _carry_out(decision: ThresholdDecision, actor: User, request) -> None:
    link = decision.contact_child
    child = link.child
    try:
        if decision.is_referral:
            decision.episode = casework.open_episode(child) or _open_referral(decision, actor, request)
        elif decision.outcome == Outcome.EARLY_HELP:
            decision.early_help_transfer = casework.record_step_down(
                actor=actor, request=request, child=child, date=timezone.localdate(),
                early_help_provider=decision.early_help_provider, signed_off=True,
                reason=f"Front-door decision on the contact received {govuk_date(received_on(link))}: "
                       f"{decision.circumstances}")
    except ValidationError as error:
        # The casework check names its own fields; here they are about the decision as a whole.
        raise ValidationError({"__all__": list(error.messages)}) from error


def _open_referral(decision: ThresholdDecision, actor: User, request):
    link = decision.contact_child
    contact = link.contact
    episode = casework.record_referral(
        actor=actor, request=request, child=link.child, referral_date=received_on(link),
        referral_source=contact.source, referrer_name=contact.referrer_name, referral_summary=contact.summary,
        step_up_reason=contact.summary if contact.source == codes.STEP_UP_FROM_EARLY_HELP else "",
    )
    return casework.record_referral_decision(
        actor=actor, request=request, episode=episode, decided_by=decision.decided_by,
        decision_date=timezone.localtime(decision.decided_at).date(), nfa=False, primary_need=decision.primary_need)


def decision_clock(link: ContactChild) -> clocks.Clock:
    """Decision made and authorised within 1 working day of receipt (WT2023, statutory guidance)."""
    decision = getattr(link, "decision", None)
    authorised = timezone.localtime(decision.authorised_at).date() if decision and decision.authorised_at else None
    return clocks.Clock(clocks.REFERRAL_DECISION, received_on(link), authorised)


def decision_status(link: ContactChild, today: datetime.date | None = None, request=None) -> clocks.ClockStatus:
    return decision_clock(link).status(today or timezone.localdate(), working_calendar(request), clock_settings())


def bulk_triage(*, actor: User, request=None, contact_children: Sequence[ContactChild], outcome: str,
                rationale: str, level: str, child_rationales: dict[int, str],
                child_history: dict[int, str]) -> BulkTriage:
    """Decide many standard-risk police notifications at once: one rationale for the batch, one per child.

    Each child still gets their own decision: the criteria are the batch rationale, the circumstances the
    child's own rationale, and the history what the triage queue showed for the household (keyed by the
    ContactChild's pk, like the rationales)."""
    rationale = _text(rationale)
    errors = Errors()
    if outcome not in BULK_OUTCOMES:
        errors.add("outcome", "Bulk triage is for no further action or advice and signposting: decide other "
                              "outcomes one child at a time")
    if not rationale:
        errors.add("rationale", "Enter the rationale for the whole batch")
    if not contact_children:
        errors.add("children", "Select the notifications to triage")
    for link in contact_children:
        notification = getattr(link.contact, "police_notification", None)
        name = f"{link.child.first_name} {link.child.last_name}"
        if notification is None or notification.dash_risk != "standard":
            errors.add("children", f"{name}: only standard-risk police notifications can be triaged in bulk")
        if not _text(child_rationales.get(link.pk)):
            errors.add(f"rationale_{link.pk}", f"Enter the rationale for {name}")
    errors.raise_if_any()
    with transaction.atomic():
        batch = save_with_history(BulkTriage(rationale=rationale, outcome=outcome, triaged_by=actor), actor)
        for link in contact_children:
            record_decision(actor=actor, request=request, contact_child=link, level=level, outcome=outcome,
                            criteria_applied=rationale, circumstances=child_rationales[link.pk],
                            history_considered=child_history.get(link.pk) or "No earlier history found",
                            consent_position=link.contact.get_consent_to_share_display(), bulk_triage=batch)
    return batch
