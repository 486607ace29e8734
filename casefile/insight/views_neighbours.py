"""The statistical neighbours' figures the clinic and the self-evaluation pack show beside the England figure (issue
12: each indicator "compared with the England figures and a statistical-neighbour group"): the figures entered, one
to enter or correct, and a CSV file of them (rules/neighbours.py). None can be shipped (rules/indicators/published.py
`NEIGHBOUR_NOTE`), so performance analysts and administrators enter the ones the DfE sends them."""

from __future__ import annotations

from casefile.access import permissions
from casefile.core.presenters import govuk_datetime, table_params
from casefile.insight import services
from casefile.insight.forms import NeighbourFigureForm
from casefile.insight.models import NeighbourFigure
from casefile.insight.presenters import entered_value
from casefile.insight.views import EnteredFigures, entered_figures_views
from casefile.rules.indicators import INDICATORS
from casefile.rules.neighbours import COLUMNS


def _neighbours_table() -> dict | None:
    rows = [[row.get_indicator_display(), str(row.year), entered_value(INDICATORS[row.indicator].unit, row.value),
             row.group, row.source, f"{row.entered_by}, {govuk_datetime(row.entered_at)}"]
            for row in NeighbourFigure.objects.select_related("entered_by") if row.indicator in INDICATORS]
    if not rows:
        return None
    return table_params(caption="The statistical neighbours’ figures entered", id="neighbour-figures", numeric=(2,),
                        head=["Indicator", "Year", "Neighbours’ average", "Group", "Source", "Entered by"],
                        rows=rows)


neighbours_page, neighbours_upload = entered_figures_views(EnteredFigures(
    "insight:neighbours", permissions.may_enter_neighbour_figures, services.NEIGHBOURS_REFUSED, NeighbourFigureForm,
    services.enter_neighbour_figure, services.upload_neighbour_figures, _neighbours_table, COLUMNS,
    caption="Performance clinic", title="The statistical neighbours’ figures"))
