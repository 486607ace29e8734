"""Tables for the child's voice coverage page: per team or worker, each measure's percentage with a link to the
records that fell short, and the records behind a count."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html

from casefile.core.presenters import govuk_date, table_params, yes_no
from casefile.rules.voice import ASSESSMENT, KINDS, MEASURES, VISIT, Coverage, VoiceRow

# What the link to the records that fell short says: "2 not seen alone".
SHORT_OF = {"seen": "not seen", "alone": "not seen alone", "heard": "without words or observation",
            "difference": "without the difference to the plan"}
RECORD_NOUNS = {VISIT: "visit", ASSESSMENT: "assessment"}


def href(name: str, params: dict, **more) -> str:
    """A page's address with the query, leaving out what is not set (a scope's team or worker)."""
    query = urlencode({key: value for key, value in {**params, **more}.items() if value not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def records_href(params: dict, **more) -> str:
    return href("oversight:childs_voice_records", params, **more)


def _measure_cell(cover: Coverage, measure: str, params: dict, who: str):
    shown = cover.percent(measure)
    if shown is None:
        return "Nothing to count"
    text = f"{shown}% ({cover.met[measure]} of {cover.counted[measure]})"
    missing = cover.missing(measure)
    if not missing:
        return text
    return format_html('{}<br><a class="govuk-link" href="{}">{} {}<span class="govuk-visually-hidden">: {}</span>'
                       '</a>', text, records_href(params, measure=measure), missing, SHORT_OF[measure], who)


def coverage_table(kind: str, first: str, lines: list[tuple[str, dict, Coverage]], *, period: dict) -> dict:
    """One row per team or worker, and the total (`lines`: the name, the query that narrows to them, their
    coverage). The number of records links to them all; each measure to the records that fell short of it."""
    rows = []
    for name, scope, cover in lines:
        params = {**scope, **period, "kind": kind}
        who = f"{KINDS[kind].lower()}, {name}"
        count = (format_html('<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
                             records_href(params), cover.records, who) if cover.records else 0)
        rows.append([name, count, *(_measure_cell(cover, measure, params, who) for measure in MEASURES)])
    return table_params(caption=KINDS[kind], head=[first, KINDS[kind], *MEASURES.values()], rows=rows,
                        numeric=(1,), id=f"{kind}-coverage")


def records_table(rows: list[VoiceRow], people: dict, workers: dict[int, str]) -> dict:
    """The records behind a count: the child (linking to the visit or assessment), the day, who, and each answer."""
    def link(row: VoiceRow):
        name = "casework:visit" if row.kind == VISIT else "casework:assessment"
        person = people[row.child_id]
        href = reverse(name, kwargs={"person_id": person.pk, f"{row.kind}_id": row.id})
        return format_html('<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden">: {} on {}'
                           '</span></a>', href, person.display_name, RECORD_NOUNS[row.kind], govuk_date(row.day))

    return table_params(
        caption="Records", caption_classes="govuk-visually-hidden",
        head=["Child", "Date", "Worker", *MEASURES.values()],
        rows=[[link(row), govuk_date(row.day), workers.get(row.worker_id, ""), yes_no(row.seen),
               yes_no(row.seen_alone) if row.seen else "", yes_no(row.heard) if row.seen else "",
               yes_no(row.difference) if row.seen else ""] for row in rows])
