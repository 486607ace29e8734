"""Writing to the audit trail. Every service function and every view of a child's record calls `record`."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from casefile.audit import anchor
from casefile.audit.models import Action, AuditEvent
from casefile.core.prepared import prepared

GENESIS_HASH = "0" * 64
# Any fixed number: PostgreSQL advisory lock that makes appends to the chain one at a time.
_CHAIN_LOCK_KEY = 4_242_001


class AnonymousAuditError(Exception):
    """Audited actions need a signed-in actor (or an explicit system actor of None with a reason)."""


def _subject_of(subject: models.Model | None) -> tuple[str, str]:
    if subject is None:
        return "", ""
    return subject._meta.label_lower, str(subject.pk)


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record(
    action: Action | str,
    *,
    actor=None,
    request=None,
    subject: models.Model | None = None,
    child=None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    allow_anonymous: bool = False,
) -> AuditEvent:
    """Append one event to the hash-chained audit trail and return it.

    `actor` defaults to the request's user. `child` is the child (or adult) whose record it concerns.
    """
    event = _event(action, actor=actor, request=request, subject=subject, child=child, reason=reason,
                   details=details, allow_anonymous=allow_anonymous)
    with transaction.atomic():
        _lock_chain()
        _chain([event], _last_hash())
        event.save(force_insert=True)
        transaction.on_commit(anchor.checkpoint_if_due)
    return event


def record_many(action: Action | str, *, actor=None, request=None,
                events: list[tuple[models.Model | None, Any, dict[str, Any]]]) -> list[AuditEvent]:
    """Append one event per (subject, child, details), chained in order, in one insert: for bulk writes such
    as an import, where thousands of single appends would take tens of seconds."""
    built = [_event(action, actor=actor, request=request, subject=subject, child=child, details=details)
             for subject, child, details in events]
    with transaction.atomic():
        _lock_chain()
        _chain(built, _last_hash())
        AuditEvent.objects.bulk_create(built, batch_size=1_000)  # ids follow list order, as the chain does
        transaction.on_commit(anchor.checkpoint_if_due)
    return built


def _event(action: Action | str, *, actor, request, subject: models.Model | None, child, reason: str = "",
           details: dict[str, Any] | None, allow_anonymous: bool = False) -> AuditEvent:
    Action(action)  # refuse unknown actions early
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is None and not allow_anonymous:
        raise AnonymousAuditError(f"{action} needs an actor")
    subject_type, subject_id = _subject_of(subject)
    # Store details exactly as they will read back, so the hash is the same before and after saving.
    clean_details = json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))
    return AuditEvent(
        actor=actor,
        actor_username=getattr(actor, "username", ""),
        actor_role=getattr(actor, "role", ""),
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        child=child,
        reason=reason,
        request_id=getattr(request, "request_id", "") if request is not None else "",
        ip_address=_client_ip(request),
        details=clean_details,
    )


def _last_hash() -> str:
    return next(iter(_newest_hash()), None) or GENESIS_HASH


@prepared
def _newest_hash():
    """The newest event's hash: read on every page (each view is audited), so built and compiled once."""
    return AuditEvent.objects.order_by("-id").values_list("hash", flat=True)[:1]


def _chain(events: list[AuditEvent], previous: str) -> None:
    key_id = anchor.current_key_id()
    for event in events:
        event.key_id = key_id
        event.prev_hash = previous
        event.hash = previous = event.compute_hash()


def _lock_chain() -> None:
    """Serialise appends so two requests never chain onto the same previous row.

    SQLite needs nothing more: its IMMEDIATE transactions already allow one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
