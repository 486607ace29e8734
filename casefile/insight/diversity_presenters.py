"""The diversity page's sections: for each characteristic and stage, a chart of the stage's share of each category
beside the population's, drawn as SVG on the server, and its table with the children behind each count and how
many are not recorded."""

from __future__ import annotations

import dataclasses

from django.urls import reverse
from django.utils.html import format_html

from casefile.core.presenters import plural, table_params
from casefile.insight.presenters import AXIS_COLOUR, BAR_COLOUR, TEXT_COLOUR, query
from casefile.rules.diversity import LABELS, STAGE_LABELS, Breakdown

POPULATION_COLOUR = "#505a5f"  # GOV.UK dark grey: 7:1 on white
NOT_GIVEN = "Not entered"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def ratio_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def children_href(params: dict, stage: str, characteristic: str, category: str | None) -> str:
    which = {"category": category} if category is not None else {"missing": "1"}
    chosen = query(**params, stage=stage, characteristic=characteristic, **which)
    return f"{reverse('insight:diversity_children')}?{chosen}"


def _link(count: int, href: str):
    return format_html('<a class="govuk-link" href="{}">{}</a>', href, f"{count:,}") if count else "0"


@dataclasses.dataclass(frozen=True)
class PairedBar:
    label: str
    y: float
    stage_width: float
    population_width: float
    stage_text: str
    population_text: str


@dataclasses.dataclass(frozen=True)
class ShareChart:
    id: str
    title: str
    description: str
    bars: tuple[PairedBar, ...]
    width: int
    height: int
    label_width: int
    bar_height: int
    legend_y: float
    bar_colour: str = BAR_COLOUR
    population_colour: str = POPULATION_COLOUR
    text_colour: str = TEXT_COLOUR
    axis_colour: str = AXIS_COLOUR


def share_chart(found: Breakdown, *, width: int = 640, label_width: int = 240, row: int = 36) -> ShareChart:
    """Two bars a category: the stage's share (blue) over the population's (grey), on one scale to 100%."""
    room = width - label_width - 70
    bars = []
    for index, share in enumerate(found.shares):
        bars.append(PairedBar(
            label=share.category, y=index * row + 24,
            stage_width=round(room * (share.share or 0) / 100, 1),
            population_width=round(room * (share.population_share or 0) / 100, 1),
            stage_text=percent(share.share), population_text=percent(share.population_share)))
    words = "; ".join(f"{share.category}: {percent(share.share)} of the stage, "
                      f"{percent(share.population_share)} of the population" for share in found.shares)
    stage = STAGE_LABELS[found.stage]
    return ShareChart(id=f"diversity-{found.characteristic}-{found.stage}",
                      title=f"{stage} by {LABELS[found.characteristic].lower()}, against the population",
                      description=f"Bar chart. {words or 'No children at this stage'}.", bars=tuple(bars),
                      width=width, height=row * len(bars) + 30, label_width=label_width, bar_height=12,
                      legend_y=12)


def breakdown_context(found: Breakdown, params: dict) -> dict:
    stage = STAGE_LABELS[found.stage]
    rows = [[share.category, _link(share.count, children_href(params, found.stage, found.characteristic,
                                                               share.category)),
             percent(share.share), f"{share.population:,}" if share.population is not None else NOT_GIVEN,
             percent(share.population_share), ratio_text(share.ratio)] for share in found.shares]
    missing = found.missing_count
    return {
        "id": f"{found.characteristic}-{found.stage}", "stage": stage,
        "total": plural(found.total, "child", "children"),
        "missing": format_html("Not recorded: {} of {} ({})", _link(missing, children_href(
            params, found.stage, found.characteristic, None)), f"{found.total:,}", percent(found.missing_rate)),
        "chart": share_chart(found),
        "table": table_params(
            caption=f"{stage} by {LABELS[found.characteristic].lower()}", caption_classes="govuk-table__caption--s",
            id=f"diversity-table-{found.characteristic}-{found.stage}",
            head=["Category", "Children", "Share of those recorded", "Population", "Population share",
                  "Ratio to population"], numeric=(1, 2, 3, 4, 5), rows=rows),
    }
