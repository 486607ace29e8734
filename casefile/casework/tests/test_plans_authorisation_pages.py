"""The plan's authorisation pages (submit, authorise, return), returned work on My work and on the record's pages,
the chronology and the manager's queue."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casefile import testing
from casefile.audit.models import Action as AuditAction
from casefile.audit.models import AuditEvent
from casefile.casework.chronology import chronology
from casefile.casework.models import ReturnedWork
from casefile.casework.services import episodes, plans
from casefile.casework.tests.plan_fixtures import START
from casefile.casework.tests.test_protection_conferences import CONTINGENCY, add_smart_action, make_episode

QUEUE = reverse("oversight:queue")


def url(name: str, plan) -> str:
    return reverse(f"casework:{name}", kwargs={"person_id": plan.child_id, "plan_id": plan.pk})


def page(client, user, address, data=None):
    client.force_login(user)
    return client.post(address, data) if data is not None else client.get(address)


def posted(client, user, address, data):
    """Send a page's own form (its one-time token and version included) as the user."""
    client.force_login(user)
    html = client.get(address).content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    return client.post(address, {**fields, **data})


@pytest.mark.parametrize("name", ["submit_plan", "authorise_plan", "return_plan"])
def test_someone_with_no_link_to_the_child_gets_404(client, org, plan, name):
    for user in (org.ola, org.mel, org.pat):
        assert page(client, user, url(name, plan)).status_code == 404


def test_the_worker_submits_from_the_plan_page_and_the_manager_is_told_what_remains(client, org, vague_plan):
    html = page(client, org.sam, url("plan", vague_plan)).content.decode()
    assert url("submit_plan", vague_plan) in html and url("authorise_plan", vague_plan) not in html
    response = posted(client, org.sam, url("submit_plan", vague_plan), {"answer": ""})
    assert response.status_code == 302
    vague_plan.refresh_from_db()
    assert vague_plan.submitted_by == org.sam
    html = page(client, org.tess, url("authorise_plan", vague_plan)).content.decode()
    assert "Quality flags remaining" in html and "PQ2 owner-not-named" in html
    assert AuditEvent.objects.filter(actor=org.tess, action=AuditAction.VIEW, child=vague_plan.child).exists()


def test_the_worker_is_told_before_the_form_that_they_may_not_authorise(client, org, plan):
    plans.submit_plan(actor=org.sam, plan=plan)
    html = page(client, org.sam, url("authorise_plan", plan)).content.decode()
    assert "Only a team manager, service manager or head of service can authorise a plan." in html
    assert "<form method=\"post\"" not in html
    response = page(client, org.sam, url("authorise_plan", plan), {"reason": "x"})
    plan.refresh_from_db()
    assert response.status_code == 200 and plan.authorised_on is None


def test_authorising_with_flags_needs_the_reason_on_the_form(client, org, vague_plan):
    plans.submit_plan(actor=org.sam, plan=vague_plan)
    html = posted(client, org.tess, url("authorise_plan", vague_plan), {"reason": ""}).content.decode()
    assert "Enter why you authorise the plan with PQ2" in html
    response = posted(client, org.tess, url("authorise_plan", vague_plan), {"reason": "Agreed at core group"})
    assert response.status_code == 302
    vague_plan.refresh_from_db()
    assert vague_plan.authorised_by == org.tess
    assert AuditEvent.objects.filter(actor=org.tess, action=AuditAction.UPDATE, reason="Agreed at core group").exists()


def test_a_returned_plan_shows_the_comment_on_my_work_and_the_plan_and_is_answered(client, org, child, vague_plan):
    plans.submit_plan(actor=org.sam, plan=vague_plan)
    assert posted(client, org.tess, url("return_plan", vague_plan),
                  {"comment": "Name who will do what"}).status_code == 302
    my_work = page(client, org.sam, "/").content.decode()
    assert "Returned to you" in my_work and "Name who will do what" in my_work and url("plan", vague_plan) in my_work
    assert child.pk in AuditEvent.objects.filter(actor=org.sam).latest("pk").details["shown"]
    assert "Name who will do what" in page(client, org.sam, url("plan", vague_plan)).content.decode()
    html = posted(client, org.sam, url("submit_plan", vague_plan), {"answer": ""}).content.decode()
    assert "Enter your answer to the manager’s comment" in html
    assert posted(client, org.sam, url("submit_plan", vague_plan), {"answer": "Named Dawn"}).status_code == 302
    assert ReturnedWork.objects.get().answer == "Named Dawn"
    assert "Returned to you" not in page(client, org.sam, "/").content.decode()


