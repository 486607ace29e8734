"""Each app registers its own chronology providers (AppConfig.ready()); a later app adds events the same way,
without editing a central list, and each provider is registered once."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.urls import reverse

from casefile.casework.chronology import registry
from casefile.casework.chronology.registry import ChronologyEvent, Scope, register


@pytest.fixture
def clean_registry():
    """A registration made by a test is undone after it (in place: other modules hold these dicts)."""
    saved = dict(registry.PROVIDERS), dict(registry.EVENT_TYPES)
    yield
    for live, kept in zip((registry.PROVIDERS, registry.EVENT_TYPES), saved, strict=True):
        live.clear()
        live.update(kept)


def oversight_reviews(scope: Scope):
    """What a later app's provider looks like."""
    yield ChronologyEvent(datetime.date(2024, 1, 1), "Management oversight", "Plan on track", by="Tess Manager",
                          key=f"oversight:{scope.person.pk}", type="oversight")


@pytest.mark.django_db
def test_a_provider_registered_by_an_app_appears_in_the_chronology_page(clean_registry, client, org, child):
    register(oversight_reviews, types={"oversight": "Management oversight"})
    client.force_login(org.sam)
    page = client.get(reverse("people:chronology", kwargs={"person_id": child.pk})).content.decode()
    assert "Management oversight" in page and "Plan on track" in page
    assert '<time datetime="2024-01-01">1 January 2024</time>' in page
    filtered = client.get(reverse("people:chronology", kwargs={"person_id": child.pk}), {"type": "oversight"})
    assert filtered.status_code == 200 and "Plan on track" in filtered.content.decode()


def test_registering_a_provider_again_adds_it_once(clean_registry):
    before = len(registry.PROVIDERS)
    register(oversight_reviews, types={"oversight": "Management oversight"})
    register(oversight_reviews, types={"oversight": "Management oversight"})
    assert len(registry.PROVIDERS) == before + 1


def test_two_apps_cannot_give_one_event_type_two_labels(clean_registry):
    with pytest.raises(ValueError, match="already registered"):
        register(types={"visit": "Something else"})


def test_every_installed_app_with_events_registers_its_providers_once():
    by_app: dict[str, list[str]] = {}
    for dotted in registry.PROVIDERS:
        by_app.setdefault(apps.get_containing_app_config(dotted).label, []).append(dotted)
    assert set(by_app) == {"casework", "frontdoor", "oversight"}
    assert {"casefile.frontdoor.chronology.front_door", "casefile.frontdoor.chronology.police_notifications",
            "casefile.casework.chronology.providers.visits", "casefile.casework.chronology.providers.addresses",
            "casefile.oversight.chronology.case_supervisions"} \
        <= set(registry.PROVIDERS)
    # ready() running again (as a test runner may) changes nothing.
    count = len(registry.PROVIDERS)
    for label in by_app:
        apps.get_app_config(label).ready()
    assert len(registry.PROVIDERS) == count
    assert list(registry.EVENT_TYPES)[-5:] == ["record", "front_door", "management_decision", "challenge",
                                              "supervision"]
