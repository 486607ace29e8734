"""The statistical neighbours' figures as the clinic and the self-evaluation pack read them (insight.NeighbourFigure,
entered by analysts): every figure in one query, by indicator, whatever the number of indicators."""

from __future__ import annotations

from casefile.insight.models import NeighbourFigure
from casefile.rules.neighbours import Figure


def by_indicator() -> dict[str, list[Figure]]:
    """One query: each indicator's figures, every year entered (rules/neighbours.py `for_period` chooses one)."""
    found: dict[str, list[Figure]] = {}
    for indicator, year, value, group, source in NeighbourFigure.objects.values_list(
            "indicator", "year", "value", "group", "source"):
        found.setdefault(indicator, []).append(Figure(indicator, year, value, group, source))
    return found
