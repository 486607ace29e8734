"""Returns made in the background (ADR 0011): the Ofsted Annex A workbook and the Standard Safeguarding Dataset
export. Each is kept on its job for the person who asked; asking and every download are audited (EXPORT events
with `details["return"]`), and the work checks again that the person may still make returns."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django_tasks import task

from casefile.access import permissions
from casefile.accounts.models import User
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core import jobs
from casefile.core.models import Job
from casefile.core.presenters import govuk_date
from casefile.returns import annex_a, census_tasks, data_quality, ssd, validation
from casefile.rules import annex_a as rules

ANNEX_A = "annex_a"
SSD = "ssd_export"
REFUSED = "You can no longer make returns, so the {what} was not made."


def start_annex_a(*, actor: User, request=None, inspection: datetime.date) -> Job:
    """Queue the Annex A workbook for an inspection date, and audit the asking."""
    job = jobs.start(annex_a_task, actor=actor, kind=ANNEX_A, back_url=reverse("returns:annex_a"),
                     description=f"Ofsted Annex A lists 1 to 7 for an inspection on {govuk_date(inspection)}",
                     details={"inspection_date": inspection.isoformat()}, inspection=inspection.isoformat())
    record(Action.EXPORT, actor=actor, request=request, subject=job,
           details={"return": ANNEX_A, "step": "asked", "inspection_date": inspection.isoformat(), "job": str(job.pk)})
    return job


def start_ssd(*, actor: User, request=None) -> Job:
    job = jobs.start(ssd_task, actor=actor, kind=SSD, back_url=reverse("returns:ssd"),
                     description="Standard Safeguarding Dataset export (child protection tables)")
    record(Action.EXPORT, actor=actor, request=request, subject=job,
           details={"return": SSD, "step": "asked", "job": str(job.pk)})
    return job


def finished(user: User, job_id, kind: str) -> Job | None:
    """The person's own finished job of this kind, with its file, or None."""
    job = jobs.job_for(user, job_id, kind=kind)
    return job if job is not None and job.status == Job.Status.DONE and job.result_file is not None else None


def recent(user: User, kind: str, limit: int = 5) -> list[Job]:
    """The person's latest jobs of this kind, newest first: one query, without the files themselves."""
    return list(Job.objects.filter(started_by=user, kind=kind).defer("result_file").order_by("-created_at")[:limit])


# Every kind of job a return or a census check runs.
RETURN_KINDS = (ANNEX_A, SSD, census_tasks.KIND, validation.KIND, data_quality.KIND)


def recent_returns(user: User, limit: int = 5) -> list[Job]:
    """The person's latest returns, validations and census checks of every kind, newest first: one query."""
    return list(Job.objects.filter(started_by=user, kind__in=RETURN_KINDS).defer("result_file")
                .order_by("-created_at")[:limit])


def audit_download(request, job: Job) -> None:
    """Each download is the export: one event naming the job and every child in the file (`shown`)."""
    record(Action.EXPORT, request=request, subject=job,
           details={"return": job.kind, "step": "downloaded", "job": str(job.pk), "filename": job.result_filename,
                    "inspection_date": job.details.get("inspection_date"), "rows": job.details.get("rows"),
                    "shown": job.details.get("people", [])})


def _still_allowed(job: Job, what: str) -> None:
    if not permissions.may_make_returns(job.started_by):
        raise jobs.JobFailed(REFUSED.format(what=what))


def _keep(job: Job, **details) -> None:
    job.details.update(details)
    Job.objects.filter(pk=job.pk).update(details=job.details)


@task()
def annex_a_task(*, job_id: str, inspection: str) -> None:
    jobs.run(job_id, lambda job: _annex_a(job, datetime.date.fromisoformat(inspection)))


def _annex_a(job: Job, inspection: datetime.date) -> jobs.Result:
    _still_allowed(job, "workbook")
    jobs.job_progress(job, 0, 3, "Reading the record")
    loaded = annex_a.load(inspection)
    jobs.job_progress(job, 1, 3, "Building lists 1 to 7")
    lists = rules.build(loaded, inspection)
    jobs.job_progress(job, 2, 3, "Writing the workbook")
    content = annex_a.workbook(lists, inspection)
    _keep(job, rows={str(number): len(rows) for number, rows in lists.items()},
          people=annex_a.people_in(lists, loaded))
    return jobs.Result(url=reverse("returns:annex_a_download", kwargs={"job_id": job.pk}), file=content,
                       filename=annex_a.filename(inspection))


@task()
def ssd_task(*, job_id: str) -> None:
    jobs.run(job_id, _ssd)


def _ssd(job: Job) -> jobs.Result:
    _still_allowed(job, "export")
    tables = ssd.TABLES
    jobs.job_progress(job, 0, len(tables) + 1, "Reading the record")
    loaded = ssd.load()
    rows = {}
    for done, table in enumerate(tables, start=1):
        jobs.job_progress(job, done, len(tables) + 1, f"Writing {table.name}")
        rows[table.name] = table.rows(loaded)
    content = ssd.zip_file(rows)
    _keep(job, rows={name: len(table_rows) for name, table_rows in rows.items()}, people=ssd.people_in(loaded))
    return jobs.Result(url=reverse("returns:ssd_download", kwargs={"job_id": job.pk}), file=content,
                       filename=ssd.filename(loaded.made_on))


def file_response(job: Job, content_type: str) -> HttpResponse:
    """The kept file as a download. Never cached: these files hold personal data."""
    response = HttpResponse(bytes(job.result_file), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=job.result_filename)
    response["Cache-Control"] = "no-store"
    return response
