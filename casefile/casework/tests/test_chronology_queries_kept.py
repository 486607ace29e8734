"""The chronology's queries, and the record page's deadlines and access checks, are built and compiled once
(core/prepared.py) and run again with other ids: a provider whose queryset could not be kept (a prefetch, say)
would quietly cost the ORM's building and compiling on every page again, so this fails instead."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casefile.access import policy
from casefile.casework import deadlines
from casefile.casework.chronology import notes, providers, registry
from casefile.casework.testing import make_journey
from casefile.frontdoor import chronology as front_door_chronology
from casefile.oversight import chronology as oversight_chronology
from casefile.oversight import signals as oversight_signals

pytestmark = pytest.mark.django_db
MODULES = (providers, registry, notes, front_door_chronology, oversight_chronology, deadlines, policy)


def _prepared() -> dict[str, object]:
    found = {f"{module.__name__}.{name}": value for module in MODULES for name, value in vars(module).items()
             if callable(value) and isinstance(getattr(value, "kept", None), dict)}
    # The record page's practice-quality panel: each signal loader's query about one child.
    found.update({f"{oversight_signals.__name__}.{query.__name__}": kept
                  for query, kept in oversight_signals.KEPT.items()})
    return found


def test_every_prepared_query_the_chronology_and_record_pages_run_is_kept(client, org, child):
    make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)
    for function in _prepared().values():
        function.kept.clear()
    client.force_login(org.sam)
    for name in ("people:chronology", "people:record"):
        assert client.get(reverse(name, kwargs={"person_id": child.pk})).status_code == 200
    ran = {name: function.kept for name, function in _prepared().items() if function.kept}
    assert len(ran) >= 20  # the providers, the scope, the notes, the deadlines and the open allocation
    assert {query.__name__ for query in oversight_signals.QUERIES} <= {name.rsplit(".", 1)[1] for name in ran}
    assert {name for name, kept in ran.items() if None in kept.values()} == set()
