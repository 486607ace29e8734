"""Quality assurance. For now: the sample of cases a QA officer is auditing (which gives them access)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class CaseSample(models.Model):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="qa_samples")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qa_samples")
    sampled_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    # A sample opens a child's record to the officer until it closes: who changed it, and when, is kept.
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Case {self.child_id} sampled for {self.officer} on {self.sampled_on}"
