"""Drawing a sample for case file audits: reproducible from its seed, thematic over the caller's cohort, risk-based
by the weight of each child's quality signals, each chosen child with the sentence saying why."""

import pytest

from casefile.rules.sampling import (
    RANDOM,
    RISK,
    THEMATIC,
    Candidate,
    SampleError,
    SignalMark,
    draw,
    new_seed,
    risk_reason,
    score,
)

LONG_PLAN = SignalMark("cp_plan_15_months", "Child protection plan over 15 months")
TWO_YEARS = SignalMark("cp_plan_2_years", "Child protection plan over 2 years")
VISITS = SignalMark("late_visits", "Visits outside the standard")
IDENTITY = SignalMark("missing_identity", "Missing ethnicity, religion or first language")
RECORDING = SignalMark("late_recording", "Late recording")


def _ids(chosen):
    return [row.child_id for row in chosen]


def test_a_random_sample_is_drawn_again_from_its_seed_whatever_the_order_of_the_candidates():
    rows = [Candidate(child_id) for child_id in range(1, 101)]
    first = draw(rows, method=RANDOM, size=10, seed=4711)
    assert _ids(first) == _ids(draw(list(reversed(rows)), method=RANDOM, size=10, seed=4711))
    assert len(set(_ids(first))) == 10 and set(_ids(first)) <= set(range(1, 101))
    assert _ids(first) != _ids(draw(rows, method=RANDOM, size=10, seed=4712))
    assert {row.reason for row in first} == {"Chosen at random (seed 4711)."}


def test_a_thematic_sample_names_its_theme():
    rows = [Candidate(child_id) for child_id in (4, 8, 15)]
    chosen = draw(rows, method=THEMATIC, size=3, seed=7, theme="team North, child protection plan")
    assert sorted(_ids(chosen)) == [4, 8, 15]
    assert chosen[0].reason == "Chosen at random (seed 7) from children matching: team North, child protection plan."


def test_a_risk_based_sample_takes_the_heaviest_signals_first_and_says_which():
    rows = [
        Candidate(1, (IDENTITY,)),                      # 1
        Candidate(2, (TWO_YEARS, LONG_PLAN, VISITS)),   # 3 + 2 + 2 = 7
        Candidate(3),                                   # no signal: never chosen
        Candidate(4, (VISITS, VISITS, RECORDING)),      # late visits once: 2 + 1 = 3
        Candidate(5, (LONG_PLAN,)),                     # 2
    ]
    chosen = draw(rows, method=RISK, size=3, seed=1)
    assert _ids(chosen) == [2, 4, 5]
    assert [row.score for row in chosen] == [7, 3, 2]
    assert chosen[0].reason == ("Chosen because: 3 quality signals — Child protection plan over 2 years, "
                                "Child protection plan over 15 months, Visits outside the standard.")
    assert chosen[2].reason == "Chosen because: 1 quality signal — Child protection plan over 15 months."
    assert score(rows[3]) == 3 and risk_reason(rows[3]).startswith("Chosen because: 2 quality signals")


def test_ties_in_a_risk_based_sample_are_broken_by_the_seed_reproducibly():
    rows = [Candidate(child_id, (LONG_PLAN,)) for child_id in range(1, 21)]
    assert _ids(draw(rows, method=RISK, size=5, seed=99)) == _ids(draw(rows[::-1], method=RISK, size=5, seed=99))
    drawn = {tuple(_ids(draw(rows, method=RISK, size=5, seed=seed))) for seed in range(10)}
    assert len(drawn) > 1  # not simply the lowest ids


@pytest.mark.parametrize(("rows", "method", "size", "field", "words"), [
    ([Candidate(1)], RANDOM, 0, "size", "1 or more"),
    ([Candidate(1), Candidate(2)], RANDOM, 3, "size", "only 2 children matching these filters: enter 2 or fewer"),
    ([Candidate(1), Candidate(1)], RANDOM, 2, "size", "There is only 1 child matching these filters: enter 1 or fewer"),
    ([], THEMATIC, 1, "filters", "No open cases match these filters"),
    ([Candidate(1), Candidate(2)], RISK, 1, "filters", "None of the children matching these filters has a quality"),
    ([Candidate(1, (IDENTITY,)), Candidate(2)], RISK, 2, "size", "only 1 child with a quality signal"),
    ([Candidate(1)], "lottery", 1, "method", "Select how to choose"),
])
def test_a_sample_that_cannot_be_drawn_says_which_field_to_correct(rows, method, size, field, words):
    with pytest.raises(SampleError) as refused:
        draw(rows, method=method, size=size, seed=1)
    assert refused.value.field == field and words in refused.value.message


def test_a_new_seed_is_a_whole_number_of_up_to_six_digits():
    seeds = {new_seed() for _ in range(20)}
    assert all(isinstance(seed, int) and 1 <= seed < 1_000_000 for seed in seeds) and len(seeds) > 1
