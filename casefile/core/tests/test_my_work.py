import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefile import testing
from casefile.access import permissions
from casefile.access.models import RestrictedAccessGrant
from casefile.access.tests.test_permission_matrix import EVERYONE
from casefile.people.models import Person
from casefile.quality import sampling, services
from casefile.quality.models import AuditRound, SampledChild
from casefile.quality.testing import template

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
                              expected_date_of_birth=timezone.localdate() + datetime.timedelta(days=30))
    testing.allocate(baby, org.sam)
    toddler = testing.make_child("Noah", "Reed", date_of_birth=timezone.localdate() - datetime.timedelta(days=400))
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
    client.get(MY_WORK)  # the first page after signing in also stamps the session's last activity
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


# What is due: overdue items stand out and come first -----------------------------------------------------


@pytest.fixture
def april(time_machine):
    from zoneinfo import ZoneInfo
    time_machine.move_to(datetime.datetime(2024, 4, 24, 12, tzinfo=ZoneInfo("Europe/London")), tick=False)


def rows_of(html: str, caption: str) -> list[str]:
    table = html.split(f">{caption}</caption>", 1)[1].split("</table>", 1)[0]
    return table.split("<tbody", 1)[1].split("</tr>")[:-1]


def test_a_child_with_an_overdue_item_comes_first_with_a_red_tag(client, org, child, april):
    from casefile.casework.testing import make_journey
    # Aaron sorts before Lily by name, and has nothing due; Lily's child protection visit is overdue.
    testing.allocate(testing.make_child("Aaron", "Abbot"), org.sam)
    make_journey(child, org.sam, org.tess, org.chris)
    html = page(client, org.sam)
    lily_row, aaron_row = rows_of(html, "Children allocated to you")
    assert "Lily Hartley" in lily_row and "Aaron Abbot" in aaron_row
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in lily_row
    assert "Visit the child (child protection plan):" in lily_row and "due 21 February 2024" in lily_row
    assert "Nothing due" in aaron_row


def test_the_workers_overdue_items_are_listed_above_their_children(client, org, child, april):
    from casefile.casework.testing import make_journey
    make_journey(child, org.sam, org.tess, org.chris)
    html = page(client, org.sam)
    assert html.index("Overdue for your children") < html.index("Children allocated to you")
    [overdue] = rows_of(html, "Overdue for your children")
    assert "Lily Hartley" in overdue and "Visit the child (child protection plan)" in overdue
    assert "43 working days late" in overdue and "govuk-tag--red" in overdue
    assert "Local standard: below local standard" in overdue


def test_each_child_shows_the_next_item_due_when_nothing_is_overdue(client, org, child, april):
    from casefile.casework.models import Visit
    from casefile.casework.testing import make_journey
    journey = make_journey(child, org.sam, org.tess, org.chris)
    Visit.objects.create(child=child, episode=journey.episode, plan=journey.plan, kind="cp", worker=org.sam,
                         date=datetime.date(2024, 4, 22), child_seen=True, recorded_by=org.sam)
    html = page(client, org.sam)
    assert "Overdue for your children" not in html
    [row] = rows_of(html, "Children allocated to you")
    assert "govuk-tag--blue" in row and "On time" in row
    assert "due 7 May 2024 (8 working days left)" in row


def test_managers_see_what_is_due_for_their_teams_children(client, org, child, april):
    from casefile.casework.testing import make_journey
    make_journey(child, org.sam, org.tess, org.chris)
    [row] = rows_of(page(client, org.tess), "Children, most urgent first")
    assert "Lily Hartley" in row and "govuk-tag--red" in row


# A manager's teams' children: counted, filtered and paged ---------------------------------------------------


