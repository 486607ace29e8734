"""People's work that runs in the background (ADR 0011): the chronology as a PDF, which takes seconds for a long
record. The file is kept on the job for the person who asked; the download page checks access and audits it."""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from django_tasks import task

from casefile.access import policy
from casefile.accounts.models import User
from casefile.casework.chronology import Filters, entries_shown_to
from casefile.core import jobs
from casefile.core.models import Job
from casefile.people import chronology_pdf
from casefile.people.chronology_forms import FilterForm
from casefile.people.models import Person

KIND = "chronology_pdf"


def export_in_background(*, actor: User, person: Person, query: str, reason: str, back_url: str) -> Job:
    return jobs.start(chronology_pdf_task, actor=actor, kind=KIND, back_url=back_url,
                      description=f"Chronology of {person.reference} as a PDF",
                      details={"person_id": person.pk, "reason": reason, "query": query},
                      person_id=person.pk, query=query)


def finished_export(user: User, job_id, person: Person) -> Job | None:
    job = jobs.job_for(user, job_id, kind=KIND)
    if job is None or job.status != Job.Status.DONE or job.details.get("person_id") != person.pk:
        return None
    return job


@task()
def chronology_pdf_task(*, job_id: str, person_id: int, query: str) -> None:
    jobs.run(job_id, lambda job: _make_pdf(job, person_id, query))


def _make_pdf(job: Job, person_id: int, query: str) -> jobs.Result:
    person = Person.objects.get(pk=person_id)
    # Checked again here: access may have changed while the job waited.
    if not (policy.can_view(job.started_by, person) and policy.can_export(job.started_by, person)):
        raise jobs.JobFailed("You can no longer export this record, so the PDF was not made.")
    jobs.job_progress(job, 0, 2, "Gathering the chronology")
    filters = FilterForm.for_query(QueryDict(query)).filters() or Filters()
    rows = entries_shown_to(job.started_by, person)
    shown = len(filters.apply(rows))
    jobs.job_progress(job, 1, 2, f"Laying out {shown:,} events as a PDF")
    pdf = chronology_pdf.render(person, filters, rows, query, produced_by=job.started_by)
    job.details.update(events=shown, filters=filters.as_details())
    Job.objects.filter(pk=job.pk).update(details=job.details)
    return jobs.Result(url=reverse("people:chronology_download", kwargs={"person_id": person.pk, "job_id": job.pk}),
                       file=pdf, filename=chronology_pdf.filename(person))
