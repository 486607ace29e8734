"""What insight keeps of its own.

- `StoredFigures`: figures derived from the record and kept, so the performance pages of a large authority open in
  under a second. The record stays the one source of truth: a row is a copy of what the indicators
  (casefile/rules/indicators), the journeys (casefile/rules/journeys.py) and the diversity counts
  (casefile/rules/diversity.py) computed from it at `computed_at`, for one scope (the whole authority, a team, a
  worker, or the set of teams one manager oversees) and one period. It is never typed in, only made by
  `insight.figures.refresh` (nightly, or when an analyst asks), and the page says when.
- `ChildPopulation`: the authority's child population, which the diversity page compares each stage with.
- `NeighbourFigure`: the statistical neighbours' average for an indicator and year, which the clinic and the
  self-evaluation pack show beside the England figure (none can be shipped: rules/indicators/published.py
  `NEIGHBOUR_NOTE`).
- `SelfEvaluationPack`: a pack asked for, made by a background task (insight/tasks.py) for a period of the whole
  authority. It keeps its PDF (as a chronology job keeps its file, in the database) and the headline figures as
  JSON, so the next pack can say what has changed since. The PDF holds counts only, never a child's name, so it is
  kept with the pack rather than pruned with its job (`manage.py prune_jobs`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casefile.rules import neighbours
from casefile.rules.diversity import CHARACTERISTICS, LABELS
from casefile.rules.indicators import INDICATOR_LIST


class StoredFigures(models.Model):
    scope = models.CharField(max_length=200, help_text=(
        '"authority", "team:<id>", "worker:<id>" or "teams:<SHA-256 of the ids>"'))
    start = models.DateField()
    end = models.DateField()
    computed_at = models.DateTimeField()
    # {"indicators": {code: [value, numerator, denominator, numerator records, denominator records, no_figure]},
    #  "journey": [[stage code, stage label, [[outcome code, outcome label, count], ...]], ...],
    #  "diversity": {characteristic: {stage: [children at the stage, {category: children}]}}}
    figures = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "start", "end"], name="one_set_of_figures")]

    def __str__(self) -> str:
        return f"Figures for {self.scope}, {self.start} to {self.end}, computed {self.computed_at}"


class ChildPopulation(models.Model):
    """The number of the authority's children aged 0 to 17 in one category of one characteristic (ethnicity,
    religion, disability or sex), for a year, with where the figure comes from (an ONS Census 2021 table, a
    mid-year estimate). Entered by analysts, one figure at a time or as a CSV file (rules/population.py)."""

    CHARACTERISTICS = [(key, LABELS[key]) for key in CHARACTERISTICS]

    characteristic = models.CharField(max_length=20, choices=CHARACTERISTICS)
    category = models.CharField(max_length=100)
    count = models.PositiveIntegerField()
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=200)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["characteristic", "-year", "category"]
        constraints = [models.UniqueConstraint(fields=["characteristic", "category", "year"],
                                               name="one_population_figure_per_category_and_year")]

    def __str__(self) -> str:
        return f"{self.category} ({self.get_characteristic_display()}, {self.year}): {self.count}"


class NeighbourFigure(models.Model):
    """The average of the authority's statistical neighbours for one indicator in one year (the year it describes,
    as rules/indicators/published.py `Published.year`: 2025 is the year ending 31 March 2025), in the indicator's
    unit, with the neighbour group it is the average of and where it was read. Entered by analysts, one figure at a
    time or as a CSV file (rules/neighbours.py)."""

    INDICATORS = [(indicator.code, indicator.title) for indicator in INDICATOR_LIST]

    indicator = models.CharField(max_length=60, choices=INDICATORS)
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    group = models.CharField(max_length=neighbours.GROUP_LENGTH, help_text='For example, "NFER model, 10 neighbours"')
    source = models.CharField(max_length=neighbours.SOURCE_LENGTH)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "-year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"],
                                               name="one_neighbour_figure_per_indicator_and_year")]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} ({self.year}): {self.value}, {self.group}"


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
