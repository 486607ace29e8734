"""Writes for returned work (casework.ReturnedWork): a manager's comment when they send a plan, an assessment or a
closure back, and the worker's answer when they send it again. Each runs inside its caller's transaction (the
return or the resubmission it belongs to) and adds its own audit event."""

from __future__ import annotations

from django.utils import timezone

from casefile.audit.models import Action as AuditAction
from casefile.audit.services import record
from casefile.casework.models import ReturnedWork
from casefile.core.services import Errors, save_with_history


def note_return(*, actor, request=None, child, kind: str, record_id: int, comment: str,
                returned_to=None) -> ReturnedWork:
    """Keep the manager's comment as a record the worker sees (the caller has checked it is not empty)."""
    returned = save_with_history(ReturnedWork(child=child, kind=kind, record_id=record_id, returned_to=returned_to,
                                              returned_by=actor, comment=comment.strip()), actor)
    record(AuditAction.CREATE, actor=actor, request=request, subject=returned, child=child,
           details={"kind": kind, "record": record_id})
    return returned


def check_answer(errors: Errors, kind: str, record_id: int, answer: str | None) -> list[ReturnedWork]:
    """The open returns of the record; an answer is required when there is one."""
    waiting = list(ReturnedWork.objects.filter(kind=kind, record_id=record_id, answered_at__isnull=True))
    if waiting and not (answer or "").strip():
        errors.add("answer", "Enter your answer to the manager’s comment: what you changed, or why not")
    return waiting


def answer_returns(waiting: list[ReturnedWork], *, actor, request=None, answer: str) -> None:
    """Answer every open return of the record with the same answer (inside the resubmission's transaction)."""
    for returned in waiting:
        returned.answer, returned.answered_by, returned.answered_at = answer.strip(), actor, timezone.now()
        save_with_history(returned, actor)
        record(AuditAction.UPDATE, actor=actor, request=request, subject=returned, child=returned.child,
               details={"answered": True, "kind": returned.kind, "record": returned.record_id})
