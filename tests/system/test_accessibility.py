"""Every page, as the people who use it see it, meets WCAG 2.2 AA according to axe-core."""

import pytest
from django.urls import reverse

from casefile import testing
from casefile.access.models import RestrictedAccessGrant
from casefile.people.models import Person, Relationship
from tests.system.accessibility import axe_violations, describe
from tests.system.browser import sign_in

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    # pytest-base-url's fixture, which pytest-playwright uses, is written in a style pytest 10 will drop.
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]


class Pages:
    """Visits pages, runs axe on each, and keeps every failure so one run reports them all."""

    def __init__(self, page):
        self.page = page
        self.failures: list[str] = []
        self.checked: list[str] = []

    def visit(self, name: str, url: str) -> None:
        response = self.page.goto(url)
        if response is None or not response.ok:
            self.failures.append(f"{name} ({url}) answered {response and response.status}")
            return
        self.check(name)

    def check(self, name: str) -> None:
        violations = axe_violations(self.page)
        self.checked.append(name)
        if violations:
            self.failures.append(f"{name} ({self.page.url}):\n{describe(violations)}")

    def submit_empty(self, name: str, url: str, button: str) -> None:
        """The page again after sending the form with nothing filled in, errors and all."""
        self.page.goto(url)
        self.page.get_by_role("button", name=button).click()
        self.page.locator(".govuk-error-summary").wait_for()
        self.check(name)


def person_url(name: str, person: Person, query: str = "") -> str:
    return reverse(f"people:{name}", kwargs={"person_id": person.pk}) + query


def test_every_page_meets_wcag_22_aa(page, live_server, org, child):
    adopted = testing.make_child("Ellis", "Marsh", restriction=Person.Restriction.ADOPTION)
    testing.allocate(adopted, org.sam)
    RestrictedAccessGrant.objects.create(child=adopted, user=org.tess, granted_by=org.hana)
    duplicate = testing.make_child("Lilly", "Hartley", merged_into=child)
    Relationship.objects.create(person=testing.make_adult(), relative=child, kind=Relationship.Kind.PARENT,
                                parental_responsibility=True)
    pages = Pages(page)

    pages.visit("Sign-in page", reverse("account_login"))
    page.get_by_role("button", name="Sign in").click()
    page.locator(".govuk-error-summary").wait_for()
    pages.check("Sign-in page with errors")

    sign_in(page, "tess")
    pages.visit("My work", reverse("core:my_work"))
    pages.visit("Team page", reverse("accounts:team", kwargs={"team_id": org.assessment.pk}))
    pages.visit("Person search", reverse("people:search"))
    pages.visit("Person search with results", f"{reverse('people:search')}?name=Lily+Hartley")
    assert page.get_by_role("link", name="Lily Hartley").count() >= 1, "the search found nothing to check"
    pages.visit("Person record", person_url("record", child))
    pages.visit("Chronology", person_url("chronology", child))
    pages.visit("Records merged into this one", person_url("merged_records", child))
    pages.visit("Who has viewed this record", reverse("audit:viewers", kwargs={"person_id": child.pk}))
    pages.visit("Change identity details", person_url("edit", child))
    pages.visit("Add another name", person_url("add_alias", child))
    pages.visit("Add an address", person_url("add_address", child))
    pages.submit_empty("Add an address, with errors shown", person_url("add_address", child), "Add address")
    pages.visit("Disabilities", person_url("disabilities", child))
    pages.visit("Add a relationship, after a search", person_url("add_relationship", child, "?q=Hartley"))
    pages.visit("Add to a household", person_url("add_to_household", child))
    pages.visit("Merge, after a search", person_url("merge", child, "?q=Hartley"))

    pages.visit("Record a new person", reverse("people:create"))
    pages.submit_empty("Record a new person, with errors shown", reverse("people:create"), "Continue")
    page.goto(reverse("people:create"))
    page.locator("input[name=kind][value=child]").check()
    page.locator("input[name=first_name]").fill("Lily")
    page.locator("input[name=last_name]").fill("Hartley")
    page.locator("input[name=date_of_birth_day]").fill("14")
    page.locator("input[name=date_of_birth_month]").fill("5")
    page.locator("input[name=date_of_birth_year]").fill("2016")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Lily Hartley").first.wait_for()
    pages.check("Possible matches for a new person")

    restricted_reason = reverse("access:restricted_reason", kwargs={"person_id": adopted.pk})
    pages.visit("Restricted record: reason asked", restricted_reason)

    page.context.clear_cookies()
    sign_in(page, "ada")
    pages.visit("Separate merged records (administrators only)", person_url("unmerge", child))
    assert duplicate.merged_into_id == child.pk

    assert not pages.failures, "Pages that fail WCAG 2.2 AA:\n\n" + "\n\n".join(pages.failures)
    assert len(pages.checked) >= 20


def test_the_check_finds_what_it_should(page):
    """The accessibility check can fail: a text box with no label is a WCAG 2.2 A failure."""
    page.set_content('<html lang="en"><head><title>Broken</title></head>'
                     '<body><main><h1>Broken</h1><input type="text"></main></body></html>')
    assert "label" in [violation["id"] for violation in axe_violations(page)]
