"""Steps for the child's journey in the browser, done as a social worker, manager or chair does them: through the
pages, finding every field by the words on the page. tests/system/test_child_journey.py reads as the story.

Each step that sends a form waits for the next page and fails, quoting the error summary, if the page refused it,
so a broken step says what went wrong rather than timing out later.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

from tests.system.browser import sign_in

LONDON = ZoneInfo("Europe/London")


# The day and who is at the keyboard ---------------------------------------------------------------------------


def it_is(time_machine, day: datetime.date) -> None:
    """Freeze the clock at half past nine on `day`, London time: the server (and its live-server thread) then
    takes `day` as today, for "not in the future" checks, dates recorded as today and every due date's status."""
    time_machine.move_to(datetime.datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON), tick=False)


def signed_in_as(page: Page, username: str) -> None:
    """A fresh sign-in: yesterday's session has long passed the idle timeout, and another user may be signed in."""
    page.context.clear_cookies()
    sign_in(page, username)


# Forms ---------------------------------------------------------------------------------------------------------


def fill_date(scope: Page | Locator, question: str, day: datetime.date) -> None:
    """A GOV.UK date input: the question is the fieldset's legend; its boxes are Day, Month and Year."""
    group = scope.get_by_role("group", name=question, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def choose(scope: Page | Locator, question: str, answer: str) -> None:
    """Pick one radio answer to a question (the fieldset's legend)."""
    scope.get_by_role("group", name=question, exact=True).get_by_role("radio", name=answer, exact=True).check()


def select(scope: Page | Locator, question: str, option: str) -> None:
    scope.get_by_label(question, exact=True).select_option(label=option)


def write(scope: Page | Locator, question: str, text: str) -> None:
    scope.get_by_label(question, exact=True).fill(text)


def submit(page: Page, button: str) -> None:
    """Press the form's button, wait for the page that answers, and fail with the page's own words if it refused."""
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name=button, exact=True).click()
    errors = page.locator(".govuk-error-summary")
    if errors.count():
        raise AssertionError(f"{page.url} refused '{button}':\n{errors.inner_text()}")


def follow(page: Page, link: str, *, within: Locator | None = None) -> None:
    """Click a link (or a button that is a link) and wait for the page it opens."""
    scope = within or page
    target = scope.get_by_role("link", name=link, exact=True).or_(scope.get_by_role("button", name=link, exact=True))
    with page.expect_navigation(wait_until="domcontentloaded"):
        target.first.click()


def go_to(page: Page, url: str) -> None:
    """Open a page by its address, as from a bookmark (the record, between steps)."""
    page.goto(url, wait_until="domcontentloaded")


def expect_heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


# Due dates as the pages show them ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One row of a table of due dates (the record's "Next steps", the plan's "What is due")."""

    what: str
    since: str  # the hint under it: "From: referral received, 17 April 2025"
    due: str
    status: str

    @property
    def is_open(self) -> bool:
        return not self.status.startswith("Done")


def _rows(table: Locator) -> list[Shown]:
    shown = []
    for row in table.locator("tbody tr").all():
        what, due, status = (cell.inner_text().strip() for cell in row.get_by_role("cell").all()[:3])
        title, _, since = what.partition("\n")
        shown.append(Shown(title.strip(), since.strip(), due, " ".join(status.split())))
    return shown


def next_steps(page: Page) -> list[Shown]:
    """The record page's "Next steps": every clock running for the child, and any missed recently."""
    return _rows(page.get_by_role("region", name="Next steps"))


def plan_due(page: Page) -> list[Shown]:
    """The plan page's "What is due"."""
    return _rows(page.locator("#plan-deadlines"))


def due(rows: list[Shown], what: str) -> Shown:
    """The one running clock for `what`; a clock met late recently may stand beside it, done."""
    running = [row for row in rows if row.what == what and row.is_open]
    assert len(running) == 1, f"expected one running '{what}', got {running} among {rows}"
    return running[0]


