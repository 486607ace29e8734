"""Each statutory clock, worked out from what was recorded for the child (casework.deadlines).

make_journey's referral is Monday 8 January 2024: strategy discussion 11 January, initial conference and plan
28 January, first core group 5 February, a visit where the child was seen 7 February, review conference 17 April.
Due dates below are counted by hand (day 0 convention: the anchor day is day 0).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest

from casefile import testing
from casefile.casework import models as cw
from casefile.casework.deadlines import deadlines_for_child, deadlines_for_plan, next_due
from casefile.casework.testing import make_journey
from casefile.rules.clocks import Force, State

REFERRAL = datetime.date(2024, 1, 8)


def on(time_machine, day: datetime.date) -> datetime.date:
    """Make `day` today (midday in London), with the clock standing still."""
    time_machine.move_to(datetime.datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/London")),
                         tick=False)
    return day


@pytest.fixture
def journey(org, child):
    return make_journey(child, worker=org.sam, manager=org.tess, chair=org.chris)


def by_code(deadlines) -> dict:
    found = {}
    for deadline in deadlines:
        found.setdefault(deadline.code, []).append(deadline)
    return found


def only(deadlines, code):
    matches = by_code(deadlines).get(code, [])
    assert len(matches) == 1, f"expected one {code} clock, got {matches}"
    return matches[0]


def new_episode(child, org, **fields) -> cw.Episode:
    fields.setdefault("referral_date", REFERRAL)
    return cw.Episode.objects.create(child=child, referral_source="2A", recorded_by=org.sam, **fields)


def s47(episode, org, day=datetime.date(2024, 1, 11), **fields) -> cw.Section47Enquiry:
    discussion = cw.StrategyDiscussion.objects.create(
        episode=episode, date=day, chaired_by=org.tess, reason="Bruising", decision="s47",
        decision_rationale="Threshold met", recorded_by=org.sam)
    return cw.Section47Enquiry.objects.create(episode=episode, strategy_discussion=discussion, recorded_by=org.sam,
                                              **fields)


def cp_plan(child, episode, org, day=datetime.date(2024, 1, 28), **fields) -> cw.Plan:
    conference = cw.Conference.objects.create(child=child, episode=episode, kind="initial", date=day,
                                              chair=org.chris, decision="plan", recorded_by=org.chris)
    return cw.Plan.objects.create(child=child, episode=episode, kind="cp", start_date=day,
                                  started_by_conference=conference, contingency="Reconvene", recorded_by=org.sam,
                                  **fields)


# A whole journey ----------------------------------------------------------------------------------------


def test_a_journey_done_on_time_leaves_the_next_review_running_and_an_overdue_visit(time_machine, journey, child):
    on(time_machine, datetime.date(2024, 4, 24))
    deadlines = deadlines_for_child(child)
    assert [d.code for d in deadlines] == ["cp_visit", "later_review_conference"]
    visit = only(deadlines, "cp_visit")
    assert visit.anchor_date == datetime.date(2024, 2, 7)
    assert visit.due == datetime.date(2024, 2, 21)
    assert visit.state is State.OVERDUE
    # 22 February to 24 April: 45 weekdays, less Good Friday and Easter Monday.
    assert visit.working_days_late == 43
    assert visit.timing == "43 working days late"
    assert visit.rule.force is Force.LOCAL
    assert visit.breach_wording == "below local standard"
    review = only(deadlines, "later_review_conference")
    assert (review.anchor_date, review.due, review.state) == (
        datetime.date(2024, 4, 17), datetime.date(2024, 10, 17), State.ON_TIME)
    assert review.force_label == "Statutory guidance"
    assert "Working Together" in review.source
    assert next_due(deadlines) == visit


# Referral decision --------------------------------------------------------------------------------------


def test_the_referral_decision_is_due_the_next_working_day_and_overdue_after_it(time_machine, org, child):
    new_episode(child, org)
    on(time_machine, REFERRAL)
    decision = only(deadlines_for_child(child), "referral_decision")
    assert decision.due == datetime.date(2024, 1, 9)
    assert decision.state is State.DUE_SOON
    assert decision.force_label == "Statutory guidance"
    on(time_machine, datetime.date(2024, 1, 10))
    decision = only(deadlines_for_child(child), "referral_decision")
    assert (decision.state, decision.working_days_late) == (State.OVERDUE, 1)


def test_a_referral_decided_in_time_stops_the_clock(time_machine, org, child):
    new_episode(child, org, referral_decision_date=datetime.date(2024, 1, 9))
    on(time_machine, datetime.date(2024, 1, 10))
    assert "referral_decision" not in by_code(deadlines_for_child(child))


def test_a_referral_decided_late_shows_as_done_late_for_a_few_weeks(time_machine, org, child):
    new_episode(child, org, referral_decision_date=datetime.date(2024, 1, 12))
    on(time_machine, datetime.date(2024, 1, 15))
    late = only(deadlines_for_child(child), "referral_decision")
    assert (late.state, late.working_days_late, late.state_label) == (State.COMPLETED_LATE, 3, "Done late")
    assert late.timing == "Done on 12 January 2024, 3 working days late"
    on(time_machine, datetime.date(2024, 2, 12))  # a month after it was done: no longer "recent"
    assert "referral_decision" not in by_code(deadlines_for_child(child))


# Assessment ---------------------------------------------------------------------------------------------


def test_an_unauthorised_assessment_runs_both_assessment_clocks_until_overdue(time_machine, journey, child):
    journey.assessment.authorised_on = None
    journey.assessment.save()
    on(time_machine, datetime.date(2024, 3, 1))
    found = by_code(deadlines_for_child(child))
    # 45 working days: nine whole weeks, no bank holiday between.
    assert found["assessment"][0].due == datetime.date(2024, 3, 11)
    assert found["assessment"][0].state is State.ON_TIME
    assert found["assessment"][0].force_label == "Statutory guidance"
    assert found["assessment_census"][0].due == datetime.date(2024, 3, 12)
    assert found["assessment_census"][0].force_label == "DfE measure"
    on(time_machine, datetime.date(2024, 3, 13))
    found = by_code(deadlines_for_child(child))
    assert (found["assessment"][0].state, found["assessment"][0].working_days_late) == (State.OVERDUE, 2)
    assert (found["assessment_census"][0].state, found["assessment_census"][0].working_days_late) == (State.OVERDUE, 1)


def test_the_assessment_clock_runs_from_the_referral_before_any_assessment_is_started(time_machine, org, child):
    new_episode(child, org, referral_decision_date=REFERRAL)
    on(time_machine, datetime.date(2024, 2, 1))
    found = by_code(deadlines_for_child(child))
    assert found["assessment"][0].due == datetime.date(2024, 3, 11)
    assert "assessment_census" not in found


def test_no_assessment_is_due_after_a_referral_with_no_further_action(time_machine, org, child):
    new_episode(child, org, referral_decision_date=REFERRAL, referral_nfa=True)
    on(time_machine, datetime.date(2024, 4, 1))
    assert deadlines_for_child(child) == []


def test_a_closed_episode_stops_every_clock_still_running(time_machine, org, child):
    new_episode(child, org, closure_date=datetime.date(2024, 1, 20), closure_reason="RC8")
    on(time_machine, datetime.date(2024, 1, 25))
    # The referral decision was never recorded: missed, but not "done late", so it is not listed.
    assert deadlines_for_child(child) == []


# Initial child protection conference --------------------------------------------------------------------


def test_the_initial_conference_is_due_15_working_days_after_the_strategy_discussion(time_machine, org, child):
    s47(new_episode(child, org, referral_decision_date=REFERRAL), org)
    on(time_machine, datetime.date(2024, 1, 25))
    icpc = only(deadlines_for_child(child), "initial_conference")
    assert icpc.anchor_date == datetime.date(2024, 1, 11)
    assert icpc.due == datetime.date(2024, 2, 1)
    assert icpc.state is State.ON_TIME
    on(time_machine, datetime.date(2024, 2, 5))
    assert only(deadlines_for_child(child), "initial_conference").state is State.OVERDUE


def test_an_enquiry_at_continuing_risk_keeps_the_conference_clock_running(time_machine, org, child):
    s47(new_episode(child, org), org, outcome=cw.Section47Enquiry.Outcome.SUBSTANTIATED_AT_RISK)
    on(time_machine, datetime.date(2024, 2, 5))
    assert only(deadlines_for_child(child), "initial_conference").state is State.OVERDUE


def test_icpc_not_required_stops_the_conference_clock(time_machine, org, child):
    s47(new_episode(child, org), org, icpc_not_required=True, icpc_not_required_reason="Family moved abroad")
    on(time_machine, datetime.date(2024, 2, 5))
    assert "initial_conference" not in by_code(deadlines_for_child(child))


@pytest.mark.parametrize("outcome", ["not_substantiated", "substantiated_not_at_risk"])
def test_an_enquiry_finding_no_continuing_risk_stops_the_conference_clock(time_machine, org, child, outcome):
    s47(new_episode(child, org), org, outcome=outcome, outcome_date=datetime.date(2024, 1, 20))
    on(time_machine, datetime.date(2024, 2, 5))
    assert "initial_conference" not in by_code(deadlines_for_child(child))


def test_a_conference_held_late_shows_as_done_late(time_machine, org, child):
    episode = new_episode(child, org)
    enquiry = s47(episode, org)
    cw.Conference.objects.create(child=child, episode=episode, enquiry=enquiry, kind="initial",
                                 date=datetime.date(2024, 2, 6), chair=org.chris, recorded_by=org.chris)
    on(time_machine, datetime.date(2024, 2, 7))
    icpc = only(deadlines_for_child(child), "initial_conference")
    assert (icpc.state, icpc.working_days_late) == (State.COMPLETED_LATE, 3)


# Review conferences and the first core group ------------------------------------------------------------


def test_the_first_review_conference_is_due_3_months_after_the_initial_conference(time_machine, org, child):
    cp_plan(child, new_episode(child, org, referral_decision_date=REFERRAL), org)
    on(time_machine, datetime.date(2024, 4, 26))
    review = only(deadlines_for_child(child), "first_review_conference")
    assert review.due == datetime.date(2024, 4, 28)
    assert review.state is State.DUE_SOON
    on(time_machine, datetime.date(2024, 5, 1))
    review = only(deadlines_for_child(child), "first_review_conference")
    assert (review.state, review.working_days_late) == (State.OVERDUE, 3)


def test_each_later_review_is_due_6_months_after_the_previous_one(time_machine, journey, child):
    on(time_machine, datetime.date(2024, 10, 21))
    review = only(deadlines_for_child(child), "later_review_conference")
    assert (review.due, review.state, review.working_days_late) == (datetime.date(2024, 10, 17), State.OVERDUE, 2)
    chair = journey.conference.chair
    cw.Conference.objects.create(child=child, episode=journey.episode, kind="review", date=datetime.date(2024, 10, 14),
                                 chair=chair, decision="plan", recorded_by=chair)
    review = only(deadlines_for_child(child), "later_review_conference")
    assert (review.anchor_date, review.due) == (datetime.date(2024, 10, 14), datetime.date(2025, 4, 14))


def test_the_first_core_group_is_due_10_working_days_after_the_initial_conference(time_machine, org, child):
    cp_plan(child, new_episode(child, org, referral_decision_date=REFERRAL), org)
    on(time_machine, datetime.date(2024, 2, 12))
    core_group = only(deadlines_for_child(child), "first_core_group")
    assert core_group.due == datetime.date(2024, 2, 9)
    assert (core_group.state, core_group.working_days_late) == (State.OVERDUE, 1)
    assert core_group.force_label == "Local standard"


def test_an_ended_plan_stops_its_clocks(time_machine, org, child):
    plan = cp_plan(child, new_episode(child, org, referral_decision_date=REFERRAL), org)
    plan.end_date = datetime.date(2024, 2, 2)
    plan.save()
    on(time_machine, datetime.date(2024, 3, 1))
    codes = by_code(deadlines_for_child(child))
    assert not {"first_review_conference", "first_core_group", "cp_visit"} & set(codes)


# Visits -------------------------------------------------------------------------------------------------


def visit(journey, day, child_seen, **fields):
    return cw.Visit.objects.create(child=journey.plan.child, episode=journey.episode, plan=journey.plan, kind="cp",
                                   date=day, worker=journey.visit.worker, child_seen=child_seen,
                                   recorded_by=journey.visit.worker, **fields)


def test_a_visit_where_the_child_was_seen_restarts_the_cp_visit_clock(time_machine, journey, child):
    on(time_machine, datetime.date(2024, 2, 22))
    assert only(deadlines_for_child(child), "cp_visit").due == datetime.date(2024, 2, 21)
    visit(journey, datetime.date(2024, 2, 20), child_seen=True)
    cp_visit = only(deadlines_for_child(child), "cp_visit")
    assert (cp_visit.anchor_date, cp_visit.due, cp_visit.state) == (
        datetime.date(2024, 2, 20), datetime.date(2024, 3, 5), State.ON_TIME)
    assert cp_visit.anchor_label == "Last visit where the child was seen"


def test_a_visit_where_the_child_was_not_seen_does_not_restart_the_clock(time_machine, journey, child):
    visit(journey, datetime.date(2024, 2, 20), child_seen=False, not_seen_reason="Nobody home")
    on(time_machine, datetime.date(2024, 2, 22))
    cp_visit = only(deadlines_for_child(child), "cp_visit")
    assert (cp_visit.anchor_date, cp_visit.due, cp_visit.state) == (
        datetime.date(2024, 2, 7), datetime.date(2024, 2, 21), State.OVERDUE)


def test_a_visit_where_the_child_was_seen_counts_whatever_its_kind_and_even_if_not_linked(time_machine, journey,
                                                                                        child):
    """Unlinked visits used to count only when recorded as the plan's own kind of visit."""
    cw.Visit.objects.create(child=child, episode=journey.episode, plan=None, kind=cw.Visit.Kind.ASSESSMENT,
                            date=datetime.date(2024, 2, 20), worker=journey.visit.worker, child_seen=True,
                            recorded_by=journey.visit.worker)
    on(time_machine, datetime.date(2024, 2, 22))
    cp_visit = only(deadlines_for_child(child), "cp_visit")
    assert (cp_visit.anchor_date, cp_visit.due) == (datetime.date(2024, 2, 20), datetime.date(2024, 3, 5))


