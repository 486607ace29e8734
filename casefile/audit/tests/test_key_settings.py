"""Outside the demo, DEBUG and tests, Casefile does not start without an audit key; the demo makes its own beside
its database (docs/audit-trail.md). Settings are read in a fresh process, as a server would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHOW = "from django.conf import settings; print(settings.CASEFILE_AUDIT_LOCAL_KEY_FILE, settings.CASEFILE_AUDIT_KEY)"


def _settings(tmp_path, **variables) -> subprocess.CompletedProcess:
    keep = {name: value for name, value in os.environ.items()
            if not name.startswith(("CASEFILE_", "DJANGO_", "DEBUG", "DATABASE_URL"))}
    environment = {**keep, "SECRET_KEY": "s" * 50, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                   "DJANGO_SETTINGS_MODULE": "config.settings", **variables}
    command = [sys.executable, "-c", f"import django; django.setup(); {SHOW}"]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False,  # noqa: S603
                          timeout=120)


def test_without_a_key_production_settings_refuse_to_start(tmp_path):
    result = _settings(tmp_path)
    assert result.returncode != 0 and "Set CASEFILE_AUDIT_KEY" in result.stderr


def test_the_demo_keeps_its_own_key_beside_its_database(tmp_path):
    result = _settings(tmp_path, CASEFILE_DEMO="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [f"{tmp_path / 'db.sqlite3'}.audit-key"]


def test_a_key_from_the_environment_is_used(tmp_path):
    result = _settings(tmp_path, CASEFILE_AUDIT_KEY="k" * 40)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["k" * 40]
