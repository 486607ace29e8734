"""Insight's writes: the child population the diversity page compares with and the statistical neighbours' figures
the clinic compares with, entered one figure at a time or from a CSV file (rules/population.py, rules/neighbours.py),
by analysts and administrators, in one transaction, so a file with a bad row keeps
nothing and loading the same file again changes nothing; and asking for a self-evaluation pack (the pack's record,
and the background job that makes it). Every write is audited."""

from __future__ import annotations

import dataclasses
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
from casefile.insight.models import ChildPopulation, NeighbourFigure, SelfEvaluationPack
from casefile.rules import figure_files, neighbours, population

UPLOAD_LIMIT = 1024 * 1024


# Figures analysts enter (the child population, the statistical neighbours' figures) -------------------------------


def _refused(problems: list[tuple[str, str]]) -> ValidationError:
    """One figure's problems (column, message), each on the form's box of the same name."""
    errors: dict[str, list[str]] = {}
    for column, message in problems:
        errors.setdefault(column, []).append(f"{column.capitalize()}: {message}")
    return ValidationError(errors)


def _keep(model, actor, now, key: dict, values: dict):
    """Save one figure over any with the same key: the row, and "created", "changed" or "unchanged" (a figure is
    replaced only when it differs, so loading the same file again changes nothing)."""
    found = model.objects.select_for_update().filter(**key).first()
    if found is not None and all(getattr(found, name) == value for name, value in values.items()):
        return found, "unchanged"
    row = found or model(**key)
    for name, value in {**values, "entered_by": actor, "entered_at": now}.items():
        setattr(row, name, value)
    save_with_history(row, actor)
    return row, "created" if found is None else "changed"


def _keyed(figure, key: tuple[str, ...]) -> tuple[dict, dict]:
    """A figure's fields split into those naming it (`key`) and its values."""
    values = dataclasses.asdict(figure)
    return {name: values.pop(name) for name in key}, values


def _enter(actor, request, model, figure, key: tuple[str, ...], what: str):
    """One checked figure, kept and audited (a CREATE, or an UPDATE of the one it replaces)."""
    with transaction.atomic():
        row, outcome = _keep(model, actor, timezone.now(), *_keyed(figure, key))
        record(Action.CREATE if outcome == "created" else Action.UPDATE, actor=actor, request=request, subject=row,
               details={what: dataclasses.asdict(figure), "outcome": outcome})
    return row


def _upload(actor, request, model, key: tuple[str, ...], *, data: bytes, filename: str, parse,
            what: str) -> dict[str, int]:
    """Every figure in a CSV file (`parse(text)`, raising figure_files.FileProblems), kept in one transaction, or
    none: a ValidationError on "file" naming each bad row and column. One IMPORT event with how many figures were
    created, changed and unchanged, which it returns."""
    if len(data) > UPLOAD_LIMIT:
        raise ValidationError({"file": f"The file must be smaller than {UPLOAD_LIMIT // 1024:,} KB"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": "The file must be a CSV file saved as UTF-8 text"}) from None
    try:
        figures = parse(text)
    except figure_files.FileProblems as error:
        raise ValidationError({"file": [figure_files.describe(problem) for problem in error.problems]}) from None
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    now = timezone.now()
    with transaction.atomic():
        for figure in figures:
            counts[_keep(model, actor, now, *_keyed(figure, key))[1]] += 1
        record(Action.IMPORT, actor=actor, request=request,
               details={f"{what}_file": filename[:200], "figures": len(figures), **counts})
    return counts


POPULATION_KEY = ("characteristic", "category", "year")
POPULATION_REFUSED = "Only performance analysts and administrators can enter the child population"


def _require(actor) -> None:
    if not permissions.may_enter_child_population(actor):
        raise PermissionDenied(POPULATION_REFUSED)


def enter_population(actor, *, characteristic: str, category: str, count, year, source: str,
                     request=None) -> ChildPopulation:
    """One figure: the number of children in a category, for a year, with its source."""
    _require(actor)
    figure, problems = population.check(characteristic, category, count, year, source)
    if problems:
        raise _refused(problems)
    return _enter(actor, request, ChildPopulation, figure, POPULATION_KEY, "child_population")


def upload_population(actor, *, data: bytes, filename: str = "", request=None) -> dict[str, int]:
    """Every figure in a CSV file, or none: a ValidationError on "file" naming each bad row and column. Returns
    how many figures were created, changed and unchanged."""
    _require(actor)
    return _upload(actor, request, ChildPopulation, POPULATION_KEY, data=data, filename=filename,
                   parse=population.parse, what="child_population")


NEIGHBOUR_KEY = ("indicator", "year")
NEIGHBOURS_REFUSED = "Only performance analysts and administrators can enter the statistical neighbours' figures"


def _require_neighbours(actor) -> None:
    if not permissions.may_enter_neighbour_figures(actor):
        raise PermissionDenied(NEIGHBOURS_REFUSED)


def enter_neighbour_figure(actor, *, indicator: str, year, value, group: str, source: str,
                           request=None) -> NeighbourFigure:
    """One figure: the statistical neighbours' average for an indicator in a year, with its group and source."""
    _require_neighbours(actor)
    figure, problems = neighbours.check(indicator, year, value, group, source, today=timezone.localdate())
    if problems:
        raise _refused(problems)
    return _enter(actor, request, NeighbourFigure, figure, NEIGHBOUR_KEY, "neighbour_figure")


def upload_neighbour_figures(actor, *, data: bytes, filename: str = "", request=None) -> dict[str, int]:
    """Every figure in a CSV file, or none (rules/neighbours.py); how many were created, changed and unchanged."""
    _require_neighbours(actor)
    today = timezone.localdate()
    return _upload(actor, request, NeighbourFigure, NEIGHBOUR_KEY, data=data, filename=filename,
                   parse=lambda text: neighbours.parse(text, today=today),
                   what="neighbour_figures")


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
