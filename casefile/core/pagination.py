"""Lists longer than a page are paged, never cut off: every list view takes its page from here, and its template
shows the count and the page links with `components/pagination.html`."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def paginate(request, items, per_page: int = PAGE_SIZE) -> Page:
    """The page asked for in ?page= (the last page for a number past the end, the first for anything else)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
