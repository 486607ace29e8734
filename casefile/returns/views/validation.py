"""The CIN census validator's pages: upload a file (or validate one of Casefile's own exports), follow the job
(core:job), then the results, paged and filtered, with CSV and xlsx downloads. Analysts and administrators only
(permissions.may_make_returns); a person sees only the validations they started. Every upload, result page and
download is audited (returns/validation.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from casefile.access import permissions
from casefile.access.records import record_shown
from casefile.core.exports import csv_response
from casefile.core.forms import save_or_show, uploaded
from casefile.core.methods import allow_methods
from casefile.core.pagination import paginate
from casefile.returns import census_tasks, validation, validation_presenters, validation_tasks
from casefile.returns.models import CensusValidation
from casefile.returns.validation_forms import ResultFilterForm, UploadForm, YearForm

RECENT = 10


def _may_validate(request) -> None:
    if not permissions.may_make_returns(request.user):
        raise PermissionDenied(validation.CANNOT_VALIDATE)


def _upload_page(request, form: UploadForm):
    recent = (CensusValidation.objects.filter(started_by=request.user, job__isnull=False)
              .select_related("job")[:RECENT])
    return render(request, "returns/validation/upload.html", {
        "form": form, "recent_table": validation_presenters.recent_table(recent) if recent else None,
        "limit": validation.limit_text(), "navigation_active": "returns", "page_title": "Validate a CIN census file"})


@allow_methods("GET", "POST")
def validate_upload(request):
    _may_validate(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    upload, data = uploaded(request, settings.CASEFILE_CIN_UPLOAD_MAX_BYTES)
    job = save_or_show(request, form, lambda cleaned: validation_tasks.start_upload(
        actor=request.user, request=request, data=data, filename=upload.name, year=cleaned["year"]))
    if job:
        return redirect("core:job", job_id=job.pk)
    if request.method == "POST" and upload is not None:
        validation.audit_refused(request=request, filename=upload.name, size=upload.size,
                                 problems=[str(message) for messages in form.errors.values() for message in messages])
    return _upload_page(request, form)


@allow_methods("POST")
def validate_export(request, job_id):
    """Validate one of Casefile's own census exports, from its result."""
    _may_validate(request)
    form = YearForm(request.POST)
    job = save_or_show(request, form, lambda cleaned: validation_tasks.start_for_export(
        actor=request.user, request=request, job_id=job_id, year=cleaned.get("year", "")))
    if not job:
        raise Http404("No such export")
    return redirect("core:job", job_id=job.pk)


def _found(request, job_id) -> CensusValidation:
    found = validation.results_for(request.user, job_id)
    if found is None:
        _may_validate(request)
        raise Http404("No such validation")
    return found


def url_for_download(export) -> str:
    return reverse("returns:census_download", kwargs={"job_id": export.pk}) if export else ""


def _filtered(request, found: CensusValidation):
    form = ResultFilterForm(request.GET or None, codes=[code for code, _ in validation.rule_counts(found)])
    filters = form.filters()
    return form, filters, filters.apply(validation.issues_of(found))


@allow_methods("GET")
def validation_results(request, job_id):
    found = _found(request, job_id)
    form, filters, rows = _filtered(request, found)
    page = paginate(request, rows)
    links = validation.linked_children(request.user, [row.child for row in page])
    # One event for the page: the validation it showed, and the children it linked to.
    record_shown(request, list(links.values()), subject=found)
    query = request.GET.urlencode()
    # Casefile's own export, checked as it was made: its file is offered here while the job keeps it.
    made = census_tasks.finished_export(request.user, found.job_id) if found.source == found.Source.EXPORT else None
    return render(request, "returns/validation/results.html", {
        "found": found, "form": form, "filters": filters, "page": page, "navigation_active": "returns",
        "download_url": url_for_download(made),
        "issues_table": validation_presenters.issues_table(list(page), links),
        "rule_counts_table": validation_presenters.rule_counts_table(found),
        "query": f"?{query}" if query else "",
        "page_title": f"Validation of {found.filename}"})


@allow_methods("GET")
def validation_csv(request, job_id):
    found = _found(request, job_id)
    _, filters, rows = _filtered(request, found)
    validation.audit_download(request=request, validation=found, file_format="csv", filters=filters, rows=len(rows))
    return csv_response(validation.download_name(found, "csv"), validation.COLUMNS, (row.cells() for row in rows))


@allow_methods("GET")
def validation_xlsx(request, job_id):
    found = _found(request, job_id)
    _, filters, rows = _filtered(request, found)
    validation.audit_download(request=request, validation=found, file_format="xlsx", filters=filters, rows=len(rows))
    response = HttpResponse(validation.xlsx_bytes(rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{validation.download_name(found, "xlsx")}"'
    response["Cache-Control"] = "no-store"
    return response
