"""Both databases keep their compiled statements (ADR 0026): the tests run with the options production has."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


def test_the_connection_keeps_compiled_statements():
    options = connection.settings_dict["OPTIONS"]
    if connection.vendor == "postgresql":
        assert options["server_side_binding"] is True and options["prepare_threshold"] == 5
    else:
        assert options["cached_statements"] == 1024


def _options_with(environment: dict) -> str:
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x", "CASEFILE_AUDIT_KEY": "k" * 32,
           **environment}
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code],  # noqa: S603
                         capture_output=True, text=True, env=env, cwd=settings.BASE_DIR, check=True)
    return out.stdout


def test_prepared_statements_can_be_turned_off_for_a_pooler_that_cannot_keep_them():
    url = "postgres://casefile@127.0.0.1:5432/casefile"
    assert "server_side_binding" in _options_with({"DATABASE_URL": url})
    assert "server_side_binding" not in _options_with({"DATABASE_URL": url, "CASEFILE_PG_PREPARED_STATEMENTS": "0"})
