"""Writes for management decisions on the child's file: record one (with its evidence and any disagreement), sign
off a request for an initial conference, and record a disagreement afterwards.

Each function takes keyword-only arguments with `actor` (and optional `request`), checks everything first and
raises ValidationError keyed by field, each message naming what to enter, then writes in one transaction, tells
django-simple-history who made the change and adds an audit event. Nothing is half-saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.accounts.models import User
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.core.presenters import govuk_datetime, possessive
from casefile.core.services import Errors, save_with_history
from casefile.oversight import evidence as evidence_kinds
from casefile.oversight.models import DecisionDissent, DecisionEvidence, DecisionKind, ManagementDecision
from casefile.people.models import Person
from casefile.rules import text_limits

# Each required part of a decision and the message when it is missing: the page shows it on that box.
REQUIRED = {
    "options_considered": "Enter the options considered",
    "risks": "Enter the risks weighed",
    "strengths": "Enter the strengths weighed",
    "childs_views": "Enter the child’s views, or how they were sought if the child cannot give them",
    "family_views": "Enter the family’s views",
    "views_weighed": "Enter how the child’s and the family’s views were weighed",
    "decision": "Enter the decision",
    "reasons": "Enter the reasons for the decision",
}
LABELS = {
    "options_considered": "Options considered", "risks": "Risks weighed", "strengths": "Strengths weighed",
    "childs_views": "The child’s views", "family_views": "The family’s views",
    "views_weighed": "How the views were weighed", "decision": "The decision", "reasons": "Reasons",
    "family_summary": "Summary for the family", "dissent": "What they disagreed with",
}
# The form's evidence boxes, by what the evidence was weighed as.
EVIDENCE_FIELDS = {
    DecisionEvidence.WeighedAs.OPTION: "option_evidence",
    DecisionEvidence.WeighedAs.RISK: "risk_evidence",
    DecisionEvidence.WeighedAs.STRENGTH: "strength_evidence",
}


def _text(value) -> str:
    return (value or "").strip()


def _check_length(errors: Errors, field: str, value: str) -> None:
    message = text_limits.too_long(LABELS.get(field, field), value, text_limits.LONG_TEXT)
    if message:
        errors.add(field, message)


def _refuse_unless_may_change(actor: User, child: Person) -> None:
    # The page answers 404 first (record_view with edit=True); this keeps the service safe on its own.
    if not policy.can_edit(actor, child):
        raise PermissionDenied("No record found")


def _decided_at(day: datetime.date) -> datetime.datetime:
    """The moment to record for a decision's date: now for today, midday for an earlier day."""
    if day == timezone.localdate():
        return timezone.now()
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())


def _check_kind(errors: Errors, actor: User, kind: str) -> None:
    if kind not in DecisionKind.values:
        errors.add("kind", "Select the type of decision")
        if not permissions.may_record_decision(actor):
            errors.add("__all__", "Only a team manager, service manager or head of service can record a "
                                  "management decision")
    elif not permissions.may_record_decision(actor, kind):
        if permissions.may_record_decision(actor):
            errors.add("kind", f"Only a service manager or head of service can record a "
                               f"{DecisionKind(kind).label.lower()} decision: ask yours to record it")
        else:
            errors.add("__all__", "Only a team manager, service manager or head of service can record a "
                                  "management decision")


def _check_date(errors: Errors, decided_on: datetime.date | None) -> None:
    if decided_on is None:
        errors.add("decided_on", "Enter the date of the decision")
    elif decided_on > timezone.localdate():
        errors.add("decided_on", "The date of the decision must be today or in the past")


def _parsed_evidence(errors: Errors, child: Person, chosen: dict[str, Iterable]) -> list[tuple[str, str, int]]:
    """(weighed as, kind, record id) for every piece of evidence chosen; refused unless each is the child's."""
    items = []
    for weighed_as, field in EVIDENCE_FIELDS.items():
        wanted = []
        for text in chosen.get(field) or ():
            parsed = evidence_kinds.parse(text)
            if parsed is None:
                errors.add(field, "Select evidence from the list")
                break
            wanted.append(parsed)
        others = evidence_kinds.not_the_childs(child, wanted)
        if others:
            errors.add(field, f"Choose only evidence on {possessive(child)} record: {len(others)} of the records "
                              f"chosen are not on it")
        items += [(weighed_as, kind, record_id) for kind, record_id in dict.fromkeys(wanted)]
    return items


def _check_sharing(errors: Errors, shareable: bool, summary: str) -> None:
    if shareable and not summary:
        errors.add("family_summary", "Enter a summary of the decision and its reasons in plain language for the "
                                     "family, or say it is not to be shared with them")


def _check_dissent(errors: Errors, raised_by: str, text: str, *, required: bool) -> None:
    if (text or required) and not raised_by:
        errors.add("dissent_raised_by", "Enter who disagreed, with their role or agency")
    if (raised_by or required) and not text:
        errors.add("dissent", "Enter what they disagreed with, and why")
    if len(raised_by) > DecisionDissent._meta.get_field("raised_by").max_length:
        errors.add("dissent_raised_by", "Enter who disagreed in 200 characters or fewer")
    _check_length(errors, "dissent", text)


