"""Handing a referred child over from the front door to the assessment team.

A referral stays on the front-door board after its decision is authorised, until someone at the front door
hands it over with a summary the receiving team can act on. Recording the handover is what takes the child
(and, when every child has gone, the contact) off the board.

A child who already has an allocated worker is handed over to that worker's team, not to an assessment team:
the new referral joins the case the worker holds (its open episode), and the worker, their team and their
managers are the people who can open the child's record. Handed to another team, it would reach a manager who
cannot see the child, and sit in nobody's list.
"""

from __future__ import annotations

from django.db import transaction

from casefile.access import permissions
from casefile.accounts.models import Team, User
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.casework.models import Allocation
from casefile.core.services import Errors, save_with_history
from casefile.frontdoor.models import ContactChild, Handover
from casefile.frontdoor.services.contacts import refresh_concluded


def _text(value) -> str:
    return (value or "").strip()


def handover_refusal(link: ContactChild) -> str:
    """Why this child cannot be handed over now ("" when they can)."""
    decision = getattr(link, "decision", None)
    name = link.child.first_name
    if decision is None or not decision.is_authorised:
        return f"{name} can be handed over once a decision to refer has been authorised"
    if not decision.is_referral:
        return f"The decision for {name} was not a referral: there is nobody to hand over to"
    if hasattr(link, "handover"):
        return f"{name} has already been handed over"
    return ""


def open_allocations(children) -> dict[int, Allocation]:
    """Each child's open allocation (worker and team), by child id, in one query."""
    return {allocation.child_id: allocation for allocation in Allocation.objects.filter(
        child__in=children, end_date__isnull=True).select_related("worker", "team")}


def allocated_elsewhere_text(allocation: Allocation) -> str:
    """What the front door is told about a child who already has a worker."""
    return (f"{allocation.child.first_name} already has an allocated worker: {allocation.worker.get_full_name()} "
            f"({allocation.team})")


def record_handover(*, actor: User, request=None, contact_child: ContactChild, to_team: Team | None, summary: str,
                    immediate_safety: str, outstanding: str = "") -> Handover:
    """Hand an authorised referral over to an assessment team; the child leaves the front door."""
    link = contact_child
    summary, immediate_safety, outstanding = _text(summary), _text(immediate_safety), _text(outstanding)
    errors = Errors()
    if not permissions.may_hand_over(actor):
        errors.add("__all__", "A handover is recorded by someone who works at the front door")
    if refusal := handover_refusal(link):
        errors.add("__all__", refusal)
    allocation = open_allocations([link.child]).get(link.child_id)
    if allocation is not None and to_team != allocation.team:
        errors.add("to_team", f"{allocated_elsewhere_text(allocation)}: hand the referral to {allocation.team}, "
                              f"so it reaches the worker who holds the case")
    elif allocation is None and (to_team is None or to_team.kind != Team.Kind.ASSESSMENT):
        errors.add("to_team", "Select the assessment team taking the referral")
    if not summary:
        errors.add("summary", "Enter a summary of what the receiving team needs to know first")
    if not immediate_safety:
        errors.add("immediate_safety", "Enter the risks to the child now and what has been done about them, "
                                       "or say there are none known")
    errors.raise_if_any()
    with transaction.atomic():
        handover = save_with_history(Handover(contact_child=link, to_team=to_team, summary=summary,
                                              immediate_safety=immediate_safety, outstanding=outstanding,
                                              handed_over_by=actor), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=handover, child=link.child,
               details={"to_team": to_team.pk, "contact": link.contact_id})
        refresh_concluded(link.contact, actor)
    return handover

