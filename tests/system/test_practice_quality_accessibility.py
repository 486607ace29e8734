"""The practice-quality pages meet WCAG 2.2 AA according to axe-core, as a team manager sees them."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casefile.casework.testing import make_journey
from tests.system.accessibility import axe_violations, describe
from tests.system.browser import sign_in

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_the_practice_quality_pages_meet_wcag_22_aa(page, live_server, org, child):
    make_journey(child, org.sam, org.tess, org.chris)
    sign_in(page, "tess")
    failures = []
    for name, url in [
        ("Practice quality", reverse("oversight:practice_quality")),
        ("Practice quality: a team", f"{reverse('oversight:practice_quality')}?team={org.assessment.pk}"),
        ("Practice quality: a worker", f"{reverse('oversight:practice_quality')}?worker={org.sam.pk}"),
        ("Children with a signal", f"{reverse('oversight:practice_children')}?signal=cp_plan_15_months"),
        ("A child's signals", reverse("oversight:child_signals", kwargs={"person_id": child.pk})),
        ("Record with the practice quality panel", reverse("people:record", kwargs={"person_id": child.pk})),
    ]:
        response = page.goto(url)
        assert response is not None and response.ok, f"{name} answered {response and response.status}"
        if violations := axe_violations(page):
            failures.append(f"{name}:\n{describe(violations)}")
    assert page.get_by_role("heading", name="Practice quality").count() == 1, "the record's panel was not shown"
    assert not failures, "\n\n".join(failures)


def test_quality_assurance_has_every_signal_worked_out_again_and_the_page_says_when(page, live_server, org, child):
    make_journey(child, org.sam, org.tess, org.chris)
    sign_in(page, "quinn")
    page.goto(reverse("oversight:practice_quality"))
    expect(page.locator("#signals-worked-out")).to_have_text("Signals worked out from the record just now.")
    page.get_by_role("button", name="Work out every signal again now").click()
    # The job ran (immediately, in the tests); its page offers the way back to the page asked from.
    expect(page.get_by_role("heading", name="Finished")).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="Back to practice quality").click()
    expect(page.locator("#signals-worked-out")).to_contain_text("Signals worked out from the record at")
    assert not (violations := axe_violations(page)), describe(violations)
