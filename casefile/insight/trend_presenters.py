"""The ten-year trend page (views.trend_page): each indicator for the whole authority over ten census years, and
month by month as a line drawn on the server (SVG, no JavaScript) with every month in a table beside it."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from casefile.core.charts import AXIS_COLOUR, BAR_COLOUR, TEXT_COLOUR
from casefile.core.presenters import table_params
from casefile.insight.clinic import Figure
from casefile.insight.presenters import details, direction, period_label, short_value, trend_figure, value_text
from casefile.rules.indicators import Period

MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


@dataclasses.dataclass(frozen=True)
class LineChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    left: float  # where the plot starts, after the value axis' labels
    right: float
    top: float
    baseline: float
    paths: tuple[str, ...]  # one SVG path for each run of months with a figure: a month without one breaks the line
    y_ticks: tuple[tuple[float, str], ...]  # (y, label)
    x_ticks: tuple[tuple[float, str], ...]  # (x, label): the start of each census year, "2016-17"
    line_colour: str = BAR_COLOUR
    text_colour: str = TEXT_COLOUR
    axis_colour: str = AXIS_COLOUR


def nice_top(largest: float) -> float:
    """The top of the value axis: the smallest of 1, 2, 2.5 or 5 times a power of ten at or above the largest value
    (1 when there is nothing above 0)."""
    if largest <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(largest))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= largest)


def month_label(period: Period) -> str:
    return f"{period.start:%B %Y}"  # as core.presenters.govuk_date writes the month and year


def line_chart(id: str, title: str, points: Sequence[tuple[Period, float | None, str]], *, width: int = 640,
               height: int = 220) -> LineChart:
    """A line through each (month, value or None, value as written), scaled from 0 to a round number at or above the
    largest, with the start of each census year marked. The description says in words what the line shows; the
    table beside it gives every month."""
    left, right, top, bottom = 44.0, width - 8.0, 12.0, 24.0
    baseline = height - bottom
    values = [value for _, value, _ in points if value is not None]
    high = nice_top(max(values, default=0.0))
    step = (right - left) / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return round(baseline - (baseline - top) * max(value, 0.0) / high, 1)

    runs: list[list[str]] = [[]]
    for index, (_, value, _) in enumerate(points):
        if value is None:
            runs.append([])  # the line stops at a month without a figure and starts again after it
        else:
            runs[-1].append(f"{'L' if runs[-1] else 'M'}{round(left + index * step, 1)},{y(value)}")
    y_ticks = tuple((y(value), _tick(value)) for value in (0.0, high / 2, high))
    x_ticks = tuple((round(left + index * step, 1), f"{period.start.year}-{(period.start.year + 1) % 100:02d}")
                    for index, (period, _, _) in enumerate(points) if period.start.month == 4)
    return LineChart(id=id, title=title, description=_described(points), width=width, height=height, left=left,
                     right=right, top=top, baseline=baseline, paths=tuple(" ".join(run) for run in runs if run),
                     y_ticks=y_ticks, x_ticks=x_ticks)


def _tick(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _described(points: Sequence[tuple[Period, float | None, str]]) -> str:
    """The line in words: where it starts and ends, its lowest and highest months, and the months without a figure."""
    if not points:
        return "Line chart with no months."
    shown = [(period, value, text) for period, value, text in points if value is not None]
    span = f"Line chart, month by month from {month_label(points[0][0])} to {month_label(points[-1][0])}"
    if not shown:
        return f"{span}: no month has a figure."
    lowest = min(shown, key=lambda point: point[1])
    highest = max(shown, key=lambda point: point[1])
    missing = len(points) - len(shown)
    return (f"{span}: {shown[0][2]} in {month_label(shown[0][0])}, {shown[-1][2]} in {month_label(shown[-1][0])}; "
            f"lowest {lowest[2]} in {month_label(lowest[0])}, highest {highest[2]} in {month_label(highest[0])}"
            + (f"; {missing} {'month has' if missing == 1 else 'months have'} no figure." if missing else "."))


def months_table(figure: Figure, id: str) -> dict:
    """Every month's figure: a row for each census year, a column for each month from April to March."""
    unit = figure.indicator.unit
    by_year: dict[int, list[str]] = {}
    for result in figure.trend:
        start = result.period.start
        by_year.setdefault(start.year if start.month >= 4 else start.year - 1, []).append(
            short_value(unit, result.value))
    rows = [[f"{year}-{(year + 1) % 100:02d}", *cells, *[""] * (12 - len(cells))] for year, cells in by_year.items()]
    return table_params(caption=f"{figure.indicator.title}, month by month", caption_classes="govuk-table__caption--s",
                        head=["Census year", *MONTHS], rows=rows, numeric=tuple(range(1, 13)), id=id,
                        first_cell_is_header=True)


def years_table(figure: Figure, id: str) -> dict:
    rows = [[period_label(result.period), trend_figure(figure.indicator, result)] for result in figure.trend]
    return table_params(caption=f"{figure.indicator.title}, census year by census year",
                        caption_classes="govuk-table__caption--s", head=["Census year", "Figure"], rows=rows,
                        numeric=(1,), id=id, first_cell_is_header=True)


def trend_context(years: Figure, months: Figure) -> dict:
    """What the page shows of one indicator: the latest census year's figure, the line of its months, and both
    tables."""
    indicator = years.indicator
    code = indicator.code
    points = [(result.period, result.value, short_value(indicator.unit, result.value)) for result in months.trend]
    return {"code": code, "title": indicator.title, "direction": direction(indicator), "details": details(indicator),
            "latest": value_text(indicator.unit, years.trend[-1].value),
            "latest_period": period_label(years.trend[-1].period),
            "chart": line_chart(f"long-run-{code}", f"{indicator.title}, month by month", points),
            "years_table": years_table(years, f"years-{code}"), "months_table": months_table(months, f"months-{code}")}