def running(rows: list[Shown]) -> list[str]:
    return [row.what for row in rows if row.is_open]


# Finding the child ---------------------------------------------------------------------------------------------


def open_from_my_work(page: Page, name: str) -> None:
    """From "My work" (where signing in lands), open the child's record."""
    expect_heading(page, "My work")
    follow(page, name, within=page.get_by_role("table").filter(has_text=name).first)
    expect_heading(page, name)


def find_and_open(page: Page, name: str) -> None:
    """Search by name from "Find a person", then open the record."""
    follow(page, "Find a person")
    write(page, "Name", name)
    submit(page, "Search")
    follow(page, name, within=page.locator("main"))
    expect_heading(page, name)


def open_current_episode(page: Page) -> None:
    """From the record, the current episode."""
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("region", name="Casework").get_by_role("link", name="Current episode").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Episode from")


def next_step_on_episode(page: Page) -> str:
    inset = page.locator(".govuk-inset-text").filter(has_text="Next step")
    return inset.get_by_role("link").inner_text().strip()


# The referral ---------------------------------------------------------------------------------------------------


def record_referral(page: Page, *, received: datetime.date, source: str, referrer: str, about: str) -> None:
    follow(page, "Record a referral", within=page.get_by_role("region", name="Casework"))
    expect_heading(page, "Record a referral")
    fill_date(page, "Date the referral was received", received)
    select(page, "Who made the referral?", source)
    write(page, "Name of the referrer (optional)", referrer)
    write(page, "What the referral is about (optional)", about)
    submit(page, "Record the referral")


def record_referral_decision(page: Page, *, decided: datetime.date, primary_need: str) -> None:
    """On the decision page, which says when the decision is due. The manager deciding is chosen for them."""
    fill_date(page, "Date of the decision", decided)
    choose(page, "What was decided?", "Further action: the child’s needs will be assessed")
    select(page, "The child’s primary need", primary_need)
    submit(page, "Save the decision")


# The single assessment ------------------------------------------------------------------------------------------


def start_assessment(page: Page, *, started: datetime.date) -> None:
    fill_date(page, "Date the assessment started", started)
    submit(page, "Start the assessment")
    expect_heading(page, "Single assessment")


def _section(page: Page, title: str) -> None:
    follow(page, title, within=page.locator(".govuk-task-list"))
    expect_heading(page, title)


def _save_section(page: Page) -> None:
    submit(page, "Save and return to the assessment")
    expect_heading(page, "Single assessment")


