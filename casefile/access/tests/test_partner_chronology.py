"""A partner agency with a child's chronology shared sees in it only the kinds of event its share names: never case
supervision or chair and IRO challenge (whose pages answer 404 to a partner), a management decision only when it
may be shared with the family and then in the family's words, and case notes, visits or plans only when those are
shared too. The allocated worker still sees every event."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casefile.access import policy
from casefile.access.models import AgencyShare, SharedItem
from casefile.casework.chronology import EVENT_TYPES, entries_shown_to
from casefile.casework.testing import make_journey
from casefile.oversight.models import DecisionKind
from casefile.oversight.testing import make_case_supervision, make_challenge, make_decision

INTERNAL = "Internal: the risk is not yet reduced"  # make_decision's reasons, never for the family
FAMILY_WORDS = "We will keep helping Dawn with Lily's mornings before school."
SUPERVISION = "Case supervision: Sam Worker with Tess Manager"
CONCERN = "Practice concern raised"
EVERY_ITEM = [item.value for item in SharedItem]


@pytest.fixture
def record(org, child):
    """Lily's journey with one of every oversight record: a decision kept within the service, one that may be shared
    with the family, a case supervision, and a practice concern the chair raised."""
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.hana)
    kept = make_decision(child, org.tess, decision="Hold the plan for now")
    shared = make_decision(child, org.tess, kind=DecisionKind.STEP_DOWN, decision="Step down to early help",
                           shareable_with_family=True, family_summary=FAMILY_WORDS)
    make_case_supervision(child, org.sam, org.tess, held_on=datetime.date(2024, 3, 4))
    make_challenge(child, org.hana, journey.conference)
    return journey, kept, shared


def _share(org, child, items):
    return AgencyShare.objects.create(child=child, agency=org.petra.agency, purpose="Joint section 47 enquiry",
                                      shared_by=org.tess, expires_on=timezone.localdate() + datetime.timedelta(days=30),
                                      items=items)


def _chronology(client, child) -> str:
    response = client.get(reverse("people:chronology", kwargs={"person_id": child.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_a_partner_with_everything_shared_sees_no_supervision_challenge_or_internal_decision(client, org, child,
                                                                                              record):
    journey, kept, shared = record
    _share(org, child, EVERY_ITEM)
    client.force_login(org.petra)
    page = _chronology(client, child)
    for hidden in (SUPERVISION, CONCERN, "Practice concern resolved", "Management decision: plan",
                   "Hold the plan for now", INTERNAL, "Joint visit with the health visitor"):
        assert hidden not in page, hidden
    # What its share names is there: the visit, the case note, the plan, and the decision the family may be told, in
    # the family's words and with no link to the decision's page (which answers 404 to a partner).
    assert "Management decision: step-down" in page and FAMILY_WORDS.replace("'", "&#39;") in page
    decision_page = reverse("oversight:decision", kwargs={"person_id": child.pk, "management_decision_id": shared.pk})
    assert decision_page not in page
    told = next(entry.event for entry in entries_shown_to(org.petra, child)
                if entry.event.key == f"management-decision:{shared.pk}")
    assert told.description == FAMILY_WORDS and told.url == ""
    assert reverse("casework:visit", kwargs={"person_id": child.pk, "visit_id": journey.visit.pk}) in page


def test_the_allocated_worker_still_sees_every_event(client, org, child, record):
    _share(org, child, EVERY_ITEM)
    client.force_login(org.sam)
    page = _chronology(client, child)
    for shown in (SUPERVISION, CONCERN, "Management decision: plan", INTERNAL, "Management decision: step-down",
                  "Step down to early help"):
        assert shown in page, shown


def test_a_partner_with_only_the_chronology_shared_sees_only_who_the_child_is(org, child, record):
    _share(org, child, [SharedItem.CHRONOLOGY])
    types = {entry.event.type for entry in entries_shown_to(org.petra, child)}
    assert types <= {"record", "allocation", "management_decision"} and "allocation" in types
    assert "visit" in {entry.event.type for entry in entries_shown_to(org.sam, child)}


def test_visits_shared_show_visits_but_not_case_notes(org, child, record):
    _share(org, child, [SharedItem.CHRONOLOGY, SharedItem.VISITS])
    types = {entry.event.type for entry in entries_shown_to(org.petra, child)}
    assert "visit" in types and "case_note" not in types and "plan" not in types


def test_without_the_chronology_shared_no_entry_is_shown(org, child, record):
    _share(org, child, [SharedItem.VISITS, SharedItem.CASE_NOTES])
    assert entries_shown_to(org.petra, child) == []


def test_the_chronology_costs_a_partner_two_queries_more_than_staff(org, child, record, django_assert_num_queries):
    """The shares are read once, and whether the child is sampled to the partner for a multi-agency case file audit
    once, whatever the number of events."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _share(org, child, EVERY_ITEM)
    with CaptureQueriesContext(connection) as staff:
        entries_shown_to(org.sam, child)
    with django_assert_num_queries(len(staff) + 2):
        entries_shown_to(org.petra, child)


# Case supervision, chair and IRO challenge and the front door's own records are never shown to a partner. A new
# kind of event is hidden from partners until access/policy.py names the item it needs, and this list says which.
NEVER_SHARED = {"supervision", "challenge", "front_door"}


def test_every_kind_of_event_is_either_named_for_partners_or_never_shown_to_them(db):
    assert set(EVENT_TYPES) == set(policy.PARTNER_CHRONOLOGY_TYPES) | NEVER_SHARED
    assert not NEVER_SHARED & set(policy.PARTNER_CHRONOLOGY_TYPES)
