"""The chronology as a tagged PDF: what the export's template is given, and the file's name.

Used by the export page (people/views.py) and by the background task that makes the PDF (people/tasks.py).
"""

from __future__ import annotations

from django.utils import timezone

from casefile.core import presenters
from casefile.core.pdf import render_pdf
from casefile.people.chronology import Filters
from casefile.people.models import Person

# The chronology's PDF is wide: date, event, significance and analysis side by side. Fixed column widths
# also save WeasyPrint measuring every cell on every page, which more than halves the time a long one takes.
CHRONOLOGY_PDF_CSS = """
@page { size: A4 landscape; }
.govuk-table { table-layout: fixed; }
.govuk-table thead th:nth-child(1) { width: 15%; }
.govuk-table thead th:nth-child(2) { width: 42%; }
.govuk-table thead th:nth-child(3) { width: 11%; }
"""


def context(person: Person, filters: Filters, rows: list, query: str) -> dict:
    """What the chronology's pages and its PDF show: the entries the filters keep, out of all of them."""
    return {"person": person, "entries": filters.apply(rows), "total": len(rows), "filters": filters,
            "query": query, "age": presenters.age_text(person.date_of_birth, timezone.localdate(),
                                                          person.date_of_death),
            "has_merged_records": any(entry.event.from_record for entry in rows)}


def render(person: Person, filters: Filters, rows: list, query: str, *, produced_by) -> bytes:
    return render_pdf("people/chronology_pdf.html", {
        **context(person, filters, rows, query), "produced_at": timezone.now(), "produced_by": produced_by,
        "action": "Exported"}, stylesheets=[CHRONOLOGY_PDF_CSS])


def filename(person: Person) -> str:
    """The reference, never the name: file names show in download lists and email attachments."""
    return f"chronology-{person.reference}-{timezone.localdate():%Y-%m-%d}.pdf"
