"""Work a manager returned with a comment (casework.ReturnedWork): what waits for an answer, for a record's page
and for a worker's My work. Reads only; the writes are in services/returns.py."""

from __future__ import annotations

from django.db.models import Q

from casefile.access import policy
from casefile.casework.models import ReturnedWork


def open_return(kind: str, record_id: int) -> ReturnedWork | None:
    """The newest unanswered return of one record (a plan, an assessment or an episode's closure), or None."""
    return (ReturnedWork.objects.filter(kind=kind, record_id=record_id, answered_at__isnull=True)
            .select_related("returned_by").order_by("-returned_at", "-pk").first())


def returned_to(user) -> list[ReturnedWork]:
    """Unanswered returns for this user to act on: sent back to them, or about a child allocated to them now, that
    they may see. Two queries at most, however many."""
    mine = Q(returned_to=user) | Q(child__allocations__worker=user, child__allocations__end_date__isnull=True)
    rows = list(ReturnedWork.objects.filter(mine, answered_at__isnull=True)
                .select_related("child", "returned_by").distinct().order_by("returned_at", "pk"))
    viewable = policy.viewable_ids(user, {row.child_id for row in rows}, children_only=True)
    return [row for row in rows if row.child_id in viewable]
