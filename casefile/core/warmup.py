"""What a new gunicorn worker does before it takes its first request (gunicorn.conf.py, post_worker_init).

Django imports the views, forms and presenters when it first resolves a URL, and Jinja compiles a template when a
page first uses it. Left to the first request, a fresh worker's first page took about 2.2 s on the medium authority
(bench/results.md, "Load"), and gunicorn starts a fresh worker every 2,000 requests or so. Done here, the person it
serves first waits for none of it. No database query: the worker has not opened a connection yet.
"""

from __future__ import annotations

from django.template import engines
from django.urls import get_resolver

# Templates every page uses: the layout, the service's components and the GOV.UK macros. A page's own template is
# small and is compiled when first used.
SHARED_TEMPLATES = ("layouts/", "components/", "govuk_frontend_jinja/")


def warm_up() -> list[str]:
    """Import every view through the URLconf and compile the shared templates; the templates' names."""
    get_resolver().reverse_dict  # noqa: B018 - reading it imports every app's URLs and views, and indexes them
    environment = engines["jinja2"].env
    names = [name for name in environment.list_templates(filter_func=lambda name: name.endswith(".html"))
             if name.startswith(SHARED_TEMPLATES)]
    for name in names:
        environment.get_template(name)
    return names
