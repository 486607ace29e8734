"""Insight's work that runs in the background (ADR 0011, docs/background-tasks.md): a performance clinic as a PDF,
and the self-evaluation pack. Each is kept for the person who asked (the clinic's PDF on its job, the pack on the
pack); each download is audited as the export, and the work checks again that the person may still do it."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from casefile.access import permissions
from casefile.accounts.models import User
from casefile.casework.caseloads import teams_overseen_by
from casefile.core import jobs
from casefile.core.models import Job
from casefile.insight import clinic, clinic_pdf, cohort

CLINIC_PDF = "clinic_pdf"
CLINIC_STEPS = 3


def export_clinic(*, actor: User, title: str, scope: clinic.Scope, periods, params: dict, back_url: str) -> Job:
    """Queue the clinic for `scope` and `periods` (the last is the one chosen) as a PDF."""
    team_ids = sorted(scope.team_ids) if scope.team_ids is not None else None
    return jobs.start(clinic_pdf_task, actor=actor, kind=CLINIC_PDF, back_url=back_url,
                      description=f"Performance clinic as a PDF: {title}",
                      details={"title": title, "params": params, "team_ids": team_ids, "worker_id": scope.worker_id,
                               "periods": clinic_pdf.periods_as_json(periods)},
                      title=title, team_ids=team_ids, worker_id=scope.worker_id,
                      periods=clinic_pdf.periods_as_json(periods))


def finished_clinic(user: User, job_id) -> Job | None:
    job = jobs.job_for(user, job_id, kind=CLINIC_PDF)
    return job if job is not None and job.status == Job.Status.DONE and job.result_file is not None else None


def may_see_scope(user: User, team_ids, worker_id) -> bool:
    """Whether `user` may still see these teams' (or this worker's) figures: a manager only their own teams'."""
    if not permissions.may_see_performance(user):
        return False
    if permissions.may_see_performance_of_every_team(user):
        return True
    allowed = set(teams_overseen_by(user).values_list("pk", flat=True))
    if worker_id is not None:
        return User.objects.filter(pk=worker_id, team_id__in=allowed).exists()
    return team_ids is not None and set(team_ids) <= allowed


@task()
def clinic_pdf_task(*, job_id: str, title: str, team_ids: list | None, worker_id: int | None,
                    periods: list) -> None:
    jobs.run(job_id, lambda job: _clinic_pdf(job, title, team_ids, worker_id, periods))


def _clinic_pdf(job: Job, title: str, team_ids, worker_id, periods) -> jobs.Result:
    if not may_see_scope(job.started_by, team_ids, worker_id):
        raise jobs.JobFailed("You can no longer see these figures, so the PDF was not made.")
    chosen = clinic_pdf.periods_from_json(periods)
    scope = clinic.Scope(team_ids=frozenset(team_ids) if team_ids is not None else None, worker_id=worker_id)
    jobs.job_progress(job, 0, CLINIC_STEPS, "Reading the record")
    record = cohort.load(chosen[-1].end)
    jobs.job_progress(job, 1, CLINIC_STEPS, "Working out the indicators")
    found = clinic.figures(record, chosen, scope)
    jobs.job_progress(job, 2, CLINIC_STEPS, "Laying out the PDF")
    pdf = clinic_pdf.render(title, chosen, found, produced_by=job.started_by)
    return jobs.Result(url=reverse("insight:clinic_pdf_download", kwargs={"job_id": job.pk}), file=pdf,
                       filename=clinic_pdf.filename(chosen))
