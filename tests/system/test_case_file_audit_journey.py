"""A case file audit followed through in the browser, from sampling to the impact measured at re-audit.

Quinn (quality assurance) draws a thematic sample of the Assessment Team's open cases and assigns Lily to herself;
she starts the audit from the children sampled to her (linked from My work), tries to complete it with one practice
area ungraded and is refused naming it, grades it, completes it and sets an action for Lily's social worker, Sam,
with the default due date four weeks on. She is told she may not moderate her own audit, and the re-audit waits
for the open action. Simon (service manager) moderates it blind and records the outcome agreed; Sam marks the
action done; Quinn re-audits the file, grades it better, and the re-audit (overall and by practice area), Lily's
list of audits and the impact report show the change in grade. Everything is done through the pages; only the
people, Lily and her record exist beforehand.

The clock is frozen on each day the story happens (time_machine also stops it for the live server's thread), so
every date shown is the same on every run. axe runs on every distinct page on the way, and on the grading form
refused.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casefile.casework.testing import make_journey
from casefile.quality.models import CaseFileAudit, Moderation
from casefile.testing import allocate, make_child
from tests.system.journey_steps import (
    choose,
    expect_heading,
    fill_date,
    follow,
    go_to,
    it_is,
    select,
    signed_in_as,
    submit,
    write,
)
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

date = datetime.date

# The days the story happens.
DRAWN = date(2026, 3, 2)  # a Monday: the round's audits are due by the end of the month
DUE_BY = date(2026, 3, 31)
AUDITED = date(2026, 3, 3)
MODERATED = date(2026, 3, 5)
ACTION_DONE = date(2026, 3, 20)
RE_AUDITED = date(2026, 3, 24)
# The action is due four weeks after the audit was completed unless the auditor says otherwise (quality/audits.py
# ACTION_DAYS = 28): 3 March 2026 + 28 days = 31 March 2026.
ACTION_DUE = "31 March 2026"

TOOL = "Team manager’s monthly audit"
# The monthly tool's practice areas, in order (migration quality/0004_shipped_audit_templates).
AREAS = ("Basic information", "Service response", "The relationship with the child",
         "Management oversight and supervision", "Recording")
RI = "Requires improvement to be good"  # Ofsted's words, as rules/audit_grades.py labels them
GOOD = "Good"
ACTION = "Record Lily’s views in her own words at every visit"


def grade_sections(page, grades: dict[str, str], *, moderator: bool = False) -> None:
    """Grade each practice area named, with a comment; on the audit's form, answer every question yes."""
    if not moderator:
        for group in page.locator("main .govuk-radios--inline").all():
            group.get_by_role("radio", name="Yes", exact=True).check()
    prefix = "Your grade for" if moderator else "Grade for"
    comment = "Your comment on" if moderator else "Comment on"
    for area, grade in grades.items():
        choose(page, f"{prefix} {area.lower()}", grade)
        write(page, f"{comment} {area.lower()}", f"{grade}: seen on the file")


