"""The CIN census from the record to a child's record, in a real browser with a real worker (issue 11): Pat (the
performance analyst) starts the census export, follows it while a worker makes it, downloads the file, uploads it
to the validator, follows that job to the results and opens a child's record from an issue. Every returns page,
its error state and the refusal of someone who may not make returns meet WCAG 2.2 AA according to axe-core.

The record's dates are counted from the start of the first census year Casefile exports, so nothing depends on
today's date.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from casefile import testing
from casefile.casework import models as cw
from casefile.people.models import Person
from casefile.returns import census
from casefile.returns.views.home import REFUSAL
from casefile.rules.census_projection import CensusYear
from casefile.rules.cin.parse import parse
from casefile.rules.cin.tests import builder
from tests.system.browser import sign_in
from tests.system.test_accessibility import Pages

pytestmark = [
    pytest.mark.system,
    pytest.mark.xdist_group("browser"),
    pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods"),
]

YEAR = census.YEARS[0]
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def child_in_need(org, first_name: str, letter: str, *, start: datetime.date, **fields) -> Person:
    """A child referred early in the census year, assessed, then on a child protection plan: on the return, with
    no disability recorded (rule 8540, an error on the child's own row)."""
    child = testing.make_child(first_name, "Hartley", upn=builder.upn_for(letter), ethnicity="WBRI", **fields)
    episode = cw.Episode.objects.create(child=child, referral_date=start, referral_source="2A", primary_need="N1",
                                        referral_nfa=False, recorded_by=org.sam)
    assessment = cw.Assessment.objects.create(episode=episode, start_date=start + datetime.timedelta(days=1),
                                              authorised_on=start + datetime.timedelta(days=29), recorded_by=org.sam)
    cw.AssessmentFactor.objects.create(assessment=assessment, code="3A")
    discussion = cw.StrategyDiscussion.objects.create(
        episode=episode, date=start + datetime.timedelta(days=35), chaired_by=org.tess, reason="Concern",
        decision="s47", decision_rationale="Risk", recorded_by=org.sam)
    enquiry = cw.Section47Enquiry.objects.create(episode=episode, strategy_discussion=discussion,
                                                 recorded_by=org.sam)
    conference = cw.Conference.objects.create(child=child, episode=episode, enquiry=enquiry, kind="initial",
                                              date=start + datetime.timedelta(days=53), chair=org.chris,
                                              recorded_by=org.sam)
    cw.Plan.objects.create(child=child, episode=episode, kind="cp", start_date=conference.date, contingency="C",
                           started_by_conference=conference, initial_category="NEG", latest_category="NEG",
                           recorded_by=org.sam)
    return child


@pytest.fixture
def children(org):
    """Two children on the census: Lily, allocated to Sam, whose record the analyst may not open, and Noah, whom
    the analyst recorded and nobody has been allocated yet (policy's "recorded_by" rule: the analyst may open it)."""
    start = CensusYear.parse(YEAR).start + datetime.timedelta(days=62)
    lily = child_in_need(org, "Lily", "L", start=start)
    testing.allocate(lily, org.sam, allocated_by=org.tess)
    noah = child_in_need(org, "Noah", "N", start=start, created_by=org.pat)
    return lily, noah


def reference(child: Person) -> str:
    """The LAchildID the census gives a child of ours (returns/validation.linked_children reads it back)."""
    return f"CF{child.pk:08d}"


def run_the_worker() -> None:
    """One pass of the real worker over the database queue, as `manage.py db_worker` runs in production."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0)


def follow_the_job_until_it_has_finished(page, pages: Pages, name: str) -> None:
    """The progress page while the job waits for a worker, then the worker runs and the page follows it, without
    being reloaded, to the end."""
    expect(page.locator("#job")).to_have_attribute("data-finished", "false")
    expect(page.locator("main")).to_contain_text("Waiting to start")
    pages.check(f"{name}: waiting for a worker")
    run_the_worker()
    expect(page.get_by_role("heading", name="Finished")).to_be_visible(timeout=15_000)
    pages.check(f"{name}: finished")


def test_an_analyst_exports_the_census_validates_it_and_opens_a_childs_record(page, live_server, org, children,
                                                                            settings, tmp_path):
    settings.TASKS = DATABASE_BACKEND
    lily, noah = children
    pages = Pages(page)
    sign_in(page, "pat")
    pages.visit("Statutory returns", reverse("returns:home"))
    pages.visit("Ofsted Annex A", reverse("returns:annex_a"))
    pages.submit_empty("Ofsted Annex A, no inspection date", reverse("returns:annex_a"), "Make the workbook")
    expect(page.get_by_role("alert")).to_contain_text("inspection date")
    pages.visit("Standard Safeguarding Dataset", reverse("returns:ssd"))

    # The census export: choose the year the children were in need, and follow the job.
    page.goto(reverse("returns:home"))
    page.get_by_role("link", name="Children in need census").click()
    expect(page.get_by_role("heading", name="Export the CIN census")).to_be_visible()
    pages.check("Export the CIN census")
    page.get_by_role("radio", name=YEAR).check()
    page.get_by_role("button", name="Make the census file").click()
    follow_the_job_until_it_has_finished(page, pages, "The census export")
    # The file was checked against the year's rules as it was made: the results come first, then the file.
    page.get_by_role("button", name="See the checks and download the file").click()
    expect(page.get_by_role("heading", name=f"Validation of {census.filename(YEAR)}")).to_be_visible()
    expect(page.locator("#made-from-record")).to_contain_text(f"the {YEAR} rules")
    pages.check("The census export's checks")
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download the census file").click()
    download = downloading.value
    assert download.suggested_filename == census.filename(YEAR)
    exported = tmp_path / download.suggested_filename
    download.save_as(exported)
    # A CIN census file: it parses, for the year asked, with both children on it.
    return_file = parse(exported)
    assert return_file.header["ReferenceDate"] == CensusYear.parse(YEAR).reference_date
    assert {row["LAchildID"] for row in return_file.tables["ChildIdentifiers"]} == {reference(lily),
                                                                                   reference(noah)}

    # A file that is not a census is refused at once, saying why.
    page.goto(reverse("returns:validate"))
    pages.check("Validate a CIN census file")
    not_a_census = tmp_path / "notes.xml"
    not_a_census.write_text("These are my notes, not a census.")
    page.get_by_label("Upload a CIN census file").set_input_files(not_a_census)
    page.get_by_role("button", name="Upload and check").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The file was not checked")
    pages.check("Validate a CIN census file: a file that is not a census")

    # The census file itself: uploaded, checked by the worker, and the results.
    page.get_by_label("Upload a CIN census file").set_input_files(exported)
    page.get_by_role("button", name="Upload and check").click()
    follow_the_job_until_it_has_finished(page, pages, "The validation")
    page.get_by_role("button", name="See the results").click()
    expect(page.get_by_role("heading", name=f"Validation of {census.filename(YEAR)}")).to_be_visible()
    pages.check("Validation results")
    issues = page.get_by_role("table", name="Issues", exact=True)
    # Both children break 8540 (no disability recorded); only Noah's record is one the analyst may open.
    expect(issues.get_by_role("row").filter(has_text=reference(lily)).filter(has_text="8540")).to_have_count(1)
    expect(issues.get_by_role("link", name=reference(lily))).to_have_count(0)

    # Only the errors of one rule.
    page.get_by_label("Rule").select_option("8540")
    page.get_by_label("Errors or queries").select_option("error")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Clear the filters")).to_be_visible()
    rows = issues.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Query")).to_have_count(0)
    pages.check("Validation results, filtered")

    issues.get_by_role("link", name=reference(noah)).click()
    expect(page.get_by_role("heading", level=1, name=noah.display_name)).to_be_visible()
    assert page.url.endswith(reverse("people:record", kwargs={"person_id": noah.pk}))
    assert not pages.failures, "Pages that fail WCAG 2.2 AA:\n\n" + "\n\n".join(pages.failures)


def test_someone_who_may_not_make_returns_is_told_so(page, live_server, org):
    pages = Pages(page)
    sign_in(page, "sam")
    assert page.goto(reverse("returns:home")).status == 403
    expect(page.get_by_role("heading", name="You cannot do this")).to_be_visible()
    expect(page.locator("main")).to_contain_text(REFUSAL)
    pages.check("Statutory returns, refused")
    assert not pages.failures, "Pages that fail WCAG 2.2 AA:\n\n" + "\n\n".join(pages.failures)