def test_my_work_returned_table_costs_the_same_however_many(client, org, child):
    def queries() -> int:
        client.force_login(org.sam)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    def return_one(person):
        make_episode(person, org.sam)
        plan = plans.start_cin_plan(actor=org.sam, child=person, start_date=START,
                                    visit_interval_working_days=20, contingency=CONTINGENCY)
        add_smart_action(plan)
        plans.submit_plan(actor=org.sam, plan=plan)
        plans.return_plan(actor=org.tess, plan=plan, comment="Say more")

    return_one(child)
    few = queries()
    for number in range(3):
        other = testing.make_child(f"Child{number}", "Family")
        testing.allocate(other, org.sam)
        return_one(other)
    assert queries() == few


def test_the_chronology_shows_the_return_the_answer_and_the_authorisation(org, child, vague_plan):
    plans.submit_plan(actor=org.sam, plan=vague_plan)
    plans.return_plan(actor=org.tess, plan=vague_plan, comment="Name who will do what")
    plans.submit_plan(actor=org.sam, plan=vague_plan, answer="Named Dawn")
    plans.authorise_plan(actor=org.tess, plan=vague_plan, reason="Dates agreed at core group")
    returned = ReturnedWork.objects.get()
    events = {event.key: event for event in chronology(child)}
    assert events[f"returned:{returned.pk}"].title == "Plan returned by a manager for changes"
    assert "Name who will do what" in events[f"returned:{returned.pk}"].description
    assert events[f"returned-answer:{returned.pk}"].description == "Answer: Named Dawn"
    authorised = events[f"plan-authorised:{vague_plan.pk}"]
    assert authorised.title == "Child in need plan authorised by a manager" and authorised.type == "plan"
    assert "Dates agreed at core group" in authorised.description and "PQ2" in authorised.description


def test_a_submitted_plan_waits_in_the_managers_queue_with_its_flags(client, org, vague_plan):
    plans.submit_plan(actor=org.sam, plan=vague_plan)
    for manager in (org.tess, org.simon):
        html = page(client, manager, QUEUE).content.decode()
        assert "Plan to authorise" in html and "Quality flags: PQ2" in html
        assert url("authorise_plan", vague_plan) in html
    assert "Plan to authorise" not in page(client, org.mel, QUEUE).content.decode()
    plans.authorise_plan(actor=org.tess, plan=vague_plan, reason="Agreed")
    assert "Plan to authorise" not in page(client, org.tess, QUEUE).content.decode()


def test_a_manager_never_sees_their_own_submission_in_the_queue(client, org, plan):
    plans.submit_plan(actor=org.tess, plan=plan)
    assert "Plan to authorise" not in page(client, org.tess, QUEUE).content.decode()
    assert "No quality flags" in page(client, org.simon, QUEUE).content.decode()


def test_the_queue_costs_the_same_however_many_plans_wait(client, org, vague_plan):
    def queries() -> int:
        client.force_login(org.tess)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUE).status_code == 200
        return len(captured)

    plans.submit_plan(actor=org.sam, plan=vague_plan)
    few = queries()
    for number in range(3):
        other = testing.make_child(f"Child{number}", "Family")
        testing.allocate(other, org.sam)
        make_episode(other, org.sam)
        more = plans.start_cin_plan(actor=org.sam, child=other, start_date=vague_plan.start_date,
                                    visit_interval_working_days=20, contingency=CONTINGENCY)
        add_smart_action(more)
        plans.submit_plan(actor=org.sam, plan=more)
    assert queries() == few


def test_the_episode_page_and_the_closure_form_show_a_returned_closures_comment(client, org, child):

    episode = make_episode(child, org.sam)
    closing = {"reason": "RC7", "rationale": "Needs met", "childs_views": "I am fine now"}
    episodes.propose_closure(actor=org.sam, episode=episode, **closing)
    episodes.return_closure(actor=org.tess, episode=episode, reason="Ask the school first")
    ids = {"person_id": child.pk, "episode_id": episode.pk}
    assert "Ask the school first" in page(client, org.sam, reverse("casework:episode", kwargs=ids)).content.decode()
    form = page(client, org.sam, reverse("casework:propose_closure", kwargs=ids)).content.decode()
    assert "Ask the school first" in form and "Your answer to the manager’s comment" in form
