"""Conferences start, review and end child protection plans; every refusal says what is expected.

The builders at the top are shared with the plans tests (test_plans_*.py).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casefile.audit.models import Action as AuditAction
from casefile.audit.models import AuditEvent
from casefile.casework.models import (
    ActionProgress,
    Agency,
    Conference,
    ConferenceParticipant,
    ConferenceReport,
    Episode,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanReview,
    Section47Enquiry,
    StrategyDiscussion,
)
from casefile.casework.services import plans, protection
from casefile.people.models import Relationship
from casefile.testing import make_adult

Kind, Decision = Conference.Kind, Conference.Decision
AT_RISK = Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK
STRATEGY_DAY = datetime.date(2024, 3, 4)
ICPC_DAY = datetime.date(2024, 3, 25)  # a Monday, the week before Easter 2024
REVIEW_DAY = datetime.date(2024, 6, 20)
CONTINGENCY = "If school attendance falls below 80%, the core group meets within 5 working days"


# Builders (used by the plans tests too) -----------------------------------------------------------------


def make_episode(child, worker, referral_date=datetime.date(2024, 2, 26)) -> Episode:
    return Episode.objects.create(child=child, referral_date=referral_date, referral_source="2A",
                                  recorded_by=worker)


def make_enquiry(child, org, *, strategy_date=STRATEGY_DAY, outcome=AT_RISK, episode=None) -> Section47Enquiry:
    episode = episode or make_episode(child, org.sam)
    strategy = StrategyDiscussion.objects.create(
        episode=episode, date=strategy_date, chaired_by=org.tess, reason="Bruising reported by school",
        decision=StrategyDiscussion.Decision.SECTION_47, decision_rationale="Threshold met", recorded_by=org.sam)
    return Section47Enquiry.objects.create(episode=episode, strategy_discussion=strategy, outcome=outcome,
                                           outcome_date=strategy_date + datetime.timedelta(days=10),
                                           recorded_by=org.sam)


def conference_values(org, **overrides) -> dict:
    values = {"chair": org.chris, "advocacy_offered": True, "childs_views": "Her advocate read Lily's letter",
              "decision": Decision.PLAN, "category": "NEG", "contingency": CONTINGENCY}
    return {**values, **overrides}


def hold_icpc(child, org, *, date=ICPC_DAY, enquiry=None, **overrides) -> Conference:
    enquiry = enquiry or make_enquiry(child, org)
    return protection.record_conference(actor=org.sam, child=child, kind=Kind.INITIAL, date=date, enquiry=enquiry,
                                        **conference_values(org, **overrides))


def start_cp_plan(child, org, **overrides) -> Plan:
    return hold_icpc(child, org, **overrides).plans_started.get()


def add_smart_action(plan, *, outcome=None, description="Walk Lily to school each morning",
                     owner="Dawn Hartley (mother)", due=datetime.date(2024, 5, 31),
                     measure="School register shows attendance above 95%") -> PlanAction:
    outcome = outcome or PlanOutcome.objects.create(plan=plan, description="Lily goes to school every day")
    return PlanAction.objects.create(outcome=outcome, description=description, owner=owner, due_date=due,
                                     measure=measure)


def done(*actions, evidence="Register shows 97%") -> dict:
    return {action.pk: {"status": ActionProgress.Status.DONE, "evidence": evidence} for action in actions}


def hold_review(child, org, *, date=REVIEW_DAY, progress=None, **overrides) -> Conference:
    plan = plans.open_plan(child, Plan.Kind.CHILD_PROTECTION)
    progress = done(*plans.plan_actions(plan)) if progress is None and plan else progress or {}
    values = conference_values(org, **overrides)
    values.pop("contingency")
    return protection.record_conference(actor=org.sam, child=child, kind=Kind.REVIEW, date=date, progress=progress,
                                        **values)


def refusal(error: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return error.value.message_dict


# An initial conference starts the plan ------------------------------------------------------------------


def test_an_initial_conference_deciding_on_a_plan_starts_the_child_protection_plan(org, child):
    dawn = make_adult()
    Relationship.objects.create(person=dawn, relative=child, kind=Relationship.Kind.PARENT)
    enquiry = make_enquiry(child, org)
    conference = hold_icpc(child, org, enquiry=enquiry, participants=[
        {"person": child, "name": child.full_name, "role": "The child", "invited": True, "attended": False},
        {"person": dawn, "name": dawn.full_name, "role": "Parent", "invited": True, "attended": True},
        {"person": None, "name": "Jo Patel", "role": "Health", "agency": Agency.HEALTH, "invited": True,
         "attended": True},
    ], reports=[{"agency": Agency.HEALTH, "received": True, "shared_with_parents": True},
                {"agency": Agency.EDUCATION, "received": False}])

    plan = Plan.objects.get(child=child)
    assert (plan.kind, plan.start_date, plan.end_date) == (Plan.Kind.CHILD_PROTECTION, ICPC_DAY, None)
    assert (plan.initial_category, plan.latest_category) == ("NEG", "NEG")
    assert plan.started_by_conference == conference and plan.episode == enquiry.episode
    assert plan.contingency == CONTINGENCY
    assert conference.enquiry == enquiry and conference.chair == org.chris
    assert ConferenceParticipant.objects.filter(conference=conference, attended=True).count() == 2
    assert ConferenceParticipant.objects.get(conference=conference, person=child).attended is False
    assert ConferenceReport.objects.get(conference=conference, agency=Agency.HEALTH).shared_with_parents is True
    assert ConferenceReport.objects.get(conference=conference, agency=Agency.EDUCATION).received is False
    audited = set(AuditEvent.objects.filter(child=child, action=AuditAction.CREATE).values_list("subject_type",
                                                                                                 flat=True))
    assert {"casework.conference", "casework.plan"} <= audited
    assert plan.history.first().history_user == org.sam


def test_an_initial_conference_deciding_on_no_plan_starts_nothing(org, child):
    hold_icpc(child, org, decision=Decision.NO_PLAN, category="")
    assert not Plan.objects.exists()
    assert Conference.objects.get().decision == Decision.NO_PLAN


def test_a_plan_started_by_a_conference_ends_an_open_child_in_need_plan(org, child):
    enquiry = make_enquiry(child, org)
    cin = plans.start_cin_plan(actor=org.sam, child=child, start_date=datetime.date(2024, 3, 1),
                               visit_interval_working_days=20, contingency=CONTINGENCY)
    hold_icpc(child, org, enquiry=enquiry)
    cin.refresh_from_db()
    assert cin.end_date == ICPC_DAY
    assert Plan.objects.filter(end_date__isnull=True).get().kind == Plan.Kind.CHILD_PROTECTION


def test_a_transfer_in_conference_can_start_a_plan(org, child):
    make_episode(child, org.sam)
    conference = protection.record_conference(actor=org.sam, child=child, kind=Kind.TRANSFER_IN, date=ICPC_DAY,
                                              **conference_values(org, category="EMO"))
    plan = conference.plans_started.get()
    assert (plan.start_date, plan.initial_category) == (ICPC_DAY, "EMO")


# A review conference reviews, continues or ends the plan ----------------------------------------------


def test_a_review_conference_records_the_review_and_updates_the_latest_category(org, child):
    plan = start_cp_plan(child, org)
    action = add_smart_action(plan)
    conference = hold_review(child, org, category="EMO", review_summary="Attendance is much better",
                             progress={action.pk: {"status": "partly", "evidence": "Register shows 85%"}})
    plan.refresh_from_db()
    review = PlanReview.objects.get(plan=plan)
    assert review.conference == conference and review.date == REVIEW_DAY
    assert review.summary == "Attendance is much better"
    assert ActionProgress.objects.get(review=review, action=action).status == "partly"
    assert (plan.initial_category, plan.latest_category, plan.end_date) == ("NEG", "EMO", None)
    assert AuditEvent.objects.filter(subject_type="casework.plan", action=AuditAction.UPDATE,
                                     details__latest_category=["NEG", "EMO"]).exists()


def test_a_review_conference_that_ends_the_plan_ends_it_on_the_day(org, child):
    plan = start_cp_plan(child, org)
    add_smart_action(plan)
    conference = hold_review(child, org, decision=Decision.END_PLAN, category="")
    plan.refresh_from_db()
    assert plan.end_date == REVIEW_DAY and plan.ended_by_conference == conference
    assert plan.latest_category == "NEG"
    assert PlanReview.objects.get(plan=plan).conference == conference


# Refusals ---------------------------------------------------------------------------------------------


def test_it_refuses_a_review_conference_when_there_is_no_open_plan(org, child):
    with pytest.raises(ValidationError) as error:
        hold_review(child, org)
    assert refusal(error) == {"plan": ["Lily has no open child protection plan to review: record an initial or "
                                       "transfer-in conference instead"]}
    assert not Conference.objects.exists()


def test_it_refuses_an_initial_conference_before_the_strategy_discussion(org, child):
    with pytest.raises(ValidationError) as error:
        hold_icpc(child, org, date=STRATEGY_DAY - datetime.timedelta(days=1))
    assert refusal(error)["date"] == ["The initial conference cannot be before the strategy discussion on 4 March "
                                      "2024, where the section 47 enquiry started"]
    assert not Conference.objects.exists() and not Plan.objects.exists()


def test_it_refuses_a_plan_decision_without_a_category(org, child):
    with pytest.raises(ValidationError) as error:
        hold_icpc(child, org, category="")
    assert refusal(error) == {"category": ["Select the category of abuse: a child protection plan needs one"]}
    assert not Conference.objects.exists()


def test_it_refuses_a_review_that_continues_the_plan_without_a_category(org, child):
    start_cp_plan(child, org)
    with pytest.raises(ValidationError) as error:
        hold_review(child, org, category="")
    assert "category" in refusal(error)
    assert Conference.objects.count() == 1 and not PlanReview.objects.exists()


def test_it_refuses_a_second_open_child_protection_plan(org, child):
    start_cp_plan(child, org)
    second_enquiry = make_enquiry(child, org, strategy_date=datetime.date(2024, 4, 2))
    with pytest.raises(ValidationError) as error:
        hold_icpc(child, org, date=datetime.date(2024, 4, 15), enquiry=second_enquiry)
    assert refusal(error)["decision"] == ["Lily already has an open child protection plan from 25 March 2024: a "
                                          "child can have only one, so record a review conference instead"]
    with pytest.raises(ValidationError):
        protection.record_conference(actor=org.sam, child=child, kind=Kind.TRANSFER_IN, date=ICPC_DAY,
                                     **conference_values(org))
    assert Plan.objects.count() == 1 and Conference.objects.count() == 1


def test_it_refuses_an_initial_conference_for_an_enquiry_that_found_no_continuing_risk(org, child):
    enquiry = make_enquiry(child, org, outcome=Section47Enquiry.Outcome.SUBSTANTIATED_NOT_AT_RISK)
    with pytest.raises(ValidationError) as error:
        hold_icpc(child, org, enquiry=enquiry)
    assert refusal(error)["enquiry"] == ["An initial conference follows a section 47 enquiry whose outcome was "
                                         "‘substantiated and at continuing risk’: record that outcome first"]


def test_it_refuses_an_initial_conference_without_an_enquiry_or_with_another_childs(org, child):
    from casefile.testing import make_child

    other_enquiry = make_enquiry(make_child(first_name="Mia"), org)
    for enquiry in (None, other_enquiry):
        with pytest.raises(ValidationError) as error:
            protection.record_conference(actor=org.sam, child=child, kind=Kind.INITIAL, date=ICPC_DAY,
                                         enquiry=enquiry, **conference_values(org))
        assert refusal(error)["enquiry"] == ["Select the section 47 enquiry that led to this initial conference"]


def test_it_refuses_a_chair_who_is_not_a_conference_chair(org, child):
    with pytest.raises(ValidationError) as error:
        hold_icpc(child, org, chair=org.tess)
    assert refusal(error)["chair"] == ["Tess Manager is not a conference chair: select one of the chairs listed"]


def test_it_refuses_a_conference_in_the_future_and_missing_answers_all_at_once(org, child):
    with pytest.raises(ValidationError) as error:
        hold_icpc(child, org, date=timezone.localdate() + datetime.timedelta(days=3), advocacy_offered=None,
                  childs_views=" ", contingency="tbc")
    errors = refusal(error)
    assert errors["date"] == ["The date of the conference must be today or in the past"]
    assert errors["advocacy_offered"] == ["Select whether Lily was offered an advocate"]
    assert errors["childs_views"] == ["Enter how Lily’s views were brought to the conference"]
    assert errors["contingency"][0].startswith("The contingency must say what will happen")


def test_it_refuses_a_review_decision_that_an_initial_conference_cannot_make(org, child):
    with pytest.raises(ValidationError) as error:
        hold_icpc(child, org, decision=Decision.END_PLAN)
    assert refusal(error)["decision"] == ["Select the conference’s decision: ‘Child protection plan (started or "
                                          "continued)’ or ‘No child protection plan’"]


def test_it_refuses_a_review_conference_until_every_action_has_progress_and_evidence(org, child):
    plan = start_cp_plan(child, org)
    first, second = add_smart_action(plan), add_smart_action(plan, description="Take Lily to the dentist")
    with pytest.raises(ValidationError) as error:
        hold_review(child, org, progress={first.pk: {"status": "done", "evidence": ""}})
    errors = refusal(error)
    assert errors[f"progress_{first.pk}_evidence"] == [
        "Enter the evidence for ‘Walk Lily to school each morning’: what shows how far it was done"]
    assert errors[f"progress_{second.pk}_status"] == [
        "Select whether ‘Take Lily to the dentist’ was done, partly done or not done"]
    assert Conference.objects.count() == 1 and not PlanReview.objects.exists()


def test_it_refuses_someone_unrelated_as_a_family_participant(org, child):
    stranger = make_adult(first_name="Stan", last_name="Ranger")
    with pytest.raises(ValidationError) as error:
        hold_icpc(child, org, participants=[{"person": stranger, "name": "Stan Ranger", "role": "Uncle",
                                             "invited": True, "attended": False}])
    assert refusal(error)["participants"] == ["Stan Ranger is not Lily or someone related to them"]


def test_people_to_invite_are_the_child_then_their_relatives_each_once(org, child):
    dawn, gran = make_adult(), make_adult(first_name="Gwen")
    Relationship.objects.create(person=dawn, relative=child, kind=Relationship.Kind.PARENT)
    Relationship.objects.create(person=child, relative=dawn, kind=Relationship.Kind.PARENT)  # recorded both ways
    Relationship.objects.create(person=gran, relative=child, kind=Relationship.Kind.GRANDPARENT)
    invitees = protection.people_to_invite(child)
    assert [(i.person, i.role) for i in invitees] == [(child, "The child"), (dawn, "Parent"), (gran, "Grandparent")]
