"""The sampling pages meet WCAG 2.2 AA according to axe-core: the rounds, drawing a sample (and its errors), a
round with why each child was chosen, assigning auditors, closing a round, the children sampled to an auditor,
starting a sampled audit, and audit coverage with its chart beside the table."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casefile.quality import sampling, services
from casefile.quality.testing import make_audit, template
from casefile.testing import allocate, make_child
from tests.system.journey_steps import signed_in_as
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_the_sampling_pages_meet_wcag_22_aa(page, live_server, org, child):
    other = make_child("Noah", "Fenwick")
    allocate(other, org.ola, allocated_by=org.ola)
    make_audit(child, org.tess, completed=True)
    drawn = services.draw_round(actor=org.quinn, name="Spring round", method="random", filters=sampling.Filters(),
                                size=2, template=template(), due_by=timezone.localdate() + datetime.timedelta(days=28),
                                seed=4711)
    sampled = drawn.children.get(child=child)
    services.assign_auditors(actor=org.quinn, audit_round=drawn, auditors={sampled.pk: org.quinn})
    ids = {"round_id": drawn.pk}
    pages = Pages(page)

    signed_in_as(page, "quinn")
    pages.visit("The rounds", reverse("quality:rounds"))
    pages.visit("Drawing a sample", reverse("quality:draw_round"))
    pages.submit_empty("Drawing a sample, with errors", reverse("quality:draw_round"), "Draw the sample")
    pages.visit("A round", reverse("quality:round", kwargs=ids))
    assert "Chosen at random (seed 4711)." in page.locator("main").inner_text()
    pages.visit("Assigning auditors", reverse("quality:assign_auditors", kwargs=ids))
    pages.visit("Closing a round", reverse("quality:close_round", kwargs=ids))
    pages.visit("Children sampled to you", reverse("quality:sampled_to_me"))
    pages.visit("Starting a sampled audit",
                reverse("quality:start_sampled", kwargs={**ids, "sampled_id": sampled.pk}))
    pages.visit("Audit coverage", reverse("quality:coverage"))
    assert "Coverage by team" in page.locator("main").inner_text()

    assert not pages.failures, "\n\n".join(pages.failures)
    assert len(pages.checked) == 9
