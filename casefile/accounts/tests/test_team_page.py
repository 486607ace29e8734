import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile import testing
from casefile.access.models import RestrictedAccessGrant
from casefile.accounts.models import Role
from casefile.people.models import Person


def table_rows(html: str, caption: str) -> list[list[str]]:
    """The body rows of the table with this caption, as lists of cell texts."""
    table = html.split(f">{caption}</caption>", 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody", 1)[1]
    return [
        [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def team_url(team) -> str:
    return reverse("accounts:team", kwargs={"team_id": team.pk})


def get(client, user, team):
    client.force_login(user)
    return client.get(team_url(team))


def test_the_team_page_has_its_own_address(org):
    assert team_url(org.assessment) == f"/teams/{org.assessment.pk}/"


def test_it_shows_the_team_its_manager_and_members_with_their_roles_and_caseloads(client, org, child):
    testing.make_user("nia", Role.SENIOR_PRACTITIONER, team=org.assessment, manager=org.tess,
                                  name="Nia Senior")
    testing.allocate(testing.make_child("Tom", "Ash"), org.sam)
    response = get(client, org.sam, org.assessment)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1 class=\"govuk-heading-l\">Assessment Team</h1>" in html
    assert "Tess Manager" in html
    # Name, role, open cases, caseload weight (two children with nothing statutory running: 1 each), overdue items.
    assert table_rows(html, "Members") == [
        ["Tess Manager", "Team manager", "0", "0", "0"],
        ["Nia Senior", "Senior practitioner", "0", "0", "0"],
        ["Sam Worker", "Social worker", "2", "2", "0"],
    ]


def test_it_lists_the_children_the_team_holds_with_links_to_their_records(client, org, child):
    html = get(client, org.tess, org.assessment).content.decode()
    assert f'href="{reverse("people:record", kwargs={"person_id": child.pk})}"' in html
    assert "Lily Hartley" in html
    assert "Sam Worker" in html


def test_a_restricted_child_is_listed_only_for_those_named_on_it(client, org, child):
    adopted = testing.make_child("Ellis", "Marsh", restriction=Person.Restriction.ADOPTION)
    testing.allocate(adopted, org.sam)
    RestrictedAccessGrant.objects.create(child=adopted, user=org.sam, granted_by=org.hana)
    assert "Ellis Marsh" in get(client, org.sam, org.assessment).content.decode()
    assert "Ellis Marsh" not in get(client, org.tess, org.assessment).content.decode()


@pytest.mark.parametrize("who", ["sam", "tess", "simon", "hana", "ada"])
def test_members_their_managers_up_the_chain_and_administrators_may_see_the_team(client, org, child, who):
    assert get(client, getattr(org, who), org.assessment).status_code == 200


@pytest.mark.parametrize("who", ["ola", "fran", "chris", "quinn", "pat", "petra"])
def test_everyone_else_is_told_the_team_does_not_exist(client, org, child, who):
    assert get(client, getattr(org, who), org.assessment).status_code == 404


def test_a_team_that_does_not_exist_is_not_found(client, org):
    client.force_login(org.ada)
    assert client.get("/teams/999999/").status_code == 404


def test_the_number_of_queries_does_not_grow_with_the_team(client, org):
    def queries() -> int:
        client.force_login(org.tess)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(team_url(org.assessment)).status_code == 200
        return len(captured)

    def grow(count: int, start: int) -> None:
        for number in range(start, start + count):
            worker = testing.make_user(f"worker{number}", Role.SOCIAL_WORKER, team=org.assessment, manager=org.tess)
            testing.allocate(testing.make_child(f"Child{number}", "Family"), worker)

    grow(2, 0)
    few = queries()
    grow(20, 2)
    assert queries() == few


def test_each_child_shows_what_is_due_and_each_member_their_overdue_items(client, org, child, time_machine):
    import datetime
    from zoneinfo import ZoneInfo

    from casefile.casework.testing import make_journey
    time_machine.move_to(datetime.datetime(2024, 4, 24, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)
    make_journey(child, org.sam, org.tess, org.chris)
    testing.allocate(testing.make_child("Aaron", "Abbot"), org.sam)
    html = get(client, org.tess, org.assessment).content.decode()
    members = table_rows(html, "Members")
    # Lily: a child protection plan (3); Aaron: nothing statutory running (1). Lily's visit is overdue.
    assert ["Sam Worker", "Social worker", "2", "4", "1"] in members
    children = table_rows(html, "Children the team holds")
    assert children[0][0] == "Lily Hartley"
    assert " ".join(children[0][-1].split()) == (
        "Overdue Visit the child (child protection plan): due 21 February 2024 (43 working days late)")
    assert children[1][0] == "Aaron Abbot" and children[1][-1] == "Nothing due"
    assert "govuk-tag--red" in html


def test_managers_are_offered_the_caseload_page_and_members_are_not(client, org):
    caseloads = reverse("casework:caseloads", kwargs={"team_id": org.assessment.pk})
    assert caseloads in get(client, org.tess, org.assessment).content.decode()
    assert caseloads not in get(client, org.sam, org.assessment).content.decode()
