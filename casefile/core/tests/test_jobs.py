"""The job layer: a job runs once, records what failed in plain words, and old jobs (with their files) go."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from casefile.core import jobs
from casefile.core.models import Job


def _job(org, **fields) -> Job:
    return Job.objects.create(kind="test", description="Testing", started_by=org.sam, **fields)


def test_a_job_records_its_result_and_is_not_run_again(org):
    job = _job(org)
    runs = []

    def work(job):
        runs.append(job.pk)
        jobs.job_progress(job, 1, 1, "Done")
        return jobs.Result(url="/somewhere/", file=b"%PDF-", filename="a.pdf")

    jobs.run(job.pk, work)
    jobs.run(job.pk, work)
    job.refresh_from_db()
    assert runs == [job.pk]
    assert (job.status, job.done, job.total, job.result_url, bytes(job.result_file)) == (
        "done", 1, 1, "/somewhere/", b"%PDF-")


def test_a_refusal_is_told_in_plain_words_and_a_crash_is_recorded_then_raised(org):
    refused, crashed = _job(org), _job(org)
    jobs.run(refused.pk, lambda job: (_ for _ in ()).throw(jobs.JobFailed("The record was merged: start again")))
    with pytest.raises(ZeroDivisionError):
        jobs.run(crashed.pk, lambda job: 1 / 0)
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.status, refused.error) == ("failed", "The record was merged: start again")
    assert crashed.status == "failed" and "unexpected problem (ZeroDivisionError)" in crashed.error
    assert str(crashed.pk) in crashed.error


def test_finished_jobs_and_their_files_are_deleted_after_a_week(org):
    now = timezone.now()
    old = _job(org, status="done", finished_at=now - datetime.timedelta(days=8), result_file=b"%PDF-")
    recent = _job(org, status="done", finished_at=now - datetime.timedelta(days=6), result_file=b"%PDF-")
    running = _job(org, status="running")
    call_command("prune_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not Job.objects.filter(pk=old.pk).exists()
