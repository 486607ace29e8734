"""Test helpers for oversight: a management decision made quickly, chair and IRO challenge records built with the
models directly (like casework.testing's journey), supervision records, and one of every oversight record for the
URL sweeps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from casefile.accounts.models import User
from casefile.casework.models import Agency, Conference, ConferenceReport
from casefile.oversight.models import (
    CaseSupervision,
    DecisionKind,
    Escalation,
    EscalationStage,
    ManagementDecision,
    ReportFeedback,
    StaffSupervision,
    SupervisionAction,
)
from casefile.people.models import Person
from casefile.rules.escalation import Stage


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


@dataclass
class Challenge:
    escalation: Escalation
    report: ConferenceReport
    feedback: ReportFeedback

    def ids(self) -> dict[str, int]:
        """URL arguments: escalation_id, report_id."""
        return {"escalation_id": self.escalation.pk, "report_id": self.report.pk}


def make_escalation(child: Person, chair: User, raised_on: datetime.date, *, stage: Stage = Stage.INFORMAL,
                    concern: str = "No core group has met since the plan started",
                    asked_for: str = "Hold a core group within 10 working days") -> Escalation:
    """An open escalation raised on `raised_on`, now at `stage` (which started that day), its rows unanswered."""
    escalation = Escalation.objects.create(child=child, raised_by=chair, raised_on=raised_on, concern=concern,
                                           asked_for=asked_for, stage=stage, stage_started_on=raised_on)
    EscalationStage.objects.create(escalation=escalation, stage=stage, started_on=raised_on, started_by=chair)
    return escalation


def make_challenge(child: Person, chair: User, conference: Conference) -> Challenge:
    """An open practice concern on the child, and a graded health report to the conference."""
    escalation = make_escalation(child, chair, conference.date)
    report = ConferenceReport.objects.create(conference=conference, agency=Agency.HEALTH, received=True,
                                             received_on=conference.date, shared_with_parents=True)
    feedback = ReportFeedback.objects.create(report=report, grade=ReportFeedback.Grade.ADEQUATE,
                                             comment="Arrived on time but did not analyse the bruising",
                                             given_by=chair, given_on=conference.date)
    return Challenge(escalation, report, feedback)


def challenge_ids(child: Person) -> dict[str, int]:
    """The URL arguments of the child's challenge records made by make_challenge, for the sweeps."""
    escalation = Escalation.objects.filter(child=child).order_by("pk").first()
    report = ConferenceReport.objects.filter(conference__child=child).order_by("pk").first()
    return {"escalation_id": escalation.pk if escalation else 0, "report_id": report.pk if report else 0}


REFLECTIVE = {"happening": "Lily is attending school most days", "worries": "Bruising seen twice this term",
              "working_well": "Grandmother collects Lily every Friday", "hypotheses": "Stress since the move",
              "next_steps": "Joint visit with the health visitor"}
STAFF = {"wellbeing": "Tired after a court week", "caseload": "18 children, two in proceedings",
         "learning": "Booked on the ASYE reflective practice day"}


def make_case_supervision(child: Person, worker: User, supervisor: User,
                          held_on: datetime.date = datetime.date(2024, 3, 4), **fields) -> CaseSupervision:
    return CaseSupervision.objects.create(child=child, worker=worker, supervisor=supervisor, held_on=held_on,
                                          recorded_by=supervisor, **{**REFLECTIVE, **fields})


def make_staff_supervision(worker: User, supervisor: User, held_on: datetime.date = datetime.date(2024, 3, 4),
                           **fields) -> StaffSupervision:
    return StaffSupervision.objects.create(worker=worker, supervisor=supervisor, held_on=held_on,
                                           recorded_by=supervisor, **{**STAFF, **fields})


def supervision_ids(child: Person, worker: User, supervisor: User) -> dict[str, int]:
    """URL arguments for every supervision page, filled with records about the child and her worker."""
    supervision = make_case_supervision(child, worker, supervisor)
    action = SupervisionAction.objects.create(supervision=supervision, description="Visit Lily at school",
                                              owner="Sam Worker (social worker)", due_date=datetime.date(2024, 3, 18),
                                              measure="Lily's words recorded on the visit")
    staff = make_staff_supervision(worker, supervisor)
    return {"supervision_id": supervision.pk, "supervision_action_id": action.pk, "staff_supervision_id": staff.pk,
            "worker_id": worker.pk}
