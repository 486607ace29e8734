"""Formatting for oversight pages: the manager's queue, the table of a child's decisions, and a decision's parts as
summary rows."""

from __future__ import annotations

from django.utils import timezone
from django.utils.html import format_html

from casefile.core.presenters import govuk_date, plural, table_params, with_hint


def decisions_table(rows) -> dict:
    """The Decisions page's table (oversight.decisions.Listed rows, one page of them)."""
    return table_params(
        caption="Decisions, newest first", caption_classes="govuk-visually-hidden",
        head=["Date", "Decision", "Decided by", "Status"],
        rows=[[govuk_date(timezone.localtime(row.decided_at).date()),
               format_html('<a class="govuk-link" href="{}">{}</a>', row.url, row.title), row.decided_by, row.status]
              for row in rows])


def evidence_list(points, named) -> list:
    """The evidence a decision weighed as one of its points (options, risks or strengths), each named and linked
    where the record has a page; a record no longer found says so."""
    items = []
    for point in points:
        found = named.get((point.kind, point.record_id))
        if found is None:
            items.append("A record no longer on the child’s file")
        elif found.url:
            items.append(format_html('<a class="govuk-link" href="{}">{}</a>', found.url, found.text))
        else:
            items.append(found.text)
    return items


def waited_text(working_days: int) -> str:
    """'Sent today', or how many working days an item has waited."""
    return "Sent today" if working_days == 0 else plural(working_days, "working day")


def _queue_link(item):
    """The item's kind, linked to where the manager acts on it, with its note (a plan's quality flags) under it."""
    link = format_html('<a class="govuk-link" href="{}">{}</a>', item.url, item.kind)
    return with_hint(link, item.note) if item.note else link


def queue_table(items) -> dict:
    """The manager's queue: what, for which child, from whom, since when and for how long, longest first."""
    rows = [[_queue_link(item),
             with_hint(item.child.display_name, item.team.name if item.team else "Front door"),
             str(item.worker) if item.worker else "",
             govuk_date(item.since),
             waited_text(item.working_days)]
            for item in items]
    return table_params(head=["Waiting", "Child", "From", "Sent", "Waited"], rows=rows,
                        caption="Work waiting for you, longest waiting first", id="queue")
