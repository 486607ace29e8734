"""Handing an authorised referral over to the assessment team takes the child off the front-door board."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casefile.accounts.models import Team
from casefile.audit.models import Action, AuditEvent
from casefile.casework.models import Episode
from casefile.frontdoor.models import AgencyCheck, Handover
from casefile.frontdoor.services import decisions, handovers
from casefile.frontdoor.testing import decide, make_contact
from casefile.testing import allocate, make_child

HANDOVER = {"summary": "School saw bruising; Lily says she is scared to go home",
            "immediate_safety": "Lily is staying with her grandmother tonight", "outstanding": ""}


def handover_url(link):
    return reverse("frontdoor:handover", kwargs={"contact_id": link.contact_id, "contact_child_id": link.pk})


@pytest.fixture
def referral(org, child):
    link = make_contact(child, by=org.fran).children.get()
    decisions.authorise_decision(actor=org.mel, decision=decide(link, by=org.mo))
    return link


def test_the_form_lists_the_outstanding_checks(client, org, referral):
    AgencyCheck.objects.create(contact=referral.contact, agency="health", asked_of="Health visiting team",
                               question="Any concerns at the last visit?", requested_by=org.fran)
    AgencyCheck.objects.create(contact=referral.contact, agency="police", asked_of="PPU", requested_by=org.fran,
                               response="Nothing known", responded_at=referral.contact.received_at)
    client.force_login(org.fran)
    page = client.get(handover_url(referral)).content.decode()
    assert "Health check asked of Health visiting team" in page and "Any concerns at the last visit?" in page
    assert "Police check asked of PPU" not in page  # answered, so not outstanding


def test_handing_over_takes_the_child_off_the_board_and_links_the_episode(client, org, child, referral):
    client.force_login(org.fran)
    assert "Lily Hartley" in client.get(reverse("frontdoor:board")).content.decode()
    response = client.post(handover_url(referral), {**HANDOVER, "to_team": org.assessment.pk}, follow=True)
    handover = Handover.objects.get(contact_child=referral)
    assert handover.to_team == org.assessment and handover.handed_over_by == org.fran
    page = response.content.decode()
    assert "Lily is staying with her grandmother tonight" in page
    episode = Episode.objects.get(child=child)
    assert reverse("casework:episode", kwargs={"person_id": child.pk, "episode_id": episode.pk}) in page
    referral.contact.refresh_from_db()
    assert referral.contact.concluded_at is not None
    assert AuditEvent.objects.filter(action=Action.CREATE, child=child, subject_type__contains="handover").exists()
    board = client.get(reverse("frontdoor:board")).content.decode()
    assert 'id="item-' not in board


def test_the_team_must_be_an_assessment_team_and_each_part_is_required(client, org, child, referral):
    child.allocations.update(end_date=datetime.date.today())  # nobody holds the case: any assessment team
    client.force_login(org.fran)
    page = client.post(handover_url(referral), {}).content.decode()
    assert "Select the assessment team" in page and "Enter a summary" in page and "Enter the risks" in page
    assert org.other_team.kind != Team.Kind.ASSESSMENT
    page = client.post(handover_url(referral), {**HANDOVER, "to_team": org.other_team.pk}).content.decode()
    assert "Select a team from the list" in page
    assert not Handover.objects.exists()


def test_only_an_authorised_referral_can_be_handed_over(client, org, child):
    link = make_contact(child, by=org.fran).children.get()
    client.force_login(org.fran)
    assert "once a decision to refer has been authorised" in client.get(handover_url(link)).content.decode()
    decision = decide(link, by=org.mo, outcome="advice")
    decisions.authorise_decision(actor=org.mel, decision=decision)
    response = client.post(handover_url(link), {**HANDOVER, "to_team": org.assessment.pk})
    assert "was not a referral" in response.content.decode()
    assert not Handover.objects.exists()


@pytest.mark.parametrize("name", ["ola", "sam"])
def test_people_outside_the_front_door_get_not_found(client, org, referral, name):
    client.force_login(getattr(org, name))
    assert client.get(handover_url(referral)).status_code == 404
    assert client.post(handover_url(referral), {**HANDOVER, "to_team": org.assessment.pk}).status_code == 404
    assert not Handover.objects.exists()


# A child who already has a worker --------------------------------------------------------------------


@pytest.fixture
def allocated_elsewhere(org):
    """Jack's case is held by Ola in the Child in Need team; a new contact about him reaches the front door."""
    jack = make_child("Jack", "Holder")
    Episode.objects.create(child=jack, referral_date=datetime.date(2024, 1, 8), referral_source="2A",
                           recorded_by=org.ola)
    allocate(jack, org.ola, allocated_by=org.ada)
    link = make_contact(jack, by=org.fran).children.get()
    decisions.authorise_decision(actor=org.mel, decision=decide(link, by=org.mo))
    return link


def test_the_contact_and_handover_pages_say_the_child_already_has_a_worker(client, org, allocated_elsewhere):
    link = allocated_elsewhere
    client.force_login(org.fran)
    contact_page = client.get(reverse("frontdoor:contact", kwargs={"contact_id": link.contact_id})).content.decode()
    said = "Jack already has an allocated worker: Ola Other (Child in Need Team North)"
    assert said in contact_page
    page = client.get(handover_url(link)).content.decode()
    assert said in page and "Hand over to the team holding the case" in page
    assert f'<option value="{org.other_team.pk}" selected>' in page
    assert f'<option value="{org.assessment.pk}"' not in page


def test_the_referral_goes_to_the_team_holding_the_case_and_reaches_someone_who_can_see_it(
        client, org, allocated_elsewhere):
    link = allocated_elsewhere
    client.force_login(org.fran)
    refused = client.post(handover_url(link), {**HANDOVER, "to_team": org.assessment.pk}).content.decode()
    assert "Select a team from the list" in refused
    with pytest.raises(ValidationError, match="hand the referral to Child in Need Team North"):
        handovers.record_handover(actor=org.fran, contact_child=link, to_team=org.assessment, **HANDOVER)
    assert not Handover.objects.exists()
    client.post(handover_url(link), {**HANDOVER, "to_team": org.other_team.pk})
    handover = Handover.objects.get(contact_child=link)
    assert handover.to_team == org.other_team
    # The worker holding the case opens the episode the referral joined, with the handover on it.
    episode = Episode.objects.get(child=link.child)
    client.force_login(org.ola)
    page = client.get(reverse("casework:episode", kwargs={"person_id": link.child_id, "episode_id": episode.pk}))
    assert page.status_code == 200 and "School saw bruising" in page.content.decode()
