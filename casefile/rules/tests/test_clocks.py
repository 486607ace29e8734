"""Statutory clocks: due dates from recorded events, local settings, status, and each rule's source.

Expected dates are worked out by hand in the comments, counting with the anchor as day 0 (the default,
as in the DfE statistics) unless a test says otherwise.
"""

from datetime import date

import pytest

from casefile.rules.clocks import (
    ASSESSMENT,
    ASSESSMENT_CENSUS,
    CIN_VISIT,
    CP_VISIT,
    DEFAULT_SETTINGS,
    FIRST_CORE_GROUP,
    FIRST_REVIEW_CONFERENCE,
    INITIAL_CONFERENCE,
    LATER_REVIEW_CONFERENCE,
    REFERRAL_DECISION,
    RULES,
    Anchor,
    Clock,
    ClockSettings,
    Force,
    Limit,
    MissingLimit,
    State,
    Unit,
    add_calendar_months,
    due_date,
    limit_for,
    rules_started_by,
)
from casefile.rules.working_days import DFE_VALIDATOR, ENGLAND_AND_WALES, Convention, WorkingCalendar

D = date
VALIDATOR_COUNTING = ClockSettings(convention=DFE_VALIDATOR)

# rule, anchor, due date (anchor is day 0), and the hand working.
DUE_DATES = [
    # Referral decision, 1 working day.
    (REFERRAL_DECISION, D(2025, 12, 24), D(2025, 12, 29)),  # Wed; 25-26 Dec bank holidays, 27-28 weekend -> Mon 29
    (REFERRAL_DECISION, D(2024, 3, 28), D(2024, 4, 2)),  # Thu; Good Friday, weekend, Easter Monday -> Tue 2 Apr
    (REFERRAL_DECISION, D(2022, 6, 1), D(2022, 6, 6)),  # Wed; Thu 2 spring, Fri 3 Jubilee, weekend -> Mon 6
    (REFERRAL_DECISION, D(2022, 9, 16), D(2022, 9, 20)),  # Fri; weekend, Mon 19 State Funeral -> Tue 20
    (REFERRAL_DECISION, D(2023, 5, 5), D(2023, 5, 9)),  # Fri; weekend, Mon 8 Coronation -> Tue 9
    # Assessment, 45 working days from the referral.
    # From Wed 24 Dec 2025: 29, 30, 31 Dec (3); 1 Jan bank holiday; 2 Jan (4); five-day weeks from 5 Jan
    # take it to 44 on Fri 27 Feb; Mon 2 Mar 2026 is day 45.
    (ASSESSMENT, D(2025, 12, 24), D(2026, 3, 2)),
    # From Wed 1 Jun 2022: 2 and 3 Jun closed; weeks from Mon 6 Jun reach 45 on Fri 5 Aug (nine full weeks).
    (ASSESSMENT, D(2022, 6, 1), D(2022, 8, 5)),
    # Assessment, 45 working days from its start (the census clock).
    # From Thu 28 Mar 2024: 2-5 Apr (4), 8-12 (9), 15-19 (14), 22-26 (19), 29 Apr-3 May (24), Mon 6 May bank
    # holiday, 7-10 (28), 13-17 (33), 20-24 (38), Mon 27 May bank holiday, 28-31 (42), 3, 4, 5 Jun -> Wed 5 Jun.
    (ASSESSMENT_CENSUS, D(2024, 3, 28), D(2024, 6, 5)),
    # Initial conference, 15 working days from the strategy discussion that started s47 enquiries.
    (INITIAL_CONFERENCE, D(2024, 3, 28), D(2024, 4, 22)),  # 2-5 Apr (4), 8-12 (9), 15-19 (14), Mon 22 (15)
    (INITIAL_CONFERENCE, D(2022, 6, 1), D(2022, 6, 24)),  # 6-10 Jun (5), 13-17 (10), 20-24 (15)
    (INITIAL_CONFERENCE, D(2022, 9, 16), D(2022, 10, 10)),  # 20-23 Sep (4), 26-30 (9), 3-7 Oct (14), Mon 10 Oct
    (INITIAL_CONFERENCE, D(2023, 5, 5), D(2023, 5, 30)),  # 9-12 May (4), 15-19 (9), 22-26 (14), Mon 29 closed, Tue 30
    (INITIAL_CONFERENCE, D(2025, 12, 24), D(2026, 1, 19)),  # 29-31 Dec (3), 2 Jan (4), 5-9 (9), 12-16 (14), Mon 19
    # First core group, 10 working days after the initial conference.
    (FIRST_CORE_GROUP, D(2024, 3, 28), D(2024, 4, 15)),  # 2-5 Apr (4), 8-12 (9), Mon 15 (10)
    (FIRST_CORE_GROUP, D(2023, 5, 5), D(2023, 5, 22)),  # 9-12 May (4), 15-19 (9), Mon 22 (10)
    # First review conference, 3 calendar months after the initial conference; never moved to a working day.
    (FIRST_REVIEW_CONFERENCE, D(2024, 1, 31), D(2024, 4, 30)),  # April has 30 days
    (FIRST_REVIEW_CONFERENCE, D(2023, 11, 30), D(2024, 2, 29)),  # leap year
    (FIRST_REVIEW_CONFERENCE, D(2024, 11, 30), D(2025, 2, 28)),
    (FIRST_REVIEW_CONFERENCE, D(2024, 10, 4), D(2025, 1, 4)),  # a Saturday, not rolled
    (FIRST_REVIEW_CONFERENCE, D(2025, 9, 25), D(2025, 12, 25)),  # Christmas Day, not rolled
    # Later review conferences, 6 calendar months after the previous review.
    (LATER_REVIEW_CONFERENCE, D(2023, 8, 31), D(2024, 2, 29)),
    (LATER_REVIEW_CONFERENCE, D(2024, 8, 31), D(2025, 2, 28)),
    (LATER_REVIEW_CONFERENCE, D(2024, 3, 31), D(2024, 9, 30)),
    (LATER_REVIEW_CONFERENCE, D(2024, 7, 15), D(2025, 1, 15)),
    # Child protection visits, 10 working days after the last one (local default).
    (CP_VISIT, D(2025, 12, 24), D(2026, 1, 12)),  # 29-31 Dec (3), 2 Jan (4), 5-9 Jan (9), Mon 12 (10)
    (CP_VISIT, D(2022, 5, 31), D(2022, 6, 16)),  # Wed 1 (1), 2-3 closed, 6-10 (6), 13-16 (10)
]


