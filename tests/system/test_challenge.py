"""A conference chair raises a practice concern on a child's case and moves it to stage 1 with its deadline in
working days; the team manager sees it on My work and the team page, and responds; the chair records how it was
resolved, and the counts go back to none; the concern, the stage, the response and the resolution are in the
child's chronology. The chair also grades an agency's report to the conference. axe runs on every page on the way,
each form also with its errors."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casefile.casework.models import Agency, ConferenceReport
from casefile.casework.testing import make_journey
from tests.system.journey_steps import choose, fill_date, follow, go_to, it_is, signed_in_as, submit, write
from tests.system.test_accessibility import Pages
from tests.system.test_supervision import send_empty

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

RAISED = datetime.date(2025, 5, 12)  # a Monday: the informal stage's 5 working days end on Monday 19 May
ESCALATED = datetime.date(2025, 5, 20)  # the informal stage unanswered and past its deadline
ANSWERED = datetime.date(2025, 5, 27)
RESOLVED = datetime.date(2025, 5, 28)
# Stage 1 allows 5 working days from the day it starts: 21 to 23 May, then (after the spring bank holiday on
# Monday 26 May) 27 and 28 May.
STAGE_1_DUE = "28 May 2025"
CONCERN = "No core group has met since the plan started eight weeks ago"
ASKED_FOR = "Hold a core group within 10 working days and send the chair its notes"
RESPONSE = "A core group is booked for 3 June; the notes will go to the chair the same week"
RESOLUTION = "The core group met on 3 June and its notes reached the chair"


def oversight_counts(page, team_id: int) -> tuple[str, str]:
    """The manager's open escalations line on My work, and on the team page."""
    go_to(page, "/")
    my_work = page.locator("#oversight-summary").inner_text()
    go_to(page, reverse("accounts:team", kwargs={"team_id": team_id}))
    return my_work, page.locator("#team-escalations").inner_text()


