"""The child's voice coverage: the visits and assessments of a period as plain rows for rules/voice.py.

Two queries, whatever the number of records: one for visits (on their date), one for assessments (on the day
they were authorised). A visit counts against the worker who made it, an assessment against the worker who
recorded it, each in the team that worker is in now. Text is not loaded: the database says whether each answer
is there. docs/childs-voice.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q

from casefile.casework.models import Assessment, Visit
from casefile.rules.voice import ASSESSMENT, VISIT, VoiceRow

# The period a page shows unless it is given another.
DEFAULT_MONTHS = 3


def _answered(*names: str) -> ExpressionWrapper:
    """True where any of the text fields holds something."""
    condition = Q()
    for name in names:
        condition |= ~Q(**{name: ""})
    return ExpressionWrapper(condition, output_field=BooleanField())


@dataclass(frozen=True)
class Source:
    """Where a kind of record keeps each thing the rows need."""

    model: type
    day: str
    worker: str
    child: str
    seen: str
    alone: str
    heard: tuple[str, ...]


SOURCES = {
    VISIT: Source(Visit, "date", "worker", "child_id", "child_seen", "seen_alone", ("childs_words", "observations")),
    ASSESSMENT: Source(Assessment, "authorised_on", "recorded_by", "episode__child_id", "child_seen",
                       "child_seen_alone", ("childs_views", "observations_of_child")),
}


def rows(*, start: datetime.date, end: datetime.date, team_ids: Iterable[int] | None = None,
         worker_id: int | None = None, kinds: Iterable[str] = (VISIT, ASSESSMENT)) -> list[VoiceRow]:
    """Visits dated, and assessments authorised, from `start` to `end`, by workers in `team_ids` (or one worker)."""
    found: list[VoiceRow] = []
    for kind in kinds:
        source = SOURCES[kind]
        records = source.model.objects.filter(**{f"{source.day}__range": (start, end)})
        records = (records.filter(**{f"{source.worker}_id": worker_id}) if worker_id is not None
                   else records.filter(**{f"{source.worker}__team_id__in": list(team_ids or ())}))
        found += [VoiceRow(kind, *values) for values in records.annotate(
            heard=_answered(*source.heard), difference=_answered("difference_made"),
        ).values_list("pk", source.child, source.day, f"{source.worker}_id", f"{source.worker}__team_id",
                      source.seen, source.alone, "heard", "difference").order_by()]
    return found
