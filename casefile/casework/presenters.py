"""What casework's lists show, built here rather than in templates (tested on its own): each table function
returns the parameters of components/table.html (govukTable)."""

from __future__ import annotations

from django.utils.html import format_html

from casefile.core.presenters import govuk_date, table_params, with_hint


def caseload_weights_text(kinds, labels: dict, weights: dict) -> str:
    """'cp plan 3, cin plan 2, assessment 1.5, other 1.': each kind of work's weight, 1.5 as 1.5 and 3.0 as 3."""
    return ", ".join(f"{labels[kind].lower()} {weights[kind]:g}" for kind in kinds) + "."


def caseloads_table(loads, kinds, labels: dict) -> dict:
    """One row per member of the team: children by kind of work, the weighted total and overdue items."""
    numeric = tuple(range(1, len(kinds) + 4))
    return table_params(
        caption="Caseload of each member of the team", caption_classes="govuk-visually-hidden",
        head=["Name", *(labels[kind] for kind in kinds), "Children", "Weight", "Overdue items"], numeric=numeric,
        rows=[[
            with_hint(load.worker, load.worker.role_label),
            *(load.counts[kind] for kind in kinds),
            load.children,
            load.weight_text,
            format_html('<strong class="govuk-tag govuk-tag--red">{}</strong>', load.overdue) if load.overdue else 0,
        ] for load in loads])


def closed_days_table(days) -> dict:
    """The weekdays clocks do not count in the coming months (calendar.ClosedDay), and where each comes from."""
    return table_params(
        caption="Weekdays that are not working days in the next 12 months",
        head=["Date", "What it is", "Where it comes from"],
        rows=[[f"{day.date:%A} {govuk_date(day.date)}", day.description,
               "Added by the council" if day.added_by_authority else "England and Wales bank holiday"]
              for day in days])
