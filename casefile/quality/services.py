"""Writes for case file audits: starting an audit of a child's file with an audit tool, grading it section by
section, completing it, and the actions that follow from it.

Each function takes keyword-only arguments with `actor` (and optional `request`), asks access/permissions.py
first (PermissionDenied names what the actor may not do), checks everything and raises a ValidationError keyed by
field, then writes inside one transaction, tells django-simple-history who made the change and adds an audit
event. Starting an audit by a QA officer samples the child (quality.CaseSample): the one way a QA officer's access
to a child's record is opened (access/policy.py, "qa_sample").
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casefile.access import permissions
from casefile.accounts.models import Agency, User
from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.core.presenters import govuk_date
from casefile.core.services import Errors, save_with_history
from casefile.people.models import Person
from casefile.quality import sampling
from casefile.quality.audits import action_assignees, child_for_reference, default_due_date
from casefile.quality.models import (
    AuditRound,
    AuditTemplate,
    CaseFileAudit,
    CaseFileAuditAction,
    CaseSample,
    Moderation,
    ModerationGrade,
    QuestionAnswer,
    SampledChild,
    SectionGrade,
)
from casefile.rules import sampling as sampling_rules
from casefile.rules import text_limits
from casefile.rules.audit_grades import ANSWER_LABELS, GRADE_LABELS

TEXT_LABELS = {"summary": "What you found", "childs_feedback": "The child’s feedback",
               "family_feedback": "The family’s feedback"}


def _today() -> datetime.date:
    return timezone.localdate()


def _text(value) -> str:
    return (value or "").strip()


def grade_field(section_id: int) -> str:
    """The field a section's grade is known by, in the service's errors and on the audit's form."""
    return f"grade_{section_id}"


def comment_field(section_id: int) -> str:
    return f"comment_{section_id}"


def answer_field(question_id: int) -> str:
    return f"answer_{question_id}"


def _sample_for(actor: User, child: Person, request=None) -> CaseSample | None:
    """A QA officer's open sample of the child, or a new one; a manager or administrator needs none."""
    if not permissions.audits_through_a_sample(actor):
        return None
    sample = CaseSample.objects.filter(child=child, officer=actor, closed_on__isnull=True).order_by("pk").first()
    if sample is None:
        sample = save_with_history(CaseSample(child=child, officer=actor, sampled_on=_today()), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=sample, child=child,
               details={"sampled_for": "case file audit"})
    return sample


def start_case_file_audit(*, actor: User, request=None, child: Person | None = None, child_reference: str = "",
                          template: AuditTemplate | None) -> CaseFileAudit:
    """Start an audit of the child's file (given, or named by `child_reference`, the Casefile number typed) with
    the audit tool. A QA officer's audit samples the child. A number that names nobody is refused with the same
    words as a child the actor may not audit, so the form does not tell who is on the record."""
    if not permissions.may_conduct_case_file_audits(actor):
        raise PermissionDenied("Case file audits are made by quality-assurance officers, managers and administrators")
    if child is None and _text(child_reference):
        child = child_for_reference(child_reference)
        reference_given = True
    else:
        reference_given = child is not None
    errors = Errors()
    if not reference_given:
        errors.add("child", "Enter the child’s Casefile number, for example CF00000123")
    elif child is None or not permissions.may_audit_child(actor, child):
        errors.add("child", "Enter the Casefile number of a child whose file you may audit: you may audit only "
                            "children’s records you may open")
    if template is None or not template.in_use:
        errors.add("template", "Select the audit tool")
    errors.raise_if_any()
    with transaction.atomic():
        sample = _sample_for(actor, child, request)
        audit = save_with_history(CaseFileAudit(child=child, template=template, auditor=actor, sample=sample,
                                                started_on=_today()), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=audit, child=child,
               details={"template": template.pk, "sample": sample.pk if sample else None})
    return audit


