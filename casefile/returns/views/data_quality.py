"""Data quality as you type: a child's census checks (with explanations for queries), the data-quality page of
every child with a problem now, and the notes that go with the return. The rules and who may do what are in
returns/data_quality.py and access/permissions.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.access.records import record_shown, record_view
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core.exports import csv_response
from casefile.core.forms import save_or_show
from casefile.core.methods import allow_methods
from casefile.core.pagination import paginate
from casefile.returns import data_quality
from casefile.returns.census import census_year
from casefile.returns.data_quality_forms import ExplainForm, ProblemFilterForm
from casefile.returns.views.home import refuse_unless_allowed
from casefile.rules.census_projection import UnknownYear


@record_view("GET", "POST")
def child_census(request, person):
    """One child's census checks now; a worker who may change the record explains a query here."""
    may_explain = policy.can_edit(request.user, person)
    if request.method == "POST" and not may_explain:
        raise PermissionDenied("You cannot change this child's record")
    form = ExplainForm(request.POST if request.method == "POST" else None)
    saved = save_or_show(request, form, lambda cleaned: data_quality.explain_query(
        actor=request.user, request=request, person=person, rule=cleaned["rule"],
        explanation=cleaned["explanation"]))
    if saved:
        messages.success(request, f"Your explanation of rule {saved.rule} will go into the census notes")
        return redirect("returns:child_census", person_id=person.pk)
    posted_rule = form.data.get("rule", "") if form.is_bound else ""
    return render(request, "returns/data_quality/child.html", {
        "person": person, "check": data_quality.check_child(person), "form": form, "may_explain": may_explain,
        "posted_rule": posted_rule,
        # Every message points at the one explanation box the person filled in.
        "error_items": [{"text": message, "href": f"#explanation-{posted_rule}"}
                        for messages_ in form.errors.values() for message in messages_],
        "page_title": f"Census checks for {person.full_name}"})


@allow_methods("GET", "POST")
def data_quality_page(request):
    if not permissions.may_see_census_data_quality(request.user):
        raise PermissionDenied(data_quality.CANNOT_SEE)
    check_form = forms.Form(request.POST if request.method == "POST" else None)
    job = save_or_show(request, check_form, lambda cleaned: data_quality.start_check(actor=request.user,
                                                                                     request=request))
    if job:
        return redirect("core:job", job_id=job.pk)
    found = data_quality.latest_check()
    context = {"found": found, "page_title": "Census data quality", "check_form": check_form,
               "may_make_returns": permissions.may_make_returns(request.user),
               "year": data_quality.year_in_progress(timezone.localdate())}
    if found is not None:
        everything = data_quality.problems(request.user, found)
        form = ProblemFilterForm(request.GET or None, teams=[name for name, _ in everything.by_team],
                                 workers=[name for name, _ in everything.by_worker])
        team, worker = form.chosen()
        page = paginate(request, everything.only(team=team, worker=worker))
        record_shown(request, [child.person for child in page.object_list])
        context.update(problems=everything, form=form, page=page, filtered=bool(team or worker))
    return render(request, "returns/data_quality/page.html", context)


@allow_methods("GET")
def census_notes(request):
    """The return's notes: every explanation of a query for a child on the year's return, as CSV."""
    refuse_unless_allowed(request.user)
    try:
        year = census_year(request.GET.get("year", ""))
    except UnknownYear:
        year = data_quality.year_in_progress(timezone.localdate())
    rows = data_quality.notes_rows(year)
    record(Action.EXPORT, request=request, details={"what": "census query notes", "year": year.name,
                                                    "rows": len(rows)})
    return csv_response(f"CIN_census_{year.name.replace('-', '_')}_notes.csv", data_quality.NOTES_COLUMNS, rows)
