"""`independent`: the indicators in groups that read no table in common, so each group can be worked out apart."""

from __future__ import annotations

import dataclasses

from casefile.rules.indicators import INDICATOR_LIST, INDICATORS
from casefile.rules.indicators.core import independent


def codes(groups) -> list[list[str]]:
    return [[indicator.code for indicator in group] for group in groups]


def reading(code: str, *tables: str):
    return dataclasses.replace(INDICATORS["contacts"], code=code, reads=dict.fromkeys(tables, 0))


def test_the_catalogue_falls_into_the_groups_its_tables_make():
    # Worked out by hand from each indicator's `reads`: the front door's contacts; referrals, assessments,
    # allocations and the workforce (joined by episodes and workers); enquiries and conferences; plans and visits;
    # steps down to early help.
    assert {frozenset(group) for group in codes(independent(INDICATOR_LIST))} == {
        frozenset({"contacts", "contact_conversion"}),
        frozenset({"referrals", "re_referrals", "assessments_within_45_working_days",
                   "assessments_within_45_working_days_of_referral", "unallocated_children", "open_cases",
                   "caseload_per_worker", "worker_changes_per_child", "agency_share", "vacancy_rate",
                   "turnover_rate"}),
        frozenset({"s47_per_10000", "strategy_discussions_to_icpc", "icpc_within_15_working_days"}),
        frozenset({"cpp_per_10000", "second_or_subsequent_plans", "plans_ending_after_2_years",
                   "cp_visits_in_time", "children_seen_alone"}),
        frozenset({"step_downs_to_early_help"}),
    }


def test_no_two_groups_read_a_table_and_every_indicator_is_in_one():
    groups = independent(INDICATOR_LIST)
    tables = [set().union(*(indicator.reads for indicator in group)) for group in groups]
    assert all(not (one & other) for at, one in enumerate(tables) for other in tables[at + 1:])
    assert sorted(code for group in codes(groups) for code in group) == sorted(INDICATORS)


def test_an_indicator_reading_two_groups_tables_joins_them_keeping_the_order_given():
    first, second, bridge, alone = (reading("a", "contacts"), reading("b", "plans"),
                                    reading("c", "plans", "contacts"), reading("d", "early_help"))
    assert codes(independent([first, second, alone, bridge])) == [["a", "b", "c"], ["d"]]
    assert codes(independent([alone, first, second])) == [["d"], ["a"], ["b"]]


def test_an_indicator_that_does_not_say_what_it_reads_puts_every_indicator_in_one_group():
    everything = dataclasses.replace(INDICATORS["contacts"], code="everything", reads={})
    assert codes(independent([reading("a", "contacts"), everything])) == [["a", "everything"]]
    assert independent([]) == []
