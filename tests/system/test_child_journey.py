"""A child's journey in the browser, from referral to closure, checking the due dates shown at every step.

Lily is referred by her school, assessed, discussed with the police and health, enquired into under section 47,
conferenced onto a child protection plan with a SMART action, visited, reviewed, taken off the plan at a later
review conference and stepped down to early help, closed by her worker and signed off by a manager. Everything is
done through the pages by Sam (her social worker), Tess (his team manager) and Chris (the conference chair); only
the people themselves exist beforehand.

The clock is frozen on each day the story happens (time_machine also stops it for the live server's thread), so
each record is made "today" and every due date, and whether it is on time, is the same on every run. Each expected
due date is worked out by hand in a comment from the statutory rule (casefile/rules/clocks.py; working days skip
weekends and England and Wales bank holidays, and the day of the event is day 0). The dates are chosen to cross
Easter, both May bank holidays and Christmas, so the working-day arithmetic is really exercised.
"""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casefile import testing
from casefile.audit.models import Action, AuditEvent
from casefile.people.models import Person, Relationship
from tests.system.accessibility import assert_accessible
from tests.system.journey_steps import (
    add_outcome_with_action,
    authorise_assessment,
    choose,
    complete_assessment,
    due,
    expect_heading,
    fill_conference,
    find_and_open,
    follow,
    go_to,
    it_is,
    mark_progress,
    next_step_on_episode,
    next_steps,
    open_current_episode,
    open_from_my_work,
    open_plan,
    plan_due,
    record_core_group,
    record_enquiry_outcome,
    record_referral,
    record_referral_decision,
    record_strategy_discussion,
    record_visit,
    running,
    sign_off_closure,
    signed_in_as,
    start_assessment,
    start_conference,
    step_down_to_early_help,
    submit,
    submit_assessment,
    write,
)

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

date = datetime.date

# The days the story happens.
REFERRAL = date(2025, 4, 17)  # Thursday before Good Friday
DECISION = date(2025, 4, 22)  # Tuesday after Easter Monday
ASSESSMENT_STARTED = date(2025, 4, 23)
ASSESSMENT_SUBMITTED = date(2025, 4, 29)
ASSESSMENT_AUTHORISED = date(2025, 4, 30)
STRATEGY_DISCUSSION = date(2025, 5, 2)  # Friday before the early May bank holiday
ENQUIRY_OUTCOME = date(2025, 5, 16)
ICPC = date(2025, 5, 22)  # Thursday before the spring bank holiday
FIRST_VISIT = date(2025, 5, 23)
CORE_GROUP = date(2025, 6, 2)  # and a visit where Lily was not seen
FIRST_REVIEW = date(2025, 8, 20)
CHRISTMAS_VISIT = date(2025, 12, 23)
LAST_REVIEW = date(2026, 1, 8)  # ends the plan
STEP_DOWN = date(2026, 1, 12)
SIGN_OFF = date(2026, 1, 13)

LILY = "Lily Hartley"
# The rows of the conference form: Lily, then the people recorded as related to her.
INVITEES = {"Lily Hartley (the child)": False, "Dawn Hartley (parent)": True, "Lee Hartley (parent)": True}
ACTION = "Walk Lily to school by 8:45am every school day"


def lily_and_her_parents(org) -> Person:
    """The only records made directly: Lily, her mother and father, and Lily's allocation to Sam."""
    lily = testing.make_child()
    for first_name, sex, born in (("Dawn", "F", date(1988, 2, 3)), ("Lee", "M", date(1985, 9, 30))):
        parent = testing.make_adult(first_name, sex=sex, date_of_birth=born)
        Relationship.objects.create(person=parent, relative=lily, kind=Relationship.Kind.PARENT,
                                    parental_responsibility=True)
    testing.allocate(lily, org.sam, allocated_by=org.tess)
    return lily


