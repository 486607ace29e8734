"""Searches and duplicate checks are limited per user a minute: past the limit a 429 page says when to try
again, and the burst is audited once (204 searches and 20 probes used to go through unthrottled)."""

from __future__ import annotations

import datetime
import time

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.people.models import Person
from casefile.people.tests.helpers import date_fields

SEARCH = reverse("people:search")


def throttle_events():
    return AuditEvent.objects.filter(action=Action.ACCESS_DENIED, details__throttled__isnull=False)


@pytest.fixture
def start_of_a_minute():
    """Counting is per clock minute: start just after one begins, so the test's requests share it."""
    now = time.time()
    with time_machine.travel(now - now % 60 + 1, tick=False):
        yield


@override_settings(CASEFILE_LOOKUP_RATE_LIMIT=3)
def test_searches_past_the_limit_are_refused_with_a_page_saying_when_to_try_again(client, org, start_of_a_minute):
    client.force_login(org.sam)
    for number in range(3):
        assert client.get(SEARCH, {"name": f"Hartley{number}"}).status_code == 200
    refused = client.get(SEARCH, {"name": "Hartley"})
    assert refused.status_code == 429 and refused["Retry-After"] == "59"
    page = refused.content.decode()
    assert "You have searched too many times" in page and "Try again in 59 seconds" in page
    assert "up to 3 searches or duplicate checks in 60 seconds" in page
    assert client.get(SEARCH, {"name": "Hartley"}).status_code == 429
    # The burst is on the record once, with who and what, not once per refused request.
    event = throttle_events().get()
    assert event.actor == org.sam and event.details["limit"] == 3 and event.details["path"] == SEARCH
    assert AuditEvent.objects.filter(action=Action.SEARCH, actor=org.sam).count() == 3
    # Someone else is not held back by Sam's searches.
    client.force_login(org.fran)
    assert client.get(SEARCH, {"name": "Hartley"}).status_code == 200


@override_settings(CASEFILE_LOOKUP_RATE_LIMIT=2)
def test_the_limit_lifts_in_the_next_minute(client, org, start_of_a_minute):
    client.force_login(org.sam)
    for _ in range(2):
        client.get(SEARCH, {"name": "Hartley"})
    assert client.get(SEARCH, {"name": "Hartley"}).status_code == 429
    with time_machine.travel(time.time() + 60, tick=False):
        assert client.get(SEARCH, {"name": "Hartley"}).status_code == 200


@override_settings(CASEFILE_LOOKUP_RATE_LIMIT=2)
def test_duplicate_checks_count_with_searches(client, org, start_of_a_minute):
    client.force_login(org.sam)
    client.get(SEARCH, {"name": "Hartley"})
    probe = {"kind": "child", "first_name": "Zed", "last_name": "Quorn", "sex": "M",
             **date_fields("date_of_birth", datetime.date(2001, 9, 9)), **date_fields("expected_date_of_birth", None)}
    assert client.post(reverse("people:create"), probe).status_code == 302
    refused = client.post(reverse("people:create"), {**probe, "last_name": "Quill"})
    assert refused.status_code == 429 and not Person.objects.filter(last_name="Quill").exists()
    assert throttle_events().count() == 1


def test_the_default_limit_is_sixty_a_minute(client, org, start_of_a_minute):
    client.force_login(org.sam)
    answers = [client.get(SEARCH, {"name": "Hartley"}).status_code for _ in range(61)]
    assert answers == [200] * 60 + [429]
