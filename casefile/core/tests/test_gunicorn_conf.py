"""gunicorn.conf.py: every value is one gunicorn accepts, and each can be changed from the environment."""

import runpy

from django.conf import settings
from gunicorn.config import Config

CONF = settings.BASE_DIR / "gunicorn.conf.py"


def loaded() -> Config:
    """The file as gunicorn reads it: each name that is a gunicorn setting, set (and so validated) in a Config."""
    config = Config()
    for name, value in runpy.run_path(str(CONF)).items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_defaults_are_production_ones(monkeypatch):
    for name in ("GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "GUNICORN_BIND", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    config = loaded()
    assert config.workers == 5  # 2 x cores + 1
    assert config.threads == 1
    assert config.timeout == 30
    assert config.graceful_timeout == 30
    assert config.max_requests == 2000
    assert config.bind == ["127.0.0.1:8000"]


def test_the_environment_changes_each_setting(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "2")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "60")
    monkeypatch.setenv("GUNICORN_GRACEFUL_TIMEOUT", "45")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    config = loaded()
    assert (config.workers, config.threads, config.timeout, config.graceful_timeout) == (3, 2, 60, 45)
    assert config.bind == ["0.0.0.0:9000"]
