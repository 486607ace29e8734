"""A threshold decision: made by a qualified social worker, authorised by a different manager, and what follows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casefile.casework.models import EarlyHelpTransfer, Episode
from casefile.frontdoor.models import Consent, ThresholdDecision
from casefile.frontdoor.services import decisions
from casefile.frontdoor.testing import decide, make_contact
from casefile.testing import make_child


def test_authorising_a_referral_opens_an_episode_dated_the_day_the_contact_came_in(org, child):
    received = timezone.now() - datetime.timedelta(days=1)
    contact = make_contact(child, by=org.fran, received_at=received)
    link = contact.children.get()
    decision = decide(link, by=org.mo)
    assert Episode.objects.filter(child=child).count() == 0  # nothing happens until a manager agrees
    decisions.authorise_decision(actor=org.mel, decision=decision, comment="Agreed")
    episode = Episode.objects.get(child=child)
    assert episode.referral_date == timezone.localtime(received).date()
    assert episode.referral_source == "2A" and episode.referrer_name == "Ms Patel"
    assert episode.referral_decided_by == org.mo and episode.referral_nfa is False and episode.primary_need == "N1"
    decision.refresh_from_db()
    assert decision.episode == episode
    contact.refresh_from_db()
    assert contact.concluded_at is None  # a referral stays at the front door until it is handed over


def test_early_help_records_the_step_down_and_concludes_the_contact(org, child):
    contact = make_contact(child, by=org.fran)
    decision = decide(contact.children.get(), by=org.mo, outcome="early_help")
    decisions.authorise_decision(actor=org.mel, decision=decision)
    transfer = EarlyHelpTransfer.objects.get(child=child)
    assert transfer.direction == EarlyHelpTransfer.Direction.STEP_DOWN
    assert transfer.early_help_provider == "Family Hub North"
    contact.refresh_from_db()
    assert contact.concluded_at is not None


def test_the_contact_stays_open_until_every_child_has_a_decision(org, child):
    brother = make_child("Jack", "Hartley", date_of_birth=datetime.date(2019, 2, 1))
    contact = make_contact(child, brother, by=org.fran)
    first, second = contact.children.all()
    decisions.authorise_decision(actor=org.mel, decision=decide(first, by=org.mo, outcome="nfa"))
    contact.refresh_from_db()
    assert contact.concluded_at is None
    decisions.authorise_decision(actor=org.mel, decision=decide(second, by=org.mo, outcome="advice"))
    contact.refresh_from_db()
    assert contact.concluded_at is not None


def test_who_may_decide_and_who_may_authorise(org, child):
    link = make_contact(child, by=org.fran).children.get()
    with pytest.raises(ValidationError, match="qualified social worker"):
        decide(link, by=org.fran)
    decision = decide(link, by=org.mel, outcome="nfa")
    with pytest.raises(ValidationError, match="did not make it"):
        decisions.authorise_decision(actor=org.mel, decision=decision)
    with pytest.raises(ValidationError, match="Only a team manager"):
        decisions.authorise_decision(actor=org.mo, decision=decision)
    decisions.authorise_decision(actor=org.tess, decision=decision)
    with pytest.raises(ValidationError, match="cannot change"):
        decide(link, by=org.mo, outcome="advice")


def test_every_part_of_the_rationale_is_required_and_named(org, child):
    link = make_contact(child, by=org.fran).children.get()
    with pytest.raises(ValidationError) as refused:
        decide(link, by=org.mo, level="9", criteria_applied="", circumstances=" ", history_considered="",
               consent_position="", primary_need="")
    fields = refused.value.message_dict
    assert set(fields) == {"level", "criteria_applied", "circumstances", "history_considered", "consent_position",
                           "primary_need"}
    assert fields["history_considered"] == ["Enter the history taken into account"]


def test_early_help_needs_consent(org, child):
    contact = make_contact(child, by=org.fran, consent_to_assessment=Consent.REFUSED)
    with pytest.raises(ValidationError, match="agreement"):
        decide(contact.children.get(), by=org.mo, outcome="early_help")


def test_the_decision_clock_is_one_working_day_from_receipt(org, child):
    friday = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=datetime.UTC)
    link = make_contact(child, by=org.fran, received_at=friday).children.get()
    status = decisions.decision_status(link, today=datetime.date(2026, 11, 24))
    assert status.due == datetime.date(2026, 11, 23)
    assert status.state == "overdue" and status.working_days_late == 1


def test_a_contact_from_early_help_becomes_a_step_up_recorded_both_ways(org, child):
    contact = make_contact(child, by=org.fran, source="5D", referrer_name="Family Hub North",
                           summary="Needs have grown beyond what early help can meet: school refusal and neglect")
    decisions.authorise_decision(actor=org.mel, decision=decide(contact.children.get(), by=org.mo))
    episode = Episode.objects.get(child=child)
    step_up = EarlyHelpTransfer.objects.get(child=child)
    assert episode.referral_source == "5D" and episode.is_step_up_from_early_help
    assert step_up.direction == EarlyHelpTransfer.Direction.STEP_UP and step_up.episode == episode
    assert step_up.reason.startswith("Needs have grown")


def test_a_refused_authorisation_leaves_the_decision_as_it_was(org, child):
    Episode.objects.create(child=child, referral_date=timezone.localdate(), referral_source="2A",
                           recorded_by=org.sam)
    decision = decide(make_contact(child, by=org.fran).children.get(), by=org.mo, outcome="nfa")
    decision.outcome = "early_help"  # as if the child's case had opened after the decision was made
    decision.early_help_provider = "Family Hub North"
    decision.save()
    with pytest.raises(ValidationError, match="open episode"):
        decisions.authorise_decision(actor=org.mel, decision=decision)
    assert decision.authorised_at is None and decision.authorised_by is None
    decision.refresh_from_db()
    assert decision.authorised_at is None and not EarlyHelpTransfer.objects.exists()


def test_a_decision_authorised_meanwhile_by_another_manager_is_not_authorised_again(org, child):
    decision = decide(make_contact(child, by=org.fran).children.get(), by=org.mo)
    stale = ThresholdDecision.objects.get(pk=decision.pk)  # what Tess's page loaded before Mel authorised
    decisions.authorise_decision(actor=org.mel, decision=decision)
    with pytest.raises(ValidationError, match="already been authorised"):
        decisions.authorise_decision(actor=org.tess, decision=stale)
    assert ThresholdDecision.objects.get(pk=decision.pk).authorised_by == org.mel
    assert Episode.objects.filter(child=child).count() == 1


def test_a_second_contact_while_the_case_is_open_joins_the_open_episode(org, child):
    first = decide(make_contact(child, by=org.fran).children.get(), by=org.mo)
    decisions.authorise_decision(actor=org.mel, decision=first)
    second = decide(make_contact(child, by=org.fran, summary="School worried again").children.get(), by=org.mo)
    decisions.authorise_decision(actor=org.mel, decision=second)
    episode = Episode.objects.get(child=child)
    assert {first.pk, second.pk} == set(episode.front_door_decisions.values_list("pk", flat=True))


def test_the_assessment_team_reads_the_decision_and_handover_on_the_episode(client, org, child):
    from django.urls import reverse

    from casefile.frontdoor.services.handovers import record_handover

    decision = decide(make_contact(child, by=org.fran).children.get(), by=org.mo)
    decisions.authorise_decision(actor=org.mel, decision=decision)
    record_handover(actor=org.mel, contact_child=decision.contact_child, to_team=org.assessment,
                    summary="Bruising seen at school; Lily scared to go home",
                    immediate_safety="Staying with her grandmother tonight")
    episode = Episode.objects.get(child=child)
    client.force_login(org.sam)  # Lily's allocated worker (the fixture), who cannot open front-door pages
    page = client.get(reverse("casework:episode", kwargs={"person_id": child.pk, "episode_id": episode.pk}))
    text = page.content.decode()
    assert "From the front door" in text
    assert "Staying with her grandmother tonight" in text and "Level 3: possible child in need" in text
    assert "To Assessment Team by Mel Mash" in text
