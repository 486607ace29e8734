"""Horizontal bar charts drawn on the server as SVG, shared by every app that shows one (the journeys' outcomes, audit
coverage, the quality theme report): a bar for each row with its label before it and its figure after it, a title,
and a description that reads every figure out, so the chart says what its table beside it says.

Labels too long for their column wrap onto a second line (Arial at 13px is about 7px a character), so a long
practice area or team name never runs into its bar.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Sequence

BAR_COLOUR = "#1d70b8"  # GOV.UK blue
TEXT_COLOUR = "#0b0c0c"  # GOV.UK text
AXIS_COLOUR = "#505a5f"  # GOV.UK secondary text
CHARACTER_WIDTH = 7  # px, Arial at 13px, generously
LINE_HEIGHT = 15
FIGURE_ROOM = 110  # px after the longest bar for its figure ("100% (12 of 12)")


@dataclasses.dataclass(frozen=True)
class Bar:
    lines: tuple[str, ...]  # the label, wrapped
    text: str  # the figure written after the bar
    y: float
    width: float
    text_x: float


@dataclasses.dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    label_width: int
    bar_height: int
    row_height: int
    bars: tuple[Bar, ...]
    bar_colour: str = BAR_COLOUR
    text_colour: str = TEXT_COLOUR
    axis_colour: str = AXIS_COLOUR


def wrap_label(label: str, label_width: int) -> tuple[str, ...]:
    """The label in at most two lines that fit the label column, the second shortened with an ellipsis if need be
    (the description and the table beside the chart give it in full)."""
    fits = max(label_width // CHARACTER_WIDTH - 1, 4)
    lines = textwrap.wrap(label, fits) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), fits, placeholder="…")]
    return tuple(lines)


def bar_chart(id: str, title: str, rows: Sequence[tuple[str, float | None, str]], *, width: int = 640,
              label_width: int = 260, empty: str = "Nothing to show") -> BarChart:
    """A bar for each (label, share of the longest possible bar from 0 to 1 or None, figure written after it)."""
    wrapped = [wrap_label(label, label_width) for label, _, _ in rows]
    two_lines = any(len(lines) > 1 for lines in wrapped)
    row = 2 * LINE_HEIGHT + 10 if two_lines else 28
    bar_height = row - 10
    room = width - label_width - FIGURE_ROOM
    bars = []
    for index, ((_, share, text), lines) in enumerate(zip(rows, wrapped, strict=True)):
        size = 0.0 if share is None else round(room * max(0.0, min(share, 1.0)), 1)
        bars.append(Bar(lines=lines, text=text, y=index * row + 4, width=size,
                        text_x=round(label_width + size + 6, 1)))
    description = "; ".join(f"{label}: {text}" for label, _, text in rows) if rows else empty
    return BarChart(id=id, title=title, description=f"Bar chart. {description}.", width=width,
                    height=max(len(rows), 1) * row + 8, label_width=label_width, bar_height=bar_height,
                    row_height=row, bars=tuple(bars))


def counts_chart(id: str, title: str, rows: Sequence[tuple[str, int]], **options) -> BarChart:
    """Counts as bars scaled to the largest, each count written after its bar."""
    largest = max((count for _, count in rows), default=0)
    return bar_chart(id, title, [(label, count / largest if largest else 0.0, f"{count:,}") for label, count in rows],
                     **options)


def percent_chart(id: str, title: str, rows: Sequence[tuple[str, float | None, str]], **options) -> BarChart:
    """Percentages (0 to 100, or None where there is none) as bars out of 100%, with the figure as written."""
    return bar_chart(id, title, [(label, None if value is None else value / 100, text) for label, value, text in rows],
                     **options)
