"""Wording and tables for the oversight pages."""

from __future__ import annotations

from django.utils.html import format_html

from casefile.core.presenters import govuk_date, plural, table_params, with_hint


def waited_text(working_days: int) -> str:
    """'Sent today', or how many working days an item has waited."""
    return "Sent today" if working_days == 0 else plural(working_days, "working day")


def queue_table(items) -> dict:
    """The manager's queue: what, for which child, from whom, since when and for how long, longest first."""
    rows = [[format_html('<a class="govuk-link" href="{}">{}</a>', item.url, item.kind),
             with_hint(item.child.display_name, item.team.name if item.team else "Front door"),
             str(item.worker) if item.worker else "",
             govuk_date(item.since),
             waited_text(item.working_days)]
            for item in items]
    return table_params(head=["Waiting", "Child", "From", "Sent", "Waited"], rows=rows,
                        caption="Work waiting for you, longest waiting first", id="queue")