def complete_assessment(page: Page, *, child_seen_on: datetime.date, adults: dict[str, datetime.date]) -> None:
    """Every section of the task list, in order. `adults`: each parent's name and the day the worker saw them."""
    _section(page, "The child seen")
    choose(page, "Was the child seen during the assessment?", "Yes")
    fill_date(page, "Date the child was seen (if they were)", child_seen_on)
    choose(page, "Was the child seen alone?", "Yes")
    _save_section(page)

    _section(page, "The child’s views and lived experience")
    choose(page, "How did you hear the child?",
           "Direct work (for example drawings, three houses, wishes and feelings tools)")
    write(page, "The child’s views and lived experience",
          "Lily says she is hungry when she gets to school and that mum sleeps a lot in the day.")
    _save_section(page)

    _section(page, "Family history and previous involvement")
    write(page, "Family history", "Lily lives with her mother Dawn; her father Lee visits at weekends.")
    write(page, "Previous involvement with services", "A referral from the school in 2023 led to early help.")
    _save_section(page)

    _section(page, "Parents and significant adults")
    for name, seen_on in adults.items():
        follow(page, f"Add {name} to the assessment")
        expect_heading(page, f"{name} in the assessment")
        choose(page, "Did you see them during the assessment?", "Yes")
        fill_date(page, "Date you saw them (if you did)", seen_on)
        submit(page, "Save")
    expect(page.get_by_text("Everyone recorded as related to Lily is included.")).to_be_visible()
    follow(page, "Back to the assessment", within=page.locator("main"))

    _section(page, "Identity needs")
    write(page, "Identity needs", "White British; no religion. Lily speaks English at home and at school.")
    _save_section(page)

    _section(page, "Assessment factors")
    page.get_by_label("Neglect (16A)", exact=True).check()
    _save_section(page)

    _section(page, "Worries, what is working well and what needs to happen")
    write(page, "What are we worried about?", "Lily is often hungry and unwashed; her mother's drinking has grown.")
    write(page, "What is working well?", "Lily's father is willing to help, and her school keeps a close eye.")
    write(page, "What needs to happen?", "A strategy discussion with the police and health.")
    write(page, "On a scale of 0 to 10, how safe is the child?", "3")
    _save_section(page)

    _section(page, "Analysis and outcome")
    write(page, "Analysis", "Chronic neglect that is getting worse: Lily may be suffering significant harm.")
    choose(page, "Outcome of the assessment", "Strategy discussion (possible significant harm)")
    choose(page, "Does the child need a plan from children’s social care?", "Yes")
    _save_section(page)

    statuses = page.locator(".govuk-task-list__status").all_inner_texts()
    assert all(status.strip() == "Completed" for status in statuses), statuses


def submit_assessment(page: Page) -> None:
    follow(page, "Submit for authorisation")
    expect_heading(page, "Submit the assessment for authorisation")
    submit(page, "Submit for authorisation")
    expect(page.get_by_text("Waiting for authorisation")).to_be_visible()


def authorise_assessment(page: Page, *, authorised: datetime.date) -> None:
    expect_heading(page, "Authorise the assessment")
    fill_date(page, "Date of authorisation", authorised)
    submit(page, "Authorise")
    expect(page.locator("main").get_by_text("Authorised", exact=True)).to_be_visible()


# Strategy discussion and section 47 -----------------------------------------------------------------------------


def record_strategy_discussion(page: Page, *, held: datetime.date, chair: str, agencies: dict[str, tuple],
                               decision: str) -> None:
    """`agencies`: for each of children's social care, police and health, (name, role, what they shared)."""
    expect_heading(page, "Record a strategy discussion")
    choose(page, "Was it a discussion or a meeting?", "Strategy discussion")
    fill_date(page, "Date of the strategy discussion", held)
    select(page, "Who chaired it?", chair)
    write(page, "Why was a strategy discussion needed?", "The assessment found chronic neglect that is worsening.")
    for agency, (name, role, shared) in agencies.items():
        group = page.get_by_role("group", name=agency, exact=True)
        write(group, "Name", name)
        write(group, "Role (optional)", role)
        write(group, "What they shared", shared)
    choose(page, "What was decided?", decision)
    write(page, "Reasons for the decision", "Reasonable cause to suspect Lily is suffering significant harm.")
    submit(page, "Save the strategy discussion")


def record_enquiry_outcome(page: Page, *, outcome: str, on: datetime.date) -> None:
    expect_heading(page, "Outcome of the section 47 enquiry")
    choose(page, "Outcome of the section 47 enquiry", outcome)
    fill_date(page, "Date of the outcome", on)
    write(page, "Reasons for the outcome", "Neglect is substantiated and Lily remains at continuing risk.")
    submit(page, "Save the outcome")


# Conferences ---------------------------------------------------------------------------------------------------


def start_conference(page: Page, kind: str) -> None:
    """From the record: plans, conferences and visits, then the kind of conference."""
    follow(page, "Plans, conferences and visits")
    follow(page, "Record a conference", within=page.locator("main"))
    choose(page, "What kind of conference was it?", kind)
    submit(page, "Continue")


