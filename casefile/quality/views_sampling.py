"""Sampling pages for case file audits (issue 12, item 1): the rounds, drawing a sample (random, thematic by a
cohort filter, or risk-based from quality signals), a round's children with why each was chosen, their auditors and
their audits, assigning the auditors, closing the round, the children sampled to an auditor (a partner auditor's one
page besides the records sampled to them), and audit coverage per team and worker.

A round and its children are seen only by those who draw samples (permissions.may_draw_audit_sample): to anyone
else a round's address answers 404, as one that does not exist. A sampled child is started only by their auditor.
Every page that names children writes one VIEW event naming those shown (access.records.record_shown).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone

from casefile.access import permissions
from casefile.access.records import record_shown
from casefile.accounts.models import Agency, Team, User
from casefile.core.forms import posted, save_or_show
from casefile.core.methods import allow_methods
from casefile.core.pagination import paginate
from casefile.quality import presenters, sampling, services
from casefile.quality.forms import AssignAuditorsForm, ConfirmForm, DrawRoundForm
from casefile.quality.models import AuditRound, AuditTemplate, SampledChild


def _refuse_unless(allowed: bool, why: str) -> None:
    if not allowed:
        raise PermissionDenied(why)


def _round(request, round_id: int) -> AuditRound:
    """The round, for those who draw samples; 404 for anyone else, as for a round that does not exist."""
    if not permissions.may_draw_audit_sample(request.user):
        raise Http404("No round found")
    return get_object_or_404(AuditRound.objects.select_related("template", "created_by"), pk=round_id)


@allow_methods("GET")
def rounds(request):
    _refuse_unless(permissions.may_draw_audit_sample(request.user),
                   "Rounds of case file audits are for quality-assurance officers and administrators")
    page = paginate(request, sampling.rounds())
    return render(request, "quality/rounds.html", {
        "page": page, "rounds_table": presenters.rounds_table(page.object_list) if page.object_list else None,
        "page_title": "Rounds of case file audits"})


@allow_methods("GET", "POST")
def draw_round(request):
    """Choose how to draw the sample, from which open cases, how many, with which tool and by when."""
    _refuse_unless(permissions.may_draw_audit_sample(request.user),
                   "Samples for case file audits are drawn by quality-assurance officers and administrators")
    teams = list(Team.objects.order_by("name", "pk"))
    workers = list(permissions.case_holders())
    templates = list(AuditTemplate.objects.filter(in_use=True).order_by("name", "pk"))
    form = DrawRoundForm(posted(request), teams=teams, workers=workers, templates=templates,
                         agencies=Agency.choices)
    by_pk = {"team": {team.pk: team for team in teams}, "worker": {worker.pk: worker for worker in workers},
             "template": {template.pk: template for template in templates}}
    audit_round = save_or_show(request, form, lambda data: services.draw_round(
        actor=request.user, request=request, name=data["name"], method=data["method"],
        filters=sampling.Filters(team=by_pk["team"].get(data["team"]), worker=by_pk["worker"].get(data["worker"]),
                                 plan_type=data["plan_type"], age_band=data["age_band"]),
        size=data["size"], template=by_pk["template"].get(data["template"]), due_by=data["due_by"],
        seed=data["seed"], partner_agency=data["partner_agency"]))
    if audit_round:
        messages.success(request, "Sample drawn: now assign an auditor to each child")
        return redirect(presenters.round_url(audit_round))
    return render(request, "quality/draw.html", {
        "form": form, "templates": templates, "page_title": "Draw a sample for case file audits"})


@allow_methods("GET")
def round_page(request, round_id: int):
    """The round: how it was drawn, and each child with why they were chosen, their auditor and their audit."""
    audit_round = _round(request, round_id)
    page = paginate(request, sampling.round_children(audit_round))
    record_shown(request, [sampled.child for sampled in page.object_list], subject=audit_round)
    return render(request, "quality/round.html", {
        "round": audit_round, "page": page, "method": presenters.method_text(audit_round),
        "status": presenters.round_status(audit_round),
        "children_table": presenters.round_children_table(page.object_list, request.user,
                                                 caption="Children in the sample"),
        "may_manage": permissions.may_manage_audit_round(request.user, audit_round),
        "page_title": audit_round.name})


@allow_methods("GET", "POST")
def assign_auditors(request, round_id: int):
    """An auditor for each child of the round: QA officers, managers and administrators, and for a multi-agency
    round the partner agency's auditors."""
    audit_round = _round(request, round_id)
    _refuse_unless(permissions.may_manage_audit_round(request.user, audit_round),
                   "Auditors are assigned by quality-assurance officers and administrators, while the round is open")
    children = sampling.round_children(audit_round)
    auditors = [user for user in User.objects.filter(is_active=True).select_related("team")
                .order_by("first_name", "last_name", "pk") if permissions.may_audit_in_round(user, audit_round)]
    chosen = {user.pk: user for user in auditors}
    form = AssignAuditorsForm(posted(request), children=children, auditors=auditors,
                              initial={services.auditor_field(sampled.pk): sampled.auditor_id for sampled in children})
    if save_or_show(request, form, lambda data: services.assign_auditors(
            actor=request.user, request=request, audit_round=audit_round,
            auditors={sampled.pk: chosen.get(data[services.auditor_field(sampled.pk)]) for sampled in children})):
        messages.success(request, "Auditors assigned: each can now start the audit of the children sampled to them")
        return redirect(presenters.round_url(audit_round))
    record_shown(request, [sampled.child for sampled in children], subject=audit_round)
    return render(request, "quality/assign.html", {
        "round": audit_round, "form": form, "rows": list(zip(children, form.rows, strict=True)),
        "page_title": f"Assign auditors: {audit_round.name}"})


