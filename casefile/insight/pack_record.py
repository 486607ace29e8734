"""What a self-evaluation pack reads from the record, in a fixed number of queries, as the plain rows insight/pack.py
works from: the indicators for the whole authority (insight/cohort.py), the case file audits completed in the
period with their section grades and actions, the re-audits completed in it, and the quality signals of the
children held at the period's end (oversight/signals.py, as the practice-quality page counts them)."""

from __future__ import annotations

from casefile.insight import clinic, cohort
from casefile.insight import pack as rules
from casefile.oversight import signals as oversight
from casefile.quality import reports as quality_reports
from casefile.quality.models import CaseFileAudit, CaseFileAuditAction, PracticeArea, SectionGrade
from casefile.rules.indicators import Period
from casefile.rules.signals import SIGNALS


def indicators(period: Period) -> list:
    """Each clinic indicator for the whole authority over the period."""
    record = cohort.load(period.end)
    found = clinic.figures(record, [period], clinic.Scope())
    return [(figure.indicator, figure.result) for figure in found]


def audits(period: Period) -> tuple[list[rules.AuditRow], list[rules.GradeRow], list[rules.ActionRow]]:
    """Case file audits completed in the period, their sections' grades and the actions they set. Three queries."""
    completed = CaseFileAudit.objects.filter(status=CaseFileAudit.Status.COMPLETED,
                                             completed_on__range=(period.start, period.end))
    audit_rows = [rules.AuditRow(pk, grade) for pk, grade in completed.order_by().values_list("pk", "overall_grade")]
    grade_rows = [rules.GradeRow(*row) for row in SectionGrade.objects.filter(audit__in=completed).order_by()
                  .values_list("audit_id", "section__area", "grade")]
    action_rows = [rules.ActionRow(*row) for row in CaseFileAuditAction.objects.filter(audit__in=completed)
                   .order_by().values_list("due_date", "completed_on")]
    return audit_rows, grade_rows, action_rows


def re_audits(period: Period) -> tuple:
    """The re-audits completed in the period, summarised overall and by practice area as the impact page does (the
    same read, for the period). Two queries."""
    report = quality_reports.impact_report(period.start, period.end)
    return report.overall, report.by_section


def areas() -> list[tuple[str, str]]:
    return [(area.value, area.label) for area in PracticeArea]


def signals(period: Period, request=None) -> dict:
    """Children held at the period's end (or whose case closed within it), with their signals as at that day,
    looking back over the period: the practice-quality page's counts for every team."""
    ctx = oversight.context(today=period.end, since=period.start, request=request)
    held = oversight.holders(ctx)
    tally = oversight.overall(oversight.signals_for_children(held, ctx))
    return rules.signal_counts(tally.by_signal, {code: signal.name for code, signal in SIGNALS.items()},
                               tally.children, tally.with_signals)
