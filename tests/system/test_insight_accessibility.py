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
    ]:
        response = page.goto(url)
        assert response is not None and response.ok, f"{name} answered {response and response.status}"
        if violations := axe_violations(page):
            failures.append(f"{name}:\n{describe(violations)}")
    assert page.get_by_role("link", name="Lily Hartley").count() == 1, "the child behind the number was not listed"
    assert not failures, "\n\n".join(failures)


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
