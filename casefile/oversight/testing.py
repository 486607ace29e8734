"""Test helpers for oversight: a management decision made quickly, and one of every oversight record for the URL
sweeps."""

from __future__ import annotations

from django.utils import timezone

from casefile.accounts.models import User
from casefile.oversight.models import DecisionKind, ManagementDecision
from casefile.people.models import Person


def make_decision(child: Person, manager: User, *, kind: str = DecisionKind.PLAN, **values) -> ManagementDecision:
    """A complete decision, written straight to the database (the service's tests go through the service)."""
    parts = {"options_considered": "Continue the child in need plan, or step down to early help",
             "risks": "Neglect of basic care when mother is unwell", "strengths": "Grandmother visits daily",
             "childs_views": "Wants to stay at home", "family_views": "Mother agrees with the plan",
             "views_weighed": "The child’s wish to stay at home is met by the plan",
             "decision": "Continue the child in need plan", "reasons": "Internal: the risk is not yet reduced",
             "decided_at": timezone.now(), **values}
    return ManagementDecision.objects.create(child=child, kind=kind, decided_by=manager, recorded_by=manager, **parts)


def oversight_ids(child: Person, *, manager: User, threshold_decision_id: int) -> dict[str, int]:
    """One of every oversight record about `child`, for the URL sweeps: URL argument name -> id. The decision is a
    request for an initial conference waiting for sign-off, shareable with the family, so every page of it has
    something to show."""
    decision = make_decision(child, manager, kind=DecisionKind.CONFERENCE_REQUEST, shareable_with_family=True,
                             family_summary="We have asked for a child protection conference.")
    return {"management_decision_id": decision.pk, "threshold_decision_id": threshold_decision_id}
