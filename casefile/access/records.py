"""The one way a view opens a person's record.

`@record_view()` on any view with a `person_id` URL argument:
- answers 404 unless the access policy lets the user see (or, with edit=True, change) the record,
  so nobody learns that a record they may not see exists, and unless this page of it is theirs to open
  (policy.can_open_page: a partner agency opens only the items shared with it);
- sends a merged record's URL to the record it was merged into;
- on a restricted record, asks for a reason first, and again after REASON_VALID_SECONDS;
- writes a VIEW audit event for every GET, so every look at a record is on the audit trail;
- passes the Person to the view as `person`.
"""

from __future__ import annotations

import functools
import time

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from casefile.access import policy
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.people.models import Person

REASON_VALID_SECONDS = 15 * 60
_SESSION_KEY = "casefile_restricted_reasons"


def reason_given_recently(request, person: Person) -> bool:
    given_at = request.session.get(_SESSION_KEY, {}).get(str(person.pk))
    return given_at is not None and time.time() - given_at < REASON_VALID_SECONDS


def remember_reason(request, person: Person) -> None:
    reasons = request.session.get(_SESSION_KEY, {})
    reasons[str(person.pk)] = time.time()
    request.session[_SESSION_KEY] = reasons


def get_person_for(request, person_id: int, *, edit: bool = False) -> Person:
    """The person, if this user may see (or change) them; otherwise 404."""
    person = get_object_or_404(Person, pk=person_id)
    allowed = policy.can_edit(request.user, person) if edit else policy.can_view(request.user, person)
    if not allowed:
        record(Action.ACCESS_DENIED, request=request, subject=person, child=person,
               details={"path": request.path, "edit": edit})
        raise Http404("No record found")
    return person


def record_view(*, edit: bool = False, audit_action: Action = Action.VIEW):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, person_id: int, *args, **kwargs):
            person = get_person_for(request, person_id, edit=edit)
            if not policy.can_open_page(request.user, person, request.resolver_match.view_name):
                # A partner agency opens only the items shared with it: the rest reads as never shared.
                record(Action.ACCESS_DENIED, request=request, subject=person, child=person,
                       details={"path": request.path, "not_shared": request.resolver_match.view_name})
                raise Http404("No record found")
            if person.merged_into_id is not None and request.method == "GET":
                return redirect(request.resolver_match.view_name, person_id=person.merged_into_id, **kwargs)
            if person.is_restricted and not reason_given_recently(request, person):
                url = reverse("access:restricted_reason", kwargs={"person_id": person.pk})
                return redirect(f"{url}?next={request.get_full_path()}")
            if request.method == "GET":
                record(audit_action, request=request, subject=person, child=person,
                       details={"page": request.resolver_match.view_name})
            return view(request, *args, person=person, **kwargs)

        wrapped.record_view = True  # the URL sweep test checks every person_id view has this
        return wrapped

    return decorator
