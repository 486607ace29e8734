"""The authority's child population (aged 0 to 17) by ethnicity, religion, disability and sex, as entered or read
from a CSV file, for the diversity page (rules/diversity.py compares each stage with it). No Django.

A file has a header row naming its columns (in any order): characteristic, category, count, year, source. Each
row is one category's number of children: "sex,Female,24510,2021,ONS Census 2021 table RM032". A characteristic
is one of diversity.CHARACTERISTICS or its label ("Ethnic group"); a category is one the diversity page counts
children in (for ethnicity a CIN census code or its name; for religion any name). Every problem is reported, by
row and column, before anything is kept: a file with one bad row keeps nothing.
"""

from __future__ import annotations

import dataclasses
import re

from casefile.rules import codes, figure_files
from casefile.rules.diversity import CHARACTERISTICS, ETHNIC_GROUPS, LABELS, category

COLUMNS = ("characteristic", "category", "count", "year", "source")
FIRST_YEAR, LAST_YEAR = 1991, 2100
MAX_ROWS = 2_000
FIXED_CATEGORIES = {
    "ethnic_group": (*ETHNIC_GROUPS.values(), "Chinese", "Any other ethnic group"),
    "ethnicity": tuple(name for code, name in codes.ETHNICITY.items() if code not in ("NOBT", "REFU")),
    "disability": ("Disabled", "Not disabled"),
    "sex": ("Male", "Female"),
}


@dataclasses.dataclass(frozen=True)
class Figure:
    characteristic: str
    category: str
    count: int
    year: int
    source: str


class PopulationError(figure_files.FileProblems):
    """Every problem found, each as (row number or None, column, message)."""



def characteristic_key(text: str) -> str | None:
    wanted = " ".join((text or "").split()).lower().replace(" ", "_")
    for key in CHARACTERISTICS:
        if wanted in (key, LABELS[key].lower().replace(" ", "_")):
            return key
    return None


def category_name(characteristic: str, text: str) -> str | None:
    """The category as the diversity page names it, or None if the characteristic has no such category."""
    text = " ".join((text or "").split())
    if not text:
        return None
    if characteristic == "ethnicity" and text.upper() in codes.ETHNICITY:
        found = category("ethnicity", {"ethnicity": text.upper()})
        return found if found in FIXED_CATEGORIES["ethnicity"] else None
    if characteristic == "religion":
        return category("religion", {"religion": text})
    return next((name for name in FIXED_CATEGORIES[characteristic] if name.lower() == text.lower()), None)


def check(characteristic: str, category_text: str, count, year, source: str) -> tuple[Figure | None, list]:
    """One figure, or the problems with it as (column, message)."""
    problems = []
    key = characteristic_key(characteristic)
    if key is None:
        problems.append(("characteristic", f"expected one of {', '.join(LABELS[k] for k in CHARACTERISTICS)}, "
                                           f"got {characteristic!r}"))
    name = category_name(key, category_text) if key else None
    if key and name is None:
        expected = ("a religion's name" if key == "religion" else
                    "one of " + ", ".join(FIXED_CATEGORIES[key]) + (" or a CIN census code" if key == "ethnicity"
                                                                    else ""))
        problems.append(("category", f"expected {expected}, got {category_text!r}"))
    text = str(count).strip().replace(",", "") if count is not None else ""
    number = int(text) if re.fullmatch(r"\d+", text) else None
    if number is None:
        problems.append(("count", f"expected a whole number of children of 0 or more, got {str(count or '')!r}"))
    year_number = figure_files.four_digit_year(year)
    if year_number is None or not FIRST_YEAR <= year_number <= LAST_YEAR:
        problems.append(("year", f"expected the year of the figure, such as 2021, got {str(year or '').strip()!r}"))
    source = figure_files.words(source)
    if not source:
        problems.append(("source", "enter where the figure comes from, such as ONS Census 2021 table RM032"))
    if problems:
        return None, problems
    return Figure(key, name, number, year_number, source[:200]), []


def parse(text: str) -> list[Figure]:
    """Every figure in a CSV file, or PopulationError naming each bad row and column."""
    return figure_files.parse(
        text, COLUMNS, lambda values: check(values["characteristic"], values["category"], values["count"],
                                            values["year"], values["source"]),
        key=lambda figure: (figure.characteristic, figure.category, figure.year),
        repeated=lambda figure, row: ("category", f"{figure.category} ({LABELS[figure.characteristic].lower()}, "
                                                  f"{figure.year}) is already on row {row}"),
        one_row="a category", max_rows=MAX_ROWS, error=PopulationError)