def fill_conference(page: Page, *, held: datetime.date, chair: str, came: dict[str, bool], views: str,
                    decision: str, category: str | None = None) -> None:
    """`came`: each invitee's heading on the form ("Dawn Hartley (parent)") and whether they came."""
    fill_date(page, "Date of the conference", held)
    select(page, "Who chaired the conference?", chair)
    for invitee, attended in came.items():
        name = invitee.split(" (")[0]  # each question names the person, for screen-reader users
        choose(page, f"Was {name} invited?", "Yes")
        choose(page, f"Did {name} come to the conference?", "Yes" if attended else "No")
    choose(page, "Was Lily offered an advocate?", "Yes")
    write(page, "How were Lily’s views brought to the conference?", views)
    choose(page, "What did the conference decide?", decision)
    if category:
        choose(page, "Category of abuse", category)


def mark_progress(page: Page, *, action: str, status: str, evidence: str) -> None:
    block = page.locator("div").filter(has=page.get_by_role("heading", name=action)).last
    choose(block, "How far has it been done?", status)
    write(block, "Evidence", evidence)


# The plan ------------------------------------------------------------------------------------------------------


def open_plan(page: Page) -> None:
    """From a conference page, the child protection plan it started, reviewed or ended."""
    follow(page, "child protection plan", within=page.locator("main"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Child protection plan")


def add_outcome_with_action(page: Page, *, outcome: str, action: str, owner: str, by: datetime.date,
                            measure: str) -> None:
    follow(page, "Add an outcome")
    write(page, "What will be different for the child?", outcome)
    submit(page, "Add the outcome")
    expect_heading(page, "Add an action")
    write(page, "What will be done?", action)
    write(page, "Who will do it?", owner)
    fill_date(page, "By when?", by)
    write(page, "How will everyone know it has been done?", measure)
    submit(page, "Add the action")


def record_visit(page: Page, *, on: datetime.date, seen: bool, words: str = "", not_seen_reason: str = "") -> None:
    """From the plan page: a child protection visit (the kind the form picks for a child on a plan)."""
    follow(page, "Record a visit", within=page.locator("main"))
    expect_heading(page, "Record a visit")
    fill_date(page, "Date of the visit", on)
    expect(page.get_by_role("radio", name="Child protection visit")).to_be_checked()
    if seen:
        choose(page, "Did you see Lily?", "Yes")
        choose(page, "Did you see Lily alone?", "Yes")
        choose(page, "Did you see Lily’s bedroom?", "Yes")
        choose(page, "How did you hear Lily?", "Talked with the child")
        write(page, "What did Lily say, in their own words?", words)
    else:
        choose(page, "Did you see Lily?", "No")
        write(page, "Why was Lily not seen?", not_seen_reason)
    submit(page, "Save the visit")


def record_core_group(page: Page, *, on: datetime.date, attendees: str) -> None:
    follow(page, "Record a core group meeting")
    fill_date(page, "Date of the core group", on)
    write(page, "Who came?", attendees)
    write(page, "What did the core group discuss?", "The plan's first actions, and how the school will report.")
    submit(page, "Save the core group")


# Closure -------------------------------------------------------------------------------------------------------


def step_down_to_early_help(page: Page, *, provider: str) -> None:
    follow(page, "Step down to early help", within=page.locator("main"))
    expect_heading(page, "Step down to early help")
    write(page, "Early help provider", provider)
    write(page, "Why the child is stepping down to early help", "The family hub will keep up the school mornings.")
    write(page, "Why the case can close", "The plan's outcomes are met: Lily is in school every day, fed and clean.")
    write(page, "The child’s views about stepping down", "Lily says: “I like it now. Mum gets up with me.”")
    submit(page, "Step down and close the case")


def sign_off_closure(page: Page, *, on: datetime.date) -> None:
    follow(page, "Sign off the closure")
    expect_heading(page, "Sign off the closure")
    fill_date(page, "Date of sign-off", on)
    submit(page, "Sign off and close the case")