def save_case_file_audit(*, actor: User, request=None, audit: CaseFileAudit, grades: Mapping[int, str],
                         comments: Mapping[int, str], answers: Mapping[int, str], overall_grade: str = "",
                         summary: str = "", childs_feedback: str = "", family_feedback: str = "",
                         complete: bool = False) -> CaseFileAudit:
    """Save what the auditor has graded so far (`grades`, `comments` by section id, `answers` by question id); with
    `complete`, also complete the audit, which is refused while any section or the overall grade is missing."""
    if not permissions.may_change_case_file_audit(actor, audit):
        if audit.is_completed:
            raise ValidationError({"__all__": ["This audit is completed: it can no longer be changed"]})
        raise PermissionDenied("Only the auditor grades the audit")
    sections = list(audit.template.sections.prefetch_related("questions").order_by("position", "pk"))
    texts = {"summary": _text(summary), "childs_feedback": _text(childs_feedback),
             "family_feedback": _text(family_feedback)}
    errors = Errors()
    for section in sections:
        grade, comment = grades.get(section.pk) or "", _text(comments.get(section.pk))
        if grade and grade not in GRADE_LABELS:
            errors.add(grade_field(section.pk), f"Select a grade for {section.get_area_display().lower()}")
        elif complete and not grade:
            errors.add(grade_field(section.pk), f"Grade {section.get_area_display().lower()} before you complete "
                                                f"the audit")
        if text_limits.too_long("The comment", comment, text_limits.LONG_TEXT):
            errors.add(comment_field(section.pk), text_limits.too_long("The comment", comment, text_limits.LONG_TEXT))
        for question in section.questions.all():
            answer = answers.get(question.pk) or ""
            if answer and answer not in ANSWER_LABELS:
                errors.add(answer_field(question.pk), "Select yes, partly, no, or that it does not apply")
    if overall_grade and overall_grade not in GRADE_LABELS:
        errors.add("overall_grade", "Select the overall grade")
    elif complete and not overall_grade:
        errors.add("overall_grade", "Select the overall grade before you complete the audit")
    if complete and not texts["summary"]:
        errors.add("summary", "Enter what you found before you complete the audit")
    for name, value in texts.items():
        if text_limits.too_long(TEXT_LABELS[name], value, text_limits.LONG_TEXT):
            errors.add(name, text_limits.too_long(TEXT_LABELS[name], value, text_limits.LONG_TEXT))
    errors.raise_if_any()
    with transaction.atomic():
        _save_parts(actor, audit, sections, grades, comments, answers)
        audit.overall_grade = overall_grade or ""
        for name, value in texts.items():
            setattr(audit, name, value)
        if complete:
            audit.status = CaseFileAudit.Status.COMPLETED
            audit.completed_on = _today()
        save_with_history(audit, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=audit, child=audit.child,
               details={"completed": complete, "graded": sum(1 for section in sections if grades.get(section.pk))})
    return audit


def _save_parts(actor: User, audit: CaseFileAudit, sections, grades, comments, answers) -> None:
    """Each section's grade and comment, and each answer, where it changed: one row each, kept with its history."""
    saved_grades = {row.section_id: row for row in audit.grades.all()}
    saved_answers = {row.question_id: row for row in audit.answers.all()}
    for section in sections:
        grade, comment = grades.get(section.pk) or "", _text(comments.get(section.pk))
        row = saved_grades.get(section.pk) or SectionGrade(audit=audit, section=section)
        if (row.grade, row.comment) != (grade, comment):
            row.grade, row.comment = grade, comment
            save_with_history(row, actor)
        for question in section.questions.all():
            answer = answers.get(question.pk) or ""
            saved = saved_answers.get(question.pk) or QuestionAnswer(audit=audit, question=question)
            if saved.answer != answer and (saved.pk is not None or answer):
                saved.answer = answer
                save_with_history(saved, actor)


# Actions from an audit ------------------------------------------------------------------------------------