def test_a_manager_sees_their_teams_children_a_page_at_a_time_and_only_that_page_is_audited(client, org):
    from casefile.audit.models import AuditEvent
    allocate_children(org.sam, 30)
    html = page(client, org.tess)
    assert "30 children, 0 children with something overdue." in html
    assert "Showing 1 to 25 of 30 children" in html
    assert len(rows_of(html, "Children, most urgent first")) == 25
    shown = AuditEvent.objects.filter(actor=org.tess).latest("pk").details["shown"]
    assert len(shown) == 25
    second = client.get(MY_WORK, {"page": 2}).content.decode()
    assert len(rows_of(second, "Children, most urgent first")) == 5


def test_a_manager_filters_by_team_worker_and_what_is_due(client, org, child, april):
    from casefile.casework.testing import make_journey
    make_journey(child, org.sam, org.tess, org.chris)  # Lily: a visit overdue
    testing.allocate(testing.make_child("Aaron", "Abbot"), org.sam)  # nothing due
    testing.allocate(testing.make_child("Milo", "Mash"), org.mo)  # in the front-door team
    sign_in(client, org.simon)

    def names(**filters) -> str:
        html = client.get(MY_WORK, filters).content.decode()
        return " ".join(row for row in rows_of(html, "Children matching the filters, most urgent first"))

    overdue = names(status="overdue")
    assert "Lily Hartley" in overdue and "Aaron Abbot" not in overdue and "Milo Mash" not in overdue
    nothing_due = names(status="nothing")
    assert "Aaron Abbot" in nothing_due and "Milo Mash" in nothing_due and "Lily Hartley" not in nothing_due
    front_door = names(team=org.mo.team_id)
    assert "Milo Mash" in front_door and "Lily Hartley" not in front_door
    by_worker = names(worker=org.sam.pk)
    assert "Lily Hartley" in by_worker and "Aaron Abbot" in by_worker and "Milo Mash" not in by_worker
    # A value that is no longer a choice (an old link) filters nothing rather than failing.
    assert client.get(MY_WORK, {"worker": "999999", "status": "bogus"}).status_code == 200


def test_a_manager_of_several_teams_sees_each_teams_counts_linked_to_its_overdue_children(client, org, child, april):
    from casefile.casework.testing import make_journey
    make_journey(child, org.sam, org.tess, org.chris)
    testing.allocate(testing.make_child("Milo", "Mash"), org.mo)
    html = page(client, org.simon)
    assessment_row, front_door_row = rows_of(html, "Your teams")
    assert org.sam.team.name in assessment_row and f"?team={org.sam.team_id}&amp;status=overdue" in assessment_row
    assert org.mo.team.name in front_door_row and "status=overdue" not in front_door_row
    assert "2 children, 1 child with something overdue." in html
    # A team manager of one team has no per-team table.
    assert ">Your teams</caption>" not in page(client, org.tess)


def test_the_waiting_list_and_calendar_are_offered_to_those_who_may_use_them(client, org):
    assert reverse("casework:unallocated") in page(client, org.tess)
    assert reverse("casework:unallocated") not in page(client, org.sam)
    assert reverse("casework:non_working_days") in page(client, org.ada)
    assert reverse("casework:non_working_days") not in page(client, org.tess)


# Each role lands on what they act on: front-door staff on what waits at the front door, partners on what is
# shared with them.

def test_front_door_staff_see_what_waits_at_the_front_door_with_links_into_the_board(client, org):
    from casefile.frontdoor.testing import make_contact

    yours = testing.make_child("Ben", "Waiting")
    nobodys = testing.make_child("Cara", "Waiting")
    make_contact(yours, by=org.fran)
    contact = make_contact(yours, by=org.fran)
    contact.holder = org.fran
    contact.save()
    make_contact(nobodys, by=org.fran)
    html = page(client, org.fran)
    assert "At the front door" in html
    assert f'href="{reverse("frontdoor:board")}">3 children waiting at the front door</a>' in html
    assert f'href="{reverse("frontdoor:board")}?holder=mine">1 child with you</a>' in html
    assert "?holder=unassigned" in html
    assert "No children are allocated to you." in html  # a front-door practitioner may hold cases


def test_the_front_door_summary_is_not_shown_to_a_caseholding_worker(client, org, child):
    assert "At the front door" not in page(client, org.sam)


