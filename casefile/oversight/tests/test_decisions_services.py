"""Recording a management decision: every required part named when missing, evidence only from the child's own
record, only managers decide (legal planning only service managers and above), a service manager signs off a
request for an initial conference, and disagreement is kept with who raised it. Each write is audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casefile.access import permissions
from casefile.audit.models import Action, AuditEvent
from casefile.casework.testing import make_journey
from casefile.frontdoor.testing import front_door_ids
from casefile.oversight import evidence
from casefile.oversight.models import DecisionDissent, DecisionEvidence, DecisionKind, ManagementDecision
from casefile.oversight.services import decisions as services
from casefile.testing import allocate, make_child

PARTS = {
    "options_considered": "Continue the plan; step down to early help",
    "risks": "Neglect when mother is unwell",
    "strengths": "Grandmother visits every day",
    "childs_views": "Lily wants to stay at home",
    "family_views": "Mother agrees",
    "views_weighed": "Lily’s wish to stay at home is met by the plan",
    "decision": "Continue the child in need plan for three months",
    "reasons": "The risk is reduced but not gone",
}


def decide(actor, child, **changes):
    values = {"kind": DecisionKind.PLAN, "decided_on": timezone.localdate(), **PARTS, **changes}
    return services.record_decision(actor=actor, child=child, **values)


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def test_a_manager_records_a_decision_with_its_evidence_and_it_is_audited(org, child):
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)
    visit, note = evidence.value("visit", journey.visit.pk), evidence.value("case_note", journey.case_note.pk)
    decision = decide(org.tess, child, risk_evidence=[note], strength_evidence=[visit], option_evidence=[visit])
    assert decision.decided_by == org.tess and decision.reasons == PARTS["reasons"]
    assert decision.decided_on == timezone.localdate()
    assert {(row.weighed_as, row.kind, row.record_id) for row in decision.evidence.all()} == {
        (DecisionEvidence.WeighedAs.RISK, "case_note", journey.case_note.pk),
        (DecisionEvidence.WeighedAs.STRENGTH, "visit", journey.visit.pk),
        (DecisionEvidence.WeighedAs.OPTION, "visit", journey.visit.pk)}
    event = AuditEvent.objects.get(action=Action.CREATE, subject_id=str(decision.pk),
                                   subject_type="oversight.managementdecision")
    assert event.child_id == child.pk and event.actor_id == org.tess.pk
    assert decision.history.count() == 1


@pytest.mark.parametrize("field", sorted(services.REQUIRED))
def test_each_required_part_is_named_when_missing(org, child, field):
    errors = refusal(lambda: decide(org.tess, child, **{field: "  "}))
    assert errors == {field: [services.REQUIRED[field]]}
    assert not ManagementDecision.objects.exists()


def test_the_reasons_message_says_what_to_enter(org, child):
    assert refusal(lambda: decide(org.tess, child, reasons=""))["reasons"] == ["Enter the reasons for the decision"]


def test_everything_missing_is_reported_at_once(org, child):
    blank = dict.fromkeys(PARTS, "")
    errors = refusal(lambda: decide(org.tess, child, kind="", decided_on=None, **blank))
    assert set(errors) == {"kind", "decided_on", *PARTS}
    assert errors["decided_on"] == ["Enter the date of the decision"]
    assert errors["kind"] == ["Select the type of decision"]


def test_a_decision_date_in_the_future_is_refused(org, child):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert refusal(lambda: decide(org.tess, child, decided_on=tomorrow)) == {
        "decided_on": ["The date of the decision must be today or in the past"]}


def test_an_earlier_day_is_kept_as_that_day(org, child):
    day = timezone.localdate() - datetime.timedelta(days=3)
    assert decide(org.tess, child, decided_on=day).decided_on == day


def test_evidence_from_another_childs_record_is_refused(org, child):
    other = make_child("Jack", "Smith")
    allocate(other, org.sam, allocated_by=org.tess)
    theirs = make_journey(other, worker=org.sam, manager=org.tess, chair=org.hana)
    ours = make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)
    errors = refusal(lambda: decide(org.tess, child, risk_evidence=[evidence.value("visit", ours.visit.pk),
                                                                     evidence.value("visit", theirs.visit.pk)]))
    assert errors == {"risk_evidence": ["Choose only evidence on Lily Hartley’s record: 1 of the records chosen "
                                        "are not on it"]}
    assert not DecisionEvidence.objects.exists()


def test_evidence_that_is_not_a_record_kind_is_refused(org, child):
    errors = refusal(lambda: decide(org.tess, child, strength_evidence=["secret:1"]))
    assert errors == {"strength_evidence": ["Select evidence from the list"]}


@pytest.mark.parametrize("who", ["sam", "ada"])
def test_who_may_change_the_record_but_is_not_a_manager_may_not_decide(org, child, who):
    errors = refusal(lambda: decide(getattr(org, who), child))
    assert errors == {"__all__": ["Only a team manager, service manager or head of service can record a management "
                                  "decision"]}
    assert not ManagementDecision.objects.exists()


@pytest.mark.parametrize("who", ["fran", "chris", "quinn"])
def test_someone_who_may_not_change_the_record_is_refused_before_anything_else(org, child, who):
    with pytest.raises(PermissionDenied):
        decide(getattr(org, who), child)
    assert not ManagementDecision.objects.exists()


def test_a_manager_who_may_not_change_the_record_is_refused(org, child):
    with pytest.raises(PermissionDenied):
        decide(org.mel, child)  # the front door's manager: Lily is not theirs


def test_legal_planning_is_for_a_service_manager_or_above(org, child):
    errors = refusal(lambda: decide(org.tess, child, kind=DecisionKind.LEGAL_PLANNING))
    assert errors == {"kind": ["Only a service manager or head of service can record a legal planning or "
                               "pre-proceedings decision: ask yours to record it"]}
    assert decide(org.simon, child, kind=DecisionKind.LEGAL_PLANNING).decided_by == org.simon


def test_shareable_needs_a_summary_for_the_family(org, child):
    errors = refusal(lambda: decide(org.tess, child, shareable_with_family=True))
    assert list(errors) == ["family_summary"] and errors["family_summary"][0].startswith("Enter a summary")
    decision = decide(org.tess, child, shareable_with_family=True, family_summary="We will keep helping you.")
    assert decision.shareable_with_family and decision.family_summary == "We will keep helping you."


def test_a_summary_not_marked_shareable_is_not_kept(org, child):
    assert decide(org.tess, child, family_summary="Draft words").family_summary == ""


def test_dissent_at_the_time_is_kept_with_who_raised_it(org, child):
    errors = refusal(lambda: decide(org.tess, child, dissent="Too soon to step down"))
    assert errors == {"dissent_raised_by": ["Enter who disagreed, with their role or agency"]}
    errors = refusal(lambda: decide(org.tess, child, dissent_raised_by="DC Reid, police"))
    assert errors == {"dissent": ["Enter what they disagreed with, and why"]}
    decision = decide(org.tess, child, dissent="Too soon", dissent_raised_by="DC Reid, police")
    dissent = decision.dissents.get()
    assert (dissent.raised_by, dissent.text, dissent.recorded_by) == ("DC Reid, police", "Too soon", org.tess)
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_type="oversight.decisiondissent",
                                     child=child).count() == 1


def test_a_worker_records_a_disagreement_afterwards(org, child):
    decision = decide(org.tess, child)
    assert refusal(lambda: services.record_dissent(actor=org.sam, decision=decision, dissent_raised_by="Sam",
                                                   dissent="")) == {
        "dissent": ["Enter what they disagreed with, and why"]}
    services.record_dissent(actor=org.sam, decision=decision, dissent_raised_by="Sam Worker, social worker",
                            dissent="Lily said she is frightened at home")
    assert decision.dissents.get().recorded_by == org.sam


def test_someone_who_may_only_read_the_record_cannot_disagree_on_it(org, child):
    decision = decide(org.tess, child)
    with pytest.raises(PermissionDenied):
        services.record_dissent(actor=org.quinn, decision=decision, dissent_raised_by="Quinn", dissent="No")
    assert not DecisionDissent.objects.exists()


def test_a_conference_request_is_signed_off_by_a_service_manager_who_did_not_make_it(org, child):
    request = decide(org.tess, child, kind=DecisionKind.CONFERENCE_REQUEST)
    assert request.awaiting_sign_off
    for manager in (org.tess,):  # a team manager (who also made it)
        assert "__all__" in refusal(lambda m=manager: services.sign_off_conference_request(actor=m, decision=request))
    own = decide(org.simon, child, kind=DecisionKind.CONFERENCE_REQUEST)
    assert refusal(lambda: services.sign_off_conference_request(actor=org.simon, decision=own)) == {"__all__": [
        "You made this decision, so another service manager or head of service must sign it off"]}
    services.sign_off_conference_request(actor=org.simon, decision=request)
    request.refresh_from_db()
    assert request.signed_off_by == org.simon and request.signed_off_at is not None
    assert not request.awaiting_sign_off
    assert AuditEvent.objects.filter(action=Action.AUTHORISE, subject_id=str(request.pk), child=child).exists()
    assert "signed off by" in refusal(lambda: services.sign_off_conference_request(
        actor=org.hana, decision=request))["__all__"][0]


def test_a_team_manager_cannot_sign_off_a_conference_request(org, child):
    request = decide(org.simon, child, kind=DecisionKind.CONFERENCE_REQUEST)
    assert refusal(lambda: services.sign_off_conference_request(actor=org.tess, decision=request)) == {"__all__": [
        "Only a service manager or head of service can sign off a request for an initial child protection "
        "conference"]}


def test_only_a_conference_request_is_signed_off(org, child):
    plan = decide(org.tess, child)
    assert refusal(lambda: services.sign_off_conference_request(actor=org.simon, decision=plan)) == {"__all__": [
        "Only a request for an initial child protection conference needs a sign-off"]}


def test_a_police_notification_and_the_front_doors_decision_can_be_evidence(org, child):
    ids = front_door_ids(child, front_door=org.fran, social_worker=org.mo, manager=org.mel)
    police = evidence.value("police_notification", ids["notification_id"])
    threshold = evidence.value("threshold_decision", ids["decision_id"])
    offered = dict(evidence.choices(child))
    assert police in offered and threshold in offered and offered[police].startswith("Police notification DA/1")
    decision = decide(org.tess, child, risk_evidence=[police], option_evidence=[threshold])
    assert {(row.kind, row.record_id) for row in decision.evidence.all()} == {
        ("police_notification", ids["notification_id"]), ("threshold_decision", ids["decision_id"])}
    named = evidence.described(child, decision.evidence.all())
    assert named["threshold_decision", ids["decision_id"]].url.endswith(f"/threshold/{ids['decision_id']}/")
    jack = make_child("Jack", "Smith")
    allocate(jack, org.sam, allocated_by=org.tess)
    assert refusal(lambda: decide(org.tess, jack, risk_evidence=[police]))["risk_evidence"]


def test_the_kinds_only_senior_managers_record_are_kinds_of_decision():
    """access/permissions.py names them as text, since access sits below oversight."""
    assert permissions.SENIOR_DECISION_KINDS == {DecisionKind.LEGAL_PLANNING}
