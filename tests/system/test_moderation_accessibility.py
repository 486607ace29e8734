"""Moderation and the quality reports meet WCAG 2.2 AA according to axe-core: a QA officer starts moderating from
the quality page, meets the blind form, submits it empty (every section named), grades it in the browser and sees
the comparison with the outcome to record; then the agreement page, the impact page, the theme report with its
chart and the audit of audits, as the head of service; and the re-audit page naming an open action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casefile.casework.testing import make_journey
from casefile.quality import services
from casefile.quality.models import AuditTemplate, Moderation
from casefile.quality.testing import make_audit, make_moderation
from tests.system.journey_steps import signed_in_as
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_moderation_and_the_quality_reports_meet_wcag_22_aa(page, live_server, org, child):
    make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)
    audit = make_audit(child, org.tess, kind=AuditTemplate.Kind.MONTHLY, completed=True)
    other = make_audit(child, org.tess, completed=True)
    make_moderation(other, org.simon, outcome="agreed")
    services.add_audit_action(actor=org.tess, audit=other, assignee=org.sam, description="Record Lily’s views")
    ids = {"person_id": child.pk, "audit_id": audit.pk}
    moderation_url = reverse("quality:moderation", kwargs=ids)
    pages = Pages(page)

    signed_in_as(page, "quinn")
    pages.visit("The quality page with audits to moderate", reverse("quality:home"))
    start = reverse("quality:start_moderation", kwargs={"audit_id": audit.pk})
    page.locator(f'#to-moderate form[action="{start}"] button').click()
    page.wait_for_url(f"**{moderation_url}")
    pages.check("The blind moderation form")
    main = page.locator("main").inner_text()
    assert "Your grade for" in main and "Overall grade" not in main
    pages.submit_empty("The blind form sent with nothing graded", moderation_url, "Submit your grades")
    for group in page.locator(".govuk-radios").all():
        group.locator("input").first.check()
    for box in page.locator("textarea").all():
        box.fill("Seen on the file")
    page.get_by_role("button", name="Submit your grades").click()
    page.get_by_role("heading", name="Record the outcome").wait_for()
    pages.check("The grades side by side, with the outcome to record")
    pages.submit_empty("The outcome sent with nothing chosen", moderation_url, "Record the outcome")
    assert Moderation.objects.filter(audit=audit, moderator=org.quinn, status="submitted").exists()

    signed_in_as(page, "hana")
    pages.visit("Moderation: agreement", reverse("quality:agreement"))
    assert "Cohen’s kappa" in page.locator("main").inner_text()
    pages.visit("Re-audits: impact", reverse("quality:impact"))
    pages.visit("The theme report", reverse("quality:themes"))
    assert page.locator("svg.cf-chart").count() == 1
    pages.visit("The audit of audits", reverse("quality:auditors"))
    pages.visit("A re-audit waiting for an open action",
                reverse("quality:re_audit", kwargs={"person_id": child.pk, "audit_id": other.pk}))
    assert "Record Lily’s views" in page.locator("main").inner_text()

    assert not pages.failures, "\n\n".join(pages.failures)
    assert len(pages.checked) == 10