def add_audit_action(*, actor: User, request=None, audit: CaseFileAudit, assignee: User | None, description: str,
                     due_date: datetime.date | None = None) -> CaseFileAuditAction:
    """An action for the child's worker or their manager from a completed audit. With no due date, it is due four
    weeks after the audit was completed."""
    if not permissions.may_add_audit_action(actor, audit):
        if not audit.is_completed:
            raise ValidationError({"__all__": ["Complete the audit before you set its actions"]})
        raise PermissionDenied("Only the auditor sets the actions from an audit")
    description = _text(description)
    errors = Errors()
    if assignee is None:
        errors.add("assignee", "Select who the action is for: the child’s worker or their manager")
    elif assignee.pk not in {person.pk for person in action_assignees(audit.child)}:
        errors.add("assignee", f"Select the child’s worker or their manager: {assignee} is neither")
    if not description:
        errors.add("description", "Enter what must be done, for example ‘Update the chronology and share it with "
                                  "the core group’")
    elif text_limits.too_long("What must be done", description, text_limits.LONG_TEXT):
        errors.add("description", text_limits.too_long("What must be done", description, text_limits.LONG_TEXT))
    due_date = due_date or default_due_date(audit)
    if due_date < audit.completed_on:
        errors.add("due_date", f"The date it is due must be on or after the audit was completed "
                               f"({govuk_date(audit.completed_on)})")
    errors.raise_if_any()
    with transaction.atomic():
        action = save_with_history(CaseFileAuditAction(audit=audit, assignee=assignee, description=description,
                                                       due_date=due_date, set_by=actor), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=action, child=audit.child,
               details={"audit": audit.pk, "assignee": assignee.pk, "due_date": due_date})
    return action


def complete_audit_action(*, actor: User, request=None, action: CaseFileAuditAction,
                          completed_on: datetime.date | None, note: str) -> CaseFileAuditAction:
    """Mark an action done on the day it was done, saying what was done."""
    audit = action.audit
    if not permissions.may_complete_audit_action(actor, action):
        if action.completed_on:
            raise ValidationError({"__all__": [f"This action was marked done on {govuk_date(action.completed_on)}"]})
        raise PermissionDenied("Only the person the action is for, or the auditor, marks it done")
    note = _text(note)
    errors = Errors()
    if completed_on is None:
        errors.add("completed_on", "Enter the date it was done")
    elif completed_on > _today():
        errors.add("completed_on", "The date it was done must be today or in the past")
    elif completed_on < audit.completed_on:
        errors.add("completed_on", f"The date it was done must be on or after the audit was completed "
                                   f"({govuk_date(audit.completed_on)})")
    if not note:
        errors.add("note", "Enter what was done")
    elif text_limits.too_long("What was done", note, text_limits.LONG_TEXT):
        errors.add("note", text_limits.too_long("What was done", note, text_limits.LONG_TEXT))
    errors.raise_if_any()
    with transaction.atomic():
        action.completed_on, action.completion_note = completed_on, note
        save_with_history(action, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=action, child=audit.child,
               details={"audit": audit.pk, "completed_on": completed_on})
    return action


# Sampling: rounds of audits ------------------------------------------------------------------------------


