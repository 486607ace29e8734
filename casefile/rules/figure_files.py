"""What the CSV files of figures analysts load share (the child population, rules/population.py; the statistical
neighbours' figures, rules/neighbours.py): a header row naming the columns, in any order, then one figure a row;
every problem found, by row and column, before anything is kept, so a file with one bad row keeps nothing; a figure
given twice in one file refused on its second row. No Django.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

Problem = tuple[int | None, str, str]  # (row number, or None for the file as a whole; column; message)


class FileProblems(ValueError):
    """Every problem found, each as (row number or None, column, message)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(describe(problem) for problem in problems))


def describe(problem: Problem) -> str:
    row, column, message = problem
    return f"Row {row}, {column}: {message}" if row is not None else f"{column}: {message}"


def words(text) -> str:
    """The text with its white space folded: "  NFER  model " is "NFER model"."""
    return " ".join(str(text or "").split())


def four_digit_year(value) -> int | None:
    text = str(value).strip() if value is not None else ""
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def parse(text: str, columns: Sequence[str], check: Callable[[Mapping[str, str]], tuple[Any, list]], *,
          key: Callable[[Any], Hashable], repeated: Callable[[Any, int], tuple[str, str]], one_row: str,
          max_rows: int, error: type[FileProblems] = FileProblems) -> list:
    """Every figure in a CSV file, or `error` naming each bad row and column.

    `check` takes a row's values by column and gives its figure, or None and its problems as (column, message);
    two figures with the same `key` are one figure given twice, refused on the later row with `repeated(figure,
    earlier row)`; `one_row` says what a row holds ("a category")."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header:
        raise error([(None, "file", f"the file is empty: it needs a header row, then one row {one_row}")])
    names = [words(name).lower() for name in header]
    missing = [column for column in columns if column not in names]
    if missing:
        raise error([(None, "header", f"the header row has no column {', '.join(missing)} "
                                      f"(it needs {', '.join(columns)})")])
    where = {column: names.index(column) for column in columns}
    figures, problems, seen = [], [], {}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if number > max_rows + 1:
            problems.append((number, "file", f"a file may hold at most {max_rows:,} rows"))
            break
        figure, found = check({column: row[index] if index < len(row) else "" for column, index in where.items()})
        problems += [(number, column, message) for column, message in found]
        if figure is None:
            continue
        if key(figure) in seen:
            problems.append((number, *repeated(figure, seen[key(figure)])))
            continue
        seen[key(figure)] = number
        figures.append(figure)
    if problems:
        raise error(problems)
    if not figures:
        raise error([(None, "file", "the file has a header row but no figures")])
    return figures
