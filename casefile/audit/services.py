"""Writing to the audit trail. Every service function and every view of a child's record calls `record`."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from casefile.audit.models import Action, AuditEvent

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
    Action(action)  # refuse unknown actions early
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is None and not allow_anonymous:
        raise AnonymousAuditError(f"{action} needs an actor")
    subject_type, subject_id = _subject_of(subject)
    # Store details exactly as they will read back, so the hash is the same before and after saving.
    clean_details = json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))
    event = AuditEvent(
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
    with transaction.atomic():
        _lock_chain()
        last_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = last_hash or GENESIS_HASH
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


def _lock_chain() -> None:
    """Serialise appends so two requests never chain onto the same previous row.

    SQLite needs nothing more: its IMMEDIATE transactions already allow one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
