"""Oversight's chronology providers, registered from OversightConfig.ready(): management decisions (and the
sign-off of a request for an initial conference), chair and IRO challenge (a practice concern raised, each stage
it moved to, each response, its resolution), and case supervision. Staff supervision is about a worker, never a
child, so it is never in a chronology. The front door's threshold decisions join the chronology through the front
door's own provider, so they are not repeated here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from casefile.casework.chronology.registry import ChronologyEvent, Scope, event, excerpt, name, register, sentences
from casefile.core.prepared import prepared
from casefile.oversight.models import CaseSupervision, Escalation, EscalationStage, ManagementDecision
from casefile.rules.escalation import Stage

EVENT_TYPES = {"management_decision": "Management decisions"}


@prepared
def _management_decisions(ids):
    return ManagementDecision.objects.filter(child_id__in=ids).select_related("decided_by", "signed_off_by")


def management_decisions(scope: Scope) -> Iterable[ChronologyEvent]:
    """One query, however many decisions."""
    rows = _management_decisions(scope.ids)
    for decision in rows:
        url = scope.link(decision.child_id, ("oversight:decision", {"management_decision_id": decision.pk}))
        # A partner agency sees a decision only when it may be shared with the family, in the family's words.
        shared = {"shareable": decision.shareable_with_family, "shared_description": excerpt(decision.family_summary)}
        yield event(scope, decision.child_id, when=decision.decided_at,
                    title=f"Management decision: {decision.get_kind_display().lower()}",
                    description=sentences(excerpt(decision.decision), f"Reasons: {excerpt(decision.reasons)}"),
                    by=name(decision.decided_by), key=f"management-decision:{decision.pk}",
                    type="management_decision", url=url, significant=True, **shared)
        if decision.signed_off_at:
            yield event(scope, decision.child_id, when=decision.signed_off_at,
                        title="Request for an initial child protection conference signed off",
                        by=name(decision.signed_off_by), key=f"management-decision-signed-off:{decision.pk}",
                        type="management_decision", url=url, significant=True, step=1,
                        shareable=decision.shareable_with_family)


CHALLENGE_TYPES = {"challenge": "Chair and IRO challenge: practice concerns and escalations"}


@prepared
def _escalations(ids):
    return Escalation.objects.filter(child_id__in=ids).select_related("raised_by", "resolved_by")


@prepared
def _escalation_stages(escalation_ids):
    return (EscalationStage.objects.filter(escalation_id__in=escalation_ids)
            .select_related("started_by", "responded_by").order_by("escalation_id", "started_on", "pk"))


def escalations(scope: Scope) -> Iterable[ChronologyEvent]:
    """Every practice concern about the scope's records, with its stages and responses: one query, and one more
    for the stages when there are concerns (each built once: on every chronology, nearly always with none)."""
    rows = _escalations(scope.ids)
    stages = defaultdict(list)
    for stage in _escalation_stages([escalation.pk for escalation in rows]):
        stages[stage.escalation_id].append(stage)
    for escalation in rows:
        url = scope.link(escalation.child_id, ("oversight:escalation", {"escalation_id": escalation.pk}))
        common = {"type": "challenge", "url": url, "significant": True}
        yield event(scope, escalation.child_id, when=escalation.raised_on, title="Practice concern raised",
                    description=sentences(excerpt(escalation.concern), f"Asked for: {excerpt(escalation.asked_for)}"),
                    by=name(escalation.raised_by), key=f"escalation:{escalation.pk}", **common)
        for stage in stages[escalation.pk]:
            yield from _stage_events(scope, escalation, stage, common)
        if escalation.resolved_on:
            yield event(scope, escalation.child_id, when=escalation.resolved_on, title="Practice concern resolved",
                        description=excerpt(escalation.resolution), by=name(escalation.resolved_by),
                        key=f"escalation-resolved:{escalation.pk}", step=3, **common)


def _stage_events(scope: Scope, escalation: Escalation, stage: EscalationStage,
                  common: dict) -> Iterable[ChronologyEvent]:
    label = stage.get_stage_display()
    if stage.stage != Stage.INFORMAL:
        yield event(scope, escalation.child_id, when=stage.started_on, title=f"Practice concern escalated: {label}",
                    description=sentences(f"Stages passed over because: {excerpt(stage.skip_reason)}")
                    if stage.skip_reason else "", by=name(stage.started_by),
                    key=f"escalation-stage:{stage.pk}", step=1, **common)
    if stage.responded_on:
        yield event(scope, escalation.child_id, when=stage.responded_on,
                    title=f"Response to a practice concern ({label.lower()})", description=excerpt(stage.response),
                    by=name(stage.responded_by), key=f"escalation-response:{stage.pk}", step=2, **common)


SUPERVISION_TYPES = {"supervision": "Case supervision"}


@prepared
def _case_supervisions(ids):
    return CaseSupervision.objects.filter(child_id__in=ids).select_related("worker", "supervisor")


def case_supervisions(scope: Scope) -> Iterable[ChronologyEvent]:
    """One event per supervision record, on the day it was held: what needs to happen, and the sign-off (one
    query)."""
    rows = _case_supervisions(scope.ids)
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
    register(management_decisions, types=EVENT_TYPES)
    register(escalations, types=CHALLENGE_TYPES)
    register(case_supervisions, types=SUPERVISION_TYPES)
