"""The manager's queue page: everything waiting for their sign-off (oversight/queue.py)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import path

from casefile.access import permissions
from casefile.access.records import record_shown
from casefile.core.methods import allow_methods
from casefile.core.pagination import paginate
from casefile.oversight import presenters
from casefile.oversight.queue import manager_queue, queue_counts


@allow_methods("GET")
def queue(request):
    """Everything waiting for this manager's sign-off, longest waiting first, a page at a time."""
    if not permissions.may_see_manager_queue(request.user):
        raise Http404("No such page")
    items = manager_queue(request.user, request=request)
    page = paginate(request, items)
    record_shown(request, [item.child for item in page.object_list])
    return render(request, "oversight/queue.html", {
        "page": page, "counts": queue_counts(items), "queue_table": presenters.queue_table(page.object_list),
        "page_title": "Waiting for you",
    })


urlpatterns = [path("waiting-for-you/", queue, name="queue")]