def test_the_first_cp_visit_is_counted_from_the_plan_start(time_machine, org, child):
    cp_plan(child, new_episode(child, org, referral_decision_date=REFERRAL), org)
    on(time_machine, datetime.date(2024, 2, 1))
    cp_visit = only(deadlines_for_child(child), "cp_visit")
    assert (cp_visit.anchor_date, cp_visit.anchor_label) == (datetime.date(2024, 1, 28), "Plan started")
    assert cp_visit.due == datetime.date(2024, 2, 9)


def test_a_visit_seen_late_shows_as_done_late(time_machine, journey, child):
    visit(journey, datetime.date(2024, 2, 23), child_seen=True)
    on(time_machine, datetime.date(2024, 2, 26))
    late = [d for d in deadlines_for_child(child) if d.code == "cp_visit" and d.state is State.COMPLETED_LATE]
    assert [(d.due, d.status.completed_on, d.working_days_late) for d in late] == [
        (datetime.date(2024, 2, 21), datetime.date(2024, 2, 23), 2)]


def test_a_cp_plans_own_visit_interval_replaces_the_authoritys_limit(time_machine, settings, org, child):
    settings.CASEFILE_CLOCKS = {"local_limits": {"cp_visit": {"amount": 15, "unit": "working_days"}}}
    cp_plan(child, new_episode(child, org, referral_decision_date=REFERRAL), org, visit_interval_working_days=5)
    on(time_machine, datetime.date(2024, 1, 29))
    cp_visit = only(deadlines_for_child(child), "cp_visit")
    assert cp_visit.due == datetime.date(2024, 2, 2)  # 5 working days from Sunday 28 January, not 15


