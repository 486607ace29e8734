"""Formatting for oversight pages: the manager's queue, the table of a child's decisions and a decision's parts as
summary rows; for chair and IRO challenge, where a stage stands in words, the lists of escalations, and the summary
of one escalation; supervision lists and the supervision due summary."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from casefile.core.presenters import govuk_date, govuk_datetime, plural, shortened, table_params, with_hint
from casefile.oversight.models import REFLECTIVE_SECTIONS, STAFF_SECTIONS, CaseSupervision, Escalation, ReportFeedback
from casefile.rules import plan_checks
from casefile.rules.escalation import SOURCE, StageStatus
from casefile.rules.supervision import DUE_SOON, OVERDUE


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


def supervision_to_sign_table(records) -> dict:
    """My work's "Supervision records to sign": the case supervision records the worker has still to sign."""
    rows = [[format_html('<a class="govuk-link" href="{}">{}</a>', reverse(
                "oversight:case_supervision", kwargs={"person_id": record.child_id, "supervision_id": record.pk}),
                record.child.display_name),
             str(record.supervisor), govuk_date(record.held_on),
             "Signed by your manager" if record.supervisor_signed_at else "Not yet signed by your manager"]
            for record in records]
    return table_params(caption="Supervision records to sign", caption_classes="govuk-table__caption--m",
                        id="supervision-to-sign", head=["Child", "Supervisor", "Held on", "Manager’s signature"],
                        rows=rows)


TAGS = {"overdue": "govuk-tag--red", "answered": "govuk-tag--green", "waiting": "govuk-tag--blue"}


def status_words(status: StageStatus) -> str:
    """Where a stage stands, in words.

    >>> import datetime as dt
    >>> from casefile.rules.escalation import Stage, stage_status
    >>> from casefile.rules.working_days import ENGLAND_AND_WALES as CAL
    >>> status_words(stage_status(Stage.INFORMAL, dt.date(2024, 3, 28), None, dt.date(2024, 4, 10), CAL))
    'Overdue by 2 working days'
    >>> status_words(stage_status(Stage.INFORMAL, dt.date(2024, 3, 28), None, dt.date(2024, 4, 8), CAL))
    'Due today'
    >>> status_words(stage_status(Stage.INFORMAL, dt.date(2024, 3, 28), None, dt.date(2024, 4, 5), CAL))
    'Due in 1 working day'
    >>> status_words(stage_status(Stage.INFORMAL, dt.date(2024, 3, 28), dt.date(2024, 4, 9), dt.date(2024, 4, 9), CAL))
    'Answered on 9 April 2024, 1 working day late'
    """
    if status.is_answered:
        late = f", {plural(status.working_days_late, 'working day')} late" if status.answered_late else ""
        return f"Answered on {govuk_date(status.answered_on)}{late}"
    if status.is_overdue:
        return f"Overdue by {plural(status.working_days_late, 'working day')}"
    if status.working_days_left == 0:
        return "Due today"
    return f"Due in {plural(status.working_days_left, 'working day')}"


def status_tag(status: StageStatus) -> dict:
    """govukTag parameters for a stage's state."""
    state = "answered" if status.is_answered else "overdue" if status.is_overdue else "waiting"
    return {"text": status_words(status), "classes": TAGS[state]}


def escalation_url(escalation: Escalation) -> str:
    return reverse("oversight:escalation", kwargs={"person_id": escalation.child_id, "escalation_id": escalation.pk})


def open_escalations_table(rows: list[tuple[Escalation, StageStatus]]) -> dict:
    """The open escalations on a person's list: the child, the stage, who raised it, and its deadline in words."""
    return table_params(
        caption="Open escalations", caption_classes="govuk-visually-hidden",
        head=["Child", "Stage", "Raised by", "Response due", "Where it stands"],
        rows=[[format_html('<a class="govuk-link" href="{}">{}</a>', escalation_url(row), row.child.display_name),
               row.get_stage_display(), str(row.raised_by), govuk_date(status.due), status_words(status)]
              for row, status in rows])


def child_escalations_table(rows: list[tuple[Escalation, StageStatus | None]]) -> dict:
    """A child's escalations: when raised, by whom, the stage reached, and where it stands (or its resolution)."""
    return table_params(
        caption="Practice concerns", caption_classes="govuk-visually-hidden",
        head=["Raised", "Raised by", "Stage", "Where it stands"],
        rows=[[format_html('<a class="govuk-link" href="{}">{}</a>', escalation_url(row), govuk_date(row.raised_on)),
               str(row.raised_by), row.get_stage_display(),
               status_words(status) if status else f"Resolved on {govuk_date(row.resolved_on)}"]
              for row, status in rows])


def feedback_table(reports: list, may_give: bool, url_for) -> dict:
    """Each agency's report to a conference, and the chair's grade and comment on it."""
    def feedback_cells(report) -> list:
        feedback: ReportFeedback | None = getattr(report, "feedback", None)
        action = (format_html('<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> on the {} '
                              'report</span></a>', url_for(report), "Change feedback" if feedback else "Give feedback",
                              report.get_agency_display()) if may_give else "")
        if feedback is None:
            return ["No feedback yet", "", action]
        return [feedback.get_grade_display(), feedback.comment, action]

    return table_params(
        caption="Reports to the conference", caption_classes="govuk-visually-hidden",
        head=["Agency", "Arrived", "Quality", "Chair’s comment", ""],
        rows=[[report.get_agency_display(), govuk_date(report.received_on) if report.received_on else
               ("Yes" if report.received else "No"), *feedback_cells(report)] for report in reports])


def deadlines_source() -> str:
    return SOURCE


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
                format_html('Mark done<span class="govuk-visually-hidden">: {}</span>', shortened(action.description))))
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
