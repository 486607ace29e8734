"""A plan that fails the SMART checks goes to a manager, who returns it with a comment; the worker sees the comment
on My work, corrects the action and submits it again with an answer; the manager authorises it; the return, the
answer and the authorisation are on the child's chronology. axe runs on every new page on the way."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casefile.casework.models import PlanOutcome
from casefile.casework.services import plans
from casefile.casework.tests.test_protection_conferences import CONTINGENCY, add_smart_action, make_episode
from tests.system.journey_steps import follow, go_to, signed_in_as, submit, write
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

COMMENT = "Name Dawn, say which course and how we will know she went"
ANSWER = "Dawn Hartley is booked on the Freedom Programme; the course leader will confirm attendance"


def vague_plan(org, child):
    started = timezone.localdate() - datetime.timedelta(days=14)
    make_episode(child, org.sam, referral_date=started - datetime.timedelta(days=30))
    plan = plans.start_cin_plan(actor=org.sam, child=child, start_date=started, visit_interval_working_days=20,
                                contingency=CONTINGENCY)
    outcome = PlanOutcome.objects.create(plan=plan, description="Lily is safe at home when Dawn is upset")
    add_smart_action(plan, outcome=outcome, description="Mum to engage with services", owner="mum",
                     measure="ongoing", due=started + datetime.timedelta(days=60))
    return plan


def test_a_vague_plan_is_returned_corrected_and_authorised_on_the_record(page, live_server, org, child):
    plan = vague_plan(org, child)
    ids = {"person_id": child.pk, "plan_id": plan.pk}
    pages = Pages(page)

    # The worker sees the plan's flags and submits it.
    signed_in_as(page, "sam")
    go_to(page, reverse("casework:plan", kwargs=ids))
    assert "PQ2 owner-not-named" in page.locator("#plan-warnings").inner_text()
    follow(page, "Submit for authorisation")
    pages.check("Submit a plan for authorisation")
    submit(page, "Submit for authorisation")
    assert "Waiting for a manager to authorise it" in page.content()

    # The manager finds it in the queue with its flags, reads them and returns the plan with a comment.
    signed_in_as(page, "tess")
    go_to(page, reverse("oversight:queue"))
    row = page.locator("#queue tbody tr", has_text="Plan to authorise")
    assert "Quality flags: PQ2, PQ4, PQ7" in row.inner_text()
    follow(page, "Plan to authorise", within=row)
    pages.check("Authorise a plan, with its flags")
    assert "PQ4 vague-wording" in page.locator("#plan-warnings").inner_text()
    follow(page, "Back to the plan")
    follow(page, "Return the plan")
    pages.check("Return a plan")
    page.get_by_role("button", name="Return the plan").click()
    page.locator(".govuk-error-summary").wait_for()
    pages.check("Return a plan, with its error")
    write(page, "What needs to change?", COMMENT)
    submit(page, "Return the plan")

    # The worker sees the comment on My work, corrects the action and submits again with an answer.
    signed_in_as(page, "sam")
    go_to(page, "/")
    returned = page.locator("#returned-to-you")
    assert COMMENT in returned.inner_text() and "Tess Manager" in returned.inner_text()
    pages.check("My work with work returned")
    follow(page, "Plan", within=returned)
    assert COMMENT in page.locator("#returned-work").inner_text()
    follow(page, "Change Mum to engage with services")
    write(page, "What will be done?", "Dawn Hartley to attend the Freedom Programme each Tuesday")
    write(page, "Who will do it?", "Dawn Hartley (mother)")
    write(page, "How will everyone know it has been done?",
          "The course leader confirms Dawn attended all 12 sessions")
    submit(page, "Save the action")
    assert page.locator("#plan-warnings").count() == 0
    follow(page, "Submit for authorisation")
    pages.check("Submit a returned plan, with the comment to answer")
    page.get_by_role("button", name="Submit for authorisation").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Enter your answer to the manager’s comment" in page.locator(".govuk-error-summary").inner_text()
    write(page, "Your answer to the manager’s comment", ANSWER)
    submit(page, "Submit for authorisation")

    # The manager authorises it: no flag remains, so no reason is asked for.
    signed_in_as(page, "tess")
    go_to(page, reverse("oversight:queue"))
    row = page.locator("#queue tbody tr", has_text="Plan to authorise")
    assert "No quality flags" in row.inner_text()
    follow(page, "Plan to authorise", within=row)
    assert "No quality flags remain on this plan." in page.content()
    submit(page, "Authorise the plan")
    assert "Authorised on" in page.content() and "by Tess Manager" in page.content()

    # The return, the answer and the authorisation are on the record's chronology.
    go_to(page, reverse("people:chronology", kwargs={"person_id": child.pk}))
    chronology = page.locator("main").inner_text()
    for said in ("Plan returned by a manager for changes", COMMENT, "Plan sent again with an answer to the manager",
                 ANSWER, "Child in need plan authorised by a manager"):
        assert said in chronology, said
    assert not pages.failures, "\n\n".join(pages.failures)
    assert len(pages.checked) == 6
