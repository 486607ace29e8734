"""The one way a view opens a person's record, and the way a list of people shown is audited.

`@record_view("GET")` (or `@record_view("GET", "POST", edit=True)`) on any view with a `person_id` URL argument:
- answers 404 unless the access policy lets the user see (or, with edit=True, change) the record,
  so nobody learns that a record they may not see exists, and unless this page of it is theirs to open
  (policy.can_open_page: a partner agency opens only the items shared with it);
- then serves only the methods named (HEAD with GET), and answers 405 to any other before the view runs;
- sends a merged record's URL to the record it was merged into;
- on a restricted record, asks for a reason first, and again after REASON_VALID_SECONDS;
- writes a VIEW audit event for every response that shows the page, whatever the method (a POST whose form
  comes back with its errors shows the record too); a redirect shows nothing, and a write is audited by its
  service;
- passes the Person to the view as `person`.

`record_shown(request, people)` audits a list or search results: one event naming the ids of the people on the
page shown, so a list costs one write however long it is.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from casefile.access import policy
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core.methods import not_allowed, served
from casefile.core.prepared import prepared
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


@prepared
def _person(person_id: int):
    """The person by id (built and compiled once: every page of a record asks)."""
    return Person._default_manager.filter(pk=person_id)


def get_person_for(request, person_id: int, *, edit: bool = False) -> Person:
    """The person, if this user may see (or change) them; otherwise 404."""
    found = _person(person_id)
    if not found:
        raise Http404("No Person matches the given query.")
    person = found[0]
    allowed = policy.can_edit(request.user, person) if edit else policy.can_view(request.user, person)
    if not allowed:
        record(Action.ACCESS_DENIED, request=request, subject=person, child=person,
               details={"path": request.path, "edit": edit})
        raise Http404("No record found")
    return person


def shows_page(response) -> bool:
    """A response that shows a page (a form with its errors, a PDF, a refusal), not a redirect to another."""
    return not 300 <= response.status_code < 400


def _page_name(request) -> str:
    return request.resolver_match.view_name if request.resolver_match else request.path


def record_shown(request, people: Iterable[Person | int], *, subject=None) -> None:
    """Audit the people a list or search shows: the ids of those on the page shown, in one event's details.

    Nothing is written for an empty list (no record was read) unless the page is about a `subject` (a police
    file's preview shows the police's details of children before any record matches them)."""
    ids = sorted({item if isinstance(item, int) else item.pk for item in people})
    if ids or subject is not None:
        record(Action.VIEW, request=request, subject=subject,
               details={"page": _page_name(request), "method": request.method, "shown": ids})


def record_view(*methods: str, edit: bool = False, audit_action: Action = Action.VIEW):
    """`methods` are those the page serves ("GET", "POST"): required, so no page serves a method by default."""
    allowed = served(*methods)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, person_id: int, *args, **kwargs):
            person = get_person_for(request, person_id, edit=edit)
            if not policy.can_open_page(request.user, person, request.resolver_match.view_name):
                # A partner agency opens only the items shared with it: the rest reads as never shared.
                record(Action.ACCESS_DENIED, request=request, subject=person, child=person,
                       details={"path": request.path, "not_shared": request.resolver_match.view_name})
                raise Http404("No record found")
            # After the policy: someone who may not see the record gets 404 whatever the method.
            if request.method not in allowed:
                return not_allowed(request, allowed)
            if person.merged_into_id is not None and request.method in ("GET", "HEAD"):
                return redirect(request.resolver_match.view_name, person_id=person.merged_into_id, **kwargs)
            if person.is_restricted and not reason_given_recently(request, person):
                url = reverse("access:restricted_reason", kwargs={"person_id": person.pk})
                return redirect(f"{url}?next={request.get_full_path()}")
            response = view(request, *args, person=person, **kwargs)
            if shows_page(response):
                record(audit_action, request=request, subject=person, child=person,
                       details={"page": _page_name(request), "method": request.method})
            return response

        wrapped.allowed_methods = allowed
        wrapped.record_view = True  # the URL sweep test checks every person_id view has this
        return wrapped

    return decorator
