"""A step-down to early help a worker records waits for a manager's sign-off; the manager signs it off or returns it
with a comment the worker sees and answers when sending it again. One recorded with a closure is signed off with
the closure; the front door's is authorised with its decision."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework import models as cw
from casefile.casework.services import episodes as services
from casefile.casework.testing import history_shown
from casefile.casework.tests.test_episodes_closure import authorised_assessment
from casefile.frontdoor import testing as fd_testing

D = datetime.date


@pytest.fixture
def thursday(time_machine):
    from zoneinfo import ZoneInfo
    time_machine.move_to(datetime.datetime(2025, 3, 13, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)


def step_down(org, child, by=None):
    return services.record_step_down(actor=by or org.sam, child=child, date=D(2025, 3, 13),
                                     early_help_provider="Family Hub North", reason="Parenting support")


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.message_dict


def test_a_workers_step_down_waits_for_another_manager(org, child, thursday):
    transfer = step_down(org, child)
    assert transfer.proposed_by == org.sam and transfer.proposed_on == D(2025, 3, 13) and transfer.awaiting_sign_off
    assert "Only a team manager" in refused(services.sign_off_step_down, actor=org.sam, transfer=transfer)["__all__"][0]
    own = step_down(org, child, by=org.tess)
    assert "another manager" in refused(services.sign_off_step_down, actor=org.tess, transfer=own)["__all__"][0]
    services.sign_off_step_down(actor=org.tess, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.signed_off_by == org.tess and transfer.signed_off_on == D(2025, 3, 13)
    assert not transfer.awaiting_sign_off
    assert AuditEvent.objects.filter(action=Action.AUTHORISE, subject_type="casework.earlyhelptransfer").exists()
    assert "not waiting" in refused(services.sign_off_step_down, actor=org.simon, transfer=transfer)["__all__"][0]


def test_a_returned_step_down_keeps_the_comment_and_the_workers_answer(org, child, thursday):
    transfer = step_down(org, child)
    assert refused(services.return_step_down, actor=org.tess, transfer=transfer, reason=" ") == {
        "reason": ["Enter what should change before the child steps down to early help"]}
    services.return_step_down(actor=org.tess, transfer=transfer, reason="Name the family hub worker")
    transfer.refresh_from_db()
    assert not transfer.awaiting_sign_off and transfer.proposed_by is None
    returned = cw.ReturnedWork.objects.get(kind="step_down", record_id=transfer.pk)
    assert returned.returned_to == org.sam and returned.comment == "Name the family hub worker"
    values = {"date": D(2025, 3, 13), "early_help_provider": "Family Hub North (Jo Bloggs)", "reason": "Parenting"}
    assert "answer" in refused(services.send_step_down_again, actor=org.sam, transfer=transfer, **values)
    services.send_step_down_again(actor=org.sam, transfer=transfer, answer="Jo Bloggs is named", **values)
    transfer.refresh_from_db()
    returned.refresh_from_db()
    assert transfer.awaiting_sign_off and transfer.early_help_provider == "Family Hub North (Jo Bloggs)"
    assert returned.answer == "Jo Bloggs is named" and returned.answered_by == org.sam
    assert "not returned" in refused(services.send_step_down_again, actor=org.sam, transfer=transfer,
                                     answer="again", **values)["__all__"][0]


def test_a_step_down_with_a_closure_is_signed_off_with_it(org, child, thursday):
    episode = cw.Episode.objects.create(child=child, referral_date=D(2025, 1, 6), referral_source="2A",
                                        recorded_by=org.sam)
    authorised_assessment(org, episode)
    services.step_down_to_early_help(actor=org.sam, episode=episode, early_help_provider="Family Hub North",
                                     early_help_reason="Parenting support", rationale="r", childs_views="v")
    transfer = cw.EarlyHelpTransfer.objects.get(episode=episode)
    assert transfer.awaiting_sign_off
    assert "with the closure" in refused(services.sign_off_step_down, actor=org.tess, transfer=transfer)["__all__"][0]
    services.sign_off_closure(actor=org.tess, episode=episode, signed_off_on=D(2025, 3, 13))
    transfer.refresh_from_db()
    assert transfer.signed_off_by == org.tess and transfer.signed_off_on == D(2025, 3, 13)


def test_the_front_doors_step_down_is_authorised_with_its_decision(org, thursday):
    from casefile.frontdoor.services import decisions as fd_services
    from casefile.testing import make_child

    lily = make_child()
    contact = fd_testing.make_contact(lily, by=org.fran)
    decision = fd_testing.decide(contact.children.get(), by=org.mo, outcome="early_help")
    fd_services.authorise_decision(actor=org.mel, decision=decision, comment="Agreed")
    transfer = cw.EarlyHelpTransfer.objects.get(child=lily)
    assert transfer.signed_off_by == org.mel and transfer.proposed_on is None and not transfer.awaiting_sign_off


def test_only_a_manager_may_record_a_step_down_as_signed_off(org, child, thursday):
    errors = refused(services.record_step_down, actor=org.sam, child=child, date=D(2025, 3, 13),
                     early_help_provider="Family Hub North", reason="r", signed_off=True)
    assert errors == {"__all__": ["Only a manager can sign off a step-down to early help"]}


def test_the_step_down_pages_sign_off_return_and_send_again(client, org, child, thursday):
    transfer = step_down(org, child)
    ids = {"person_id": child.pk, "early_help_transfer_id": transfer.pk}
    page_url = reverse("casework:early_help_transfer", kwargs=ids)
    client.force_login(org.sam)
    page = client.get(page_url).content.decode()
    assert "Waiting for a manager to sign it off: sent on 13 March 2025 by Sam Worker." in page
    assert "Sign off the step-down" not in page
    # Sam proposed it: the sign-off page sends Sam back to the step-down, saying so.
    assert client.post(reverse("casework:sign_off_step_down", kwargs=ids), {}).status_code == 302
    assert cw.EarlyHelpTransfer.objects.get(pk=transfer.pk).awaiting_sign_off

    client.force_login(org.tess)
    assert "Sign off the step-down" in client.get(page_url).content.decode()
    assert client.post(reverse("casework:return_step_down", kwargs=ids),
                       {"reason": "Name the family hub worker"}).status_code == 302

    client.force_login(org.sam)
    page = client.get(page_url).content.decode()
    assert "Name the family hub worker" in page and "Send it again with your answer" in page
    my_work = client.get("/").content.decode()
    assert "Step-down" in my_work and "Name the family hub worker" in my_work
    again = reverse("casework:send_step_down_again", kwargs=ids)
    assert "Name the family hub worker" in client.get(again).content.decode()
    response = client.post(again, {"date_day": "13", "date_month": "3", "date_year": "2025",
                                   "early_help_provider": "Family Hub North", "reason": "Parenting support",
                                   "answer": "Jo Bloggs is the worker"})
    assert response.status_code == 302

    client.force_login(org.tess)
    assert client.post(reverse("casework:sign_off_step_down", kwargs=ids), {}).status_code == 302
    page = client.get(page_url).content.decode()
    assert "Signed off by Tess Manager on 13 March 2025." in page
    # The return and the answer are both on the child's chronology.
    chronology = client.get(reverse("people:chronology", kwargs={"person_id": child.pk})).content.decode()
    assert "Step-down to early help returned by a manager for changes" in chronology
    assert "Step-down to early help sent again with an answer to the manager" in chronology


def test_the_closure_sign_off_page_posts_back_the_history_it_showed(client, org, child, thursday):
    episode = cw.Episode.objects.create(child=child, referral_date=D(2025, 1, 6), referral_source="2A",
                                        recorded_by=org.sam, closure_reason="RC7", closure_rationale="Met",
                                        childs_views_at_closure="Fine", closure_proposed_by=org.sam,
                                        closure_proposed_on=D(2025, 3, 12))
    earlier = cw.Episode.objects.create(child=child, referral_date=D(2024, 6, 3), referral_source="2A",
                                        recorded_by=org.sam, closure_date=D(2024, 9, 2), closure_reason="RC8")
    url = reverse("casework:sign_off_closure", kwargs={"person_id": child.pk, "episode_id": episode.pk})
    client.force_login(org.tess)
    page = client.get(url).content.decode()
    assert 'id="history"' in page and "Re-referrals (a referral within 12 months of the one before): " \
                                      "<strong>1</strong>" in page
    assert 'name="history_shown" value="contacts=0;referrals=2;re_referrals=1;closures=1"' in page
    shown = history_shown(child)
    # The history changed after the page was shown (another referral recorded): the sign-off is refused.
    earlier.referral_date = D(2023, 1, 9)
    earlier.save()
    dates = {"signed_off_on_day": "13", "signed_off_on_month": "3", "signed_off_on_year": "2025"}
    page = client.post(url, {**dates, **shown}).content.decode()
    assert "contact and referral history has changed since the page was shown" in page
    episode.refresh_from_db()
    assert episode.closure_date is None
    response = client.post(url, {**dates, **history_shown(child)})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.closure_history_shown["re_referrals"] == 0 and episode.closure_history_shown["referrals"] == 2
    assert "shown_at" in episode.closure_history_shown
