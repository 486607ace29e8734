"""Quality assurance: case samples (which give a QA officer access to a sampled child's record) and case file
audits (`CaseFileAudit`, never `Audit`: the audit trail is casefile/audit's append-only log).

An audit tool is an `AuditTemplate` kept in the database: its sections are practice areas, each with questions.
An audit of one child with one template grades each section on Ofsted's four-point scale with a comment, answers
each question, gives an overall grade, and keeps the child's and the family's feedback. Actions from an audit go to
the worker or the manager, with a due date, and are tracked to completion.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from casefile.accounts.models import Agency
from casefile.rules.audit_grades import ANSWERS, GRADES

USER = settings.AUTH_USER_MODEL


class CaseSample(models.Model):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="qa_samples")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qa_samples")
    sampled_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    # A sample opens a child's record to the officer until it closes: who changed it, and when, is kept.
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Case {self.child_id} sampled for {self.officer} on {self.sampled_on}"


class PracticeArea(models.TextChoices):
    """The practice areas an audit tool groups its questions by."""

    BASIC_INFORMATION = "basic_information", "Basic information"
    EFFECTIVENESS_OF_HELP = "effectiveness_of_help", "Effectiveness of current and previous help"
    NEED_AND_RISK = "need_and_risk", "Assessment of need and risk"
    SERVICE_RESPONSE = "service_response", "Service response"
    PLANNING_AND_REVIEW = "planning_and_review", "Planning and review"
    RELATIONSHIP_WITH_CHILD = "relationship_with_child", "The relationship with the child"
    CHILD_CENTRED = "child_centred", "A child-centred approach, including identity, equality and diversity"
    MULTI_AGENCY = "multi_agency", "Multi-agency working"
    OVERSIGHT_AND_SUPERVISION = "oversight_and_supervision", "Management oversight and supervision"
    RECORDING = "recording", "Recording"
    OUTCOMES = "outcomes", "Outcomes for the child"


class AuditTemplate(models.Model):
    class Kind(models.TextChoices):
        WHOLE_FILE = "whole_file", "Whole-file audit"
        THEMED = "themed", "Themed audit"
        SUPERVISION = "supervision", "Supervision audit"
        MONTHLY = "monthly", "Team manager’s monthly audit"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    in_use = models.BooleanField(default=True, help_text="Offered when an audit is started")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class AuditSection(models.Model):
    template = models.ForeignKey(AuditTemplate, on_delete=models.CASCADE, related_name="sections")
    area = models.CharField(max_length=40, choices=PracticeArea.choices)
    position = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "area"], name="one_section_per_area")]

    def __str__(self) -> str:
        return self.get_area_display()


class AuditQuestion(models.Model):
    section = models.ForeignKey(AuditSection, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    position = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class CaseFileAudit(models.Model):
    """One audit of one child's file with one audit tool, by one auditor."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_file_audits")
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="audits")
    auditor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_file_audits")
    # The sample that opens the child's record to a QA officer while they audit it (none for a manager, who may
    # open it already).
    sample = models.ForeignKey(CaseSample, null=True, blank=True, on_delete=models.PROTECT, related_name="audits")
    started_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    completed_on = models.DateField(null=True, blank=True)
    overall_grade = models.CharField(max_length=30, choices=GRADES, blank=True)
    summary = models.TextField(blank=True, help_text="What the auditor found, in a few sentences")
    childs_feedback = models.TextField(blank=True, help_text="What the child said about the help they get")
    family_feedback = models.TextField(blank=True, help_text="What the family said about the help they get")
    # A re-audit of the same child with the same tool, made once the earlier audit's actions were all completed:
    # the change in grade between the two is the audit's measured impact (rules/audit_impact.py).
    re_audit_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="re_audits")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.template} of case {self.child_id} started on {self.started_on}"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class SectionGrade(models.Model):
    """A section of the audit, graded on Ofsted's four-point scale, with the auditor's comment."""

    audit = models.ForeignKey(CaseFileAudit, on_delete=models.CASCADE, related_name="grades")
    section = models.ForeignKey(AuditSection, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=30, choices=GRADES, blank=True)
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "section"], name="one_grade_per_section")]

    def __str__(self) -> str:
        return f"{self.grade or 'Not graded'} for section {self.section_id} of audit {self.audit_id}"


