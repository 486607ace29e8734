"""SMART checks on plan actions: readable warnings about vague actions, and the contingency refusal."""

from __future__ import annotations

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
