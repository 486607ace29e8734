"""A background job's progress page in a real browser: a labelled progress bar that follows the job until it has
finished, then a link to the result."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casefile.core.models import Job
from tests.system.accessibility import assert_accessible
from tests.system.browser import sign_in

pytestmark = [pytest.mark.system, pytest.mark.every_database]


def test_the_progress_page_follows_the_job_to_its_result(page, live_server, org):
    job = Job.objects.create(kind="police_confirmation", description="Importing police.csv (3,000 incidents)",
                             started_by=org.fran, status=Job.Status.RUNNING, done=1200, total=3000,
                             stage="Writing the contacts", back_url=reverse("frontdoor:police_batches"))
    sign_in(page, "fran")
    page.goto(reverse("core:job", args=[job.pk]))
    bar = page.get_by_role("progressbar", name="Importing police.csv (3,000 incidents)")
    expect(bar).to_have_attribute("value", "1200")
    expect(page.locator("main")).to_contain_text("1,200 of 3,000")
    assert_accessible(page, "job in progress")
    # The worker finishes; the page follows it, without being reloaded, and offers the result.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, done=3000,
                                         result_url=reverse("frontdoor:police_batches"))
    expect(page.get_by_role("heading", name="Finished")).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="Go to the police file").click()
    expect(page.get_by_role("heading", name="Police notifications")).to_be_visible()
