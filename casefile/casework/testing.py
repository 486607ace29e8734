"""A whole journey for one child, for tests: one of every kind of casework record.

Built with the models directly (not the services) so any test, including the URL sweep, can have a full
record in a few milliseconds. Dates follow a plausible order from referral to closure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.utils import timezone

from casefile.accounts.models import User
from casefile.casework import closure_history
from casefile.casework import models as cw
from casefile.people.models import Person


@dataclass
class Journey:
    episode: cw.Episode
    assessment: cw.Assessment
    strategy_discussion: cw.StrategyDiscussion
    enquiry: cw.Section47Enquiry
    conference: cw.Conference
    review_conference: cw.Conference
    plan: cw.Plan
    outcome: cw.PlanOutcome
    plan_action: cw.PlanAction
    review: cw.PlanReview
    core_group: cw.CoreGroup
    agreed_action: cw.AgreedAction
    visit: cw.Visit
    case_note: cw.CaseNote
    early_help_transfer: cw.EarlyHelpTransfer

    def ids(self) -> dict[str, int]:
        """URL arguments named after each record: episode_id, assessment_id, ... (and conference_id)."""
        ids = {f"{f.name}_id": getattr(self, f.name).pk for f in fields(self)}
        ids.update({"enquiry_id": self.enquiry.pk, "section47_id": self.enquiry.pk, "outcome_id": self.outcome.pk,
                    "action_id": self.plan_action.pk, "note_id": self.case_note.pk,
                    "transfer_id": self.early_help_transfer.pk, "strategy_id": self.strategy_discussion.pk})
        return ids


def make_journey(child: Person, worker: User, manager: User, chair: User,
                 referral_date: datetime.date = datetime.date(2024, 1, 8)) -> Journey:
    day = referral_date

    def later(days: int) -> datetime.date:
        return day + datetime.timedelta(days=days)

    by = {"recorded_by": worker}
    episode = cw.Episode.objects.create(child=child, referral_date=day, referral_source="2A",
                                        referral_decision_date=day,
                                        referral_decided_by=manager, referral_nfa=False, primary_need="N1", **by)
    assessment = cw.Assessment.objects.create(
        episode=episode, start_date=later(1), child_seen=True, child_seen_on=later(2), child_seen_alone=True,
        childs_views="I don't like it when they shout.", worries="Neglect of basic care", scale=3,
        analysis="Needs a child protection response", outcome=cw.Assessment.Outcome.STRATEGY_DISCUSSION,
        requires_support=True, submitted_on=later(8), authorised_on=later(9), authorised_by=manager, **by)
    cw.AssessmentFactor.objects.create(assessment=assessment, code="16A")
    strategy = cw.StrategyDiscussion.objects.create(
        episode=episode, date=later(3), chaired_by=manager, reason="Bruising reported by school",
        decision=cw.StrategyDiscussion.Decision.SECTION_47, decision_rationale="Threshold for s47 met", **by)
    cw.StrategyParticipant.objects.create(discussion=strategy, agency=cw.Agency.POLICE, name="DC Reid",
                                          information_shared="Two previous call-outs")
    agreed_action = cw.AgreedAction.objects.create(strategy_discussion=strategy, description="Joint visit",
                                                   owner="DC Reid", due_date=later(4))
    enquiry = cw.Section47Enquiry.objects.create(
        episode=episode, strategy_discussion=strategy, outcome=cw.Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK,
        outcome_date=later(10), outcome_rationale="Continuing risk of neglect", **by)
    conference = cw.Conference.objects.create(
        child=child, episode=episode, enquiry=enquiry, kind=cw.Conference.Kind.INITIAL, date=later(20), chair=chair,
        advocacy_offered=True, decision=cw.Conference.Decision.PLAN, category="NEG", recorded_by=chair)
    plan = cw.Plan.objects.create(
        child=child, episode=episode, kind=cw.Plan.Kind.CHILD_PROTECTION, start_date=later(20),
        started_by_conference=conference, initial_category="NEG", latest_category="NEG",
        contingency="If school attendance falls below 80%, reconvene the core group within 5 days", **by)
    outcome = cw.PlanOutcome.objects.create(plan=plan, description="Lily goes to school every day, clean and fed")
    plan_action = cw.PlanAction.objects.create(
        outcome=outcome, description="Walk Lily to school each morning", owner="Dawn Hartley (mother)",
        due_date=later(60), measure="School attendance register above 95%")
    review_conference = cw.Conference.objects.create(
        child=child, episode=episode, kind=cw.Conference.Kind.REVIEW, date=later(100), chair=chair,
        decision=cw.Conference.Decision.PLAN, category="NEG", recorded_by=chair)
    review = cw.PlanReview.objects.create(plan=plan, date=later(100), conference=review_conference, **by)
    cw.ActionProgress.objects.create(review=review, action=plan_action, status=cw.ActionProgress.Status.DONE,
                                     evidence="Attendance 97% since the plan started")
    core_group = cw.CoreGroup.objects.create(plan=plan, date=later(28), attendees="Social worker, school, health", **by)
    visit = cw.Visit.objects.create(child=child, episode=episode, plan=plan, kind=cw.Visit.Kind.CHILD_PROTECTION,
                                    date=later(30), worker=worker, child_seen=True, seen_alone=True, bedroom_seen=True,
                                    childs_words="I had cereal for breakfast.", **by)
    case_note = cw.CaseNote.objects.create(child=child, episode=episode, date=later(31), subject="Call from school",
                                           body="Attendance improving.", **by)
    transfer = cw.EarlyHelpTransfer.objects.create(child=child, direction=cw.EarlyHelpTransfer.Direction.STEP_DOWN,
                                                   date=later(200), episode=episode, reason="Plan goals met",
                                                   early_help_provider="Family Hub North", **by)
    return Journey(episode, assessment, strategy, enquiry, conference, review_conference, plan, outcome, plan_action,
                   review, core_group, agreed_action, visit, case_note, transfer)


def history_shown(child: Person) -> dict[str, str]:
    """What the closure sign-off page posts back of the child's history today (casework/closure_history.py)."""
    return {"history_shown": closure_history.history_shown(child, timezone.localdate()).as_text}
