"""Backing up and restoring the whole database with its own tools, so the audit trail restores exactly and still
verifies (ADR 0018, docs/backups.md). `dumpdata`/`loaddata` do not: JSON keeps timestamps to the millisecond,
and every event's seal covers its timestamp to the microsecond.

SQLite: the online backup API (a consistent copy while the service runs). PostgreSQL: pg_dump's custom format, and
pg_restore into a new, empty database.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from casefile.audit import anchor
from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.audit.verify import Report, verify


class BackupError(Exception):
    pass


def backup(output: Path) -> None:
    """Write the whole database to `output` (which must not exist); the backup itself is audited inside it."""
    if connection.in_atomic_block:  # SQLite's backup would wait for this transaction for ever
        raise BackupError("Back up outside a transaction.")
    if output.exists():
        raise BackupError(f"{output} already exists: choose a new file name, so no backup is overwritten.")
    record(Action.BACKUP, allow_anonymous=True, reason="The database was backed up", details={"file": output.name})
    anchor.write_checkpoint()
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(output)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-password", f"--file={output}"])


def restore(source: Path) -> Report:
    """Restore `source` into the configured database, which must be empty; then verify the audit trail.

    Checkpointed events newer than the backup are lost with the restore: they stay in the report (as `missing`),
    and a "restored" checkpoint line then records where the trail now ends, so later checks pass."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    if connection.introspection.table_names():
        raise BackupError("The database is not empty: restore into a new database, then point Casefile at it.")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        _run(["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--no-password",
              f"--dbname={connection.settings_dict['NAME']}", str(source)])
    connection.close()  # the next query sees the restored schema
    report = verify()
    if not [problem for problem in report.problems if not problem.missing]:
        anchor.write_checkpoint(kind="restored")
        record(Action.RESTORE, allow_anonymous=True, reason="The database was restored from a backup",
               details={"file": source.name, "events": report.checked})
        anchor.write_checkpoint()
    return report


def _run(command: list[str]) -> None:
    """Run a PostgreSQL client tool against the configured database (connection details by environment)."""
    database = connection.settings_dict
    environment = {**os.environ, "PGHOST": database.get("HOST") or "", "PGPORT": str(database.get("PORT") or ""),
                   "PGUSER": database.get("USER") or "", "PGPASSWORD": database.get("PASSWORD") or "",
                   "PGDATABASE": database["NAME"]}
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
