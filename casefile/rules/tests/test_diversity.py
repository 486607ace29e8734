"""Representation at each stage against the population, with missing data beside it, on hand-built children."""

import pytest

from casefile.rules.diversity import breakdown, category, check_population, representation

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
