import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from casefile.access.models import RestrictedAccessGrant
from casefile.audit.models import Action, AuditEvent
from casefile.people.models import Person


@pytest.fixture
def restricted(org, child):
    child.restriction = Person.Restriction.STAFF_RELATIVE
    child.save()
    RestrictedAccessGrant.objects.create(child=child, user=org.tess, granted_by=org.ada)
    return child


def _page(child):
    return reverse("audit:viewers", kwargs={"person_id": child.pk})


def _reason_page(child):
    return reverse("access:restricted_reason", kwargs={"person_id": child.pk})


def test_a_named_user_is_asked_for_a_reason_before_the_record_opens(client, org, restricted):
    client.force_login(org.tess)
    response = client.get(_page(restricted))
    assert response.status_code == 302
    assert response.url.startswith(_reason_page(restricted))
    assert not AuditEvent.objects.filter(action=Action.VIEW, child=restricted).exists()


def test_the_reason_is_recorded_and_the_record_opens(client, org, restricted):
    client.force_login(org.tess)
    response = client.post(f"{_reason_page(restricted)}?next={_page(restricted)}",
                           {"reason": "Preparing for Monday's strategy meeting"})
    assert response.status_code == 302 and response.url == _page(restricted)
    event = AuditEvent.objects.get(action=Action.RESTRICTED_ACCESS, child=restricted)
    assert event.actor == org.tess and event.reason == "Preparing for Monday's strategy meeting"
    assert client.get(_page(restricted)).status_code == 200


def test_a_short_or_missing_reason_is_refused_with_a_message(client, org, restricted):
    client.force_login(org.tess)
    for reason, message in (("", "Enter why you need to open this restricted record"),
                            ("because", "at least 10 characters")):
        response = client.post(_reason_page(restricted), {"reason": reason})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.RESTRICTED_ACCESS).exists()


def test_the_reason_is_asked_again_after_a_while(client, org, restricted):
    client.force_login(org.tess)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post(_reason_page(restricted), {"reason": "Reviewing the plan with the family"})
        assert client.get(_page(restricted)).status_code == 200
        traveller.shift(16 * 60)
        client.force_login(org.tess)  # the idle time-out would otherwise sign Tess out
        assert client.get(_page(restricted)).status_code == 302


def test_the_allocated_worker_is_not_named_so_cannot_open_it(client, org, restricted):
    client.force_login(org.sam)
    assert client.get(_reason_page(restricted)).status_code == 404
    assert client.get(_page(restricted)).status_code == 404


def test_a_revoked_grant_no_longer_opens_it(client, org, restricted):
    RestrictedAccessGrant.objects.filter(user=org.tess).update(revoked_at=timezone.now())
    client.force_login(org.tess)
    assert client.get(_page(restricted)).status_code == 404


def test_the_reason_page_will_not_redirect_off_site(client, org, restricted):
    client.force_login(org.tess)
    response = client.post(f"{_reason_page(restricted)}?next=https://evil.example/",
                           {"reason": "Checking the chronology for court"})
    assert response.url == "/"
