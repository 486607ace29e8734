"""Wording, tables and charts for the performance clinic: each figure with its unit, the England figure with its
year and source, the definition, and a small bar chart of the trend drawn as SVG on the server (no JavaScript),
its geometry worked out here so the template only places it."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html

from casefile.access import permissions
from casefile.core.charts import AXIS_COLOUR, BAR_COLOUR, TEXT_COLOUR, counts_chart
from casefile.core.presenters import govuk_date, plural, table_params
from casefile.insight.clinic import NO_CHILDREN
from casefile.rules import neighbours as neighbour_rules
from casefile.rules.indicators import Indicator, Period, Result, Unit
from casefile.rules.indicators.published import latest

NO_FIGURE = "No figure"
NOT_ENTERED = "Not entered"
SIDES = ("numerator", "denominator")
SIDE_NAMES = {"numerator": "count", "denominator": "total it is out of"}


def number(value: float, places: int = 1) -> str:
    """1,234 for a whole number, else to one decimal place (as the DfE publishes rates and percentages)."""
    rounded = round(value, places)
    return f"{rounded:,.0f}" if rounded == int(rounded) else f"{rounded:,.{places}f}"


def with_unit(unit: Unit, text: str) -> str:
    if unit is Unit.PERCENT:
        return f"{text}%"
    if unit is Unit.RATE_PER_10000:
        return f"{text} per 10,000 children"
    return text


def value_text(unit: Unit, value: float | None) -> str:
    """A figure with its unit: "85.7%", "191.6 per 10,000 children", "12", "2.5 on average"."""
    return NO_FIGURE if value is None else with_unit(unit, number(value))


def entered_value(unit: Unit, value: decimal.Decimal) -> str:
    """A figure as it was entered, to its last decimal place, with its unit: "21.45%", "600"."""
    return with_unit(unit, f"{value.normalize():,f}")


def short_value(unit: Unit, value: float | None) -> str:
    """The figure over a chart's bar: the unit is in the chart's title and table."""
    if value is None:
        return "None"
    return f"{number(value)}%" if unit is Unit.PERCENT else number(value)


def computed(request, kept) -> dict:
    """When the figures shown were computed (`kept`: the kept figures used, None when just now from the record),
    and whether the reader may have them computed again (insight/jinja2/insight/_computed.html)."""
    return {"computed_at": kept.computed_at if kept else None,
            "may_refresh": permissions.may_refresh_performance_figures(request.user),
            "refresh_href": reverse("insight:refresh"), "back": request.get_full_path()}


def work_out(request, page: str) -> dict:
    """The figures are not kept and the record is too large to work them out while the page loads: the button that
    has them worked out in the background (views.work_out_page), for the choice in the page's address
    (insight/jinja2/insight/_computed.html, not_worked_out)."""
    query_string = request.GET.urlencode()
    return {"work_out": {"href": reverse("insight:work_out") + (f"?{query_string}" if query_string else ""),
                         "page": page, "back": request.get_full_path()}}


def sentence(text: str) -> str:
    """Why there is no figure, as a sentence: "No referrals in the period."."""
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def period_text(period: Period) -> str:
    return f"{govuk_date(period.start)} to {govuk_date(period.end)}"


def period_label(period: Period) -> str:
    """A short label for a chart's axis: the census year "2024-25" when the period is one, else the end date."""
    if (period.start.month, period.start.day, period.end.month, period.end.day) == (4, 1, 3, 31) \
            and period.end.year == period.start.year + 1:
        return f"{period.start.year}-{period.end.year % 100:02d}"
    return f"to {govuk_date(period.end)}"


def direction(indicator: Indicator) -> str:
    if indicator.higher_is_better is None:
        return "Neither higher nor lower is better in itself"
    return "Higher is better" if indicator.higher_is_better else "Lower is better"


def england(indicator: Indicator) -> str:
    """The latest published England figure, with its year and source link, or why there is none."""
    figure = latest(indicator.code)
    if figure is None:
        return "No published England figure is shipped for this indicator."
    how = " (worked out from the published counts)" if figure.derived else ""
    return format_html('England {}: {}{}. Source: <a class="govuk-link" href="{}">{}</a>.', figure.year,
                       value_text(indicator.unit, figure.value), how, figure.url, figure.table)


