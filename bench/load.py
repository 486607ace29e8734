"""Load benchmark: gunicorn serving 50 signed-in staff over a mix of pages, on SQLite and PostgreSQL.

    .venv/bin/python bench/load.py                               # both databases, this checkout
    .venv/bin/python bench/load.py --database sqlite --seconds 30
    .venv/bin/python bench/load.py --compare ../casefile-before  # alternate with another checkout, same data
    .venv/bin/python bench/load.py --compare ../casefile-ea000c1 --before-sqlite-url sqlite:////tmp/old.sqlite3 \
        --before-postgres-url postgres://postgres@127.0.0.1:5432/casefile_load_old   # an older schema: see below

Each database is a simulated authority (`simulate_la --size medium --seed 1 --end-date 2026-03-31`: four years,
10,000 referrals, 66 staff), built by migrations the first time and reused after. PostgreSQL needs an empty
database of its own: `createdb casefile_load`, or name one with --postgres-url.

The users are 50 of the simulated staff, as in the demo: everyone in the front-door team, every manager, and the
social workers and senior practitioners who hold the most children. Each is signed in with a session of their own
(made in the database as a sign-in makes it, so 50 sign-ins do not trip the sign-in rate limit) and has an
authenticator app, so the two-factor check runs as in production. Each user loops over a mix of pages for their
own children (those allocated to them or their team; at the front door, children on open contacts):
my work, the child's record, the child's chronology, a search for the child's surname and, for front-door staff,
the front-door board.

The server is a real `gunicorn config.wsgi` process on 127.0.0.1 with production settings (DEBUG off, two-factor
required), started from the checkout being measured with its gunicorn.conf.py (or, for a checkout without
one, `--workers 3` as before that file existed). The load comes from one thread per user (requests), on the
same machine. Three runs per server:

- alone: one user, no pause (the time a page takes with nothing else going on);
- saturated: 50 users, no pause between pages (the most the server can answer: requests per second);
- paced: 50 users, each pausing 5 s between pages (a busy office: the time people wait, p95 target 300 ms).

The first seconds of each run are a warm-up and are not counted. The machine is shared, so --compare alternates
the two checkouts round by round and reports the median of the rounds and the ratio.

A checkout whose code cannot serve this schema (the issue's own "today", ea000c1, writes audit events without
the columns later added) serves a database of its own with the same rows: build that database with the old
checkout (`manage.py migrate`, then `simulate_la --size medium --seed 1 --end-date 2026-03-31 --force`), copy it
(`cp`, or `createdb -T`) to this checkout's URL and migrate the copy with this checkout, then pass the old one as
--before-sqlite-url / --before-postgres-url. The plan's sessions and authenticators are copied into it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import _common

HERE = Path(__file__).resolve()
DEFAULT_URLS = {
    "sqlite": f"sqlite:///{_common.DEFAULT_DATABASE.parent / 'load.sqlite3'}",
    "postgres": "postgres://postgres@127.0.0.1:5432/casefile_load",
}
# Production settings, less HTTPS (the benchmark talks plain HTTP on loopback).
SERVER_ENV = {
    "SECRET_KEY": "load-benchmark-only-not-a-secret",
    "CASEFILE_DEMO": "",
    "DEBUG": "",
    "CASEFILE_REQUIRE_TOTP": "1",
    "SECURE_COOKIES": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "LOG_LEVEL": "ERROR",
    # The audit anchor as production has it: a key the database never holds, checkpoints to a file (ADR 0017).
    "CASEFILE_AUDIT_KEY": "load-benchmark-only-audit-key-not-a-secret",
    "CASEFILE_AUDIT_CHECKPOINT_FILE": str(_common.DEFAULT_DATABASE.parent / "load-audit-checkpoints"),
}
USERS = 50
CHILDREN_PER_USER = 20
PAUSE_SECONDS = 5.0
P95_TARGET_MS = 300
# Before gunicorn.conf.py existed, the service was measured with 3 sync workers (the figures).
LEGACY_GUNICORN_ARGS = ["--workers", "3"]


# The set-up, in a process of its own per database (Django is configured once per process) --------------------


def prepare(database_url: str, before_url: str | None = None) -> None:
    """Build the authority if the database is empty; print the plan: each user's session and pages, as JSON.
    With `before_url`, the plan's sign-ins are copied into that database too (see the module's docstring)."""
    sys.path.insert(0, str(_common.ROOT))
    os.environ.update(SERVER_ENV, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if "casework_episode" not in connection.introspection.table_names():
        print("Building the authority (migrate, simulate_la --size medium): a minute or two.", file=sys.stderr)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("simulate_la", "--size", "medium", "--seed", "1", "--end-date", _common.END_DATE, "--force",
                     stdout=sys.stderr)
    if connection.vendor == "postgresql":
        # Fresh tables have no planner statistics until autovacuum gets to them: without them PostgreSQL chose
        # plans 5 to 10 times slower for the chronology's queries, so the first run measured the planner, not us.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    plan = [_plan_for(user) for user in _pick_users()]
    if before_url:
        _copy_sign_ins(plan, before_url)
    json.dump(plan, sys.stdout)


def _connect(url: str):
    """A DB-API connection to `url` and its placeholder: the other checkout's database, outside Django."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "sqlite":
        return sqlite3.connect(parsed.path), "?"
    import psycopg

    return psycopg.connect(url, autocommit=False), "%s"