def test_child_in_need_visits_follow_the_plans_own_frequency(time_machine, org, child):
    episode = new_episode(child, org, referral_decision_date=REFERRAL)
    cw.Plan.objects.create(child=child, episode=episode, kind="cin", start_date=datetime.date(2024, 3, 4),
                           contingency="Review", visit_interval_working_days=20, recorded_by=org.sam)
    on(time_machine, datetime.date(2024, 3, 6))
    cin_visit = only(deadlines_for_child(child), "cin_visit")
    # 20 working days from Monday 4 March, skipping Good Friday and Easter Monday.
    assert cin_visit.due == datetime.date(2024, 4, 3)
    assert cin_visit.force_label == "Local standard"


def test_a_child_in_need_plan_without_a_visit_frequency_has_no_visit_clock(time_machine, org, child):
    episode = new_episode(child, org, referral_decision_date=REFERRAL)
    cw.Plan.objects.create(child=child, episode=episode, kind="cin", start_date=datetime.date(2024, 3, 4),
                           contingency="Review", recorded_by=org.sam)
    on(time_machine, datetime.date(2024, 3, 6))
    assert "cin_visit" not in by_code(deadlines_for_child(child))


# The authority's settings -------------------------------------------------------------------------------


def test_a_local_limit_in_settings_changes_the_cp_visit_due_date(time_machine, settings, journey, child):
    on(time_machine, datetime.date(2024, 2, 8))
    assert only(deadlines_for_child(child), "cp_visit").due == datetime.date(2024, 2, 21)
    settings.CASEFILE_CLOCKS = {"local_limits": {"cp_visit": {"amount": 5, "unit": "working_days"}}}
    visits = by_code(deadlines_for_child(child))["cp_visit"]
    assert [(v.anchor_date, v.due, v.state) for v in visits] == [
        (datetime.date(2024, 2, 7), datetime.date(2024, 2, 14), State.ON_TIME),
        # Under the shorter limit the first visit, 8 working days after the plan started, was late.
        (datetime.date(2024, 1, 28), datetime.date(2024, 2, 2), State.COMPLETED_LATE),
    ]


