"""Who holds a child's case now: the open allocation, with its team and its worker's managers, read once per Person
object. The access policy asks it on every page about a child, and the record page shows it: one query serves both.
"""

from __future__ import annotations

from django.db.models import QuerySet

from casefile.casework.models import Allocation
from casefile.core.prepared import prepared

# The worker's managers loaded with the allocation: worker -> team manager -> service manager -> head of service,
# and one spare (access/policy.py's MAX_CHAIN).
MANAGER_LEVELS = 5


@prepared
def _open_allocations(person_id: int) -> QuerySet:
    """Built and compiled once: every page about a child asks."""
    return (Allocation.objects.filter(child_id=person_id, end_date__isnull=True)
            .select_related("team", *["worker" + "__manager" * depth for depth in range(MANAGER_LEVELS)])
            .order_by("pk")[:1])


def open_allocation(person) -> Allocation | None:
    """The person's open allocation, or None; remembered on `person` (a page reads it through the policy and again
    to show it)."""
    if not hasattr(person, "_open_allocation"):
        person._open_allocation = next(iter(_open_allocations(person.pk)), None)
    return person._open_allocation
