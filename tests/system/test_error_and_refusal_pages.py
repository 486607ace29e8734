"""The pages that say no (404, 403, a visit the user may not record) meet WCAG 2.2 AA like every other page."""

import pytest
from django.urls import reverse

from tests.system.browser import sign_in
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_refusals_and_error_pages_meet_wcag_22_aa(page, live_server, org, child):
    pages = Pages(page)
    sign_in(page, "ada")
    pages.visit("A visit the user may not record", reverse("casework:record_visit", kwargs={"person_id": child.pk}))
    assert page.get_by_role("heading", name="You cannot record a visit").is_visible()
    assert page.goto("/no-such-page/").status == 404
    assert page.get_by_role("navigation", name="Menu").is_visible()
    pages.check("Page not found")
    page.context.clear_cookies()
    sign_in(page, "sam")
    assert page.goto(reverse("casework:unallocated")).status == 403
    pages.check("You cannot do this")
    assert not pages.failures, "Pages that fail WCAG 2.2 AA:\n\n" + "\n\n".join(pages.failures)