def draw_round(*, actor: User, request=None, name: str, method: str, filters: sampling.Filters, size: int | None,
               template: AuditTemplate | None, due_by: datetime.date | None, seed: int | None = None,
               partner_agency: str = "") -> AuditRound:
    """Draw a round of case file audits: `size` children from the open cases matching `filters`, by `method`
    (rules/sampling.py), each kept with the reason they were chosen. With no seed one is made, and kept, so the
    same candidates draw the same children again."""
    if not permissions.may_draw_audit_sample(actor):
        raise PermissionDenied("Samples for case file audits are drawn by quality-assurance officers and "
                               "administrators")
    name = _text(name)
    errors = Errors()
    if not name:
        errors.add("name", "Enter a name for the round, for example ‘Child protection plans, spring’")
    elif len(name) > AuditRound._meta.get_field("name").max_length:
        errors.add("name", "The name must be 200 characters or fewer")
    if method not in sampling_rules.METHOD_LABELS:
        errors.add("method", "Select how to choose the children: random, thematic or risk-based")
    elif method == sampling_rules.THEMATIC and not filters.text():
        errors.add("filters", "Choose at least one filter for a thematic sample: a team, a worker, a plan type or "
                              "an age band")
    if size is None:
        errors.add("size", "Enter how many children to sample, for example 10")
    if template is None or not template.in_use:
        errors.add("template", "Select the audit tool")
    today = _today()
    if due_by is None:
        errors.add("due_by", "Enter the date the audits are due by")
    elif due_by < today:
        errors.add("due_by", "The date the audits are due by must be today or in the future")
    if seed is not None and not 0 <= seed < sampling_rules.SEED_LIMIT:
        errors.add("seed", f"Enter the seed as a whole number from 0 to {sampling_rules.SEED_LIMIT - 1:,}, "
                           f"for example 4711")
    if partner_agency and partner_agency not in Agency.values:
        errors.add("partner_agency", "Select the partner agency, or none")
    errors.raise_if_any()
    seed = sampling_rules.new_seed() if seed is None else seed
    child_ids = sampling.open_cases(filters, today)
    try:
        chosen = sampling_rules.draw(sampling.candidates(child_ids, method, today), method=method, size=size,
                                     seed=seed, theme=filters.text())
    except sampling_rules.SampleError as refused:
        raise ValidationError({refused.field: [refused.message]}) from None
    with transaction.atomic():
        audit_round = save_with_history(AuditRound(
            name=name, method=method, filters=filters.as_dict(), filters_text=filters.text(), seed=seed, size=size,
            candidates=len(child_ids), template=template, created_by=actor, created_on=today, due_by=due_by,
            partner_agency=partner_agency), actor)
        for position, row in enumerate(chosen, start=1):
            save_with_history(SampledChild(round=audit_round, child_id=row.child_id, position=position,
                                           reason=row.reason[:500], score=row.score), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=audit_round,
               details={"method": method, "filters": filters.as_dict(), "seed": seed, "size": size,
                        "candidates": len(child_ids), "children": [row.child_id for row in chosen]})
    return audit_round


def auditor_field(sampled_id: int) -> str:
    """The field a sampled child's auditor is known by, in the service's errors and on the form."""
    return f"auditor_{sampled_id}"


def assign_auditors(*, actor: User, request=None, audit_round: AuditRound,
                    auditors: Mapping[int, User | None]) -> AuditRound:
    """Assign who audits each sampled child's file (`auditors` by SampledChild id; a child left out, or given
    nobody, keeps the auditor they have). An auditor who opens records only through a sample (a QA officer, a
    partner auditor) is given one (quality.CaseSample), which opens the child's record to them until the round
    closes; the previous auditor's sample from the round is closed. Every choice is checked before any is saved."""
    if not permissions.may_manage_audit_round(actor, audit_round):
        if audit_round.is_closed:
            raise ValidationError({"__all__": [f"This round was closed on {govuk_date(audit_round.closed_on)}"]})
        raise PermissionDenied("Auditors are assigned by quality-assurance officers and administrators")
    children = {sampled.pk: sampled for sampled in
                SampledChild.objects.filter(round=audit_round).select_related("child", "sample")}
    errors = Errors()
    changes = []
    for sampled_id, auditor in auditors.items():
        sampled = children.get(sampled_id)
        field = auditor_field(sampled_id)
        if sampled is None:
            errors.add("__all__", "A child on the form is not in this round: open the round again")
            continue
        if auditor is None or sampled.auditor_id == auditor.pk:
            continue
        name = sampled.child.full_name
        if sampled.audit_id is not None:
            errors.add(field, f"The audit of {name} has started: its auditor can no longer be changed")
        elif not permissions.may_audit_in_round(auditor, audit_round):
            partner = " or a partner auditor of the round’s agency" if audit_round.partner_agency else ""
            errors.add(field, f"Select a quality-assurance officer, a manager, an administrator{partner} to audit "
                              f"{name}: {auditor} may not audit in this round")
        elif not permissions.is_partner(auditor) and not permissions.may_audit_child(auditor, sampled.child):
            errors.add(field, f"Select someone who may audit {name}’s file: {auditor} may not open it")
        else:
            changes.append((sampled, auditor))
    errors.raise_if_any()
    with transaction.atomic():
        for sampled, auditor in changes:
            sampled.round = audit_round
            _assign(actor, request, sampled, auditor)
    return audit_round


