"""Spreadsheet downloads. Every CSV the service gives out is written here, so every cell is made safe for
spreadsheets (a cell starting =, +, -, @, tab or carriage return is quoted: OWASP CSV injection), and every file
starts with a UTF-8 byte order mark: without it Excel reads the file as Windows-1252 and shows "Zoë" as "ZoÃ«"."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from casefile.rules.police_notifications import UTF8_BOM, neutralise_for_spreadsheet


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    """A CSV attachment, never cached, with every cell neutralised, starting with the byte order mark."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response.write(UTF8_BOM)
    writer = csv.writer(response)
    writer.writerow([neutralise_for_spreadsheet(str(cell)) for cell in header])
    for row in rows:
        writer.writerow([neutralise_for_spreadsheet("" if cell is None else str(cell)) for cell in row])
    return response
