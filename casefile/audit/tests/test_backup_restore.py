"""A backup restores into a new database with its audit trail intact, and the child's record reads the same there
(docs/backups.md). The restore and the page in the restored database run as separate processes, as an operator's
would. On SQLite and on PostgreSQL."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from casefile.audit.models import Action, AuditEvent
from casefile.audit.services import record

ROOT = Path(__file__).resolve().parents[3]
# Renders one page as one user in whatever database DATABASE_URL names, at the moment given.
RENDER = """
import datetime, sys
import django, time_machine
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
with time_machine.travel(datetime.datetime.fromisoformat(sys.argv[3]).timestamp(), tick=False):
    client = Client()
    client.force_login(get_user_model().objects.get(pk=int(sys.argv[1])))
    response = client.get(sys.argv[2])
    assert response.status_code == 200, response.status_code
    sys.stdout.write(response.content.decode())
"""
# What differs between two renders of the same page: per-request tokens.
TOKENS = [re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), re.compile(r'(nonce=")[^"]+'),
          re.compile(r'(csrf[-_]?token["\']?\s*[:=]\s*["\'])[^"\']+', re.IGNORECASE)]


def _without_tokens(html: str) -> str:
    for token in TOKENS:
        html = token.sub(r"\1TOKEN", html)
    return html


@pytest.fixture
def new_database(tmp_path):
    """A new, empty database beside the test's own: its DATABASE_URL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    database = connection.settings_dict
    name = f"{database['NAME']}_restored_{secrets.token_hex(3)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    yield f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(database_url: str, *args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    command = [sys.executable, *args]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False,  # noqa: S603
                          timeout=300)


@pytest.mark.django_db(transaction=True)  # committed rows: the backup is read by another connection
def test_a_backup_restores_into_a_new_database_verifies_and_shows_the_record_the_same(
        org, child, client, tmp_path, new_database):
    url = reverse("people:record", args=[child.pk])
    client.force_login(org.sam)
    assert client.get(url).status_code == 200
    assert any(event.occurred_at.microsecond for event in AuditEvent.objects.all())  # what dumpdata loses
    backup = tmp_path / "casefile.backup"
    call_command("backup_db", output=backup)
    moment = timezone.now()
    with time_machine.travel(moment.timestamp(), tick=False):
        original = client.get(url).content.decode()

    restored = _run(new_database, "manage.py", "restore_db", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "audit trail intact" in restored.stdout
    verified = _run(new_database, "manage.py", "verify_audit")
    assert verified.returncode == 0 and "Audit trail intact" in verified.stdout, verified.stderr
    page = _run(new_database, "-c", RENDER, str(org.sam.pk), url, moment.isoformat())
    assert page.returncode == 0, page.stderr
    assert f"{child.first_name} {child.last_name}" in page.stdout
    assert _without_tokens(page.stdout) == _without_tokens(original)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(org, tmp_path):
    record(Action.SIGN_IN, actor=org.sam)
    backup = tmp_path / "casefile.backup"
    call_command("backup_db", output=backup)
    assert AuditEvent.objects.get(action=Action.BACKUP).details == {"file": "casefile.backup"}
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore_db", str(backup))
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_db", output=backup)

