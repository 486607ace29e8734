"""Data quality as you type, in a real browser with a real worker (issue 11, item 4): Sam (Lily's social worker)
sees on her record that it will fail the census, follows the warning to why and where to put it right, explains
the query the DfE will raise, records that Lily has no disability and sees the error gone. Simon (a service
manager) checks the whole record in the background, follows the job, and finds the children with a problem by team
and worker. Every page and state on the way meets WCAG 2.2 AA according to axe-core.

The clock is frozen mid-way through the first census year Casefile exports (the rules run on the census year in
progress), and the record's dates are counted from the start of that year, so nothing depends on today's date.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from casefile import testing
from casefile.casework import models as cw
from casefile.people.models import Person
from casefile.returns import census, data_quality
from casefile.rules.census_projection import CensusYear
from casefile.rules.cin.tests import builder
from tests.system.browser import sign_in
from tests.system.journey_steps import it_is
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

YEAR = CensusYear.parse(census.YEARS[0])
# Mid-January of the census year: its reference date (31 March) is still ahead.
TODAY = YEAR.start + datetime.timedelta(days=289)
REFERRED = YEAR.start + datetime.timedelta(days=62)
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def mid_census_year(time_machine):
    it_is(time_machine, TODAY)
    assert data_quality.year_in_progress(TODAY) == YEAR


def referred_and_assessing(org, first_name: str, letter: str, worker) -> Person:
    """A child referred early in the census year whose assessment started the next day and is still not authorised
    (query 8670Q), with no disability recorded, not even "none" (error 8540)."""
    child = testing.make_child(first_name, "Hartley", upn=builder.upn_for(letter), ethnicity="WBRI")
    testing.allocate(child, worker, allocated_by=org.tess)
    episode = cw.Episode.objects.create(child=child, referral_date=REFERRED, referral_source="2A", primary_need="N1",
                                        referral_nfa=False, recorded_by=worker)
    cw.Assessment.objects.create(episode=episode, start_date=REFERRED + datetime.timedelta(days=1),
                                 recorded_by=worker)
    return child


@pytest.fixture
def lily(mid_census_year, org):
    return referred_and_assessing(org, "Lily", "L", org.sam)


def record_url(person: Person) -> str:
    return reverse("people:record", kwargs={"person_id": person.pk})


def run_the_worker() -> None:
    """One pass of the real worker over the database queue, as `manage.py db_worker` runs in production."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)


