"""Moderation, re-audit and the quality reports: moderating a completed audit blind and then seeing the two sets of
grades side by side; starting a re-audit once the actions are done; moderation's agreement; the impact measured at
re-audit; the theme report for the leadership team; and the audit of audits.

Pages about one child go through @record_view (404 to anyone the access policy does not let see her, and audited).
The reports show figures across every team and name a child only where the reader may open the record, with the
children named recorded as shown. What a user may do is asked of access/permissions.py before a form is shown.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.access.records import record_shown, record_view
from casefile.core.forms import posted, save_or_show
from casefile.core.methods import allow_methods
from casefile.people.models import Person
from casefile.quality import presenters, reports, services
from casefile.quality import report_presenters as present
from casefile.quality.evidence import record_evidence
from casefile.quality.forms import (
    ModerationForm,
    ModerationOutcomeForm,
    ReAuditForm,
    StartModerationForm,
    ThemePeriodForm,
)
from casefile.quality.models import CaseFileAudit, Moderation


def _refuse_unless(allowed: bool, why: str) -> None:
    if not allowed:
        raise PermissionDenied(why)


def _audit(request, person: Person, audit_id: int) -> CaseFileAudit:
    audit = get_object_or_404(CaseFileAudit.objects.select_related("template", "auditor"), pk=audit_id, child=person)
    if not permissions.may_see_case_file_audit(request.user, audit):
        raise Http404("No audit found")
    audit.child = person
    return audit


def _sections(audit: CaseFileAudit) -> list:
    return list(audit.template.sections.order_by("position", "pk"))


# Moderating an audit -------------------------------------------------------------------------------------


def _start_moderation(request, audit: CaseFileAudit, form):
    return save_or_show(request, form, lambda data: services.start_moderation(
        actor=request.user, request=request, audit=audit, blind=data["blind"]))


def _submit_moderation(request, moderation: Moderation, form):
    return save_or_show(request, form, lambda data: services.submit_moderation(
        actor=request.user, request=request, moderation=moderation, **form.values(data)), record=moderation)


def _record_outcome(request, moderation: Moderation, form):
    return save_or_show(request, form, lambda data: services.record_moderation_outcome(
        actor=request.user, request=request, moderation=moderation, outcome=data["outcome"] or "",
        final_grade=data["final_grade"] or ""), record=moderation)


@record_view("GET", "POST")
def moderation(request, person: Person, audit_id: int):
    """One page for the whole moderation, by where it stands for this user: the start (for someone who may
    moderate and has not), the blind form (their moderation in progress: the first auditor's grades are not on
    it), then the two sets of grades side by side with the outcome to record; for everyone else who may see the
    audit, the moderations submitted so far."""
    user = request.user
    audit = _audit(request, person, audit_id)
    moderations = list(reports.moderations_of(audit))
    for each in moderations:
        each.audit = audit
    mine = next((each for each in moderations if each.moderator_id == user.pk), None)
    sections = _sections(audit)
    # Blind: whoever may still moderate, or is moderating, is not shown the auditor's overall grade.
    blind = mine is None and permissions.may_moderate_case_file_audit(user, audit) or (
        mine is not None and not mine.is_submitted)
    context = {"person": person, "audit": audit, "summary_rows": presenters.summary_rows(audit, blind=blind),
               "page_title": f"Moderation: {audit.template.name}: {person.full_name}"}
    if mine is not None and permissions.may_change_moderation(user, mine):
        saved = {row.section_id: row for row in mine.grades.all()}
        initial = {"overall_grade": mine.overall_grade, "comment": mine.comment}
        for section in sections:
            initial[services.grade_field(section.pk)] = getattr(saved.get(section.pk), "grade", "")
            initial[services.comment_field(section.pk)] = getattr(saved.get(section.pk), "comment", "")
        form = ModerationForm(posted(request), sections=sections, initial=initial)
        if _submit_moderation(request, mine, form):
            messages.success(request, "Your grades are submitted: the auditor’s are now beside them")
            return redirect(presenters.audit_url(audit, "quality:moderation"))
        evidence = presenters.evidence_by_area(record_evidence(person, request=request))
        return render(request, "quality/moderate.html", {**context, "form": form, "evidence": evidence})
    outcome_form = None
    if mine is not None and permissions.may_record_moderation_outcome(user, mine):
        outcome_form = ModerationOutcomeForm(posted(request))
        if _record_outcome(request, mine, outcome_form):
            messages.success(request, "The outcome of the moderation is recorded")
            return redirect(presenters.audit_url(audit, "quality:moderation"))
    start_form = None
    if mine is None and permissions.may_moderate_case_file_audit(user, audit):
        start_form = StartModerationForm(posted(request))
        if _start_moderation(request, audit, start_form):
            return redirect(presenters.audit_url(audit, "quality:moderation"))
    elif request.method == "POST" and outcome_form is None:
        raise PermissionDenied("Only a second auditor moderates this audit, and only once: you may not change it")
    first_grades = {row.section_id: row.grade for row in audit.grades.all()}
    shown = [each for each in moderations if each.is_submitted or each is mine]
    return render(request, "quality/moderation.html", {
        **context, "start_form": start_form, "outcome_form": outcome_form,
        "being_moderated": [str(each.moderator) for each in moderations if not each.is_submitted],
        "moderations": [{"moderation": each, "rows": present.moderation_rows(each),
                         "table": present.comparison_table(each, sections, first_grades, audit)}
                        for each in shown if each.is_submitted],
        "is_auditor": audit.auditor_id == user.pk,
    })


@allow_methods("POST")
def start_moderation(request, audit_id: int):
    """Start moderating an audit chosen from the quality page's list: a QA officer's start samples the child,
    which opens her record to them, so this is reached by the audit alone; then the blind form."""
    audit = get_object_or_404(CaseFileAudit.objects.select_related("child", "template", "auditor"), pk=audit_id)
    _refuse_unless(permissions.may_moderate_case_file_audit(request.user, audit),
                   "Audits are moderated by a second auditor: a quality-assurance officer or a manager who may open "
                   "the child’s record, never the auditor")
    form = StartModerationForm(request.POST)
    if _start_moderation(request, audit, form):
        return redirect(presenters.audit_url(audit, "quality:moderation"))
    messages.error(request, " ".join(message for messages_ in form.errors.values() for message in messages_))
    return redirect("quality:home")


# Re-audit ------------------------------------------------------------------------------------------------


@record_view("GET", "POST")
def re_audit(request, person: Person, audit_id: int):
    """Re-audit the child's file with the same tool once every action from the audit is done: the page says which
    are open before anyone is offered the button."""
    audit = _audit(request, person, audit_id)
    _refuse_unless(permissions.may_start_re_audit(request.user, audit),
                   "Re-audits are made by quality-assurance officers, managers and administrators who may audit "
                   "the child’s file, of a completed audit")
    open_actions = [action for action in audit.actions.select_related("assignee").order_by("due_date", "pk")
                    if action.completed_on is None]
    earlier = audit.re_audits.select_related("auditor").order_by("pk").first()
    form = ReAuditForm(posted(request))
    created = save_or_show(request, form, lambda data: services.start_re_audit(
        actor=request.user, request=request, audit=audit))
    if created:
        messages.success(request, "Re-audit started: grade each section as it stands now")
        return redirect(presenters.audit_url(created, "quality:grade_audit"))
    for action in open_actions:
        action.audit = audit
    return render(request, "quality/re_audit.html", {
        "person": person, "audit": audit, "form": form, "summary_rows": presenters.summary_rows(audit),
        "earlier": earlier, "earlier_href": presenters.audit_url(earlier) if earlier else None,
        "open_table": presenters.actions_table(open_actions, timezone.localdate(),
                                               caption="Actions still open") if open_actions else None,
        "page_title": f"Re-audit: {audit.template.name}: {person.full_name}",
    })


# The reports ---------------------------------------------------------------------------------------------


def _reports_only(request) -> None:
    _refuse_unless(permissions.may_see_quality_reports(request.user),
                   "The quality reports are for quality-assurance officers, managers and administrators")


@allow_methods("GET")
def agreement(request):
    _reports_only(request)
    report = reports.agreement_report()
    return render(request, "quality/agreement.html", {
        "report": report, "tables": present.agreement_tables(report), "kappa_sentence": present.KAPPA_SENTENCE,
        "page_title": "Moderation: agreement between auditors"})


@allow_methods("GET")
def impact(request):
    _reports_only(request)
    report = reports.impact_report()
    children = {each.re_audit.child_id: each.re_audit.child for each in report.re_audits}
    shown = set(policy.viewable_people(request.user, Person.objects.filter(pk__in=list(children)))
                .values_list("pk", flat=True))
    record_shown(request, sorted(shown))
    return render(request, "quality/impact.html", {
        "report": report, "tables": present.impact_tables(report, shown),
        "page_title": "Re-audits: the impact of audits"})


def _period(form: ThemePeriodForm, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period chosen, or the 12 months to today; a start after the end is refused on the form."""
    default = (today - datetime.timedelta(days=364), today)
    if not form.is_bound or not form.is_valid():
        return default
    start, end = form.cleaned_data["start"] or default[0], form.cleaned_data["end"] or default[1]
    if start > end:
        form.add_error("start", "The date it is from must be on or before the date it is to")
        return default
    return start, end


