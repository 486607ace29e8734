"""Casework. For now: who holds each child's case, and conferences (which give chairs access).

The child's journey (episodes, assessments, s47 enquiries, plans, visits) is added here next.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Allocation(models.Model):
    """A child's case held by a worker in a team, from start to end. The open one has no end."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="allocations")
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)
    reason = models.TextField()
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(end_date__isnull=True), name="one_open_allocation_per_child"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} allocated to {self.worker} from {self.start_date}"


class Conference(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial child protection conference"
        REVIEW = "review", "Review child protection conference"
        TRANSFER_IN = "transfer_in", "Transfer-in conference"

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="conferences")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_conferences")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child} on {self.date}"
