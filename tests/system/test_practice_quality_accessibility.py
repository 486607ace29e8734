"""The practice-quality pages meet WCAG 2.2 AA according to axe-core, as a team manager sees them."""

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
