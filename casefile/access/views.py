from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from casefile.access.forms import RestrictedReasonForm
from casefile.access.records import get_person_for, remember_reason
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core.methods import allow_methods


@allow_methods("GET", "POST")
def restricted_reason(request, person_id: int):
    """Ask why a named user is opening a restricted record, and record the answer before showing it."""
    person = get_person_for(request, person_id)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    form = RestrictedReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record(Action.RESTRICTED_ACCESS, request=request, subject=person, child=person,
               reason=form.cleaned_data["reason"])
        remember_reason(request, person)
        return redirect(next_url)
    return render(request, "access/restricted_reason.html", {"form": form, "next": next_url})
