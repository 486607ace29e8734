"""Insight's writes: the child population the diversity page compares with, entered one figure at a time or from a
CSV file (rules/population.py), by analysts and administrators, in one transaction, so a file with a bad row keeps
nothing and loading the same file again changes nothing; and asking for a self-evaluation pack (the pack's record,
and the background job that makes it). Every write is audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casefile.access import permissions
from casefile.accounts.models import User
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core.presenters import govuk_date
from casefile.core.services import Errors, save_with_history
from casefile.insight import tasks
from casefile.insight.models import ChildPopulation, SelfEvaluationPack
from casefile.rules import population

UPLOAD_LIMIT = 1024 * 1024
FIELDS = {"characteristic": "characteristic", "category": "category", "count": "count", "year": "year",
          "source": "source"}


def _require(actor) -> None:
    if not permissions.may_enter_child_population(actor):
        raise PermissionDenied("Only performance analysts and administrators can enter the child population")


def _keep(actor, figure: population.Figure, now) -> str:
    """Save one figure over any for the same category and year: "created", "changed" or "unchanged"."""
    found = ChildPopulation.objects.select_for_update().filter(
        characteristic=figure.characteristic, category=figure.category, year=figure.year).first()
    if found is not None and (found.count, found.source) == (figure.count, figure.source):
        return "unchanged"
    row = found or ChildPopulation(characteristic=figure.characteristic, category=figure.category, year=figure.year)
    row.count, row.source, row.entered_by, row.entered_at = figure.count, figure.source, actor, now
    save_with_history(row, actor)
    return "created" if found is None else "changed"


def enter_population(actor, *, characteristic: str, category: str, count, year, source: str,
                     request=None) -> ChildPopulation:
    """One figure: the number of children in a category, for a year, with its source."""
    _require(actor)
    figure, problems = population.check(characteristic, category, count, year, source)
    if problems:
        errors: dict[str, list[str]] = {}
        for column, message in problems:
            errors.setdefault(FIELDS[column], []).append(f"{column.capitalize()}: {message}")
        raise ValidationError(errors)
    with transaction.atomic():
        outcome = _keep(actor, figure, timezone.now())
        row = ChildPopulation.objects.get(characteristic=figure.characteristic, category=figure.category,
                                          year=figure.year)
        record(Action.CREATE if outcome == "created" else Action.UPDATE, actor=actor, request=request, subject=row,
               details={"child_population": {"characteristic": figure.characteristic, "category": figure.category,
                                             "year": figure.year, "count": figure.count, "source": figure.source},
                        "outcome": outcome})
    return row


def upload_population(actor, *, data: bytes, filename: str = "", request=None) -> dict[str, int]:
    """Every figure in a CSV file, or none: a ValidationError on "file" naming each bad row and column. Returns
    how many figures were created, changed and unchanged."""
    _require(actor)
    if len(data) > UPLOAD_LIMIT:
        raise ValidationError({"file": f"The file must be smaller than {UPLOAD_LIMIT // 1024:,} KB"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": "The file must be a CSV file saved as UTF-8 text"}) from None
    try:
        figures = population.parse(text)
    except population.PopulationError as error:
        raise ValidationError({"file": [population.describe(problem) for problem in error.problems]}) from None
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    now = timezone.now()
    with transaction.atomic():
        for figure in figures:
            counts[_keep(actor, figure, now)] += 1
        record(Action.IMPORT, actor=actor, request=request,
               details={"child_population_file": filename[:200], "figures": len(figures), **counts})
    return counts


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
