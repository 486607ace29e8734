"""Case file audit pages: the quality page (an auditor's audits in progress and completed, the actions that follow
from them, and where an audit is started), a child's audits, grading an audit with the evidence from the record
beside each section, a completed audit, and its actions.

Every page about one child goes through @record_view, so it answers 404 to anyone the access policy does not let
see the child (a QA officer sees a child once starting an audit has sampled them) and its view is audited; every
record in the URL is fetched with the child as a filter. What a user may do is asked of access/permissions.py
before a form is shown, so nobody fills in a form they may not send.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone

from casefile.access import permissions
from casefile.access.records import record_shown, record_view
from casefile.core.forms import posted, save_or_show
from casefile.core.methods import allow_methods
from casefile.core.pagination import paginate
from casefile.core.presenters import govuk_date
from casefile.people.models import Person
from casefile.quality import presenters, services
from casefile.quality.audits import (
    action_assignees,
    audit_actions,
    audits_by,
    audits_of_child,
    default_due_date,
    open_actions_set_by,
    overall_changes,
    re_audit_impact,
)
from casefile.quality.evidence import record_evidence
from casefile.quality.forms import AuditActionForm, AuditForm, CompleteActionForm, StartAuditForm
from casefile.quality.models import AuditTemplate, CaseFileAudit, Moderation
from casefile.quality.reports import audits_to_moderate

# How many completed audits the quality page offers to moderate, newest first.
MODERATION_LIST = 10


def _refuse_unless(allowed: bool, why: str) -> None:
    if not allowed:
        raise PermissionDenied(why)


def _audit(request, person: Person, audit_id: int) -> CaseFileAudit:
    """The child's audit, if this user may see it (404 otherwise, as for one that does not exist)."""
    audit = get_object_or_404(CaseFileAudit.objects.select_related("template", "auditor"), pk=audit_id, child=person)
    if not permissions.may_see_case_file_audit(request.user, audit):
        raise Http404("No audit found")
    audit.child = person  # the same person: saves a query wherever the page names the child
    return audit


def _sections(audit: CaseFileAudit) -> list:
    return list(audit.template.sections.prefetch_related("questions").order_by("position", "pk"))


# The quality page ---------------------------------------------------------------------------------------


@allow_methods("GET")
def home(request):
    """An auditor's own audits (in progress, then completed, paged) and the open actions from them."""
    user = request.user
    _refuse_unless(permissions.may_conduct_case_file_audits(user),
                   "Case file audits are for quality-assurance officers, managers and administrators")
    in_progress = list(audits_by(user).filter(status=CaseFileAudit.Status.IN_PROGRESS))
    completed = paginate(request, audits_by(user).filter(status=CaseFileAudit.Status.COMPLETED))
    actions = list(open_actions_set_by(user))
    to_moderate = list(audits_to_moderate(user)[:MODERATION_LIST])
    today = timezone.localdate()
    overdue = sum(1 for action in actions if action.is_overdue(today))
    record_shown(request, [audit.child for audit in in_progress + list(completed.object_list)]
                 + [action.audit.child for action in actions])
    return render(request, "quality/home.html", {
        "in_progress_table": presenters.audits_table(in_progress, caption="Audits in progress")
        if in_progress else None,
        "completed": completed,
        "completed_table": presenters.audits_table(completed.object_list, caption="Completed audits")
        if completed.object_list else None,
        "actions_table": presenters.actions_table(actions, today, caption="Open actions from your audits",
                                                  with_child=True) if actions else None,
        "open_actions": len(actions), "overdue_actions": overdue,
        "may_draw_sample": permissions.may_draw_audit_sample(user),
        "may_see_coverage": permissions.may_see_audit_coverage(user),
        "may_see_reports": permissions.may_see_quality_reports(user),
        "to_moderate": presenters.to_moderate_rows(to_moderate),
        "page_title": "Case file audits",
    })


@allow_methods("GET", "POST")
def start_audit(request):
    """Choose a child, by their Casefile number, and an audit tool."""
    _refuse_unless(permissions.may_conduct_case_file_audits(request.user),
                   "Case file audits are started by quality-assurance officers, managers and administrators")
    templates = list(AuditTemplate.objects.filter(in_use=True).order_by("name", "pk"))
    chosen = {template.pk: template for template in templates}
    form = StartAuditForm(posted(request), templates=templates)
    audit = save_or_show(request, form, lambda data: services.start_case_file_audit(
        actor=request.user, request=request, child_reference=data["child"] or "",
        template=chosen.get(data["template"])))
    if audit:
        messages.success(request, "Audit started: grade each section with the evidence from the record beside it")
        return redirect(presenters.audit_url(audit, "quality:grade_audit"))
    return render(request, "quality/start.html", {
        "form": form, "templates": templates, "page_title": "Start a case file audit"})


