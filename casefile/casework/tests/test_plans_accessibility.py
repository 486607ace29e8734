"""The plan, conference, review, core group and visit pages meet WCAG 2.2 AA, with and without errors."""

import pytest
from django.urls import reverse

from casefile.casework.testing import make_journey
from casefile.casework.tests.test_protection_conferences import add_smart_action
from casefile.casework.views import plans as plan_views
from casefile.casework.views import protection as protection_views
from casefile.people.models import Relationship
from casefile.testing import make_adult
from tests.system.accessibility import axe_violations, describe
from tests.system.browser import sign_in

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_every_plan_and_conference_page_meets_wcag_22_aa(page, live_server, org, child):
    journey = make_journey(child, org.sam, org.tess, org.chris)
    Relationship.objects.create(person=make_adult(), relative=child, kind=Relationship.Kind.PARENT)
    add_smart_action(journey.plan, outcome=journey.outcome, description="Continue to engage", owner="Mum",
                     measure="")  # so the SMART warning shows
    ids = journey.ids()
    failures: list[str] = []

    def check(name: str, url: str | None = None) -> None:
        if url is not None:
            response = page.goto(url)
            assert response is not None and response.ok, f"{name} answered {response and response.status}"
        if violations := axe_violations(page):
            failures.append(f"{name}:\n{describe(violations)}")

    sign_in(page, "sam")
    for pattern in [*plan_views.urlpatterns, *protection_views.urlpatterns]:
        arguments = {name: ids[name] for name in pattern.pattern.converters if name != "person_id"}
        check(pattern.name, reverse(f"casework:{pattern.name}", kwargs={"person_id": child.pk, **arguments}))
    for name, button in [("record_review_conference", "Save the conference"), ("record_visit", "Save the visit")]:
        page.goto(reverse(f"casework:{name}", kwargs={"person_id": child.pk}))
        page.get_by_role("button", name=button).click()
        page.locator(".govuk-error-summary").wait_for()
        check(f"{name} with errors")
    assert not failures, "\n\n".join(failures)
