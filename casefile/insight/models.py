"""Insight's own records: the self-evaluation packs asked for (everything else in insight is read from the record).

A pack is made by a background task (insight/tasks.py) for a period of the whole authority. It keeps its PDF (as a
chronology job keeps its file, in the database) and the headline figures as JSON, so the next pack can say what has
changed since. The PDF holds counts only, never a child's name, so it is kept with the pack rather than pruned
with its job (`manage.py prune_jobs`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SelfEvaluationPack(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    period_start = models.DateField()
    period_end = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                            help_text="The background job making it, whose progress page the person follows")
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(max_length=200, blank=True)
    figures = models.JSONField(default=dict, blank=True,
                               help_text="The headline figures (insight/pack.py), for the next pack to compare with")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 help_text="The pack this one says what has changed since")
    error = models.TextField(blank=True, help_text="What failed, in plain words")

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                              name="pack_period_ends_after_it_starts")]

    def __str__(self) -> str:
        return f"Self-evaluation pack for {self.period_start} to {self.period_end}"
