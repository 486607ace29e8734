"""Management oversight on the child's file: decisions with reasons, supervision, challenge, and the drift and
quality signals derived from the record (the signal rules themselves are in casefile/rules/).

Supervision comes in two kinds, kept apart on purpose:
- `CaseSupervision` is about one child: what a worker and their manager said about that child in supervision,
  in the reflective structure, with SMART actions and both people's sign-off. One record per child discussed,
  so each child's file reads whole and shows nothing said about another child (a session that discussed three
  children writes three records, each on its own child's file).
- `StaffSupervision` is about the worker (wellbeing, caseload, learning and development) and is never on a
  child's file: only the worker, their managers and administrators see it (access/policy.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

USER = settings.AUTH_USER_MODEL

# The reflective structure of case supervision, in the order it is written and read: (field, heading).
REFLECTIVE_SECTIONS = (
    ("happening", "What is happening"),
    ("worries", "What we are worried about"),
    ("working_well", "What is working well"),
    ("hypotheses", "Hypotheses"),
    ("next_steps", "What needs to happen"),
)
STAFF_SECTIONS = (
    ("wellbeing", "Wellbeing"),
    ("caseload", "Caseload"),
    ("learning", "Learning and development"),
)


class CaseSupervision(models.Model):
    """What a worker and their manager discussed about one child in a supervision session."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_supervisions")
    worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_supervisions_received")
    supervisor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_supervisions_given")
    held_on = models.DateField()
    happening = models.TextField()
    worries = models.TextField()
    working_well = models.TextField()
    hypotheses = models.TextField()
    next_steps = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # Each sign-off records who and when. Changing a signed record is refused until the supervisor re-opens it,
    # which clears both (the history keeps what was signed).
    supervisor_signed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    supervisor_signed_at = models.DateTimeField(null=True, blank=True)
    worker_signed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    worker_signed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Case supervision on {self.held_on}"

    @property
    def is_signed_off(self) -> bool:
        """Signed by both the manager and the worker."""
        return self.supervisor_signed_at is not None and self.worker_signed_at is not None

    @property
    def has_a_signature(self) -> bool:
        return self.supervisor_signed_at is not None or self.worker_signed_at is not None


class SupervisionAction(models.Model):
    """A SMART action agreed in case supervision: who does what, by when, how it will be measured; then done."""

    supervision = models.ForeignKey(CaseSupervision, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="A named person, for example 'Sam Worker (social worker)'")
    due_date = models.DateField()
    measure = models.TextField(help_text="How everyone will know it has been done")
    completed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class StaffSupervision(models.Model):
    """A worker's own supervision: how they are, their caseload, their learning. Never on a child's file."""

    worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="staff_supervisions_received")
    supervisor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="staff_supervisions_given")
    held_on = models.DateField()
    wellbeing = models.TextField()
    caseload = models.TextField()
    learning = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Staff supervision on {self.held_on}"
