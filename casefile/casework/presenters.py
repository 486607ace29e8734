"""What casework's lists show, built here rather than in templates (tested on its own): each table function
returns the parameters of components/table.html (govukTable)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html

from casefile.core.presenters import MISSING, govuk_date, or_missing, table_params, with_hint


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


# A plan's summary -----------------------------------------------------------------------------------------


def _conference_link(conference, text: str) -> str:
    url = reverse("casework:conference", kwargs={"person_id": conference.child_id, "conference_id": conference.pk})
    return format_html('<a class="govuk-link" href="{}">{}</a>', url, text)


def _at_conference(day, conference, text: str):
    """'5 January 2024', or '5 January 2024, at the <initial conference>' when a conference set it."""
    if conference is None:
        return govuk_date(day)
    return format_html("{}, at the {}", govuk_date(day), _conference_link(conference, text))


def _row(key: str, value, *, change: tuple[str, str, str] | None = None) -> dict:
    """A govukSummaryList row; `change` is (link, what it changes, for screen readers) when it may change."""
    row = {"key": {"text": key}, "value": {"html": value} if hasattr(value, "__html__") else {"text": value}}
    if change:
        href, text, hidden = change
        row["actions"] = {"items": [{"href": href, "text": text, "visuallyHiddenText": hidden}]}
    return row


def plan_summary_rows(plan) -> list[dict]:
    """The plan's dates, category, visit interval and contingency, with the links to change what may change.

    A child protection plan is started, ended and given its category and visit interval by conferences; a
    child in need plan is changed and ended on its own pages."""
    ids = {"person_id": plan.child_id, "plan_id": plan.pk}
    cp = plan.kind == "cp"
    change = reverse("casework:change_plan", kwargs=ids)
    started = _at_conference(plan.start_date, plan.started_by_conference,
                             plan.started_by_conference.get_kind_display().lower()
                             if plan.started_by_conference else "")
    ended = (_at_conference(plan.end_date, plan.ended_by_conference, "review conference") if plan.end_date
             else "Not ended")
    interval = plan.visit_interval_working_days
    rows = [_row("Started", started),
            _row("Ended", ended, change=(reverse("casework:end_plan", kwargs=ids), "End the plan", "")
                 if plan.is_open and not cp else None)]
    if cp:
        rows += [_row("Initial category of abuse", plan.get_initial_category_display() if plan.initial_category
                      else MISSING),
                 _row("Latest category of abuse", plan.get_latest_category_display() if plan.latest_category
                      else MISSING)]
        if interval:
            rows.append(_row("Visits", f"At least every {interval} working days, as the plan sets"))
    else:
        rows.append(_row("Visits", f"At least every {interval} working days" if interval else MISSING,
                         change=(change, "Change", "how often visits happen") if plan.is_open else None))
    rows.append(_row("Contingency", or_missing(plan.contingency),
                     change=(change, "Change", "the contingency") if plan.is_open else None))
    return rows
