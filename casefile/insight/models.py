"""Figures derived from the record and kept, so the performance pages of a large authority open in under a second.

The record stays the one source of truth: a `StoredFigures` row is a copy of what the indicators
(casefile/rules/indicators) and the journeys (casefile/rules/journeys.py) computed from it at `computed_at`, for
one scope (the whole authority, a team, a worker, or the set of teams one manager oversees) and one period. It is
never typed in, only made by `insight.figures.refresh` (nightly, or when an analyst asks), and the page says when.
"""

from __future__ import annotations

from django.db import models


class StoredFigures(models.Model):
    scope = models.CharField(max_length=200, help_text='"authority", "team:<id>", "worker:<id>" or "teams:<ids>"')
    start = models.DateField()
    end = models.DateField()
    computed_at = models.DateTimeField()
    # {"indicators": {code: [value, numerator, denominator, numerator records, denominator records, no_figure]},
    #  "journey": [[stage code, stage label, [[outcome code, outcome label, count], ...]], ...]}
    figures = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "start", "end"], name="one_set_of_figures")]

    def __str__(self) -> str:
        return f"Figures for {self.scope}, {self.start} to {self.end}, computed {self.computed_at}"
