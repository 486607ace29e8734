"""The case file audit pages meet WCAG 2.2 AA according to axe-core: the quality page with audits and actions,
starting an audit (and its errors), grading with the evidence beside each section (and completion refused with
every section ungraded), the completed audit, setting an action, the worker's My work with the action waiting,
and marking it done."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casefile.casework.testing import make_journey
from casefile.quality import services
from casefile.quality.models import AuditTemplate
from casefile.quality.testing import make_audit
from tests.system.journey_steps import signed_in_as
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_the_case_file_audit_pages_meet_wcag_22_aa(page, live_server, org, child):
    make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)
    completed = make_audit(child, org.quinn, kind=AuditTemplate.Kind.WHOLE_FILE, completed=True)
    action = services.add_audit_action(actor=org.quinn, audit=completed, assignee=org.sam,
                                       description="Record Lily’s views in her own words")
    in_progress = make_audit(child, org.quinn, kind=AuditTemplate.Kind.WHOLE_FILE)
    ids = {"person_id": child.pk, "audit_id": completed.pk}
    pages = Pages(page)

    signed_in_as(page, "quinn")
    pages.visit("The quality page", reverse("quality:home"))
    pages.submit_empty("Start an audit, with errors", reverse("quality:start_audit"), "Start the audit")
    grade = reverse("quality:grade_audit", kwargs={**ids, "audit_id": in_progress.pk})
    pages.visit("Grading an audit, with the evidence beside", grade)
    assert "From the record" in page.locator("main").inner_text()
    pages.submit_empty("Completing an audit with every section ungraded", grade, "Complete the audit")
    pages.visit("A completed audit", reverse("quality:audit", kwargs=ids))
    pages.submit_empty("Setting an action, with errors", reverse("quality:add_action", kwargs=ids), "Set the action")
    pages.visit("A child's audits", reverse("quality:child_audits", kwargs={"person_id": child.pk}))

    signed_in_as(page, "sam")
    pages.visit("My work with an action from an audit", reverse("core:my_work"))
    assert "Record Lily’s views" in page.locator("main").inner_text()
    pages.submit_empty("Marking an action done, with errors",
                       reverse("quality:complete_action", kwargs={**ids, "audit_action_id": action.pk}),
                       "Mark it done")

    assert not pages.failures, "\n\n".join(pages.failures)
    assert len(pages.checked) == 9