@pytest.mark.parametrize("rule, anchor, expected", DUE_DATES)
def test_each_clock_gives_its_due_date_from_the_anchor_event(rule, anchor, expected):
    assert due_date(rule, anchor, ENGLAND_AND_WALES, DEFAULT_SETTINGS) == expected


def test_every_rule_has_a_due_date_test():
    # The child in need visit has its own tests below, because only a plan can set its frequency.
    assert {rule.code for rule, _, _ in DUE_DATES} | {CIN_VISIT.code} == set(RULES)


# With the DfE validator's counting the anchor is day 1, so each working-day limit falls one working day sooner.
@pytest.mark.parametrize("rule, anchor, expected", [
    (REFERRAL_DECISION, D(2025, 12, 24), D(2025, 12, 24)),  # day 1 is the referral day itself
    (ASSESSMENT, D(2025, 12, 24), D(2026, 2, 27)),  # one before Mon 2 Mar is Fri 27 Feb
    (ASSESSMENT_CENSUS, D(2024, 3, 28), D(2024, 6, 4)),
    (INITIAL_CONFERENCE, D(2023, 5, 5), D(2023, 5, 26)),  # Mon 29 May is closed, so Fri 26 May
    (FIRST_REVIEW_CONFERENCE, D(2024, 1, 31), D(2024, 4, 30)),  # months are not counted in days
])
def test_day_1_counting_brings_working_day_limits_one_working_day_sooner(rule, anchor, expected):
    assert due_date(rule, anchor, ENGLAND_AND_WALES, VALIDATOR_COUNTING) == expected


def test_the_census_clock_can_count_like_the_validator_while_the_others_count_like_the_statistics():
    settings = ClockSettings(conventions={"assessment_census": DFE_VALIDATOR})
    assert due_date(ASSESSMENT_CENSUS, D(2024, 3, 28), ENGLAND_AND_WALES, settings) == D(2024, 6, 4)
    assert due_date(ASSESSMENT, D(2024, 3, 28), ENGLAND_AND_WALES, settings) == D(2024, 6, 5)


