"""Insight's one write: asking for a self-evaluation pack (the pack's record, and the background job that makes it).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from casefile.access import permissions
from casefile.accounts.models import User
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core.presenters import govuk_date
from casefile.core.services import Errors
from casefile.insight import tasks
from casefile.insight.models import SelfEvaluationPack

REFUSED = ("Only performance analysts, service managers, heads of service and administrators make self-evaluation "
           "packs")


def request_pack(*, actor: User, request=None, period_start: datetime.date | None,
                 period_end: datetime.date | None) -> SelfEvaluationPack:
    """Record the pack asked for and queue the job that makes it. The period must have ended by today and end on
    or after the day it starts."""
    if not permissions.may_make_self_evaluation_pack(actor):
        raise PermissionDenied(REFUSED)
    errors, today = Errors(), timezone.localdate()
    if period_start is None:
        errors.add("period_start", "Enter the date the period starts")
    elif period_start > today:
        errors.add("period_start", "The date the period starts must be today or in the past")
    if period_end is None:
        errors.add("period_end", "Enter the date the period ends")
    elif period_end > today:
        errors.add("period_end", "The date the period ends must be today or in the past")
    elif period_start is not None and period_end < period_start:
        errors.add("period_end", f"The date the period ends must be on or after the date it starts "
                                 f"({govuk_date(period_start)})")
    errors.raise_if_any()
    with transaction.atomic():
        pack = SelfEvaluationPack.objects.create(period_start=period_start, period_end=period_end,
                                                 requested_by=actor)
        pack.job = tasks.start_pack(actor=actor, pack=pack)
        SelfEvaluationPack.objects.filter(pk=pack.pk).update(job=pack.job)
        record(Action.CREATE, actor=actor, request=request, subject=pack,
               details={"what": "self-evaluation pack", "period_start": period_start, "period_end": period_end,
                        "job": str(pack.job.pk)})
    pack.refresh_from_db()
    return pack
