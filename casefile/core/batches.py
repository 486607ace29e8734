"""Long lists of ids in batches: SQLite refuses a query with more than 32,766 parameters, so a filter on a list of
ids that may be that long (every child with a census issue, say) runs once per batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

BATCH = 5_000


def in_batches(values: Iterable, size: int | None = None) -> Iterator[list]:
    values, size = list(values), size or BATCH
    for start in range(0, len(values), size):
        yield values[start:start + size]