def _assign(actor: User, request, sampled: SampledChild, auditor: User) -> None:
    if sampled.sample_id is not None:
        _close_sample(actor, sampled.sample)
    sample = None
    if permissions.audits_through_a_sample(auditor) or permissions.is_partner(auditor):
        sample = save_with_history(CaseSample(child=sampled.child, officer=auditor, sampled_on=_today()), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=sample, child=sampled.child,
               details={"sampled_for": "case file audit", "round": sampled.round_id})
    previous = sampled.auditor_id
    sampled.auditor, sampled.sample = auditor, sample
    save_with_history(sampled, actor)
    record(AuditAction.UPDATE, actor=actor, request=request, subject=sampled, child=sampled.child,
           details={"round": sampled.round_id, "auditor": auditor.pk, "previous_auditor": previous})


def _close_sample(actor: User, sample: CaseSample) -> None:
    if sample.closed_on is None:
        sample.closed_on = _today()
        save_with_history(sample, actor)


def start_sampled_audit(*, actor: User, request=None, sampled: SampledChild) -> CaseFileAudit:
    """The assigned auditor starts the audit of a sampled child's file with the round's audit tool; the round's
    sample keeps the record open to them while they audit it."""
    if not permissions.may_start_sampled_audit(actor, sampled):
        if sampled.audit_id is not None:
            raise ValidationError({"__all__": ["The audit of this child has started already"]})
        raise PermissionDenied("Only the auditor assigned this child starts the audit, while the round is open")
    template = sampled.round.template
    with transaction.atomic():
        audit = save_with_history(CaseFileAudit(child=sampled.child, template=template, auditor=actor,
                                                sample=sampled.sample, started_on=_today()), actor)
        sampled.audit = audit
        save_with_history(sampled, actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=audit, child=sampled.child,
               details={"template": template.pk, "round": sampled.round_id,
                        "sample": sampled.sample_id})
    return audit


def close_round(*, actor: User, request=None, audit_round: AuditRound) -> AuditRound:
    """Close a round: every sample it opened is closed, so its auditors no longer see the children's records.
    Audits still in progress stay with their auditors, who can no longer open the record to finish them."""
    if not permissions.may_manage_audit_round(actor, audit_round):
        if audit_round.is_closed:
            raise ValidationError({"__all__": [f"This round was closed on {govuk_date(audit_round.closed_on)}"]})
        raise PermissionDenied("Rounds are closed by quality-assurance officers and administrators")
    with transaction.atomic():
        samples = CaseSample.objects.filter(
            pk__in=SampledChild.objects.filter(round=audit_round, sample__isnull=False).values("sample_id"),
            closed_on__isnull=True)
        closed = []
        for sample in samples:
            _close_sample(actor, sample)
            closed.append(sample.pk)
        audit_round.closed_on = _today()
        save_with_history(audit_round, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=audit_round,
               details={"closed": True, "samples_closed": closed})
    return audit_round
# Moderation -----------------------------------------------------------------------------------------------


