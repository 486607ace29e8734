"""The data-quality page's check of the whole record, in the background (ADR 0011): data_quality.start_check
queues it, a worker runs data_quality.check_record, and the job comes back to the page."""

from __future__ import annotations

from django_tasks import task

from casefile.core import jobs
from casefile.returns import data_quality


@task()
def check_the_record(*, job_id: str, validation_id: int) -> None:
    jobs.run(job_id, lambda job: data_quality.check_record(job, validation_id))
