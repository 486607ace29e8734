"""Annex A's windows, labels and rows from plain rows, without a database."""

import datetime

from casefile.rules import annex_a as rules

D = datetime.date


def test_the_look_back_is_six_months_to_the_day_and_the_counts_twelve():
    window = rules.Window(D(2026, 3, 31))
    assert (window.start, window.count_start) == (D(2025, 10, 1), D(2025, 4, 1))
    assert rules.Window(D(2026, 8, 31)).start == D(2026, 3, 1)  # 28 February, the day after
    assert rules.months_before(D(2024, 8, 31), 6) == D(2024, 2, 29)
    assert window.within(D(2025, 10, 1)) and window.within(D(2026, 3, 31))
    assert not window.within(D(2025, 9, 30)) and not window.within(D(2026, 4, 1))
    assert window.open_in(D(2020, 1, 1), None) and window.open_in(D(2020, 1, 1), D(2025, 10, 1))
    assert not window.open_in(D(2020, 1, 1), D(2025, 9, 30)) and not window.open_in(D(2026, 4, 1), None)
    assert window.as_at(D(2026, 4, 1)) is None and window.as_at(D(2026, 3, 31)) == D(2026, 3, 31)


def test_labels_are_annex_as():
    assert rules.GENDER["M"] == "a) Male" and rules.GENDER["U"] == "c) Not stated/recorded"
    assert rules.ETHNICITY["WBRI"] == "a) WBRI" and rules.ETHNICITY["NOBT"] == "t) NOBT"
    assert rules.SOURCE["5D"] == "p1) 5D: LA services" and rules.SOURCE["10"] == "u) 10: Unknown"
    assert rules.SOURCE["3F"] == "l) 3F: Health services"
    assert rules.PRIMARY_NEED["N1"] == "N1 - Abuse or neglect"
    assert rules.CLOSURE_REASON["RC8"] == "RC8 - Case closed after assessment, no further action"
    assert rules.CATEGORY["MUL"] == "e) Multiple/not recommended"


def _record(**rows):
    children = {1: {"reference": "CF00000001", "sex": "M", "ethnicity": "WBRI", "date_of_birth": D(2015, 4, 1)},
                2: {"reference": "CF00000002", "sex": "", "ethnicity": "", "date_of_birth": None}}
    return rules.Record(children=children, disabled={1}, **rows)


def test_referrals_count_the_childs_referrals_in_the_last_12_months_and_show_who_held_them_on_the_day():
    episode = {"referral_source": "6", "referral_nfa": False, "primary_need": "N1", "closure_date": None,
               "closure_reason": ""}
    record = _record(
        episodes=[{**episode, "id": 1, "child": 1, "referral_date": D(2025, 5, 1)},
                  {**episode, "id": 2, "child": 1, "referral_date": D(2026, 1, 5), "referral_nfa": True},
                  {**episode, "id": 3, "child": 2, "referral_date": D(2024, 1, 5)}],
        allocations=[{"id": 1, "child": 1, "start_date": D(2025, 5, 1), "end_date": D(2025, 6, 1), "team": "A",
                      "worker": "Ann"},
                     {"id": 2, "child": 1, "start_date": D(2026, 4, 2), "end_date": None, "team": "B",
                      "worker": "Bob"}])
    lists = rules.build(record, D(2026, 3, 31))
    assert lists[3] == [["CF00000001", "a) Male", "a) WBRI", D(2015, 4, 1), 10, D(2026, 1, 5), "q) 6: Police",
                         "a) Yes", 2, "A", "Ann"]]
    # A referral that ended in no further action is not a child in need; the earlier episode is still open.
    assert [row[0] for row in lists[6]] == ["CF00000001", "CF00000002"]
    assert lists[6][1][:5] == ["CF00000002", "c) Not stated/recorded", "u) UNKNOWN", None, None]
    assert lists[6][0][5] == "a) Yes" and lists[6][1][5] == "b) No"


def test_a_plan_ended_after_the_inspection_date_is_shown_open_with_its_previous_plans():
    plans = [{"id": 1, "child": 1, "kind": "cp", "start_date": D(2023, 1, 1), "end_date": D(2023, 9, 1),
              "initial_category": "NEG", "latest_category": "EMO"},
             {"id": 2, "child": 1, "kind": "cp", "start_date": D(2025, 11, 1), "end_date": D(2026, 5, 1),
              "initial_category": "PHY", "latest_category": ""}]
    record = _record(plans=plans, reviews=[{"plan": 2, "date": D(2026, 2, 1)}, {"plan": 2, "date": D(2026, 4, 9)}],
                     cp_visits=[{"plan": 2, "date": D(2026, 3, 30), "seen_alone": None}])
    (row,) = rules.build(record, D(2026, 3, 31))[7]
    assert row[6:15] == [D(2025, 11, 1), "b) Physical abuse", "b) Physical abuse", D(2026, 3, 30), "c) Unknown",
                         D(2026, 2, 1), None, "", 1]


def test_an_enquiry_is_on_list_5_while_open_or_when_its_initial_conference_is_in_the_six_months():
    enquiry = {"child": 1, "icpc_not_required": False}
    record = _record(
        enquiries=[{**enquiry, "id": 1, "start_date": D(2025, 9, 10), "outcome_date": D(2025, 9, 24)},
                   {**enquiry, "id": 2, "start_date": D(2025, 6, 2), "outcome_date": D(2025, 6, 16)},
                   {**enquiry, "id": 3, "start_date": D(2025, 9, 1), "outcome_date": D(2025, 10, 1)}],
        initial_conferences=[{"id": 1, "child": 1, "enquiry": 1, "date": D(2025, 10, 1), "decision": "plan"},
                             {"id": 2, "child": 1, "enquiry": 2, "date": D(2025, 6, 23), "decision": "no_plan"}])
    rows = rules.build(record, D(2026, 3, 31))[5]
    # 1: outcome in September, conference on the window's first day; 3: open on that day; 2: all before it.
    assert [(row[6], row[8]) for row in rows] == [(D(2025, 9, 1), None), (D(2025, 9, 10), D(2025, 10, 1))]
    assert [row[10:12] for row in rows] == [[3, 2], [3, 2]]
