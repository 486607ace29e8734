import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casefile.audit.models import Action, AuditEvent
from tests.system.browser import sign_in

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


def test_sign_in_search_and_view_is_audited(page, live_server, org, child):
    sign_in(page, "sam")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    page.goto(reverse("people:search"))
    page.get_by_label("Name").fill("Lily Hartley")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Lily Hartley").first.click()

    expect(page.get_by_role("region", name="Who this record is about")).to_contain_text("Lily Hartley")
    assert AuditEvent.objects.filter(action=Action.SEARCH, actor=org.sam).exists()
    assert AuditEvent.objects.filter(action=Action.VIEW, actor=org.sam, child=child).exists()