def neighbours(indicator: Indicator, figures: Sequence[neighbour_rules.Figure], end: datetime.date) -> str:
    """The statistical neighbours' figure for the period's year (the year to 31 March its end falls in or after), or
    the latest year entered before it, saying so, with the group and source; or that none is entered."""
    compared = neighbour_rules.for_period(list(figures), end)
    if compared is None:
        return (f"Statistical neighbours: Not entered for {neighbour_rules.year_of(end)} or any year before. A "
                f"performance analyst enters them.")
    figure = compared.figure
    year = str(figure.year) if compared.exact else f"{figure.year} (none entered for {compared.wanted})"
    return (f"Statistical neighbours {year}: {value_text(indicator.unit, figure.value)}, the average of "
            f"{figure.group}. Source: {figure.source}.")


def neighbour_cell(unit: Unit, value: float | decimal.Decimal, year: int, wanted: int) -> str:
    """The neighbours' figure in a table: "21.4% (2024)", or, when none was entered for the year `wanted`, the
    latest year before it, saying so: "45.3 per 10,000 children (2022; none entered for 2024)"."""
    when = str(year) if year == wanted else f"{year}; none entered for {wanted}"
    return f"{value_text(unit, value)} ({when})"


def trend_neighbours(unit: Unit, figures: Sequence[neighbour_rules.Figure], end: datetime.date) -> str:
    """The neighbours' figure for a trend's period (as `neighbours` chooses it), or that none is entered."""
    compared = neighbour_rules.for_period(list(figures), end)
    if compared is None:
        return NOT_ENTERED
    return neighbour_cell(unit, compared.figure.value, compared.figure.year, compared.wanted)


def source(indicator: Indicator):
    """The body and measure of the definition (linked where it has an address), and where the standard is set."""
    parts = [indicator.source, *indicator.also]
    return format_html(" ".join(["{}"] * len(parts)), *[
        format_html('<a class="govuk-link" href="{}">{}: {}</a>.', part.url, part.body, part.measure) if part.url
        else format_html("{}: {}.", part.body, part.measure) for part in parts])


def query(**params) -> str:
    return urlencode({name: value for name, value in params.items() if value not in (None, "")})


def children_href(params: dict, code: str, side: str, at: int | None = None) -> str:
    return f"{reverse('insight:children')}?{query(**params, indicator=code, side=side, at=at)}"


def counted_link(count: float, href: str, items: int):
    """A count linking to the children behind it (plain when there are none to list)."""
    text = number(count)
    return format_html('<a class="govuk-link" href="{}">{}</a>', href, text) if items else text


def workings(result: Result, params: dict, at: int | None = None):
    """"12 of 40", each number linking to the children behind it; a count alone when there is no denominator. A
    count of workers or posts links nowhere (clinic.NO_CHILDREN)."""
    top = counted_link(result.numerator, children_href(params, result.code, "numerator", at),
                       0 if (result.code, "numerator") in NO_CHILDREN else len(result.numerator_items))
    if result.denominator is None or not result.denominator_items:
        return top if result.denominator is None else format_html("{} of {}", top, number(result.denominator))
    bottom = counted_link(result.denominator, children_href(params, result.code, "denominator", at),
                          0 if (result.code, "denominator") in NO_CHILDREN else len(result.denominator_items))
    return format_html("{} of {}", top, bottom)


def trend_figure(indicator: Indicator, result: Result) -> str:
    if result.value is None:
        return f"{NO_FIGURE}: {result.no_figure.removeprefix('no figure: ')}"
    return value_text(indicator.unit, result.value)


def _trend_table(indicator: Indicator, trend: Sequence[Result], neighbour_figures: Sequence[neighbour_rules.Figure],
                 counted: Callable[[Result, int], object], id: str, *, first_cell_is_header: bool = False) -> dict:
    """The chart's data as a table: each period, its figure, the neighbours' figure for its year, and the counts
    behind it (`counted(result, its place in the trend)`)."""
    rows = [[period_label(result.period), trend_figure(indicator, result),
             trend_neighbours(indicator.unit, neighbour_figures, result.period.end), counted(result, at)]
            for at, result in enumerate(trend)]
    return table_params(caption=f"{indicator.title}: the last {plural(len(trend), 'period')}",
                        caption_classes="govuk-table__caption--s", rows=rows, numeric=(1, 2, 3), id=id,
                        head=["Period", "Figure", "Statistical neighbours", "Counted"],
                        first_cell_is_header=first_cell_is_header)


