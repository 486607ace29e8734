"""Where a form posted from a page goes back to afterwards."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def posted_back(request, default: str) -> str:
    """The form's `back` address if it is a path on this site (never another site's, which would make the form an
    open redirect), else `default`."""
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
        return default
    return back