def _copy_sign_ins(plan: list[dict], before_url: str) -> None:
    """Write the plan's sessions and the users' authenticators into the other checkout's database, so the same
    cookies sign the same users in there; ANALYZE it on PostgreSQL, as for this one."""
    from allauth.mfa.models import Authenticator
    from django.contrib.sessions.models import Session

    sessions = Session.objects.filter(session_key__in=[entry["cookie"][1] for entry in plan])
    authenticators = Authenticator.objects.filter(user__username__in=[entry["user"] for entry in plan])
    database, mark = _connect(before_url)

    def moment(value):  # SQLite keeps Django's datetimes as naive UTC text
        return value if mark == "%s" else value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")

    try:
        cursor = database.cursor()
        for session in sessions:
            cursor.execute(f"DELETE FROM django_session WHERE session_key = {mark}",  # noqa: S608 (mark: ? or %s)
                           [session.session_key])
            cursor.execute(f"INSERT INTO django_session (session_key, session_data, expire_date) "  # noqa: S608
                           f"VALUES ({mark}, {mark}, {mark})",
                           [session.session_key, session.session_data, moment(session.expire_date)])
        for authenticator in authenticators:
            cursor.execute(f"DELETE FROM mfa_authenticator WHERE user_id = {mark} AND type = {mark}",  # noqa: S608
                           [authenticator.user_id, authenticator.type])
            cursor.execute(f"INSERT INTO mfa_authenticator (user_id, type, data, created_at) "  # noqa: S608
                           f"VALUES ({mark}, {mark}, {mark}, {mark})",
                           [authenticator.user_id, authenticator.type, json.dumps(authenticator.data),
                            moment(authenticator.created_at)])
        database.commit()
        if mark == "%s":
            database.autocommit = True
            database.execute("ANALYZE")
    finally:
        database.close()


def _pick_users():
    from django.db.models import Count, Q

    from casefile.accounts.models import CASE_HOLDING_ROLES, MANAGER_ROLES, Team, User

    staff = User.objects.filter(is_active=True).select_related("team").order_by("pk")
    front_door = list(staff.filter(team__kind=Team.Kind.FRONT_DOOR))
    managers = list(staff.filter(role__in=MANAGER_ROLES).exclude(pk__in=[u.pk for u in front_door]))
    workers = list(staff.filter(role__in=CASE_HOLDING_ROLES - MANAGER_ROLES)
                   .exclude(pk__in=[u.pk for u in front_door])
                   .annotate(held=Count("allocations", filter=Q(allocations__end_date__isnull=True)))
                   .order_by("-held", "pk"))
    users = (front_door + managers + workers)[:USERS]
    if len(users) < USERS:
        raise SystemExit(f"Only {len(users)} staff to sign in: is this a simulated authority of size medium?")
    return users


