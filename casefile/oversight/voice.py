"""The child's voice coverage: the visits and assessments of a period as plain rows for rules/voice.py.

Two queries, whatever the number of records: one for visits (on their date), one for assessments (on the day
they were authorised). A visit counts against the worker who made it, an assessment against the worker who
recorded it, each in the team that worker is in now. Text is not loaded: the database says whether each answer
is there. docs/childs-voice.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

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


def rows(*, start: datetime.date, end: datetime.date, team_ids: Iterable[int] | None = None,
         worker_id: int | None = None, kinds: Iterable[str] = (VISIT, ASSESSMENT)) -> list[VoiceRow]:
    """Visits dated, and assessments authorised, from `start` to `end`, by workers in `team_ids` (or one worker)."""
    kinds = set(kinds)
    found: list[VoiceRow] = []
    if VISIT in kinds:
        visits = Visit.objects.filter(date__range=(start, end))
        visits = (visits.filter(worker_id=worker_id) if worker_id is not None
                  else visits.filter(worker__team_id__in=list(team_ids or ())))
        found += [VoiceRow(VISIT, *values) for values in visits.annotate(
            heard=_answered("childs_words", "observations"), difference=_answered("difference_made"),
        ).values_list("pk", "child_id", "date", "worker_id", "worker__team_id", "child_seen", "seen_alone", "heard",
                      "difference").order_by()]
    if ASSESSMENT in kinds:
        assessments = Assessment.objects.filter(authorised_on__range=(start, end))
        assessments = (assessments.filter(recorded_by_id=worker_id) if worker_id is not None
                       else assessments.filter(recorded_by__team_id__in=list(team_ids or ())))
        found += [VoiceRow(ASSESSMENT, *values) for values in assessments.annotate(
            heard=_answered("childs_views", "observations_of_child"), difference=_answered("difference_made"),
        ).values_list("pk", "episode__child_id", "authorised_on", "recorded_by_id", "recorded_by__team_id",
                      "child_seen", "child_seen_alone", "heard", "difference").order_by()]
    return found
