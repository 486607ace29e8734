"""/healthz answers "ok" only when the database takes writes and every migration is applied; otherwise 503 with
the reason, so a load balancer stops sending people to a service that would fail them."""

import stat

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from casefile.core.views import database_problem

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="PRAGMA query_only is SQLite's")


def test_a_healthy_database_is_ok_and_the_probe_leaves_nothing_behind(db, client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Content-Type"] == "text/plain"
    assert not Session.objects.filter(session_key="healthz-write-probe").exists()


def sqlite_file(path, read_only=False) -> DatabaseWrapper:
    """A connection to an SQLite file set up as Casefile's settings set one up (WAL, immediate transactions).
    `read_only` also opens it read-only, as permissions alone do not stop root (who runs some CI machines)."""
    settings_dict = connections.configure_settings({"default": {
        "ENGINE": "django.db.backends.sqlite3", "NAME": f"file:{path}?mode=ro" if read_only else str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 1, "init_command": "PRAGMA journal_mode=WAL;",
                    "uri": True},
    }})["default"]
    database = DatabaseWrapper(settings_dict, alias="probe")
    connections["probe"] = database  # so that transaction.atomic(using="probe") finds it
    return database


def test_a_read_only_sqlite_file_is_reported(db, tmp_path):
    # A database file with every migration recorded as applied and the sessions table the probe writes to.
    path = tmp_path / "casefile.sqlite3"
    database = sqlite_file(path)
    with database.schema_editor() as editor:
        editor.create_model(Session)
    recorder = MigrationRecorder(database)
    recorder.ensure_schema()
    for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.nodes:
        recorder.record_applied(app, name)
    database.close()
    assert database_problem(sqlite_file(path)) is None

    for file in tmp_path.iterdir():
        file.chmod(stat.S_IRUSR | stat.S_IRGRP)
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    read_only = sqlite_file(path, read_only=True)
    try:
        assert database_problem(read_only) == "The database cannot be written to"
    finally:
        read_only.close()
        del connections["probe"]
        tmp_path.chmod(stat.S_IRWXU)


@on_sqlite
def test_a_read_only_database_answers_503_with_the_reason(db, client):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        response = client.get("/healthz")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
    assert (response.status_code, response.content) == (503, b"The database cannot be written to")


def test_unapplied_migrations_answer_503_saying_how_many(db, client):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'accounts' AND name <> '0001_initial'")
        removed = cursor.rowcount
    assert removed >= 1
    response = client.get("/healthz")
    assert response.status_code == 503
    noun = "migration" if removed == 1 else "migrations"
    assert response.content.decode() == f"{removed} database {noun} not applied: run manage.py migrate"


def test_healthz_answers_get_only(db, client):
    assert client.post("/healthz").status_code == 405