# A child's audits ---------------------------------------------------------------------------------------


@record_view("GET")
def child_audits(request, person: Person):
    user = request.user
    every = list(audits_of_child(person))
    audits = [audit for audit in every if permissions.may_see_case_file_audit(user, audit)]
    for audit in audits:
        audit.child = person
    # Moderation is blind: an audit this user is moderating is listed without its grade, and a re-audit of it
    # without the change in grade.
    blind = frozenset(Moderation.objects.filter(moderator=user, status=Moderation.Status.IN_PROGRESS,
                                                audit__child=person).values_list("audit_id", flat=True))
    return render(request, "quality/child_audits.html", {
        "person": person, "count": len(audits),
        "table": presenters.audits_table(audits, caption="Case file audits, newest first", with_child=False,
                                         blind=blind, changes=overall_changes(every)),
        "may_audit": permissions.may_audit_child(user, person),
        "page_title": f"Case file audits: {person.full_name}",
    })


@record_view("GET", "POST")
def grade_audit(request, person: Person, audit_id: int):
    """The audit's form: each section's grade, comment and answers, with the evidence from the record beside it.
    "Save and come back later" keeps what is done; "Complete the audit" also completes it, if everything is
    graded."""
    audit = _audit(request, person, audit_id)
    if audit.is_completed and audit.auditor_id == request.user.pk:
        return redirect(presenters.audit_url(audit))  # the auditor's own link, once it is done
    _refuse_unless(permissions.may_change_case_file_audit(request.user, audit),
                   "Only the auditor grades the audit, while it is in progress")
    sections = _sections(audit)
    saved_grades = {row.section_id: row for row in audit.grades.all()}
    saved_answers = {row.question_id: row.answer for row in audit.answers.all()}
    initial = {"overall_grade": audit.overall_grade, "summary": audit.summary,
               "childs_feedback": audit.childs_feedback, "family_feedback": audit.family_feedback}
    for section in sections:
        row = saved_grades.get(section.pk)
        initial[services.grade_field(section.pk)] = row.grade if row else ""
        initial[services.comment_field(section.pk)] = row.comment if row else ""
        for question in section.questions.all():
            initial[services.answer_field(question.pk)] = saved_answers.get(question.pk, "")
    form = AuditForm(posted(request), sections=sections, initial=initial)
    complete = request.POST.get("complete") == "yes"
    if save_or_show(request, form, lambda data: services.save_case_file_audit(
            actor=request.user, request=request, audit=audit, complete=complete, **form.values(data)),
            record=audit):
        if complete:
            messages.success(request, "Audit completed: now set the actions for the worker and the manager")
            return redirect(presenters.audit_url(audit))
        messages.success(request, "Your grades and comments are saved")
        return redirect(presenters.audit_url(audit, "quality:grade_audit"))
    evidence = record_evidence(person, request=request)
    return render(request, "quality/grade.html", {
        "person": person, "audit": audit, "form": form, "summary_rows": presenters.summary_rows(audit),
        "evidence": presenters.evidence_by_area(evidence), "signals": presenters.signal_rows(evidence),
        "page_title": f"{audit.template.name}: {person.full_name}",
    })


