"""Allocating and reallocating a child's case: who may, to whom, with a reason, audited, and nothing half-saved."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from casefile import testing
from casefile.accounts.models import Role
from casefile.audit.models import Action, AuditEvent
from casefile.casework.models import Allocation, Episode
from casefile.casework.services.allocation import allocate

TODAY = datetime.date(2024, 5, 13)


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2024, 5, 13, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)


@pytest.fixture
def nia(org):
    """A second worker in Sam's team."""
    return testing.make_user("nia", Role.SENIOR_PRACTITIONER, team=org.assessment, manager=org.tess,
                             name="Nia Senior")


@pytest.fixture
def lily(org):
    """Lily, allocated to Sam since 1 March."""
    child = testing.make_child()
    Allocation.objects.create(child=child, worker=org.sam, team=org.assessment, start_date=datetime.date(2024, 3, 1),
                              reason="Allocated for assessment", allocated_by=org.tess)
    return child


def open_allocation(child) -> Allocation | None:
    return Allocation.objects.filter(child=child, end_date__isnull=True).first()


# The service --------------------------------------------------------------------------------------------


def test_a_team_manager_reallocates_a_case_ending_the_previous_allocation_the_same_day(org, lily, nia):
    new = allocate(actor=org.tess, child=lily, worker=nia, reason="Sam is going on long-term leave")
    previous = Allocation.objects.get(child=lily, worker=org.sam)
    assert previous.end_date == TODAY
    assert (new.worker, new.team, new.start_date, new.end_date) == (nia, org.assessment, TODAY, None)
    assert new.reason == "Sam is going on long-term leave"
    assert new.allocated_by == org.tess
    assert open_allocation(lily) == new
    assert new.history.first().history_user == org.tess


def test_allocating_is_audited_with_the_reason_and_the_previous_worker(org, lily, nia):
    new = allocate(actor=org.tess, child=lily, worker=nia, reason="Sam is going on long-term leave")
    created = AuditEvent.objects.get(action=Action.CREATE, subject_id=str(new.pk))
    assert created.child == lily
    assert created.actor == org.tess
    assert created.details["worker"] == "nia"
    assert created.details["previous_worker"] == "sam"
    assert created.details["reason"] == "Sam is going on long-term leave"
    ended = AuditEvent.objects.get(action=Action.UPDATE, child=lily)
    assert ended.details["ended"] == TODAY.isoformat()


@pytest.mark.parametrize("manager", ["tess", "simon", "hana"])
def test_managers_up_the_chain_may_allocate_to_the_teams_they_oversee(org, lily, nia, manager):
    allocate(actor=getattr(org, manager), child=lily, worker=nia, reason="Balancing caseloads")
    assert open_allocation(lily).worker == nia


def test_an_administrator_allocates_a_waiting_child_to_any_team(org):
    waiting = testing.make_child("Tom", "Ash")
    Episode.objects.create(child=waiting, referral_date=TODAY, referral_source="2A", recorded_by=org.fran)
    allocation = allocate(actor=org.ada, child=waiting, worker=org.ola, reason="Lives in the north of the borough")
    assert (allocation.worker, allocation.team) == (org.ola, org.other_team)


@pytest.mark.parametrize("who", ["sam", "fran", "chris", "quinn", "pat", "petra"])
def test_nobody_but_managers_and_administrators_may_allocate(org, lily, nia, who):
    with pytest.raises(PermissionDenied):
        allocate(actor=getattr(org, who), child=lily, worker=nia, reason="I would like to")
    assert open_allocation(lily).worker == org.sam


def test_it_refuses_a_worker_in_a_team_the_manager_does_not_manage(org, lily):
    with pytest.raises(ValidationError) as refused:
        allocate(actor=org.tess, child=lily, worker=org.ola, reason="Ola has capacity")
    assert "in a team you manage" in refused.value.message_dict["worker"][0]
    assert open_allocation(lily).worker == org.sam
    assert not AuditEvent.objects.filter(action=Action.CREATE, child=lily).exists()


@pytest.mark.parametrize("who", ["chris", "pat", "quinn"])
def test_it_refuses_someone_whose_role_cannot_hold_a_case(org, lily, who):
    with pytest.raises(ValidationError) as refused:
        allocate(actor=org.ada, child=lily, worker=getattr(org, who), reason="Why not")
    assert "worker" in refused.value.message_dict
    assert open_allocation(lily).worker == org.sam


def test_it_refuses_an_inactive_worker(org, lily, nia):
    nia.is_active = False
    nia.save()
    with pytest.raises(ValidationError):
        allocate(actor=org.tess, child=lily, worker=nia, reason="Nia is back")
    assert open_allocation(lily).worker == org.sam


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_an_allocation_without_a_reason_and_changes_nothing(org, lily, nia, reason):
    with pytest.raises(ValidationError) as refused:
        allocate(actor=org.tess, child=lily, worker=nia, reason=reason)
    assert refused.value.message_dict["reason"] == ["Enter why the case is being allocated to this worker"]
    assert open_allocation(lily).worker == org.sam
    assert Allocation.objects.get(child=lily, worker=org.sam).end_date is None