def test_a_partner_lands_on_the_records_shared_with_their_agency_and_no_others(client, org, child):
    from casefile.access.models import AgencyShare

    other = testing.make_child("Jack", "Other")
    expired = testing.make_child("Old", "Share")
    today = timezone.localdate()
    AgencyShare.objects.create(child=child, agency=org.petra.agency, purpose="Joint section 47 enquiry",
                               shared_by=org.sam, expires_on=today + datetime.timedelta(days=30),
                               items=["visits", "episodes"])
    AgencyShare.objects.create(child=expired, agency=org.petra.agency, purpose="Finished", shared_by=org.sam,
                               expires_on=today - datetime.timedelta(days=1))
    AgencyShare.objects.create(child=other, agency="health", purpose="Health only", shared_by=org.sam,
                               expires_on=today + datetime.timedelta(days=30))
    html = page(client, org.petra)
    assert "Records shared with your agency" in html
    assert f'href="{reverse("people:record", kwargs={"person_id": child.pk})}">Lily Hartley</a>' in html
    assert "Joint section 47 enquiry" in html
    assert "Referrals, assessments, strategy discussions and enquiries; Visits" in html
    assert "Old Share" not in html and "Jack Other" not in html
    assert "Children allocated to you" not in html and "At the front door" not in html


def test_a_partner_with_nothing_shared_is_told_how_sharing_happens(client, org):
    html = page(client, org.petra)
    assert "No records are shared with your agency today" in html


def test_someone_who_holds_no_cases_is_told_so_and_where_to_find_a_record(client, org):
    html = page(client, org.quinn)
    assert "as you do not hold cases" in html
    assert f'href="{reverse("people:search")}">Find a person</a>' in html
    assert "as you do not hold cases" not in page(client, org.sam)


# A chair's and a manager's oversight -------------------------------------------------------------------------


def test_a_chair_sees_the_plans_they_chair_with_the_next_review_conference_due(client, org, child, april):
    from casefile.casework.testing import make_journey
    make_journey(child, org.sam, org.tess, org.chris)  # reviewed at a conference chris chaired on 17 April 2024
    html = page(client, org.chris)
    [row] = rows_of(html, "Child protection plans you chair")
    assert "Lily Hartley" in row and "17 October 2024" in row
    assert "as you do not hold cases" not in html


def test_a_chair_who_chairs_no_open_plan_is_told_so(client, org, child, april):
    from casefile.casework.testing import make_journey
    make_journey(child, org.sam, org.tess, org.hana)  # chaired by someone else
    assert "You chair no open child protection plan." in page(client, org.chris)


def test_managers_see_supervision_due_and_open_escalations_with_links(client, org):
    html = page(client, org.tess)
    assert "of staff" in html and reverse("oversight:supervision_due") in html
    assert "0 open escalations, 0 overdue." in html and reverse("oversight:open_escalations") in html
    worker = page(client, org.sam)
    assert reverse("oversight:supervision_due") not in worker and reverse("oversight:open_escalations") not in worker


@pytest.mark.parametrize(("who", "sees"), [("quinn", True), ("pat", True), ("tess", True), ("sam", False),
                                           ("chris", False)])
def test_those_who_may_see_practice_quality_are_pointed_to_it(client, org, who, sees):
    assert (reverse("oversight:practice_quality") in page(client, getattr(org, who))) is sees


@pytest.mark.parametrize(("who", "sees"), [("sam", True), ("tess", True), ("fran", True), ("pat", True),
                                           ("chris", False), ("petra", False)])
def test_those_who_may_see_census_data_quality_are_pointed_to_it(client, org, who, sees):
    assert (reverse("returns:data_quality") in page(client, getattr(org, who))) is sees


# Case file audits: the children sampled to an auditor -----------------------------------------------------------


