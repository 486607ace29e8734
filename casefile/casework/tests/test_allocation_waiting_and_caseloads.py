"""Children waiting for a worker, and each worker's caseload weighted by the kind of work."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from casefile import testing
from casefile.access.models import RestrictedAccessGrant
from casefile.casework import models as cw
from casefile.casework.caseloads import caseloads, unallocated_children
from casefile.casework.testing import make_journey
from casefile.people.models import Person

TODAY = datetime.date(2024, 5, 13)
WAITING = reverse("casework:unallocated")


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2024, 5, 13, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)


def referred(org, first, last, referral_date, **episode) -> Person:
    child = testing.make_child(first, last)
    cw.Episode.objects.create(child=child, referral_date=referral_date, referral_source="2A", recorded_by=org.fran,
                              **episode)
    return child


# Waiting for a worker -----------------------------------------------------------------------------------


def test_children_with_an_open_episode_and_no_worker_are_listed_longest_waiting_first(org):
    recent = referred(org, "Amy", "Recent", datetime.date(2024, 5, 10))
    oldest = referred(org, "Zac", "Oldest", datetime.date(2024, 4, 1))
    rows = unallocated_children(org.fran)
    assert [(row.child, row.waiting_since, row.days_waiting, row.since_allocation_ended) for row in rows] == [
        (oldest, datetime.date(2024, 4, 1), 42, False),
        (recent, datetime.date(2024, 5, 10), 3, False),
    ]


def test_a_child_waits_from_when_their_last_allocation_ended_if_that_is_later(org):
    child = referred(org, "Tom", "Ash", datetime.date(2024, 3, 1))
    cw.Allocation.objects.create(child=child, worker=org.sam, team=org.assessment, start_date=datetime.date(2024, 3, 2),
                                 end_date=datetime.date(2024, 5, 3), reason="Assessment", allocated_by=org.tess)
    [row] = unallocated_children(org.fran)
    assert (row.referral_date, row.waiting_since, row.days_waiting, row.since_allocation_ended) == (
        datetime.date(2024, 3, 1), datetime.date(2024, 5, 3), 10, True)


def test_allocated_children_and_closed_episodes_are_not_waiting(org, child):
    cw.Episode.objects.create(child=child, referral_date=datetime.date(2024, 5, 1), referral_source="2A",
                              recorded_by=org.fran)  # Lily has an open episode but Sam holds her case
    referred(org, "Tom", "Closed", datetime.date(2024, 1, 1), closure_date=datetime.date(2024, 2, 1))
    testing.make_child("Never", "Referred")
    assert unallocated_children(org.fran) == []


def test_a_restricted_child_waits_only_on_the_lists_of_those_named_on_the_record(org):
    child = referred(org, "Ellis", "Marsh", datetime.date(2024, 5, 1))
    child.restriction = Person.Restriction.ADOPTION
    child.save()
    assert unallocated_children(org.fran) == []
    RestrictedAccessGrant.objects.create(child=child, user=org.fran, granted_by=org.hana)
    assert [row.child for row in unallocated_children(org.fran)] == [child]


def test_the_waiting_page_shows_days_waiting_what_is_due_and_an_allocate_link_for_managers(client, org):
    child = referred(org, "Zac", "Oldest", datetime.date(2024, 5, 9))
    client.force_login(org.ada)
    html = client.get(WAITING).content.decode()
    assert "Zac Oldest" in html
    assert ">4</td>" in html
    # The referral decision was due on 10 May: overdue.
    assert "govuk-tag--red" in html and "Decide what happens next with the referral" in html
    assert f'href="{reverse("casework:allocation", kwargs={"person_id": child.pk})}"' in html


def test_the_front_door_sees_the_waiting_list_but_cannot_allocate(client, org):
    child = referred(org, "Zac", "Oldest", datetime.date(2024, 5, 9))
    client.force_login(org.fran)
    html = client.get(WAITING).content.decode()
    assert "Zac Oldest" in html
    assert reverse("casework:allocation", kwargs={"person_id": child.pk}) not in html


@pytest.mark.parametrize("who", ["tess", "simon", "hana"])
def test_managers_may_open_the_waiting_list(client, org, who):
    client.force_login(getattr(org, who))
    assert client.get(WAITING).status_code == 200


@pytest.mark.parametrize("who", ["sam", "ola", "chris", "quinn", "pat", "petra"])
def test_nobody_else_may_open_the_waiting_list(client, org, who):
    referred(org, "Zac", "Oldest", datetime.date(2024, 5, 9))
    client.force_login(getattr(org, who))
    response = client.get(WAITING)
    assert response.status_code == 403
    assert "Zac Oldest" not in response.content.decode()


# Caseloads ----------------------------------------------------------------------------------------------


@pytest.fixture
def four_kinds_of_work(org, child):
    """Sam holds Lily (child protection plan), a child on a CIN plan, one being assessed and one with an episode."""
    make_journey(child, org.sam, org.tess, org.chris)
    # Lily's new assessment does not make her lighter or heavier: a plan outweighs an assessment.
    cw.Assessment.objects.create(episode=child.episodes.get(), start_date=TODAY, recorded_by=org.sam)
    on_cin_plan = referred(org, "Cara", "Plan", datetime.date(2024, 1, 8))
    cw.Plan.objects.create(child=on_cin_plan, episode=on_cin_plan.episodes.get(), kind="cin",
                           start_date=datetime.date(2024, 3, 1), contingency="Review", recorded_by=org.sam,
                           visit_interval_working_days=20)
    assessed = referred(org, "Ash", "Assessed", datetime.date(2024, 5, 1))
    cw.Assessment.objects.create(episode=assessed.episodes.get(), start_date=datetime.date(2024, 5, 2),
                                 recorded_by=org.sam)
    referred_only = referred(org, "Ollie", "Open", datetime.date(2024, 5, 1))
    for each in (on_cin_plan, assessed, referred_only):
        testing.allocate(each, org.sam, allocated_by=org.tess)


def test_a_caseload_counts_each_child_once_at_the_heaviest_kind_of_work(org, four_kinds_of_work):
    load = caseloads([org.sam, org.tess])[org.sam.pk]
    assert load.counts == {"cp_plan": 1, "cin_plan": 1, "assessment": 1, "other": 1}
    assert load.children == 4
    assert load.weight == 3 + 2 + 1.5 + 1
    assert load.weight_text == "7.5"
    assert caseloads([org.tess])[org.tess.pk].weight == 0


def test_an_authority_may_change_the_weights_in_settings(settings, org, four_kinds_of_work):
    settings.CASEFILE_CASELOAD_WEIGHTS = {"cp_plan": 4, "other": 0.5}
    assert caseloads([org.sam])[org.sam.pk].weight == 4 + 2 + 1.5 + 0.5


@pytest.mark.parametrize("weights", [{"looked_after": 3}, {"cp_plan": -1}, {"cp_plan": "3"}])
def test_weights_that_make_no_sense_are_refused(settings, org, weights):
    settings.CASEFILE_CASELOAD_WEIGHTS = weights
    with pytest.raises(ImproperlyConfigured):
        caseloads([org.sam])


def caseload_page(team) -> str:
    return reverse("casework:caseloads", kwargs={"team_id": team.pk})


def test_the_caseload_page_shows_each_member_by_kind_of_work_with_overdue_items(client, org, four_kinds_of_work):
    client.force_login(org.tess)
    html = client.get(caseload_page(org.assessment)).content.decode()
    sam_row = html.split("Sam Worker", 1)[1].split("</tr>", 1)[0]
    cells = [cell.strip() for cell in sam_row.split('govuk-table__cell--numeric">')[1:]]
    assert [cell.split("<", 1)[0] for cell in cells[:6]] == ["1", "1", "1", "1", "4", "7.5"]
    assert "govuk-tag--red" in cells[6]  # Lily's child protection visit is overdue


@pytest.mark.parametrize("who", ["tess", "simon", "hana", "ada"])
def test_managers_of_the_team_and_administrators_see_caseloads(client, org, who):
    client.force_login(getattr(org, who))
    assert client.get(caseload_page(org.assessment)).status_code == 200


def test_a_member_who_is_not_a_manager_may_not_see_caseloads(client, org):
    client.force_login(org.sam)
    assert client.get(caseload_page(org.assessment)).status_code == 403


@pytest.mark.parametrize("who", ["ola", "fran", "chris", "pat", "petra"])
def test_people_outside_the_team_are_told_it_does_not_exist(client, org, who):
    client.force_login(getattr(org, who))
    assert client.get(caseload_page(org.assessment)).status_code == 404