@record_view("GET")
def audit_page(request, person: Person, audit_id: int):
    """A completed audit (or, for someone other than its auditor, one in progress as it stands)."""
    audit = _audit(request, person, audit_id)
    user = request.user
    if not audit.is_completed and permissions.may_change_case_file_audit(user, audit):
        return redirect(presenters.audit_url(audit, "quality:grade_audit"))
    moderations = list(audit.moderations.all())
    if any(each.moderator_id == user.pk and not each.is_submitted for each in moderations):
        # Moderation is blind: the moderator sees the auditor's grades only once they submit their own.
        return redirect(presenters.audit_url(audit, "quality:moderation"))
    evidence = presenters.evidence_by_area(record_evidence(person, request=request))
    actions = list(audit_actions(audit))
    sections = _sections(audit)
    measured = re_audit_impact(audit)
    if measured is not None and Moderation.objects.filter(audit_id=audit.re_audit_of_id, moderator=user,
                                                          status=Moderation.Status.IN_PROGRESS).exists():
        measured = None  # blind: the change would show the grades of the audit this user is moderating
    return render(request, "quality/audit.html", {
        "person": person, "audit": audit, "summary_rows": presenters.summary_rows(audit),
        "feedback_rows": presenters.feedback_rows(audit),
        "sections": presenters.graded_sections(audit, sections, evidence),
        "change_table": presenters.change_table(measured, sections) if measured else None,
        "overall_change": presenters.change_text(measured.overall) if measured else "",
        "actions_table": presenters.actions_table(
            actions, timezone.localdate(), caption="Actions from this audit",
            may_complete=lambda action: permissions.may_complete_audit_action(user, action)) if actions else None,
        "may_add_action": permissions.may_add_audit_action(user, audit),
        "may_moderate": permissions.may_moderate_case_file_audit(user, audit)
        and not any(each.moderator_id == user.pk for each in moderations),
        "moderations": len([each for each in moderations if each.is_submitted]),
        "may_re_audit": permissions.may_start_re_audit(user, audit),
        "re_audit_of": presenters.re_audit_of_text(audit),
        "page_title": f"{audit.template.name}: {person.full_name}",
    })


# Actions --------------------------------------------------------------------------------------------------


def _form_page(request, person: Person, form, *, title: str, submit: str, back: str, **extra):
    return render(request, "casework/plans/form.html", {
        "person": person, "form": form, "page_title": title, "submit": submit, "back": back, **extra})


@record_view("GET", "POST")
def add_audit_action(request, person: Person, audit_id: int):
    audit = _audit(request, person, audit_id)
    _refuse_unless(permissions.may_add_audit_action(request.user, audit),
                   "Only the auditor sets the actions from a completed audit")
    assignees = action_assignees(person)
    chosen = {assignee.pk: assignee for assignee in assignees}
    form = AuditActionForm(posted(request), assignees=assignees, initial={"due_date": default_due_date(audit)})
    if save_or_show(request, form, lambda data: services.add_audit_action(
            actor=request.user, request=request, audit=audit, assignee=chosen.get(data["assignee"]),
            description=data["description"], due_date=data["due_date"])):
        return redirect(presenters.audit_url(audit))
    intro = (f"The audit was completed on {govuk_date(audit.completed_on)}. An action is for the child’s worker or "
             f"their manager, who marks it done and says what was done.")
    if not assignees:
        intro = "No worker is allocated to this child, so there is nobody to set an action for yet."
    return _form_page(request, person, form, title="Set an action from the audit", submit="Set the action",
                      back=presenters.audit_url(audit), intro=intro)


@record_view("GET", "POST")
def complete_audit_action(request, person: Person, audit_id: int, audit_action_id: int):
    audit = _audit(request, person, audit_id)
    action = get_object_or_404(audit.actions.select_related("assignee"), pk=audit_action_id)
    action.audit = audit
    _refuse_unless(permissions.may_complete_audit_action(request.user, action),
                   "Only the person the action is for, or the auditor, marks an open action done")
    form = CompleteActionForm(posted(request), initial={"completed_on": timezone.localdate()})
    if save_or_show(request, form, lambda data: services.complete_audit_action(
            actor=request.user, request=request, action=action, **data), record=action):
        messages.success(request, "Action marked done")
        return redirect(presenters.audit_url(audit))
    return _form_page(request, person, form, title="Mark the action done", submit="Mark it done",
                      back=presenters.audit_url(audit), intro=action.description)


urlpatterns = [
    path("quality/", home, name="home"),
    path("quality/audits/new/", start_audit, name="start_audit"),
    path("people/<int:person_id>/audits/", child_audits, name="child_audits"),
    path("people/<int:person_id>/audits/<int:audit_id>/", audit_page, name="audit"),
    path("people/<int:person_id>/audits/<int:audit_id>/grade/", grade_audit, name="grade_audit"),
    path("people/<int:person_id>/audits/<int:audit_id>/actions/new/", add_audit_action, name="add_action"),
    path("people/<int:person_id>/audits/<int:audit_id>/actions/<int:audit_action_id>/done/", complete_audit_action,
         name="complete_action"),
]