def start_moderation(*, actor: User, request=None, audit: CaseFileAudit, blind: bool = False) -> Moderation:
    """A second auditor starts grading a completed audit again, `blind`: they say they will grade every section
    before they see the auditor's grades (the start button says so). A QA officer's moderation samples the child,
    as an audit does. One moderation in progress per moderator and audit: starting again returns it."""
    if audit.auditor_id == getattr(actor, "pk", None):
        raise PermissionDenied("Moderation is by a second auditor: you made this audit, so you may not moderate it")
    if not audit.is_completed:
        raise ValidationError({"__all__": ["Only a completed audit is moderated: this one is still in progress"]})
    if not permissions.may_moderate_case_file_audit(actor, audit):
        raise PermissionDenied("Audits are moderated by quality-assurance officers and managers who may open the "
                               "child’s record")
    if not blind:
        raise ValidationError({"blind": ["Start the moderation with its button, which says you will grade each "
                                         "section before you see the auditor’s grades"]})
    existing = audit.moderations.filter(moderator=actor, status=Moderation.Status.IN_PROGRESS).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        sample = _sample_for(actor, audit.child, request)
        moderation = save_with_history(Moderation(audit=audit, moderator=actor, sample=sample, started_on=_today()),
                                       actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=moderation, child=audit.child,
               details={"audit": audit.pk, "sample": sample.pk if sample else None})
    return moderation


def submit_moderation(*, actor: User, request=None, moderation: Moderation, grades: Mapping[int, str],
                      comments: Mapping[int, str], overall_grade: str = "", comment: str = "") -> Moderation:
    """The moderator's own grade for every section of the tool, with a comment, their overall grade and what they
    found. Every section must be graded, each one left ungraded is named; nothing is saved until all are."""
    audit = moderation.audit
    if not permissions.may_change_moderation(actor, moderation):
        if moderation.is_submitted:
            raise ValidationError({"__all__": ["This moderation is submitted: its grades can no longer be changed"]})
        raise PermissionDenied("Only the moderator grades their moderation")
    sections = list(audit.template.sections.order_by("position", "pk"))
    comment = _text(comment)
    errors = Errors()
    for section in sections:
        grade, section_comment = grades.get(section.pk) or "", _text(comments.get(section.pk))
        area = section.get_area_display().lower()
        if not grade:
            errors.add(grade_field(section.pk), f"Grade {area}: every section is graded before you submit")
        elif grade not in GRADE_LABELS:
            errors.add(grade_field(section.pk), f"Select a grade for {area}")
        if text_limits.too_long("The comment", section_comment, text_limits.LONG_TEXT):
            errors.add(comment_field(section.pk),
                       text_limits.too_long("The comment", section_comment, text_limits.LONG_TEXT))
    if not overall_grade:
        errors.add("overall_grade", "Select your overall grade before you submit")
    elif overall_grade not in GRADE_LABELS:
        errors.add("overall_grade", "Select your overall grade")
    if not comment:
        errors.add("comment", "Enter what you found, in a few sentences, before you submit")
    elif text_limits.too_long("What you found", comment, text_limits.LONG_TEXT):
        errors.add("comment", text_limits.too_long("What you found", comment, text_limits.LONG_TEXT))
    errors.raise_if_any()
    with transaction.atomic():
        saved = {row.section_id: row for row in moderation.grades.all()}
        for section in sections:
            row = saved.get(section.pk) or ModerationGrade(moderation=moderation, section=section)
            row.grade, row.comment = grades[section.pk], _text(comments.get(section.pk))
            save_with_history(row, actor)
        moderation.overall_grade, moderation.comment = overall_grade, comment
        moderation.status, moderation.submitted_on = Moderation.Status.SUBMITTED, _today()
        save_with_history(moderation, actor)
        agreed = sum(1 for row in audit.grades.all() if row.grade == grades.get(row.section_id))
        record(AuditAction.UPDATE, actor=actor, request=request, subject=moderation, child=audit.child,
               details={"audit": audit.pk, "submitted": True, "sections_agreed": agreed,
                        "sections": len(sections)})
    return moderation


