"""A plan goes to a manager for authorisation: the worker submits it, a manager who did not submit it authorises it
(saying why when quality flags remain) or returns it with a comment the worker answers when they submit again."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from casefile.audit.models import AuditEvent
from casefile.casework.models import Assessment, Episode, ReturnedWork
from casefile.casework.services import episodes, plans
from casefile.casework.tests.plan_fixtures import START
from casefile.casework.tests.test_episodes_assessment import complete
from casefile.casework.tests.test_protection_conferences import CONTINGENCY, make_episode


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.message_dict


def test_the_worker_submits_the_plan_and_it_is_audited(org, child, plan):
    plans.submit_plan(actor=org.sam, plan=plan)
    plan.refresh_from_db()
    assert (plan.submitted_on is not None, plan.submitted_by, plan.authorised_on) == (True, org.sam, None)
    assert AuditEvent.objects.filter(actor=org.sam, subject_id=str(plan.pk), details__submitted=True).exists()


def test_someone_who_may_not_change_the_childs_record_cannot_submit_the_plan(org, plan):
    assert refused(plans.submit_plan, actor=org.ola, plan=plan)["__all__"] == [
        "Only the child’s social worker or their team can submit the plan for authorisation"]


def test_a_plan_already_waiting_cannot_be_submitted_again(org, plan):
    plans.submit_plan(actor=org.sam, plan=plan)
    assert "waiting for a manager" in refused(plans.submit_plan, actor=org.sam, plan=plan)["__all__"][0]


def test_an_ended_plan_cannot_be_submitted(org, plan):
    plan.end_date = START + datetime.timedelta(days=30)
    plan.save()
    assert "an ended plan cannot be submitted" in refused(plans.submit_plan, actor=org.sam, plan=plan)["__all__"][0]


def test_a_worker_cannot_authorise_or_return_a_plan(org, plan):
    plans.submit_plan(actor=org.sam, plan=plan)
    assert refused(plans.authorise_plan, actor=org.sam, plan=plan)["__all__"] == [
        "Only a team manager, service manager or head of service can authorise a plan"]
    assert refused(plans.return_plan, actor=org.sam, plan=plan, comment="No")["__all__"] == [
        "Only a team manager, service manager or head of service can return a plan"]


def test_the_manager_who_submitted_a_plan_cannot_authorise_it(org, plan):
    plans.submit_plan(actor=org.tess, plan=plan)
    assert refused(plans.authorise_plan, actor=org.tess, plan=plan)["__all__"] == [
        "You submitted this plan, so another manager must authorise it"]
    plans.authorise_plan(actor=org.simon, plan=plan)
    assert plan.authorised_by == org.simon


def test_a_plan_not_submitted_cannot_be_authorised_or_returned(org, plan):
    assert refused(plans.authorise_plan, actor=org.tess, plan=plan)["__all__"] == [
        "Only a plan waiting for authorisation can be authorised"]
    assert refused(plans.return_plan, actor=org.tess, plan=plan, comment="x")["__all__"] == [
        "Only a plan waiting for authorisation can be returned"]


def test_a_clean_plan_is_authorised_without_a_reason(org, plan):
    plans.submit_plan(actor=org.sam, plan=plan)
    plans.authorise_plan(actor=org.tess, plan=plan)
    plan.refresh_from_db()
    assert (plan.authorised_by, plan.flags_at_authorisation, plan.authorised_despite) == (org.tess, [], "")
    assert AuditEvent.objects.filter(actor=org.tess, subject_id=str(plan.pk), details__flags=[]).exists()


def test_authorising_with_flags_remaining_needs_a_reason_naming_the_flags(org, vague_plan):
    plans.submit_plan(actor=org.sam, plan=vague_plan)
    errors = refused(plans.authorise_plan, actor=org.tess, plan=vague_plan)
    assert errors["reason"][0].startswith("Enter why you authorise the plan with PQ2")
    assert "return it to the worker" in errors["reason"][0]
    plans.authorise_plan(actor=org.tess, plan=vague_plan, reason="Mum has agreed dates at the core group")
    vague_plan.refresh_from_db()
    assert "PQ2" in vague_plan.flags_at_authorisation
    assert vague_plan.authorised_despite == "Mum has agreed dates at the core group"


def test_returning_needs_a_comment(org, plan):
    plans.submit_plan(actor=org.sam, plan=plan)
    assert refused(plans.return_plan, actor=org.tess, plan=plan, comment="  ")["comment"] == [
        "Enter what needs to change before you can authorise the plan"]
    assert not ReturnedWork.objects.exists()


def test_a_returned_plan_keeps_the_comment_and_is_answered_when_submitted_again(org, child, vague_plan):
    plans.submit_plan(actor=org.sam, plan=vague_plan)
    plans.return_plan(actor=org.tess, plan=vague_plan, comment="Name who will do what, and by when")
    vague_plan.refresh_from_db()
    assert vague_plan.submitted_on is None
    returned = ReturnedWork.objects.get()
    assert (returned.child, returned.kind, returned.record_id, returned.returned_to, returned.returned_by,
            returned.comment, returned.is_open) == (child, "plan", vague_plan.pk, org.sam, org.tess,
                                                    "Name who will do what, and by when", True)
    assert refused(plans.submit_plan, actor=org.sam, plan=vague_plan)["answer"] == [
        "Enter your answer to the manager’s comment: what you changed, or why not"]
    plans.submit_plan(actor=org.sam, plan=vague_plan, answer="Dawn Hartley will book the course by June")
    returned.refresh_from_db()
    assert (returned.answered_by, returned.answer, returned.is_open) == (
        org.sam, "Dawn Hartley will book the course by June", False)
    assert AuditEvent.objects.filter(subject_id=str(returned.pk), details__answered=True).exists()


def test_a_change_after_authorisation_marks_the_plan_and_it_may_be_submitted_again(org, plan):
    plans.submit_plan(actor=org.sam, plan=plan)
    plans.authorise_plan(actor=org.tess, plan=plan)
    assert "nothing new to authorise" in refused(plans.submit_plan, actor=org.sam, plan=plan)["__all__"][0]
    action = plan.outcomes.get().actions.get()
    plans.change_action(actor=org.sam, action=action, description=action.description, owner=action.owner,
                        due_date=action.due_date, measure="School register shows attendance above 97%")
    plan.refresh_from_db()
    assert plan.changed_since_authorisation and plan.authorised_by == org.tess
    plans.submit_plan(actor=org.sam, plan=plan)
    plan.refresh_from_db()
    assert (plan.authorised_on, plan.changed_since_authorisation) == (None, False)


def test_changing_the_contingency_after_authorisation_marks_the_plan(org, plan):
    plans.submit_plan(actor=org.sam, plan=plan)
    plans.authorise_plan(actor=org.tess, plan=plan)
    plans.change_plan(actor=org.sam, plan=plan, contingency=CONTINGENCY + " and the manager is told",
                      visit_interval_working_days=20)
    plan.refresh_from_db()
    assert plan.changed_since_authorisation


def test_returning_an_assessment_or_a_closure_keeps_the_comment_as_returned_work(org, child):
    episode = make_episode(child, org.sam)
    assessment = Assessment.objects.create(episode=episode, start_date=datetime.date(2024, 2, 27),
                                           submitted_on=datetime.date(2024, 3, 1), recorded_by=org.sam)
    episodes.return_assessment(actor=org.tess, assessment=assessment, reason="Add the father's views")
    closing = Episode.objects.create(child=child, referral_date=datetime.date(2023, 1, 5), referral_source="2A",
                                     recorded_by=org.sam, closure_reason="RC8", closure_proposed_by=org.sam,
                                     closure_proposed_on=datetime.date(2024, 3, 1))
    episodes.return_closure(actor=org.tess, episode=closing, reason="The school's worries are not answered")
    assert sorted(ReturnedWork.objects.values_list("kind", "record_id", "comment", "returned_to")) == [
        ("assessment", assessment.pk, "Add the father's views", org.sam.pk),
        ("closure", closing.pk, "The school's worries are not answered", org.sam.pk)]


def test_a_returned_closure_is_proposed_again_only_with_an_answer(org, child):
    episode = make_episode(child, org.sam)
    closing = {"reason": "RC7", "rationale": "Needs met", "childs_views": "I am fine now"}
    episodes.propose_closure(actor=org.sam, episode=episode, **closing)
    episodes.return_closure(actor=org.tess, episode=episode, reason="Ask the school first")
    assert refused(episodes.propose_closure, actor=org.sam, episode=episode, **closing)["answer"] == [
        "Enter your answer to the manager’s comment: what you changed, or why not"]
    episodes.propose_closure(actor=org.sam, episode=episode, answer="The school has no worries", **closing)
    assert ReturnedWork.objects.get().answer == "The school has no worries"


def test_a_returned_assessment_is_submitted_again_only_with_an_answer(org, child):

    episode = make_episode(child, org.sam)
    episode.referral_nfa, episode.referral_decision_date = False, episode.referral_date
    episode.save()
    assessment = complete(org, episodes.start_assessment(actor=org.sam, episode=episode,
                                                         start_date=datetime.date(2024, 3, 4)))
    episodes.submit_assessment(actor=org.sam, assessment=assessment)
    episodes.return_assessment(actor=org.tess, assessment=assessment, reason="Add the father's views")
    assert refused(episodes.submit_assessment, actor=org.sam, assessment=assessment)["answer"] == [
        "Enter your answer to the manager’s comment: what you changed, or why not"]
    episodes.submit_assessment(actor=org.sam, assessment=assessment, answer="Dad seen on 5 March")
    assert ReturnedWork.objects.get(kind="assessment").answer == "Dad seen on 5 March"