def test_it_refuses_to_allocate_a_case_to_the_worker_who_holds_it(org, lily):
    with pytest.raises(ValidationError) as refused:
        allocate(actor=org.tess, child=lily, worker=org.sam, reason="Again")
    assert refused.value.message_dict["worker"] == ["Sam Worker already holds this case: select a different worker"]
    assert Allocation.objects.filter(child=lily).count() == 1
    assert open_allocation(lily).end_date is None


def test_it_refuses_to_allocate_an_adult(org, nia):
    adult = testing.make_adult()
    with pytest.raises(ValidationError) as refused:
        allocate(actor=org.tess, child=adult, worker=nia, reason="Parent")
    assert "child" in refused.value.message_dict
    assert not Allocation.objects.filter(child=adult).exists()


def test_a_case_reallocated_twice_in_a_day_keeps_one_open_allocation(org, lily, nia):
    allocate(actor=org.tess, child=lily, worker=nia, reason="First choice")
    allocate(actor=org.tess, child=lily, worker=org.tess, reason="Nia is off sick after all")
    assert open_allocation(lily).worker == org.tess
    assert list(Allocation.objects.filter(child=lily).order_by("pk").values_list("end_date", flat=True)) == [
        TODAY, TODAY, None]


# The page -----------------------------------------------------------------------------------------------


def page_url(child) -> str:
    return reverse("casework:allocation", kwargs={"person_id": child.pk})


def test_the_allocation_page_shows_who_holds_the_case_and_the_workers_with_their_caseloads(client, org, lily, nia):
    client.force_login(org.tess)
    html = client.get(page_url(lily)).content.decode()
    assert "Change the allocated worker" in html
    assert "Held by" in html and "Sam Worker (Assessment Team)" in html
    assert "Nia Senior (Assessment Team): 0 children, caseload weight 0" in html
    assert "Sam Worker (Assessment Team): 1 child, caseload weight 1" in html
    assert "Ola Other" not in html  # not in a team Tess manages


def test_a_manager_allocates_through_the_page_and_goes_back_to_the_record(client, org, lily, nia):
    client.force_login(org.tess)
    response = client.post(page_url(lily), {"worker": nia.pk, "reason": "Continuity with her brother's worker"})
    assert response.status_code == 302
    assert response.url == reverse("people:record", kwargs={"person_id": lily.pk})
    assert open_allocation(lily).worker == nia
    record = client.get(response.url).content.decode()
    assert "Lily Hartley’s case is now allocated to Nia Senior" in record


def test_the_confirmation_names_a_child_with_a_known_as_name_as_they_are_known(client, org, lily, nia):
    lily.first_name, lily.known_as, lily.last_name = "Jacob", "Jake", "Hutchinson"
    lily.save()
    client.force_login(org.tess)
    response = client.post(page_url(lily), {"worker": nia.pk, "reason": "Continuity"}, follow=True)
    page = response.content.decode()
    assert "Jake Hutchinson’s case is now allocated to Nia Senior" in page
    assert "(known as Jake)&#39;s" not in page and "(known as Jake)’s" not in page


def test_the_page_shows_every_problem_at_once_and_saves_nothing(client, org, lily):
    client.force_login(org.tess)
    response = client.post(page_url(lily), {"worker": "", "reason": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Select the worker who will hold the case" in html
    assert "Enter why the case is being allocated to this worker" in html
    assert html.count('href="#id_worker"') == 1
    assert open_allocation(lily).worker == org.sam


def test_a_worker_chosen_from_outside_the_list_is_refused(client, org, lily):
    client.force_login(org.tess)
    response = client.post(page_url(lily), {"worker": org.ola.pk, "reason": "Ola has capacity"})
    assert response.status_code == 200
    assert "Select one of the workers listed" in response.content.decode()
    assert open_allocation(lily).worker == org.sam


def test_the_allocated_worker_may_not_allocate_their_own_case(client, org, lily):
    client.force_login(org.sam)
    assert client.get(page_url(lily)).status_code == 403
    assert client.post(page_url(lily), {"worker": org.tess.pk, "reason": "Too busy"}).status_code == 403
    assert open_allocation(lily).worker == org.sam


def test_someone_who_may_not_see_the_child_is_told_the_page_does_not_exist(client, org, lily):
    client.force_login(org.ola)
    assert client.get(page_url(lily)).status_code == 404


def test_the_record_offers_the_allocation_page_only_to_those_who_may_allocate(client, org, lily):
    record = reverse("people:record", kwargs={"person_id": lily.pk})
    client.force_login(org.tess)
    assert f'href="{page_url(lily)}"' in client.get(record).content.decode()
    client.force_login(org.sam)
    assert f'href="{page_url(lily)}"' not in client.get(record).content.decode()