def test_an_anchor_on_a_bank_holiday_is_day_0_unless_the_authority_counts_from_the_next_working_day():
    good_friday = D(2024, 3, 29)
    # Day 0 is Good Friday; weekend and Easter Monday closed; Tue 2 Apr is day 1.
    assert due_date(REFERRAL_DECISION, good_friday) == D(2024, 4, 2)
    # Rolled: Tue 2 Apr is day 0, so Wed 3 Apr is day 1.
    rolled = ClockSettings(roll_non_working_anchor=True)
    assert due_date(REFERRAL_DECISION, good_friday, ENGLAND_AND_WALES, rolled) == D(2024, 4, 3)


def test_a_day_the_authority_closed_moves_the_due_date():
    # Referral Tue 23 Dec 2025 with 24 Dec closed locally: 24, 25, 26 closed, weekend, so Mon 29.
    closed_christmas_eve = WorkingCalendar([D(2025, 12, 24)])
    assert due_date(REFERRAL_DECISION, D(2025, 12, 23), closed_christmas_eve) == D(2025, 12, 29)
    assert due_date(REFERRAL_DECISION, D(2025, 12, 23)) == D(2025, 12, 24)


@pytest.mark.parametrize("day, months, expected", [
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2025, 1, 31), 1, D(2025, 2, 28)),
    (D(2025, 3, 31), 1, D(2025, 4, 30)),
    (D(2025, 10, 31), 3, D(2026, 1, 31)),  # across the year end
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2025, 5, 15), 6, D(2025, 11, 15)),
])
def test_calendar_months_keep_the_day_of_the_month_or_use_the_last_day_of_a_shorter_month(day, months, expected):
    assert add_calendar_months(day, months) == expected


def test_an_authority_can_change_a_local_standard():
    settings = ClockSettings(local_limits={"cp_visit": Limit(15, Unit.WORKING_DAYS)})
    # From Wed 24 Dec 2025: 10 working days is Mon 12 Jan; 13-16 Jan (14), Mon 19 Jan (15).
    assert due_date(CP_VISIT, D(2025, 12, 24), ENGLAND_AND_WALES, settings) == D(2026, 1, 19)


@pytest.mark.parametrize("code", ["referral_decision", "assessment", "assessment_census", "initial_conference",
                                  "first_review_conference", "later_review_conference"])
def test_an_authority_cannot_change_a_national_limit(code):
    with pytest.raises(ValueError, match=f"local_limits: '{code}' is .*not a local standard"):
        ClockSettings(local_limits={code: Limit(60, Unit.WORKING_DAYS)})


def test_settings_refuse_an_unknown_rule():
    with pytest.raises(ValueError, match="conventions: 'icpc' is not a rule"):
        ClockSettings(conventions={"icpc": DFE_VALIDATOR})


def test_settings_can_be_read_from_plain_data():
    settings = ClockSettings.from_mapping({
        "convention": "anchor_is_day_1",
        "conventions": {"assessment": "anchor_is_day_0"},
        "roll_non_working_anchor": True,
        "local_limits": {"first_core_group": {"amount": 5, "unit": "working_days"}},
        "due_soon_working_days": 2,
    })
    assert settings.convention is Convention.ANCHOR_IS_DAY_1
    assert settings.convention_for(ASSESSMENT) is Convention.ANCHOR_IS_DAY_0
    assert settings.convention_for(ASSESSMENT_CENSUS) is Convention.ANCHOR_IS_DAY_1
    assert limit_for(FIRST_CORE_GROUP, settings) == Limit(5, Unit.WORKING_DAYS)
    assert settings.due_soon_working_days == 2


@pytest.mark.parametrize("data, message", [
    ({"convention": "day_one"}, "convention: expected one of anchor_is_day_0, anchor_is_day_1, got 'day_one'"),
    ({"local_limits": {"cp_visit": {"amount": 0, "unit": "working_days"}}}, "local_limits.cp_visit: expected"),
    ({"local_limits": {"cp_visit": {"amount": 10, "unit": "fortnights"}}}, "local_limits.cp_visit: expected"),
    ({"due_soon": 3}, "due_soon: not a clock setting"),
    ({"due_soon_working_days": -1}, "due_soon_working_days: expected 0 or more"),
])
def test_settings_from_plain_data_name_the_setting_that_is_wrong(data, message):
    with pytest.raises(ValueError, match=message):
        ClockSettings.from_mapping(data)


