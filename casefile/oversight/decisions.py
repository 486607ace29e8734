"""Reads of a child's decisions that several pages share: the Decisions page lists management decisions and the
front door's threshold decisions together, newest first (two queries, however many there are)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse

from casefile.frontdoor.models import ThresholdDecision
from casefile.oversight.models import ManagementDecision
from casefile.people.models import Person


@dataclass(frozen=True)
class Listed:
    """One decision on the list: a management decision, or a threshold decision made at the front door."""

    decided_at: datetime.datetime
    title: str
    url: str
    decided_by: str
    status: str


def _status(decision: ManagementDecision) -> str:
    if decision.awaiting_sign_off:
        return "Waiting for a service manager’s sign-off"
    if decision.needs_sign_off:
        return f"Signed off by {decision.signed_off_by}"
    return "Shareable with the family" if decision.shareable_with_family else "Recorded"


def management_decisions(child: Person):
    return ManagementDecision.objects.filter(child=child).select_related("decided_by", "signed_off_by")


def threshold_decisions(child: Person):
    return ThresholdDecision.objects.filter(contact_child__child=child).select_related(
        "decided_by", "authorised_by").order_by("-decided_at", "-pk")


def listed(child: Person) -> list[Listed]:
    """Every decision on the child's file, newest first."""
    rows = [Listed(decision.decided_at, f"{decision.get_kind_display()} decision",
                   reverse("oversight:decision", kwargs={"person_id": child.pk, "management_decision_id": decision.pk}),
                   str(decision.decided_by), _status(decision))
            for decision in management_decisions(child)]
    rows += [Listed(decision.decided_at, f"Threshold decision at the front door: {decision.get_outcome_display()}",
                    reverse("oversight:threshold_decision",
                            kwargs={"person_id": child.pk, "threshold_decision_id": decision.pk}),
                    str(decision.decided_by),
                    f"Authorised by {decision.authorised_by}" if decision.is_authorised
                    else "Waiting for a manager’s authorisation")
             for decision in threshold_decisions(child)]
    return sorted(rows, key=lambda row: row.decided_at, reverse=True)