def test_a_worker_sees_the_census_problem_on_the_record_explains_the_query_and_puts_the_error_right(
        page, live_server, mid_census_year, org, lily):
    pages = Pages(page)
    sign_in(page, "sam")
    page.goto(record_url(lily))
    panel = page.locator("#census-panel")
    expect(panel).to_contain_text(f"This will fail the {YEAR.name} census: rule 8540")
    pages.check("The record, with the census warning")

    panel.get_by_role("link", name="See why and how to put it right").click()
    expect(page.get_by_role("heading", level=1, name="Census checks")).to_be_visible()
    expect(page.get_by_role("heading", name="This will fail the census (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="The DfE will query this (1)")).to_be_visible()
    main = page.locator("main")
    expect(main.locator("#error-8540-1")).to_contain_text("Put it right in the child's disabilities")
    expect(main.locator("#query-8670Q-1")).to_contain_text("Assessment authorised on: not recorded")
    fix_the_referral = main.locator("#query-8670Q-1").get_by_role("link", name="Put it right in the referral of")
    expect(fix_the_referral).to_contain_text(f"the referral of {REFERRED:%-d %B %Y}")
    expect(fix_the_referral).to_have_attribute("href", reverse(
        "casework:episode", kwargs={"person_id": lily.pk, "episode_id": lily.episodes.get().pk}))
    pages.check("Census checks, with an error and a query")

    # An empty explanation is refused, and the summary leads to the box it is about.
    explain = page.get_by_role("form", name="Explain rule 8670Q")
    explain.get_by_role("button", name="Save the explanation").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The explanation was not saved")
    expect(page).to_have_title(re.compile(r"^Error: "))
    box = page.get_by_role("textbox", name="Why the record is right")
    # The box's error is read out with it, not only shown beside it.
    expect(box).to_have_accessible_description(re.compile(r"Error:\s+Enter why the record is right"))
    pages.check("Census checks, an empty explanation")
    to_the_box = summary.get_by_role("link", name="Enter why the record is right")
    expect(to_the_box).to_have_attribute("href", "#explanation-8670Q")
    to_the_box.click()
    expect(page.locator("#explanation-8670Q")).to_be_focused()

    # A real explanation goes into the census notes; the query is explained, not open.
    box.fill("Her mother was in hospital; the assessment resumes in April.")
    page.get_by_role("form", name="Explain rule 8670Q").get_by_role("button", name="Save the explanation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your explanation of rule 8670Q will go into the census notes")
    expect(page.get_by_role("heading", name="Queries explained (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="The DfE will query this")).to_have_count(0)
    expect(main.locator("#explained-8670Q-1")).to_contain_text(
        "Explained by Sam Worker: “Her mother was in hospital; the assessment resumes in April.”")

    # The error is put right where the warning says: the child's disabilities.
    main.get_by_role("link", name="Put it right in the child's disabilities").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Disabilities")
    page.get_by_role("checkbox", name="No disability").check()
    page.get_by_role("button", name="Save disabilities").click()
    page.wait_for_url(f"**{record_url(lily)}")
    expect(page.get_by_role("heading", level=1, name=lily.display_name)).to_be_visible()
    expect(page.locator("#census-panel")).to_have_count(0)

    page.goto(reverse("returns:child_census", kwargs={"person_id": lily.pk}))
    expect(page.get_by_role("heading", name="This will fail the census")).to_have_count(0)
    expect(page.get_by_role("heading", name="Queries explained (1)")).to_be_visible()
    pages.check("Census checks, only explained queries")

    # A child with no referral in the census year is not on its return: nothing to check.
    not_referred = testing.make_child("Nina", "Hartley")
    testing.allocate(not_referred, org.sam, allocated_by=org.tess)
    page.goto(reverse("returns:child_census", kwargs={"person_id": not_referred.pk}))
    expect(page.locator("#not-on-return")).to_be_visible()
    pages.check("Census checks, a child not on the return")
    assert not pages.failures, "Pages that fail WCAG 2.2 AA:\n\n" + "\n\n".join(pages.failures)


def test_a_manager_checks_the_whole_record_and_finds_the_children_by_team_and_worker(
        page, live_server, mid_census_year, org, lily, settings):
    settings.TASKS = DATABASE_BACKEND
    olly = referred_and_assessing(org, "Olly", "O", org.mo)  # both teams are within Simon's service
    pages = Pages(page)
    sign_in(page, "simon")
    page.goto(reverse("returns:data_quality"))
    expect(page.get_by_role("heading", level=1, name="Census data quality")).to_be_visible()
    expect(page.locator("#never-checked")).to_be_visible()
    pages.check("Census data quality, never checked")

    # The check runs in the background: the progress page follows it while a real worker does it.
    page.get_by_role("button", name="Check the record now").click()
    expect(page.locator("#job")).to_have_attribute("data-finished", "false")
    expect(page.locator("main")).to_contain_text("Waiting to start")
    pages.check("The check, waiting for a worker")
    run_the_worker()
    expect(page.get_by_role("heading", name="Finished")).to_be_visible(timeout=15_000)
    pages.check("The check, finished")
    page.get_by_role("button", name="See the children").click()
    expect(page.get_by_role("heading", level=1, name="Census data quality")).to_be_visible()
    expect(page.locator("#checked-at")).to_contain_text("started by Simon Service")

    children = page.get_by_role("table", name="Children whose records would fail or be queried")
    rows = children.locator("tbody tr")
    expect(rows).to_have_count(2)
    for child, team, worker in ((lily, "Assessment Team", "Sam Worker"),
                                (olly, "Front Door", "Mo Mash")):
        row = rows.filter(has=page.get_by_role("link", name=child.full_name, exact=True))
        expect(row.get_by_role("cell")).to_have_text([child.full_name, team, worker, "1", "1", "8540, 8670Q"])
    by_worker = page.get_by_role("table", name="Children with a problem, by worker")
    expect(by_worker.get_by_role("row", name="Sam Worker 1")).to_have_count(1)
    pages.check("Census data quality, checked, with children")

    # Only Sam's children.
    page.get_by_label("Worker").select_option("Sam Worker")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Clear the filters")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Sam Worker")
    pages.check("Census data quality, filtered by worker")

    # Sam's children in another team: none.
    page.get_by_label("Team").select_option("Front Door")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#no-problems")).to_have_text("No children match the filters.")
    pages.check("Census data quality, no children match")

    page.get_by_label("Team").select_option("")
    page.get_by_role("button", name="Filter").click()
    children.get_by_role("link", name=lily.full_name, exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Census checks")).to_be_visible()
    expect(page.locator("main")).to_contain_text(lily.display_name)
    assert page.url.endswith(reverse("returns:child_census", kwargs={"person_id": lily.pk}))
    expect(page.get_by_role("heading", name="This will fail the census (1)")).to_be_visible()
    pages.check("Census checks, for the manager")
    page.get_by_role("link", name="Back to the record").click()
    expect(page.get_by_role("heading", level=1, name=lily.display_name)).to_be_visible()
    assert not pages.failures, "Pages that fail WCAG 2.2 AA:\n\n" + "\n\n".join(pages.failures)