def test_a_child_in_need_visit_is_due_when_the_plan_says():
    # Six-weekly from Wed 24 Dec 2025: 42 calendar days is Wed 4 Feb 2026.
    assert due_date(CIN_VISIT, D(2025, 12, 24), plan_limit=Limit.weeks(6)) == D(2026, 2, 4)
    # Every 20 working days: 12 Jan is day 10 (see the CP visit), 13-16 (14), 19-23 (19), Mon 26 Jan (20).
    assert due_date(CIN_VISIT, D(2025, 12, 24), plan_limit=Limit(20, Unit.WORKING_DAYS)) == D(2026, 1, 26)


def test_a_child_in_need_visit_needs_a_frequency_from_the_plan_or_the_authority():
    with pytest.raises(MissingLimit, match="plan_limit: 'cin_visit' needs the visit frequency"):
        due_date(CIN_VISIT, D(2025, 12, 24))
    settings = ClockSettings(local_limits={"cin_visit": Limit(20, Unit.WORKING_DAYS)})
    assert due_date(CIN_VISIT, D(2025, 12, 24), ENGLAND_AND_WALES, settings) == D(2026, 1, 26)


def test_a_child_protection_plan_can_set_more_frequent_visits():
    # Weekly: Wed 24 Dec + 7 days = Wed 31 Dec 2025.
    assert due_date(CP_VISIT, D(2025, 12, 24), plan_limit=Limit.weeks(1)) == D(2025, 12, 31)


def test_a_plan_cannot_change_a_national_limit():
    with pytest.raises(ValueError, match="plan_limit: 'initial_conference' is set by statutory guidance"):
        due_date(INITIAL_CONFERENCE, D(2025, 12, 24), plan_limit=Limit(20, Unit.WORKING_DAYS))
    with pytest.raises(ValueError, match="plan_limit: 'assessment_census' is set by DfE measure"):
        due_date(ASSESSMENT_CENSUS, D(2025, 12, 24), plan_limit=Limit(20, Unit.WORKING_DAYS))


# Status: the assessment from a referral on Wed 24 Dec 2025 is due Mon 2 Mar 2026 (day 45). Day 5 is Mon 5 Jan
# (29, 30, 31 Dec, 2 Jan, 5 Jan), so 40 working days are left then. Fri 27 Feb is day 44 and Thu 26 Feb day 43.
CHRISTMAS_ASSESSMENT = D(2025, 12, 24)


@pytest.mark.parametrize("today, state, left, late", [
    (D(2026, 1, 5), State.ON_TIME, 40, 0),
    (D(2026, 2, 24), State.ON_TIME, 4, 0),  # Tue 24 Feb is day 41: 25, 26, 27 Feb and 2 Mar left
    (D(2026, 2, 25), State.DUE_SOON, 3, 0),  # Wed 25 Feb is day 42: 3 left, the default "due soon"
    (D(2026, 2, 26), State.DUE_SOON, 2, 0),  # 27 Feb and 2 Mar left
    (D(2026, 3, 2), State.DUE_SOON, 0, 0),  # due today
    (D(2026, 3, 4), State.OVERDUE, 0, 2),  # 3 and 4 Mar after the due date
])
def test_an_open_clock_is_on_time_due_soon_or_overdue(today, state, left, late):
    status = Clock(ASSESSMENT, CHRISTMAS_ASSESSMENT).status(today)
    assert (status.due, status.state, status.working_days_left, status.working_days_late) == (
        D(2026, 3, 2), state, left, late)
    assert status.is_open


def test_a_referral_received_today_is_due_soon():
    status = Clock(REFERRAL_DECISION, D(2025, 12, 24)).status(D(2025, 12, 24))
    assert (status.state, status.working_days_left, status.due) == (State.DUE_SOON, 1, D(2025, 12, 29))


def test_a_clock_completed_by_its_due_date_is_on_time():
    status = Clock(ASSESSMENT, CHRISTMAS_ASSESSMENT, completed_on=D(2026, 3, 2)).status(D(2026, 4, 1))
    assert (status.state, status.working_days_late, status.is_late) == (State.COMPLETED_ON_TIME, 0, False)