def test_a_chairs_concern_is_escalated_answered_and_resolved_on_the_record(page, live_server, org, child,
                                                                           time_machine):
    journey = make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)
    ConferenceReport.objects.create(conference=journey.conference, agency=Agency.POLICE, received=True,
                                    received_on=journey.conference.date, shared_with_parents=True)
    concerns = reverse("oversight:escalations", kwargs={"person_id": child.pk})
    pages = Pages(page)

    # The chair raises the concern from Lily's record.
    it_is(time_machine, RAISED)
    signed_in_as(page, "chris")
    go_to(page, reverse("people:record", kwargs={"person_id": child.pk}))
    follow(page, "Practice concerns raised by conference chairs and IROs")
    pages.check("A child's practice concerns, none yet")
    follow(page, "Raise a practice concern")
    pages.check("Raise a practice concern")
    send_empty(page, pages, "Raise a practice concern, with errors", "Raise the concern")
    write(page, "What are you worried about?", CONCERN)
    write(page, "What are you asking for?", ASKED_FOR)
    submit(page, "Raise the concern")
    concern_url = page.url
    assert "Informal stage" in page.locator("main").inner_text()
    pages.check("A practice concern at the informal stage")

    # Unanswered past its deadline, it moves to stage 1, the team manager; passing a stage over needs a reason.
    it_is(time_machine, ESCALATED)
    signed_in_as(page, "chris")  # days later: a new sign-in
    go_to(page, concern_url)
    follow(page, "Move to another stage")
    pages.check("Move a concern to another stage")
    choose(page, "Which stage should the concern move to?", "Stage 2: service manager")
    page.get_by_role("button", name="Move the concern").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "without a reason" in page.locator(".govuk-error-summary").inner_text()
    pages.check("Move a concern to another stage, with errors")
    choose(page, "Which stage should the concern move to?", "Stage 1: team manager")
    submit(page, "Move the concern")
    stage_1 = page.locator("main").inner_text().split("Stage 1: team manager", 1)[1]
    assert f"Response due\n{STAGE_1_DUE}" in stage_1 or f"Response due\t{STAGE_1_DUE}" in stage_1, stage_1
    pages.check("A practice concern at stage 1, with its deadline")
    go_to(page, reverse("oversight:open_escalations"))
    row = page.get_by_role("table").locator("tbody tr", has_text="Lily Hartley")
    assert STAGE_1_DUE in row.inner_text() and "Stage 1: team manager" in row.inner_text()
    pages.check("Open escalations, as the chair")

    # The team manager sees it on My work and the team page, and on their open escalations.
    signed_in_as(page, "tess")
    my_work, team = oversight_counts(page, org.assessment.pk)
    assert "1 open escalation, 0 overdue" in my_work and "1 open escalation from" in team, (my_work, team)
    pages.check("Team page with an open escalation")
    go_to(page, "/")
    pages.check("My work, a team manager with an open escalation")
    follow(page, "Open escalations")
    pages.check("Open escalations, as the team manager")

    # The team manager answers on the Tuesday after the bank holiday.
    it_is(time_machine, ANSWERED)
    signed_in_as(page, "tess")
    go_to(page, reverse("oversight:open_escalations"))
    follow(page, "Lily Hartley", within=page.get_by_role("table"))
    follow(page, "Respond to the concern")
    pages.check("Respond to a concern")
    send_empty(page, pages, "Respond to a concern, with errors", "Save the response")
    write(page, "Response", RESPONSE)
    fill_date(page, "Date of the response", ANSWERED)
    submit(page, "Save the response")
    assert RESPONSE in page.locator("main").inner_text()
    pages.check("A practice concern answered at stage 1")

    # The chair records how it was resolved: the manager's counts go back to none.
    it_is(time_machine, RESOLVED)
    signed_in_as(page, "chris")
    go_to(page, concern_url)
    follow(page, "Record the resolution")
    pages.check("Record how a concern was resolved")
    send_empty(page, pages, "Record how a concern was resolved, with errors", "Save the resolution")
    write(page, "How was the concern resolved?", RESOLUTION)
    submit(page, "Save the resolution")
    assert RESOLUTION in page.locator("main").inner_text()
    pages.check("A resolved practice concern")
    go_to(page, concerns)
    pages.check("A child's practice concerns, one resolved")
    go_to(page, "/")
    pages.check("My work, a chair")
    signed_in_as(page, "tess")
    my_work, team = oversight_counts(page, org.assessment.pk)
    assert "0 open escalations, 0 overdue" in my_work and "0 open escalations from" in team, (my_work, team)

    # Every step is in Lily's chronology, by who took it.
    go_to(page, reverse("people:chronology", kwargs={"person_id": child.pk}))
    chronology = page.locator("main")
    for title, said, day in (("Practice concern raised", CONCERN, "12 May 2025"),
                             ("Practice concern escalated: Stage 1: team manager", "Chris Chair", "20 May 2025"),
                             ("Response to a practice concern (stage 1: team manager)", RESPONSE, "27 May 2025"),
                             ("Practice concern resolved", RESOLUTION, "28 May 2025")):
        row = chronology.locator("tr", has_text=title)
        assert row.count() == 1, f"{title} not in the chronology once"
        assert said in row.inner_text() and day in row.inner_text(), row.inner_text()

    # The chair grades the police report to the conference.
    signed_in_as(page, "chris")
    go_to(page, reverse("casework:conference", kwargs={"person_id": child.pk, "conference_id": journey.conference.pk}))
    follow(page, "The chair’s feedback on the quality of each report")
    pages.check("Reports to a conference")
    follow(page, "Give feedback on the Police report")
    pages.check("Feedback on an agency's report")
    send_empty(page, pages, "Feedback on an agency's report, with errors", "Save the feedback")
    choose(page, "How good was the report?", "Adequate")
    write(page, "Comment", "On time and shared with Dawn, but it did not analyse the two call-outs")
    submit(page, "Save the feedback")
    assert "Adequate" in page.get_by_role("table").inner_text()
    pages.check("Reports to a conference, one graded")

    assert not pages.failures, "\n\n".join(pages.failures)
    assert len(pages.checked) == 23
