"""The CIN census export as a background job (ADR 0011): the file is built from the record, checked against the
year's XSD and the year's rules, and kept on the job for the person who asked, with the rules' results (a
CensusValidation of the job); the job leads to those results, whose page offers the file. The download page
checks the role again and audits it."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from casefile.access import permissions
from casefile.accounts.models import User
from casefile.core import jobs
from casefile.core.models import Job
from casefile.returns import census, validation

KIND = "cin_census"


def export_in_background(*, actor: User, year: str) -> Job:
    census.census_year(year)  # an unknown year is refused before anything is queued
    return jobs.start(cin_census_task, actor=actor, kind=KIND, back_url=reverse("returns:census"),
                      description=f"CIN census {year}", details={"year": year}, year=year)


def finished_export(user: User, job_id) -> Job | None:
    job = jobs.job_for(user, job_id, kind=KIND)
    if job is None or job.status != Job.Status.DONE:
        return None
    return job


@task()
def cin_census_task(*, job_id: str, year: str) -> None:
    jobs.run(job_id, lambda job: _make_file(job, year))


def _make_file(job: Job, year: str) -> jobs.Result:
    # Checked again here: the role may have changed while the job waited.
    if not permissions.may_make_returns(job.started_by):
        raise jobs.JobFailed("You can no longer make statutory returns, so the census file was not made.")
    try:
        made = census.export_and_validate(
            year, progress=lambda done, total, stage: jobs.job_progress(job, done, total, stage))
    except census.SchemaProblem as problem:
        raise jobs.JobFailed(f"{problem} Nothing was kept. Tell your system administrator, quoting job "
                             f"{job.pk}.") from None
    validation.keep_export(job, year=year, filename=census.filename(year), size=len(made.xml), census=made.census,
                           issues=made.issues)
    jobs.job_progress(job, census.STAGES, census.STAGES, "Done")
    job.details.update(bytes=len(made.xml))
    Job.objects.filter(pk=job.pk).update(details=job.details)
    return jobs.Result(url=reverse("returns:validation_results", kwargs={"job_id": job.pk}), file=made.xml,
                       filename=census.filename(year))
