"""Shared set-up for the benchmarks: a fresh SQLite file, Django configured for it, and results.md sections.

The schema is built from the current models (as the test suite's --nomigrations does), so a benchmark runs
even while a migration is still to be written; the audit table's append-only triggers are not installed
then, which makes no difference to timings (they only fire on UPDATE and DELETE).
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import resource
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
DEFAULT_DATABASE = Path(tempfile.gettempdir()) / "casefile-bench" / "large.sqlite3"
# simulate_la ends on today unless told: benchmarks name a day, so every run times the same data.
END_DATE = "2026-03-31"


class _NoMigrations(dict):
    """MIGRATION_MODULES that says every app has none: tables come straight from the models."""

    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


def setup_django(database: Path, *, fresh: bool) -> None:
    """Point Django at `database` (deleted first when `fresh`) and build the tables it lacks."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    database.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    import django
    from django.conf import settings

    django.setup()
    settings.MIGRATION_MODULES = _NoMigrations()
    from django.core.management import call_command

    # Creates only the tables missing: all of them in a new database, a new model's in one built before it.
    call_command("migrate", run_syncdb=True, verbosity=0)


def setup_postgres(url: str) -> None:
    """Point Django at the PostgreSQL database at `url` with the test settings."""
    os.environ["DATABASE_URL"] = url
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    import django

    django.setup()


def environment() -> str:
    import django

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{os.cpu_count()} cores, load average at start {load}; Python {platform.python_version()}; "
            f"SQLite {sqlite3.sqlite_version}; Django {django.get_version()}; {platform.system()} "
            f"{platform.machine()}; run on {datetime.date.today().isoformat()}")


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_section(name: str, body: str) -> None:
    """Replace (or add) the section between <!-- name --> markers in bench/results.md."""
    text = RESULTS.read_text() if RESULTS.exists() else HEADER
    block = f"<!-- {name} -->\n{body.strip()}\n<!-- /{name} -->"
    pattern = re.compile(rf"<!-- {re.escape(name)} -->.*?<!-- /{re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text.rstrip()}\n\n{block}\n"
    RESULTS.write_text(text)


def setup_large(options) -> str:
    """Django pointed at the large authority: PostgreSQL at --postgres, else the SQLite file simulate_large left."""
    if options.postgres:
        setup_postgres(options.postgres)
        return "PostgreSQL"
    if not options.database.exists():
        raise SystemExit(f"{options.database} does not exist: run bench/simulate_large.py first")
    setup_django(options.database, fresh=False)
    return "SQLite"


def measure_page(label: str, url: str, user, runs: int) -> dict:
    """A page through the Django test client as `user`: once to warm up, then medians of `runs` fetches."""
    import statistics
    import time

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code} for {user}: expected 200")
    walls, cpus, queries = [], [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        queries.add(len(captured.captured_queries))
    print(f"{label}: median {statistics.median(walls):.0f} ms wall, {statistics.median(cpus):.0f} ms CPU", flush=True)
    return {"label": label, "wall": statistics.median(walls), "low": min(walls), "high": max(walls),
            "cpu": statistics.median(cpus), "queries": "/".join(str(n) for n in sorted(queries)),
            "kb": len(response.content) / 1024, "runs": runs}


HEADER = """# Benchmark results

Written by the scripts in this folder; each rewrites its own section. Run them with `make bench` (suggested
target) or one at a time:

    .venv/bin/python bench/simulate_large.py     # simulate_la --size large on a fresh SQLite file
    .venv/bin/python bench/child_record.py       # the child record page for a child with ten years of history

Wall time depends on what else the machine is doing, so each result gives the load average at the start and
the CPU time of the run: on a shared machine, CPU time is the steadier figure.
"""