def _plan_for(user) -> dict:
    """The user's session cookie and the pages they loop over."""
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from casefile.access import permissions, policy

    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                        defaults={"data": {"secret": "load-benchmark"}})
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    # Not a restricted record: opening one asks for a reason first (a redirect, not the page), so it would count as
    # an error in every run and measure the reason page instead of the record.
    children = list(policy.viewable_people(user, _own_children(user)).filter(restriction="")
                    .order_by("pk")[:CHILDREN_PER_USER])
    if not children:
        raise SystemExit(f"{user.username} has no children to look at")
    pages = []
    for child in children:
        pages += [("my work", reverse("core:my_work")),
                  ("child record", reverse("people:record", kwargs={"person_id": child.pk})),
                  ("chronology", reverse("people:chronology", kwargs={"person_id": child.pk})),
                  ("search", f"{reverse('people:search')}?{urllib.parse.urlencode({'name': child.last_name})}")]
        if permissions.may_use_front_door(user):
            pages.append(("board", reverse("frontdoor:board")))
    return {"user": user.username, "role": user.role, "cookie": [settings.SESSION_COOKIE_NAME,
            client.cookies[settings.SESSION_COOKIE_NAME].value], "pages": pages}


def _own_children(user):
    """Children allocated to the user, else to their team, else (at the front door) on open contacts."""
    from casefile.casework.models import Allocation
    from casefile.frontdoor.models import ContactChild
    from casefile.people.models import Person

    open_allocations = Allocation.objects.filter(end_date__isnull=True)
    for ids in (open_allocations.filter(worker=user), open_allocations.filter(team__manager=user),
                open_allocations.filter(team_id=user.team_id),
                ContactChild.objects.filter(concluded_at__isnull=True, contact__concluded_at__isnull=True),
                open_allocations):
        field_name = "child_id"
        people = Person.objects.filter(pk__in=ids.values(field_name))
        if people.exists():
            return people
    return Person.objects.none()


def load_plan(database_url: str, before_url: str | None = None) -> list[dict]:
    command = [sys.executable, str(HERE), "--prepare", database_url, *(["--prepare-before", before_url] if before_url
                                                                       else [])]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=_common.ROOT)  # noqa: S603
    return json.loads(out.stdout)