def trend_table(indicator: Indicator, trend: Sequence[Result], params: dict, id: str,
                neighbour_figures: Sequence[neighbour_rules.Figure]) -> dict:
    """The page's trend table: its counts link to the children behind them."""
    return _trend_table(indicator, trend, neighbour_figures, lambda result, at: workings(result, params, at), id)


# Charts ----------------------------------------------------------------------------------------------------

# GOV.UK colours on white: blue bars (#1d70b8, 5.2:1) and near-black text (#0b0c0c); both pass WCAG's 3:1 for
# graphics and 4.5:1 for text.


@dataclasses.dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    label_x: float
    value_y: float


@dataclasses.dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    baseline: float
    bars: tuple[Bar, ...]
    label_y: float
    bar_colour: str = BAR_COLOUR
    text_colour: str = TEXT_COLOUR
    axis_colour: str = AXIS_COLOUR


def bar_chart(id: str, title: str, points: Sequence[tuple[str, float | None, str, str]], *, width: int = 320,
              height: int = 160) -> Chart:
    """A bar for each (label, value, short text over the bar, text in full), scaled to the largest value; a missing
    value has no bar and says so. The description reads the figures out in full, so the chart says in words what
    it shows."""
    top, bottom, gap = 22.0, 24.0, 8.0
    plot = height - top - bottom
    baseline = top + plot
    slot = width / max(len(points), 1)
    largest = max((value for _, value, _, _ in points if value is not None and value > 0), default=0)
    bars = []
    for index, (label, value, text, _) in enumerate(points):
        size = 0.0 if value is None or largest == 0 or value <= 0 else plot * value / largest
        x = index * slot + gap / 2
        bars.append(Bar(x=round(x, 1), y=round(baseline - size, 1), width=round(slot - gap, 1),
                        height=round(size, 1), label=label, value=text, label_x=round(x + (slot - gap) / 2, 1),
                        value_y=round(baseline - size - 6, 1)))
    description = "; ".join(f"{label}: {text}" for label, _, _, text in points)
    return Chart(id=id, title=title, description=f"Bar chart. {description}.", width=width, height=height,
                 baseline=baseline, bars=tuple(bars), label_y=height - 6)


def trend_chart(indicator: Indicator, trend: Sequence[Result]) -> Chart:
    points = [(period_label(result.period), result.value, short_value(indicator.unit, result.value),
               value_text(indicator.unit, result.value)) for result in trend]
    return bar_chart(f"chart-{indicator.code}", f"{indicator.title}, by period", points)


# The clinic ------------------------------------------------------------------------------------------------


def figure_context(figure, params: dict, neighbour_figures: Sequence[neighbour_rules.Figure] = ()) -> dict:
    """What the page shows of one indicator (`neighbour_figures`: its statistical neighbours' figures, every year
    entered)."""
    indicator, result = figure.indicator, figure.result
    return {
        "code": indicator.code, "title": indicator.title,
        "value": value_text(indicator.unit, result.value),
        "no_figure": sentence(result.no_figure.removeprefix("no figure: ")) if result.value is None else "",
        "workings": workings(result, params),
        "england": england(indicator), "direction": direction(indicator),
        "neighbours": neighbours(indicator, neighbour_figures, result.period.end),
        "details": details(indicator),
        "chart": trend_chart(indicator, figure.trend),
        "table": trend_table(indicator, figure.trend, params, f"table-{indicator.code}", neighbour_figures),
    }


def details(indicator: Indicator):
    """The definition, any note, the unit and the source, for the page's "How this is counted" details."""
    note = format_html('<p class="govuk-body">{}</p>', indicator.note) if indicator.note else ""
    return format_html('<p class="govuk-body">{}</p>{}<p class="govuk-body">Unit: {}.</p>'
                       '<p class="govuk-body">Source: {}</p>', indicator.definition, note, indicator.unit.value,
                       source(indicator))


