"""The statistical neighbours' figures, as entered or read from a CSV file, for the clinic and the self-evaluation
pack to show beside the England figure (rules/indicators/published.py ships England's; no neighbour figures can be
shipped, since the DfE's benchmarking tool left gov.uk: `published.NEIGHBOUR_NOTE`). No Django.

A file has a header row naming its columns (in any order): indicator, year, value, group, source. Each row is the
average of the authority's statistical neighbours for one indicator in one year: "re_referrals,2025,21.4,NFER model,
10 neighbours,DfE benchmarking tool (sent on request), March 2026". An indicator is its code
(`rules.indicators.INDICATOR_LIST`) or its title ("Re-referrals within 12 months"); the year is the one the figure
describes, as `published.Published.year` (2025: the year ending 31 March 2025); the value is in the indicator's unit
(a percentage as 21.4 or 21.4%, a rate per 10,000 children as 191.6), never negative, a percentage at most 100, and
kept to two decimal places. Every problem is reported, by row and column, before anything is kept: a file with one
bad row keeps nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal

from casefile.rules import figure_files
from casefile.rules.indicators import INDICATOR_LIST, INDICATORS, Unit

COLUMNS = ("indicator", "year", "value", "group", "source")
FIRST_YEAR = 2000
MAX_ROWS = 2_000
PLACES = decimal.Decimal("0.01")
MAX_VALUE = decimal.Decimal("9999999999.99")  # what insight.NeighbourFigure.value holds (12 digits, 2 places)
GROUP_LENGTH, SOURCE_LENGTH = 100, 300


@dataclasses.dataclass(frozen=True)
class Figure:
    indicator: str
    year: int
    value: decimal.Decimal
    group: str
    source: str


class NeighbourError(figure_files.FileProblems):
    """Every problem found, each as (row number or None, column, message)."""



def indicator_code(text: str) -> str | None:
    """The indicator's code, given its code or its title, in any case."""
    wanted = figure_files.words(text).lower()
    return next((indicator.code for indicator in INDICATOR_LIST
                 if wanted in (indicator.code, indicator.title.lower())), None)


def _value(code: str | None, text) -> tuple[decimal.Decimal | None, str]:
    """The value in the indicator's unit, or None and what is wrong with it."""
    shown = figure_files.words(text)
    percent = code is not None and INDICATORS[code].unit is Unit.PERCENT
    plain = shown.replace(",", "").removesuffix("%").strip() if percent else shown.replace(",", "")
    try:
        value = decimal.Decimal(plain)
    except decimal.InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        return None, f"expected a number, got {shown!r}"
    if value < 0:
        return None, f"expected a number of 0 or more, got {shown!r}"
    if percent and value > 100:
        return None, f"expected a percentage from 0 to 100, got {shown!r}"
    if value > MAX_VALUE:
        return None, f"expected a number below {MAX_VALUE:,.0f}, got {shown!r}"
    return value.quantize(PLACES, rounding=decimal.ROUND_HALF_UP), ""


def check(indicator: str, year, value, group: str, source: str, *,
          today: datetime.date) -> tuple[Figure | None, list[tuple[str, str]]]:
    """One figure, or the problems with it as (column, message). A year is from 2000 to this year (`today`'s)."""
    problems = []
    code = indicator_code(indicator)
    if code is None:
        problems.append(("indicator", f"expected an indicator's code or title, such as re_referrals or "
                                      f"{INDICATORS['re_referrals'].title}, got {figure_files.words(indicator)!r}"))
    year_number = figure_files.four_digit_year(year)
    if year_number is None or not FIRST_YEAR <= year_number <= today.year:
        problems.append(("year", f"expected the year the figure describes, from {FIRST_YEAR} to {today.year}, "
                                 f"such as {today.year - 1}, got {str(year or '').strip()!r}"))
    number, wrong = _value(code, value)
    if wrong:
        problems.append(("value", wrong))
    group, source = figure_files.words(group), figure_files.words(source)
    if not group:
        problems.append(("group", "enter the neighbour group, such as NFER model, 10 neighbours"))
    elif len(group) > GROUP_LENGTH:
        problems.append(("group", f"expected at most {GROUP_LENGTH} characters, got {len(group)}"))
    if not source:
        problems.append(("source", "enter where the figure comes from, such as the DfE's statistical neighbour "
                                   "benchmarking tool and the date it was sent"))
    elif len(source) > SOURCE_LENGTH:
        problems.append(("source", f"expected at most {SOURCE_LENGTH} characters, got {len(source)}"))
    if problems:
        return None, problems
    return Figure(code, year_number, number, group, source), []


def parse(text: str, *, today: datetime.date) -> list[Figure]:
    """Every figure in a CSV file, or NeighbourError naming each bad row and column."""
    return figure_files.parse(
        text, COLUMNS, lambda values: check(**values, today=today),
        key=lambda figure: (figure.indicator, figure.year),
        repeated=lambda figure, row: ("year", f"{INDICATORS[figure.indicator].title} ({figure.year}) is already on "
                                              f"row {row}"),
        one_row="an indicator and year", max_rows=MAX_ROWS, error=NeighbourError)


@dataclasses.dataclass(frozen=True)
class Compared:
    """The neighbours' figure shown beside a period: `figure` for `year`, or the latest year before it entered."""

    figure: Figure
    wanted: int

    @property
    def exact(self) -> bool:
        return self.figure.year == self.wanted


def year_of(end: datetime.date) -> int:
    """The latest year ending 31 March that has ended by a period's end: 2025 for the census year 2024-25, and for the
    12 months to 30 September 2025; 2024 for the 12 months to 30 March 2025."""
    return end.year if (end.month, end.day) >= (3, 31) else end.year - 1


def for_period(figures: list[Figure], end: datetime.date) -> Compared | None:
    """Of one indicator's figures, the one for the period's year, else the latest year before it; None if none."""
    wanted = year_of(end)
    found = max((figure for figure in figures if figure.year <= wanted), key=lambda figure: figure.year, default=None)
    return Compared(found, wanted) if found else None
