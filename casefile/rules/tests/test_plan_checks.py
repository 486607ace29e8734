"""SMART checks on plan actions: readable warnings about vague actions, and the contingency refusal."""

from __future__ import annotations

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.rules import plan_checks
from casefile.rules.plan_checks import check_action, contingency_problem

SMART = ("Walk Lily to school by 8:45am every school day", "Dawn Hartley (mother)",
         "The school register shows Lily in school by 9am on every school day")


def fields_warned(description, owner, measure) -> list[str]:
    return [warning.field for warning in check_action(description, owner, measure)]


def test_a_smart_action_gets_no_warnings():
    assert check_action(*SMART) == []


@pytest.mark.parametrize("owner", ["mum", "Mum", "Professionals", "all agencies", "Social worker", "SW",
                                   "the school", "Parents", "mum and dad", "Health visitor", "TBC", "Mum’s partner"])
def test_an_owner_who_is_a_role_with_no_name_is_flagged(owner):
    warnings = check_action(SMART[0], owner, SMART[2])
    assert [w.field for w in warnings] == ["owner"]
    assert "not a named person" in warnings[0].message and owner in warnings[0].message


@pytest.mark.parametrize("owner", ["Dawn Hartley (mother)", "Sam Worker (social worker)", "Mother (Dawn)",
                                   "Jo Patel, health visitor", "Mr Okafor", "Dawn"])
def test_an_owner_with_a_name_is_not_flagged(owner):
    assert fields_warned(SMART[0], owner, SMART[2]) == []


@pytest.mark.parametrize("description", ["School attendance", "Home conditions", "Lily’s bedroom",
                                         "Parenting course"])
def test_an_action_without_a_verb_is_flagged(description):
    warnings = check_action(description, SMART[1], SMART[2])
    assert [w.field for w in warnings] == ["description"]
    assert "does not say what anyone will do" in warnings[0].message


@pytest.mark.parametrize("description", ["Continue to engage with services", "Monitor home conditions",
                                         "Support Dawn with her parenting", "Engage with the family hub",
                                         "Attend appointments as required"])
def test_vague_words_without_a_measurable_measure_are_flagged(description):
    warnings = check_action(description, SMART[1], "Things get better")
    assert "description" in [w.field for w in warnings]
    assert any("does not say what will change" in w.message or "do not say what will change" in w.message
               for w in warnings)


def test_vague_words_are_accepted_when_the_measure_can_be_checked():
    assert fields_warned("Support Dawn to attend the parenting group", "Sam Worker (social worker)",
                         "Dawn attends 8 of the 10 sessions; the group leader's register shows it") == []


def test_the_message_names_each_vague_phrase_once():
    [warning] = [w for w in check_action("Continue to engage with services", "Dawn", "") if w.field == "description"]
    assert "‘continue to’ and ‘engage with’ do not say" in warning.message
    assert "‘engage’" not in warning.message


def test_an_empty_measure_is_flagged():
    warnings = check_action(SMART[0], SMART[1], "  ")
    assert [w.field for w in warnings] == ["measure"]
    assert warnings[0].message.startswith("Say how everyone will know this has been done")


def test_a_measure_that_repeats_the_action_is_flagged_whatever_the_case_and_punctuation():
    warnings = check_action("Walk Lily to school.", SMART[1], "walk lily to SCHOOL")
    assert [w.field for w in warnings] == ["measure"]
    assert "repeats the action" in warnings[0].message


def test_a_hopeful_measure_with_nothing_to_see_or_count_is_flagged():
    warnings = check_action(SMART[0], SMART[1], "Improved engagement")
    assert [w.field for w in warnings] == ["measure"]
    assert "hard to check" in warnings[0].message


def test_warnings_come_in_reading_order_who_what_how_measured():
    assert fields_warned("Monitor", "professionals", "") == ["owner", "description", "measure"]


def test_long_text_is_trimmed_in_messages():
    owner = "the " + "social worker " * 20
    [warning] = check_action(SMART[0], owner, SMART[2])
    assert "…" in warning.message and len(warning.message) < 250


