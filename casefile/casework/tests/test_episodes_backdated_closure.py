"""A manager may backdate a closure when signing it off (the family moved away before the paperwork was done), and
must say why; it cannot close after the sign-off or before the referral."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casefile.audit.models import Action, AuditEvent
from casefile.casework.chronology import chronology
from casefile.casework.services import episodes as services
from casefile.casework.testing import history_shown
from casefile.casework.tests import test_episodes_closure as closure_tests
from casefile.casework.tests.test_episodes_closure import propose, refused

# The closure tests' fixture: an episode referred on 1 March 2024.
episode = closure_tests.episode
D = datetime.date


def sign_off(org, episode, **values):
    return services.sign_off_closure(actor=org.tess, episode=episode, signed_off_on=timezone.localdate(), **values)


def test_a_backdated_closure_needs_the_managers_reason(org, episode):
    propose(org, episode)
    message = refused(sign_off, org=org, episode=episode, closure_date=D(2024, 4, 1))
    assert message["backdate_reason"][0].startswith("A closure backdated before its sign-off needs a reason")
    sign_off(org, episode, closure_date=D(2024, 4, 1), backdate_reason="The family moved to Leeds on 1 April")
    episode.refresh_from_db()
    assert episode.closure_date == D(2024, 4, 1) and episode.closure_signed_off_on == timezone.localdate()
    assert episode.closure_backdated_reason == "The family moved to Leeds on 1 April"
    event = AuditEvent.objects.filter(action=Action.UPDATE, subject_id=str(episode.pk)).latest("pk")
    assert event.details["backdated_reason"] == "The family moved to Leeds on 1 April"
    closed = next(e for e in chronology(episode.child) if e.key == f"closure:{episode.pk}")
    assert closed.date == D(2024, 4, 1) and "Backdated: The family moved to Leeds on 1 April." in closed.description


def test_a_closure_cannot_be_dated_before_the_referral_or_after_the_sign_off(org, episode):
    propose(org, episode)
    before = refused(sign_off, org=org, episode=episode, closure_date=D(2024, 2, 1), backdate_reason="Moved")
    assert "on or after the referral, 1 March 2024" in before["closure_date"][0]
    after = refused(services.sign_off_closure, actor=org.tess, episode=episode, signed_off_on=D(2024, 4, 1),
                    closure_date=D(2024, 4, 2))
    assert "cannot be after the sign-off" in after["closure_date"][0]
    reason_alone = refused(sign_off, org=org, episode=episode, backdate_reason="Moved")
    assert set(reason_alone) == {"closure_date"}


def test_a_closure_on_the_day_of_sign_off_needs_no_reason(org, episode):
    propose(org, episode)
    sign_off(org, episode, closure_date=timezone.localdate())
    episode.refresh_from_db()
    assert episode.closure_date == timezone.localdate() and episode.closure_backdated_reason == ""


def test_the_sign_off_page_backdates_and_the_episode_page_says_why(client, org, child, episode):
    propose(org, episode)
    ids = {"person_id": child.pk, "episode_id": episode.pk}
    today = timezone.localdate()
    client.force_login(org.tess)
    response = client.post(reverse("casework:sign_off_closure", kwargs=ids), {
        "signed_off_on_day": today.day, "signed_off_on_month": today.month, "signed_off_on_year": today.year,
        "closure_date_day": "1", "closure_date_month": "4", "closure_date_year": "2024",
        "backdate_reason": "Moved to Leeds", **history_shown(child)})
    assert response.status_code == 302
    page = client.get(reverse("casework:episode", kwargs=ids)).content.decode()
    assert "Closed on 1 April 2024: Moved to Leeds" in page
