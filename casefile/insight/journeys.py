"""The children behind one outcome of a journey (rules/journeys.py), read from the record as a page about one stage
needs it: only the tables the stage reads and, in each, only the rows that can decide its outcomes
(`rules.journeys.STAGE_READS`), so a whole authority's year reads one year of one or two tables rather than the
whole record. test_narrowed_load.py holds every stage read this way equal to the same stage of the whole record."""

from __future__ import annotations

import dataclasses

from casefile.insight import cohort
from casefile.insight.clinic import Scope
from casefile.rules import journeys as rules
from casefile.rules.indicators import Period
from casefile.rules.indicators.core import window


def stage(scope: Scope, period: Period, code: str) -> rules.Stage:
    """One stage of the scope's journey for the period, followed to the period's end (as the journeys page shows
    it), with the children of each outcome."""
    record = cohort.load(period.end, scope.reads(window(rules.STAGE_READS[code], period)), held_by=scope.held_by())
    if code == "assessments" and (since := rules.followed_from(record, period)) is not None:
        followed = cohort.load(period.end, dict.fromkeys(rules.FOLLOWED_FROM_EACH_ASSESSMENT, since))
        record = dataclasses.replace(record, **{table: getattr(followed, table)
                                                for table in rules.FOLLOWED_FROM_EACH_ASSESSMENT})
    return rules.stage(scope.part(record, period), period, code)
