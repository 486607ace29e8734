"""Representation at each stage against the population, with missing data beside it, on hand-built children."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.rules.diversity import (
    CHARACTERISTICS,
    STAGES,
    breakdown,
    categories_of,
    category,
    check_population,
    counts,
    from_counts,
    representation,
)

CHILDREN = {
    1: {"ethnicity": "WBRI", "religion": "christian", "disabled": False, "sex": "M"},
    2: {"ethnicity": "WOTH", "religion": " Christian ", "disabled": True, "sex": "F"},
    3: {"ethnicity": "BAFR", "religion": "Muslim", "disabled": None, "sex": "F"},
    4: {"ethnicity": "NOBT", "religion": "", "disabled": False, "sex": "U"},
    5: {"ethnicity": "CHNE", "religion": "No religion", "disabled": False, "sex": "M"},
    6: {"ethnicity": "REFU", "religion": "", "disabled": False, "sex": "F"},
}


def shares(found):
    return {share.category: (share.count, round(share.share, 1) if share.share is not None else None)
            for share in found.shares}


@pytest.mark.parametrize("code, group", [
    ("WBRI", "White"), ("WROM", "White"), ("MWBC", "Mixed or multiple ethnic groups"),
    ("APKN", "Asian or Asian British"), ("BCRB", "Black or Black British"), ("CHNE", "Chinese"),
    ("OOTH", "Any other ethnic group"), ("REFU", "Refused"), ("NOBT", None), ("", None), (" wbri ", "White"),
])
def test_ethnic_groups_from_census_codes(code, group):
    assert category("ethnic_group", {"ethnicity": code}) == group


def test_shares_are_of_the_children_recorded_and_the_missing_sit_beside_them():
    found = breakdown(CHILDREN, "referrals", [1, 2, 3, 4, 5, 6], "ethnic_group")
    # Five of six have an ethnicity recorded (REFU is an answer; NOBT is not): White 2 of 5 = 40%.
    assert found.total == 6 and found.missing == {4}
    assert round(found.missing_rate, 1) == 16.7
    assert shares(found) == {"White": (2, 40.0), "Black or Black British": (1, 20.0), "Chinese": (1, 20.0),
                             "Refused": (1, 20.0)}
    assert next(s for s in found.shares if s.category == "White").children == {1, 2}


def test_religion_as_typed_counts_the_same_words_together():
    found = breakdown(CHILDREN, "plans", [1, 2, 3, 4], "religion")
    assert shares(found) == {"Christian": (2, 66.7), "Muslim": (1, 33.3)}
    assert found.missing == {4}


def test_disability_and_sex_not_recorded_are_missing_not_a_category():
    assert breakdown(CHILDREN, "s", [1, 2, 3], "disability").missing == {3}
    sex = breakdown(CHILDREN, "s", [1, 2, 3, 4], "sex")
    assert sex.missing == {4} and shares(sex) == {"Female": (2, 66.7), "Male": (1, 33.3)}


def test_a_child_with_no_row_counts_as_not_recorded():
    assert breakdown(CHILDREN, "s", [1, 99], "sex").missing == {99}


def test_against_the_population_with_the_ratio_and_groups_absent_from_the_stage():
    population = {"ethnic_group": {"White": 8_000, "Black or Black British": 1_000, "Asian or Asian British": 1_000}}
    found = breakdown(CHILDREN, "plans", [1, 2, 3], "ethnic_group", population)
    white, black, asian = found.shares
    # White: 2 of 3 recorded (66.7%) against 80% of the population: ratio 0.83. Black: 33.3% against 10%: 3.33.
    assert (white.category, round(white.population_share, 1), round(white.ratio, 2)) == ("White", 80.0, 0.83)
    assert (black.category, round(black.ratio, 2)) == ("Black or Black British", 3.33)
    assert (asian.category, asian.count, asian.share, round(asian.ratio, 2)) == ("Asian or Asian British", 0, 0.0,
                                                                                  0.0)


def test_an_empty_stage_has_no_shares_and_no_missing_rate():
    found = breakdown(CHILDREN, "none", [], "sex", {"sex": {"Male": 10, "Female": 10}})
    assert found.total == 0 and found.missing_rate is None
    assert [(s.category, s.share) for s in found.shares] == [("Female", None), ("Male", None)]


@pytest.mark.parametrize("value", [-1, "12", 1.5, float("nan"), True, None])
def test_a_population_figure_that_is_not_a_count_is_refused_naming_it(value):
    with pytest.raises(ValueError, match=r"population, sex, Male: expected a number of children of 0 or more"):
        check_population({"sex": {"Male": value}})


def test_an_unknown_characteristic_is_refused():
    with pytest.raises(ValueError, match="population: 'age' is not a characteristic"):
        representation(CHILDREN, {"s": [1]}, {"age": {}})
    with pytest.raises(ValueError, match="characteristic: expected one of"):
        category("height", {})


def test_every_characteristic_at_every_stage_in_order():
    found = representation(CHILDREN, {"contacts": [1, 2, 3, 4, 5, 6], "plans": [2, 3]},
                           characteristics=("sex", "disability"))
    assert [(b.characteristic, b.stage, b.total) for b in found] == [
        ("sex", "contacts", 6), ("sex", "plans", 2), ("disability", "contacts", 6), ("disability", "plans", 2)]


def test_the_stages_of_a_period_are_the_children_with_each_step_dated_in_it():
    import datetime

    from casefile.rules.diversity import stages
    from casefile.rules.indicators import Cohort, Period

    day, before = datetime.date(2024, 5, 1), datetime.date(2023, 5, 1)
    cohort = Cohort(
        contacts=[{"id": 1, "child": 1, "date": day, "outcome": ""}, {"id": 2, "child": 2, "date": before}],
        episodes=[{"id": 1, "child": 1, "referral_date": day}],
        assessments=[{"id": 1, "child": 1, "episode": 1, "start_date": day}],
        enquiries=[{"id": 1, "child": 3, "start_date": day}],
        plans=[{"id": 1, "child": 1, "kind": "cp", "start_date": day},
               {"id": 2, "child": 4, "kind": "cin", "start_date": day},
               {"id": 3, "child": 5, "kind": "cin", "start_date": before}])
    found = stages(cohort, Period.census_year("2024-25"))
    assert found == {"contacts": {1}, "referrals": {1}, "assessments": {1}, "enquiries": {3}, "cp_plans": {1},
                     "cin_plans": {4}}


# Counts kept without the children (insight/figures.py keeps these for a large authority) ------------------------

POPULATION = {"sex": {"Male": 510, "Female": 490}, "ethnic_group": {"White": 800, "Asian or Asian British": 200}}


def without_children(found):
    """A breakdown as kept counts give it: every number, none of the children."""
    return dataclasses.replace(found, missing=frozenset(), shares=tuple(
        dataclasses.replace(share, children=frozenset()) for share in found.shares))


def test_kept_counts_give_the_breakdowns_the_children_give():
    stages = {"contacts": [1, 2, 3, 4, 5, 6, 99], "cp_plans": [2, 4], "cin_plans": []}
    kept = counts(categories_of(CHILDREN), stages)
    kept = {name: dict(reversed(at.items())) for name, at in kept.items()}  # as jsonb may give the keys back
    assert kept["sex"]["contacts"] == [7, {"Male": 2, "Female": 3}]  # U and the child with no row: not recorded
    found = from_counts(kept, POPULATION)
    assert found == [without_children(one) for one in representation(CHILDREN, stages, POPULATION)]
    assert found[0].missing_count == 2 and found[0].missing == frozenset()


def test_kept_counts_give_only_the_characteristics_asked_for():
    kept = counts(categories_of(CHILDREN), {"referrals": [1, 3]})
    assert [(one.characteristic, one.stage) for one in from_counts(kept, None, ["religion"])] == [
        ("religion", "referrals")]


CHILD = st.fixed_dictionaries({
    "ethnicity": st.sampled_from(["WBRI", "WIRI", "MWBC", "APKN", "BAFR", "CHNE", "OOTH", "REFU", "NOBT", ""]),
    "religion": st.sampled_from(["", "christian", "Christian ", "Muslim", "No religion"]),
    "disabled": st.sampled_from([None, True, False]), "sex": st.sampled_from(["M", "F", "U"])})


@given(children=st.dictionaries(st.integers(0, 40), CHILD, max_size=30),
       at=st.dictionaries(st.sampled_from(["contacts", "referrals", "enquiries"]),
                          st.lists(st.integers(0, 50), max_size=25), max_size=3))
def test_kept_counts_always_agree_with_the_children(children, at):
    stages = {stage: at[stage] for stage, _ in STAGES if stage in at}
    assert from_counts(counts(categories_of(children), stages), POPULATION, CHARACTERISTICS) == [
        without_children(one) for one in representation(children, stages, POPULATION)]