def test_a_child_goes_from_referral_to_closure_with_the_due_dates_shown_at_each_step(page, live_server,
                                                                                      time_machine):
    page.set_default_timeout(10_000)  # a missing field fails in seconds, not half a minute
    it_is(time_machine, REFERRAL)
    org = testing.make_org()
    lily = lily_and_her_parents(org)
    record = reverse("people:record", kwargs={"person_id": lily.pk})

    # Thursday 17 April 2025: the school rings; Sam records the referral. ----------------------------------------
    signed_in_as(page, "sam")
    open_from_my_work(page, LILY)
    expect(page.get_by_role("region", name="Next steps")).to_contain_text(
        "No statutory timescales are running for Lily.")
    record_referral(page, received=REFERRAL, source="Schools (2A)", referrer="Ms Amir, designated safeguarding lead",
                    about="Lily arrives hungry and unwashed most days.")
    expect_heading(page, "Episode from 17 April 2025")
    assert next_step_on_episode(page) == "Record the referral decision"
    assert_accessible(page, "Episode page")

    go_to(page, record)
    steps = next_steps(page)
    # Decision within 1 working day: the day after Thursday 17 April is Good Friday (18th), then the weekend and
    # Easter Monday (21st), so the first working day after the referral is Tuesday 22 April.
    assert due(steps, "Decide what happens next with the referral").due == "22 April 2025"
    # Assessment within 45 working days of the referral: 22 April (1) to 2 May (9); 5 May is a bank holiday;
    # 6 May to 23 May (23); 26 May is a bank holiday; 27 May to 20 June (42); 23, 24, 25 June (45).
    assert due(steps, "Complete the assessment (45 working days from the referral)").due == "25 June 2025"
    assert_accessible(page, "Record page with next steps")
    go_to(page, reverse("core:my_work"))
    expect(page.get_by_role("row").filter(has_text=LILY)).to_contain_text(
        "Decide what happens next with the referral: due 22 April 2025 (1 working day left)")

    # Tuesday 22 April 2025: Tess decides on further action, on the last day allowed. --------------------------
    it_is(time_machine, DECISION)
    signed_in_as(page, "tess")
    open_from_my_work(page, LILY)
    open_current_episode(page)
    follow(page, "Record the referral decision")
    expect(page.locator("main")).to_contain_text(
        "Working Together expects the decision within 1 working day of the referral: by 22 April 2025.")
    assert_accessible(page, "Referral decision form")
    record_referral_decision(page, decided=DECISION, primary_need="Abuse or neglect (N1)")
    assert next_step_on_episode(page) == "Start the single assessment"
    go_to(page, record)
    steps = next_steps(page)
    assert running(steps) == ["Complete the assessment (45 working days from the referral)"]  # decision made in time
    assert due(steps, "Complete the assessment (45 working days from the referral)").status.startswith("On time")

    # Wednesday 23 April 2025: Sam starts the assessment. --------------------------------------------------------
    it_is(time_machine, ASSESSMENT_STARTED)
    signed_in_as(page, "sam")
    open_from_my_work(page, LILY)
    open_current_episode(page)
    follow(page, "Start the single assessment")
    start_assessment(page, started=ASSESSMENT_STARTED)
    assert_accessible(page, "Assessment task list")
    go_to(page, record)
    steps = next_steps(page)
    assert due(steps, "Complete the assessment (45 working days from the referral)").due == "25 June 2025"
    # The census clock counts 45 working days from the start, Wednesday 23 April: 24 April (1) to 2 May (7);
    # 6 May to 23 May (21); 27 May to 20 June (40); 23 to 27 June (45).
    assert due(steps, "Complete and authorise the assessment (45 working days from its start)").due == "27 June 2025"

    # Tuesday 29 April 2025: Sam completes every section and submits it. ----------------------------------------
    it_is(time_machine, ASSESSMENT_SUBMITTED)
    signed_in_as(page, "sam")
    open_from_my_work(page, LILY)
    open_current_episode(page)
    follow(page, "Complete the single assessment and submit it for authorisation")
    complete_assessment(page, child_seen_on=ASSESSMENT_STARTED,
                        adults={"Dawn Hartley": ASSESSMENT_STARTED, "Lee Hartley": date(2025, 4, 26)})
    submit_assessment(page)

    # Wednesday 30 April 2025: Tess authorises it; both assessment clocks are met, so they leave the record. ------
    it_is(time_machine, ASSESSMENT_AUTHORISED)
    signed_in_as(page, "tess")
    open_from_my_work(page, LILY)
    open_current_episode(page)
    follow(page, "A manager authorises the assessment")
    authorise_assessment(page, authorised=ASSESSMENT_AUTHORISED)
    go_to(page, record)
    assert running(next_steps(page)) == []

    # Friday 2 May 2025: the strategy discussion with the police and health decides on section 47 enquiries. -----
    it_is(time_machine, STRATEGY_DISCUSSION)
    signed_in_as(page, "sam")
    open_from_my_work(page, LILY)
    open_current_episode(page)
    follow(page, "Record the strategy discussion")
    assert_accessible(page, "Strategy discussion form")
    record_strategy_discussion(page, held=STRATEGY_DISCUSSION, chair="Tess Manager (team manager)", agencies={
        "Children's social care": ("Sam Worker", "Social worker", "The assessment and Lily's own words."),
        "Police": ("DC Reid", "Public protection unit", "Two call-outs to the home for a disturbance."),
        "Health": ("Jo Patel", "School nurse", "Lily's weight has dropped below the 9th centile."),
    }, decision="Start section 47 enquiries")
    expect_heading(page, "Strategy discussion on 2 May 2025")
    follow(page, "The section 47 enquiry this discussion started")
    # Initial conference within 15 working days of the strategy discussion, Friday 2 May: 5 May is a bank
    # holiday; 6 May to 23 May (14); 26 May is a bank holiday; Tuesday 27 May (15).
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "Initial child protection conference due by 27 May 2025")
    assert_accessible(page, "Section 47 enquiry")
    go_to(page, record)
    assert due(next_steps(page), "Hold the initial child protection conference").due == "27 May 2025"

    # Friday 16 May 2025: the enquiry finds Lily at continuing risk. --------------------------------------------
    it_is(time_machine, ENQUIRY_OUTCOME)
    signed_in_as(page, "sam")
    open_from_my_work(page, LILY)
    open_current_episode(page)
    follow(page, "Record the outcome of the section 47 enquiry")
    record_enquiry_outcome(page, outcome="Substantiated and at continuing risk: convene an ICPC", on=ENQUIRY_OUTCOME)
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "Initial child protection conference due by 27 May 2025")
    follow(page, "Back to the episode")
    enquiries = page.get_by_role("table", name="Section 47 enquiries in this episode")
    expect(enquiries.get_by_role("row").filter(has_text="Substantiated and at continuing risk")).to_contain_text(
        "Due by 27 May 2025")

    # Thursday 22 May 2025: the initial conference, chaired by Chris, puts Lily on a child protection plan. -------
    it_is(time_machine, ICPC)
    signed_in_as(page, "sam")
    open_from_my_work(page, LILY)
    start_conference(page, "Initial child protection conference")
    expect_heading(page, "Record an initial child protection conference")
    choose(page, "Which section 47 enquiry led to this conference?",
           "Section 47 enquiry started on 2 May 2025, outcome recorded on 16 May 2025")
    fill_conference(page, held=ICPC, chair="Chris Chair", came=INVITEES,
                    views="Lily's advocate read out her letter.",
                    decision="Child protection plan (started or continued)", category="Neglect (NEG)")
    write(page, "Contingency in the outline plan",
          "If Lily misses school two days running, Sam Worker visits that day and calls a core group.")
    assert_accessible(page, "Initial conference form, filled in")
    submit(page, "Save the conference")
    expect_heading(page, "Initial child protection conference on 22 May 2025")
    open_plan(page)
    expect(page.locator("main")).to_contain_text("If Lily misses school two days running")
    due_on_plan = plan_due(page)
    # First core group within 10 working days of the conference, Thursday 22 May: 23 May (1); 26 May is a bank
    # holiday; 27 May to 30 May (5); 2 June to 6 June (10).
    assert due(due_on_plan, "Hold the first core group meeting").due == "6 June 2025"
    # First review conference within 3 months of the initial conference: a calendar date, 22 August.
    assert due(due_on_plan, "Hold the first review child protection conference").due == "22 August 2025"
    # Visits at least every 10 working days, counted from the plan's start until the first visit: 6 June too.
    assert due(due_on_plan, "Visit the child (child protection plan)").due == "6 June 2025"
    go_to(page, record)
    # The initial conference was held in time, so its clock has gone: only the plan's are running.
    assert sorted(running(next_steps(page))) == ["Hold the first core group meeting",
                                                 "Hold the first review child protection conference",
                                                 "Visit the child (child protection plan)"]

    # Friday 23 May 2025: Sam adds a SMART outcome and action, and visits Lily. ---------------------------------
    it_is(time_machine, FIRST_VISIT)
    signed_in_as(page, "sam")
    open_from_my_work(page, LILY)
    follow(page, "Plans, conferences and visits")
    follow(page, "Child protection plan")
    add_outcome_with_action(page, outcome="Lily goes to school every day, clean and having had breakfast",
                            action=ACTION, owner="Dawn Hartley (mother)", by=date(2025, 7, 18),
                            measure="The school register shows Lily in school by 9am every day")
    expect(page.locator("main")).to_contain_text(ACTION)
    expect(page.get_by_text("may not be SMART")).to_have_count(0)
    assert_accessible(page, "Child protection plan")
    record_visit(page, on=FIRST_VISIT, seen=True, words="I had toast with mum before school.")
    # The next visit is due 10 working days after Friday 23 May, when Lily was seen: 26 May is a bank holiday;
    # 27 May to 30 May (4); 2 June to 6 June (9); Monday 9 June (10).
    assert due(plan_due(page), "Visit the child (child protection plan)").due == "9 June 2025"

    # Monday 2 June 2025: the first core group; and a visit where Lily was out, which does not restart the clock.
    it_is(time_machine, CORE_GROUP)
    signed_in_as(page, "sam")
    open_from_my_work(page, LILY)
    follow(page, "Plans, conferences and visits")
    follow(page, "Child protection plan")
    record_core_group(page, on=CORE_GROUP, attendees="Sam Worker (social worker)\nDawn Hartley (mother)\n"
                                                     "Ms Amir (school)\nJo Patel (school nurse)")
    record_visit(page, on=CORE_GROUP, seen=False, not_seen_reason="Lily was at her grandmother's; I will go back "
                                                                  "on Thursday.")
    due_on_plan = plan_due(page)
    assert "Hold the first core group meeting" not in running(due_on_plan)  # held in time
    assert due(due_on_plan, "Visit the child (child protection plan)").due == "9 June 2025"
    go_to(page, record)
    assert due(next_steps(page), "Visit the child (child protection plan)").due == "9 June 2025"

    # Wednesday 20 August 2025: Chris chairs and records the first review conference; the plan continues. -------
    it_is(time_machine, FIRST_REVIEW)
    signed_in_as(page, "chris")
    find_and_open(page, LILY)
    start_conference(page, "Review child protection conference")
    expect_heading(page, "Record a review child protection conference")
    fill_conference(page, held=FIRST_REVIEW, chair="Chris Chair", came=INVITEES,
                    views="Lily came for the first part and said school is better.",
                    decision="Child protection plan (started or continued)", category="Neglect (NEG)")
    mark_progress(page, action=ACTION, status="Partly done", evidence="Attendance 88% since the plan started.")
    submit(page, "Save the conference")
    expect_heading(page, "Review child protection conference on 20 August 2025")
    open_plan(page)
    due_on_plan = plan_due(page)
    # Each later review within 6 months of the previous one: 20 August 2025 + 6 months, a calendar date.
    assert due(due_on_plan, "Hold the next review child protection conference").due == "20 February 2026"
    assert "Hold the first review child protection conference" not in running(due_on_plan)  # held in time
    # No visit where Lily was seen has been recorded since 23 May: the page says so.
    visit = due(due_on_plan, "Visit the child (child protection plan)")
    assert (visit.due, visit.status.split()[0]) == ("9 June 2025", "Overdue")

    # Tuesday 23 December 2025: a visit just before Christmas. -------------------------------------------------
    it_is(time_machine, CHRISTMAS_VISIT)
    signed_in_as(page, "sam")
    open_from_my_work(page, LILY)
    follow(page, "Plans, conferences and visits")
    follow(page, "Child protection plan")
    record_visit(page, on=CHRISTMAS_VISIT, seen=True, words="Father Christmas is coming to school tomorrow!")
    # 10 working days after Tuesday 23 December: 24 December (1); Christmas Day and Boxing Day are bank holidays;
    # 29 to 31 December (4); New Year's Day is a bank holiday; 2 January (5); 5 to 9 January 2026 (10).
    due_on_plan = plan_due(page)
    assert due(due_on_plan, "Visit the child (child protection plan)").due == "9 January 2026"
    assert any(row.what == "Visit the child (child protection plan)" and row.status.startswith("Done late")
               for row in due_on_plan)  # the clock from 23 May, met late today, stays in sight for 28 days
    go_to(page, record)
    steps = next_steps(page)
    assert due(steps, "Visit the child (child protection plan)").due == "9 January 2026"
    assert due(steps, "Hold the next review child protection conference").due == "20 February 2026"

    # Thursday 8 January 2026: the next review conference ends the plan. --------------------------------------
    it_is(time_machine, LAST_REVIEW)
    signed_in_as(page, "chris")
    find_and_open(page, LILY)
    start_conference(page, "Review child protection conference")
    fill_conference(page, held=LAST_REVIEW, chair="Chris Chair", came=INVITEES,
                    views="Lily wrote: I want Sam to stop coming because things are good now.",
                    decision="End the child protection plan")
    mark_progress(page, action=ACTION, status="Done", evidence="Attendance 98% this term; always on time.")
    submit(page, "Save the conference")
    open_plan(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ended")
    expect(page.locator("main")).to_contain_text("8 January 2026, at the review conference")
    assert running(plan_due(page)) == []  # every clock of the plan stops when it ends
    go_to(page, record)
    assert running(next_steps(page)) == []

    # Monday 12 January 2026: Sam steps Lily down to early help, which proposes closing the case (RC9). ---------
    it_is(time_machine, STEP_DOWN)
    signed_in_as(page, "sam")
    open_from_my_work(page, LILY)
    open_current_episode(page)
    step_down_to_early_help(page, provider="Family Hub North")
    expect(page.locator("main")).to_contain_text("Case closed after assessment, referred to early help (RC9)")
    assert next_step_on_episode(page) == "A manager signs off the closure"
    expect(page.locator(".govuk-inset-text")).to_contain_text("Proposed by Sam Worker")

    # Tuesday 13 January 2026: Tess signs the closure off. ------------------------------------------------------
    it_is(time_machine, SIGN_OFF)
    signed_in_as(page, "tess")
    open_from_my_work(page, LILY)
    open_current_episode(page)
    sign_off_closure(page, on=SIGN_OFF)
    expect(page.locator("main")).to_contain_text("Closed on 13 January 2026")
    expect(page.locator(".govuk-summary-list__row").filter(has_text="Signed off by")).to_contain_text(
        "Tess Manager on 13 January 2026")
    go_to(page, record)
    expect(page.get_by_role("region", name="Casework")).to_contain_text(
        "No open episode. The last closed on 13 January 2026.")
    assert running(next_steps(page)) == []

    # The chronology tells the story, newest first. ------------------------------------------------------------
    follow(page, "See the chronology of what has been recorded about Lily")
    assert_accessible(page, "Chronology")
    events = [(row.locator("th").inner_text().strip(), row.locator("td").first.locator("p").first.inner_text().strip())
              for row in page.locator("main table tbody tr").all()]
    key_events = [
        ("17 April 2025", "Referral received"),
        ("22 April 2025", "Referral decision: further work with the child and family"),
        ("23 April 2025", "Assessment started"),
        ("30 April 2025", "Assessment completed and authorised"),
        ("2 May 2025", "Strategy discussion"),
        ("2 May 2025", "Section 47 enquiry started"),
        ("16 May 2025", "Section 47 enquiry outcome"),
        ("22 May 2025", "Initial child protection conference"),
        ("22 May 2025", "Child protection plan started"),
        ("23 May 2025", "Child protection visit"),
        ("2 June 2025", "Core group meeting"),
        ("20 August 2025", "Review child protection conference"),
        ("20 August 2025", "Child protection plan reviewed"),
        ("23 December 2025", "Child protection visit"),
        ("8 January 2026", "Review child protection conference"),
        ("8 January 2026", "Child protection plan ended"),
        ("12 January 2026", "Step down to early help"),
        ("13 January 2026", "Case closed"),
    ]
    missing = [event for event in key_events if event not in events]
    assert not missing, f"the chronology lacks {missing}; it shows {events}"
    days = [datetime.datetime.strptime(when.split(" at ")[0], "%d %B %Y").date() for when, _ in events]
    assert days == sorted(days, reverse=True), f"not newest first: {events}"

    # Every time Sam opened Lily's record it was written down, and a manager can see it. ----------------------
    follow(page, "Back to the record")
    follow(page, "Who has viewed this record")
    expect(page.get_by_role("row").filter(has_text="Sam Worker").filter(has_text="Viewed").first).to_be_visible()
    sams_views = AuditEvent.objects.filter(action=Action.VIEW, actor=org.sam, child=lily)
    sams_days = {REFERRAL, ASSESSMENT_STARTED, ASSESSMENT_SUBMITTED, STRATEGY_DISCUSSION, ENQUIRY_OUTCOME, ICPC,
                 FIRST_VISIT, CORE_GROUP, CHRISTMAS_VISIT, STEP_DOWN}
    assert {event.occurred_at.astimezone(datetime.UTC).date() for event in sams_views} == sams_days
