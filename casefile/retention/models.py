"""Disposal runs and the tombstones they leave: what was disposed of, under which rule, approved by whom.

A tombstone holds no personal data: the kind of record, its identifier, the dates the rule counted, the rule and
its source, and how many rows of each kind went. The audit trail's events about the record stay (ADR 0020).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class DisposalRun(models.Model):
    """One approved disposal: every record due on `as_of`, deleted in one transaction."""

    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)
    as_of = models.DateField(help_text="The day the records were due on")
    fingerprint = models.CharField(max_length=64, help_text="Of the list the approver was shown")
    # The schedule in force: kind -> rule in words and its source, as the authority had set it.
    schedule = models.JSONField(default=dict)

    class Meta:
        ordering = ["-approved_at"]

    def __str__(self) -> str:
        return f"Disposal run {self.pk} on {self.as_of}"


class DisposedRecord(models.Model):
    """The tombstone of one child's record."""

    run = models.ForeignKey(DisposalRun, on_delete=models.PROTECT, related_name="records")
    record_type = models.CharField(max_length=60, help_text="The model label, as audit events name it")
    record_id = models.PositiveBigIntegerField(db_index=True, help_text="The id its audit events refer to")
    reference = models.CharField(max_length=20, help_text="The child ID used on returns, e.g. CF00000042")
    merged_ids = models.JSONField(default=list, help_text="Ids of records merged into it, disposed with it")
    retention_kind = models.CharField(max_length=30)
    rule = models.CharField(max_length=200)
    source = models.TextField()
    statutory = models.BooleanField()
    last_involvement_on = models.DateField(null=True, blank=True)
    retention_ended_on = models.DateField(help_text="The first day the rule let it go")
    deleted_rows = models.JSONField(default=dict, help_text="Rows deleted, by model label")
    disposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run", "record_id"]
        constraints = [models.UniqueConstraint(fields=["record_type", "record_id"], name="one_tombstone_per_record")]

    def __str__(self) -> str:
        return f"{self.reference} disposed of on {self.disposed_at:%Y-%m-%d}"
