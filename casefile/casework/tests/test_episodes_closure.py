"""Closing a case (proposed by a worker, signed off by another manager), stepping down to early help, and case
notes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casefile.audit.models import Action, AuditEvent
from casefile.casework import models as cw
from casefile.casework.services import episodes as services
from casefile.casework.testing import history_shown

D = datetime.date


@pytest.fixture
def episode(org, child):
    return cw.Episode.objects.create(child=child, referral_date=D(2024, 3, 1), referral_source="2A",
                                     referral_decision_date=D(2024, 3, 1), referral_decided_by=org.tess,
                                     referral_nfa=False, primary_need="N1", recorded_by=org.sam)


def authorised_assessment(org, episode) -> cw.Assessment:
    return cw.Assessment.objects.create(episode=episode, start_date=D(2024, 3, 2), submitted_on=D(2024, 4, 1),
                                        authorised_on=D(2024, 4, 2), authorised_by=org.tess, recorded_by=org.sam)


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as raised:
        call(**kwargs)
    return raised.value.message_dict


def propose(org, episode, **changes):
    values = {"reason": "RC7", "rationale": "Needs met through the family’s own support",
              "childs_views": "I’m happy now, Nan picks me up from school"} | changes
    return services.propose_closure(actor=org.sam, episode=episode, **values)


def sign_off(org, episode, user=None, on=None):
    return services.sign_off_closure(actor=user or org.tess, episode=episode,
                                     signed_off_on=on or timezone.localdate())


def test_a_proposed_closure_leaves_the_case_open_until_a_manager_signs_it_off(org, episode):
    propose(org, episode)
    episode.refresh_from_db()
    assert episode.is_open and episode.closure_proposed_by == org.sam and episode.closure_reason == "RC7"
    today = timezone.localdate()
    sign_off(org, episode, on=today)
    episode.refresh_from_db()
    assert not episode.is_open and episode.closure_date == today
    assert episode.closure_signed_off_by == org.tess and episode.closure_signed_off_on == today
    details = [e.details for e in AuditEvent.objects.filter(action=Action.UPDATE, subject_id=str(episode.pk))]
    assert [d["closure"] for d in details] == ["proposed", "signed_off"]


def test_a_closure_needs_the_childs_views(org, episode):
    errors = refused(propose, org=org, episode=episode, childs_views="  ")
    assert errors["childs_views"] == ["Enter the child’s views about the case closing: a closure cannot be recorded "
                                      "without them"]
    episode.refresh_from_db()
    assert episode.closure_proposed_on is None


def test_a_closure_because_the_child_died_needs_no_views(org, episode):
    propose(org, episode, reason="RC2", childs_views="")
    assert episode.closure_reason == "RC2"


def test_a_closure_needs_a_reason_from_the_list_and_a_rationale(org, episode):
    errors = refused(propose, org=org, episode=episode, reason="RC0", rationale="")
    assert errors["reason"] == ["Select the reason for closure, from RC1 to RC9"]
    assert errors["rationale"] == ["Enter why the case can close"]


@pytest.mark.parametrize("reason", ["RC8", "RC9"])
def test_closing_after_assessment_needs_an_authorised_assessment(org, episode, reason):
    early_help = {"early_help_provider": "Hub", "early_help_reason": "Support"} if reason == "RC9" else {}
    errors = refused(propose, org=org, episode=episode, reason=reason, **early_help)
    assert "only for a case closed after an assessment" in errors["reason"][0]
    authorised_assessment(org, episode)
    propose(org, episode, reason=reason, **early_help)


def test_a_case_cannot_close_while_a_plan_is_open(org, child, episode):
    plan = cw.Plan.objects.create(child=child, episode=episode, kind="cp", start_date=D(2024, 4, 10),
                                  contingency="c", recorded_by=org.sam)
    errors = refused(propose, org=org, episode=episode)
    assert errors["__all__"] == ["End the child protection plan first: a case cannot close while a plan is open"]
    plan.end_date = timezone.localdate()
    plan.save()
    propose(org, episode)
    ends = plan.end_date + datetime.timedelta(days=2)  # the end date corrected to a later day
    plan.end_date = ends
    plan.save()
    errors = refused(sign_off, org=org, episode=episode)
    assert errors["signed_off_on"] == [f"The closure date must be on or after the last plan ended "
                                       f"({ends.day} {ends:%B %Y})"]


def test_a_plan_opened_after_the_proposal_still_blocks_the_sign_off(org, child, episode):
    propose(org, episode)
    cw.Plan.objects.create(child=child, episode=episode, kind="cin", start_date=D(2024, 4, 10), contingency="c",
                           recorded_by=org.sam)
    errors = refused(sign_off, org=org, episode=episode)
    assert errors["__all__"] == ["End the child in need plan first: a case cannot close while a plan is open"]
    episode.refresh_from_db()
    assert episode.is_open


def test_the_worker_who_proposed_a_closure_cannot_sign_it_off(org, episode):
    services.propose_closure(actor=org.tess, episode=episode, reason="RC7", rationale="r", childs_views="v")
    errors = refused(sign_off, org=org, episode=episode, user=org.tess)
    assert errors["__all__"] == ["You proposed this closure, so another manager must sign it off"]
    sign_off(org, episode, user=org.simon)


@pytest.mark.parametrize("user", ["sam", "fran", "chris", "ada"])
def test_only_a_manager_can_sign_off_a_closure(org, episode, user):
    propose(org, episode)
    errors = refused(sign_off, org=org, episode=episode, user=getattr(org, user))
    assert errors["__all__"] == ["Only a team manager, service manager or head of service can sign off a closure"]


def test_a_closure_cannot_be_dated_before_the_referral(org, episode):
    propose(org, episode)
    errors = refused(sign_off, org=org, episode=episode, on=D(2024, 2, 1))
    assert errors["signed_off_on"] == ["The date of sign-off must be on or after the referral date (1 March 2024)"]


def test_sign_off_cannot_be_before_the_proposal(org, episode):
    propose(org, episode)
    errors = refused(sign_off, org=org, episode=episode, on=D(2024, 3, 2))
    assert "on or after the closure was proposed" in errors["signed_off_on"][0]


def test_a_closed_episode_lets_a_new_referral_be_recorded(org, child, episode):
    propose(org, episode)
    sign_off(org, episode)
    again = services.record_referral(actor=org.sam, child=child, referral_date=timezone.localdate(),
                                     referral_source="6")
    assert again.is_open


# Early help -----------------------------------------------------------------------------------------------


def test_stepping_down_from_casework_closes_to_early_help_and_records_the_transfer_in_one_go(org, child, episode):
    authorised_assessment(org, episode)
    services.step_down_to_early_help(actor=org.sam, episode=episode, early_help_provider="Family Hub North",
                                     early_help_reason="Parenting support", rationale="Risks reduced",
                                     childs_views="I like the family hub")
    episode.refresh_from_db()
    transfer = cw.EarlyHelpTransfer.objects.get(child=child)
    assert episode.closure_reason == "RC9" and episode.closure_proposed_by == org.sam
    assert transfer.direction == cw.EarlyHelpTransfer.Direction.STEP_DOWN and transfer.episode == episode
    assert transfer.early_help_provider == "Family Hub North" and transfer.reason == "Parenting support"
    sign_off(org, episode)
    episode.refresh_from_db()
    assert not episode.is_open and episode.closure_reason == "RC9"


def test_a_step_down_needs_its_provider_and_reason_and_saves_nothing_without_them(org, child, episode):
    authorised_assessment(org, episode)
    errors = refused(services.step_down_to_early_help, actor=org.sam, episode=episode, early_help_provider="",
                     early_help_reason="", rationale="r", childs_views="v")
    assert set(errors) == {"early_help_provider", "early_help_reason"}
    episode.refresh_from_db()
    assert episode.closure_proposed_on is None and not cw.EarlyHelpTransfer.objects.exists()


def test_returning_a_closure_keeps_the_case_open_and_withdraws_the_step_down(org, child, episode):
    authorised_assessment(org, episode)
    services.step_down_to_early_help(actor=org.sam, episode=episode, early_help_provider="Hub",
                                     early_help_reason="Support", rationale="r", childs_views="v")
    services.return_closure(actor=org.tess, episode=episode, reason="Father not yet seen")
    episode.refresh_from_db()
    assert episode.is_open and episode.closure_proposed_on is None and episode.closure_reason == ""
    assert not cw.EarlyHelpTransfer.objects.exists()
    assert AuditEvent.objects.filter(reason="Father not yet seen", subject_id=str(episode.pk)).exists()


def test_a_plain_step_down_is_for_a_child_with_no_open_episode(org, child, episode):
    errors = refused(services.record_step_down, actor=org.sam, child=child, date=D(2024, 6, 1),
                     early_help_provider="Hub", reason="Support")
    assert "has an open episode" in errors["__all__"][0]
    episode.closure_date = D(2024, 5, 1)
    episode.save()
    errors = refused(services.record_step_down, actor=org.sam, child=child, date=D(2024, 4, 1),
                     early_help_provider="Hub", reason="Support")
    assert "on or after the last episode closed (1 May 2024)" in errors["date"][0]
    transfer = services.record_step_down(actor=org.sam, child=child, date=D(2024, 6, 1), early_help_provider="Hub",
                                         reason="Support")
    assert transfer.episode == episode and transfer.direction == "down"


def test_the_closure_pages_propose_and_sign_off(client, org, child, episode):
    client.force_login(org.sam)
    url = reverse("casework:propose_closure", kwargs={"person_id": child.pk, "episode_id": episode.pk})
    page = client.post(url, {"reason": "RC7", "rationale": "Needs met"}).content.decode()
    assert "Enter the child’s views about the case closing" in page
    assert client.post(url, {"reason": "RC7", "rationale": "Needs met", "childs_views": "Fine"}).status_code == 302
    sign = reverse("casework:sign_off_closure", kwargs={"person_id": child.pk, "episode_id": episode.pk})
    today = timezone.localdate()
    dates = {"signed_off_on_day": today.day, "signed_off_on_month": today.month, "signed_off_on_year": today.year}
    assert "another manager must sign it off" not in client.post(sign, dates).content.decode()
    assert "Only a team manager" in client.post(sign, dates).content.decode()
    client.force_login(org.tess)
    assert client.post(sign, dates).status_code == 200  # the history the page showed was not posted back
    assert client.post(sign, {**dates, **history_shown(child)}).status_code == 302
    episode.refresh_from_db()
    assert episode.closure_date == today
    assert episode.closure_history_shown["referrals"] == 1


# Case notes -----------------------------------------------------------------------------------------------


def test_a_case_note_goes_into_the_open_episode(org, child, episode):
    note = services.record_case_note(actor=org.sam, child=child, date=D(2024, 3, 5), subject="Call from school",
                                     body="Lily arrived late again", significant=True)
    assert note.episode == episode and note.significant and note.recorded_by == org.sam
    assert AuditEvent.objects.filter(action=Action.CREATE, subject_type="casework.casenote").exists()


def test_a_case_note_needs_a_date_a_subject_and_a_note(org, child):
    errors = refused(services.record_case_note, actor=org.sam, child=child, date=None, subject="", body="")
    assert errors == {"date": ["Enter the date of the note"],
                      "subject": ["Enter a subject, for example Phone call from school"], "body": ["Enter the note"]}


def test_the_case_notes_page_adds_and_lists_notes(client, org, child):
    client.force_login(org.sam)
    url = reverse("casework:add_case_note", kwargs={"person_id": child.pk})
    response = client.post(url, {"date_day": "5", "date_month": "3", "date_year": "2024", "subject": "Home visit",
                                 "body": "Fridge empty", "significant": "on"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Home visit" in page and "Significant" in page
    assert "govuk-notification-banner--success" in page and "The case note ‘Home visit’ is saved" in page


def test_the_sign_off_page_shows_the_step_down_with_the_closure_but_not_an_earlier_step_up(client, org, child):
    episode = services.record_referral(actor=org.sam, child=child, referral_date=D(2024, 3, 1),
                                       referral_source="5D", early_help_provider="Family Hub South",
                                       step_up_reason="Escalating neglect")
    url = reverse("casework:sign_off_closure", kwargs={"person_id": child.pk, "episode_id": episode.pk})
    services.propose_closure(actor=org.sam, episode=episode, reason="RC7", rationale="r", childs_views="v")
    client.force_login(org.tess)
    assert "Family Hub South" not in client.get(url).content.decode()
    services.return_closure(actor=org.tess, episode=episode, reason="Not yet")
    authorised_assessment(org, episode)
    services.step_down_to_early_help(actor=org.sam, episode=episode, early_help_provider="Family Hub North",
                                     early_help_reason="Parenting support", rationale="r", childs_views="v",
                                     answer="The assessment is authorised now")
    page = client.get(url).content.decode()
    assert "Family Hub North: Parenting support" in page and "Family Hub South" not in page
    assert cw.EarlyHelpTransfer.objects.filter(direction="up").count() == 1


def test_the_episode_page_shows_who_signed_off_as_text_not_html(client, org, child, episode):
    """A name is text: one holding markup is shown as written, never run as HTML on the page."""
    org.tess.first_name = "<b>Tess</b>"
    org.tess.save()
    propose(org, episode)
    sign_off(org, episode)
    client.force_login(org.sam)
    page = client.get(reverse("casework:episode", kwargs={"person_id": child.pk, "episode_id": episode.pk}))
    html = page.content.decode()
    assert "&lt;b&gt;Tess&lt;/b&gt;" in html and "<b>Tess</b>" not in html
