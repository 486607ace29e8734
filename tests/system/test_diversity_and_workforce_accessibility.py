"""The diversity page (with and without a population), its children, the child population's pages, the statistical
neighbours' figures' pages (and the clinic showing them) and the workforce pages meet WCAG 2.2 AA according to
axe-core, with a form's errors shown too."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casefile.accounts.models import Post, WorkerRecord
from casefile.casework.testing import make_journey
from casefile.insight.clinic import census_year_choices
from casefile.insight.models import ChildPopulation, NeighbourFigure
from casefile.rules.indicators import Period
from tests.system.accessibility import axe_violations, describe
from tests.system.journey_steps import signed_in_as

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def check(page, pages, failures):
    for name, url in pages:
        response = page.goto(url)
        assert response is not None and response.ok, f"{name} answered {response and response.status}"
        if violations := axe_violations(page):
            failures.append(f"{name}:\n{describe(violations)}")


def check_refused(page, name, url, button, failures):
    """The page at `url` with the form its `button` sends refused, its errors shown."""
    if url:
        page.goto(url)
    page.get_by_role("button", name=button).click()
    page.locator(".govuk-error-summary").wait_for()
    if violations := axe_violations(page):
        failures.append(f"{name}, refused:\n{describe(violations)}")


def test_the_diversity_and_workforce_pages_meet_wcag_22_aa(page, live_server, org, child):
    year = census_year_choices(timezone.localdate())[0]
    start = Period.census_year(year).start
    make_journey(child, org.sam, org.tess, org.chris, referral_date=start + datetime.timedelta(days=30))
    child.allocations.update(start_date=start)
    WorkerRecord.objects.create(user=org.sam, employment_type="agency", fte=1, started_on=datetime.date(2020, 1, 1))
    post = Post.objects.create(team=org.assessment, title="Social worker", starts_on=datetime.date(2020, 1, 1),
                               holder=org.sam)
    diversity, failures = reverse("insight:diversity"), []

    signed_in_as(page, "pat")
    check(page, [("Diversity without a population", diversity),
                 ("The child population, none entered", reverse("insight:population"))], failures)
    check_refused(page, "The child population, a figure", None, "Save the figure", failures)
    check_refused(page, "Uploading the population", reverse("insight:population_upload"), "Upload the figures",
                  failures)
    check(page, [("The neighbours' figures, none entered", reverse("insight:neighbours"))], failures)
    check_refused(page, "The neighbours' figures, a figure", None, "Save the figure", failures)
    check_refused(page, "Uploading the neighbours' figures", reverse("insight:neighbours_upload"),
                  "Upload the figures", failures)
    NeighbourFigure.objects.create(indicator="re_referrals", year=start.year + 1, value=21.4,
                                   group="NFER model, 10 neighbours", source="DfE tool", entered_by=org.pat,
                                   entered_at=timezone.now())
    for category, count in (("Female", 600), ("Male", 400)):
        ChildPopulation.objects.create(characteristic="sex", category=category, count=count, year=2021,
                                       source="ONS Census 2021", entered_by=org.pat,
                                       entered_at=timezone.now())

    signed_in_as(page, "tess")
    check(page, [
        ("Diversity with a population", diversity),
        ("Diversity: a team", f"{diversity}?team={org.assessment.pk}"),
        ("Diversity's children", f"{reverse('insight:diversity_children')}?stage=referrals&characteristic=sex"
                                 f"&missing=1"),
    ], failures)

    signed_in_as(page, "ada")
    check(page, [
        ("The population entered", reverse("insight:population")),
        ("The neighbours' figures entered", reverse("insight:neighbours")),
        ("The clinic beside the neighbours' figures", reverse("insight:clinic")),
        ("Staff and their employment", reverse("accounts:workers")),
        ("A worker's employment", reverse("accounts:worker", kwargs={"staff_id": org.sam.pk})),
        ("The establishment", reverse("accounts:posts")),
        ("A post", reverse("accounts:post_edit", kwargs={"post_id": post.pk})),
        ("Adding a post", reverse("accounts:post_new")),
    ], failures)
    check_refused(page, "Adding a post", None, "Add the post", failures)
    assert not failures, "\n\n".join(failures)
