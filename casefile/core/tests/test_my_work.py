import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile import testing
from casefile.access.models import RestrictedAccessGrant
from casefile.people.models import Person

MY_WORK = "/"


def sign_in(client, user):
    client.force_login(user)
    return client


def page(client, user) -> str:
    response = sign_in(client, user).get(MY_WORK)
    assert response.status_code == 200
    return response.content.decode()


def test_my_work_is_the_home_page():
    assert reverse("core:my_work") == MY_WORK


def test_it_lists_the_workers_children_with_a_link_to_each_record(client, org, child):
    html = page(client, org.sam)
    assert "Children allocated to you" in html
    assert f'href="{reverse("people:record", kwargs={"person_id": child.pk})}"' in html
    assert "Lily Hartley" in html
    assert "14 May 2016" in html
    assert child.allocations.get().start_date.strftime("%B %Y") in html


def test_it_shows_the_age_and_the_due_date_of_an_unborn_child(client, org):
    baby = testing.make_child("Baby", "Reed", date_of_birth=None, sex="U",
                              expected_date_of_birth=datetime.date.today() + datetime.timedelta(days=30))
    testing.allocate(baby, org.sam)
    toddler = testing.make_child("Noah", "Reed", date_of_birth=datetime.date.today() - datetime.timedelta(days=400))
    testing.allocate(toddler, org.sam)
    html = page(client, org.sam)
    assert "Due " in html
    assert "Unborn" in html
    assert "13 months" in html


def test_it_does_not_list_children_allocated_to_someone_else(client, org, child):
    theirs = testing.make_child("Jack", "Other")
    testing.allocate(theirs, org.ola)
    html = page(client, org.sam)
    assert "Jack Other" not in html
    assert "Lily Hartley" in html


def test_it_says_so_when_no_children_are_allocated(client, org, child):
    html = page(client, org.ola)
    assert "No children are allocated to you." in html
    assert "Lily Hartley" not in html


def test_a_worker_sees_no_team_table_but_a_link_to_their_team(client, org, child):
    html = page(client, org.sam)
    assert "Children your teams hold" not in html
    assert f'href="{reverse("accounts:team", kwargs={"team_id": org.assessment.pk})}"' in html


@pytest.mark.parametrize("manager", ["tess", "simon", "hana"])
def test_managers_see_the_children_their_teams_hold(client, org, child, manager):
    html = page(client, getattr(org, manager))
    assert "Children your teams hold" in html
    assert "Lily Hartley" in html
    assert "Sam Worker" in html
    assert f'href="{reverse("accounts:team", kwargs={"team_id": org.assessment.pk})}"' in html


def test_a_manager_does_not_see_a_restricted_child_they_are_not_named_on(client, org):
    adopted = testing.make_child("Ellis", "Marsh", restriction=Person.Restriction.ADOPTION)
    testing.allocate(adopted, org.sam)
    RestrictedAccessGrant.objects.create(child=adopted, user=org.sam, granted_by=org.hana)
    assert "Ellis Marsh" in page(client, org.sam)
    assert "Ellis Marsh" not in page(client, org.tess)


def test_a_manager_with_no_team_children_is_told_so(client, org):
    assert "Your teams hold no other children." in page(client, org.tess)


def queries_for(client, user) -> int:
    sign_in(client, user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(MY_WORK).status_code == 200
    return len(queries)


def allocate_children(worker, count: int) -> None:
    for number in range(count):
        testing.allocate(testing.make_child(f"Child{number}", f"Family{number}"), worker)


@pytest.mark.parametrize("viewer", ["sam", "tess"])
def test_the_number_of_queries_does_not_grow_with_the_caseload(client, org, viewer):
    allocate_children(org.sam, 3)
    few = queries_for(client, getattr(org, viewer))
    allocate_children(org.sam, 27)
    many = queries_for(client, getattr(org, viewer))
    assert Person.objects.filter(allocations__worker=org.sam).count() == 30
    assert many == few
