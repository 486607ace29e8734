"""Accessible PDFs from Jinja2 templates: chronologies now, letters and reports later.

Every PDF is tagged PDF/UA-1 (WeasyPrint's `pdf_variant="pdf/ua-1"`), so screen readers can follow its
headings and tables. What that needs from the template:
- `<html lang="en-GB">` (the PDF's language) and a `<title>` (the PDF's title, shown by readers);
- real structure: headings in order, `<table>` with `<th scope="col">` / `<th scope="row">`;
- an element with class `cf-pdf-running-title`, if the pages should repeat a title in the header.
The protective marking (OFFICIAL-SENSITIVE by default) is printed at the top and bottom of every page.

No external resources are fetched while rendering (only `data:` URLs), so nothing in a record can make
the server reach out to the network.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

PDF_VARIANT = "pdf/ua-1"
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
FONT_FAMILY = '"Liberation Sans", Arial, sans-serif'

# GOV.UK-like print styles: black on white, Arial-metric font, clear table rules. Templates may use the
# govuk-* class names they use on screen; only the few here are styled.
BASE_CSS = """
@page {
  size: A4;
  margin: 22mm 15mm 20mm 15mm;
  @top-left { content: "%(marking)s"; font-weight: bold; font-size: 9pt; }
  @top-right { content: string(running-title); font-size: 9pt; }
  @bottom-left { content: "%(marking)s"; font-weight: bold; font-size: 9pt; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; }
}
html { font-family: %(font)s; font-size: 10pt; line-height: 1.35; color: #0b0c0c; }
h1 { font-size: 20pt; margin: 0 0 6pt; }
h2 { font-size: 14pt; margin: 12pt 0 6pt; }
p { margin: 0 0 4pt; }
.cf-pdf-running-title { string-set: running-title content(); }
.govuk-caption-l, .govuk-caption-m { color: #484949; font-size: 12pt; margin: 0; }
.govuk-summary-list { margin: 0 0 10pt; }
.govuk-summary-list__row { display: block; }
.govuk-summary-list__key { display: inline; font-weight: bold; }
.govuk-summary-list__key::after { content: ": "; }
.govuk-summary-list__value { display: inline; margin: 0; }
.govuk-table { width: 100%%; border-collapse: collapse; }
.govuk-table__caption { text-align: left; font-weight: bold; font-size: 12pt; margin-bottom: 6pt; }
.govuk-table__header, .govuk-table__cell {
  text-align: left; vertical-align: top; padding: 4pt 6pt 4pt 0; border-bottom: 0.75pt solid #b1b4b6;
}
.govuk-table__header { font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.govuk-body-s { font-size: 9pt; }
.govuk-tag { font-weight: bold; }
.govuk-\\!-font-weight-bold { font-weight: bold; }
.govuk-\\!-font-weight-regular { font-weight: normal; }
.govuk-visually-hidden, .govuk-\\!-display-none-print { display: none; }
"""


def _css_string(text: str) -> str:
    """Text made safe to put inside a CSS string literal."""
    return re.sub(r'["\\\n]', " ", text)


def base_stylesheet(marking: str = OFFICIAL_SENSITIVE) -> CSS:
    return CSS(string=BASE_CSS % {"marking": _css_string(marking), "font": FONT_FAMILY})


def _no_network() -> URLFetcher:
    return URLFetcher(allowed_protocols=("data",))


def html_to_pdf(html: str, *, marking: str = OFFICIAL_SENSITIVE, stylesheets: Sequence[str] = ()) -> bytes:
    """Render an HTML document to a tagged PDF/UA-1 file, with the marking on every page.

    `stylesheets`: extra CSS (for example `@page { size: A4 landscape; }`), applied after the base styles.
    """
    fetcher = _no_network()
    sheets = [base_stylesheet(marking), *(CSS(string=sheet, url_fetcher=fetcher) for sheet in stylesheets)]
    document = HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=PDF_VARIANT, stylesheets=sheets)


def render_pdf(template_name: str, context: dict, *, request=None, marking: str = OFFICIAL_SENSITIVE,
               stylesheets: Sequence[str] = ()) -> bytes:
    """Render a Jinja2 template (a whole HTML document) to a tagged PDF."""
    html = render_to_string(template_name, context, request=request)
    return html_to_pdf(html, marking=marking, stylesheets=stylesheets)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """The PDF as a download. Never cached: these files hold personal data."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response
