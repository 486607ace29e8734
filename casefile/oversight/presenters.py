"""Wording and tables for the supervision pages, so templates stay simple."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.html import format_html

from casefile.core.presenters import govuk_date, govuk_datetime, plural, table_params, with_hint
from casefile.oversight.models import REFLECTIVE_SECTIONS, STAFF_SECTIONS, CaseSupervision
from casefile.rules import plan_checks
from casefile.rules.supervision import DUE_SOON, OVERDUE

RED = '<strong class="govuk-tag govuk-tag--red">{}</strong>'


def supervision_url(supervision: CaseSupervision, page: str = "case_supervision", **extra) -> str:
    return reverse(f"oversight:{page}", kwargs={"person_id": supervision.child_id, "supervision_id": supervision.pk,
                                                **extra})


def _link(url: str, text: str):
    return format_html('<a class="govuk-link" href="{}">{}</a>', url, text)


def sign_off_text(supervision: CaseSupervision) -> str:
    """Where the sign-off stands, in words."""
    if supervision.is_signed_off:
        return "Signed off by both"
    if supervision.supervisor_signed_at:
        return "Waiting for the worker to sign"
    if supervision.worker_signed_at:
        return "Waiting for the manager to sign"
    return "Not signed off"


def _open_actions(supervision: CaseSupervision) -> int:
    return sum(action.completed_on is None for action in supervision.actions.all())


def case_supervisions_table(supervisions) -> dict:
    """The child's supervision records, newest first."""
    return table_params(
        caption="Case supervision records, newest first", caption_classes="govuk-visually-hidden",
        head=["Date", "Worker", "Supervisor", "Sign-off", "Open actions"], numeric=(4,),
        rows=[[_link(supervision_url(s), govuk_date(s.held_on)), s.worker, s.supervisor, sign_off_text(s),
               _open_actions(s)] for s in supervisions])


def reflective_sections(supervision) -> list[tuple[str, str]]:
    """(heading, what was written) in the order the record is read."""
    sections = REFLECTIVE_SECTIONS if isinstance(supervision, CaseSupervision) else STAFF_SECTIONS
    return [(heading, getattr(supervision, field)) for field, heading in sections]


def sign_off_rows(supervision: CaseSupervision) -> list[dict]:
    """Who signed, and when, for each of the two people."""
    rows = []
    for part, label in (("supervisor", "Manager"), ("worker", "Worker")):
        signed_by, signed_at = getattr(supervision, f"{part}_signed_by"), getattr(supervision, f"{part}_signed_at")
        text = (f"{signed_by}, {govuk_datetime(signed_at)}" if signed_at
                else f"Not signed yet by {getattr(supervision, part)}")
        rows.append({"key": {"text": f"{label}’s sign-off"}, "value": {"text": text}})
    return rows


def summary_rows(supervision) -> list[dict]:
    return [
        {"key": {"text": "Date"}, "value": {"text": govuk_date(supervision.held_on)}},
        {"key": {"text": "Worker"}, "value": {"text": str(supervision.worker)}},
        {"key": {"text": "Supervisor"}, "value": {"text": str(supervision.supervisor)}},
    ]


def _action_status(action, today: datetime.date):
    if action.completed_on:
        return f"Done on {govuk_date(action.completed_on)}"
    if action.due_date < today:
        return format_html(RED, "Overdue")
    return "Open"


def actions_table(supervision: CaseSupervision, today: datetime.date, may_complete: bool) -> dict:
    """The SMART actions agreed, with whether each is done, and a link to mark an open one done."""
    rows = []
    for action in supervision.actions.all():
        status = _action_status(action, today)
        if may_complete and not action.completed_on:
            status = format_html("{}<br>{}", status, _link(
                supervision_url(supervision, "complete_supervision_action", supervision_action_id=action.pk),
                format_html('Mark done<span class="govuk-visually-hidden"> : {}</span>', action.description[:60])))
        rows.append([action.description, action.owner, govuk_date(action.due_date), action.measure, status])
    return table_params(caption="Actions agreed", caption_classes="govuk-table__caption--m",
                        head=["What will be done", "Who", "By", "How we will know", "Status"], rows=rows)


def action_warnings(supervision: CaseSupervision) -> list[tuple[str, list[str]]]:
    """The SMART checks' warnings on each open action (rules/plan_checks.py): warnings, never refusals."""
    found = []
    for action in supervision.actions.all():
        if action.completed_on:
            continue
        warnings = plan_checks.check_action(action.description, action.owner, action.measure)
        if warnings:
            found.append((action.description, [warning.message for warning in warnings]))
    return found


# Who is due supervision ----------------------------------------------------------------------------------


def _status_cell(due):
    if due.status == OVERDUE:
        return format_html(RED, "Overdue")
    if due.status == DUE_SOON:
        return format_html('<strong class="govuk-tag govuk-tag--yellow">{}</strong>', "Due soon")
    return "On time"


def supervision_due_table(rows) -> dict:
    """One row per worker: their supervisor, the standard that applies, the last supervision, the next due."""
    return table_params(
        caption="Staff and when their supervision is due, overdue first", caption_classes="govuk-visually-hidden",
        head=["Name", "Line manager", "Standard", "Last supervision", "Next due", "Status"],
        rows=[[
            _link(reverse("oversight:staff_supervisions", kwargs={"worker_id": row.worker.pk}),
                  with_hint(row.worker.get_full_name() or row.worker.username, row.worker.role_label)),
            row.worker.manager or "",
            row.due.frequency.capitalize() + (" (newly qualified)" if row.due.newly_qualified else ""),
            govuk_date(row.last) if row.last else "None recorded",
            govuk_date(row.due.due_on),
            _status_cell(row.due),
        ] for row in rows])


def due_summary(counts) -> str:
    """'2 of 9 staff are overdue supervision; 1 is due within a week', for My work."""
    overdue = "is" if counts.overdue == 1 else "are"
    soon = "is" if counts.due_soon == 1 else "are"
    return (f"{counts.overdue} of {plural(counts.workers, 'member', 'members')} of staff {overdue} overdue "
            f"supervision; {counts.due_soon} {soon} due soon")


def staff_supervisions_table(supervisions) -> dict:
    return table_params(
        caption="Staff supervision records, newest first", caption_classes="govuk-visually-hidden",
        head=["Date", "Supervisor"],
        rows=[[_link(reverse("oversight:staff_supervision", kwargs={"worker_id": s.worker_id,
                                                                    "staff_supervision_id": s.pk}),
                     govuk_date(s.held_on)), s.supervisor] for s in supervisions])