@allow_methods("GET", "POST")
def close_round(request, round_id: int):
    """Close the round, after saying what that does: its samples close, so its auditors no longer see the records."""
    audit_round = _round(request, round_id)
    _refuse_unless(permissions.may_manage_audit_round(request.user, audit_round),
                   "Rounds are closed by quality-assurance officers and administrators, while they are open")
    form = ConfirmForm(posted(request))
    if save_or_show(request, form, lambda data: services.close_round(
            actor=request.user, request=request, audit_round=audit_round), record=audit_round):
        messages.success(request, "Round closed: the children’s records are no longer open to its auditors")
        return redirect(presenters.round_url(audit_round))
    return render(request, "quality/close_round.html", {
        "round": audit_round, "form": form, "page_title": f"Close the round: {audit_round.name}"})


@allow_methods("GET", "POST")
def start_sampled(request, round_id: int, sampled_id: int):
    """The assigned auditor confirms, then starts, the audit of a child sampled to them. Anyone else: 404."""
    sampled = get_object_or_404(SampledChild.objects.select_related("child", "round__template", "audit"),
                                pk=sampled_id, round_id=round_id, auditor=request.user)
    if sampled.audit_id is not None:
        return redirect(presenters.audit_url(sampled.audit, "quality:grade_audit"))
    _refuse_unless(permissions.may_start_sampled_audit(request.user, sampled),
                   "This round is closed: its audits can no longer be started")
    form = ConfirmForm(posted(request))
    audit = save_or_show(request, form, lambda data: services.start_sampled_audit(
        actor=request.user, request=request, sampled=sampled))
    if audit:
        messages.success(request, "Audit started: grade each section with the evidence from the record beside it")
        return redirect(presenters.audit_url(audit, "quality:grade_audit"))
    record_shown(request, [sampled.child], subject=sampled.round)
    return render(request, "quality/start_sampled.html", {
        "sampled": sampled, "form": form, "page_title": f"Start the audit of {sampled.child.full_name}"})


@allow_methods("GET")
def sampled_to_me(request):
    """The children sampled to the user in rounds still open, with their audits."""
    _refuse_unless(permissions.may_see_sampled_to_them(request.user),
                   "Children are sampled to quality-assurance officers, managers, administrators and partner "
                   "auditors")
    page = paginate(request, sampling.sampled_to(request.user))
    record_shown(request, [sampled.child for sampled in page.object_list])
    return render(request, "quality/sampled_to_me.html", {
        "page": page, "children_table": presenters.sampled_to_me_table(page.object_list, request.user)
        if page.object_list else None, "page_title": "Children sampled to you"})


@allow_methods("GET")
def coverage(request):
    """Per team and per worker: open cases, how many of those children had a case file audit completed in the last
    12 months, and the percentage; the teams drawn as a chart beside their table. No child is named."""
    _refuse_unless(permissions.may_see_audit_coverage(request.user),
                   "Audit coverage is for quality-assurance officers, performance analysts and administrators")
    report = sampling.coverage(timezone.localdate())
    workers = paginate(request, report.workers)
    return render(request, "quality/coverage.html", {
        "report": report, "chart": presenters.coverage_chart(report.teams),
        "teams_table": presenters.coverage_table([*report.teams, report.overall], caption="Coverage by team",
                                                 id="coverage-teams", first="Team"),
        "workers": workers,
        "workers_table": presenters.coverage_table(workers.object_list, caption="Coverage by worker",
                                                   id="coverage-workers", first="Worker"),
        "page_title": "Audit coverage"})


urlpatterns = [
    path("quality/rounds/", rounds, name="rounds"),
    path("quality/rounds/new/", draw_round, name="draw_round"),
    path("quality/rounds/<int:round_id>/", round_page, name="round"),
    path("quality/rounds/<int:round_id>/auditors/", assign_auditors, name="assign_auditors"),
    path("quality/rounds/<int:round_id>/close/", close_round, name="close_round"),
    path("quality/rounds/<int:round_id>/children/<int:sampled_id>/start/", start_sampled, name="start_sampled"),
    path("quality/sampled/", sampled_to_me, name="sampled_to_me"),
    path("quality/coverage/", coverage, name="coverage"),
]
