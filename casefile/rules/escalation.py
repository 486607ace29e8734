"""Chair and IRO challenge: the stages a practice concern moves through, the deadline at each, and when it may
move on to the next.

A conference chair or IRO who is worried about the practice on a child's case raises a practice concern. It starts
at an informal stage (a conversation with the worker and their team manager) and, if that does not resolve it,
moves through the formal stages: stage 1 to the team manager, stage 2 to the service manager, stage 3 to the head
of service. Each stage has a deadline for the response, counted in working days from the day the stage started
(the anchor is day 0, as the DfE statistics count: `working_days.DFE_STATISTICS`).

No statute sets these stages or their timescales. Working Together to Safeguard Children 2023 asks safeguarding
partners to publish a procedure for resolving professional disagreements, and the IRO Handbook (2010, chapter 6)
describes an informal stage followed by formal ones up the management line, with timescales left to each
authority. The defaults below (informal 5 working days; stage 1 5; stage 2 10; stage 3 10) are therefore local
defaults, of the order local protocols use; an authority sets its own in `CASEFILE_ESCALATION_WORKING_DAYS`.

A stage may move on once it has been answered or its deadline has passed (a chair need not wait for an answer
that is late). Moving past a stage (from the informal stage straight to the service manager, say) needs a
reason on the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from casefile.rules.working_days import DFE_STATISTICS, WorkingCalendar, add_working_days, working_days_between


class Stage(StrEnum):
    INFORMAL = "informal"
    TEAM_MANAGER = "team_manager"
    SERVICE_MANAGER = "service_manager"
    HEAD_OF_SERVICE = "head_of_service"


ORDER: tuple[Stage, ...] = (Stage.INFORMAL, Stage.TEAM_MANAGER, Stage.SERVICE_MANAGER, Stage.HEAD_OF_SERVICE)

LABELS: Mapping[Stage, str] = MappingProxyType({
    Stage.INFORMAL: "Informal stage",
    Stage.TEAM_MANAGER: "Stage 1: team manager",
    Stage.SERVICE_MANAGER: "Stage 2: service manager",
    Stage.HEAD_OF_SERVICE: "Stage 3: head of service",
})

# Local defaults (see the module's docstring): working days from the start of a stage to its response.
DEFAULT_WORKING_DAYS: Mapping[Stage, int] = MappingProxyType({
    Stage.INFORMAL: 5,
    Stage.TEAM_MANAGER: 5,
    Stage.SERVICE_MANAGER: 10,
    Stage.HEAD_OF_SERVICE: 10,
})
SOURCE = ("Local defaults: no statute sets escalation timescales (Working Together 2023 leaves the procedure to "
          "the safeguarding partners; IRO Handbook 2010, chapter 6)")

SKIP_NEEDS_A_REASON = "An escalation cannot skip a stage without a reason"


def stage_limits(overrides: Mapping[str, int] | None = None) -> Mapping[Stage, int]:
    """The working days allowed at each stage: the defaults, with an authority's own over them.

    >>> stage_limits({"informal": 3})[Stage.INFORMAL]
    3
    """
    limits = dict(DEFAULT_WORKING_DAYS)
    for key, value in (overrides or {}).items():
        if key not in Stage.__members__.values():
            raise ValueError(f"{key!r} is not an escalation stage: use one of {', '.join(ORDER)}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"The working days for the {key} stage must be a whole number of 1 or more")
        limits[Stage(key)] = value
    return MappingProxyType(limits)


def stage_due(started_on: date, stage: Stage, calendar: WorkingCalendar,
              limits: Mapping[Stage, int] = DEFAULT_WORKING_DAYS) -> date:
    """The day the response to a stage is due: its working days after the day it started (day 0)."""
    return add_working_days(started_on, limits[Stage(stage)], calendar, DFE_STATISTICS)


@dataclass(frozen=True)
class StageStatus:
    """Where one stage stands on a given day: its deadline, and whether it was answered or is overdue."""

    stage: Stage
    started_on: date
    due: date
    answered_on: date | None
    today: date
    calendar: WorkingCalendar

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_answered and self.today > self.due

    @property
    def answered_late(self) -> bool:
        return self.is_answered and self.answered_on > self.due

    @property
    def working_days_left(self) -> int:
        """Working days from today to the deadline (0 on the day); 0 once it has passed."""
        return working_days_between(self.today, self.due, self.calendar) if self.today <= self.due else 0

    @property
    def working_days_late(self) -> int:
        """Working days past the deadline, up to today (or to the answer); 0 if not late."""
        end = self.answered_on or self.today
        return working_days_between(self.due, end, self.calendar) if end > self.due else 0

    @property
    def may_move_on(self) -> bool:
        return self.is_answered or self.is_overdue


def stage_status(stage: Stage, started_on: date, answered_on: date | None, today: date,
                 calendar: WorkingCalendar, limits: Mapping[Stage, int] = DEFAULT_WORKING_DAYS) -> StageStatus:
    return StageStatus(Stage(stage), started_on, stage_due(started_on, stage, calendar, limits), answered_on, today,
                       calendar)


def next_stage(stage: Stage) -> Stage | None:
    """The stage after this one, or None after the last.

    >>> next_stage(Stage.INFORMAL), next_stage(Stage.HEAD_OF_SERVICE)
    (<Stage.TEAM_MANAGER: 'team_manager'>, None)
    """
    position = ORDER.index(Stage(stage))
    return ORDER[position + 1] if position + 1 < len(ORDER) else None


def skipped(current: Stage, target: Stage) -> tuple[Stage, ...]:
    """The stages passed over in moving from `current` to `target`.

    >>> skipped(Stage.INFORMAL, Stage.SERVICE_MANAGER)
    (<Stage.TEAM_MANAGER: 'team_manager'>,)
    """
    return ORDER[ORDER.index(Stage(current)) + 1:ORDER.index(Stage(target))]


def move_problems(current: StageStatus, target: str, reason: str) -> dict[str, str]:
    """What stops a concern moving from its current stage to `target`, keyed by the form's field; empty if it may.

    The current stage must have been answered or be overdue; the target must come after it; a stage passed over
    needs a reason.
    """
    if target not in Stage.__members__.values() or ORDER.index(Stage(target)) <= ORDER.index(current.stage):
        later = ORDER[ORDER.index(current.stage) + 1:]
        if not later:
            return {"stage": "This concern is at the last stage: record its resolution instead"}
        return {"stage": "Select a later stage to move the concern to"}
    problems = {}
    if not current.may_move_on:
        problems["stage"] = (f"The concern can move on from {LABELS[current.stage].lower()} once it is answered or "
                             f"its deadline has passed: wait for the response or record it")
    if skipped(current.stage, Stage(target)) and not (reason or "").strip():
        problems["skip_reason"] = (f"{SKIP_NEEDS_A_REASON}: enter why the concern goes straight to "
                                   f"{LABELS[Stage(target)].lower()}")
    return problems
