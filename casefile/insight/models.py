"""What insight keeps of its own: the authority's child population, which the diversity page compares each stage
with. Everything else it shows is read from the record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casefile.rules.diversity import CHARACTERISTICS, LABELS


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
