"""Chair and IRO challenge: stage deadlines in working days, and when a concern may move on."""

from datetime import date

import pytest

from casefile.rules.escalation import (
    DEFAULT_WORKING_DAYS,
    SKIP_NEEDS_A_REASON,
    Stage,
    move_problems,
    next_stage,
    skipped,
    stage_due,
    stage_limits,
    stage_status,
)
from casefile.rules.working_days import ENGLAND_AND_WALES, WorkingCalendar

CAL = ENGLAND_AND_WALES


def test_the_defaults_are_five_working_days_informally_then_five_ten_and_ten():
    assert [DEFAULT_WORKING_DAYS[stage] for stage in Stage] == [5, 5, 10, 10]


def test_an_informal_stage_started_before_easter_is_due_after_it():
    # Thursday 28 March 2024: Good Friday and Easter Monday do not count.
    assert stage_due(date(2024, 3, 28), Stage.INFORMAL, CAL) == date(2024, 4, 8)


def test_a_service_manager_stage_started_before_christmas_skips_christmas_boxing_day_and_new_year():
    assert stage_due(date(2024, 12, 16), Stage.SERVICE_MANAGER, CAL) == date(2025, 1, 2)


def test_a_day_the_authority_closed_moves_the_deadline():
    closed = WorkingCalendar({date(2024, 4, 3)})
    assert stage_due(date(2024, 3, 28), Stage.INFORMAL, closed) == date(2024, 4, 9)


def test_an_authority_sets_its_own_working_days():
    limits = stage_limits({"informal": 3, "head_of_service": 15})
    assert limits[Stage.INFORMAL] == 3 and limits[Stage.TEAM_MANAGER] == 5 and limits[Stage.HEAD_OF_SERVICE] == 15
    assert stage_due(date(2024, 3, 28), Stage.INFORMAL, CAL, limits) == date(2024, 4, 4)


@pytest.mark.parametrize("overrides", [{"stage_4": 5}, {"informal": 0}, {"informal": "5"}, {"informal": True}])
def test_a_wrong_local_setting_is_refused(overrides):
    with pytest.raises(ValueError):
        stage_limits(overrides)


def test_a_stage_is_overdue_the_working_day_after_its_deadline_and_counts_the_days_late():
    started = date(2024, 3, 28)  # due Monday 8 April
    on_the_day = stage_status(Stage.INFORMAL, started, None, date(2024, 4, 8), CAL)
    assert not on_the_day.is_overdue and on_the_day.working_days_left == 0
    before = stage_status(Stage.INFORMAL, started, None, date(2024, 4, 2), CAL)
    assert before.working_days_left == 4 and not before.may_move_on
    after = stage_status(Stage.INFORMAL, started, None, date(2024, 4, 10), CAL)
    assert after.is_overdue and after.working_days_late == 2 and after.may_move_on


def test_an_answered_stage_is_never_overdue_and_may_move_on():
    status = stage_status(Stage.INFORMAL, date(2024, 3, 28), date(2024, 4, 9), date(2024, 5, 1), CAL)
    assert not status.is_overdue and status.may_move_on and status.answered_late
    assert status.working_days_late == 1


def test_stages_follow_each_other_in_order():
    assert next_stage(Stage.TEAM_MANAGER) is Stage.SERVICE_MANAGER
    assert skipped(Stage.INFORMAL, Stage.HEAD_OF_SERVICE) == (Stage.TEAM_MANAGER, Stage.SERVICE_MANAGER)
    assert skipped(Stage.INFORMAL, Stage.TEAM_MANAGER) == ()


def _waiting(answered_on=None, today=date(2024, 4, 2)):
    return stage_status(Stage.INFORMAL, date(2024, 3, 28), answered_on, today, CAL)


def test_a_stage_neither_answered_nor_overdue_cannot_move_on():
    assert set(move_problems(_waiting(), "team_manager", "")) == {"stage"}


def test_an_answered_stage_moves_to_the_next_without_a_reason():
    assert move_problems(_waiting(answered_on=date(2024, 4, 2)), "team_manager", "") == {}


def test_an_overdue_stage_moves_on_without_an_answer():
    assert move_problems(_waiting(today=date(2024, 4, 9)), "team_manager", "") == {}


def test_an_escalation_cannot_skip_a_stage_without_a_reason():
    problems = move_problems(_waiting(answered_on=date(2024, 4, 2)), "service_manager", "  ")
    assert problems["skip_reason"].startswith(SKIP_NEEDS_A_REASON)
    assert move_problems(_waiting(answered_on=date(2024, 4, 2)), "service_manager",
                         "The team manager is the worker on this case") == {}


@pytest.mark.parametrize("target", ["informal", "stage_9", ""])
def test_a_concern_moves_only_to_a_later_stage(target):
    assert set(move_problems(_waiting(answered_on=date(2024, 4, 2)), target, "")) == {"stage"}


def test_the_last_stage_has_nowhere_to_go():
    last = stage_status(Stage.HEAD_OF_SERVICE, date(2024, 3, 28), date(2024, 4, 2), date(2024, 4, 3), CAL)
    assert "resolution" in move_problems(last, "head_of_service", "")["stage"]
