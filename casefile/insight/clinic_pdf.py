"""A performance clinic as a tagged PDF: the same choice of children and period as the page, each indicator with its
definition and source, the England and statistical neighbours' figures, and the trend as an SVG chart beside its table.

Reading the record for a large authority takes seconds (`cohort.load`), so a background task makes it
(insight/tasks.py) and the person follows its progress; the download is audited as the export.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone

from casefile.core.pdf import render_pdf
from casefile.insight import clinic, neighbours
from casefile.insight import presenters as present
from casefile.rules.indicators import Period
from casefile.rules.indicators.published import NEIGHBOUR_NOTE

CLINIC_PDF_CSS = """
h3 { font-size: 11pt; margin: 8pt 0 4pt; }
.cf-pdf-indicator { break-before: page; }
.cf-pdf-indicator:first-of-type { break-before: auto; }
svg.cf-chart { display: block; margin: 6pt 0; }
"""


def periods_as_json(periods: Sequence[Period]) -> list[list[str]]:
    return [[period.start.isoformat(), period.end.isoformat()] for period in periods]


def periods_from_json(rows: Sequence[Sequence[str]]) -> list[Period]:
    return [Period(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)) for start, end in rows]


def render(title: str, periods: Sequence[Period], found: Sequence[clinic.Figure], *, produced_by,
           computed_at=None) -> bytes:
    """`computed_at`: when the kept figures were computed (insight/figures.py); None when just now from the record."""
    entered = neighbours.by_indicator()
    return render_pdf("insight/clinic_pdf.html", {
        "title": title, "period": present.period_text(periods[-1]), "neighbour_note": NEIGHBOUR_NOTE,
        "computed_at": computed_at,
        "figures": [present.pdf_figure_context(figure, entered.get(figure.indicator.code, ())) for figure in found],
        "produced_by": produced_by, "produced_at": timezone.now(),
    }, stylesheets=[CLINIC_PDF_CSS])


def filename(periods: Sequence[Period]) -> str:
    """No team or worker name in the file's name: it shows in download lists and email attachments."""
    return f"performance-clinic-{periods[-1].end:%Y-%m-%d}-made-{timezone.localdate():%Y-%m-%d}.pdf"
