"""The CIN census export: choose the census year, a background job builds and checks the file, then the person who
asked downloads it (each download audited as the export)."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core.methods import allow_methods
from casefile.returns import census, census_tasks
from casefile.returns.views.home import refuse_unless_allowed
from casefile.rules.census_projection import latest_complete_year


def default_year() -> str:
    """The latest complete census year Casefile exports (the newest it knows, before the first is complete)."""
    latest = latest_complete_year(timezone.localdate())
    return latest if latest in census.YEARS else census.YEARS[0 if latest < census.YEARS[0] else -1]


class CensusYearForm(forms.Form):
    year = forms.ChoiceField(
        label="Which census year?", widget=forms.RadioSelect,
        choices=[(year, f"{year} (1 April {year[:4]} to 31 March {int(year[:4]) + 1})") for year in census.YEARS],
        error_messages={"required": "Select the census year", "invalid_choice": "Select a census year from the list"},
    )


@allow_methods("GET", "POST")
def census_export(request):
    refuse_unless_allowed(request.user)
    form = CensusYearForm(request.POST or None, initial={"year": default_year()})
    if request.method == "POST" and form.is_valid():
        job = census_tasks.export_in_background(actor=request.user, year=form.cleaned_data["year"])
        return redirect("core:job", job_id=job.pk)
    return render(request, "returns/census/export.html", {"form": form, "page_title": "Export the CIN census"})


@allow_methods("GET")
def census_download(request, job_id):
    """The file a job made, for the person who asked, while they may still make returns: audited as the export."""
    refuse_unless_allowed(request.user)
    job = census_tasks.finished_export(request.user, job_id)
    if job is None:
        raise Http404("No such export")
    record(Action.EXPORT, request=request, reason="CIN census return", details={
        "page": "returns:census_download", "return": "cin_census", "year": job.details.get("year"),
        "format": "xml", "bytes": job.details.get("bytes"), "job": str(job.pk)})
    response = HttpResponse(bytes(job.result_file), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{job.result_filename}"'
    return response
