"""The oversight pages the journeys (test_supervision.py, test_challenge.py, test_plan_authorisation.py) and
test_decisions_accessibility.py do not reach meet WCAG 2.2 AA according to axe-core: My work as each role sees it,
the manager's queue with work waiting, the team page, who is due supervision as a service manager, a worker's own
supervision as they see it, the disagreement form with its errors, and a partner agency's chronology (which must
not show supervision, challenge or a decision kept within the service)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casefile.access.models import AgencyShare, SharedItem
from casefile.casework.testing import make_journey
from casefile.oversight.models import DecisionKind
from casefile.oversight.testing import make_case_supervision, make_decision, make_escalation, make_staff_supervision
from casefile.oversight.tests.test_queue import proposed_closure, submitted_assessment
from casefile.testing import allocate, make_child
from tests.system.journey_steps import signed_in_as
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

# Everyone, each with the landing page their role gives them.
ROLES = ("sam", "tess", "simon", "hana", "mel", "fran", "chris", "quinn", "pat", "petra", "ada")


def test_my_work_for_each_role_and_the_other_oversight_pages_meet_wcag_22_aa(page, live_server, org, child):
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)
    today = timezone.localdate()
    decision = make_decision(child, org.tess, kind=DecisionKind.CONFERENCE_REQUEST)
    make_case_supervision(child, org.sam, org.tess, held_on=today)
    staff = make_staff_supervision(org.sam, org.tess, held_on=today)
    make_escalation(child, org.chris, today - datetime.timedelta(days=20))  # overdue
    # Work waiting for the manager: an assessment and a closure, for two more of the team's children.
    for name, waiting in (("Ava", submitted_assessment), ("Ben", proposed_closure)):
        other = make_child(name, "Hartley")
        allocate(other, org.sam, allocated_by=org.tess)
        waiting(other, org.sam, today - datetime.timedelta(days=3))
    AgencyShare.objects.create(child=child, agency=org.petra.agency, purpose="Joint section 47 enquiry",
                               shared_by=org.tess, expires_on=today + datetime.timedelta(days=30),
                               items=[item.value for item in SharedItem])
    pages = Pages(page)

    for username in ROLES:
        signed_in_as(page, username)
        pages.visit(f"My work, as {username}", reverse("core:my_work"))
        if username == "tess":
            assert "Open escalations" in page.locator("#oversight-summary").inner_text()
            pages.visit("Waiting for you, with work waiting", reverse("oversight:queue"))
            queue = page.locator("main").inner_text()
            assert "Assessment to authorise" in queue and "Closure to sign off" in queue, queue
            pages.visit("Team page", reverse("accounts:team", kwargs={"team_id": org.assessment.pk}))
            dissent = reverse("oversight:record_dissent",
                              kwargs={"person_id": child.pk, "management_decision_id": decision.pk})
            pages.submit_empty("Record a disagreement, with errors", dissent, "Record the disagreement")
        if username == "simon":
            pages.visit("Supervision due, as a service manager", reverse("oversight:supervision_due"))
            pages.visit("Waiting for you, as a service manager", reverse("oversight:queue"))
        if username == "sam":
            pages.visit("My own staff supervision", reverse("oversight:staff_supervisions",
                                                            kwargs={"worker_id": org.sam.pk}))
            pages.visit("One of my staff supervisions", reverse("oversight:staff_supervision", kwargs={
                "worker_id": org.sam.pk, "staff_supervision_id": staff.pk}))
        if username == "petra":
            pages.visit("A partner agency's chronology", reverse("people:chronology", kwargs={"person_id": child.pk}))
            shown = page.locator("main").inner_text()
            assert "Child protection visit" in shown and journey.visit.childs_words in shown, shown
            for hidden in ("Case supervision", "Practice concern", "Management decision"):
                assert hidden not in shown, hidden

    assert not pages.failures, "\n\n".join(pages.failures)
    assert len(pages.checked) == len(ROLES) + 8