@allow_methods("GET")
def themes(request):
    """Grades by practice area across teams for a period, for the leadership team, with the common findings."""
    _reports_only(request)
    today = timezone.localdate()
    chosen = {key: value for key, value in request.GET.items() if key.startswith(("start", "end"))}
    form = ThemePeriodForm(chosen or None, initial={"start": today - datetime.timedelta(days=364), "end": today})
    start, end = _period(form, today)
    report = reports.theme_report(start, end)
    return render(request, "quality/themes.html", {
        "form": form, **present.theme_context(report),
        "page_title": "Theme report: case file audits across teams"})


@allow_methods("GET")
def auditors(request):
    _reports_only(request)
    return render(request, "quality/auditors.html", {
        "table": present.auditors_table(reports.auditor_records()), "page_title": "The audit of audits"})


urlpatterns = [
    path("quality/audits/<int:audit_id>/moderate/", start_moderation, name="start_moderation"),
    path("people/<int:person_id>/audits/<int:audit_id>/moderation/", moderation, name="moderation"),
    path("people/<int:person_id>/audits/<int:audit_id>/re-audit/", re_audit, name="re_audit"),
    path("quality/agreement/", agreement, name="agreement"),
    path("quality/impact/", impact, name="impact"),
    path("quality/themes/", themes, name="themes"),
    path("quality/auditors/", auditors, name="auditors"),
]
