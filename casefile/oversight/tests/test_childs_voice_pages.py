"""The child's voice coverage page: the percentages from crafted visits and assessments, the records behind a
count (only children the user may see, audited), the period, who may look, and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile.accounts.models import Team
from casefile.audit.models import Action, AuditEvent
from casefile.casework import models as cw
from casefile.casework.testing import make_journey
from casefile.testing import allocate, make_child

pytestmark = pytest.mark.django_db
PAGE = reverse("oversight:childs_voice")
RECORDS = reverse("oversight:childs_voice_records")
D = datetime.date
PERIOD = {"date_from_day": 1, "date_from_month": 1, "date_from_year": 2024,
          "date_to_day": 31, "date_to_month": 3, "date_to_year": 2024}


def visit(child, episode, worker, day, *, seen=True, alone=None, words="", observed="", difference=""):
    return cw.Visit.objects.create(
        child=child, episode=episode, kind=cw.Visit.Kind.CHILD_IN_NEED, date=day, worker=worker, child_seen=seen,
        seen_alone=alone if seen else None, childs_words=words, observations=observed, difference_made=difference,
        heard_how=cw.HeardHow.TALKED if seen else cw.HeardHow.NOT_SEEN, not_seen_reason="" if seen else "Out",
        recorded_by=worker)


@pytest.fixture
def records(org, child):
    """Sam's visits to Lily from January to March 2024: the journey's (seen alone, her words) and four more; one
    in May, outside the period. Ola's one visit to Ben. The journey's assessment, authorised 17 January 2024."""
    journey = make_journey(child, org.sam, org.tess, org.chris)
    episode = journey.episode
    extra = [
        visit(child, episode, org.sam, D(2024, 2, 14), alone=True, observed="Played with the dolls' house",
              difference="Contact with dad moved to the family centre"),
        visit(child, episode, org.sam, D(2024, 2, 21), seen=False),
        visit(child, episode, org.sam, D(2024, 2, 28), alone=False, words="Nan was there"),
        visit(child, episode, org.sam, D(2024, 3, 6), alone=True, words="I sleep better",
              difference="Bedtime routine added to the plan"),
        visit(child, episode, org.sam, D(2024, 5, 1), seen=False),
    ]
    ben = make_child("Ben", "Other")
    allocate(ben, org.ola)
    ben_episode = cw.Episode.objects.create(child=ben, referral_date=D(2024, 1, 2), referral_source="2A",
                                            recorded_by=org.ola)
    visit(ben, ben_episode, org.ola, D(2024, 3, 1), alone=True, words="Fine")
    return journey, extra, ben


def test_a_team_manager_sees_each_measure_counted_over_the_right_records(client, org, records):
    client.force_login(org.tess)
    page = client.get(PAGE, PERIOD).content.decode()
    assert "From 1 January 2024 to 31 March 2024." in page
    # Visits: 5 in the period, 4 where Lily was seen; alone at 3 of them; her words or what was seen at all 4;
    # the difference it made at 2.
    visits = page[page.index('id="visit-coverage"'):page.index('id="assessment-coverage"')]
    row = visits[visits.index("Assessment Team"):visits.index("Total")]
    for expected in ("80% (4 of 5)", "75% (3 of 4)", "100% (4 of 4)", "50% (2 of 4)"):
        assert expected in row
    assert ">5<" in row and "1 not seen" in row and "1 not seen alone" in row and "2 without the difference" in row
    assert "without words or observation" not in row
    assert org.other_team.name not in page  # not a team Tess oversees
    assessments = page[page.index('id="assessment-coverage"'):]
    assert "100% (1 of 1)" in assessments and "0% (0 of 1)" in assessments


def test_per_worker_in_a_team_and_one_worker(client, org, records):
    client.force_login(org.tess)
    team = client.get(PAGE, {**PERIOD, "team": org.assessment.pk}).content.decode()
    assert "Sam Worker" in team and "Tess Manager" in team and "Back to all your teams" in team
    worker = client.get(PAGE, {**PERIOD, "worker": org.sam.pk}).content.decode()
    assert "80% (4 of 5)" in worker and "Back to Assessment Team" in worker
    assert client.get(PAGE, {"team": org.other_team.pk}).status_code == 404
    assert client.get(PAGE, {"worker": org.ola.pk}).status_code == 404


def test_quality_assurance_sees_every_team(client, org, records):
    client.force_login(org.quinn)
    page = client.get(PAGE, PERIOD).content.decode()
    assert org.assessment.name in page and org.other_team.name in page and "Every team" in page
    visits = page[page.index('id="visit-coverage"'):page.index('id="assessment-coverage"')]
    other = visits[visits.index(org.other_team.name):]
    assert "100% (1 of 1)" in other[:other.index("</tr>")]


def test_teams_that_do_not_visit_children_are_listed_only_when_something_of_theirs_counts(client, org, records):
    quality = Team.objects.create(name="Quality Assurance Unit", kind=Team.Kind.QUALITY)
    idle = Team.objects.create(name="Child in Need Team South", kind=Team.Kind.CHILD_IN_NEED)
    client.force_login(org.quinn)
    page = client.get(PAGE, PERIOD).content.decode()
    assert idle.name in page  # a team that visits children but recorded nothing: that is worth seeing
    assert quality.name not in page and org.front_door_team.name not in page


def test_the_records_behind_a_count_are_listed_and_audited(client, org, child, records):
    journey, extra, _ = records
    client.force_login(org.tess)
    response = client.get(RECORDS, {**PERIOD, "team": org.assessment.pk, "kind": "visit", "measure": "alone"})
    page = response.content.decode()
    assert "Visits: not seen alone" in page and "Showing 1 record" in page
    assert reverse("casework:visit", kwargs={"person_id": child.pk, "visit_id": extra[2].pk}) in page
    assert AuditEvent.objects.filter(action=Action.VIEW, actor=org.tess).latest("pk").details["shown"] == [child.pk]
    every = client.get(RECORDS, {**PERIOD, "kind": "visit"}).content.decode()
    assert "Showing 5 records" in every
    assessment = client.get(RECORDS, {**PERIOD, "kind": "assessment", "measure": "difference"}).content.decode()
    assert reverse("casework:assessment", kwargs={"person_id": child.pk,
                                                  "assessment_id": journey.assessment.pk}) in assessment


def test_only_the_records_of_children_the_user_may_see_are_listed(client, org, child, records):
    client.force_login(org.quinn)
    page = client.get(RECORDS, {**PERIOD, "team": org.assessment.pk, "kind": "visit"}).content.decode()
    assert child.display_name not in page
    assert "Only the records of children you may see are listed: 0 of 5." in page


def test_an_unknown_count_is_not_found(client, org, records):
    client.force_login(org.tess)
    assert client.get(RECORDS, {"kind": "letters"}).status_code == 404
    assert client.get(RECORDS, {"kind": "visit", "measure": "bedroom"}).status_code == 404


@pytest.mark.parametrize("name", ["sam", "ola", "fran", "chris", "petra"])
def test_those_who_do_not_oversee_practice_are_refused(client, org, records, name):
    client.force_login(getattr(org, name))
    assert client.get(PAGE).status_code == 403
    assert client.get(RECORDS, {"kind": "visit"}).status_code == 403


def test_the_period_is_the_last_3_months_unless_chosen(client, org, records, time_machine):
    time_machine.move_to(datetime.datetime(2024, 4, 24, 12, tzinfo=datetime.UTC), tick=False)
    client.force_login(org.tess)
    page = client.get(PAGE).content.decode()
    assert "From 24 January 2024 to 24 April 2024 (the last 3 months)." in page
    # The journey's visit (7 February) is in it, its assessment (authorised 17 January) is not.
    assert "80% (4 of 5)" in page and "Nothing to count" in page


def test_a_period_ending_before_it_starts_is_refused_with_a_message(client, org, records):
    client.force_login(org.tess)
    page = client.get(PAGE, {**PERIOD, "date_to_year": 2023}).content.decode()
    assert "The date to must be the same as or after the date from" in page
    assert "Correct the dates to see the coverage." in page and 'id="visit-coverage"' not in page


def test_the_pages_take_the_same_queries_for_a_few_records_or_many_more(client, org, child, records):
    client.force_login(org.tess)
    urls = [(PAGE, PERIOD), (PAGE, {**PERIOD, "team": org.assessment.pk}),
            (RECORDS, {**PERIOD, "kind": "visit"}), (RECORDS, {**PERIOD, "kind": "assessment"})]
    counts = []
    for round in range(2):
        with CaptureQueriesContext(connection) as queries:
            for url, params in urls:
                assert client.get(url, params).status_code == 200
        counts.append(len(queries.captured_queries))
        for n in range(4):
            other = make_child(f"Child{round}{n}", "Many")
            allocate(other, org.sam, allocated_by=org.tess)
            make_journey(other, org.sam, org.tess, org.chris)
    assert counts[0] == counts[1]
    assert "Showing 13 records" in client.get(RECORDS, {**PERIOD, "kind": "visit"}).content.decode()


def test_practice_quality_and_the_team_page_link_to_it(client, org, records):
    client.force_login(org.tess)
    assert f'href="{PAGE}"' in client.get(reverse("oversight:practice_quality")).content.decode()
    team = client.get(reverse("accounts:team", kwargs={"team_id": org.assessment.pk})).content.decode()
    assert f"{PAGE}?team={org.assessment.pk}" in team
    client.force_login(org.sam)
    team = client.get(reverse("accounts:team", kwargs={"team_id": org.assessment.pk})).content.decode()
    assert PAGE not in team
