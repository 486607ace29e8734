"""Checking the audit trail's hash chain."""

from __future__ import annotations

from dataclasses import dataclass

from casefile.audit.models import AuditEvent
from casefile.audit.services import GENESIS_HASH


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    problem: str


def first_broken_link(batch_size: int = 2000) -> tuple[int, BrokenLink | None]:
    """Walk the chain in id order; return how many events were checked and the first broken link, if any.

    A row whose content was changed no longer matches its own hash; a row deleted or inserted out of
    order leaves the next row pointing at a hash that is not its predecessor's.
    """
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return checked, None
        for event in batch:
            if event.prev_hash != expected_prev:
                problem = "does not follow the event before it (a row was removed or inserted)"
                return checked, BrokenLink(event.id, problem)
            if event.compute_hash() != event.hash:
                return checked, BrokenLink(event.id, "has been changed since it was written")
            expected_prev = event.hash
            checked += 1
        last_id = batch[-1].id