def record_decision(*, actor: User, request=None, child: Person, kind: str, decided_on: datetime.date | None,
                    shareable_with_family: bool = False, family_summary: str = "", option_evidence: Iterable = (),
                    risk_evidence: Iterable = (), strength_evidence: Iterable = (), dissent: str = "",
                    dissent_raised_by: str = "", **parts: str) -> ManagementDecision:
    """A manager's decision on the child's file, decided by them on `decided_on`. `parts` are the REQUIRED texts
    (options considered, risks, strengths, views, the decision and its reasons); evidence is "kind:id" values of
    the child's own records (oversight/evidence.py)."""
    _refuse_unless_may_change(actor, child)
    unknown = set(parts) - set(REQUIRED)
    if unknown:
        raise TypeError(f"record_decision: unexpected {sorted(unknown)}")
    texts = {field: _text(parts.get(field)) for field in REQUIRED}
    family_summary, dissent, dissent_raised_by = _text(family_summary), _text(dissent), _text(dissent_raised_by)
    errors = Errors()
    if child.kind != Person.Kind.CHILD:
        errors.add("__all__", "Management decisions are recorded on a child’s record")
    _check_kind(errors, actor, kind)
    _check_date(errors, decided_on)
    for field, message in REQUIRED.items():
        if not texts[field]:
            errors.add(field, message)
        _check_length(errors, field, texts[field])
    _check_sharing(errors, bool(shareable_with_family), family_summary)
    _check_length(errors, "family_summary", family_summary)
    _check_dissent(errors, dissent_raised_by, dissent, required=False)
    evidence = _parsed_evidence(errors, child, {"option_evidence": option_evidence, "risk_evidence": risk_evidence,
                                                "strength_evidence": strength_evidence})
    errors.raise_if_any()
    with transaction.atomic():
        decision = ManagementDecision(child=child, kind=kind, decided_by=actor, decided_at=_decided_at(decided_on),
                                      shareable_with_family=bool(shareable_with_family),
                                      family_summary=family_summary if shareable_with_family else "",
                                      recorded_by=actor, **texts)
        save_with_history(decision, actor)
        for weighed_as, evidence_kind, record_id in evidence:
            save_with_history(DecisionEvidence(decision=decision, weighed_as=weighed_as, kind=evidence_kind,
                                               record_id=record_id), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=decision, child=child,
               details={"kind": kind, "evidence": [f"{w}:{k}:{i}" for w, k, i in evidence],
                        "shareable_with_family": decision.shareable_with_family})
        if dissent:
            _save_dissent(actor, request, decision, dissent_raised_by, dissent)
    return decision


def _save_dissent(actor: User, request, decision: ManagementDecision, raised_by: str, text: str) -> DecisionDissent:
    dissent = save_with_history(DecisionDissent(decision=decision, raised_by=raised_by, text=text, recorded_by=actor),
                                actor)
    record(AuditAction.CREATE, actor=actor, request=request, subject=dissent, child=decision.child,
           details={"decision": decision.pk})
    return dissent


def record_dissent(*, actor: User, request=None, decision: ManagementDecision, dissent_raised_by: str,
                   dissent: str) -> DecisionDissent:
    """A disagreement with a decision already recorded: who raised it and what they said."""
    child = decision.child
    _refuse_unless_may_change(actor, child)
    raised_by, text = _text(dissent_raised_by), _text(dissent)
    errors = Errors()
    if not permissions.may_record_dissent(actor, child):
        errors.add("__all__", "Only a practitioner, manager or conference chair working with the child can record "
                              "a disagreement")
    _check_dissent(errors, raised_by, text, required=True)
    errors.raise_if_any()
    with transaction.atomic():
        return _save_dissent(actor, request, decision, raised_by, text)


def sign_off_conference_request(*, actor: User, request=None, decision: ManagementDecision) -> ManagementDecision:
    """A service manager or head of service, not the manager who decided, signs off the decision to ask for an
    initial child protection conference."""
    _refuse_unless_may_change(actor, decision.child)
    errors = Errors()
    if not decision.needs_sign_off:
        errors.add("__all__", "Only a request for an initial child protection conference needs a sign-off")
    elif decision.signed_off_at is not None:
        errors.add("__all__", f"This request was signed off by {decision.signed_off_by} on "
                              f"{govuk_datetime(decision.signed_off_at)}")
    elif decision.decided_by_id == actor.pk:
        errors.add("__all__", "You made this decision, so another service manager or head of service must sign it "
                              "off")
    elif not permissions.may_sign_off_conference_request(actor, decision):
        errors.add("__all__", "Only a service manager or head of service can sign off a request for an initial "
                              "child protection conference")
    errors.raise_if_any()
    with transaction.atomic():
        decision.signed_off_by, decision.signed_off_at = actor, timezone.now()
        save_with_history(decision, actor)
        record(AuditAction.AUTHORISE, actor=actor, request=request, subject=decision, child=decision.child,
               details={"kind": decision.kind, "signed_off": True})
    return decision
