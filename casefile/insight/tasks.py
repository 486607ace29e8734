"""Insight's work that runs in the background (ADR 0011, docs/background-tasks.md): computing the kept figures
(insight/figures.py), a performance clinic as a PDF, and the self-evaluation pack. The clinic's PDF is kept on its
job and the pack on the pack, for the person who asked; each download is audited as the export, and the work checks
again that the person may still do it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from casefile.access import permissions
from casefile.accounts.models import User
from casefile.casework.caseloads import teams_overseen_by
from casefile.core import jobs
from casefile.core.models import Job
from casefile.core.pdf import render_pdf
from casefile.insight import clinic, clinic_pdf, figures, neighbours, pack_record
from casefile.insight import pack as pack_rules
from casefile.insight import pack_presenters as present
from casefile.insight.models import SelfEvaluationPack
from casefile.rules.indicators import Period

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


def _team_ids(scope: clinic.Scope) -> list | None:
    """A scope's teams as a task's JSON argument; `_scope` makes the scope again."""
    return sorted(scope.team_ids) if scope.team_ids is not None else None


def _scope(team_ids: list | None, worker_id: int | None) -> clinic.Scope:
    return clinic.Scope(team_ids=frozenset(team_ids) if team_ids is not None else None, worker_id=worker_id)


def work_out_in_background(*, actor: User, scope: clinic.Scope, periods, title: str, back_url: str,
                           indicators_only: bool = False) -> Job:
    """Queue working out and keeping one scope's figures for periods the nightly job does not keep (figures.keep).
    `title`: whose figures and for when, in words, for the progress page."""
    team_ids = _team_ids(scope)
    chosen = clinic_pdf.periods_as_json(periods)
    return jobs.start(work_out_task, actor=actor, kind=KIND, back_url=back_url,
                      description=f"Work out the performance figures: {title}",
                      details={"team_ids": team_ids, "worker_id": scope.worker_id, "periods": chosen},
                      team_ids=team_ids, worker_id=scope.worker_id, periods=chosen, indicators_only=indicators_only)


@task()
def work_out_task(*, job_id: str, team_ids: list | None, worker_id: int | None, periods: list,
                  indicators_only: bool) -> None:
    jobs.run(job_id, lambda job: _work_out(job, team_ids, worker_id, periods, indicators_only))


def _work_out(job: Job, team_ids, worker_id, periods, indicators_only: bool) -> jobs.Result:
    if not may_see_scope(job.started_by, team_ids, worker_id):
        raise jobs.JobFailed("You can no longer see these figures, so they were not worked out.")
    scope = _scope(team_ids, worker_id)
    kept = figures.keep(scope, clinic_pdf.periods_from_json(periods), indicators_only=indicators_only,
                        progress=lambda done, total, stage: jobs.job_progress(job, done, total, stage))
    job.details.update(kept=kept)
    Job.objects.filter(pk=job.pk).update(details=job.details)
    return jobs.Result(url=job.back_url or reverse("insight:clinic"))


CLINIC_PDF = "clinic_pdf"
CLINIC_STEPS = 3


def export_clinic(*, actor: User, title: str, scope: clinic.Scope, periods, params: dict, back_url: str) -> Job:
    """Queue the clinic for `scope` and `periods` (the last is the one chosen) as a PDF."""
    team_ids = _team_ids(scope)
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
    scope = _scope(team_ids, worker_id)
    jobs.job_progress(job, 0, CLINIC_STEPS, "Reading the figures")
    kept = figures.kept_for(scope, chosen)
    found = kept.clinic_figures() if kept else None
    if found is None:  # as the clinic page: the kept figures when every period is kept, else from the record
        kept = None
        jobs.job_progress(job, 1, CLINIC_STEPS, "Working out the indicators from the record")
        # Counts only, as kept: the PDF names no child. Group by group, in a process for each core (ADR 0031).
        found = figures.clinic_figures_of(chosen, figures.indicators_over(scope, chosen))
    jobs.job_progress(job, 2, CLINIC_STEPS, "Laying out the PDF")
    pdf = clinic_pdf.render(title, chosen, found, produced_by=job.started_by,
                            computed_at=kept.computed_at if kept else None)
    jobs.job_progress(job, CLINIC_STEPS, CLINIC_STEPS, "Ready")
    return jobs.Result(url=reverse("insight:clinic_pdf_download", kwargs={"job_id": job.pk}), file=pdf,
                       filename=clinic_pdf.filename(chosen))


# The self-evaluation pack ----------------------------------------------------------------------------------------

PACK = "self_evaluation_pack"
PACK_STEPS = ("Reading the record for the indicators", "Reading the case file audits", "Counting the quality signals",
              "Comparing with the last pack", "Laying out the PDF")
PACK_CSS = """
h3 { font-size: 11pt; margin: 8pt 0 4pt; }
h2 { break-before: page; }
svg.cf-chart { display: block; margin: 6pt 0; }
"""
PACK_REFUSED = "You can no longer make self-evaluation packs, so the pack was not made."
PACK_UNEXPECTED = "It stopped because of an unexpected problem. Ask for the pack again."


def start_pack(*, actor: User, pack: SelfEvaluationPack) -> Job:
    period = present.period_text({"period": {"start": pack.period_start.isoformat(),
                                             "end": pack.period_end.isoformat()}})
    return jobs.start(pack_task, actor=actor, kind=PACK, back_url=reverse("insight:packs"),
                      description=f"Self-evaluation pack for {period}", details={"pack_id": pack.pk},
                      pack_id=pack.pk)


def previous_pack(pack: SelfEvaluationPack) -> SelfEvaluationPack | None:
    """The latest pack made before this one was asked for: the one it says what has changed since."""
    return (SelfEvaluationPack.objects.filter(status=SelfEvaluationPack.Status.DONE, created__lte=pack.created)
            .exclude(pk=pack.pk).defer("pdf").order_by("-created", "-pk").first())


@task()
def pack_task(*, job_id: str, pack_id: int) -> None:
    jobs.run(job_id, lambda job: _pack(job, pack_id))


def _pack(job: Job, pack_id: int) -> jobs.Result:
    pack = SelfEvaluationPack.objects.get(pk=pack_id)
    try:
        return _make_pack(job, pack)
    except jobs.JobFailed as refusal:
        _pack_failed(pack, str(refusal))
        raise
    except Exception:
        _pack_failed(pack, PACK_UNEXPECTED)
        raise


def _pack_failed(pack: SelfEvaluationPack, error: str) -> None:
    SelfEvaluationPack.objects.filter(pk=pack.pk).update(status=SelfEvaluationPack.Status.FAILED, error=error,
                                                         finished=timezone.now())


def _make_pack(job: Job, pack: SelfEvaluationPack) -> jobs.Result:
    if not permissions.may_make_self_evaluation_pack(job.started_by):
        raise jobs.JobFailed(PACK_REFUSED)
    SelfEvaluationPack.objects.filter(pk=pack.pk).update(status=SelfEvaluationPack.Status.RUNNING)
    period = Period(pack.period_start, pack.period_end)
    total = len(PACK_STEPS)
    jobs.job_progress(job, 0, total, PACK_STEPS[0])
    indicators = pack_record.indicators(period)
    jobs.job_progress(job, 1, total, PACK_STEPS[1])
    audits, sections, actions = pack_record.audits(period)
    re_audits = pack_record.re_audits(period)
    jobs.job_progress(job, 2, total, PACK_STEPS[2])
    signals = pack_record.signals(period)
    jobs.job_progress(job, 3, total, PACK_STEPS[3])
    figures = pack_rules.assemble(period, indicators=indicators, neighbours=neighbours.by_indicator(),
                                  audits=audits, sections=sections, areas=pack_record.areas(), actions=actions,
                                  re_audits=re_audits, signals=signals)
    previous = previous_pack(pack)
    changes = pack_rules.changes(figures, previous.figures if previous else None)
    jobs.job_progress(job, 4, total, PACK_STEPS[4])
    pdf = render_pdf("insight/pack_pdf.html", {
        **present.pdf_context(figures, changes, previous), "produced_by": job.started_by,
        "produced_at": timezone.now()}, stylesheets=[PACK_CSS])
    filename = f"self-evaluation-pack-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.pdf"
    SelfEvaluationPack.objects.filter(pk=pack.pk).update(
        status=SelfEvaluationPack.Status.DONE, pdf=pdf, filename=filename, figures=figures, previous=previous,
        finished=timezone.now())
    jobs.job_progress(job, total, total, "Ready")
    return jobs.Result(url=reverse("insight:pack_download", kwargs={"pack_id": pack.pk}))
