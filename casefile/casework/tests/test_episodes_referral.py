"""Recording a referral, a step-up from early help, and the referral decision."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casefile.audit.models import Action, AuditEvent
from casefile.casework import models as cw
from casefile.casework.services import episodes as services
from casefile.testing import make_adult

D = datetime.date


def refer(org, child, **changes) -> cw.Episode:
    values = {"referral_date": D(2024, 3, 1), "referral_source": "2A", "referrer_name": "Ms Khan (teacher)",
              "referral_summary": "Came to school hungry"} | changes
    return services.record_referral(actor=org.sam, child=child, **values)


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as raised:
        call(**kwargs)
    return raised.value.message_dict


def test_recording_a_referral_opens_an_episode_and_audits_it(org, child):
    episode = refer(org, child)
    assert episode.is_open and episode.referral_source == "2A" and episode.recorded_by == org.sam
    assert episode.history.first().history_user == org.sam
    event = AuditEvent.objects.get(action=Action.CREATE, subject_id=str(episode.pk))
    assert event.child == child and event.details == {"referral_source": "2A", "step_up": False}
    assert not cw.EarlyHelpTransfer.objects.exists()


def test_it_refuses_a_referral_dated_in_the_future(org, child):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    errors = refused(refer, org=org, child=child, referral_date=tomorrow)
    assert errors["referral_date"] == ["The date the referral was received must be today or in the past"]


def test_it_refuses_a_referral_with_no_date_or_an_unknown_source(org, child):
    errors = refused(refer, org=org, child=child, referral_date=None, referral_source="99")
    assert errors["referral_date"] == ["Enter the date the referral was received"]
    assert errors["referral_source"] == ["Select who made the referral, from the census list (1A to 10)"]
    assert not cw.Episode.objects.exists()


def test_a_child_may_not_have_two_open_episodes(org, child):
    refer(org, child)
    errors = refused(refer, org=org, child=child, referral_date=D(2024, 4, 1))
    assert errors["__all__"] == ["Lily already has an open episode, from the referral on 1 March 2024: close it "
                                 "before recording a new referral"]
    assert cw.Episode.objects.count() == 1


def test_a_new_referral_cannot_overlap_the_last_closed_episode(org, child):
    episode = refer(org, child)
    episode.closure_date = D(2024, 5, 1)
    episode.save()
    errors = refused(refer, org=org, child=child, referral_date=D(2024, 4, 1))
    assert "must be on or after the last episode closed (1 May 2024)" in errors["referral_date"][0]
    assert refer(org, child, referral_date=D(2024, 5, 1)).is_open


def test_a_referral_is_only_recorded_on_a_child(org):
    errors = refused(refer, org=org, child=make_adult())
    assert errors["__all__"] == ["Record a referral on the child’s own record"]


def test_a_step_up_from_early_help_records_the_episode_and_the_transfer_both_ways(org, child):
    episode = refer(org, child, referral_source="5D", early_help_provider="Family Hub North",
                    step_up_reason="Neglect worsening despite support")
    transfer = cw.EarlyHelpTransfer.objects.get(child=child)
    assert episode.is_step_up_from_early_help
    assert transfer.direction == cw.EarlyHelpTransfer.Direction.STEP_UP and transfer.episode == episode
    assert transfer.date == episode.referral_date and transfer.early_help_provider == "Family Hub North"
    assert transfer.reason == "Neglect worsening despite support" and transfer.recorded_by == org.sam
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_type="casework.earlyhelptransfer").exists()


def test_a_step_up_needs_its_reason_and_saves_nothing_without_it(org, child):
    errors = refused(refer, org=org, child=child, referral_source="5D")
    assert errors["step_up_reason"] == ["Enter why early help is stepping the child up to children’s social care"]
    assert not cw.Episode.objects.exists() and not cw.EarlyHelpTransfer.objects.exists()


def test_only_a_referral_from_early_help_can_carry_a_step_up(org, child):
    errors = refused(refer, org=org, child=child, referral_source="6", step_up_reason="Escalating")
    assert "Only a referral from early help (5D) is a step-up" in errors["step_up_reason"][0]


def test_changing_the_referral_keeps_it_consistent(org, child):
    episode = refer(org, child)
    services.update_referral(actor=org.sam, episode=episode, referrer_name="Mr Patel", referral_source="3A")
    episode.refresh_from_db()
    assert episode.referrer_name == "Mr Patel" and episode.referral_source == "3A"
    errors = refused(services.update_referral, actor=org.sam, episode=episode, referral_source="5D")
    assert "cannot be changed to or from Early help" in errors["referral_source"][0]
    services.record_referral_decision(actor=org.sam, episode=episode, decided_by=org.tess,
                                      decision_date=D(2024, 3, 2), nfa=False, primary_need="N1")
    errors = refused(services.update_referral, actor=org.sam, episode=episode, referral_date=D(2024, 3, 5))
    assert errors["referral_date"] == ["The referral date must be on or before the first work on the episode "
                                       "(2 March 2024)"]


def decide(org, episode, **changes):
    values = {"decided_by": org.tess, "decision_date": D(2024, 3, 2), "nfa": False, "primary_need": "N1"} | changes
    return services.record_referral_decision(actor=org.sam, episode=episode, **values)


def test_recording_the_referral_decision(org, child):
    episode = decide(org, refer(org, child))
    episode.refresh_from_db()
    assert episode.referral_decided_by == org.tess and episode.referral_decision_date == D(2024, 3, 2)
    assert episode.referral_nfa is False and episode.primary_need == "N1"
    event = AuditEvent.objects.filter(action=Action.UPDATE, subject_id=str(episode.pk)).get()
    assert event.details["referral_decision"] == "further_action"


def test_further_action_needs_a_primary_need_code(org, child):
    errors = refused(decide, org=org, episode=refer(org, child), primary_need="")
    assert errors["primary_need"] == ["Select the child’s primary need: it is required when the referral leads to "
                                      "further action (census rule 8610)"]


def test_no_further_action_needs_no_primary_need(org, child):
    episode = decide(org, refer(org, child), nfa=True, primary_need="")
    assert episode.referral_nfa is True


def test_the_decision_is_made_by_a_qualified_social_worker_or_a_manager(org, child):
    episode = refer(org, child)
    errors = refused(decide, org=org, episode=episode, decided_by=org.fran)
    assert errors["decided_by"] == ["Select the qualified social worker or manager who made the decision: Fran "
                                    "Frontdoor is a front-door practitioner"]
    assert decide(org, episode, decided_by=org.sam).referral_decided_by == org.sam


def test_the_decision_cannot_be_before_the_referral_or_unanswered(org, child):
    errors = refused(decide, org=org, episode=refer(org, child), decision_date=D(2024, 2, 1), nfa=None)
    assert errors["decision_date"] == ["The date of the decision must be on or after the referral date "
                                       "(1 March 2024)"]
    assert errors["nfa"] == ["Select whether the referral leads to further action"]


def test_the_decision_cannot_become_no_further_action_once_an_assessment_has_started(org, child):
    episode = decide(org, refer(org, child))
    services.start_assessment(actor=org.sam, episode=episode, start_date=D(2024, 3, 3))
    errors = refused(decide, org=org, episode=episode, nfa=True)
    assert "cannot be no further action" in errors["nfa"][0]


def test_a_closed_episode_cannot_be_changed(org, child):
    episode = refer(org, child)
    episode.closure_date = D(2024, 5, 1)
    episode.save()
    errors = refused(decide, org=org, episode=episode)
    assert errors["__all__"] == ["This episode closed on 1 May 2024: record a new referral to work with the child "
                                 "again"]
