"""Case supervision is on the child's chronology, linked to its page; staff supervision never is."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.casework.chronology import EVENT_TYPES, chronology
from casefile.casework.chronology.registry import scope_for
from casefile.oversight.chronology import case_supervisions
from casefile.oversight.testing import make_case_supervision, make_staff_supervision
from casefile.people import services as people_services
from casefile.testing import allocate, make_child


def _by_key(person) -> dict:
    return {event.key: event for event in chronology(person)}


def test_case_supervision_is_on_the_child_s_chronology_linked_to_its_page(client, org, child):
    supervision = make_case_supervision(child, org.sam, org.tess, held_on=datetime.date(2024, 3, 4),
                                        next_steps="Joint visit with the health visitor before the review")
    event = _by_key(child)[f"supervision:{supervision.pk}"]
    assert event.when == datetime.date(2024, 3, 4)
    assert event.title == "Case supervision: Sam Worker with Tess Manager"
    assert event.description == ("What needs to happen: Joint visit with the health visitor before the review. "
                                 "Not yet signed off by both.")
    assert (event.type, event.by, event.type_label) == ("supervision", "Tess Manager", "Case supervision")
    assert EVENT_TYPES["supervision"] == "Case supervision"
    url = reverse("oversight:case_supervision", kwargs={"person_id": child.pk, "supervision_id": supervision.pk})
    assert event.url == url
    client.force_login(org.sam)
    assert client.get(url).status_code == 200
    page = client.get(reverse("people:chronology", kwargs={"person_id": child.pk}), {"type": "supervision"})
    assert f'href="{url}"' in page.content.decode()


def test_only_the_child_s_own_supervision_and_never_staff_supervision(org, child):
    other = make_child("Noah", "Other")
    allocate(other, org.sam)
    make_case_supervision(other, org.sam, org.tess)
    make_staff_supervision(org.sam, org.tess)
    assert not [event for event in chronology(child) if event.type == "supervision"]


def test_a_merged_record_s_supervision_follows_it(org, child):
    duplicate = make_child("Lilly", "Hartley")
    supervision = make_case_supervision(duplicate, org.sam, org.tess)
    people_services.merge_people(actor=org.ada, kept=child, merged=duplicate, reason="Duplicate")
    event = _by_key(child)[f"supervision:{supervision.pk}"]
    assert event.from_record and event.url == reverse("people:merged_records", kwargs={"person_id": child.pk})


def test_many_supervisions_cost_one_query(org, child):
    make_case_supervision(child, org.sam, org.tess)
    scope = scope_for(child)
    with CaptureQueriesContext(connection) as one:
        list(case_supervisions(scope))
    for day in range(1, 20):
        make_case_supervision(child, org.sam, org.tess, held_on=datetime.date(2024, 4, day))
    with CaptureQueriesContext(connection) as many:
        assert len(list(case_supervisions(scope))) == 20
    assert len(one.captured_queries) == len(many.captured_queries) == 1