def cpu_child(database_url: str, source: str) -> None:
    """CPU time (ms) of each page of one loop of every user's mix, through the Django test client in this process,
    with the code of `source`: on a shared machine, CPU time is steadier than wall time. Prints JSON."""
    sys.path.insert(0, source)
    os.chdir(source)
    os.environ.update(SERVER_ENV, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings")
    import django

    django.setup()
    from django.test import Client

    times: dict[str, list[float]] = {}
    plan = [_plan_for(user) for user in _pick_users()]
    # One client for everyone, as one worker serves everyone: its handler loads the middleware once (a new
    # client's first request would count whitenoise reading the static files' folder, which a worker does once).
    client = Client(HTTP_HOST="127.0.0.1")
    for entry, counted in [(plan[0], False)] + [(entry, True) for entry in plan]:  # the first compiles templates
        client.cookies.clear()
        client.cookies[entry["cookie"][0]] = entry["cookie"][1]
        for kind, path in entry["pages"][:5 if any(kind == "board" for kind, _ in entry["pages"]) else 4]:
            began = time.process_time()
            client.get(path)
            if counted:
                times.setdefault(kind, []).append((time.process_time() - began) * 1000)
    json.dump(times, sys.stdout)


def cpu_report(databases: list[str], urls: dict, sources: list, rounds: int) -> str:
    """Both checkouts' CPU per page, alternating, and the throughput two cores could give at that cost."""
    times: dict[tuple[str, str], dict[str, list[float]]] = {}
    for number in range(rounds):
        for database in databases:
            for label, source in sources if number % 2 == 0 else sources[::-1]:
                command = [sys.executable, str(HERE), "--cpu-child", urls[database], "--source", str(source)]
                out = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
                for kind, values in json.loads(out.stdout).items():
                    times.setdefault((database, label), {}).setdefault(kind, []).extend(values)
    rows = []
    for database in databases:
        for label, source in sources:
            found = times[(database, label)]
            every = [value for values in found.values() for value in values]
            per_kind = ", ".join(f"{kind} {statistics.median(values):.0f}" for kind, values in sorted(found.items()))
            mean = statistics.fmean(every)
            rows.append(f"| {database} | {label} ({commit_of(source)}) | {mean:.0f} | {2000 / mean:.1f} | {per_kind} |")
    return ("| Database | Code | Mean CPU ms per page of the mix | Requests/s 2 cores could serve at that cost "
            "| Median CPU ms by page |\n|---|---|---|---|---|\n" + "\n".join(rows))


# The server ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`gunicorn config.wsgi` from `source`, with its own config file if it has one."""

    def __init__(self, source: Path, database_url: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = source / "gunicorn.conf.py"
        self.settings = ["--config", str(config)] if config.exists() else LEGACY_GUNICORN_ARGS
        env = {**os.environ, **SERVER_ENV, "DATABASE_URL": database_url,
               "DJANGO_SETTINGS_MODULE": "config.settings", "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}", *self.settings]
        self.process = subprocess.Popen(command, cwd=source, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise

    def _wait_until_up(self) -> None:
        import requests

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped with exit code {self.process.returncode}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=30).status_code == 200:
                    return
            except requests.RequestException:
                pass  # not listening yet, or a worker still starting
            time.sleep(0.5)
        raise SystemExit("gunicorn did not answer /healthz within 90 s")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


# The load --------------------------------------------------------------------------------------------------


@dataclass
class Run:
    mode: str
    users: int
    seconds: float
    samples: list[tuple[str, float, int]] = field(default_factory=list)  # (page kind, ms, HTTP status)

    @property
    def throughput(self) -> float:
        return len(self.samples) / self.seconds

    def times(self, kind: str | None = None) -> list[float]:
        return sorted(ms for k, ms, _ in self.samples if kind in (None, k))

    def error_statuses(self) -> Counter:
        """How many responses of each status other than 200, by page (status 0: no answer)."""
        return Counter((status, kind) for kind, _, status in self.samples if status != 200)


def errors_text(runs: list[Run]) -> str:
    """"0", or the count and each status with its page: "2 (500 on chronology: 1; 0 on search: 1)"."""
    found = sum((run.error_statuses() for run in runs), Counter())
    if not found:
        return "0"
    each = "; ".join(f"{status} on {kind}: {count}" for (status, kind), count in sorted(found.items()))
    return f"{sum(found.values())} ({each})"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted `values`."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(share * len(values) + 0.5) - 1))]


def run_load(server: Server, plan: list[dict], *, mode: str, users: int, pause: float, warmup: float,
             seconds: float) -> Run:
    """Each user loops over their pages until the end; responses that finish inside the window are counted."""
    import requests

    run = Run(mode, users, seconds)
    start = time.monotonic() + 1
    window = (start + warmup, start + warmup + seconds)
    lock = threading.Lock()

    def user_loop(entry: dict, seed: int) -> None:
        session = requests.Session()
        session.cookies.set(*entry["cookie"])
        pages = entry["pages"]
        position = random.Random(seed).randrange(len(pages))
        # Staggered starts, so paced users do not all ask at once.
        time.sleep(max(0.0, start - time.monotonic()) + random.Random(seed).uniform(0, pause or 0.2))
        while time.monotonic() < window[1]:
            kind, path = pages[position % len(pages)]
            position += 1
            began = time.monotonic()
            try:
                status = session.get(server.url + path, allow_redirects=False, timeout=120).status_code
            except requests.RequestException:
                status = 0  # no answer: a worker killed at its time-out, or the connection refused
            ended = time.monotonic()
            if window[0] <= ended <= window[1]:
                with lock:
                    run.samples.append((kind, (ended - began) * 1000, status))
            if pause:
                time.sleep(pause)

    threads = [threading.Thread(target=user_loop, args=(plan[i % len(plan)], i), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return run


def measure(source: Path, database_url: str, plan: list[dict], options) -> list[Run]:
    server = Server(source, database_url)
    try:
        return [
            run_load(server, plan, mode="alone", users=1, pause=0, warmup=options.warmup, seconds=options.seconds / 2),
            run_load(server, plan, mode="saturated", users=USERS, pause=0, warmup=options.warmup,
                     seconds=options.seconds),
            run_load(server, plan, mode="paced", users=USERS, pause=PAUSE_SECONDS, warmup=PAUSE_SECONDS + 2,
                     seconds=options.seconds),
        ]
    finally:
        server.stop()


# Reporting -------------------------------------------------------------------------------------------------


def summary_line(database: str, label: str, run: Run) -> str:
    times = run.times()
    return (f"| {database} | {label} | {run.mode} | {run.throughput:.1f} | {percentile(times, .5):.0f} | "
            f"{percentile(times, .95):.0f} | {percentile(times, .99):.0f} | {len(times)} | {errors_text([run])} |")


def kinds_table(run: Run) -> str:
    kinds = sorted({kind for kind, _, _ in run.samples})
    rows = [f"| {kind} | {len(run.times(kind))} | {percentile(run.times(kind), .5):.0f} | "
            f"{percentile(run.times(kind), .95):.0f} | {percentile(run.times(kind), .99):.0f} |" for kind in kinds]
    return "| Page | Requests | Median ms | p95 ms | p99 ms |\n|---|---|---|---|---|\n" + "\n".join(rows)


def print_run(database: str, label: str, run: Run) -> None:
    print(summary_line(database, label, run), flush=True)


def commit_of(source: Path) -> str:
    git = ["git", "-C", str(source)]
    out = subprocess.run([*git, "log", "-1", "--format=%h"], capture_output=True, text=True)  # noqa: S603
    dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"],  # noqa: S603
                           capture_output=True, text=True).stdout.strip()
    return out.stdout.strip() + (" with uncommitted changes" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=os.environ.get("LOAD_POSTGRES_URL", DEFAULT_URLS["postgres"]))
    parser.add_argument("--sqlite-url", default=DEFAULT_URLS["sqlite"])
    parser.add_argument("--seconds", type=float, default=40, help="measured seconds of each 50-user run")
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--compare", type=Path, help="another checkout to measure against, alternating")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--before-sqlite-url", help="the --compare checkout serves this SQLite database instead")
    parser.add_argument("--before-postgres-url", help="the --compare checkout serves this PostgreSQL database instead")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.md as it is")
    parser.add_argument("--cpu", action="store_true",
                        help="measure CPU time per page in-process instead of running gunicorn (steadier when shared)")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--prepare-before", help=argparse.SUPPRESS)
    parser.add_argument("--cpu-child", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare:
        prepare(options.prepare, options.prepare_before)
        return
    if options.cpu_child:
        cpu_child(options.cpu_child, options.source)
        return
    environment = _common.environment()
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    urls = {"sqlite": options.sqlite_url, "postgres": options.postgres_url}
    before_urls = {"sqlite": options.before_sqlite_url, "postgres": options.before_postgres_url}
    sources = [("this", _common.ROOT)] + ([("before", options.compare.resolve())] if options.compare else [])
    if options.cpu:
        for database in databases:
            load_plan(urls[database])  # builds the authority if need be
        table = cpu_report(databases, urls, sources, options.rounds)
        print(table)
        if not options.no_write:
            _common.write_section("load_cpu", f"""
## Load: CPU time per page of the mix

`bench/load.py --cpu{' --compare ' + str(options.compare) if options.compare else ''} --rounds {options.rounds}`:
one loop of each of the 50 users' pages (after one user's loop that compiles the templates), through the Django
test client in one process (middleware, sessions, two-factor check, access policy and audit events included),
timed as CPU time, which other work on the machine changes far less than wall time. Two cores serving nothing
else could answer at most 2,000 / mean requests a second.

{table}

Environment: {environment}.
""")
        return
    results: dict[tuple[str, str, str], list[Run]] = {}
    print("| Database | Code | Mode | Requests/s | Median ms | p95 ms | p99 ms | Requests | Errors |", flush=True)
    for number in range(options.rounds):
        for database in databases:
            plan = load_plan(urls[database], before_urls[database])
            for label, source in sources if number % 2 == 0 else sources[::-1]:
                url = before_urls[database] if label == "before" and before_urls[database] else urls[database]
                for run in measure(source, url, plan, options):
                    results.setdefault((database, label, run.mode), []).append(run)
                    print_run(database, label, run)
    if not options.no_write:
        _common.write_section("load", report(results, databases, sources, options, environment, before_urls))
        print(f"Written to {_common.RESULTS}")


def report(results, databases, sources, options, environment, before_urls) -> str:
    def median(database: str, label: str, mode: str, value) -> float:
        return statistics.median(value(run) for run in results[(database, label, mode)])

    def throughput(run: Run) -> float:
        return run.throughput

    def p50(run: Run) -> float:
        return percentile(run.times(), .5)

    def p95(run: Run) -> float:
        return percentile(run.times(), .95)

    lines = [f"| {database} | {label} ({commit_of(source)}) | {mode} | {median(database, label, mode, throughput):.1f}"
             f" | {median(database, label, mode, p50):.0f} | {median(database, label, mode, p95):.0f}"
             f" | {errors_text(results[(database, label, mode)])} |"
             for database in databases for label, source in sources for mode in ("alone", "saturated", "paced")]
    def ratio(database: str, mode: str, value, higher_is_better: bool) -> float:
        this, before = median(database, "this", mode, value), median(database, "before", mode, value)
        return this / before if higher_is_better else before / this

    ratios = ""
    if len(sources) == 2:
        ratios = "\n\nThis checkout against the other, medians of the rounds (above 1 is better):\n\n" + "\n".join(
            f"- {database}: saturated throughput **x{ratio(database, 'saturated', throughput, True):.2f}**; "
            f"paced p95 x{ratio(database, 'paced', p95, False):.2f}; "
            f"alone median x{ratio(database, 'alone', p50, False):.2f}"
            for database in databases)
    kinds = "\n\n".join(
        f"This checkout on {database}, last round, {mode}:\n\n{kinds_table(results[(database, 'this', mode)][-1])}"
        for database in databases for mode in ("saturated", "paced"))
    command = f"bench/load.py{' --compare ' + str(options.compare) if options.compare else ''}" + "".join(
        f" --before-{database}-url {url}" for database, url in before_urls.items() if url)
    return f"""
## Load: gunicorn serving 50 signed-in staff

`{command} --rounds {options.rounds} --seconds {options.seconds:.0f}`: a simulated medium authority per
database, 50 staff signed in (front door, managers, the busiest social workers) looping over my work, child
record, chronology, search and (front door) the board for their own children, against gunicorn on 127.0.0.1
with production settings; the load generator runs on the same machine. Alone: one user, no pause. Saturated:
50 users, no pause. Paced: 50 users, 5 s between pages (target p95 under {P95_TARGET_MS} ms). Figures are the
median of {options.rounds} round(s); the checkouts alternate each round. Errors: responses other than 200,
with their status and page (0: a request with no answer).

| Database | Code | Mode | Requests/s | Median ms | p95 ms | Errors |
|---|---|---|---|---|---|---|
{chr(10).join(lines)}{ratios}

{kinds}

Environment: {environment}.
"""


if __name__ == "__main__":
    main()