def children_table(people) -> dict:
    return table_params(caption="Children", caption_classes="govuk-visually-hidden", head=["Child", "Reference"],
                        rows=[[format_html('<a class="govuk-link" href="{}">{}</a>',
                                           reverse("people:record", kwargs={"person_id": person.pk}),
                                           person.display_name), person.reference] for person in people])


# Journeys ----------------------------------------------------------------------------------------------------


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "–"


# What each journey stage counts, in words: "9 referrals" about so many children.
_STAGE_THINGS = {"contacts": ("contact",), "referrals": ("referral",), "assessments": ("assessment",),
                 "enquiries": ("section 47 enquiry", "section 47 enquiries"), "closures": ("closed case",)}


def things_counted(stage: str, count: int) -> str:
    return plural(count, *_STAGE_THINGS[stage])


def journey_children_href(params: dict, stage: str, outcome: str) -> str:
    return f"{reverse('insight:journey_children')}?{query(**params, stage=stage, outcome=outcome)}"


def stage_context(stage, params: dict) -> dict:
    """A journey's stage: its total, a table of its outcomes with each one's share and a link to the children behind
    each number, and the chart beside it."""
    return {
        "code": stage.code, "label": stage.label, "total": f"{stage.total:,}",
        "chart": counts_chart(f"journey-{stage.code}", f"{stage.label}: where they led",
                              [(branch.label, branch.count) for branch in stage.branches], label_width=300),
        "table": table_params(
            caption=f"{stage.label}: where they led", id=f"journey-table-{stage.code}",
            head=["Outcome", "Number", "Share"], numeric=(1, 2),
            rows=[[branch.label, counted_link(branch.count, journey_children_href(params, stage.code, branch.code),
                                              branch.count), _share(branch.count, stage.total)]
                  for branch in stage.branches]),
    }


# The journey as one flow diagram -------------------------------------------------------------------------------

# Where an outcome of one stage is counted again as a later stage: (stage, outcome) -> the stage it leads to.
CONTINUES_AS = {("contacts", "referral"): "referrals", ("referrals", "assessment"): "assessments",
                ("assessments", "section_47"): "enquiries"}
FLOW_WIDTH, STAGE_WIDTH, OUTCOME_X, BOX_HEIGHT, GAP, STAGE_GAP = 780, 240, 350, 30, 8, 36
LINK_COLOUR = "#505a5f"  # GOV.UK dark grey on white: 7:1


@dataclasses.dataclass(frozen=True)
class FlowBox:
    x: float
    y: float
    width: float
    height: float
    label: str
    count: str
    stage: bool  # a stage's total (filled) rather than one of its outcomes

    @property
    def text_y(self) -> float:
        return self.y + self.height / 2 + 5


@dataclasses.dataclass(frozen=True)
class FlowLink:
    path: str
    width: float
    dashed: bool


@dataclasses.dataclass(frozen=True)
class FlowDiagram:
    id: str
    title: str
    description: str
    width: int
    height: int
    boxes: tuple[FlowBox, ...]
    links: tuple[FlowLink, ...]
    bar_colour: str = BAR_COLOUR
    text_colour: str = TEXT_COLOUR
    link_colour: str = LINK_COLOUR


def _elbow(x1: float, y1: float, x2: float, y2: float) -> str:
    middle = round((x1 + x2) / 2, 1)
    return f"M{x1},{y1} C{middle},{y1} {middle},{y2} {x2},{y2}"


