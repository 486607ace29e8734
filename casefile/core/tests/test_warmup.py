"""A new worker warms up before its first request: every view imported, the shared templates compiled, and no
database query (gunicorn.conf.py runs it in each worker before it takes requests)."""

import runpy
from pathlib import Path

import pytest
from django.template import engines
from django.urls import clear_url_caches, get_resolver

from casefile.core.warmup import warm_up

pytestmark = pytest.mark.django_db

GUNICORN_CONF = Path(__file__).resolve().parents[3] / "gunicorn.conf.py"


def _compiled(name: str) -> bool:
    environment = engines["jinja2"].env
    return any(key[1] == name for key in environment.cache.keys())


def test_the_shared_templates_are_compiled_and_every_view_imported_without_a_query(django_assert_num_queries):
    engines["jinja2"].env.cache.clear()
    clear_url_caches()
    with django_assert_num_queries(0):
        names = warm_up()
    assert {"layouts/base.html", "components/forms.html", "govuk_frontend_jinja/template.html"} <= set(names)
    assert all(_compiled(name) for name in names)
    assert not any(name.startswith("people/") for name in names)  # a page's own template waits for its page
    assert get_resolver()._populated


def test_gunicorn_runs_it_in_each_new_worker():
    engines["jinja2"].env.cache.clear()
    settings = runpy.run_path(str(GUNICORN_CONF))
    settings["post_worker_init"](worker=None)
    assert _compiled("layouts/base.html")