# The contingency ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "tbc", "N/A", "Escalate", "To be agreed", "legal", "Reconvene conference"])
def test_a_missing_or_trivial_contingency_is_refused(text):
    assert contingency_problem(text) is not None


def test_a_contingency_that_says_what_happens_is_accepted():
    assert contingency_problem("If school attendance falls below 80%, the core group meets within 5 days") is None


def test_the_empty_contingency_message_asks_for_it():
    assert contingency_problem(None) == "Enter the contingency: what will happen if the plan does not work"


# Never raises ------------------------------------------------------------------------------------------


@given(st.text(), st.text(), st.text())
def test_the_checks_never_raise_on_any_text(description, owner, measure):
    warnings = check_action(description, owner, measure)
    assert all(isinstance(w, plan_checks.PlanWarning) and w.message for w in warnings)
    assert contingency_problem(description) is None or isinstance(contingency_problem(description), str)


@given(st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_the_checks_treat_missing_text_as_empty(description, owner, measure):
    check_action(description, owner, measure)
    plan_checks.has_verb(description)
    plan_checks.is_measurable(measure)


# Rule codes, reasons and rewrites ------------------------------------------------------------------------


def codes(description, owner, measure, due="2026-03-31") -> list[str]:
    return [w.code for w in plan_checks.check_plan_action(plan_checks.ActionData(description, owner, due, measure))]


def test_every_rule_has_a_code_a_name_and_a_reason():
    assert list(plan_checks.RULES) == [f"PQ{number}" for number in range(1, 12)]
    for code, rule in plan_checks.RULES.items():
        assert rule.code == code and re.fullmatch(r"[a-z]+(?:-[a-z]+)+", rule.name)
        assert rule.checks.endswith(".") and "statutory-rules.md" in rule.why


@pytest.mark.parametrize(("description", "owner", "measure", "due", "expected"), [
    (*SMART, "2026-03-31", []),
    (SMART[0], "", SMART[2], "2026-03-31", ["PQ1"]),
    (SMART[0], "Mum", SMART[2], "2026-03-31", ["PQ2"]),
    ("Home conditions", SMART[1], SMART[2], "2026-03-31", ["PQ3"]),
    ("Mum to engage with parenting course", SMART[1], "Improved parenting", "2026-03-31", ["PQ4", "PQ7"]),
    (SMART[0], SMART[1], "N/A", "2026-03-31", ["PQ5"]),
    ("Attend the parenting course", SMART[1], "Course attended", "2026-03-31", ["PQ6"]),
    (SMART[0], SMART[1], SMART[2], "ongoing", ["PQ8"]),
    (SMART[0], SMART[1], SMART[2], None, ["PQ8"]),
])
def test_each_action_rule_fires_with_its_code(description, owner, measure, due, expected):
    assert codes(description, owner, measure, due) == expected


def test_a_warning_names_its_rule_and_keeps_the_old_fields():
    [warning] = check_action(SMART[0], "Mum", SMART[2])
    assert (warning.field, warning.code, warning.name, warning.label) == (
        "owner", "PQ2", "owner-not-named", "PQ2 owner-not-named")
    assert plan_checks.PlanWarning("owner", "A message").label == ""  # built the old way: still works


def test_an_organisation_is_not_a_named_person_but_someone_there_is():
    [warning] = check_action(SMART[0], "Westfield Primary School", SMART[2])
    assert "is an organisation, not a named person" in warning.message
    assert warning.rewrite == "Name the person at Westfield Primary School who will do this to ‘Walk Lily to " \
                              "school by 8:45am every school day’: ‘<name> (Westfield Primary School)’"
    assert check_action(SMART[0], "Mrs Khan (DSL, Westfield Primary School)", SMART[2]) == []
    assert [w.code for w in check_action(SMART[0], "Women's Aid", SMART[2])] == ["PQ2"]


def test_the_rewrite_for_engage_keeps_what_was_to_be_attended_and_the_date():
    [vague] = [w for w in check_action("Mum to engage with parenting course", "Mum", "", due_date="2026-04-30")
               if w.code == "PQ4"]
    assert vague.rewrite == ("Say what will be attended and how often, for example: ‘<name> (mother) attends all "
                             "<number> sessions of parenting course by 30 April 2026; the register for parenting "
                             "course shows attendance’")


def test_the_rewrite_for_monitor_names_who_checks_what():
    [vague] = [w for w in check_action("Monitor home conditions", "Sam Worker (social worker)", "Ongoing")
               if w.code == "PQ4"]
    assert vague.rewrite.startswith("Name who will check home conditions, how often, and what they will see")
    assert "‘Sam Worker (social worker) visits every week and sees home conditions" in vague.rewrite


def test_the_rewrite_for_work_with_the_social_worker_says_meet():
    [vague] = [w for w in check_action("Parent to work with social worker", "Parent", "") if w.code == "PQ4"]
    assert "meets <social worker’s name> every <week>" in vague.rewrite


def test_vague_words_used_for_a_deed_with_a_checkable_measure_are_not_flagged():
    assert codes("Support Dawn to attend the Incredible Years group by driving her to each session",
                 "Jo Price (family support worker)", "The group register shows Dawn at 12 of 14 sessions") == []
    assert codes("Undertake direct work with Lily", "Sam Worker", "Lily's drawings on file after 3 sessions") == []


def test_a_measure_that_only_says_it_was_done_repeats_the_action():
    assert codes("Mum to engage with services", "Dawn", "Mum engages") == ["PQ4", "PQ6"]
    assert codes("Engage with CAMHS", "Jayden Hartley", "Jayden engages with CAMHS") == ["PQ4", "PQ6"]
    assert codes("Attend appointments as and when needed", "Dawn", "As needed") == ["PQ4", "PQ7"]


def test_a_named_subject_then_a_verb_is_an_action_but_a_described_noun_is_not():
    assert plan_checks.has_verb("Dawn walks Lily to school")
    assert plan_checks.has_verb("Police to respond to any incidents")
    assert not plan_checks.has_verb("Statutory visits")
    assert not plan_checks.has_verb("Safe sleeping advice")


# The whole plan ----------------------------------------------------------------------------------------


CONTINGENCY = "If Lily misses 3 days of school in a month, the core group meets within 5 working days"


def test_check_plan_returns_each_flag_with_the_action_it_belongs_to():
    actions = [plan_checks.ActionData(*SMART[:2], datetime.date(2026, 3, 31), SMART[2]),
               plan_checks.ActionData("Monitor", "Professionals", None, "ongoing")]
    flags = plan_checks.check_plan(actions, "tbc", outcomes_without_actions=["Lily is safe at home"])
    assert [(flag.action, flag.warning.code) for flag in flags] == [
        (1, "PQ2"), (1, "PQ4"), (1, "PQ7"), (1, "PQ8"), (None, "PQ9"), (None, "PQ11")]
    assert "‘Lily is safe at home’" in flags[-1].warning.rewrite


def test_a_good_plan_has_no_flags():
    assert plan_checks.check_plan([plan_checks.ActionData(*SMART[:2], "2026-03-31", SMART[2])], CONTINGENCY) == []


@pytest.mark.parametrize(("contingency", "expected"), [
    ("", ["PQ9"]), (None, ["PQ9"]), ("N/A", ["PQ9"]), ("Escalate", ["PQ10"]),
    ("We will consider further action if things do not improve", ["PQ10"]),
    ("The social worker will ask for a legal planning meeting", ["PQ10"]),
    (CONTINGENCY, []),
    ("Should Kayleigh let Lee back into the home, a strategy discussion is held the same day", []),
])
def test_a_contingency_needs_a_trigger_and_a_step(contingency, expected):
    assert [w.code for w in plan_checks.contingency_warnings(contingency)] == expected


@given(st.lists(st.tuples(st.text(), st.text(), st.one_of(st.none(), st.text(), st.dates()), st.text()),
                max_size=3), st.one_of(st.none(), st.text()))
def test_check_plan_never_raises(actions, contingency):
    flags = plan_checks.check_plan([plan_checks.ActionData(*action) for action in actions], contingency)
    assert all(flag.warning.code in plan_checks.RULES and flag.warning.rewrite for flag in flags)
