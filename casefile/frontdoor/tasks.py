"""Front-door work that runs in the background (ADR 0011): confirming a police file as contacts."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from casefile.accounts.models import User
from casefile.core import jobs
from casefile.frontdoor.models import ImportBatch
from casefile.frontdoor.services import imports

KIND = "police_confirmation"


def confirm_in_background(*, actor: User, batch: ImportBatch, resolutions: dict[int, int | str | None]):
    """Check the choices now, so the preview can show what is missing at once, then queue the confirmation."""
    imports.check_confirmation(batch=batch, resolutions=resolutions)
    url = reverse("frontdoor:police_batch", kwargs={"batch_id": batch.pk})
    return jobs.start(confirm_police_batch, actor=actor, kind=KIND, back_url=url,
                      description=f"Importing {batch.filename} ({batch.incident_count:,} incidents)",
                      batch_id=batch.pk,
                      # JSON keys are strings: the task turns them back into ids.
                      resolutions={str(entry): person for entry, person in resolutions.items()})


@task()
def confirm_police_batch(*, job_id: str, batch_id: int, resolutions: dict[str, int | str | None]) -> None:
    jobs.run(job_id, lambda job: _confirm(job, batch_id, {int(key): value for key, value in resolutions.items()}))


def _confirm(job, batch_id: int, resolutions: dict[int, int | str | None]) -> jobs.Result:
    batch = ImportBatch.objects.get(pk=batch_id)
    imports.confirm_batch(actor=job.started_by, batch=batch, resolutions=resolutions,
                          progress=lambda done, total, stage: jobs.job_progress(job, done, total, stage))
    return jobs.Result(url=reverse("frontdoor:police_batch", kwargs={"batch_id": batch.pk}))