def test_settings_cannot_change_a_national_limit(settings, journey, child):
    settings.CASEFILE_CLOCKS = {"local_limits": {"assessment": {"amount": 60, "unit": "working_days"}}}
    with pytest.raises(ValueError, match="assessment"):
        deadlines_for_child(child, today=datetime.date(2024, 2, 8))


def test_due_soon_follows_the_authoritys_setting(time_machine, settings, journey, child):
    on(time_machine, datetime.date(2024, 2, 14))  # 5 working days before the visit is due
    assert only(deadlines_for_child(child), "cp_visit").state is State.ON_TIME
    settings.CASEFILE_CLOCKS = {"due_soon_working_days": 5}
    assert only(deadlines_for_child(child), "cp_visit").state is State.DUE_SOON


def test_a_child_with_no_casework_has_nothing_due(org):
    assert deadlines_for_child(testing.make_child("Tom", "Ash"), today=datetime.date(2024, 2, 8)) == []


# One plan's deadlines (the plan page) -------------------------------------------------------------------


def test_a_plans_deadlines_are_the_childs_deadlines_for_that_plan(time_machine, journey, child):
    journey.assessment.authorised_on = None  # an episode clock runs too: not the plan's
    journey.assessment.save()
    on(time_machine, datetime.date(2024, 4, 24))
    for_child = deadlines_for_child(child)
    for_plan = deadlines_for_plan(journey.plan)
    assert {"assessment", "assessment_census"} <= set(by_code(for_child))
    assert [d.code for d in for_plan] == ["cp_visit", "later_review_conference"]
    assert for_plan == [d for d in for_child if d.plan_id == journey.plan.pk]


