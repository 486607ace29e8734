"""The self-evaluation pack's pages meet WCAG 2.2 AA according to axe-core: the list of packs (empty, then with a
pack), asking for one (its errors too: nothing filled in, and a period ending before it starts), the progress page
it leads to, and the clinic's "Download as PDF" leading to its own progress page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casefile.insight.models import SelfEvaluationPack
from tests.system.browser import sign_in
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def fill_period(page, start: tuple[int, int, int], end: tuple[int, int, int]) -> None:
    for prefix, (day, month, year) in (("period_start", start), ("period_end", end)):
        page.locator(f"#id_{prefix}_day").fill(str(day))
        page.locator(f"#id_{prefix}_month").fill(str(month))
        page.locator(f"#id_{prefix}_year").fill(str(year))


def test_the_self_evaluation_pages_meet_wcag_22_aa(page, live_server, org):
    pages = Pages(page)
    sign_in(page, "pat")
    packs, ask = reverse("insight:packs"), reverse("insight:pack_request")
    pages.visit("Self-evaluation packs, none yet", packs)
    expect(page.locator("#no-packs")).to_be_visible()
    page.get_by_role("button", name="Ask for a pack").click()
    page.wait_for_url(f"**{ask}")  # axe on a page still loading finds no document
    expect(page.get_by_role("button", name="Ask for the pack")).to_be_visible()
    pages.check("Asking for a pack")
    pages.submit_empty("Asking for a pack, nothing filled in", ask, "Ask for the pack")

    fill_period(page, (1, 4, 2024), (31, 3, 2024))
    page.get_by_role("button", name="Ask for the pack").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("on or after the date it starts")
    pages.check("Asking for a pack, a period ending before it starts")
    assert not SelfEvaluationPack.objects.exists()

    fill_period(page, (1, 4, 2024), (31, 3, 2025))
    page.get_by_role("button", name="Ask for the pack").click()
    expect(page.get_by_role("heading", name="Finished")).to_be_visible(timeout=30_000)
    pages.check("The pack's progress, finished")
    expect(page.get_by_role("button", name="Download the pack")).to_be_visible()

    pages.visit("Self-evaluation packs, one ready", packs)
    expect(page.locator("#packs")).to_contain_text("1 April 2024 to 31 March 2025")
    expect(page.locator("#packs")).to_contain_text("Ready")

    page.goto(reverse("insight:clinic"))
    page.get_by_role("button", name="Download as PDF").click()
    expect(page.get_by_role("heading", name="Finished")).to_be_visible(timeout=30_000)
    pages.check("The clinic PDF's progress, finished")
    expect(page.get_by_role("button", name="Download the PDF")).to_be_visible()
    assert not pages.failures, "\n\n".join(pages.failures)
