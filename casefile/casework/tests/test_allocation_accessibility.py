"""The allocation, caseload, waiting-list and calendar pages, and the record's "Next steps", meet WCAG 2.2 AA."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casefile import testing
from casefile.casework.models import Episode
from casefile.casework.testing import make_journey
from tests.system.accessibility import axe_violations, describe
from tests.system.browser import sign_in

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_the_allocation_and_deadline_pages_meet_wcag_22_aa(page, live_server, org, child):
    make_journey(child, org.sam, org.tess, org.chris, referral_date=timezone.localdate() - datetime.timedelta(90))
    failures: list[str] = []

    def check(name: str, url: str | None = None) -> None:
        if url is not None:
            response = page.goto(url)
            assert response is not None and response.ok, f"{name} answered {response and response.status}"
        if violations := axe_violations(page):
            failures.append(f"{name}:\n{describe(violations)}")

    allocation = reverse("casework:allocation", kwargs={"person_id": child.pk})
    sign_in(page, "tess")
    check("Record with next steps", reverse("people:record", kwargs={"person_id": child.pk}))
    check("My work with deadlines", reverse("core:my_work"))
    check("Team page with caseloads", reverse("accounts:team", kwargs={"team_id": org.assessment.pk}))
    check("Caseloads", reverse("casework:caseloads", kwargs={"team_id": org.assessment.pk}))
    check("Allocation", allocation)
    page.get_by_role("button", name="Allocate the case").click()
    page.locator(".govuk-error-summary").wait_for()
    check("Allocation with errors")
    page.context.clear_cookies()
    sign_in(page, "ada")
    Episode.objects.create(child=testing.make_child("Tom", "Ash"),
                           referral_date=timezone.localdate(), referral_source="2A", recorded_by=org.fran)
    check("Children waiting for a worker", reverse("casework:unallocated"))
    check("Non-working days", reverse("casework:non_working_days"))
    page.get_by_role("button", name="Add the day").click()
    page.locator(".govuk-error-summary").wait_for()
    check("Non-working days with errors")
    assert not failures, "\n\n".join(failures)
