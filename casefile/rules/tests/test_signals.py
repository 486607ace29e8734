"""Each drift and quality signal on crafted records: one that triggers it and one that does not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from casefile.rules.signals import (
    SIGNALS,
    AllocationRow,
    AssessmentRow,
    ChildRecord,
    ConferenceRow,
    Context,
    DatedRow,
    EpisodeRow,
    Evidence,
    OverdueClockRow,
    PlanRow,
    ReviewRow,
    SignalSettings,
    StrategyRow,
    findings_for,
)

TODAY = date(2025, 11, 3)  # a Monday
CTX = Context(today=TODAY)


def child(**rows) -> ChildRecord:
    identity = {"ethnicity": "WBRI", "religion": "None", "first_language": "English"}
    return ChildRecord(child_id=1, date_of_birth=date(2015, 5, 1), **{**identity, **rows})


def found(record: ChildRecord, code: str, ctx: Context = CTX):
    return findings_for(record, ctx, [code])


# Child in need plan not reviewed --------------------------------------------------------------------------

CIN_PLAN = PlanRow(10, 1, "cin", date(2025, 3, 3), visit_interval_working_days=20)


def test_a_child_in_need_plan_never_reviewed_says_when_the_first_review_was_due():
    [finding] = found(child(plans=(CIN_PLAN,)), "cin_plan_not_reviewed")
    assert finding.explanation == ("Child in need plan started 3 March 2025 has not been reviewed: the first review "
                                   "was due by 3 June 2025.")
    assert finding.evidence == (Evidence("plan", 10),) and finding.current and finding.day == date(2025, 6, 3)


def test_a_child_in_need_plan_reviewed_on_time_is_not_signalled():
    reviews = (ReviewRow(1, 10, date(2025, 6, 2)),)
    assert found(child(plans=(CIN_PLAN,), reviews=reviews), "cin_plan_not_reviewed") == []


def test_after_the_first_review_the_next_is_due_within_6_months():
    reviews = (ReviewRow(1, 10, date(2025, 5, 1)),)
    [finding] = found(child(plans=(CIN_PLAN,), reviews=reviews), "cin_plan_not_reviewed")
    assert "last reviewed on 1 May 2025: the next review was due by 1 November 2025" in finding.explanation


def test_a_later_review_held_late_is_named_and_the_plan_is_no_longer_overdue():
    reviews = (ReviewRow(1, 10, date(2025, 5, 1)), ReviewRow(2, 10, date(2025, 9, 1)),
               ReviewRow(3, 10, date(2025, 11, 3)))
    plan = PlanRow(10, 1, "cin", date(2025, 3, 3))
    [finding] = found(child(plans=(plan,), reviews=reviews[:1] + reviews[2:]), "cin_plan_not_reviewed")
    assert finding.explanation.endswith("the next review was due by 1 November 2025; it was reviewed late, on "
                                        "3 November 2025.")
    assert not finding.current
    assert found(child(plans=(plan,), reviews=reviews[:2]), "cin_plan_not_reviewed") == []


def test_a_plan_that_ended_before_its_first_review_was_due_is_not_signalled():
    plan = PlanRow(10, 1, "cin", date(2025, 3, 3), date(2025, 5, 30))
    assert found(child(plans=(plan,)), "cin_plan_not_reviewed") == []


def test_the_review_interval_is_the_authoritys_to_set():
    ctx = Context(today=TODAY, settings=SignalSettings(cin_first_review_months=6, cin_review_interval_months=6))
    reviews = (ReviewRow(1, 10, date(2025, 8, 1)),)
    assert found(child(plans=(CIN_PLAN,), reviews=reviews), "cin_plan_not_reviewed", ctx) == []


# Long and repeated child protection plans ------------------------------------------------------------------


def test_a_child_protection_plan_open_over_15_months_and_over_2_years():
    plan = PlanRow(20, 1, "cp", date(2023, 9, 1))
    [long] = found(child(plans=(plan,)), "cp_plan_15_months")
    [very_long] = found(child(plans=(plan,)), "cp_plan_2_years")
    assert long.explanation == ("Child protection plan started 1 September 2023 is still open: it reached 15 months "
                                "on 1 December 2024.")
    assert very_long.day == date(2025, 9, 1)


def test_a_child_protection_plan_of_a_year_is_not_long():
    plan = PlanRow(20, 1, "cp", date(2024, 11, 4))
    assert found(child(plans=(plan,)), "cp_plan_15_months") == []
    assert found(child(plans=(plan,)), "cp_plan_2_years") == []


def test_a_second_child_protection_plan_names_the_first():
    first = PlanRow(20, 1, "cp", date(2022, 1, 10), date(2022, 9, 1))
    second = PlanRow(21, 2, "cp", date(2025, 2, 3))
    [finding] = found(child(plans=(second, first)), "repeat_cp_plan")
    assert finding.explanation.startswith("Child protection plan started 3 February 2025 is the child's second")
    assert finding.evidence == (Evidence("plan", 21), Evidence("plan", 20))


def test_a_first_plan_or_one_outside_the_authoritys_window_is_not_a_repeat():
    first = PlanRow(20, 1, "cp", date(2022, 1, 10), date(2022, 9, 1))
    second = PlanRow(21, 2, "cp", date(2025, 2, 3))
    assert found(child(plans=(first,)), "repeat_cp_plan") == []
    ctx = Context(today=TODAY, settings=SignalSettings(repeat_plan_window_months=24))
    assert found(child(plans=(first, second)), "repeat_cp_plan", ctx) == []


def test_a_child_in_need_plan_before_is_not_a_previous_child_protection_plan():
    cin = PlanRow(20, 1, "cin", date(2022, 1, 10), date(2022, 9, 1))
    assert found(child(plans=(cin, PlanRow(21, 2, "cp", date(2025, 2, 3)))), "repeat_cp_plan") == []


# Plan progress --------------------------------------------------------------------------------------------

CP_PLAN = PlanRow(30, 1, "cp", date(2025, 1, 6), visit_interval_working_days=10)


def test_no_action_done_at_two_reviews_running():
    reviews = (ReviewRow(1, 30, date(2025, 4, 1), 4, 0), ReviewRow(2, 30, date(2025, 9, 1), 4, 0))
    [finding] = found(child(plans=(CP_PLAN,), reviews=reviews), "plan_no_progress")
    assert finding.explanation == ("No action in the child protection plan started 6 January 2025 was done at the "
                                   "reviews on 1 April 2025 and 1 September 2025.")
    assert finding.evidence == (Evidence("review", 1, 30), Evidence("review", 2, 30))


def test_an_action_done_between_breaks_the_run():
    reviews = (ReviewRow(1, 30, date(2025, 4, 1), 4, 0), ReviewRow(2, 30, date(2025, 6, 1), 4, 1),
               ReviewRow(3, 30, date(2025, 9, 1), 4, 0))
    assert found(child(plans=(CP_PLAN,), reviews=reviews), "plan_no_progress") == []


# Visits ---------------------------------------------------------------------------------------------------


def visit(pk: int, day: date, *, seen: bool = True, recorded_on: date | None = None) -> DatedRow:
    return DatedRow(pk, day, recorded_on or day, seen=seen)


def test_a_visit_later_than_the_plans_interval():
    # 17 January + 10 working days is 31 January; the visit on Monday 3 February is 1 working day late.
    visits = (visit(1, date(2025, 1, 17)), visit(2, date(2025, 2, 3)), visit(3, date(2025, 2, 5), seen=False))
    [finding] = found(child(plans=(CP_PLAN,), visits=visits), "late_visits")
    assert finding.occurrences == 1 and finding.evidence == (Evidence("visit", 2),)
    assert "the latest, on 3 February 2025, was 1 working day late" in finding.explanation


def test_visits_within_the_interval_and_unseen_visits_do_not_count():
    visits = (visit(1, date(2025, 1, 17)), visit(2, date(2025, 1, 30)), visit(3, date(2025, 2, 20), seen=False))
    plan = PlanRow(30, 1, "cp", date(2025, 1, 6), date(2025, 2, 10), visit_interval_working_days=10)
    assert found(child(plans=(plan,), visits=visits), "late_visits") == []


# Drift after the assessment --------------------------------------------------------------------------------


def test_a_case_left_open_after_the_assessment_said_nothing_more_to_do():
    episode = EpisodeRow(1, date(2025, 1, 6))
    assessment = AssessmentRow(5, 1, date(2025, 1, 6), date(2025, 2, 14), "nfa")
    [finding] = found(child(episodes=(episode,), assessments=(assessment,)), "open_after_assessment")
    assert finding.explanation.startswith("The assessment ended on 14 February 2025 with nothing more")
    assert finding.current and finding.evidence == (Evidence("episode", 1), Evidence("assessment", 5))


def test_a_case_closed_soon_after_the_assessment_or_going_on_to_a_plan_is_not_drift():
    closed = EpisodeRow(1, date(2025, 1, 6), date(2025, 2, 20))
    nfa = AssessmentRow(5, 1, date(2025, 1, 6), date(2025, 2, 14), "nfa")
    assert found(child(episodes=(closed,), assessments=(nfa,)), "open_after_assessment") == []
    plan_needed = AssessmentRow(5, 1, date(2025, 1, 6), date(2025, 2, 14), "cin_plan")
    assert found(child(episodes=(EpisodeRow(1, date(2025, 1, 6)),), assessments=(plan_needed,)),
                 "open_after_assessment") == []


def test_no_plan_10_working_days_after_the_assessment_said_one_was_needed():
    assessment = AssessmentRow(5, 1, date(2025, 1, 6), date(2025, 2, 14), "cin_plan")
    [finding] = found(child(assessments=(assessment,)), "plan_not_started")
    assert finding.explanation == ("The assessment authorised on 14 February 2025 said a child in need plan was "
                                   "needed, but no plan has started: it was due by 28 February 2025.")
    on_time = PlanRow(10, 1, "cin", date(2025, 2, 28))
    assert found(child(assessments=(assessment,), plans=(on_time,)), "plan_not_started") == []
    during_the_assessment = PlanRow(10, 1, "cin", date(2025, 1, 27))  # after a conference decided on no CP plan
    assert found(child(assessments=(assessment,), plans=(during_the_assessment,)), "plan_not_started") == []
    before_it = PlanRow(10, 1, "cin", date(2025, 1, 3))
    assert len(found(child(assessments=(assessment,), plans=(before_it,)), "plan_not_started")) == 1


# Re-referrals, workers, identity ----------------------------------------------------------------------------


def test_a_re_referral_within_12_months_of_closure():
    first = EpisodeRow(1, date(2024, 1, 8), date(2024, 6, 3))
    again = EpisodeRow(2, date(2025, 5, 30))
    [finding] = found(child(episodes=(first, again)), "re_referral")
    assert finding.explanation == ("Referred again on 30 May 2025, within 12 months of the case closing on "
                                   "3 June 2024.")
    later = EpisodeRow(2, date(2025, 6, 4))
    assert found(child(episodes=(first, later)), "re_referral") == []


def test_three_changes_of_worker_in_12_months():
    allocations = tuple(AllocationRow(n, worker, 7, day) for n, (worker, day) in enumerate(
        [(1, date(2024, 10, 1)), (2, date(2025, 1, 6)), (3, date(2025, 4, 7)), (4, date(2025, 9, 1))], start=1))
    [finding] = found(child(allocations=allocations), "worker_changes")
    assert finding.explanation == "The child's worker changed 3 times in the 12 months to 1 September 2025."
    assert found(child(allocations=allocations[:3]), "worker_changes") == []


def test_a_new_allocation_to_the_same_worker_is_not_a_change():
    allocations = tuple(AllocationRow(n, 1 if n % 2 else 2, 7, date(2025, n, 1)) for n in range(1, 5))
    assert len(found(child(allocations=allocations), "worker_changes")) == 1
    same = tuple(AllocationRow(n, 1, 7, date(2025, n, 1)) for n in range(1, 5))
    assert found(child(allocations=same), "worker_changes") == []


def test_missing_identity_names_what_is_missing():
    [finding] = found(child(ethnicity="", first_language=""), "missing_identity")
    assert finding.explanation == "The child's ethnicity and first language are not recorded."
    assert found(child(), "missing_identity") == []
    ctx = Context(today=TODAY, settings=SignalSettings(identity_fields=("ethnicity",)))
    assert found(child(religion=""), "missing_identity", ctx) == []


# Closures and fathers ---------------------------------------------------------------------------------------


def test_a_closure_without_the_views_of_a_child_old_enough_to_give_them():
    episode = EpisodeRow(1, date(2025, 1, 6), date(2025, 3, 3))
    assessed = (AssessmentRow(5, 1, date(2025, 1, 6), date(2025, 2, 14), "nfa"),)
    [finding] = found(child(episodes=(episode,), assessments=assessed), "closure_without_views")
    assert finding.explanation == "The case was closed on 3 March 2025 without the child's views, when they were 9."
    with_views = EpisodeRow(1, date(2025, 1, 6), date(2025, 3, 3), "I like my new school")
    assert found(child(episodes=(with_views,), assessments=assessed), "closure_without_views") == []
    baby = ChildRecord(1, date_of_birth=date(2023, 1, 1), episodes=(episode,), assessments=assessed)
    assert found(baby, "closure_without_views") == []


def test_a_closure_at_the_referral_needs_no_views():
    episode = EpisodeRow(1, date(2025, 1, 6), date(2025, 1, 6))
    assert found(child(episodes=(episode,)), "closure_without_views") == []


def test_a_closure_without_the_views_of_a_known_father_or_why_they_were_not_sought():
    episode = EpisodeRow(1, date(2025, 1, 6), date(2025, 3, 3), "I like my new school")
    assessed = (AssessmentRow(5, 1, date(2025, 1, 6), date(2025, 2, 14), "nfa"),)
    [finding] = found(child(father_ids=frozenset({41}), episodes=(episode,), assessments=assessed),
                      "closure_without_fathers_views")
    assert finding.explanation == ("The case was closed on 3 March 2025 without the father's views, or why they "
                                   "were not sought, though the child's father is known on the record.")
    assert finding.evidence == (Evidence("episode", 1),) and finding.day == date(2025, 3, 3) and not finding.current


@pytest.mark.parametrize("case", ["no father known", "his views", "not sought, with a reason", "no assessment",
                                  "still open"])
def test_a_closure_with_the_fathers_views_or_a_reason_or_no_known_father_is_not_signalled(case):
    closed, assessed = EpisodeRow(1, date(2025, 1, 6), date(2025, 3, 3)), (AssessmentRow(5, 1, date(2025, 1, 6)),)
    record = {
        "no father known": child(episodes=(closed,), assessments=assessed),
        "his views": child(father_ids=frozenset({41}), assessments=assessed, episodes=(
            EpisodeRow(1, date(2025, 1, 6), date(2025, 3, 3), fathers_views_at_closure="Glad it is over"),)),
        "not sought, with a reason": child(father_ids=frozenset({41}), assessments=assessed, episodes=(
            EpisodeRow(1, date(2025, 1, 6), date(2025, 3, 3), fathers_views_not_sought="whereabouts_unknown"),)),
        "no assessment": child(father_ids=frozenset({41}), episodes=(closed,)),
        "still open": child(father_ids=frozenset({41}), assessments=assessed,
                            episodes=(EpisodeRow(1, date(2025, 1, 6)),)),
    }[case]
    assert found(record, "closure_without_fathers_views") == []


def test_a_closure_signed_off_without_the_history_shown():
    earlier = EpisodeRow(1, date(2024, 6, 3), date(2024, 9, 2), closure_history_shown=True)
    unseen = EpisodeRow(2, date(2025, 1, 6), date(2025, 3, 3), closure_signed_off_on=date(2025, 3, 4),
                        closure_history_shown=False)
    [finding] = found(child(episodes=(earlier, unseen)), "closure_history_not_shown")
    assert finding.explanation == ("The case closed on 3 March 2025 was signed off on 4 March 2025 without the "
                                   "child's contact, referral and re-referral history being shown (2 referrals on "
                                   "the record by then).")
    assert finding.evidence == (Evidence("episode", 2),) and finding.day == date(2025, 3, 4) and not finding.current
    # Shown, or still open: nothing to find. A closure nobody signed off is dated by its closure.
    shown = EpisodeRow(2, date(2025, 1, 6), date(2025, 3, 3), closure_signed_off_on=date(2025, 3, 4))
    open_case = EpisodeRow(3, date(2025, 1, 6), closure_history_shown=False)
    assert found(child(episodes=(earlier, shown, open_case)), "closure_history_not_shown") == []
    [unsigned] = found(child(episodes=(EpisodeRow(4, date(2025, 1, 6), date(2025, 2, 3),
                                                  closure_history_shown=False),)), "closure_history_not_shown")
    assert unsigned.day == date(2025, 2, 3) and "was closed without" in unsigned.explanation


def test_a_known_father_left_out_of_or_not_seen_in_the_assessment():
    left_out = AssessmentRow(5, 1, date(2025, 1, 6), adults_included=frozenset({40}), adults_seen=frozenset({40}))
    [finding] = found(child(father_ids=frozenset({41}), assessments=(left_out,)), "father_left_out")
    assert "never included the child's father" in finding.explanation
    not_seen = AssessmentRow(5, 1, date(2025, 1, 6), adults_included=frozenset({40, 41}), adults_seen=frozenset({40}))
    [finding] = found(child(father_ids=frozenset({41}), assessments=(not_seen,)), "father_left_out")
    assert "never saw the child's father" in finding.explanation
    seen = AssessmentRow(5, 1, date(2025, 1, 6), adults_included=frozenset({41}), adults_seen=frozenset({41}))
    assert found(child(father_ids=frozenset({41}), assessments=(seen,)), "father_left_out") == []
    assert found(child(assessments=(left_out,)), "father_left_out") == []


# Strategy discussions, clocks, recording -------------------------------------------------------------------


def test_repeated_strategy_discussions_without_a_conference():
    discussions = (StrategyRow(1, 1, date(2025, 2, 3), date(2025, 2, 20)), StrategyRow(2, 2, date(2025, 8, 4)))
    [finding] = found(child(strategy_discussions=discussions), "repeated_strategy")
    assert finding.explanation == ("2 strategy discussions from 3 February 2025 to 4 August 2025, with no initial "
                                   "child protection conference.")
    conference = (ConferenceRow(9, "initial", date(2025, 8, 20)),)
    assert found(child(strategy_discussions=discussions, conferences=conference), "repeated_strategy") == []
    assert found(child(strategy_discussions=discussions[1:]), "repeated_strategy") == []


def test_overdue_clocks_come_from_the_deadlines_they_are_given():
    clock = OverdueClockRow("cp_visit", "Visit the child (child protection plan)", date(2025, 10, 20), 10,
                            "below local standard", plan_id=30)
    [finding] = found(child(overdue_clocks=(clock,)), "overdue_clock")
    assert finding.explanation == ("Visit the child (child protection plan): due by 20 October 2025, 10 working days "
                                   "late (below local standard).")
    assert finding.evidence == (Evidence("plan", 30),)
    assert found(child(), "overdue_clock") == []


def test_late_recording_counts_working_days_from_the_event():
    late = visit(1, date(2025, 6, 2), recorded_on=date(2025, 6, 10))  # 6 working days
    on_time = visit(2, date(2025, 6, 2), recorded_on=date(2025, 6, 9))  # 5 working days
    [finding] = found(child(visits=(late, on_time)), "late_recording")
    assert finding.occurrences == 1 and finding.evidence == (Evidence("visit", 1),)
    assert found(child(visits=(on_time,)), "late_recording") == []


def test_an_open_child_protection_case_with_nothing_recorded_for_weeks():
    plan = PlanRow(30, 1, "cp", date(2025, 6, 2))
    [finding] = found(child(plans=(plan,), visits=(visit(1, date(2025, 9, 1)),)), "quiet_cp_case")
    assert finding.explanation.startswith("Nothing has been added to the chronology since 1 September 2025")
    assert found(child(plans=(plan,), visits=(visit(1, date(2025, 10, 1)),)), "quiet_cp_case") == []


def test_a_quiet_child_protection_case_as_at_a_day_in_the_past():
    """A self-evaluation pack asks as at its period's end: a plan started after that day is not yet open (it was
    a crash: nothing dated by then to be the last entry), and one ended after it was still open then."""
    later = PlanRow(31, 1, "cp", TODAY + timedelta(days=30))
    assert found(child(plans=(later,), visits=(visit(1, TODAY + timedelta(days=31)),)), "quiet_cp_case") == []
    ended_since = PlanRow(32, 1, "cp", date(2025, 6, 2), TODAY + timedelta(days=10))
    [finding] = found(child(plans=(ended_since,), visits=(visit(1, date(2025, 9, 1)),)), "quiet_cp_case")
    assert finding.evidence == (Evidence("plan", 32),)
    ended = PlanRow(33, 1, "cp", date(2025, 6, 2), TODAY)
    assert found(child(plans=(ended,), visits=(visit(1, date(2025, 9, 1)),)), "quiet_cp_case") == []


# The runner and the settings --------------------------------------------------------------------------------


def test_findings_that_arose_before_since_and_are_over_are_left_out():
    first = EpisodeRow(1, date(2023, 1, 9), date(2023, 6, 5))
    again = EpisodeRow(2, date(2023, 9, 4), date(2023, 12, 1))
    record = child(episodes=(first, again))
    assert len(found(record, "re_referral")) == 1
    assert found(record, "re_referral", Context(today=TODAY, since=date(2024, 11, 3))) == []


def test_every_signal_has_a_name_and_a_description():
    assert all(signal.name and signal.description.endswith(".") for signal in SIGNALS.values())


def test_every_default_names_its_source():
    from dataclasses import fields

    assert all(SignalSettings.source(setting.name) for setting in fields(SignalSettings))


@pytest.mark.parametrize(("data", "message"), [
    ({"cin_first_review_months": 0}, "cin_first_review_months: expected a whole number of 1 or more"),
    ({"identity_fields": ["eye_colour"]}, "identity_fields: 'eye_colour' is not one of"),
    ({"colour": 1}, "colour: not a signal setting"),
])
def test_bad_settings_are_refused_naming_the_setting(data, message):
    with pytest.raises(ValueError, match=message):
        SignalSettings.from_mapping(data)


def test_the_quick_visit_check_agrees_with_the_clock_across_christmas_and_weekends():
    from datetime import timedelta

    from casefile.rules import clocks
    from casefile.rules.signals import _visit_late

    limit = clocks.Limit(10, clocks.Unit.WORKING_DAYS)
    for anchor in (date(2024, 12, 13) + timedelta(days=n) for n in range(21)):
        for gap in range(1, 30):
            day = anchor + timedelta(days=gap)
            status = clocks.Clock(clocks.CP_VISIT, anchor, day, limit).status(day)
            assert _visit_late(clocks.CP_VISIT, limit, anchor, day, CTX) == status.is_late, (anchor, day)
