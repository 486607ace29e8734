"""Background jobs: long work that a person starts, a worker runs, and a progress page follows (ADR 0011).

- `start()` records a Job for the person and queues a django-tasks task for it; the view then redirects to the
  job's progress page (`core:job`).
- The task calls `run(job_id, work)`: `work(job)` does the work, calling `job_progress()` between its steps, and
  returns a `Result` (a page to go back to, or a file kept for the person who asked).
- A `JobFailed` (or a ValidationError) is a refusal to tell the person in plain words; any other exception is
  also recorded as a failure, with a plain message, and re-raised so the worker's log has the traceback.

Progress is written with a single UPDATE outside any transaction of the work: the work commits in steps (see
ADR 0011), so on SQLite a progress write never waits behind the work's own write lock, and on PostgreSQL the
page sees it at once.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone

from casefile.accounts.models import User
from casefile.core.models import Job

logger = logging.getLogger(__name__)

UNEXPECTED = ("It stopped because of an unexpected problem ({name}). Nothing from it was saved. Try again; if it "
              "fails again, tell your system administrator, quoting job {job}.")


class JobFailed(Exception):
    """The work cannot be done; the message says why, in plain words, for the person who started it."""


@dataclasses.dataclass(frozen=True)
class Result:
    url: str = ""
    file: bytes | None = None
    filename: str = ""


def start(task, *, actor: User, kind: str, description: str, back_url: str = "", details: dict | None = None,
          **task_kwargs) -> Job:
    """Record a job for `actor` and queue `task(job_id=..., **task_kwargs)` to do it."""
    job = Job.objects.create(kind=kind, description=description[:200], started_by=actor, back_url=back_url,
                             details=details or {})
    # The database backend queues the task in this same database, so a worker sees the task only once the job
    # row is committed with it, whatever transaction this runs in.
    result = task.enqueue(job_id=str(job.pk), **task_kwargs)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_progress(job: Job, done: int, total: int, stage: str = "") -> None:
    """How far the work has got; call it between steps, outside the work's transactions."""
    job.done, job.total, job.stage = done, total, stage[:200]
    Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total, stage=job.stage)


def run(job_id: str | uuid.UUID, work: Callable[[Job], Result]) -> None:
    """Run `work` for a job, recording that it started, its result or what failed. A finished job is not run
    again, so a task delivered twice does the work once."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return
    job.status, job.started_at = Job.Status.RUNNING, timezone.now()
    Job.objects.filter(pk=job.pk).update(status=job.status, started_at=job.started_at)
    try:
        result = work(job)
    except (JobFailed, ValidationError) as refusal:
        messages = refusal.messages if isinstance(refusal, ValidationError) else [str(refusal)]
        _finish(job, Job.Status.FAILED, error=" ".join(messages))
        return
    except Exception as error:
        _finish(job, Job.Status.FAILED, error=UNEXPECTED.format(name=type(error).__name__, job=job.pk))
        raise
    _finish(job, Job.Status.DONE, result_url=result.url, result_file=result.file,
            result_filename=result.filename)


def _finish(job: Job, status: str, **fields) -> None:
    fields = {"status": status, "finished_at": timezone.now(), **fields}
    for name, value in fields.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**fields)


def job_for(user: User, job_id: str | uuid.UUID, *, kind: str | None = None) -> Job | None:
    """The job, if `user` started it (nobody else may follow another person's job)."""
    jobs = Job.objects.filter(pk=job_id, started_by=user)
    if kind is not None:
        jobs = jobs.filter(kind=kind)
    return jobs.first()
