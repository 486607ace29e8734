"""Which HTTP methods a page serves. Every view in Casefile says so, and any other method is refused with 405.

A page that answered every method would show itself (and skip its audit) to OPTIONS, PUT or DELETE, which need
no CSRF token. HEAD is served wherever GET is, as HTTP expects: the view runs in full, so the page's audit event
is written as for GET (the server only leaves the body out). `access/tests/test_url_sweep.py` fails on a view
that does not declare its methods.
"""

from __future__ import annotations

import functools

from django.shortcuts import render

KNOWN = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def served(*methods: str) -> frozenset[str]:
    """The methods a page declares, with HEAD wherever GET is."""
    if not methods or not set(methods) <= KNOWN:
        raise TypeError(f"Say which methods the page serves, from {sorted(KNOWN)}: got {methods}")
    return frozenset(methods) | ({"HEAD"} if "GET" in methods else set())


def not_allowed(request, allowed: frozenset[str]):
    """405 in the service's layout, naming the methods the page does serve (the Allow header HTTP requires)."""
    response = render(request, "core/errors/405.html", {"page_title": "This page cannot be used that way"},
                      status=405)
    response["Allow"] = ", ".join(sorted(allowed))
    return response


def allow_methods(*methods: str):
    """`@allow_methods("GET", "POST")`: serve only these (and HEAD with GET); 405 for anything else, before the
    view runs, so nothing is read or written."""
    allowed = served(*methods)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in allowed:
                return not_allowed(request, allowed)
            return view(request, *args, **kwargs)

        wrapped.allowed_methods = allowed
        return wrapped

    return decorator
