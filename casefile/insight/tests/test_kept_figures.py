"""Kept figures (insight/figures.py): once computed, the clinic, the journeys and the diversity page read them in
one query instead of the record, and show the same numbers as computing from the record; only analysts and
administrators have them computed again, through a background job."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefile.access.tests.test_permission_matrix import EVERYONE
from casefile.accounts.models import Team
from casefile.casework.caseloads import teams_overseen_by
from casefile.core.forms import SUBMISSION_FIELD
from casefile.core.models import Job
from casefile.insight import clinic, figures
from casefile.insight.models import StoredFigures
from casefile.insight.tests.test_clinic import YEAR, get, june, with_journey  # noqa: F401

CLINIC, JOURNEYS, REFRESH = reverse("insight:clinic"), reverse("insight:journeys"), reverse("insight:refresh")
DIVERSITY = reverse("insight:diversity")
PERIOD_IDS = ("clinic-period", "journeys-period", "diversity-period")
pytestmark = pytest.mark.django_db


def _figures_part(html: str) -> str:
    """The page from its first figure on, without the line that says when the figures were computed."""
    body = html[min(html.index(f'id="{id}"') for id in PERIOD_IDS if f'id="{id}"' in html):]
    body = re.sub(r'<p class="govuk-body" id="figures-computed">.*?</p>', "", body, flags=re.S)
    # Different on every response: the nonce, the CSRF token and the PDF form's one-time token.
    return re.sub(rf'(nonce|name="(csrfmiddlewaretoken|{SUBMISSION_FIELD})" value)="[^"]*"', "", body)


@pytest.fixture
def record(org, june):  # noqa: F811
    with_journey(org, org.sam, "Lily", "Hartley")
    with_journey(org, org.ola, "Noah", "Elsewhere")


@pytest.mark.parametrize("page", [CLINIC, JOURNEYS, DIVERSITY])
@pytest.mark.parametrize("whose", ["authority", "team", "worker"])
def test_kept_figures_show_what_the_record_shows(client, org, record, page, whose):
    params = {"year": YEAR, **({"team": org.sam.team_id} if whose == "team" else {}),
              **({"worker": org.sam.pk} if whose == "worker" else {})}
    live = get(client, org.ada, page, **params).content.decode()
    assert "Figures computed from the record just now" in live
    assert figures.refresh(timezone.localdate()) > 0
    kept = get(client, org.ada, page, **params).content.decode()
    assert "Figures computed from the record at " in kept
    assert _figures_part(kept) == _figures_part(live)


@pytest.mark.parametrize("page", [CLINIC, DIVERSITY])
def test_a_kept_page_reads_no_table_of_the_record(client, org, record, page):
    figures.refresh(timezone.localdate())
    client.force_login(org.ada)
    client.get(page, {"year": YEAR})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page, {"year": YEAR}).status_code == 200
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "insight_storedfigures" in read
    for table in ("frontdoor_contactchild", "casework_episode", "casework_plan", "casework_allocation",
                  "people_person"):
        assert table not in read, table


def test_a_change_to_the_record_shows_once_the_figures_are_computed_again(client, org, record):
    figures.refresh(timezone.localdate())
    before = get(client, org.ada, JOURNEYS, year=YEAR).content.decode()
    with_journey(org, org.sam, "Ava", "Third")
    after = get(client, org.ada, JOURNEYS, year=YEAR).content.decode()
    assert _figures_part(after) == _figures_part(before)  # kept until computed again
    figures.refresh(timezone.localdate())
    assert "Referrals received: 3" in get(client, org.ada, JOURNEYS, year=YEAR).content.decode()


def test_figures_kept_before_diversity_was_kept_leave_the_diversity_page_to_the_record(client, org, record):
    figures.refresh(timezone.localdate())
    for row in StoredFigures.objects.all():
        row.figures.pop("diversity", None)  # the ten-year trend's months keep only indicators
        row.save()
    assert "Figures computed from the record at " in get(client, org.ada, CLINIC, year=YEAR).content.decode()
    page = get(client, org.ada, DIVERSITY, year=YEAR).content.decode()
    assert "Figures computed from the record just now" in page and 'id="heading-sex-contacts">Contacts: ' in page


def test_a_manager_of_many_teams_has_their_figures_kept(client, org, record):
    """A head of service over dozens of teams: their set of teams is kept under a key of one short length (the
    ids joined overflowed the column on PostgreSQL with the large authority's 60 teams)."""
    manager = org.assessment.manager
    Team.objects.bulk_create(Team(name=f"Locality team {n:03}", kind=org.assessment.kind, manager=manager)
                             for n in range(60))
    teams = frozenset(teams_overseen_by(manager).values_list("pk", flat=True))
    key = figures.scope_key(clinic.Scope(team_ids=teams))
    assert len(key) < 80 and key != figures.scope_key(clinic.Scope(team_ids=teams - {org.assessment.pk}))
    figures.refresh(timezone.localdate())
    assert StoredFigures.objects.filter(scope=key).exists()
    assert "Figures computed from the record at " in get(client, manager, CLINIC, year=YEAR).content.decode()


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_only_analysts_and_administrators_have_the_figures_computed_again(client, org, record, who):
    user = getattr(org, who)
    client.force_login(user)
    response = client.post(REFRESH, {"back": f"{CLINIC}?year={YEAR}"})
    if who in {"pat", "ada"}:
        job = Job.objects.get(started_by=user)
        assert response.status_code == 302 and response["Location"] == reverse("core:job", kwargs={"job_id": job.pk})
        assert job.status == Job.Status.DONE and job.result_url == f"{CLINIC}?year={YEAR}"
        assert StoredFigures.objects.filter(scope="authority").exists()
        assert f'action="{REFRESH}"' in client.get(CLINIC, {"year": YEAR}).content.decode()
    else:
        assert response.status_code == 403 and not StoredFigures.objects.exists()
        if who in {"tess", "quinn"}:
            assert f'action="{REFRESH}"' not in client.get(CLINIC, {"year": YEAR}).content.decode()


def test_going_back_leaves_the_service_only_for_its_own_pages(client, org, record):
    client.force_login(org.pat)
    client.post(REFRESH, {"back": "https://elsewhere.example/"})
    assert Job.objects.get(started_by=org.pat).result_url == CLINIC
