"""The threshold-decision pages: history before the decision, who may decide and authorise, and what follows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework.models import Episode
from casefile.frontdoor.models import ThresholdDecision
from casefile.frontdoor.services import decisions
from casefile.frontdoor.testing import decide, make_contact
from casefile.testing import make_child

DECISION = {"level": "3", "outcome": "assessment", "criteria_applied": "Level 3 criteria: possible child in need",
            "circumstances": "Bruising seen at school", "history_considered": "No earlier contacts",
            "consent_position": "Mother agrees to an assessment", "primary_need": "N1", "early_help_provider": ""}


def decide_url(link):
    return reverse("frontdoor:decide", kwargs={"contact_id": link.contact_id, "contact_child_id": link.pk})


def authorise_url(decision):
    return reverse("frontdoor:authorise", kwargs={"decision_id": decision.pk})


@pytest.fixture
def link(org, child):
    return make_contact(child, by=org.fran).children.get()


def test_the_decide_page_shows_the_contact_and_the_history_before_the_form(client, org, child, link):
    earlier = make_contact(child, by=org.fran, summary="An earlier worry from the health visitor")
    decisions.authorise_decision(actor=org.mel, decision=decide(earlier.children.get(), by=org.mo, outcome="advice"))
    client.force_login(org.mo)
    page = client.get(decide_url(link)).content.decode()
    assert "Came to school with bruising" in page and "Ms Patel" in page  # what the referrer said
    history, form = page.index('id="history"'), page.index('<form method="post"')
    assert history < form
    assert "Advice, information or signposting" in page[history:form]  # the earlier contact's outcome
    assert "Level 3: child in need" in page and "Complex needs: a child in need under section 17" in page
    assert "Decision clock" in page
    assert AuditEvent.objects.filter(action=Action.VIEW, child=child, actor=org.mo).exists()


def test_a_social_worker_records_the_decision(client, org, child, link):
    client.force_login(org.mo)
    response = client.post(decide_url(link), DECISION)
    assert response.status_code == 302
    decision = ThresholdDecision.objects.get(contact_child=link)
    assert decision.outcome == "assessment" and decision.primary_need == "N1" and decision.decided_by == org.mo
    assert not decision.is_authorised


def test_the_referral_fields_are_kept_only_for_their_outcomes(client, org, link):
    client.force_login(org.mo)
    client.post(decide_url(link), {**DECISION, "outcome": "nfa", "early_help_provider": "Family Hub"})
    decision = ThresholdDecision.objects.get(contact_child=link)
    assert decision.primary_need == "" and decision.early_help_provider == ""


def test_every_missing_part_is_named_on_its_field(client, org, link):
    client.force_login(org.mo)
    response = client.post(decide_url(link), {"outcome": "strategy"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    for message in ("Select the level of need", "Enter the threshold criteria applied", "Enter the history taken",
                    "Enter the consent position", "Select the child’s primary need"):
        assert message in page, message
    assert not ThresholdDecision.objects.exists()


def test_a_front_door_practitioner_is_told_who_can_decide_and_cannot(client, org, link):
    client.force_login(org.fran)
    page = client.get(decide_url(link)).content.decode()
    assert "qualified social worker" in page and "you cannot record this decision" in page
    assert '<form method="post"' not in page
    response = client.post(decide_url(link), DECISION)
    assert response.status_code == 200
    assert "you are signed in as a front-door practitioner" in response.content.decode()
    assert not ThresholdDecision.objects.exists()


def test_a_manager_authorises_a_referral_and_the_episode_opens(client, org, child, link):
    decision = decide(link, by=org.mo)
    client.force_login(org.mel)
    page = client.get(authorise_url(decision)).content.decode()
    assert "Bruising seen by school" in page and "Mo Mash" in page and 'id="history"' in page
    response = client.post(authorise_url(decision), {"comment": "Agreed: needs an assessment"})
    assert response.status_code == 302
    episode = Episode.objects.get(child=child)
    decision.refresh_from_db()
    assert decision.authorised_by == org.mel and decision.manager_comment == "Agreed: needs an assessment"
    page = client.get(response["Location"]).content.decode()
    assert "episode was opened" in page
    assert reverse("casework:episode", kwargs={"person_id": child.pk, "episode_id": episode.pk}) in page


def test_an_authorised_decision_shows_on_the_decide_page_and_cannot_change(client, org, child, link):
    decision = decide(link, by=org.mo)
    decisions.authorise_decision(actor=org.mel, decision=decision)
    client.force_login(org.mo)
    page = client.get(decide_url(link)).content.decode()
    assert "can no longer change" in page and "Mel Mash" in page and '<form method="post"' not in page
    assert reverse("frontdoor:handover", kwargs={"contact_id": link.contact_id, "contact_child_id": link.pk}) in page
    client.post(decide_url(link), {**DECISION, "outcome": "nfa"})
    decision.refresh_from_db()
    assert decision.outcome == "assessment"


def test_the_decision_maker_and_non_managers_cannot_authorise(client, org, link):
    decision = decide(link, by=org.mel, outcome="nfa")
    client.force_login(org.mel)
    assert "a different manager" in client.get(authorise_url(decision)).content.decode()
    response = client.post(authorise_url(decision), {"comment": ""})
    assert "did not make it" in response.content.decode()
    assert "Authorised</h2>" not in response.content.decode()  # nothing shown as done when it was refused
    client.force_login(org.mo)
    assert "Only a team manager" in client.post(authorise_url(decision), {}).content.decode()
    decision.refresh_from_db()
    assert not decision.is_authorised


def test_early_help_leaves_the_front_door_as_soon_as_it_is_authorised(client, org, child, link):
    decision = decide(link, by=org.mo, outcome="early_help")
    client.force_login(org.mel)
    page = client.post(authorise_url(decision), {}, follow=True).content.decode()
    assert "step-down to early help was recorded" in page
    link.contact.refresh_from_db()
    assert link.contact.concluded_at is not None
    board = client.get(reverse("frontdoor:board")).content.decode()
    assert child.full_name not in board


def test_decisions_awaiting_authorisation_oldest_first_without_hidden_children(client, org, child):
    hidden = make_child("Rosa", "Quill", restriction="adoption")
    brother = make_child("Jack", "Hartley")
    first = decide(make_contact(brother, by=org.fran).children.get(), by=org.mo)
    second = decide(make_contact(child, by=org.fran).children.get(), by=org.mo)
    decide(make_contact(hidden, by=org.fran).children.get(), by=org.mo)
    done = decide(make_contact(make_child("Ann", "Done"), by=org.fran).children.get(), by=org.mo, outcome="nfa")
    decisions.authorise_decision(actor=org.mel, decision=done)
    client.force_login(org.mel)
    page = client.get(reverse("frontdoor:awaiting_authorisation")).content.decode()
    assert page.index(authorise_url(first)) < page.index(authorise_url(second))
    assert "Quill" not in page and "Ann Done" not in page
    assert "2 decisions waiting" in page


def _awaiting_queries(client, org, count):
    for number in range(count):
        decide(make_contact(make_child("Child", f"Number{number}"), by=org.fran).children.get(), by=org.mo)
    client.force_login(org.mel)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("frontdoor:awaiting_authorisation"))
    assert response.content.decode().count("/authorise/") >= count
    return len(queries)


def test_the_awaiting_list_runs_a_fixed_number_of_queries(client, org):
    few = _awaiting_queries(client, org, 2)
    assert _awaiting_queries(client, org, 8) == few  # 10 in all


@pytest.mark.parametrize("name", ["ola", "sam"])
def test_people_outside_the_front_door_get_not_found(client, org, link, name):
    decision = decide(link, by=org.mo)
    client.force_login(getattr(org, name))
    for url in (decide_url(link), authorise_url(decision), reverse("frontdoor:awaiting_authorisation")):
        assert client.get(url).status_code == 404
        assert client.post(url, DECISION).status_code == 404
    decision.refresh_from_db()
    assert not decision.is_authorised
