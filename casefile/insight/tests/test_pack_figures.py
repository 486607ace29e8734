"""The self-evaluation pack's figures (insight/pack.py) on rows made by hand, each worked out by hand."""

from __future__ import annotations

import datetime
import decimal
import json

from casefile.insight import pack
from casefile.insight.pack import ActionRow, AuditRow, GradeRow
from casefile.rules.audit_impact import change, summarise
from casefile.rules.indicators import INDICATORS, Period, Result
from casefile.rules.indicators.published import latest
from casefile.rules.neighbours import Figure

YEAR = Period(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
AREAS = [("recording", "Recording"), ("planning_and_review", "Planning and review"), ("outcomes", "Outcomes")]


def result(code: str, value, numerator=0, denominator=None) -> tuple:
    return INDICATORS[code], Result(code, YEAR, value, numerator, denominator)


def test_each_indicator_is_set_against_the_latest_england_figure_as_its_polarity_reads_it():
    rows = pack.indicator_figures([
        result("re_referrals", 25.04, 30, 120),  # lower is better; England 22.6 (2025)
        result("assessments_within_45_working_days", 90.0, 90, 100),  # higher is better; England 85.7
        result("referrals", 120, 120),  # neither higher nor lower is better
        result("s47_per_10000", None),  # no population given: no figure
    ], neighbours={})
    assert latest("re_referrals").value == 22.6 and latest("assessments_within_45_working_days").value == 85.7
    re_referrals, assessments, referrals, s47 = rows
    assert (re_referrals["value"], re_referrals["difference"], re_referrals["compared"]) == (25.0, 2.4, "worse")
    assert re_referrals["england"]["year"] == 2025 and re_referrals["neighbours"] is None
    assert (re_referrals["numerator"], re_referrals["denominator"]) == (30, 120)
    assert (assessments["difference"], assessments["compared"]) == (4.3, "better")
    assert (referrals["difference"], referrals["compared"]) == (None, "")  # a count: ours less England's says nothing
    assert (s47["value"], s47["difference"], s47["compared"]) == (None, None, "")


def neighbour(code: str, year: int, value: str) -> Figure:
    return Figure(code, year, decimal.Decimal(value), "NFER model, 10 neighbours", "DfE tool, sent May 2026")


def test_each_indicator_is_set_against_the_neighbours_figure_for_the_packs_year_as_its_polarity_reads_it():
    entered = {
        # Lower is better: the 2026 figure (the year to 31 March 2026, the pack's), not 2025's or 2027's.
        "re_referrals": [neighbour("re_referrals", 2025, "20"), neighbour("re_referrals", 2026, "27.46"),
                         neighbour("re_referrals", 2027, "10")],
        # Higher is better: none entered for 2026, so the latest year before it, saying which.
        "assessments_within_45_working_days": [neighbour("assessments_within_45_working_days", 2024, "92.04")],
        "referrals": [neighbour("referrals", 2026, "130")],  # neither higher nor lower is better
        "s47_per_10000": [neighbour("s47_per_10000", 2026, "150.5")],  # no figure of our own
    }
    rows = {row["code"]: row["neighbours"] for row in pack.indicator_figures([
        result("re_referrals", 25.04, 30, 120), result("assessments_within_45_working_days", 90.0, 90, 100),
        result("referrals", 120, 120), result("s47_per_10000", None), result("cpp_per_10000", 40.0, 4)],
        neighbours=entered)}
    assert rows["re_referrals"] == {
        "value": 27.5, "year": 2026, "wanted": 2026, "group": "NFER model, 10 neighbours",
        "source": "DfE tool, sent May 2026", "difference": -2.5, "compared": "better"}
    assessments = rows["assessments_within_45_working_days"]
    assert (assessments["value"], assessments["year"], assessments["wanted"]) == (92.0, 2024, 2026)
    assert (assessments["difference"], assessments["compared"]) == (-2.0, "worse")
    assert (rows["referrals"]["difference"], rows["referrals"]["compared"]) == (None, "")
    assert (rows["s47_per_10000"]["value"], rows["s47_per_10000"]["difference"],
            rows["s47_per_10000"]["compared"]) == (150.5, None, "")
    assert rows["cpp_per_10000"] is None  # none entered
    json.dumps(rows)  # kept as JSON on the pack: no Decimal


def test_a_figure_equal_to_the_neighbours_to_one_place_is_the_same():
    [row] = pack.indicator_figures([result("re_referrals", 22.6, 1, 4)],
                                   neighbours={"re_referrals": [neighbour("re_referrals", 2026, "22.64")]})
    assert (row["neighbours"]["difference"], row["neighbours"]["compared"]) == (0, "same")


def test_a_figure_equal_to_england_to_one_place_is_the_same():
    assert pack.compared(INDICATORS["re_referrals"], 22.64, 22.6) == "same"
    assert pack.compared(INDICATORS["re_referrals"], 22.4, 22.6) == "better"


def test_audit_findings_count_each_grade_overall_and_by_practice_area():
    audits = [AuditRow(1, "good"), AuditRow(2, "inadequate"), AuditRow(3, "")]
    sections = [GradeRow(1, "recording", "good"), GradeRow(1, "planning_and_review", "outstanding"),
                GradeRow(2, "recording", "inadequate"), GradeRow(2, "planning_and_review", "requires_improvement"),
                GradeRow(3, "recording", ""), GradeRow(3, "planning_and_review", "good")]
    found = pack.audit_findings(audits, sections, AREAS)
    assert found["completed"] == 3
    assert found["overall"] == {"outstanding": 0, "good": 1, "requires_improvement": 0, "inadequate": 1}
    assert (found["overall_graded"], found["overall_good_or_better_percent"]) == (2, 50.0)
    # Five sections graded (one left ungraded), three of them good or outstanding.
    assert (found["sections_graded"], found["sections_good_or_better_percent"]) == (5, 60.0)
    recording, planning = found["by_area"]  # in the areas' order; "outcomes" was never graded, so left out
    assert recording == {"area": "recording", "label": "Recording", "graded": 2, "good_or_better": 1,
                         "good_or_better_percent": 50.0,
                         "grades": {"outstanding": 0, "good": 1, "requires_improvement": 0, "inadequate": 1}}
    assert (planning["graded"], planning["good_or_better"], planning["good_or_better_percent"]) == (3, 2, 66.7)


def test_no_audits_give_no_shares_rather_than_a_division_by_nothing():
    found = pack.audit_findings([], [], AREAS)
    assert (found["completed"], found["by_area"], found["sections_good_or_better_percent"]) == (0, [], None)


def test_actions_are_counted_done_on_time_late_overdue_or_not_yet_due_at_the_end_of_the_period():
    due = datetime.date(2026, 3, 10)
    actions = [
        ActionRow(due, datetime.date(2026, 3, 5)),  # on time
        ActionRow(due, due),  # on time: done on the day it was due
        ActionRow(due, datetime.date(2026, 3, 20)),  # late
        ActionRow(due, None),  # overdue
        ActionRow(due, datetime.date(2026, 4, 5)),  # done after the period: overdue at its end
        ActionRow(YEAR.end, None),  # due on the last day: not yet overdue
        ActionRow(datetime.date(2026, 4, 15), None),  # not yet due
    ]
    found = pack.action_impact(actions, YEAR.end)
    assert {key: found[key] for key in ("set", "on_time", "late", "overdue", "not_yet_due")} == {
        "set": 7, "on_time": 2, "late": 1, "overdue": 2, "not_yet_due": 2}
    assert found["on_time_percent"] == 40.0  # 2 of the 5 done or overdue


def test_re_audit_impact_counts_better_same_and_worse_grades_overall_and_by_practice_area():
    # Three re-audits: one step better, two steps better, one step worse (mean +2/3); recording graded at two.
    overall = summarise([change("requires_improvement", "good"), change("inadequate", "good"),
                         change("good", "requires_improvement")])
    recording = summarise([change("good", "good"), change("inadequate", "requires_improvement")])
    found = pack.re_audit_impact(overall, [("recording", recording)], AREAS)
    assert {key: found[key] for key in ("re_audits", "improved", "same", "declined")} == {
        "re_audits": 3, "improved": 2, "same": 0, "declined": 1}
    assert (found["improved_percent"], found["same_percent"], found["declined_percent"]) == (66.7, 0.0, 33.3)
    assert found["mean_steps"] == 0.67
    [area] = found["by_area"]
    assert (area["area"], area["label"], area["re_audits"], area["improved"], area["same"], area["mean_steps"]) == (
        "recording", dict(AREAS)["recording"], 2, 1, 1, 0.5)


def test_no_re_audits_give_no_shares_rather_than_a_division_by_nothing():
    found = pack.re_audit_impact(summarise([]), [], AREAS)
    assert (found["re_audits"], found["improved_percent"], found["mean_steps"], found["by_area"]) == (
        0, None, None, [])


def test_signals_are_listed_in_the_rules_order_with_none_found_as_nought():
    found = pack.signal_counts({"no_visit": 3}, {"overdue_clock": "Overdue", "no_visit": "No visit"}, 40, 10)
    assert found == {"children": 40, "with_signals": 10, "with_signals_percent": 25.0, "by_signal": [
        {"code": "overdue_clock", "name": "Overdue", "children": 0},
        {"code": "no_visit", "name": "No visit", "children": 3}]}


def _figures(re_referrals, audits_completed, on_time, with_signals, improved=0):
    return pack.assemble(
        YEAR, indicators=[result("re_referrals", re_referrals, 1, 4)], neighbours={},
        audits=[AuditRow(n, "good") for n in range(audits_completed)],
        sections=[GradeRow(0, "recording", "good")], areas=AREAS,
        actions=[ActionRow(YEAR.end, YEAR.start)] * on_time + [ActionRow(YEAR.start, None)],
        re_audits=(summarise([change("requires_improvement", "good")] * improved
                             + [change("good", "good")] * (2 - improved)), []),
        signals=pack.signal_counts({"no_visit": with_signals}, {"no_visit": "No visit"}, 50, with_signals))


def test_what_changed_since_the_last_pack_is_each_headline_figure_now_less_then():
    before = _figures(25.0, 2, 1, 12, improved=1)  # 1 of 2 actions on time: 50%; 1 of 2 re-audits better
    now = _figures(20.0, 5, 3, 9, improved=2)  # 3 of 4: 75%; 2 of 2 re-audits better
    rows = {row["key"]: row for row in pack.changes(now, before)}
    assert rows["indicator:re_referrals"] == {
        "key": "indicator:re_referrals", "measure": "Re-referrals within 12 months", "unit": "percent",
        "before": 25.0, "now": 20.0, "change": -5.0}
    assert (rows["audits:completed"]["before"], rows["audits:completed"]["now"], rows["audits:completed"]["change"]) \
        == (2, 5, 3)
    assert rows["actions:on_time"]["change"] == 25.0
    assert (rows["re_audits:improved"]["before"], rows["re_audits:improved"]["now"]) == (50.0, 100.0)
    assert rows["re_audits:improved"]["change"] == 50.0
    assert rows["signals:with_signals"]["change"] == -3 and rows["signal:no_visit"]["change"] == -3
    assert pack.changes(now, None) == [] and pack.changes(now, {}) == []


def test_a_figure_missing_from_either_pack_cannot_be_compared():
    before = _figures(None, 2, 1, 12)
    rows = {row["key"]: row for row in pack.changes(_figures(20.0, 5, 3, 9), before)}
    assert (rows["indicator:re_referrals"]["before"], rows["indicator:re_referrals"]["change"]) == (None, None)
    del before["indicators"]
    assert {row["key"]: row for row in pack.changes(_figures(20.0, 5, 3, 9), before)}[
        "indicator:re_referrals"]["change"] is None
