"""The child population file: every problem named by row and column, categories as the diversity page names them."""

import pytest

from casefile.rules.population import PopulationError, parse

HEADER = "characteristic,category,count,year,source\n"


def test_a_good_file_gives_each_figure_named_as_the_diversity_page_names_it():
    figures = parse("\ufeff" + HEADER + "Sex,female,24510,2021,ONS Census 2021\nethnicity,WBRI,100,2021,ONS\n"
                    "Ethnic group,Asian or Asian British,\"1,200\",2021,ONS\nreligion,  muslim ,5,2021,ONS\n"
                    "disability,Disabled,7,2021,ONS\n\n")
    assert [(f.characteristic, f.category, f.count) for f in figures] == [
        ("sex", "Female", 24510), ("ethnicity", "White British", 100), ("ethnic_group", "Asian or Asian British", 1200),
        ("religion", "Muslim", 5), ("disability", "Disabled", 7)]


def test_columns_may_come_in_any_order():
    assert parse("year,source,count,category,characteristic\n2021,ONS,3,Male,sex\n")[0].count == 3


@pytest.mark.parametrize(("row", "expected"), [
    ("sex,Female,-5,2021,ONS", "Row 2, count: expected a whole number of children of 0 or more, got '-5'"),
    ("sex,Female,many,2021,ONS", "Row 2, count: expected a whole number"),
    ("sex,Female,2.5,2021,ONS", "Row 2, count: expected a whole number"),
    ("sex,Other,5,2021,ONS", "Row 2, category: expected one of Male, Female, got 'Other'"),
    ("height,Tall,5,2021,ONS", "Row 2, characteristic: expected one of"),
    ("sex,Female,5,21,ONS", "Row 2, year: expected the year of the figure"),
    ("sex,Female,5,2021,", "Row 2, source: enter where the figure comes from"),
])
def test_each_bad_value_is_named_by_row_and_column(row, expected):
    with pytest.raises(PopulationError) as refused:
        parse(HEADER + "sex,Male,5,2021,ONS\n" + row.replace("Row 2", "Row 3") + "\n")
    assert expected.replace("Row 2", "Row 3") in str(refused.value)


def test_every_problem_is_reported_and_a_repeat_is_refused():
    with pytest.raises(PopulationError) as refused:
        parse(HEADER + "sex,Male,x,2021,ONS\nsex,Female,1,2021,ONS\nsex,female,2,2021,ONS\n")
    assert [problem[:2] for problem in refused.value.problems] == [(2, "count"), (4, "category")]


@pytest.mark.parametrize(("text", "expected"), [
    ("", "the file is empty"), ("characteristic,category,count\nsex,Male,1\n", "no column year, source"),
    (HEADER, "no figures")])
def test_a_file_without_its_header_or_figures_is_refused(text, expected):
    with pytest.raises(PopulationError, match=expected):
        parse(text)
