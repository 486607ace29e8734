"""/returns/: what statutory returns and inspection lists there are, for those who may make them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from casefile.access import permissions
from casefile.core.methods import allow_methods

REFUSAL = "Only performance analysts and administrators make statutory returns"


def refuse_unless_allowed(user) -> None:
    """Every returns page refuses the same way, before anything is filled in (a 403 with the reason)."""
    if not permissions.may_make_returns(user):
        raise PermissionDenied(REFUSAL)


@allow_methods("GET")
def home(request):
    refuse_unless_allowed(request.user)
    return render(request, "returns/home.html", {"page_title": "Statutory returns"})
