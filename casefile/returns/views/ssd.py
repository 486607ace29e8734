"""The Standard Safeguarding Dataset export (child-protection tables as CSV files in a zip, with a data dictionary):
start it, follow it in the background, download it. Performance analysts and administrators only; asking and
each download are audited (returns/tasks.py)."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render

from casefile.core.methods import allow_methods
from casefile.returns import tasks
from casefile.returns.presenters_jobs import recent_table
from casefile.returns.views.home import refuse_unless_allowed
from casefile.rules import ssd as spec


class StartForm(forms.Form):
    """Nothing to choose: the export is of the whole record as it stands. The form carries the one-time token."""


@allow_methods("GET", "POST")
def ssd(request):
    refuse_unless_allowed(request.user)
    form = StartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        job = tasks.start_ssd(actor=request.user, request=request)
        return redirect("core:job", job_id=job.pk)
    return render(request, "returns/ssd/start.html", {
        "form": form, "tables": list(spec.TABLES), "page_title": "Standard Safeguarding Dataset export",
        "recent": recent_table(tasks.recent(request.user, tasks.SSD), "returns:ssd_download"),
    })


@allow_methods("GET")
def ssd_download(request, job_id):
    refuse_unless_allowed(request.user)
    job = tasks.finished(request.user, job_id, tasks.SSD)
    if job is None:
        raise Http404("No such export")
    tasks.audit_download(request, job)
    return tasks.file_response(job, "application/zip")
