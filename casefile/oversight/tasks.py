"""Oversight's work that runs in the background (ADR 0011, docs/background-tasks.md): working out every signal for
the whole authority again and keeping the findings (oversight/kept_signals.py), when quality assurance asks."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from casefile.accounts.models import User
from casefile.core import jobs
from casefile.core.models import Job
from casefile.oversight import kept_signals

KIND = "kept_signals"


def refresh_in_background(*, actor: User, back_url: str) -> Job:
    return jobs.start(refresh_signals_task, actor=actor, kind=KIND, back_url=back_url,
                      description="Work out every practice-quality signal again from the record")


@task()
def refresh_signals_task(*, job_id: str) -> None:
    jobs.run(job_id, _refresh)


def _refresh(job: Job) -> jobs.Result:
    kept = kept_signals.refresh(progress=lambda done, total, stage: jobs.job_progress(job, done, total, stage))
    job.details.update(findings=kept.findings.count(), children=kept.children)
    Job.objects.filter(pk=job.pk).update(details=job.details)
    return jobs.Result(url=job.back_url or reverse("oversight:practice_quality"))