class QuestionAnswer(models.Model):
    audit = models.ForeignKey(CaseFileAudit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(AuditQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=20, choices=ANSWERS, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.answer or 'Not answered'} to question {self.question_id} of audit {self.audit_id}"


class CaseFileAuditAction(models.Model):
    """What must happen after an audit, for the child's worker or their manager: due by a date (by default four
    weeks after the audit was completed), then marked done with a note by the person it is for."""

    audit = models.ForeignKey(CaseFileAudit, on_delete=models.CASCADE, related_name="actions")
    assignee = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_file_audit_actions")
    description = models.TextField()
    due_date = models.DateField()
    set_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField(null=True, blank=True)
    completion_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"Action for {self.assignee} from audit {self.audit_id}, due {self.due_date}"

    def is_overdue(self, today) -> bool:
        return self.completed_on is None and self.due_date < today


class AuditRound(models.Model):
    """A round of case file audits: children drawn as a sample (rules/sampling.py: random, thematic or risk-based),
    each with the reason they were chosen, audited with one audit tool by a date. A multi-agency round names the
    partner agency whose auditors audit some of the children: they see only the children sampled to them."""

    class Method(models.TextChoices):
        RANDOM = "random", "Random"
        THEMATIC = "thematic", "Thematic"
        RISK = "risk", "Risk-based"

    name = models.CharField(max_length=200)
    method = models.CharField(max_length=20, choices=Method.choices)
    # The cohort filters the children were drawn from (team, worker, plan type, age band), as chosen, and in words.
    filters = models.JSONField(default=dict, blank=True)
    filters_text = models.CharField(max_length=500, blank=True)
    seed = models.PositiveIntegerField(help_text="Draws the same children again from the same candidates")
    size = models.PositiveSmallIntegerField()
    candidates = models.PositiveIntegerField(default=0, help_text="How many children the sample was drawn from")
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="rounds")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="audit_rounds")
    created_on = models.DateField(default=timezone.localdate)
    due_by = models.DateField()
    partner_agency = models.CharField(max_length=20, blank=True, choices=Agency.choices,
                                      help_text="For a multi-agency audit: the agency whose auditors take part")
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def is_multi_agency(self) -> bool:
        return bool(self.partner_agency)


class SampledChild(models.Model):
    """A child drawn in a round, why, who audits their file, and the audit once started. Assigning an auditor who
    opens records only through a sample (a QA officer, a partner auditor) opens the child's record to them with a
    CaseSample, closed when the round closes."""

    round = models.ForeignKey(AuditRound, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="audit_rounds")
    position = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=500)
    score = models.PositiveSmallIntegerField(default=0)
    auditor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="sampled_children")
    sample = models.ForeignKey(CaseSample, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    audit = models.ForeignKey(CaseFileAudit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "child"], name="one_child_once_per_round")]

    def __str__(self) -> str:
        return f"Case {self.child_id} in audit round {self.round_id}"
class Moderation(models.Model):
    """A completed audit graded again by a second auditor (never the first), section by section, blind: the
    moderator does not see the first auditor's grades until they submit their own. Then the two are laid side by
    side and the outcome is recorded: the grade agreed, or changed to the final grade agreed."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        CONCLUDED = "concluded", "Outcome recorded"

    class Outcome(models.TextChoices):
        AGREED = "agreed", "Grade agreed"
        GRADE_CHANGED = "grade_changed", "Grade changed"

    audit = models.ForeignKey(CaseFileAudit, on_delete=models.PROTECT, related_name="moderations")
    moderator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="moderations")
    # The sample that opens the child's record to a QA officer while they moderate (none for a manager).
    sample = models.ForeignKey(CaseSample, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    submitted_on = models.DateField(null=True, blank=True)
    overall_grade = models.CharField(max_length=30, choices=GRADES, blank=True)
    comment = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    final_grade = models.CharField(max_length=30, choices=GRADES, blank=True,
                                   help_text="The overall grade agreed after moderation")
    concluded_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"Moderation of audit {self.audit_id} by {self.moderator}"

    @property
    def is_submitted(self) -> bool:
        return self.status != self.Status.IN_PROGRESS


class ModerationGrade(models.Model):
    """The moderator's grade of one section, with their comment."""

    moderation = models.ForeignKey(Moderation, on_delete=models.CASCADE, related_name="grades")
    section = models.ForeignKey(AuditSection, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=30, choices=GRADES, blank=True)
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["moderation", "section"],
                                               name="one_moderated_grade_per_section")]

    def __str__(self) -> str:
        return f"{self.grade or 'Not graded'} for section {self.section_id} of moderation {self.moderation_id}"
