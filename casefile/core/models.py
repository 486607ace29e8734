"""What core keeps: the background jobs people start (ADR 0011)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Job(models.Model):
    """Long work a person started (confirming a police file, a long PDF), run by a background worker.

    The worker writes progress here between steps, so the person's progress page can show how far it has got;
    the result is a page to go back to (`result_url`) or a file kept for the person who asked (`result_file`).
    The id is a random UUID, so a job's address says nothing about how many there are."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=50, help_text="What the job does, e.g. police_confirmation")
    description = models.CharField(max_length=200, help_text="What the person is told it is doing")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True, help_text="What it is doing now, in plain words")
    back_url = models.CharField(max_length=500, blank=True, help_text="Where the person started from")
    result_url = models.CharField(max_length=500, blank=True)
    result_file = models.BinaryField(null=True, blank=True, editable=False)
    result_filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True, help_text="What failed, in plain words")
    details = models.JSONField(default=dict, blank=True, help_text="What the job needs to know (e.g. a reason)")
    task_id = models.CharField(max_length=64, blank=True, help_text="The django-tasks result id")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["started_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.description} ({self.get_status_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class SubmissionToken(models.Model):
    """A form's one-time token, kept once the form has saved: the same form sent again saves nothing new.

    core.forms.save_or_show issues a token with each form it shows and inserts this row in the same transaction
    as the save, so the unique token refuses a second save on either database and from any process. Where the
    first save led (`redirect_to`, written when its response leaves) is where a repeat is sent instead."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    path = models.CharField(max_length=500, help_text="The page the form was sent to")
    redirect_to = models.CharField(max_length=500, blank=True, help_text="Where the first submission led")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Form sent to {self.path} at {self.created_at:%Y-%m-%d %H:%M}"