def sample_to(org, auditor, count: int, partner_agency: str = ""):
    """`count` children with open cases (Sam's), drawn at random into a round by Quinn and each assigned to
    `auditor`."""
    allocate_children(org.sam, count)
    audit_round = services.draw_round(
        actor=org.quinn, name="Spring round", method="random", filters=sampling.Filters(), size=count,
        template=template(), due_by=timezone.localdate() + datetime.timedelta(days=28), seed=4711,
        partner_agency=partner_agency)
    services.assign_auditors(actor=org.quinn, audit_round=audit_round,
                             auditors={sampled.pk: auditor for sampled in audit_round.children.all()})
    return audit_round


@pytest.mark.parametrize(("who", "sees"), [("quinn", True), ("tess", False), ("sam", False), ("pat", False),
                                           ("petra", False)])
def test_an_auditor_with_children_sampled_to_them_is_pointed_to_them_with_a_count(client, org, who, sees):
    sample_to(org, org.quinn, 2)
    html = page(client, getattr(org, who))
    assert ('id="sampled-to-you-link"' in html) is sees
    assert (reverse("quality:sampled_to_me") in html) is sees
    if sees:
        assert "Children sampled to you for a case file audit</a>: 2 children, 2 audits not completed yet." in html


def test_a_partner_auditor_is_pointed_to_the_children_sampled_to_them(client, org):
    sample_to(org, org.petra, 1, partner_agency=org.petra.agency)
    assert "Children sampled to you for a case file audit</a>: 1 child, 1 audit not completed yet." in page(
        client, org.petra)
    assert 'id="sampled-to-you-link"' not in page(client, org.quinn)  # who drew the round audits none of it


def test_the_sampled_count_costs_the_same_queries_however_many_children(client, org):
    sample_to(org, org.quinn, 1)
    few = queries_for(client, org.quinn)
    sample_to(org, org.quinn, 5)
    many = queries_for(client, org.quinn)
    assert "6 children, 6 audits not completed yet" in page(client, org.quinn)
    assert many == few


@pytest.mark.parametrize(("who", "sees"), [("quinn", True), ("ada", True), ("tess", False), ("pat", False),
                                           ("sam", False)])
def test_those_who_draw_samples_see_the_open_rounds_and_the_children_waiting_for_an_auditor(client, org, who, sees):
    audit_round = sample_to(org, org.quinn, 3)
    first = audit_round.children.order_by("position", "pk").first()
    SampledChild.objects.filter(pk=first.pk).update(auditor=None)
    services.draw_round(actor=org.quinn, name="Closed round", method="random", filters=sampling.Filters(), size=1,
                        template=template(), due_by=timezone.localdate() + datetime.timedelta(days=28), seed=1)
    closed = AuditRound.objects.get(name="Closed round")
    services.close_round(actor=org.quinn, audit_round=closed)
    html = page(client, getattr(org, who))
    assert ('id="audit-rounds-link"' in html) is sees
    if sees:  # the closed round and its child without an auditor are not counted
        assert "Rounds of case file audits</a>: 1 open round, 1 child in it without an auditor." in html


PERFORMANCE_LINKS = {  # the link's id on My work, the page it opens, and who may open it
    "performance-link": ("insight:clinic", permissions.may_see_performance),
    "journeys-link": ("insight:journeys", permissions.may_see_performance),
    "diversity-link": ("insight:diversity", permissions.may_see_performance),
    "population-link": ("insight:population", permissions.may_enter_child_population),
    "neighbours-link": ("insight:neighbours", permissions.may_enter_neighbour_figures),
    "packs-link": ("insight:packs", permissions.may_make_self_evaluation_pack),
    "workforce-link": ("accounts:workers", permissions.may_keep_workforce_records),
}


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_each_role_is_pointed_to_the_performance_pages_it_may_open_and_no_others(client, org, who):
    user = getattr(org, who)
    html = page(client, user)
    for link_id, (name, may) in PERFORMANCE_LINKS.items():
        assert (f'id="{link_id}"' in html) is may(user), (who, link_id)
        if may(user):
            client.force_login(user)
            assert client.get(reverse(name)).status_code == 200, (who, name)