def flow_diagram(stages) -> FlowDiagram:
    """Each stage of a journey as a box with its total, an arrow to each outcome as thick as its share, and a dashed
    line from an outcome to the later stage that counts it again (contacts referred, to referrals; referrals
    assessed, to assessments; assessments that led to an enquiry, to enquiries)."""
    boxes, links, placed, described = [], [], {}, []
    y = 0.0
    for stage in stages:
        rows = max(len(stage.branches), 1)
        block = rows * BOX_HEIGHT + (rows - 1) * GAP
        stage_box = FlowBox(0, round(y + (block - BOX_HEIGHT * 1.5) / 2, 1), STAGE_WIDTH, BOX_HEIGHT * 1.5,
                            stage.label, f"{stage.total:,}", True)
        boxes.append(stage_box)
        placed[stage.code] = stage_box
        parts = []
        for index, branch in enumerate(stage.branches):
            box = FlowBox(OUTCOME_X, round(y + index * (BOX_HEIGHT + GAP), 1), FLOW_WIDTH - OUTCOME_X, BOX_HEIGHT,
                          branch.label, f"{branch.count:,}", False)
            boxes.append(box)
            share = branch.count / stage.total if stage.total else 0
            links.append(FlowLink(_elbow(STAGE_WIDTH, round(stage_box.y + stage_box.height / 2, 1), OUTCOME_X,
                                         round(box.y + BOX_HEIGHT / 2, 1)), round(1 + 11 * share, 1), False))
            placed[(stage.code, branch.code)] = box
            parts.append(f"{branch.label} {branch.count:,}")
        described.append(f"{stage.label} {stage.total:,}: " + ", ".join(parts))
        y += block + STAGE_GAP
    for (stage_code, branch_code), later in CONTINUES_AS.items():
        source, target = placed.get((stage_code, branch_code)), placed.get(later)
        if source is None or target is None:
            continue
        # From the outcome's left edge, back across the gap and down to the top of the later stage's box.
        start_y, end_x, end_y = round(source.y + source.height / 2, 1), STAGE_WIDTH - 40, round(target.y - 2, 1)
        links.append(FlowLink(f"M{OUTCOME_X},{start_y} C{STAGE_WIDTH - 10},{start_y} {end_x},{end_y - 40} "
                              f"{end_x},{end_y}", 1.5, True))
    description = ("Flow diagram. " + ". ".join(described) + ". Dashed lines: contacts referred are counted again "
                   "among referrals, referrals assessed among assessments, and assessments that led to an "
                   "enquiry among enquiries.")
    return FlowDiagram(id="journey-flow", title="The journey from the front door, as a flow diagram",
                       description=description, width=FLOW_WIDTH, height=int(y - STAGE_GAP + 4),
                       boxes=tuple(boxes), links=tuple(links))


# The clinic as a PDF ---------------------------------------------------------------------------------------
# A PDF cannot follow the page's links to the children behind each number, so its counts are plain text, and the
# sources are written out with their addresses.


def plain_workings(result: Result) -> str:
    """"12 of 40", or the count alone when there is no denominator."""
    if result.denominator is None:
        return number(result.numerator)
    return f"{number(result.numerator)} of {number(result.denominator)}"


def england_text(indicator: Indicator) -> str:
    figure = latest(indicator.code)
    if figure is None:
        return "No published England figure is shipped for this indicator."
    how = " (worked out from the published counts)" if figure.derived else ""
    return (f"England {figure.year}: {value_text(indicator.unit, figure.value)}{how}. "
            f"Source: {figure.table}, {figure.url}")


def source_text(indicator: Indicator) -> str:
    parts = [indicator.source, *indicator.also]
    return " ".join(f"{part.body}: {part.measure}" + (f" ({part.url})." if part.url else ".") for part in parts)


def plain_trend_table(indicator: Indicator, trend: Sequence[Result], id: str,
                      neighbour_figures: Sequence[neighbour_rules.Figure]) -> dict:
    return _trend_table(indicator, trend, neighbour_figures, lambda result, _: plain_workings(result), id,
                        first_cell_is_header=True)


def pdf_figure_context(figure, neighbour_figures: Sequence[neighbour_rules.Figure] = ()) -> dict:
    """What the clinic's PDF shows of one indicator: the figure, how it was counted, the England and statistical
    neighbours' figures, the definition and source in full, and the trend as a chart with its table."""
    indicator, result = figure.indicator, figure.result
    return {
        "code": indicator.code, "title": indicator.title,
        "value": value_text(indicator.unit, result.value),
        "no_figure": sentence(result.no_figure.removeprefix("no figure: ")) if result.value is None else "",
        "workings": plain_workings(result), "england": england_text(indicator), "direction": direction(indicator),
        "neighbours": neighbours(indicator, neighbour_figures, result.period.end),
        "definition": indicator.definition, "note": indicator.note, "unit": indicator.unit.value,
        "source": source_text(indicator),
        "chart": trend_chart(indicator, figure.trend),
        "table": plain_trend_table(indicator, figure.trend, f"table-{indicator.code}", neighbour_figures),
    }
