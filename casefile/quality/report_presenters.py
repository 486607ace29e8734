"""Wording, rows and charts for moderation, re-audit and the quality reports, so their templates stay simple."""

from __future__ import annotations

import math
from collections import Counter

from django.utils.html import format_html

from casefile.core.charts import percent_chart
from casefile.core.presenters import govuk_date, plural, table_params, with_hint
from casefile.quality.presenters import audit_url, direction_text, grade_tag
from casefile.quality.reports import AREA_LABELS, NO_TEAM, ThemeReport
from casefile.rules.audit_grades import GRADE_LABELS, GRADES, Agreement
from casefile.rules.audit_impact import Summary

KAPPA_SENTENCE = ("Cohen’s kappa is how far the two auditors agree beyond the agreement chance alone would give: "
                  "1 is full agreement, 0 is no better than chance, and below 0 is worse than chance.")


def number(value: float, places: int = 1) -> str:
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def rate_text(agreed: int, total: int) -> str:
    """'75% (3 of 4)', or 'None to compare'."""
    if not total:
        return "None to compare"
    return f"{number(100 * agreed / total)}% ({agreed} of {total})"


def kappa_text(result: Agreement) -> str:
    if result.kappa is None:
        return "Cannot be worked out" if result.pairs else "None to compare"
    return f"{result.kappa:.2f}"


def _agreement_cells(result: Agreement) -> list:
    return [rate_text(result.agreed, result.pairs), kappa_text(result)]


# Moderating an audit -----------------------------------------------------------------------------------------


def comparison_table(moderation, sections, first_grades: dict[int, str], audit) -> dict:
    """Section by section, the first auditor's grade beside the moderator's, and whether they are the same; then
    the overall grades."""
    second = {row.section_id: row for row in moderation.grades.all()}
    rows = []
    for section in sections:
        before, after = first_grades.get(section.pk, ""), getattr(second.get(section.pk), "grade", "")
        comment = getattr(second.get(section.pk), "comment", "")
        rows.append([section.get_area_display(), grade_tag(before),
                     with_hint(grade_tag(after), comment) if comment else grade_tag(after),
                     "Same" if before and before == after else "Different"])
    rows.append([format_html("<strong>{}</strong>", "Overall grade"), grade_tag(audit.overall_grade),
                 grade_tag(moderation.overall_grade),
                 "Same" if audit.overall_grade == moderation.overall_grade else "Different"])
    return table_params(caption=f"{audit.auditor}’s grades beside {moderation.moderator}’s",
                        head=["Practice area", "Auditor", "Moderator", "Agreed"], rows=rows)


def moderation_rows(moderation) -> list[dict]:
    def row(key, value):
        return {"key": {"text": key}, "value": {"html" if hasattr(value, "__html__") else "text": value}}

    rows = [row("Moderator", str(moderation.moderator)), row("Started", govuk_date(moderation.started_on))]
    if moderation.submitted_on:
        rows.append(row("Submitted", govuk_date(moderation.submitted_on)))
    if moderation.comment:
        rows.append(row("What the moderator found", moderation.comment))
    if moderation.outcome:
        rows.append(row("Outcome", f"{moderation.get_outcome_display()}: "
                                   f"{GRADE_LABELS[moderation.final_grade].lower()}, on "
                                   f"{govuk_date(moderation.concluded_on)}"))
    else:
        rows.append(row("Outcome", "Not recorded yet"))
    return rows


# The agreement page ------------------------------------------------------------------------------------------


def agreement_tables(report) -> dict:
    head = ["Grades compared", "Same grade", "Cohen’s kappa"]
    summary = table_params(caption="Agreement between the auditor and the moderator", head=head, rows=[
        ["Overall grade", *_agreement_cells(report.overall)],
        ["Every section", *_agreement_cells(report.sections)]], first_cell_is_header=True, id="agreement-overall")
    sections = table_params(caption="By practice area", head=["Practice area", "Same grade", "Cohen’s kappa"],
                            rows=[[AREA_LABELS.get(area, area), *_agreement_cells(result)]
                                  for area, result in report.by_section],
                            first_cell_is_header=True, id="agreement-by-section")
    templates = table_params(
        caption="By audit tool",
        head=["Audit tool", "Audits moderated", "Same overall grade", "Kappa (overall)", "Same section grade",
              "Kappa (sections)"],
        rows=[[each.name, str(each.moderated), *_agreement_cells(each.overall), *_agreement_cells(each.sections)]
              for each in report.by_template], first_cell_is_header=True, numeric=(1,), id="agreement-by-tool")
    return {"summary": summary, "sections": sections, "templates": templates}


# The impact page ---------------------------------------------------------------------------------------------


def summary_cells(summary: Summary) -> list:
    mean = "" if summary.mean_steps is None else f"{summary.mean_steps:+.2f}"
    return [str(summary.improved), str(summary.same), str(summary.declined), str(summary.total), mean]


SUMMARY_HEAD = ["Improved", "The same", "Declined", "Re-audits", "Mean change in steps"]


