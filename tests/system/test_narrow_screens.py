"""On a phone (320 to 375 pixels wide) pages fit the screen: nothing makes the page scroll sideways."""

import datetime
import pathlib

import pytest
from django.urls import reverse
from django.utils import timezone

from casefile import testing
from casefile.frontdoor.services import decisions
from casefile.frontdoor.testing import decide, make_contact
from tests.system.browser import sign_in

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "test-results"


def page_width(page) -> dict:
    return page.evaluate("({scroll: document.documentElement.scrollWidth, viewport: window.innerWidth})")


@pytest.mark.parametrize("width", [375, 320])
def test_the_front_door_board_fits_a_phone_screen(page, live_server, org, child, width):
    # Rows in several stages, with long names and a past-the-limit tag: the widest the board gets.
    make_contact(child, by=org.fran)
    waiting = make_contact(testing.make_child("Maximiliana-Josephine", "Featherstonehaugh-Okonkwo"), by=org.fran,
                           received_at=timezone.now() - datetime.timedelta(days=21))
    decided = make_contact(testing.make_child("Noah", "Reid"), by=org.fran)
    decisions.authorise_decision(actor=org.mel, decision=decide(decided.children.get(), by=org.mo))
    assert waiting.children.exists()
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, "fran")
    page.goto(reverse("frontdoor:board"))
    board = page.locator("#board")
    board.wait_for()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"front-door-board-{width}px.png"), full_page=True)
    sizes = page_width(page)
    assert sizes["viewport"] == width
    assert sizes["scroll"] <= sizes["viewport"], f"the board scrolls sideways at {width}px: {sizes}"
    # Each cell still says which column it is.
    label = board.locator("tbody tr").first.locator("[data-label='Waiting (working time)']").evaluate(
        "cell => getComputedStyle(cell, '::before').content")
    assert label == '"Waiting (working time)"'
    assert board.get_by_text("Maximiliana-Josephine Featherstonehaugh-Okonkwo").is_visible()
