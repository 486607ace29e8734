"""The one way a front-door view opens its pages and the contacts in them.

- `@front_door_view("GET")` (naming the methods the page serves) on every view in this app: only front-door
  staff (practitioners, and the social workers and managers of a front-door team) and administrators get past
  it; anyone else gets a 404 and an ACCESS_DENIED audit event, so nobody learns
  what is waiting at the front door. To them, any method the page does not serve answers 405.
- `contact_for(request, contact_id)` loads a contact only if the access policy lets the user see every child on
  it (or change a contact about each: policy.can_change_contact_about). When the view's response shows a page
  (whatever the method: a form returned with its errors shows the contact too), `front_door_view` writes a
  VIEW audit event for each child on each contact loaded, because a contact page shows each child's history. A
  redirect shows nothing: a write is audited by its service.
"""

from __future__ import annotations

import functools

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from casefile.access import permissions, policy
from casefile.access.records import shows_page
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core.methods import not_allowed, served
from casefile.frontdoor.models import Contact
from casefile.people.models import Person


def visible_child(user, child: str = "child_id") -> Exists:
    """True for a row whose child (the `child` column) this user may see: every front-door list keeps only these.

    A correlated EXISTS asks the access policy about the listed rows' children only. Excluding "every child the
    user may not see" instead made SQLite list the whole people table first: 200 ms on a large authority."""
    return Exists(policy.viewable_people(user, Person.objects.filter(pk=OuterRef(child))))


# The contacts (and their children) the view loaded with contact_for, audited once its response shows a page.
_LOADED = "casefile_contacts_shown"


def front_door_view(*methods: str):
    """`methods` are those the page serves ("GET", "POST"): required, so no page serves a method by default."""
    allowed = served(*methods)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not permissions.may_use_front_door(request.user):
                record(Action.ACCESS_DENIED, request=request, details={"path": request.path})
                raise Http404("Page not found")
            if request.method not in allowed:  # after the check: nobody else learns even which methods
                return not_allowed(request, allowed)
            setattr(request, _LOADED, [])
            response = view(request, *args, **kwargs)
            if shows_page(response):
                for contact, child in getattr(request, _LOADED):
                    record(Action.VIEW, request=request, subject=contact, child=child,
                           details={"path": request.path, "method": request.method})
            return response

        wrapped.allowed_methods = allowed
        wrapped.front_door_view = True
        return wrapped

    return decorator


def contact_for(request, contact_id: int, *, edit: bool = False, audit: bool = True) -> Contact:
    """The contact, if this user may see (or change) every child on it; otherwise 404."""
    contact = get_object_or_404(Contact.objects.select_related("household", "holder", "recorded_by"), pk=contact_id)
    children = [link.child for link in contact.children.select_related("child")]
    allowed = policy.can_change_contact_about if edit else policy.can_view
    for child in children:
        if not allowed(request.user, child):
            record(Action.ACCESS_DENIED, request=request, subject=contact, child=child,
                   details={"path": request.path, "edit": edit})
            raise Http404("No contact found")
    if audit:
        getattr(request, _LOADED).extend(  # only inside @front_door_view, which audits them
            (contact, child) for child in children)
    return contact
