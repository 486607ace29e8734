"""What the front door's lists show, built here rather than in templates (tested on its own): each function
returns the parameters of components/table.html (govukTable)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from markupsafe import Markup

from casefile.core.presenters import MISSING, counted, govuk_date, govuk_datetime, table_params, with_hint


def _names(children) -> str:
    return ", ".join(child.full_name for child in children)


def awaiting_table(rows, *, may_authorise: bool) -> dict:
    """Decisions awaiting authorisation (board.AwaitingRow), with a late tag on a clock past its limit."""
    action = "authorise the decision" if may_authorise else "see the decision"
    return table_params(
        caption=f"{counted(len(rows), 'decision')} waiting", id="awaiting", first_cell_is_header=True,
        head=["Child", "Outcome", "Decided by", "Waiting", "Decision clock"],
        rows=[[
            format_html('<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden">: {}</span></a>',
                        reverse("frontdoor:authorise", kwargs={"decision_id": row.decision.pk}),
                        row.decision.contact_child.child.full_name, action),
            row.decision.get_outcome_display(),
            with_hint(row.decision.decided_by.get_full_name(), govuk_datetime(row.decision.decided_at)),
            row.waiting.describe(),
            format_html('<strong class="govuk-tag govuk-tag--red">Late</strong> {}', row.clock_text)
            if row.clock.state == "overdue" else row.clock_text,
        ] for row in rows])


def outstanding_checks_table(checks) -> dict:
    """Multi-agency checks waiting for an answer (views.contacts.OutstandingCheck), oldest first."""
    return table_params(
        caption=f"{counted(len(checks), 'check')}, oldest first", id="outstanding",
        head=["Children", "Agency", "Asked", "Waiting", Markup('<span class="govuk-visually-hidden">Action</span>')],
        rows=[[
            format_html('<a class="govuk-link" href="{}">{}</a>', row.contact_url, _names(row.children)),
            f"{row.check.get_agency_display()}: {row.check.asked_of}",
            f"{govuk_datetime(row.check.requested_at)} by {row.check.requested_by}",
            row.waiting.describe(),
            format_html('<a class="govuk-link" href="{}">Record the answer<span class="govuk-visually-hidden"> from {} '
                        'about {}</span></a>', row.url, row.check.get_agency_display().lower(), _names(row.children)),
        ] for row in checks])


def _referrer(contact) -> str | Markup:
    return ", ".join(part for part in (contact.referrer_name, contact.referrer_organisation) if part) or MISSING


def overdue_letters_table(rows) -> dict:
    """Referrers not yet told the outcome (board.OverdueLetter rows), oldest first."""
    return table_params(
        caption=f"{counted(len(rows), 'referrer')} not yet told", id="overdue", first_cell_is_header=True,
        head=["Children", "Referrer", "Decisions authorised", "Working days since", "Who has it"], numeric=(3,),
        rows=[[
            format_html('<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden">: outcome letter</span>'
                        '</a>', reverse("frontdoor:letter", kwargs={"contact_id": row.contact.pk}),
                        _names(row.children)),
            _referrer(row.contact),
            govuk_date(row.authorised_on),
            row.working_days,
            row.contact.holder.get_full_name() if row.contact.holder else "Not assigned",
        ] for row in rows])


__all__ = ["awaiting_table", "outstanding_checks_table", "overdue_letters_table"]


def home_links(counts: dict[str, int]) -> list[Markup]:
    """What waits at the front door, as links into the board for a front-door member's home page (board.summary
    counts). Always the total and the user's own; the rest only when there are some, with the late ones red."""
    board = reverse("frontdoor:board")

    def link(query: str, text: str, *, late: bool = False) -> Markup:
        if late:
            return format_html('<a class="govuk-link" href="{}{}"><strong class="govuk-tag govuk-tag--red">{}</strong>'
                               '</a>', board, query, text)
        return format_html('<a class="govuk-link" href="{}{}">{}</a>', board, query, text)

    lines = [link("", f"{counted(counts['total'], 'child', 'children')} waiting at the front door"),
             link("?holder=mine", f"{counted(counts['mine'], 'child', 'children')} with you")]
    if counts["past_limit"]:
        lines.append(link("?past_limit=on", f"{counted(counts['past_limit'], 'child', 'children')} past the time "
                                            "limit", late=True))
    if counts["unassigned"]:
        lines.append(link("?holder=unassigned",
                          f"{counted(counts['unassigned'], 'child', 'children')} not assigned to anyone"))
    if counts["overdue_decisions"]:
        lines.append(format_html("{} overdue (due within 1 working day of the contact)",
                                 counted(counts["overdue_decisions"], "decision")))
    waiting = counts.get("Awaiting authorisation", 0)
    if waiting:
        lines.append(format_html('<a class="govuk-link" href="{}">{} awaiting authorisation</a>',
                                 reverse("frontdoor:awaiting_authorisation"), counted(waiting, "decision")))
    return lines