def test_an_audit_goes_from_sampling_to_a_re_audit_showing_the_change_in_grade(page, live_server, org, child,
                                                                                time_machine):
    page.set_default_timeout(10_000)  # a missing field fails in seconds, not half a minute
    make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)
    allocate(make_child("Noah", "Fenwick"), org.ola)  # another team's open case: outside the theme
    pages = Pages(page)

    # Monday 2 March 2026: Quinn draws a thematic sample of the Assessment Team's open cases. -------------------
    it_is(time_machine, DRAWN)
    signed_in_as(page, "quinn")
    expect_heading(page, "My work")
    pages.check("My work, a QA officer")
    follow(page, "Case file audits")
    pages.check("Case file audits, nothing yet")
    follow(page, "Rounds of case file audits: draw a sample and assign its auditors")
    pages.check("The rounds, none yet")
    follow(page, "Draw a sample", within=page.locator("main"))
    expect_heading(page, "Draw a sample for case file audits")
    pages.check("Drawing a sample")
    write(page, "Name of the round", "Assessment Team, March")
    choose(page, "How to choose the children", "Thematic (a cohort chosen by filters)")
    select(page, "Team", "Assessment Team")
    write(page, "How many children", "1")
    choose(page, "Audit tool", TOOL)
    fill_date(page, "Audits due by", DUE_BY)
    write(page, "Seed (optional)", "4711")
    submit(page, "Draw the sample")
    expect_heading(page, "Assessment Team, March")
    main = page.locator("main")
    expect(main).to_contain_text("Thematic (seed 4711), from 1 open case: team Assessment Team")
    expect(main).to_contain_text("Chosen at random (seed 4711) from children matching: team Assessment Team.")
    expect(main).not_to_contain_text("Noah Fenwick")
    pages.check("A round, its child not yet assigned")

    follow(page, "Assign auditors")
    pages.check("Assigning auditors")
    page.get_by_label("Auditor for Lily Hartley").select_option(label="Quinn Quality")
    submit(page, "Save the auditors")
    expect(page.locator("#sampled-children")).to_contain_text("Quinn Quality")

    # Tuesday 3 March: Quinn starts the audit from the children sampled to her, linked from My work. ----------
    it_is(time_machine, AUDITED)
    signed_in_as(page, "quinn")
    expect(page.locator("#sampled-to-you-link")).to_have_text(
        "Children sampled to you for a case file audit: 1 child, 1 audit not completed yet.")
    pages.check("My work, a QA officer with a child sampled to her")
    follow(page, "Children sampled to you for a case file audit")
    pages.check("Children sampled to you")
    follow(page, "Start the audit of Lily Hartley")
    pages.check("Starting a sampled audit")
    submit(page, "Start the audit")
    expect_heading(page, TOOL)
    grade_url = page.url
    pages.check("Grading an audit, with the evidence from the record beside each area")

    # Completing it with Recording ungraded is refused, naming the area.
    grade_sections(page, {area: RI for area in AREAS[:-1]})
    choose(page, "Overall grade", RI)
    write(page, "What you found", "Visits are on time, but Lily’s own words are rarely recorded.")
    write(page, "The child’s feedback", "Lily says her social worker listens to her.")
    page.get_by_role("button", name="Complete the audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Grade recording before you complete the audit")
    expect(summary).not_to_contain_text("Grade basic information")
    pages.check("Grading an audit, refused with an area ungraded")
    assert CaseFileAudit.objects.get(child=child).status == CaseFileAudit.Status.IN_PROGRESS

    grade_sections(page, {"Recording": RI})
    submit(page, "Complete the audit")
    expect_heading(page, TOOL)
    audit = CaseFileAudit.objects.get(child=child)
    audit_url = reverse("quality:audit", kwargs={"person_id": child.pk, "audit_id": audit.pk})
    assert page.url.endswith(audit_url) and audit.status == CaseFileAudit.Status.COMPLETED
    expect(main).to_contain_text(f"Overall grade\n{RI}")
    pages.check("A completed audit")

    # She sets an action for Sam, due by default four weeks after the audit was completed.
    follow(page, "Set an action for the worker or the manager")
    expect_heading(page, "Set an action from the audit")
    due_by = page.get_by_role("group", name="Due by")
    assert [due_by.get_by_label(part).input_value() for part in ("Day", "Month", "Year")] == ["31", "3", "2026"]
    pages.check("Setting an action from an audit")
    choose(page, "Who is it for?", "Sam Worker")
    write(page, "What must be done", ACTION)
    submit(page, "Set the action")
    actions = page.get_by_role("table", name="Actions from this audit")
    expect(actions).to_contain_text(ACTION)
    expect(actions).to_contain_text(ACTION_DUE)

    # She may not moderate her own audit: the page says so before any form, and offers no button.
    go_to(page, reverse("quality:moderation", kwargs={"person_id": child.pk, "audit_id": audit.pk}))
    expect(main).to_contain_text("You made this audit, so a second auditor moderates it: you may not.")
    expect(page.get_by_role("button", name="Start moderating")).to_have_count(0)
    pages.check("Moderation, as the auditor: told she may not")
    go_to(page, reverse("quality:home"))
    expect(page.locator("#to-moderate")).to_have_count(0)

    # Nor can the file be re-audited while the action is open: the page names it instead of offering the button.
    go_to(page, audit_url)
    follow(page, "Re-audit this file")
    expect(main).to_contain_text(ACTION)
    expect(page.get_by_role("button", name="Start the re-audit")).to_have_count(0)
    pages.check("Re-audit, waiting for an open action")

    # Thursday 5 March: Simon moderates the audit blind, then records the outcome agreed. ------------------------
    it_is(time_machine, MODERATED)
    signed_in_as(page, "simon")
    follow(page, "Case file audits")
    pages.check("Case file audits, with an audit to moderate")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("#to-moderate").get_by_role("button", name="Moderate blind").click()
    expect_heading(page, f"Moderate: {TOOL}")
    # Blind: neither the auditor's grades (nothing chosen) nor her overall grade (no summary row) are shown.
    expect(main.locator("input[type=radio]:checked")).to_have_count(0)
    assert "Overall grade" not in main.inner_text()
    pages.check("The blind moderation form")
    grade_sections(page, {**{area: RI for area in AREAS}, "Basic information": GOOD}, moderator=True)
    choose(page, "Your overall grade", RI)
    write(page, "What you found", "I agree: Lily’s voice is missing from the visits.")
    submit(page, "Submit your grades")
    comparison = page.get_by_role("table", name="Quinn Quality’s grades beside Simon Service’s")
    expect(comparison.get_by_role("row", name="Basic information")).to_contain_text("Different")
    expect(comparison.get_by_role("row", name="Recording")).to_contain_text("Same")
    pages.check("The grades side by side, with the outcome to record")
    choose(page, "What was agreed with the auditor?", "Grade agreed: the auditor’s overall grade stands")
    submit(page, "Record the outcome")
    expect(main).to_contain_text("Grade agreed")
    pages.check("A moderation concluded")
    assert Moderation.objects.get(audit=audit).status == Moderation.Status.CONCLUDED

    # Friday 20 March: Sam marks the action done from My work. -------------------------------------------------
    it_is(time_machine, ACTION_DONE)
    signed_in_as(page, "sam")
    waiting = page.get_by_role("table", name="Actions from case file audits")
    expect(waiting).to_contain_text(ACTION)
    expect(waiting).to_contain_text(ACTION_DUE)
    pages.check("My work, a social worker with an action from an audit")
    with page.expect_navigation(wait_until="domcontentloaded"):
        waiting.get_by_role("link", name="Mark done").click()
    expect_heading(page, "Mark the action done")
    pages.check("Marking an action done")
    write(page, "What was done", "Lily’s words are now recorded at each visit; see the visits of 10 and 17 March.")
    submit(page, "Mark it done")
    expect(page.get_by_role("table", name="Actions from this audit")).to_contain_text("Done on 20 March 2026")
    pages.check("A completed audit, as the social worker, its action done")

    # Tuesday 24 March: Quinn re-audits the file and grades it better. ---------------------------------------------
    it_is(time_machine, RE_AUDITED)
    signed_in_as(page, "quinn")
    go_to(page, audit_url)
    follow(page, "Re-audit this file")
    pages.check("Re-audit, ready to start")
    submit(page, "Start the re-audit")
    expect_heading(page, TOOL)
    assert page.url != grade_url
    grade_sections(page, {area: GOOD for area in AREAS})
    choose(page, "Overall grade", GOOD)
    write(page, "What you found", "Lily’s words are on every visit since the audit.")
    submit(page, "Complete the audit")
    re_audit = CaseFileAudit.objects.get(re_audit_of=audit)
    assert re_audit.status == CaseFileAudit.Status.COMPLETED and re_audit.overall_grade == "good"
    expect(main).to_contain_text("A re-audit of the audit completed on 3 March 2026")
    expect(main).to_contain_text(f"Overall grade\n{GOOD}")
    expect(page.locator("#overall-change")).to_contain_text(f"{RI} → {GOOD} (improved: 1 step better)")
    change = page.get_by_role("table", name="Change in grade since the audit")
    for area in AREAS[1:]:
        expect(change.get_by_role("row", name=area)).to_contain_text("Improved: 1 step better")
    pages.check("A completed re-audit, with the change in grade")

    # Lily's list of audits shows both, and the change at re-audit.
    follow(page, "Back to the child’s audits")
    expect_heading(page, "Case file audits")
    expect(page.get_by_role("table", name="Case file audits, newest first")).to_contain_text(
        f"{RI} → {GOOD} (improved: 1 step better)")
    pages.check("A child's case file audits, with the change at re-audit")

    # The impact report, from the quality page.
    go_to(page, reverse("quality:home"))
    follow(page, "Re-audits: the impact of audits")
    expect(page.locator("#re-audit-count")).to_have_text("1 completed re-audit.")
    row = page.get_by_role("table", name="Each re-audit, newest first").get_by_role("row", name="Lily Hartley")
    expect(row).to_contain_text(RI)
    expect(row).to_contain_text(GOOD)
    expect(row).to_contain_text("Improved: 1 step better")
    pages.check("Re-audits: the impact of audits")

    assert not pages.failures, "\n\n".join(pages.failures)
    assert len(pages.checked) == 26, pages.checked
