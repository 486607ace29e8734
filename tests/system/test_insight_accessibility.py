"""The performance clinic, the journeys and the children behind a number meet WCAG 2.2 AA according to axe-core,
as a team manager sees them, with a form's errors shown too."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casefile.casework.testing import make_journey
from casefile.insight.clinic import census_year_choices
from casefile.rules.indicators import Period
from tests.system.accessibility import axe_violations, describe
from tests.system.browser import sign_in

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_the_clinic_pages_meet_wcag_22_aa(page, live_server, org, child):
    year = census_year_choices(timezone.localdate())[0]
    make_journey(child, org.sam, org.tess, org.chris,
                 referral_date=Period.census_year(year).start + datetime.timedelta(days=30))
    child.allocations.update(start_date=Period.census_year(year).start)
    sign_in(page, "tess")
    clinic, children = reverse("insight:clinic"), reverse("insight:children")
    failures = []
    for name, url in [
        ("Clinic", clinic),
        ("Clinic: a team", f"{clinic}?team={org.assessment.pk}"),
        ("Clinic: a worker", f"{clinic}?worker={org.sam.pk}"),
        ("Clinic: a period refused", f"{clinic}?period=twelve_months"),
        ("Journeys", reverse("insight:journeys")),
        ("Journeys: a period refused", f"{reverse('insight:journeys')}?period=twelve_months"),
        ("Children behind a number", f"{children}?indicator=referrals&side=numerator"),
        ("Children behind a journey outcome",
         f"{reverse('insight:journey_children')}?stage=assessments&outcome=section_47"),
    ]:
        response = page.goto(url)
        assert response is not None and response.ok, f"{name} answered {response and response.status}"
        if violations := axe_violations(page):
            failures.append(f"{name}:\n{describe(violations)}")
    assert page.get_by_role("link", name="Lily Hartley").count() == 1, "the child behind the number was not listed"
    assert not failures, "\n\n".join(failures)
    # From a journey's number to the children behind it.
    page.goto(reverse("insight:journeys"))
    page.locator("#journey-table-referrals").get_by_role("link").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Referrals received: Section 47 enquiry"
    assert page.get_by_role("link", name="Lily Hartley").count() == 1


def test_the_ten_year_trend_meets_wcag_22_aa_with_every_month_shown(page, live_server, org, child):
    year = census_year_choices(timezone.localdate())[0]
    make_journey(child, org.sam, org.tess, org.chris,
                 referral_date=Period.census_year(year).start + datetime.timedelta(days=30))
    sign_in(page, "pat")
    response = page.goto(reverse("insight:trend"))
    assert response is not None and response.ok, f"the trend answered {response and response.status}"
    page.locator("#months-referrals-details summary").click()  # a table of every month, opened
    assert page.locator("#months-referrals").is_visible()
    assert page.get_by_role("img", name=re.compile(r"^Referrals, month by month Line chart")).count() == 1
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_figures_not_kept_on_a_large_record_are_worked_out_from_a_page_that_meets_wcag_22_aa(
        page, live_server, org, child, settings):
    """A manager asks for a 12 months to a day on a record too large to work out while the page loads (here: any
    record), presses the button, follows the job and comes back to the figures."""
    settings.CASEFILE_PAGE_CONTACTS_LIMIT = -1  # no record is small enough: every period not kept is a job
    today = timezone.localdate()
    make_journey(child, org.sam, org.tess, org.chris, referral_date=today - datetime.timedelta(days=60))
    child.allocations.update(start_date=today - datetime.timedelta(days=90))
    sign_in(page, "tess")
    end = today - datetime.timedelta(days=1)
    page.goto(f"{reverse('insight:clinic')}?team={org.assessment.pk}&period=twelve_months&end_day={end.day}"
              f"&end_month={end.month}&end_year={end.year}")
    assert page.locator("#figures-not-worked-out").is_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.get_by_role("button", name="Work out the figures").click()
    page.get_by_role("button", name="Back to the figures").click()
    assert page.locator("#figures-computed").inner_text().startswith("Figures computed from the record at ")
    assert page.locator("#value-referrals").inner_text() == "1"
    assert page.locator("#figures-not-worked-out").count() == 0
    violations = axe_violations(page)
    assert not violations, describe(violations)