def impact_tables(report, shown: set[int]) -> dict:
    """The summary, each practice area's, and each re-audit of a child the reader may open (the others are
    counted in the summaries only)."""
    summary = table_params(caption="Overall grade at re-audit", head=SUMMARY_HEAD,
                           rows=[summary_cells(report.overall)], numeric=(0, 1, 2, 3, 4), id="impact-summary")
    sections = table_params(caption="By practice area", head=["Practice area", *SUMMARY_HEAD],
                            rows=[[AREA_LABELS.get(area, area), *summary_cells(each)]
                                  for area, each in report.by_section],
                            first_cell_is_header=True, numeric=(1, 2, 3, 4, 5), id="impact-by-section")
    rows = []
    for each in report.re_audits:
        if each.re_audit.child_id not in shown:
            continue
        overall = each.impact.overall
        rows.append([
            format_html('<a class="govuk-link" href="{}">{}</a>', audit_url(each.re_audit),
                        each.re_audit.child.display_name),
            each.re_audit.template.name,
            with_hint(grade_tag(overall.before), f"Audited on {govuk_date(each.earlier.completed_on)}"),
            with_hint(grade_tag(overall.after), f"Re-audited on {govuk_date(each.re_audit.completed_on)}"),
            direction_text(overall)])
    re_audits = table_params(caption="Each re-audit, newest first",
                             head=["Child", "Audit tool", "Audit", "Re-audit", "Change"], rows=rows,
                             id="impact-re-audits")
    hidden = len(report.re_audits) - len(rows)
    not_shown = (f"{plural(hidden, 're-audit')} of children whose records you may not open "
                 f"{'is' if hidden == 1 else 'are'} counted above but not listed.") if hidden else ""
    return {"summary": summary, "sections": sections, "re_audits": re_audits if rows else None,
            "not_shown": not_shown}


# The theme report --------------------------------------------------------------------------------------------


def _good_text(good: int, total: int) -> str:
    return "Not graded" if not total else f"{number(100 * good / total)}% ({good} of {total})"


def theme_context(report: ThemeReport) -> dict:
    """The chart of the share of sections graded good or better by practice area, with its table beside, the
    grades by practice area and team, and the most common findings."""
    points = []
    rows = []
    for area in report.areas:
        counts = report.by_area[area]
        good, total = report.good_or_better(counts)
        points.append((AREA_LABELS.get(area, area), 100 * good / total if total else None, _good_text(good, total)))
        rows.append([AREA_LABELS.get(area, area), *(str(counts[code]) for code, _ in GRADES),
                     _good_text(good, total)])
    by_area = table_params(caption="Grades by practice area", head=["Practice area", *(label for _, label in GRADES),
                                                                    "Good or better"],
                           rows=rows, first_cell_is_header=True, numeric=(1, 2, 3, 4), id="themes-by-area")
    team_rows = []
    for area in report.areas:
        cells = []
        for team in report.teams:
            good, total = report.good_or_better(report.by_area_and_team.get((area, team), Counter()))
            cells.append(_good_text(good, total))
        team_rows.append([AREA_LABELS.get(area, area), *cells])
    by_team = table_params(caption="Good or better, by practice area and team",
                           head=["Practice area", *report.teams], rows=team_rows, first_cell_is_header=True,
                           id="themes-by-team")
    findings = table_params(
        caption="The most common findings: questions answered no or partly",
        head=["Question", "Practice area", "No", "Partly", "In all"],
        rows=[[each.question, AREA_LABELS.get(each.area, each.area), str(each.no), str(each.partly),
               str(each.total)] for each in report.findings], numeric=(2, 3, 4), id="themes-findings")
    chart = percent_chart("themes-chart", "Sections graded good or better, by practice area", points)
    return {"chart": chart if points else None, "by_area": by_area if rows else None,
            "by_team": by_team if team_rows else None, "findings": findings if report.findings else None,
            "period": f"{govuk_date(report.start)} to {govuk_date(report.end)}",
            "audits": plural(report.audits, "completed audit"),
            "no_team_note": NO_TEAM in report.teams}


# The audit of audits -----------------------------------------------------------------------------------------


def _days_text(days: float | None) -> str:
    if days is None:
        return ""
    return plural(math.floor(days + 0.5), "day")


def _share_text(part: int, whole: int) -> str:
    return "None" if not whole else f"{number(100 * part / whole)}% ({part} of {whole})"


def auditors_table(records) -> dict:
    rows = [[str(each.auditor), str(each.completed), _days_text(each.mean_days),
             _share_text(each.moderated, each.completed),
             rate_text(each.agreement.agreed, each.agreement.pairs) if each.moderated else "Not moderated",
             str(each.actions_set), _share_text(each.actions_on_time, each.actions_set)]
            for each in records]
    return table_params(caption="Completed audits by auditor",
                        head=["Auditor", "Completed audits", "Mean time to complete", "Moderated",
                              "Same overall grade as the moderator", "Actions set", "Actions done on time"],
                        rows=rows, first_cell_is_header=True, numeric=(1, 5), id="auditors")
