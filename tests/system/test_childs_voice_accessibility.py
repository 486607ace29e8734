"""The child's voice coverage pages meet WCAG 2.2 AA according to axe-core, as a team manager sees them."""

import pytest
from django.urls import reverse

from casefile.casework.testing import make_journey
from tests.system.accessibility import axe_violations, describe
from tests.system.browser import sign_in

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]
PERIOD = "date_from_day=1&date_from_month=1&date_from_year=2024&date_to_day=31&date_to_month=3&date_to_year=2024"


def test_the_childs_voice_pages_meet_wcag_22_aa(page, live_server, org, child):
    make_journey(child, org.sam, org.tess, org.chris)
    sign_in(page, "tess")
    page_url, records = reverse("oversight:childs_voice"), reverse("oversight:childs_voice_records")
    failures = []
    for name, url in [
        ("Every team", f"{page_url}?{PERIOD}"),
        ("A team", f"{page_url}?team={org.assessment.pk}&{PERIOD}"),
        ("A worker", f"{page_url}?worker={org.sam.pk}&{PERIOD}"),
        ("A period that ends before it starts", f"{page_url}?{PERIOD.replace('to_year=2024', 'to_year=2023')}"),
        ("The records behind a count", f"{records}?kind=visit&measure=difference&{PERIOD}"),
    ]:
        response = page.goto(url)
        assert response is not None and response.ok, f"{name} answered {response and response.status}"
        if violations := axe_violations(page):
            failures.append(f"{name}:\n{describe(violations)}")
        if name == "A team":
            page.screenshot(path="test-results/childs-voice-team.png", full_page=True)
    assert not failures, "\n\n".join(failures)
