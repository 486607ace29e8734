"""The validator's results as tables: the counts by rule, and the issues with a link to the child's record
when the child is one of ours that the user may see."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html

from casefile.core.presenters import govuk_datetime, plural, table_params
from casefile.returns import validation


def rule_counts_table(found: validation.CensusValidation) -> dict:
    rows = []
    for code, entry in validation.rule_counts(found):
        href = f"?rule={code}"
        rows.append([format_html('<a class="govuk-link" href="{}">{}</a>', href, code),
                     validation.KIND_LABELS[entry["kind"]], entry["message"], f"{entry['count']:,}"])
    return table_params(head=["Rule", "Error or query", "Message", "Issues"], rows=rows, numeric=(3,),
                        caption="Issues by rule", id="rule-counts")


def issues_table(rows: list[validation.IssueRow], links: dict[str, int]) -> dict:
    cells = []
    for row in rows:
        person_id = links.get(row.child)
        child = (format_html('<a class="govuk-link" href="{}">{}</a>', reverse("people:record",
                             kwargs={"person_id": person_id}), row.child) if person_id else row.child or "(the return)")
        field = f"{row.table}: {row.fields}" if row.fields else row.table
        cells.append([child, field, row.value, row.code, row.kind_label, row.message])
    return table_params(head=["LA child ID", "Field", "Value", "Rule", "Error or query", "Message"], rows=cells,
                        caption="Issues", id="issues")


def recent_table(recent) -> dict:
    """The person's latest validations, each linked to its results (or its job while it runs or if it failed)."""
    rows = []
    for found in recent:
        job = found.job
        if found.checked:
            status = f"{plural(found.errors, 'error')}, {plural(found.queries, 'query', 'queries')}"
            href = reverse("returns:validation_results", kwargs={"job_id": job.pk})
        else:
            status = job.get_status_display()
            href = reverse("core:job", kwargs={"job_id": job.pk})
        rows.append([format_html('<a class="govuk-link" href="{}">{}</a>', href, found.filename), found.year,
                     govuk_datetime(found.created_at), status])
    return table_params(head=["File", "Census year", "Checked", "Result"], rows=rows,
                        caption="Your latest validations", id="recent")
