"""Validating a CIN census file in the background (ADR 0011): the page or the export starts it here, a worker
runs returns/validation.py's `check`, and the job's result is the results page."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from casefile.accounts.models import User
from casefile.core import jobs
from casefile.core.models import Job
from casefile.returns import validation
from casefile.returns.models import CensusValidation


def start_upload(*, actor: User, request=None, data: bytes, filename: str, year: str = "") -> Job:
    """Check an uploaded file: refused at once if it is plainly not a census, else queued."""
    chosen = validation.refuse_or_year(actor=actor, data=data, year=year)
    return _start(validation.keep_upload(actor=actor, request=request, data=data, filename=filename, year=chosen,
                                         source=CensusValidation.Source.UPLOAD))


def start_for_export(*, actor: User, request=None, job_id, year: str = "") -> Job:
    """Check one of Casefile's own census exports (a finished job of this person's with an XML file)."""
    export = validation.finished_export(actor, job_id)
    data = bytes(export.result_file)
    chosen = validation.refuse_or_year(actor=actor, data=data, year=year)
    return _start(validation.keep_upload(actor=actor, request=request, data=data, filename=export.result_filename,
                                         year=chosen, source=CensusValidation.Source.EXPORT))


def _start(kept: CensusValidation) -> Job:
    job = jobs.start(validate_census, actor=kept.started_by, kind=validation.KIND,
                     back_url=reverse("returns:validate"),
                     description=f"Checking {kept.filename} against the {kept.year} census rules",
                     details={"validation_id": kept.pk}, validation_id=kept.pk)
    CensusValidation.objects.filter(pk=kept.pk).update(job=job)
    return job


@task()
def validate_census(*, job_id: str, validation_id: int) -> None:
    jobs.run(job_id, lambda job: validation.check(job, validation_id))
