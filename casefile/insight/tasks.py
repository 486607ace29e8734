"""Performance work that runs in the background (ADR 0011): computing the kept figures (insight/figures.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from casefile.accounts.models import User
from casefile.core import jobs
from casefile.core.models import Job
from casefile.insight import figures

KIND = "performance_figures"


def refresh_in_background(*, actor: User, back_url: str) -> Job:
    return jobs.start(refresh_figures_task, actor=actor, kind=KIND, back_url=back_url,
                      description="Compute the performance figures again from the record")


@task()
def refresh_figures_task(*, job_id: str) -> None:
    jobs.run(job_id, _refresh)


def _refresh(job: Job) -> jobs.Result:
    kept = figures.refresh(timezone.localdate(), lambda done, total, stage: jobs.job_progress(job, done, total, stage))
    job.details.update(kept=kept)
    Job.objects.filter(pk=job.pk).update(details=job.details)
    return jobs.Result(url=job.back_url or reverse("insight:clinic"))
