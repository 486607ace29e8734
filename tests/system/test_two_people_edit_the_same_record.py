"""Two people in two browsers change the same child's details from pages they opened at the same time: the second
to save is told who changed what, keeps what they typed, and saves both changes (ADR 0016)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.system.browser import sign_in

pytestmark = [
    pytest.mark.system,
    pytest.mark.every_database,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_the_second_to_save_sees_what_changed_and_loses_nothing(browser, browser_context_args, live_server, org,
                                                                child):
    sam = browser.new_context(**browser_context_args).new_page()
    tess = browser.new_context(**browser_context_args).new_page()
    sign_in(sam, "sam")
    sign_in(tess, "tess")
    edit = reverse("people:edit", kwargs={"person_id": child.pk})
    sam.goto(edit)
    tess.goto(edit)

    sam.get_by_label("Known as (optional)").fill("Lil")
    sam.get_by_role("button", name="Save changes").click()
    expect(sam.get_by_role("region", name="Who this record is about")).to_contain_text("Lil")

    tess.get_by_label("Legal middle names (optional)").fill("Rose")
    tess.get_by_role("button", name="Save changes").click()
    summary = tess.get_by_role("alert")
    expect(summary).to_contain_text("Sam Worker changed these details on")
    expect(summary.get_by_role("link", name="Known as was changed by Sam Worker to ‘Lil’")).to_be_visible()
    changes = tess.get_by_role("table", name="What changed since you opened this page")
    expect(changes.get_by_role("row", name="Known as")).to_contain_text("Lil")
    expect(tess.get_by_label("Legal middle names (optional)")).to_have_value("Rose")  # nothing she typed is lost

    tess.get_by_label("Known as (optional)").fill("Lil")  # she takes Sam's change too
    tess.get_by_role("button", name="Save changes").click()
    expect(tess.get_by_role("region", name="Who this record is about")).to_contain_text("Lil")
    child.refresh_from_db()
    assert (child.known_as, child.middle_names) == ("Lil", "Rose")
