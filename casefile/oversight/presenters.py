"""Formatting for oversight pages: the manager's queue, the table of a child's decisions and a decision's parts as
summary rows; for chair and IRO challenge, where a stage stands in words, the lists of escalations, and the summary
of one escalation."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from casefile.core.presenters import govuk_date, plural, table_params, with_hint
from casefile.oversight.models import Escalation, ReportFeedback
from casefile.rules.escalation import SOURCE, StageStatus


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
