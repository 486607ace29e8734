"""Failed sign-ins pause a username at an address briefly; nobody can lock a whole office out, or anyone out for
long; every refusal is audited with its reason; administrators see and lift pauses (ADR 0019)."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from casefile.audit.models import Action, AuditEvent
from casefile.testing import PASSWORD

LOGIN = "/accounts/login/"
OFFICE = "10.20.30.40"  # a council's one NAT address: everyone in the office signs in from it


def sign_in(client, username, password, address=OFFICE, **extra):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=address, **extra)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_five_wrong_passwords_pause_the_username_at_that_address_for_five_minutes(org, client, clock):
    responses = [sign_in(client, "sam", f"wrong {n}") for n in range(5)]

    assert [r.status_code for r in responses[:4]] == [200] * 4
    paused = responses[4]
    assert paused.status_code == 429
    page = paused.content.decode()
    assert '<h1 class="govuk-heading-l">Signing in to this account is paused</h1>' in page
    assert "The wrong password was entered 5 times for this account from your network" in page
    assert "You can try again in 5 minutes" in page
    # Even the right password is refused while the pause lasts...
    assert sign_in(client, "sam", PASSWORD).status_code == 429
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN).exists()
    # ...which is minutes, not half an hour.
    clock.shift(datetime.timedelta(minutes=5, seconds=1))
    assert signed_in(sign_in(client, "sam", PASSWORD))


def test_failures_during_a_pause_do_not_make_it_longer(org, client, clock):
    for n in range(5):
        sign_in(client, "sam", f"wrong {n}")
    for _ in range(4):  # a stranger keeps trying, once a minute
        clock.shift(datetime.timedelta(minutes=1))
        assert sign_in(client, "sam", "still wrong").status_code == 429
    clock.shift(datetime.timedelta(minutes=1, seconds=1))
    assert signed_in(sign_in(client, "sam", PASSWORD))


def test_one_attackers_failures_do_not_block_another_user_at_the_same_address(org, client):
    # A stranger in the office tries a manager's account and a dozen guessed usernames.
    for n in range(5):
        sign_in(client, "tess", f"guess {n}")
    for n in range(12):
        sign_in(client, f"user{n}", "guess")

    assert signed_in(sign_in(client, "sam", PASSWORD))


def test_a_pause_at_one_address_does_not_stop_the_same_person_elsewhere(org, client):
    for n in range(5):
        sign_in(client, "tess", f"guess {n}", address="203.0.113.9")
    assert sign_in(client, "tess", PASSWORD, address="203.0.113.9").status_code == 429
    assert signed_in(sign_in(client, "tess", PASSWORD, address=OFFICE))


@override_settings(SIGN_IN_FAILURES_PER_ADDRESS=10)
def test_very_many_failures_from_one_address_pause_it_briefly_and_say_why(org, client, clock):
    for n in range(10):
        sign_in(client, f"user{n}", "guess")

    refused = sign_in(client, "sam", PASSWORD)
    assert refused.status_code == 200
    assert "Too many sign-ins have failed from your network. Wait a few minutes, then try again" in (
        refused.content.decode())
    assert AuditEvent.objects.filter(
        action=Action.SIGN_IN_FAILED, details__reason="too many failures from this address").count() == 1
    assert signed_in(sign_in(client, "sam", PASSWORD, address="10.99.0.1"))  # another address is not affected
    clock.shift(datetime.timedelta(minutes=5, seconds=1))
    assert signed_in(sign_in(client, "sam", PASSWORD))


def test_each_refused_sign_in_is_audited_with_the_username_address_and_reason_never_the_password(org, client):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=org.pat.pk).update(is_active=False)
    sign_in(client, "nobody", "secret-one")
    sign_in(client, "pat", PASSWORD)
    for n in range(6):
        sign_in(client, "sam", f"secret-{n}")

    events = list(AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).order_by("id"))
    assert [(e.details["username"], e.details["reason"]) for e in events] == [
        ("nobody", "unknown username"),
        ("pat", "account disabled"),
        *[("sam", "wrong password")] * 5,
        ("sam", "too many failures for this username from this address"),
    ]
    assert events[6].details["paused"] is True  # the fifth wrong password began the pause
    assert {e.ip_address for e in events} == {OFFICE}
    assert {e.actor for e in events} == {None}
    assert not any("secret" in str(e.details) or PASSWORD in str(e.details) for e in events)


@override_settings(SIGN_IN_BURST=6)
def test_a_burst_of_refusals_from_one_address_is_audited_as_a_burst(org, client):
    for n in range(13):
        sign_in(client, f"user{n}", "guess")

    bursts = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED, details__reason__startswith="burst")
    assert [(b.ip_address, b.details["refused"], b.details["minutes"]) for b in bursts] == [
        (OFFICE, 6, 5), (OFFICE, 12, 5)]


def test_administrators_see_and_lift_pauses_and_it_is_audited(org, client):
    for n in range(5):
        sign_in(client, "tess", f"guess {n}")
    staff = type(client)()
    staff.force_login(org.sam)
    assert staff.get("/sign-in-pauses/").status_code == 403
    assert staff.post("/sign-in-pauses/", {"address": OFFICE, "username": "tess"}).status_code == 403

    admin = type(client)()
    admin.force_login(org.ada)
    page = admin.get("/sign-in-pauses/").content.decode()
    assert "<td class=\"govuk-table__cell\">tess</td>" in page
    assert f"<td class=\"govuk-table__cell\">{OFFICE}</td>" in page
    response = admin.post("/sign-in-pauses/", {"address": OFFICE, "username": "tess"})
    assert response["Location"] == "/sign-in-pauses/"
    assert "Nobody is paused." in admin.get("/sign-in-pauses/").content.decode()
    lifted = AuditEvent.objects.get(action=Action.UPDATE, actor=org.ada)
    assert lifted.details["sign_in_pause_lifted"] == {"address": OFFICE, "username": "tess"}
    assert signed_in(sign_in(client, "tess", PASSWORD))