def record_moderation_outcome(*, actor: User, request=None, moderation: Moderation, outcome: str,
                              final_grade: str = "") -> Moderation:
    """After seeing the two sets of grades side by side: the first auditor's overall grade agreed, or changed to
    the final grade agreed with them (which must then differ from the first auditor's)."""
    audit = moderation.audit
    if not permissions.may_record_moderation_outcome(actor, moderation):
        if moderation.status == Moderation.Status.CONCLUDED:
            raise ValidationError({"__all__": ["The outcome of this moderation is already recorded"]})
        if moderation.status == Moderation.Status.IN_PROGRESS:
            raise ValidationError({"__all__": ["Submit your grades before you record the outcome"]})
        raise PermissionDenied("Only the moderator records the outcome of their moderation")
    errors = Errors()
    if outcome not in Moderation.Outcome.values:
        errors.add("outcome", "Select whether the grade is agreed or changed")
    elif outcome == Moderation.Outcome.AGREED:
        final_grade = audit.overall_grade
    elif not final_grade or final_grade not in GRADE_LABELS:
        errors.add("final_grade", "Select the final grade agreed with the auditor")
    elif final_grade == audit.overall_grade:
        errors.add("final_grade", f"The final grade is the auditor’s ({GRADE_LABELS[final_grade].lower()}): "
                                  f"select ‘Grade agreed’ instead, or another grade")
    errors.raise_if_any()
    with transaction.atomic():
        moderation.outcome, moderation.final_grade = outcome, final_grade
        moderation.status, moderation.concluded_on = Moderation.Status.CONCLUDED, _today()
        save_with_history(moderation, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=moderation, child=audit.child,
               details={"audit": audit.pk, "outcome": outcome, "final_grade": final_grade})
    return moderation


# Re-audit -------------------------------------------------------------------------------------------------


def start_re_audit(*, actor: User, request=None, audit: CaseFileAudit) -> CaseFileAudit:
    """Audit the child's file again with the same tool, once every action from the audit is done; the change in
    grade between them is the audit's measured impact. While any action is open, it is refused naming each."""
    if not audit.is_completed:
        raise ValidationError({"__all__": ["Only a completed audit is re-audited: this one is still in progress"]})
    if not permissions.may_start_re_audit(actor, audit):
        raise PermissionDenied("Re-audits are made by quality-assurance officers, managers and administrators who "
                               "may audit the child’s file")
    open_actions = list(audit.actions.filter(completed_on__isnull=True).select_related("assignee")
                        .order_by("due_date", "pk"))
    if open_actions:
        named = "; ".join(f"‘{action.description}’ for {action.assignee.get_full_name() or action.assignee}, due "
                          f"{govuk_date(action.due_date)}" for action in open_actions)
        raise ValidationError({"__all__": [
            f"Re-audit once every action from the audit is done. Still open: {named}"]})
    with transaction.atomic():
        # One re-audit an audit: its impact is measured once. The lock makes a second, simultaneous start wait and
        # then find the first.
        CaseFileAudit.objects.select_for_update().filter(pk=audit.pk).first()
        earlier = audit.re_audits.select_related("auditor").order_by("pk").first()
        if earlier is not None:
            raise ValidationError({"__all__": [
                f"This audit was re-audited already: {earlier.auditor.get_full_name() or earlier.auditor} started "
                f"the re-audit on {govuk_date(earlier.started_on)}. Open it from the child’s audits."]})
        sample = _sample_for(actor, audit.child, request)
        re_audit = save_with_history(CaseFileAudit(child=audit.child, template=audit.template, auditor=actor,
                                                   sample=sample, started_on=_today(), re_audit_of=audit), actor)
        record(AuditAction.CREATE, actor=actor, request=request, subject=re_audit, child=audit.child,
               details={"template": audit.template_id, "re_audit_of": audit.pk,
                        "sample": sample.pk if sample else None})
    return re_audit
