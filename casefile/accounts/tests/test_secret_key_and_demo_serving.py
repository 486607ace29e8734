"""No built-in SECRET_KEY anywhere; the demo makes its own beside its database and serves loopback only."""

import importlib.util
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings

from casefile.core.loopback import demo_refusal, is_loopback

REPO = Path(settings.BASE_DIR)


def load_settings(monkeypatch, **environ):
    """config/settings.py as a fresh module, with no SECRET_KEY in the environment unless given."""
    for name in ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "CASEFILE_DEMO", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("casefile_settings_probe", REPO / "config" / "settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("environ", [{}, {"DEBUG": "1"}])
def test_without_a_secret_key_casefile_refuses_to_start(monkeypatch, environ):
    with pytest.raises(ImproperlyConfigured, match="Set SECRET_KEY"):
        load_settings(monkeypatch, **environ)


def test_production_takes_its_key_from_the_environment_or_a_file(monkeypatch, tmp_path):
    assert load_settings(monkeypatch, SECRET_KEY="k" * 50).SECRET_KEY == "k" * 50
    (tmp_path / "key").write_text("f" * 50 + "\n")
    assert load_settings(monkeypatch, SECRET_KEY_FILE=str(tmp_path / "key")).SECRET_KEY == "f" * 50


def test_the_demo_makes_its_own_key_beside_its_database_and_keeps_it(monkeypatch, tmp_path):
    database = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    first = load_settings(monkeypatch, CASEFILE_DEMO="1", DATABASE_URL=database).SECRET_KEY
    key_file = tmp_path / "demo.sqlite3.secret-key"
    assert key_file.read_text() == first
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_settings(monkeypatch, CASEFILE_DEMO="1", DATABASE_URL=database).SECRET_KEY == first
    other = load_settings(monkeypatch, CASEFILE_DEMO="1", DATABASE_URL=f"sqlite:///{tmp_path / 'b.sqlite3'}")
    assert other.SECRET_KEY != first


def test_the_demo_key_file_beside_the_default_demo_database_is_never_committed():
    ignored = subprocess.run(["git", "check-ignore", "-q", "casefile-demo.sqlite3.secret-key"],  # noqa: S607
                             cwd=REPO, check=False)
    assert ignored.returncode == 0


def test_no_secret_key_is_written_in_the_settings_and_the_tests_make_theirs_at_run_time():
    for name in ("settings.py", "settings_test.py"):
        text = (REPO / "config" / name).read_text()
        assert "insecure" not in text
        assert settings.SECRET_KEY not in text
    assert len(settings.SECRET_KEY) >= 50
    assert os.environ["SECRET_KEY"] == settings.SECRET_KEY


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_addresses_are_allowed(host):
    assert is_loopback(host)
    assert demo_refusal(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "casefile.example.gov.uk", ""])  # noqa: S104
def test_every_other_address_is_refused_with_a_reason(host):
    assert not is_loopback(host)
    assert "The demo (CASEFILE_DEMO=1) only serves this computer" in demo_refusal(host)


@override_settings(DEMO_MODE=True)
@pytest.mark.parametrize("addrport", ["0.0.0.0:8000", "192.168.1.20:8000"])  # noqa: S104
def test_the_demo_runserver_refuses_to_listen_beyond_loopback(addrport):
    with pytest.raises(CommandError, match="only serves this computer.*Listen on 127.0.0.1"):
        call_command("runserver", addrport, use_reloader=False, skip_checks=True)


def gunicorn(bind: str, **environ) -> subprocess.Popen:
    env = {**os.environ, "CASEFILE_DEMO": "1", **environ}
    command = [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", "1", "config.wsgi"]
    return subprocess.Popen(command, cwd=REPO, env=env,  # noqa: S603 (our own command line)
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_the_demo_under_gunicorn_refuses_to_listen_beyond_loopback():
    process = gunicorn("0.0.0.0:0")  # noqa: S104
    output, _ = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "The demo (CASEFILE_DEMO=1) only serves this computer" in output


def test_the_demo_under_gunicorn_starts_on_loopback():
    process = gunicorn("127.0.0.1:0")
    try:
        time.sleep(3)
        assert process.poll() is None, process.communicate()[0]
    finally:
        process.terminate()
        process.communicate(timeout=30)