def test_a_plans_deadlines_include_those_met_late_recently(time_machine, journey, child):
    visit(journey, datetime.date(2024, 2, 23), child_seen=True)
    on(time_machine, datetime.date(2024, 2, 26))
    late = [d for d in deadlines_for_plan(journey.plan) if d.state is State.COMPLETED_LATE]
    assert [(d.code, d.due, d.status.completed_on) for d in late] == [
        ("cp_visit", datetime.date(2024, 2, 21), datetime.date(2024, 2, 23))]


def test_a_plans_deadlines_leave_out_another_plans(time_machine, journey, child):
    """A child in need plan, ended when the child protection plan began, whose last visit was late."""
    worker = journey.visit.worker
    cin = cw.Plan.objects.create(child=child, episode=journey.episode, kind="cin",
                                 start_date=datetime.date(2024, 1, 10), end_date=datetime.date(2024, 1, 28),
                                 contingency="Review", visit_interval_working_days=5, recorded_by=worker)
    cw.Visit.objects.create(child=child, episode=journey.episode, plan=cin, kind="cin",
                            date=datetime.date(2024, 1, 26), worker=worker, child_seen=True, recorded_by=worker)
    on(time_machine, datetime.date(2024, 2, 5))
    assert only(deadlines_for_plan(cin), "cin_visit").state is State.COMPLETED_LATE
    assert "cin_visit" in by_code(deadlines_for_child(child))
    assert "cin_visit" not in by_code(deadlines_for_plan(journey.plan))
    assert {d.plan_id for d in deadlines_for_plan(journey.plan)} == {journey.plan.pk}
