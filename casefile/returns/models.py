"""Returns keep no copy of the record: what they hold is the files people made from it (see core.Job), and the
results of validating a census file (CensusValidation)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CensusValidation(models.Model):
    """A CIN census file checked against a year's rules (casefile/rules/cin) by a background job.

    The file is kept (compressed) only until the job has read it; what stays is the result: counts, the counts
    by rule, and every issue (compressed JSON, read back by returns/validation.py). It goes with its job
    (`manage.py prune_jobs`)."""

    class Source(models.TextChoices):
        UPLOAD = "upload", "Uploaded"
        EXPORT = "export", "Casefile's own export"
        RECORD = "record", "The record now, for the data-quality page"

    job = models.OneToOneField("core.Job", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="census_validation")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    filename = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0, help_text="The file's size in bytes")
    year = models.CharField(max_length=7, help_text="The census year whose rules are used, e.g. 2025-26")
    upload = models.BinaryField(null=True, blank=True, editable=False,
                                help_text="The file, compressed, until the job has read it")
    checked = models.BooleanField(default=False, help_text="The job read the file and ran every rule")
    children = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    queries = models.PositiveIntegerField(default=0)
    rules_run = models.PositiveIntegerField(default=0)
    by_rule = models.JSONField(default=dict, blank=True,
                               help_text="Rule code -> {kind, message, count}, for the rules that found something")
    issues = models.BinaryField(null=True, blank=True, editable=False, help_text="Every issue, compressed JSON")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Validation of {self.filename} ({self.year})"


class QueryExplanation(models.Model):
    """Why a child's record is right although a census query rule questions it: the census lets queries be
    explained, and the explanations go with the return as its notes (returns/data_quality.py). One per child and
    rule; explaining again replaces the words, and the audit trail keeps who wrote what."""

    child = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="census_explanations")
    rule = models.CharField(max_length=10, help_text="The query's rule code, e.g. 2991Q")
    explanation = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "rule"], name="one_explanation_per_child_and_rule")]
        ordering = ["child_id", "rule"]

    def __str__(self) -> str:
        return f"Explanation of {self.rule} for {self.child_id}"
