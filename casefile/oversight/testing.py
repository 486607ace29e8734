"""Chair and IRO challenge records for tests: built with the models directly (like casework.testing's journey), so
any test, the URL and write sweeps included, has one of each in a few milliseconds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from casefile.accounts.models import User
from casefile.casework.models import Agency, Conference, ConferenceReport
from casefile.oversight.models import Escalation, EscalationStage, ReportFeedback
from casefile.people.models import Person
from casefile.rules.escalation import Stage


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
