"""Oversight's chronology provider: case supervision on the child's file, registered from OversightConfig.ready().

Staff supervision is about a worker, never a child, so it is never in a chronology."""

from __future__ import annotations

from collections.abc import Iterable

from casefile.casework.chronology.registry import ChronologyEvent, Scope, event, excerpt, name, register, sentences
from casefile.oversight.models import CaseSupervision

EVENT_TYPES = {"supervision": "Case supervision"}


def case_supervisions(scope: Scope) -> Iterable[ChronologyEvent]:
    """One event per supervision record, on the day it was held: what needs to happen, and the sign-off (one
    query)."""
    rows = CaseSupervision.objects.filter(child_id__in=scope.ids).select_related("worker", "supervisor")
    for supervision in rows:
        signed = "Signed off by both" if supervision.is_signed_off else "Not yet signed off by both"
        yield event(scope, supervision.child_id, when=supervision.held_on,
                    title=f"Case supervision: {supervision.worker} with {supervision.supervisor}",
                    description=sentences(f"What needs to happen: {excerpt(supervision.next_steps)}", signed),
                    by=name(supervision.supervisor), key=f"supervision:{supervision.pk}", type="supervision",
                    url=scope.link(supervision.child_id, ("oversight:case_supervision",
                                                          {"supervision_id": supervision.pk})))


def register_providers() -> None:
    """Called from OversightConfig.ready()."""
    register(case_supervisions, types=EVENT_TYPES)
