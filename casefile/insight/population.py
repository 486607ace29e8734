"""The child population as the diversity page reads it: for each characteristic, the latest year entered, its
figures by category and their sources."""

from __future__ import annotations

import dataclasses

from casefile.insight.models import ChildPopulation


@dataclasses.dataclass(frozen=True)
class Population:
    counts: dict[str, dict[str, int]]  # characteristic -> category -> children
    years: dict[str, int]
    sources: dict[str, list[str]]

    def __bool__(self) -> bool:
        return bool(self.counts)


def latest() -> Population:
    """One query: every figure, keeping each characteristic's latest year."""
    counts: dict[str, dict[str, int]] = {}
    years: dict[str, int] = {}
    sources: dict[str, list[str]] = {}
    rows = ChildPopulation.objects.order_by("characteristic", "-year", "category").values_list(
        "characteristic", "year", "category", "count", "source")
    for characteristic, year, category, count, source in rows:
        if years.setdefault(characteristic, year) != year:
            continue
        counts.setdefault(characteristic, {})[category] = count
        if source not in sources.setdefault(characteristic, []):
            sources[characteristic].append(source)
    return Population(counts, years, sources)
