"""The practice-quality pages: who sees which teams, the children behind a count (audited, only those the user
may see), a child's signals with links to the evidence, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.audit.models import Action, AuditEvent
from casefile.casework.testing import make_journey
from casefile.oversight import kept_signals
from casefile.testing import allocate, make_child

pytestmark = pytest.mark.django_db
PAGE = reverse("oversight:practice_quality")
CHILDREN = reverse("oversight:practice_children")


@pytest.fixture
def journey(org, child):
    return make_journey(child, org.sam, org.tess, org.chris)


def test_a_team_manager_sees_their_teams_signals_and_each_worker(client, org, journey):
    client.force_login(org.tess)
    page = client.get(PAGE).content.decode()
    assert "Child protection plan over 15 months" in page and org.assessment.name in page
    assert org.other_team.name not in page  # not a team tess oversees
    team = client.get(PAGE, {"team": org.assessment.pk}).content.decode()
    assert "Sam Worker" in team
    worker = client.get(PAGE, {"worker": org.sam.pk})
    assert worker.status_code == 200 and "Back to Assessment Team" in worker.content.decode()


def test_a_team_or_worker_the_manager_does_not_oversee_is_not_found(client, org, journey):
    client.force_login(org.tess)
    assert client.get(PAGE, {"team": org.other_team.pk}).status_code == 404
    assert client.get(PAGE, {"worker": org.ola.pk}).status_code == 404
    assert client.get(CHILDREN, {"signal": "no_such_signal"}).status_code == 404


@pytest.mark.parametrize("name", ["sam", "ola", "fran", "chris", "petra"])
def test_those_who_do_not_oversee_practice_are_refused(client, org, journey, name):
    client.force_login(getattr(org, name))
    assert client.get(PAGE).status_code == 403
    assert client.get(CHILDREN).status_code == 403


def test_the_children_behind_a_count_are_listed_and_audited(client, org, child, journey):
    client.force_login(org.tess)
    response = client.get(CHILDREN, {"team": org.assessment.pk, "signal": "cp_plan_15_months"})
    page = response.content.decode()
    assert child.display_name in page and reverse("oversight:child_signals", kwargs={"person_id": child.pk}) in page
    event = AuditEvent.objects.filter(action=Action.VIEW, actor=org.tess).latest("pk")
    assert event.details["shown"] == [child.pk]


def test_quality_assurance_sees_every_teams_counts_but_only_the_children_it_may_see(client, org, child, journey):
    client.force_login(org.quinn)
    overview = client.get(PAGE).content.decode()
    assert org.assessment.name in overview and org.other_team.name in overview and "Every team" in overview
    page = client.get(CHILDREN).content.decode()
    assert child.display_name not in page
    assert "Only the children whose records you may see are listed: 0 children of 1 child." in page


def test_a_childs_signals_explain_themselves_and_link_to_the_evidence(client, org, child, journey):
    client.force_login(org.tess)
    url = reverse("oversight:child_signals", kwargs={"person_id": child.pk})
    page = client.get(url).content.decode()
    assert "Child protection plan started 28 January 2024 is still open" in page
    assert reverse("casework:plan", kwargs={"person_id": child.pk, "plan_id": journey.plan.pk}) in page
    assert AuditEvent.objects.filter(action=Action.VIEW, child=child, actor=org.tess).exists()


def test_a_childs_signals_are_not_found_by_someone_who_may_not_see_the_record(client, org, child, journey):
    client.force_login(org.ola)
    assert client.get(reverse("oversight:child_signals", kwargs={"person_id": child.pk})).status_code == 404


def test_the_pages_take_the_same_queries_for_one_child_or_five_more(client, org, child, journey):
    client.force_login(org.tess)
    urls = [(PAGE, {}), (PAGE, {"team": org.assessment.pk}), (CHILDREN, {"team": org.assessment.pk})]
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            for url, params in urls:
                assert client.get(url, params).status_code == 200
        counts.append(len(queries.captured_queries))
        for n in range(4):
            other = make_child(f"Child{n}", "Many")
            allocate(other, org.sam, allocated_by=org.tess)
            make_journey(other, org.sam, org.tess, org.chris)
    assert counts[0] == counts[1]
    assert "Showing 9 children" in client.get(CHILDREN).content.decode()


def test_the_childs_record_page_has_a_small_practice_quality_panel(client, org, child, journey):
    client.force_login(org.sam)
    page = client.get(reverse("people:record", kwargs={"person_id": child.pk})).content.decode()
    assert "Practice quality" in page and "Child protection plan over 15 months" in page
    assert reverse("oversight:child_signals", kwargs={"person_id": child.pk}) in page


@pytest.mark.parametrize("kept", [False, True], ids=["from the record", "kept"])
def test_every_team_costs_the_same_queries_for_one_child_or_five_more_in_other_teams(client, org, child, journey,
                                                                                    kept):
    """A quality assurance officer's page works out every child held in every team, or reads the kept findings
    (oversight/kept_signals.py)."""
    client.force_login(org.quinn)
    counts = []
    for _ in range(2):
        if kept:
            kept_signals.refresh()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
            assert client.get(CHILDREN).status_code == 200
        counts.append(len(queries.captured_queries))
        for n in range(4):
            other = make_child(f"Other{n}", "Elsewhere")
            allocate(other, org.ola)
            make_journey(other, org.ola, org.tess, org.chris)
    assert counts[0] == counts[1]
    assert org.other_team.name in client.get(PAGE).content.decode()
