"""Ofsted Annex A lists 1 to 7: choose the inspection date, make the workbook in the background, download it.
Performance analysts and administrators only (permissions.may_make_returns); everyone else is refused before
filling anything in. Asking and each download are audited (returns/tasks.py)."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render

from casefile.core.forms import GovukDateField
from casefile.core.methods import allow_methods
from casefile.returns import tasks
from casefile.returns.presenters_jobs import recent_table
from casefile.returns.views.home import refuse_unless_allowed
from casefile.rules import annex_a as rules

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class InspectionForm(forms.Form):
    inspection_date = GovukDateField(
        label="Inspection date", help_text="The lists cover the 6 months before it. For example, 27 3 2026")


@allow_methods("GET", "POST")
def annex_a(request):
    refuse_unless_allowed(request.user)
    form = InspectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        job = tasks.start_annex_a(actor=request.user, request=request,
                                  inspection=form.cleaned_data["inspection_date"])
        return redirect("core:job", job_id=job.pk)
    return render(request, "returns/annex_a/start.html", {
        "form": form, "lists": rules.LISTS, "page_title": "Ofsted Annex A lists 1 to 7",
        "recent": recent_table(tasks.recent(request.user, tasks.ANNEX_A), "returns:annex_a_download"),
    })


@allow_methods("GET")
def annex_a_download(request, job_id):
    """The workbook a job made, for the person who asked for it, while they may still make returns."""
    refuse_unless_allowed(request.user)
    job = tasks.finished(request.user, job_id, tasks.ANNEX_A)
    if job is None:
        raise Http404("No such workbook")
    tasks.audit_download(request, job)
    return tasks.file_response(job, XLSX)
