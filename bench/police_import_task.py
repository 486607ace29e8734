"""Confirm a police file of about 10,000 rows through a background task while people keep using the service.

    .venv/bin/python bench/police_import_task.py [--incidents 2950]

A fresh SQLite file (WAL, as configured), 200 existing children, and a generated file (bench/police_import.py's
generator, fixed seed; about 3.3 rows an incident) staged with `stage_file`. Then, as a real deployment would:
`manage.py db_worker` runs as its own process, the confirmation is submitted through the web page (Django's test
client, so middleware, sessions, the access policy and audit all run), and while the worker works a front-door
practitioner keeps loading the progress page, the board and the triage queue, one request after another. Every
request's time is recorded. Targets: no request over 1 s; the import finishes.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common
import police_import

LIMIT_SECONDS = 1.0
PAGES = ["frontdoor:board", "frontdoor:triage_queue"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=2950)
    options = parser.parse_args()
    database = Path(tempfile.gettempdir()) / "casefile-bench" / "police-import-task.sqlite3"
    os.environ["CASEFILE_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"
    _common.setup_django(database, fresh=True)
    environment = _common.environment()

    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from casefile.core.models import Job
    from casefile.frontdoor.models import Contact, ImportBatch, NotificationPerson
    from casefile.frontdoor.services import imports
    from casefile.testing import make_org

    setup_test_environment()  # lets the test client's "testserver" host in
    data = _without_repeated_people(police_import.generate(options.incidents))
    rows = data.count(b"\n") - 1
    org = make_org()
    police_import.seed_children(data, 200)
    batch = imports.stage_file(actor=org.fran, data=data, filename="bench.csv")
    possible = NotificationPerson.objects.filter(notification__batch=batch, match="possible")
    choices = {f"person_{entry.pk}": "new" for entry in possible}
    client = Client()
    client.force_login(org.fran)
    worker = subprocess.Popen(  # noqa: S603 (our own command line)
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2",
         "--verbosity", "0"], cwd=_common.ROOT, env={**os.environ})
    try:
        time.sleep(5)  # the worker's start-up (importing Django) is not part of the import
        # The same pages with no import running: on a shared machine, the figure to compare with.
        quiet: dict[str, list[float]] = {}
        for turn in range(6):
            name = PAGES[turn % len(PAGES)]
            _timed(quiet, name, lambda name=name: client.get(reverse(name)))
        timings: dict[str, list[float]] = {"submit": []}
        started = time.perf_counter()
        response = _timed(timings, "submit", lambda: client.post(
            reverse("frontdoor:police_confirm", args=[batch.pk]), choices))
        job_url = response["Location"]
        job = Job.objects.get()
        turn = 0
        slow = []
        while job.status not in ("done", "failed") and time.perf_counter() - started < 1800:
            _timed(timings, "progress page", lambda: client.get(job_url))
            name = PAGES[turn % len(PAGES)]
            _timed(timings, name, lambda name=name: client.get(reverse(name)))
            turn += 1
            job.refresh_from_db()
            for label in ("progress page", name):
                if timings[label][-1] > LIMIT_SECONDS:
                    slow.append(f"{label} {timings[label][-1]:.2f} s during '{job.stage}' ({job.done} of {job.total})")
        total = time.perf_counter() - started
        # The same pages once the import is over: they now list the file's thousands of contacts.
        after: dict[str, list[float]] = {}
        for turn in range(6):
            name = PAGES[turn % len(PAGES)]
            _timed(after, name, lambda name=name: client.get(reverse(name)))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert job.status == "done", job.error
    assert ImportBatch.objects.get().status == "confirmed"
    every = [seconds for values in timings.values() for seconds in values]
    worst = max(every)
    verdict = "under" if worst <= LIMIT_SECONDS else "OVER"
    table = "\n".join(f"| {name} | {len(values)} | {statistics.median(values) * 1000:.0f} ms | "
                      f"{max(values) * 1000:.0f} ms | {_quiet(quiet, name)} | {_quiet(after, name)} |"
                      for name, values in timings.items())
    _common.write_section("police_import_task", f"""
## Police notification import as a background task: {rows:,} rows while the service is in use

A generated file (fixed seed) of {rows:,} rows: {batch.incident_count:,} incidents and {batch.person_count:,} people,
staged, then confirmed through the web page by a separate `manage.py db_worker` process on SQLite (WAL). While it ran,
a front-door practitioner loaded the progress page, the board and the triage queue one request after another
(Django's test client: middleware, sessions, the access policy and audit events included). One run.
The progress page is cheap but, like every page, writes (its session): its slowest time is what waiting for the
worker's write lock costs. The board and the queue also grow by the file's contacts as it is imported: the last
column is the same pages once the import is over, with no worker writing.

| Measure | Result |
|---|---|
| Submit to imported (queue, worker, {Contact.objects.count():,} contacts) | **{total:.1f} s** |
| Slowest web request during the import | **{worst * 1000:.0f} ms** ({verdict} the 1 s limit) |
| Median web request during the import | {statistics.median(every) * 1000:.0f} ms ({len(every)} requests) |

| Request | Count | Median | Slowest | Before the import: median (slowest) | After it |
|---|---|---|---|---|---|
{table}

Environment: {environment}.
""")
    print("\n".join(slow))
    print(f"{rows} rows: imported in {total:.1f} s; slowest request {worst * 1000:.0f} ms, median "
          f"{statistics.median(every) * 1000:.0f} ms over {len(every)} requests")


def _without_repeated_people(data: bytes) -> bytes:
    """The generator sometimes names the victim and the perpetrator alike with no date of birth, which the parser
    rightly refuses as one person listed twice: leave the second out."""
    reader = csv.DictReader(io.StringIO(data.decode()))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    seen = set()
    for row in reader:
        key = (row["police_reference"], row["first_name"], row["last_name"], row["date_of_birth"])
        if key not in seen:
            seen.add(key)
            writer.writerow(row)
    return out.getvalue().encode()


def _quiet(quiet: dict, name: str) -> str:
    values = quiet.get(name)
    return f"{statistics.median(values) * 1000:.0f} ms ({max(values) * 1000:.0f} ms)" if values else "-"


def _timed(timings: dict, name: str, request):
    started = time.perf_counter()
    response = request()
    timings.setdefault(name, []).append(time.perf_counter() - started)
    assert response.status_code in (200, 302), (name, response.status_code)
    return response


if __name__ == "__main__":
    main()
