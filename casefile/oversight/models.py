"""Management oversight on the child's file: decisions with reasons, supervision, challenge, and the drift and
quality signals derived from the record (the signal rules themselves are in casefile/rules/)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from casefile.rules.escalation import LABELS, ORDER

USER = settings.AUTH_USER_MODEL
STAGE_CHOICES = [(stage.value, LABELS[stage]) for stage in ORDER]


# Chair and IRO challenge --------------------------------------------------------------------------------


class Escalation(models.Model):
    """A practice concern a conference chair or IRO raised on a child's case, and where it has got to.

    Each stage it reaches is an `EscalationStage` with its response; the deadline of each is worked out from the
    stage's start (rules/escalation.py), never stored. Resolved once the chair records the resolution."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="escalations")
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="escalations_raised")
    raised_on = models.DateField()
    concern = models.TextField(help_text="What the chair is worried about in the practice on this case")
    asked_for = models.TextField(help_text="What the chair asks to happen")
    # The stage it is at now, and the day that stage started: a copy of its newest EscalationStage, so a list of
    # escalations needs no second query to know where each stands.
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES)
    stage_started_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolution = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"Practice concern raised on {self.raised_on}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class EscalationStage(models.Model):
    """One stage a concern reached: when it started, why a stage before it was passed over (if one was), and the
    response: who answered, when and what."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES)
    started_on = models.DateField()
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    skip_reason = models.TextField(blank=True, help_text="Why the stages before this one were passed over")
    responded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["escalation", "stage"], name="one_row_per_escalation_stage")]

    def __str__(self) -> str:
        return self.get_stage_display()


# The chair's feedback on conference reports -------------------------------------------------------------


class ReportFeedback(models.Model):
    """A chair's view of the quality of one agency's report to a conference: a grade and why."""

    class Grade(models.TextChoices):
        GOOD = "good", "Good"
        ADEQUATE = "adequate", "Adequate"
        POOR = "poor", "Poor"

    report = models.OneToOneField("casework.ConferenceReport", on_delete=models.CASCADE, related_name="feedback")
    grade = models.CharField(max_length=10, choices=Grade.choices)
    comment = models.TextField()
    given_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    given_on = models.DateField()
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.get_grade_display()} report"
