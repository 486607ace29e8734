"""A manager records case supervision on a worker's child with SMART actions agreed, signs it, and the worker signs
it too; the record is on the child's file and in her chronology, signed by both. The manager also writes up the
worker's own staff supervision and reads who is due. axe runs on every supervision page on the way, each form
also with its errors."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.system.journey_steps import fill_date, follow, go_to, it_is, select, signed_in_as, submit, write
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

HELD = datetime.date(2025, 6, 3)  # a Tuesday
NEXT_STEPS = "Joint visit with the health visitor, and a core group before the review"
ACTIONS = [
    ("Visit Lily at school and see her alone", "Sam Worker (social worker)", datetime.date(2025, 6, 17),
     "Lily’s own words recorded on the visit"),
    ("Book a joint visit with the health visitor", "Sam Worker (social worker)", datetime.date(2025, 6, 24),
     "The joint visit is recorded with what the health visitor saw"),
]
WELLBEING = "Tired after a court week; agreed a lighter fortnight"


def errors_of(page) -> str:
    return page.locator(".govuk-error-summary").inner_text()


def send_empty(page, pages: Pages, name: str, button: str) -> str:
    """Press the form's button with nothing filled in; check the page with its errors; return them."""
    page.get_by_role("button", name=button, exact=True).click()
    page.locator(".govuk-error-summary").wait_for()
    pages.check(name)
    return errors_of(page)


def test_a_manager_records_case_supervision_the_worker_signs_it_and_it_is_on_the_record(page, live_server, org,
                                                                                         child, time_machine):
    it_is(time_machine, HELD)
    record = reverse("people:record", kwargs={"person_id": child.pk})
    pages = Pages(page)

    # The manager opens Lily's record and her supervision page, and records what was discussed.
    signed_in_as(page, "tess")
    go_to(page, record)
    follow(page, "Supervision", within=page.get_by_role("region", name="Casework"))
    pages.check("Supervision on a child's file, none yet")
    follow(page, "Record case supervision")
    pages.check("Record case supervision")
    assert "Enter the date of the supervision" in send_empty(page, pages, "Record case supervision, with errors",
                                                              "Save the supervision")
    select(page, "Worker supervised", "Sam Worker")
    fill_date(page, "Date of the supervision", HELD)
    write(page, "What is happening", "Lily is attending school most days; mum has missed two appointments")
    write(page, "What we are worried about", "Bruising seen twice this term, explained as falls")
    write(page, "What is working well", "Grandmother collects Lily every Friday")
    write(page, "Hypotheses", "Stress since the move; or mum's drinking has returned")
    write(page, "What needs to happen", NEXT_STEPS)
    submit(page, "Save the supervision")
    supervision_url = page.url
    pages.check("A case supervision record, no actions yet")

    # The SMART actions agreed, the first tried empty.
    for number, (description, owner, due, measure) in enumerate(ACTIONS):
        follow(page, "Add an action")
        if number == 0:
            pages.check("Add an action agreed in supervision")
            send_empty(page, pages, "Add an action agreed in supervision, with errors", "Add the action")
        write(page, "What will be done", description)
        write(page, "Who will do it", owner)
        fill_date(page, "Done by", due)
        write(page, "How everyone will know it has been done", measure)
        submit(page, "Add the action")
    actions = page.get_by_role("table", name="Actions agreed")
    for description, *_ in ACTIONS:
        assert description in actions.inner_text()
    assert page.locator("#action-warnings").count() == 0, "SMART actions were taken for vague ones"
    pages.check("A case supervision record with its actions")
    follow(page, "Change the record")
    pages.check("Change the supervision record")
    write(page, "What needs to happen", "")
    page.get_by_role("button", name="Save changes").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Enter what needs to happen" in errors_of(page)
    pages.check("Change the supervision record, with errors")
    go_to(page, supervision_url)
    assert NEXT_STEPS in page.locator("main").inner_text()

    # The manager signs it; the worker has not yet.
    follow(page, "Sign off this record")
    pages.check("Sign off the supervision record (the manager)")
    submit(page, "Sign it off")
    assert "Waiting for the worker to sign" in page.locator("h1").inner_text()

    # The worker finds it on Lily's record, marks an action done, and signs it off.
    signed_in_as(page, "sam")
    go_to(page, record)
    follow(page, "Supervision", within=page.get_by_role("region", name="Casework"))
    listed = page.get_by_role("table").inner_text()
    assert "3 June 2025" in listed and "Tess Manager" in listed
    pages.check("Supervision on a child's file, one record")
    follow(page, "3 June 2025", within=page.get_by_role("table"))
    assert "Sam Worker" in page.locator("main").inner_text()
    page.get_by_role("link", name=f"Mark done : {ACTIONS[0][0]}").click()
    page.wait_for_load_state("domcontentloaded")
    pages.check("Mark a supervision action done")
    send_empty(page, pages, "Mark a supervision action done, with errors", "Mark it done")
    fill_date(page, "When was it done?", HELD)
    submit(page, "Mark it done")
    assert "Done on 3 June 2025" in page.get_by_role("table", name="Actions agreed").inner_text()
    follow(page, "Sign off this record")
    pages.check("Sign off the supervision record (the worker)")
    submit(page, "Sign it off")
    assert "Signed off by both" in page.locator("h1").inner_text()
    sign_off = page.locator("main").inner_text()
    assert "Tess Manager, 3 June 2025" in sign_off and "Sam Worker, 3 June 2025" in sign_off
    pages.check("A case supervision record signed off by both")

    # It is in Lily's chronology, signed by both, with what needs to happen.
    go_to(page, reverse("people:chronology", kwargs={"person_id": child.pk}))
    row = page.locator("tr", has_text="Case supervision: Sam Worker with Tess Manager")
    assert row.count() == 1, page.locator("main").inner_text()
    assert "3 June 2025" in row.inner_text() and NEXT_STEPS in row.inner_text()
    assert "Signed off by both" in row.inner_text()

    # The manager re-opening a signed record must say why.
    signed_in_as(page, "tess")
    go_to(page, supervision_url)
    follow(page, "Re-open the record to change it")
    pages.check("Re-open a signed supervision record")
    send_empty(page, pages, "Re-open a signed supervision record, with errors", "Re-open it")

    # The worker's own supervision, and who is due.
    go_to(page, reverse("oversight:staff_supervisions", kwargs={"worker_id": org.sam.pk}))
    pages.check("A worker's staff supervision, none yet")
    follow(page, "Record staff supervision")
    pages.check("Record staff supervision")
    send_empty(page, pages, "Record staff supervision, with errors", "Save the supervision")
    fill_date(page, "Date of the supervision", HELD)
    write(page, "Wellbeing", WELLBEING)
    write(page, "Caseload", "18 children, two in proceedings")
    write(page, "Learning and development", "Booked on the ASYE reflective practice day")
    submit(page, "Save the supervision")
    pages.check("A worker's staff supervision, one record")
    follow(page, "3 June 2025", within=page.get_by_role("table"))
    assert WELLBEING in page.locator("main").inner_text()
    pages.check("A staff supervision record")
    go_to(page, "/")
    follow(page, "Supervision due")
    assert "Sam Worker" in page.get_by_role("table").inner_text()
    pages.check("Supervision due")

    assert not pages.failures, "\n\n".join(pages.failures)
    assert len(pages.checked) == 23
