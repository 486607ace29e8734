"""Spreadsheet downloads. Every CSV the service gives out is written here, so every cell is made safe for
spreadsheets (a cell starting =, +, -, @, tab or carriage return is quoted: OWASP CSV injection)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from casefile.rules.police_notifications import neutralise_for_spreadsheet


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    """A CSV attachment, never cached, with every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow([neutralise_for_spreadsheet(str(cell)) for cell in header])
    for row in rows:
        writer.writerow([neutralise_for_spreadsheet("" if cell is None else str(cell)) for cell in row])
    return response
