"""Wording and rows for the case file audit pages: the evidence from the record beside each section, the lists of
audits and actions, and a completed audit's grades."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from casefile.core.charts import percent_chart
from casefile.core.presenters import govuk_date, plural, shortened, table_params, with_hint
from casefile.quality.evidence import RecordEvidence
from casefile.quality.models import CaseFileAudit, PracticeArea
from casefile.rules.audit_grades import ANSWER_LABELS, GRADE_LABELS
from casefile.rules.audit_impact import DIRECTION_LABELS, Change, Impact
from casefile.rules.clocks import State
from casefile.rules.signals import SIGNALS

RED = '<strong class="govuk-tag govuk-tag--red">{}</strong>'
GRADE_TAGS = {"outstanding": "govuk-tag--green", "good": "govuk-tag--blue",
              "requires_improvement": "govuk-tag--yellow", "inadequate": "govuk-tag--red"}
# Each statutory clock beside the practice area whose quality it is evidence of.
CLOCK_AREAS = {
    "referral_decision": PracticeArea.SERVICE_RESPONSE,
    "assessment": PracticeArea.NEED_AND_RISK,
    "assessment_census": PracticeArea.NEED_AND_RISK,
    "initial_conference": PracticeArea.SERVICE_RESPONSE,
    "first_core_group": PracticeArea.MULTI_AGENCY,
    "first_review_conference": PracticeArea.PLANNING_AND_REVIEW,
    "later_review_conference": PracticeArea.PLANNING_AND_REVIEW,
    "cp_visit": PracticeArea.RELATIONSHIP_WITH_CHILD,
    "cin_visit": PracticeArea.RELATIONSHIP_WITH_CHILD,
}


def _row(key: str, value) -> dict:
    return {"key": {"text": key}, "value": {"html" if hasattr(value, "__html__") else "text": value}}


def _date_or(day: datetime.date | None, missing: str) -> str:
    return govuk_date(day) if day else missing


def grade_tag(grade: str):
    """A grade as a coloured tag, or 'Not graded'."""
    if not grade:
        return "Not graded"
    return format_html('<strong class="govuk-tag {}">{}</strong>', GRADE_TAGS[grade], GRADE_LABELS[grade])


def _assessment_rows(evidence: RecordEvidence) -> list[dict]:
    rows = []
    for clock in evidence.assessment_clocks:
        key = f"Assessment after the referral of {govuk_date(clock.referral_date)}"
        if clock.authorised_on is not None:
            text = (f"Authorised on {govuk_date(clock.authorised_on)}, "
                    f"{plural(clock.working_days_taken, 'working day')} after the referral (45 allowed)")
            rows.append(_row(key, format_html(RED, "Late") + format_html(" {}", text)
                             if clock.status.state is State.COMPLETED_LATE else text))
        elif clock.status.state is State.OVERDUE:
            rows.append(_row(key, format_html(RED + " Due by {}: {} late", "Overdue", govuk_date(clock.status.due),
                                              plural(clock.status.working_days_late, "working day"))))
        else:
            rows.append(_row(key, f"Not yet authorised: due by {govuk_date(clock.status.due)}"))
    return rows


def _clock_rows(evidence: RecordEvidence) -> dict[str, list[dict]]:
    """The clocks running now or missed lately (as the record's Next steps shows them), under their area; the
    assessment clock is shown with its history above instead."""
    by_area: dict[str, list[dict]] = defaultdict(list)
    for deadline in evidence.deadlines:
        if deadline.code == "assessment":
            continue
        value = f"{deadline.state_label}: due by {govuk_date(deadline.due)}, {deadline.timing.lower()}"
        if deadline.is_overdue:
            value = format_html(RED + " Due by {}, {}", deadline.state_label, govuk_date(deadline.due),
                                deadline.timing.lower())
        by_area[CLOCK_AREAS.get(deadline.code, PracticeArea.SERVICE_RESPONSE)].append(_row(deadline.what, value))
    return by_area


def _basic_rows(evidence: RecordEvidence) -> list[dict]:
    episodes = evidence.episodes
    rows = [_row("Referrals", plural(len(episodes), "referral") if episodes else "No referral recorded")]
    if episodes:
        latest = episodes[0]
        rows.append(_row("Latest referral", f"Received on {govuk_date(latest.referral_date)}"
                         + (f", closed on {govuk_date(latest.closure_date)}" if latest.closure_date else ", open")))
    allocation = evidence.allocation
    rows.append(_row("Allocated worker", f"{allocation.worker} ({allocation.team.name}) since "
                                         f"{govuk_date(allocation.start_date)}" if allocation else "None"))
    return rows


def _service_rows(evidence: RecordEvidence) -> list[dict]:
    rows = []
    for episode in evidence.episodes[:3]:
        decided = episode.referral_decision_date
        rows.append(_row(f"Referral of {govuk_date(episode.referral_date)}",
                         f"Decided on {govuk_date(decided)}" if decided else "No decision recorded"))
    return rows


def _relationship_rows(evidence: RecordEvidence) -> list[dict]:
    seen = evidence.seen
    return [
        _row("Last seen", _date_or(seen.last_seen, "Not seen on any visit recorded")),
        _row("Last seen alone", _date_or(seen.last_seen_alone, "Not seen alone on any visit recorded")),
        _row("Visits in the last year", f"{plural(seen.visits, 'visit')}, seen on {seen.seen}"),
        _row("Workers who have held the case", str(evidence.workers)),
    ]


def _planning_rows(evidence: RecordEvidence) -> list[dict]:
    rows = []
    for plan in evidence.plans[:4]:
        ended = f", ended on {govuk_date(plan.end_date)}" if plan.end_date else ", open"
        reviews = (f"{plural(plan.review_count, 'review')}, the last on {govuk_date(plan.last_review)}"
                   if plan.review_count else "not reviewed yet")
        rows.append(_row(f"{plan.get_kind_display()} from {govuk_date(plan.start_date)}", f"{ended[2:].capitalize()}; "
                                                                                         f"{reviews}"))
    return rows or [_row("Plans", "No plan recorded")]


def _oversight_rows(evidence: RecordEvidence) -> list[dict]:
    oversight = evidence.oversight
    rows = [_row("Case supervision", f"{plural(oversight.supervisions, 'record')}, the last on "
                                     f"{govuk_date(oversight.last_supervision)}" if oversight.supervisions
                 else "None recorded")]
    if oversight.overdue_supervision_actions:
        rows.append(_row("Supervision actions", format_html(
            RED + " {}", "Overdue", plural(oversight.overdue_supervision_actions, "action"))))
    decisions = oversight.decisions
    last = govuk_date(timezone.localtime(decisions[0].decided_at).date()) if decisions else ""
    rows.append(_row("Management decisions", f"{plural(len(decisions), 'decision')}, the last on {last}"
                     if decisions else "None recorded"))
    return rows


def signal_rows(evidence: RecordEvidence) -> list[dict]:
    """The drift and quality signals found for the child, each with what it means."""
    return [_row(SIGNALS[finding.code].name, finding.explanation) for finding in evidence.findings]


def evidence_by_area(evidence: RecordEvidence) -> dict[str, list[dict]]:
    """Summary-list rows of what the record says, under the practice area each is evidence for."""
    by_area: dict[str, list[dict]] = defaultdict(list)
    by_area[PracticeArea.BASIC_INFORMATION] += _basic_rows(evidence)
    by_area[PracticeArea.SERVICE_RESPONSE] += _service_rows(evidence)
    by_area[PracticeArea.NEED_AND_RISK] += _assessment_rows(evidence)
    by_area[PracticeArea.RELATIONSHIP_WITH_CHILD] += _relationship_rows(evidence)
    by_area[PracticeArea.PLANNING_AND_REVIEW] += _planning_rows(evidence)
    by_area[PracticeArea.OVERSIGHT_AND_SUPERVISION] += _oversight_rows(evidence) + signal_rows(evidence)
    for area, rows in _clock_rows(evidence).items():
        by_area[area] += rows
    return {str(area): rows for area, rows in by_area.items()}


# Audits and their lists ----------------------------------------------------------------------------------


def audit_url(audit: CaseFileAudit, name: str = "quality:audit", **extra) -> str:
    return reverse(name, kwargs={"person_id": audit.child_id, "audit_id": audit.pk, **extra})


def _audit_link(audit: CaseFileAudit):
    return format_html('<a class="govuk-link" href="{}">{}</a>', audit_url(audit), audit.template.name)


def _change_cell(audit: CaseFileAudit, changes: dict[int, Change], blind: frozenset[int]) -> str:
    if audit.re_audit_of_id is None:
        return "Not a re-audit"
    if audit.re_audit_of_id in blind:
        return "Not shown while you moderate the audit it follows"
    found = changes.get(audit.pk)
    return change_text(found) if found else "Not measured until both are completed"


def audits_table(audits, *, caption: str, with_child: bool = True, blind: frozenset[int] = frozenset(),
                 changes: dict[int, Change] | None = None) -> dict:
    """Audits (with child, template and auditor loaded): the tool linking to the audit, the child, who, when,
    and the overall grade or that it is in progress; for an audit the reader is moderating (`blind`), not its
    grade. With `changes` (each completed re-audit's change in overall grade, by id), a column of the change at
    re-audit when any audit listed is a re-audit."""
    with_change = changes is not None and any(audit.re_audit_of_id for audit in audits)
    head = ["Audit", *(["Child"] if with_child else []), "Auditor", "Started", "Status",
            *(["Change in grade at re-audit"] if with_change else [])]
    rows = []
    for audit in audits:
        status = (with_hint(grade_tag(audit.overall_grade), f"Completed on {govuk_date(audit.completed_on)}")
                  if audit.is_completed else "In progress")
        if audit.pk in blind:
            status = "Completed: you are moderating it"
        rows.append([_audit_link(audit), *([audit.child.display_name] if with_child else []), str(audit.auditor),
                     govuk_date(audit.started_on), status,
                     *([_change_cell(audit, changes, blind)] if with_change else [])])
    return table_params(caption=caption, head=head, rows=rows)


def to_moderate_rows(audits) -> list[dict]:
    """Completed audits the reader may moderate: the tool, the auditor, when completed, and where the button to
    start, blind, posts. The child is not named: a QA officer may open her record only once starting samples her."""
    return [{"tool": audit.template.name, "auditor": str(audit.auditor), "completed": govuk_date(audit.completed_on),
             "action": reverse("quality:start_moderation", kwargs={"audit_id": audit.pk})} for audit in audits]


def answer_text(answer: str) -> str:
    return ANSWER_LABELS.get(answer, "Not answered")


def summary_rows(audit: CaseFileAudit, *, blind: bool = False) -> list[dict]:
    """The audit's tool, auditor and dates, and its overall grade (left out for a moderator, who grades blind)."""
    rows = [_row("Audit tool", audit.template.name), _row("Auditor", str(audit.auditor)),
            _row("Started", govuk_date(audit.started_on))]
    if audit.is_completed:
        rows.append(_row("Completed", govuk_date(audit.completed_on)))
        if not blind:
            rows.append(_row("Overall grade", grade_tag(audit.overall_grade)))
    else:
        rows.append(_row("Status", "In progress"))
    return rows


def re_audit_of_text(audit: CaseFileAudit):
    """For a re-audit, a link to the audit it follows (None for a first audit)."""
    if audit.re_audit_of_id is None:
        return None
    earlier = audit.re_audit_of
    return format_html('A re-audit of <a class="govuk-link" href="{}">the audit completed on {}</a>, made once its '
                       'actions were done.', audit_url(earlier), govuk_date(earlier.completed_on))


# The change in grade at re-audit (the audit's measured impact) ----------------------------------------------


def steps_text(steps: int) -> str:
    """'No change', '1 step better', '2 steps worse': on Ofsted's four-point scale."""
    if steps == 0:
        return "No change"
    return f"{plural(abs(steps), 'step')} {'better' if steps > 0 else 'worse'}"


def direction_text(change: Change) -> str:
    """'Improved: 1 step better', 'The same', 'Declined: 2 steps worse'."""
    label = DIRECTION_LABELS[change.direction]
    return f"{label}: {steps_text(change.steps).lower()}" if change.steps else label


def change_text(change: Change) -> str:
    """The change in one grade, in Ofsted's words.

    >>> change_text(Change("requires_improvement", "good", 1))
    'Requires improvement to be good → Good (improved: 1 step better)'
    >>> change_text(Change("good", "good", 0))
    'Good → Good (the same)'
    """
    return f"{GRADE_LABELS[change.before]} → {GRADE_LABELS[change.after]} ({direction_text(change).lower()})"


def change_table(impact: Impact, sections) -> dict:
    """A re-audit's change from the audit it follows: each practice area graded at both (in the tool's order), then
    the overall grade; the grade at each, and the change in steps."""
    rows = [[section.get_area_display(), grade_tag(each.before), grade_tag(each.after), direction_text(each)]
            for section in sections if (each := impact.sections.get(section.pk)) is not None]
    overall = impact.overall
    rows.append([format_html("<strong>{}</strong>", "Overall grade"), grade_tag(overall.before),
                 grade_tag(overall.after), direction_text(overall)])
    return table_params(caption="Change in grade since the audit", caption_classes="govuk-table__caption--m",
                        head=["Practice area", "At the audit", "At the re-audit", "Change"], rows=rows,
                        id="change-in-grade")


def feedback_rows(audit: CaseFileAudit) -> list[dict]:
    return [_row("What the auditor found", audit.summary or "Not recorded"),
            _row("The child’s feedback", audit.childs_feedback or "Not recorded"),
            _row("The family’s feedback", audit.family_feedback or "Not recorded")]


def graded_sections(audit: CaseFileAudit, sections, evidence: dict[str, list[dict]]) -> list[dict]:
    """A completed audit's sections: the grade, comment and answers of each, with the evidence beside it."""
    grades = {row.section_id: row for row in audit.grades.all()}
    answers = {row.question_id: row.answer for row in audit.answers.all()}
    shown = []
    for section in sections:
        graded = grades.get(section.pk)
        shown.append({
            "title": section.get_area_display(), "grade": grade_tag(graded.grade if graded else ""),
            "comment": graded.comment if graded and graded.comment else "No comment",
            "answers": [_row(question.text, answer_text(answers.get(question.pk, "")))
                        for question in section.questions.all()],
            "evidence": evidence.get(section.area, []),
        })
    return shown


# Actions from audits --------------------------------------------------------------------------------------


def action_url(action, name: str = "quality:complete_action") -> str:
    return reverse(name, kwargs={"person_id": action.audit.child_id, "audit_id": action.audit_id,
                                 "audit_action_id": action.pk})


def _action_status(action, today: datetime.date):
    if action.completed_on:
        return with_hint(f"Done on {govuk_date(action.completed_on)}", action.completion_note)
    if action.is_overdue(today):
        return format_html(RED, "Overdue")
    return "Open"


def actions_table(actions, today: datetime.date, *, caption: str, may_complete=None, with_child: bool = False,
                  caption_classes: str = "govuk-table__caption--m") -> dict:
    """Actions (with audit, child and assignee loaded): what, for whom, due by when and whether done or overdue;
    `may_complete(action)` says where a "Mark done" link goes."""
    head = ["Action", *(["Child"] if with_child else []), "For", "Due", "Status"]
    rows = []
    for action in actions:
        status = _action_status(action, today)
        if may_complete is not None and may_complete(action):
            status = format_html('{}<br><a class="govuk-link" href="{}">Mark done<span class="govuk-visually-hidden">'
                                 ': {}</span></a>', status, action_url(action), shortened(action.description))
        child = format_html('<a class="govuk-link" href="{}">{}</a>', audit_url(action.audit),
                            action.audit.child.display_name) if with_child else None
        rows.append([action.description, *([child] if with_child else []), str(action.assignee),
                     govuk_date(action.due_date), status])
    return table_params(caption=caption, caption_classes=caption_classes, head=head, rows=rows)


def auditor_summary_text(summary) -> str:
    """"1 audit in progress; 2 open actions from your audits, 1 overdue", for the auditor's My work."""
    return (f"{plural(summary.in_progress, 'audit')} in progress; "
            f"{plural(summary.open_actions, 'open action')} from your audits, {summary.overdue_actions} overdue")


# Sampling ---------------------------------------------------------------------------------------------------


def sampled_counts_text(counts) -> str:
    """"2 children, 1 audit not completed yet", for the auditor's My work.

    >>> from casefile.quality.sampling import SampledCounts
    >>> sampled_counts_text(SampledCounts(children=1, not_completed=0))
    '1 child, 0 audits not completed yet'
    """
    return (f"{plural(counts.children, 'child', 'children')}, "
            f"{plural(counts.not_completed, 'audit')} not completed yet")


def open_rounds_text(counts) -> str:
    """"1 open round, 3 children in it without an auditor", for My work of those who draw samples.

    >>> from casefile.quality.sampling import OpenRounds
    >>> open_rounds_text(OpenRounds(rounds=2, without_auditor=1))
    '2 open rounds, 1 child in them without an auditor'
    """
    return (f"{plural(counts.rounds, 'open round')}, {plural(counts.without_auditor, 'child', 'children')} in "
            f"{'it' if counts.rounds == 1 else 'them'} without an auditor")


def round_url(audit_round, name: str = "quality:round") -> str:
    return reverse(name, kwargs={"round_id": audit_round.pk})


def start_url(sampled) -> str:
    return reverse("quality:start_sampled", kwargs={"round_id": sampled.round_id, "sampled_id": sampled.pk})


def method_text(audit_round) -> str:
    """'Risk-based, from 42 open cases', 'Random (seed 4711), from 42 open cases: team North'."""
    seed = "" if audit_round.method == "risk" else f" (seed {audit_round.seed})"
    text = f"{audit_round.get_method_display()}{seed}, from {plural(audit_round.candidates, 'open case')}"
    return f"{text}: {audit_round.filters_text}" if audit_round.filters_text else text


def round_status(audit_round) -> str:
    return f"Closed on {govuk_date(audit_round.closed_on)}" if audit_round.is_closed else \
        f"Open: audits due by {govuk_date(audit_round.due_by)}"


def rounds_table(rounds) -> dict:
    """Rounds (with their tool), newest first: the name linking to the round, how drawn, the tool, the status."""
    rows = [[format_html('<a class="govuk-link" href="{}">{}</a>', round_url(item), item.name),
             method_text(item), plural(item.size, "child"), item.template.name,
             item.get_partner_agency_display() if item.partner_agency else "No",
             round_status(item)] for item in rounds]
    return table_params(caption="Rounds of case file audits", id="rounds",
                        head=["Round", "How the children were chosen", "Sample", "Audit tool", "Partner agency",
                              "Status"], rows=rows)


def sampled_status(sampled, user) -> object:
    """Where the child's audit is: not started (with a link to start it for its auditor), in progress or completed
    (linking to the audit)."""
    audit = sampled.audit
    if audit is None:
        if sampled.auditor_id == user.pk and not sampled.round.is_closed:
            return format_html('<a class="govuk-link" href="{}">Start the audit<span class="govuk-visually-hidden">'
                               ' of {}</span></a>', start_url(sampled), sampled.child.full_name)
        return "Not started"
    if audit.is_completed:
        return format_html('<a class="govuk-link" href="{}">Completed on {}</a>', audit_url(audit),
                           govuk_date(audit.completed_on))
    if audit.auditor_id == user.pk:
        return format_html('<a class="govuk-link" href="{}">Continue the audit<span class="govuk-visually-hidden">'
                           ' of {}</span></a>', audit_url(audit, "quality:grade_audit"), sampled.child.full_name)
    return format_html('<a class="govuk-link" href="{}">In progress</a>', audit_url(audit))


def round_children_table(children, user, *, caption: str) -> dict:
    """A round's children (with child, auditor and audit loaded): who, why chosen, the auditor, the audit."""
    rows = [[with_hint(sampled.child.display_name, sampled.child.reference), sampled.reason,
             str(sampled.auditor) if sampled.auditor else "Not assigned yet", sampled_status(sampled, user)]
            for sampled in children]
    return table_params(caption=caption, id="sampled-children",
                        head=["Child", "Why chosen", "Auditor", "Audit"], rows=rows)


def sampled_to_me_table(children, user) -> dict:
    """The children sampled to the user, with the round, its tool and due date, and their audit."""
    rows = [[with_hint(sampled.child.display_name, sampled.child.reference), sampled.round.name,
             sampled.round.template.name, govuk_date(sampled.round.due_by), sampled_status(sampled, user)]
            for sampled in children]
    return table_params(caption="Children sampled to you", id="sampled-to-you",
                        head=["Child", "Round", "Audit tool", "Due by", "Audit"], rows=rows)


def percentage_text(value: float | None) -> str:
    return "No open cases" if value is None else f"{value:.0f}%"


def coverage_table(rows, *, caption: str, id: str, first: str) -> dict:
    return table_params(caption=caption, id=id, head=[first, "Open cases", "Audited in the last 12 months",
                                                      "Coverage"], numeric=(1, 2, 3),
                        rows=[[row.name, f"{row.open:,}", f"{row.audited:,}", percentage_text(row.percentage)]
                              for row in rows])


def coverage_chart(rows):
    """Each team's coverage as a bar out of 100%, with how many of its open cases were audited."""
    return percent_chart("coverage-by-team", "Audit coverage by team, last 12 months",
                         [(item.name, item.percentage, f"{percentage_text(item.percentage)} ({item.audited} of "
                                                       f"{plural(item.open, 'open case')})")
                          for item in rows], empty="No open cases")
