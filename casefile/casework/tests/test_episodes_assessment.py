"""The single assessment: starting it, its sections, the rules that keep it consistent, submission and
authorisation by a manager, and the warning when a parent is left out."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework import models as cw
from casefile.casework.services import episodes as services
from casefile.people.models import Relationship
from casefile.testing import make_adult

D = datetime.date
Outcome = cw.Assessment.Outcome


@pytest.fixture
def episode(org, child):
    return cw.Episode.objects.create(child=child, referral_date=D(2024, 3, 1), referral_source="2A",
                                     referral_decision_date=D(2024, 3, 1), referral_decided_by=org.tess,
                                     referral_nfa=False, primary_need="N1", recorded_by=org.sam)


@pytest.fixture
def assessment(org, episode):
    return services.start_assessment(actor=org.sam, episode=episode, start_date=D(2024, 3, 4))


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as raised:
        call(**kwargs)
    return raised.value.message_dict


def update(org, assessment, **changes):
    return services.update_assessment(actor=org.sam, assessment=assessment, **changes)


COMPLETE = {
    "child_seen": True, "child_seen_on": D(2024, 3, 5), "child_seen_alone": True,
    "heard_how": "talked", "childs_views": "I want Mum to stop shouting",
    "family_history": "Mother and two children since 2019",
    "previous_involvement": "None known", "identity_needs": "White British; no faith; English",
    "worries": "Neglect of basic care", "working_well": "Grandmother helps daily",
    "needs_to_happen": "Regular meals and school attendance", "scale": 4, "analysis": "Needs support at home",
    "outcome": Outcome.CHILD_IN_NEED_PLAN, "requires_support": True,
}


def complete(org, assessment, **changes):
    update(org, assessment, factors=["16A"], **(COMPLETE | changes))
    dawn = make_adult(first_name="Dawn", last_name="Reid")
    services.record_assessment_adult(actor=org.sam, assessment=assessment, person=dawn, role="mother", seen=True,
                                     seen_on=D(2024, 3, 5))
    return assessment


# Starting --------------------------------------------------------------------------------------------------


def test_starting_an_assessment(org, assessment):
    assert assessment.start_date == D(2024, 3, 4) and assessment.recorded_by == org.sam
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_type="casework.assessment").exists()


def test_an_assessment_needs_the_referral_decision_first(org, episode):
    episode.referral_nfa = None
    episode.save()
    errors = refused(services.start_assessment, actor=org.sam, episode=episode, start_date=D(2024, 3, 4))
    assert errors["__all__"] == ["Record the referral decision before starting an assessment"]


def test_an_assessment_cannot_follow_a_no_further_action_decision(org, episode):
    episode.referral_nfa = True
    episode.save()
    errors = refused(services.start_assessment, actor=org.sam, episode=episode, start_date=D(2024, 3, 4))
    assert "no further action" in errors["__all__"][0]


def test_an_assessment_cannot_start_before_the_referral(org, episode):
    errors = refused(services.start_assessment, actor=org.sam, episode=episode, start_date=D(2024, 2, 28))
    assert errors["start_date"] == ["The date the assessment started must be on or after the referral date "
                                    "(1 March 2024)"]


def test_only_one_assessment_at_a_time(org, episode, assessment):
    errors = refused(services.start_assessment, actor=org.sam, episode=episode, start_date=D(2024, 3, 5))
    assert errors["__all__"] == ["The assessment started on 4 March 2024 is not yet authorised: finish it before "
                                 "starting another"]


# Sections and consistency ----------------------------------------------------------------------------------


def test_saving_a_section_records_it_with_who_changed_it(org, assessment):
    update(org, assessment, worries="  Neglect  ", scale=3)
    assessment.refresh_from_db()
    assert assessment.worries == "Neglect" and assessment.scale == 3
    assert assessment.history.first().history_user == org.sam
    event = AuditEvent.objects.filter(action=Action.UPDATE, subject_id=str(assessment.pk)).get()
    assert event.details["changed"] == ["scale", "worries"]


@pytest.mark.parametrize(("outcome", "requires_support", "allowed"), [
    (Outcome.NO_FURTHER_ACTION, True, False),
    (Outcome.EARLY_HELP, True, False),
    (Outcome.CHILD_IN_NEED_PLAN, False, False),
    (Outcome.CONTINUE_CHILD_PROTECTION, False, False),
    (Outcome.NO_FURTHER_ACTION, False, True),
    (Outcome.EARLY_HELP, False, True),
    (Outcome.CHILD_IN_NEED_PLAN, True, True),
    (Outcome.CONTINUE_CHILD_PROTECTION, True, True),
    (Outcome.STRATEGY_DISCUSSION, True, True),
    (Outcome.STRATEGY_DISCUSSION, False, True),
])
def test_the_outcome_and_whether_a_plan_is_needed_must_agree(org, assessment, outcome, requires_support, allowed):
    if allowed:
        update(org, assessment, outcome=outcome, requires_support=requires_support)
        assessment.refresh_from_db()
        assert (assessment.outcome, assessment.requires_support) == (outcome, requires_support)
        return
    errors = refused(update, org=org, assessment=assessment, outcome=outcome, requires_support=requires_support)
    assert list(errors) == ["requires_support"]
    assert Outcome(outcome).label in errors["requires_support"][0]
    assessment.refresh_from_db()
    assert assessment.outcome == "" and assessment.requires_support is None


def test_no_factors_identified_cannot_be_combined_with_other_factors(org, assessment):
    errors = refused(update, org=org, assessment=assessment, factors=["21", "16A"])
    assert errors["factors"] == ["Select ‘No factors identified’ (21) on its own, or select the factors identified"]
    assert not assessment.factors.exists()
    update(org, assessment, factors=["21"])
    assert list(assessment.factors.values_list("code", flat=True)) == ["21"]


def test_factors_are_replaced_as_a_set(org, assessment):
    update(org, assessment, factors=["16A", "3B"])
    update(org, assessment, factors=["3B", "4B"])
    assert sorted(assessment.factors.values_list("code", flat=True)) == ["3B", "4B"]


def test_a_child_cannot_be_seen_alone_without_being_seen(org, assessment):
    for seen in (False, None):
        errors = refused(update, org=org, assessment=assessment, child_seen=seen, child_seen_alone=True)
        assert "cannot have been seen alone if they were not seen" in errors["child_seen_alone"][0]


def test_the_date_seen_is_only_for_a_child_who_was_seen(org, assessment):
    errors = refused(update, org=org, assessment=assessment, child_seen=False, child_seen_on=D(2024, 3, 5))
    assert errors["child_seen_on"] == ["Leave the date seen empty unless the child was seen"]


def test_the_scale_runs_from_0_to_10(org, assessment):
    errors = refused(update, org=org, assessment=assessment, scale=11)
    assert errors["scale"] == ["Enter a scale from 0 to 10"]


def test_the_start_date_cannot_move_before_the_referral(org, assessment):
    errors = refused(update, org=org, assessment=assessment, start_date=D(2024, 2, 1))
    assert "on or after the referral date" in errors["start_date"][0]


def test_a_section_page_shows_the_refusal_on_the_form_and_saves_nothing(client, org, child, assessment):
    client.force_login(org.sam)
    url = reverse("casework:assessment_outcome", kwargs={"person_id": child.pk, "assessment_id": assessment.pk})
    page = client.post(url, {"analysis": "Fine", "outcome": "nfa", "requires_support": "yes"}).content.decode()
    assert "There is a problem" in page and "means no plan is needed" in page
    assessment.refresh_from_db()
    assert assessment.analysis == ""


# Parents and significant adults ---------------------------------------------------------------------------


def test_recording_a_parent_and_whether_they_were_seen(org, assessment):
    dad = make_adult(first_name="Dan", last_name="Reid", sex="M")
    adult = services.record_assessment_adult(actor=org.sam, assessment=assessment, person=dad, role="birth father",
                                             seen=False, not_seen_reason="Declined two visits")
    assert adult.seen is False and adult.not_seen_reason == "Declined two visits"
    services.record_assessment_adult(actor=org.sam, assessment=assessment, person=dad, role="birth father",
                                     seen=True, seen_on=D(2024, 3, 6))
    assert assessment.adults.get().seen is True


def test_an_adult_needs_a_role_and_a_seen_answer_and_a_reason_if_not_seen(org, assessment):
    dad = make_adult(first_name="Dan", last_name="Reid")
    call = services.record_assessment_adult
    errors = refused(call, actor=org.sam, assessment=assessment, person=dad, role="", seen=None)
    assert set(errors) == {"role", "seen"}
    errors = refused(call, actor=org.sam, assessment=assessment, person=dad, role="father", seen=False)
    assert errors["not_seen_reason"] == ["Enter why they were not seen, and what was done to try to see them"]
    errors = refused(call, actor=org.sam, assessment=assessment, person=dad, role="father", seen=True)
    assert errors["seen_on"] == ["Enter the date they were seen"]
    assert not assessment.adults.exists()


def test_the_page_warns_when_a_father_in_the_relationships_is_left_out_or_not_seen(client, org, child, assessment):
    dad = make_adult(first_name="Dan", last_name="Reid", sex="M")
    mum = make_adult(first_name="Dawn", last_name="Reid", sex="F")
    Relationship.objects.create(person=dad, relative=child, kind=Relationship.Kind.PARENT)
    Relationship.objects.create(person=mum, relative=child, kind=Relationship.Kind.PARENT)
    services.record_assessment_adult(actor=org.sam, assessment=assessment, person=mum, role="mother", seen=False,
                                     not_seen_reason="In hospital")
    client.force_login(org.sam)
    url = reverse("casework:assessment", kwargs={"person_id": child.pk, "assessment_id": assessment.pk})
    page = client.get(url).content.decode()
    assert "Lily’s father, Dan Reid, is not included in this assessment" in page
    assert "Lily’s mother, Dawn Reid, was not seen during this assessment" in page
    services.record_assessment_adult(actor=org.sam, assessment=assessment, person=dad, role="father", seen=True,
                                     seen_on=D(2024, 3, 6))
    page = client.get(url).content.decode()
    assert "Dan Reid, is not included" not in page


def test_adults_are_chosen_only_from_records_the_worker_may_see(client, org, child, assessment):
    from casefile.testing import allocate, make_child

    other_child = make_child("Tom", "Stranger")
    allocate(other_child, org.ola)
    client.force_login(org.sam)
    url = reverse("casework:record_assessment_adult", kwargs={"person_id": child.pk, "assessment_id": assessment.pk})
    assert client.get(f"{url}?person={other_child.pk}").status_code == 404
    assert client.post(url, {"person": other_child.pk, "role": "x", "seen": "no",
                             "not_seen_reason": "x"}).status_code == 404
    assert not assessment.adults.exists()


# Submission and authorisation -----------------------------------------------------------------------------


def test_submission_lists_every_section_still_to_complete(org, assessment):
    update(org, assessment, childs_views="Happy at school")
    errors = refused(services.submit_assessment, actor=org.sam, assessment=assessment)
    assert errors["__all__"] == ["Complete every section before submitting. Still to do: The child seen; Family "
                                 "history and previous involvement; Parents and significant adults; Identity needs; "
                                 "Assessment factors; Worries, what is working well and what needs to happen; "
                                 "Analysis and outcome"]
    assessment.refresh_from_db()
    assert assessment.submitted_on is None


def test_observations_will_do_for_a_child_under_2_but_not_for_an_older_child(org, child, assessment):
    complete(org, assessment, childs_views="", observations_of_child="Settled in mother’s arms")
    missing = [s.key for s in services.missing_sections(assessment, list(assessment.adults.all()), ["16A"])]
    assert missing == ["views"]
    child.date_of_birth = D(2023, 1, 1)  # 1 on the start date
    child.save()
    assert services.missing_sections(assessment, list(assessment.adults.all()), ["16A"]) == []


def test_a_submitted_assessment_is_locked_until_returned(org, assessment):
    complete(org, assessment)
    services.submit_assessment(actor=org.sam, assessment=assessment)
    errors = refused(update, org=org, assessment=assessment, worries="More")
    assert "waiting for a manager to authorise it" in errors["__all__"][0]
    errors = refused(services.return_assessment, actor=org.sam, assessment=assessment, reason="Fix")
    assert errors["__all__"] == ["Only a team manager, service manager or head of service can return an assessment"]
    services.return_assessment(actor=org.tess, assessment=assessment, reason="Add the father's views")
    update(org, assessment, worries="More")
    assert AuditEvent.objects.filter(reason="Add the father's views").exists()


@pytest.mark.parametrize(("manager", "may"), [("sam", False), ("fran", False), ("chris", False), ("ada", False),
                                               ("tess", True), ("simon", True), ("hana", True)])
def test_only_a_manager_can_authorise(org, assessment, manager, may):
    complete(org, assessment)
    services.submit_assessment(actor=org.sam, assessment=assessment)
    user = getattr(org, manager)
    if not may:
        errors = refused(services.authorise_assessment, actor=user, assessment=assessment,
                         authorised_on=D(2024, 4, 1))
        assert errors["__all__"] == ["Only a team manager, service manager or head of service can authorise an "
                                     "assessment"]
        assessment.refresh_from_db()
        assert assessment.authorised_on is None
        return
    services.authorise_assessment(actor=user, assessment=assessment, authorised_on=D(2024, 4, 1))
    assessment.refresh_from_db()
    assert assessment.authorised_on == D(2024, 4, 1) and assessment.authorised_by == user


def test_authorisation_needs_submission_and_a_date_not_before_the_start(org, assessment):
    complete(org, assessment)
    errors = refused(services.authorise_assessment, actor=org.tess, assessment=assessment,
                     authorised_on=D(2024, 4, 1))
    assert errors["__all__"] == ["The assessment must be submitted for authorisation first"]
    services.submit_assessment(actor=org.sam, assessment=assessment)
    errors = refused(services.authorise_assessment, actor=org.tess, assessment=assessment,
                     authorised_on=D(2024, 3, 3))
    assert errors["authorised_on"] == ["The authorisation date must be on or after the date the assessment started "
                                       "(4 March 2024)"]


def test_an_authorised_assessment_cannot_change(org, assessment):
    complete(org, assessment)
    services.submit_assessment(actor=org.sam, assessment=assessment)
    services.authorise_assessment(actor=org.tess, assessment=assessment, authorised_on=D(2024, 4, 1))
    errors = refused(update, org=org, assessment=assessment, worries="Later thoughts")
    assert errors["__all__"] == ["This assessment has been authorised: it cannot be changed"]


def test_the_authorise_page_refuses_a_worker_with_the_message(client, org, child, assessment):
    complete(org, assessment)
    services.submit_assessment(actor=org.sam, assessment=assessment)
    client.force_login(org.sam)
    url = reverse("casework:authorise_assessment", kwargs={"person_id": child.pk, "assessment_id": assessment.pk})
    page = client.post(url, {"authorised_on_day": "1", "authorised_on_month": "4",
                             "authorised_on_year": "2024"}).content.decode()
    assert "Only a team manager, service manager or head of service can authorise" in page
    client.force_login(org.tess)
    assert client.post(url, {"authorised_on_day": "1", "authorised_on_month": "4",
                             "authorised_on_year": "2024"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.authorised_by == org.tess
