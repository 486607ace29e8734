"""Oversight's chronology provider: management decisions, and the sign-off of a request for an initial conference,
registered from OversightConfig.ready(). The front door's threshold decisions join the chronology through the front
door's own provider, so they are not repeated here."""

from __future__ import annotations

from collections.abc import Iterable

from casefile.casework.chronology.registry import ChronologyEvent, Scope, event, excerpt, name, register, sentences
from casefile.oversight.models import ManagementDecision

EVENT_TYPES = {"management_decision": "Management decisions"}


def management_decisions(scope: Scope) -> Iterable[ChronologyEvent]:
    """One query, however many decisions."""
    rows = ManagementDecision.objects.filter(child_id__in=scope.ids).select_related("decided_by", "signed_off_by")
    for decision in rows:
        url = scope.link(decision.child_id, ("oversight:decision", {"management_decision_id": decision.pk}))
        yield event(scope, decision.child_id, when=decision.decided_at,
                    title=f"Management decision: {decision.get_kind_display().lower()}",
                    description=sentences(excerpt(decision.decision), f"Reasons: {excerpt(decision.reasons)}"),
                    by=name(decision.decided_by), key=f"management-decision:{decision.pk}",
                    type="management_decision", url=url, significant=True)
        if decision.signed_off_at:
            yield event(scope, decision.child_id, when=decision.signed_off_at,
                        title="Request for an initial child protection conference signed off",
                        by=name(decision.signed_off_by), key=f"management-decision-signed-off:{decision.pk}",
                        type="management_decision", url=url, significant=True, step=1)


def register_providers() -> None:
    """Called from OversightConfig.ready()."""
    register(management_decisions, types=EVENT_TYPES)
