"""How many searches and duplicate checks one person may make: a limit per user per minute.

A search or duplicate check answers "is this person recorded?", so a script (or a curious user) typing NHS
numbers could map the records it may not open. Each lookup counts against its user in Django's cache, in a
fixed one-minute window; past CASEFILE_LOOKUP_RATE_LIMIT the lookup is refused with Throttled, which
ThrottleMiddleware answers with a 429 page saying when to try again. The first refusal in a window is audited,
so a burst is on the record once, not once per refused request.

Counts live in the configured cache: production runs several processes, so it needs a cache they share
(docs/architecture.md, Access).
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from casefile.audit.models import Action
from casefile.audit.services import record

WINDOW_SECONDS = 60
WHAT = "searches and duplicate checks"


class Throttled(Exception):
    """A refused lookup. The first refusal in a window is audited where it is answered (ThrottleMiddleware), after
    the view's transaction has rolled back, so the audit event is not rolled back with the refused write."""

    def __init__(self, retry_after: int, *, first: bool = False, limit: int = 0):
        super().__init__(f"Too many {WHAT}: try again in {retry_after} seconds")
        self.retry_after = retry_after
        self.first = first
        self.limit = limit


def count_lookup(user, request=None) -> None:
    """Count one search or duplicate check by this user; refuse it (Throttled) past the limit."""
    if not (user is not None and user.is_authenticated):
        return
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"casefile:lookups:{user.pk}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    made = cache.incr(key)
    limit = settings.CASEFILE_LOOKUP_RATE_LIMIT
    if made <= limit:
        return
    retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
    if made == limit + 1 and request is None:
        audit_burst(user, None, limit)
    raise Throttled(retry_after, first=made == limit + 1 and request is not None, limit=limit)


def audit_burst(user, request, limit: int) -> None:
    record(Action.ACCESS_DENIED, actor=user, request=request,
           details={"throttled": WHAT, "limit": limit, "window_seconds": WINDOW_SECONDS,
                    "path": request.path if request is not None else ""})


class ThrottleMiddleware:
    """A refused lookup answers 429 with a GOV.UK page that says when to try again, and a Retry-After header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Throttled):
            return None
        if exception.first:
            audit_burst(request.user, request, exception.limit)
        response = render(request, "core/errors/429.html", {
            "page_title": "You have searched too many times", "retry_after": exception.retry_after,
            "limit": settings.CASEFILE_LOOKUP_RATE_LIMIT, "window_seconds": WINDOW_SECONDS,
        }, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response