def test_a_clock_completed_after_its_due_date_says_how_late():
    # Due Mon 2 Mar; completed Mon 9 Mar: 3, 4, 5, 6, 9 Mar are 5 working days late, 7 calendar days.
    status = Clock(ASSESSMENT, CHRISTMAS_ASSESSMENT, completed_on=D(2026, 3, 9)).status(D(2026, 4, 1))
    assert (status.state, status.working_days_late, status.calendar_days_late) == (State.COMPLETED_LATE, 5, 7)
    assert status.is_late and not status.is_open


def test_a_month_based_due_date_on_a_saturday_is_late_on_the_sunday():
    # Initial conference Fri 4 Oct 2024: first review due Sat 4 Jan 2025.
    clock = Clock(FIRST_REVIEW_CONFERENCE, D(2024, 10, 4))
    assert clock.status(D(2025, 1, 3)).state is State.DUE_SOON
    sunday = clock.status(D(2025, 1, 5))
    assert (sunday.state, sunday.working_days_late, sunday.calendar_days_late) == (State.OVERDUE, 0, 1)
    held_monday = Clock(FIRST_REVIEW_CONFERENCE, D(2024, 10, 4), completed_on=D(2025, 1, 6)).status(D(2025, 1, 6))
    assert (held_monday.state, held_monday.working_days_late) == (State.COMPLETED_LATE, 1)


def test_a_review_due_on_christmas_day_and_held_after_boxing_day_is_one_working_day_late():
    # Due Thu 25 Dec 2025; held Mon 29 Dec: 26 Dec closed, weekend, so 29 Dec is the first working day after.
    status = Clock(FIRST_REVIEW_CONFERENCE, D(2025, 9, 25), completed_on=D(2025, 12, 29)).status(D(2025, 12, 29))
    assert (status.due, status.state, status.working_days_late, status.calendar_days_late) == (
        D(2025, 12, 25), State.COMPLETED_LATE, 1, 4)


def test_due_soon_is_a_setting():
    never_due_soon = ClockSettings(due_soon_working_days=0)
    status = Clock(ASSESSMENT, CHRISTMAS_ASSESSMENT).status(D(2026, 2, 26), ENGLAND_AND_WALES, never_due_soon)
    assert status.state is State.ON_TIME


def test_a_clock_cannot_be_completed_before_it_started():
    with pytest.raises(ValueError, match="completed_on: expected a date on or after 2025-12-24"):
        Clock(ASSESSMENT, CHRISTMAS_ASSESSMENT, completed_on=D(2025, 12, 23))


def test_recording_an_event_says_which_clocks_it_starts():
    assert rules_started_by(Anchor.REFERRAL_RECEIVED) == (REFERRAL_DECISION, ASSESSMENT)
    assert rules_started_by(Anchor.INITIAL_CONFERENCE) == (FIRST_REVIEW_CONFERENCE, FIRST_CORE_GROUP)


@pytest.mark.parametrize("rule", RULES.values(), ids=list(RULES))
def test_each_rule_shows_its_force_status_and_source(rule):
    assert rule.force.label and rule.force.breach_wording
    assert rule.status in {"V", "S", "U", "LOCAL"}
    assert rule.source and rule.source_url.startswith("http")
    # statutory-rules.md has no confirmed Working Together 2023 paragraph numbers, so none may be quoted.
    assert "para" not in rule.source.lower().replace("paragraph number not yet confirmed", "")


@pytest.mark.parametrize("rule", [r for r in RULES.values() if "Working Together" in r.source and
                                  r.force is Force.STATUTORY_GUIDANCE])
def test_working_together_citations_say_the_paragraph_is_not_confirmed(rule):
    assert "Paragraph number not yet confirmed." in rule.source


def test_the_force_decides_how_a_breach_is_described():
    assert Force.REGULATION.breach_wording.startswith("unlawful")
    assert INITIAL_CONFERENCE.force.breach_wording == "not compliant with statutory guidance"
    assert CP_VISIT.force.breach_wording == "below local standard"
    assert ASSESSMENT_CENSUS.force is Force.DFE_MEASURE and FIRST_CORE_GROUP.force is Force.LOCAL


def test_limits_describe_themselves_for_display():
    assert [limit_for(rule).describe() for rule in (REFERRAL_DECISION, ASSESSMENT, FIRST_REVIEW_CONFERENCE)] == [
        "1 working day", "45 working days", "3 months"]
    assert Limit.weeks(6).describe() == "42 days"
