from django.http import Http404
from django.shortcuts import render

from casefile.access import policy
from casefile.access.records import record_view
from casefile.audit.models import VIEWING_ACTIONS, AuditEvent
from casefile.core.pagination import paginate


@record_view("GET")
def viewers(request, person):
    """Who has viewed, exported or printed this record: for managers and administrators."""
    if not policy.can_see_viewers(request.user):
        raise Http404("No record found")
    events = (
        AuditEvent.objects.filter(child=person, action__in=VIEWING_ACTIONS)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )
    page = paginate(request, events)
    context = {"person": person, "page": page, "page_title": "Who has viewed this record"}
    return render(request, "audit/viewers.html", context)
