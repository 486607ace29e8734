"""Working hours, waiting time, RAG suggestions, threshold levels and history counters at the front door."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.rules.front_door import (
    LONDON,
    FrontDoorSettings,
    OfficeHours,
    Outcome,
    Rag,
    count_within,
    notification_rag,
    re_referrals,
    received_before,
    waiting,
    working_minutes_between,
)
from casefile.rules.working_days import WorkingCalendar


def at(day: str, clock: str = "09:00") -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tzinfo=LONDON)


def test_minutes_within_one_working_day_are_clipped_to_office_hours():
    assert working_minutes_between(at("2026-11-23", "08:00"), at("2026-11-23", "10:30")) == 90
    assert working_minutes_between(at("2026-11-23", "16:30"), at("2026-11-23", "19:00")) == 30


def test_a_weekend_adds_no_working_time():
    # Friday 16:30 to Monday 09:30: half an hour on Friday, half an hour on Monday.
    assert working_minutes_between(at("2026-11-20", "16:30"), at("2026-11-23", "09:30")) == 60


def test_bank_holidays_and_the_authoritys_closed_days_add_no_working_time():
    # Christmas 2026: Friday 25th and Monday 28th (Boxing Day substitute) are bank holidays.
    assert working_minutes_between(at("2026-12-24", "16:00"), at("2026-12-29", "10:00")) == 120
    closed = WorkingCalendar({date(2026, 12, 29)})
    assert working_minutes_between(at("2026-12-24", "16:00"), at("2026-12-29", "10:00"), closed) == 60


def test_whole_days_between_count_the_full_office_day():
    # Monday 09:00 to Wednesday 17:00 is three office days of 8 hours.
    assert working_minutes_between(at("2026-11-23"), at("2026-11-25", "17:00")) == 3 * 8 * 60
    longer = OfficeHours(time(8, 30), time(17, 30))
    assert working_minutes_between(at("2026-11-23"), at("2026-11-25", "17:00"), hours=longer) == 510 + 540 + 510


def test_an_end_before_the_start_is_zero_and_naive_datetimes_are_refused():
    assert working_minutes_between(at("2026-11-24"), at("2026-11-23")) == 0
    with pytest.raises(ValueError, match="aware"):
        working_minutes_between(datetime(2026, 11, 23, 9), at("2026-11-24"))


def test_summer_time_is_read_in_uk_time():
    # 08:30 UTC on a summer Monday is 09:30 in London.
    start = datetime(2026, 6, 1, 8, 30, tzinfo=UTC)
    assert working_minutes_between(start, at("2026-06-01", "10:00")) == 30


def test_waiting_counts_working_days_after_receipt_and_flags_the_limits():
    received = at("2026-11-20", "16:00")  # a Friday
    monday = waiting(received, at("2026-11-23", "12:00"), Rag.RED)
    assert (monday.working_minutes, monday.working_days) == (4 * 60, 1)
    assert not monday.past_rag_timescale  # exactly 4 working hours is within the red timescale
    assert waiting(received, at("2026-11-23", "12:01"), Rag.RED).past_rag_timescale
    assert monday.describe() == "4 h 00 min (1 working day)"
    week_later = waiting(received, at("2026-11-27", "10:00"))
    assert week_later.working_days == 5 and not week_later.past_open_limit
    assert waiting(received, at("2026-11-30", "10:00")).past_open_limit
    assert week_later.rag is None and not week_later.past_rag_timescale


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
       st.integers(min_value=0, max_value=60 * 24 * 40), st.integers(min_value=0, max_value=60 * 24 * 40))
def test_working_minutes_add_up_over_a_split(start, first, second):
    start = start.replace(tzinfo=LONDON)
    middle = start + timedelta(minutes=first)
    end = middle + timedelta(minutes=second)
    whole = working_minutes_between(start, end)
    assert whole == working_minutes_between(start, middle) + working_minutes_between(middle, end)
    assert 0 <= whole <= (first + second)


@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1)),
       st.integers(min_value=0, max_value=60 * 24 * 30), st.sampled_from([Rag.RED, Rag.AMBER, Rag.GREEN]))
def test_the_cut_for_a_limit_agrees_with_waiting_for_any_receipt_moment(now, age_seconds, rag):
    """The lists count 'past the limit' in the database as received_at < cut: it must be what each row shows."""
    now = now.replace(tzinfo=LONDON)
    received = now - timedelta(seconds=age_seconds)
    for past in (lambda moment: waiting(moment, now, rag).past_rag_timescale,
                 lambda moment: waiting(moment, now).past_open_limit):
        cut = received_before(past, now)
        assert cut is not None
        assert past(received) == (received < cut)


def test_nothing_is_past_a_limit_nothing_reaches():
    assert received_before(lambda moment: False, at("2026-11-23")) is None
    assert received_before(lambda moment: True, at("2026-11-23")) == at("2026-11-23", "09:01")


@pytest.mark.parametrize(("dash", "children", "previous", "expected"), [
    ("standard", "no", 0, Rag.GREEN),
    ("standard", "yes", 0, Rag.AMBER),
    ("standard", "unknown", 0, Rag.AMBER),
    ("standard", "no", 1, Rag.AMBER),
    ("standard", "no", 2, Rag.RED),  # the third incident in the window: potential escalation
    ("medium", "no", 0, Rag.AMBER),
    ("medium", "yes", 0, Rag.RED),
    ("high", "no", 0, Rag.RED),
])
def test_notification_rag_follows_risk_children_and_repeat_incidents(dash, children, previous, expected):
    rating = notification_rag(dash, children, previous)
    assert rating.rag is expected
    assert rating.reasons


def test_rag_reasons_say_why():
    rating = notification_rag("high", "yes", 3)
    assert rating.reasons[0] == "DASH risk is high"
    assert "4 incidents in the household in the repeat window (potential escalation)" in rating.reasons
    assert "Children were present" in rating.reasons


def test_settings_read_from_plain_data_and_name_what_is_wrong():
    settings = FrontDoorSettings.from_mapping({
        "open_limit_working_days": 3, "office_hours": ["08:30", "17:00"],
        "rag_working_hours": {"red": 2, "amber": 8, "green": 24},
        "threshold_levels": [{"code": "A", "label": "Universal"}, {"code": "B", "label": "Targeted"}],
    })
    assert settings.open_limit_working_days == 3
    assert settings.office_hours.minutes_per_day == 510
    assert settings.rag_working_hours[Rag.RED] == 2
    assert settings.level("B").label == "Targeted" and settings.level("Z") is None
    with pytest.raises(ValueError, match="colour"):
        FrontDoorSettings.from_mapping({"colour": "red"})
    with pytest.raises(ValueError, match="open_limit_working_days"):
        FrontDoorSettings.from_mapping({"open_limit_working_days": 0})
    with pytest.raises(ValueError, match="own code"):
        FrontDoorSettings.from_mapping({"threshold_levels": [{"code": "A", "label": "x"}, {"code": "A", "label": "y"}]})
    with pytest.raises(ValueError, match="red, amber and green"):
        FrontDoorSettings.from_mapping({"rag_working_hours": {"red": 2}})
    with pytest.raises(ValueError, match="office_hours"):
        FrontDoorSettings.from_mapping({"office_hours": ["17:00", "09:00"]})


def test_only_assessment_and_strategy_outcomes_are_referrals():
    assert {outcome for outcome in Outcome if outcome.is_referral} == {Outcome.ASSESSMENT, Outcome.STRATEGY}


def test_history_counts_use_calendar_months():
    today = date(2026, 11, 22)
    days = [date(2025, 11, 22), date(2025, 11, 21), date(2026, 3, 1), date(2024, 11, 23)]
    assert count_within(days, today, 12) == 2
    assert count_within(days, today, 24) == 4


def test_re_referrals_are_referrals_within_twelve_months_of_the_one_before():
    assert re_referrals([date(2024, 1, 10), date(2025, 1, 10), date(2026, 6, 1)]) == 1
    assert re_referrals([date(2024, 1, 10), date(2025, 1, 11)]) == 0
    assert re_referrals([date(2025, 5, 1)]) == 0
