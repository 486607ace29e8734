"""The person's own recent exports: of one kind, as a table for the page that starts them; of every kind, for their
My work."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html

from casefile.core.models import Job
from casefile.core.presenters import govuk_datetime, table_params


def _result(job: Job, download: str):
    if job.status == Job.Status.DONE:
        return format_html('<a class="govuk-link" href="{}">Download<span class="govuk-visually-hidden"> {}</span></a>',
                           reverse(download, kwargs={"job_id": job.pk}), job.result_filename)
    if job.status == Job.Status.FAILED:
        return job.error
    return format_html('<a class="govuk-link" href="{}">{}</a>', reverse("core:job", kwargs={"job_id": job.pk}),
                       job.get_status_display())


def recent_table(jobs: list[Job], download: str) -> dict | None:
    if not jobs:
        return None
    return table_params(caption="Your recent files", id="recent-exports",
                        head=["What", "Asked for", "File"],
                        rows=[[job.description, govuk_datetime(job.created_at), _result(job, download)]
                              for job in jobs])


def _progress(job: Job):
    """The job's page, which leads on to its result (or says what failed)."""
    state = job.error if job.status == Job.Status.FAILED else job.get_status_display()
    return format_html('<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden">: {}</span></a>',
                       reverse("core:job", kwargs={"job_id": job.pk}), state, job.description)


def recent_returns_table(jobs: list[Job]) -> dict | None:
    if not jobs:
        return None
    return table_params(caption="Your recent returns and checks", id="recent-returns",
                        head=["What", "Asked for", "Where it is"],
                        rows=[[job.description, govuk_datetime(job.created_at), _progress(job)] for job in jobs])
