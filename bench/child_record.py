"""Median render time and query count of a child's record page, for a child with ten years of history.

    .venv/bin/python bench/child_record.py [--database PATH] [--runs 20]

Uses the database bench/simulate_large.py leaves behind (ten years of a large authority) and picks, from the
children first referred nine or more years before the end, the one with the most episodes and visits. With no
such database it builds one first: `simulate_la --size medium --years 10` (ten years of a smaller authority).
Each page is fetched through the Django test client as the child's allocated worker (or, for a closed case, a
front-door practitioner, who may see everyone), once to warm up and then `--runs` times.
"""

from __future__ import annotations

import argparse
import datetime
import io
import statistics
import time
from pathlib import Path

import _common


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, default=_common.DEFAULT_DATABASE)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    built = not options.database.exists()
    _common.setup_django(options.database, fresh=built)
    environment = _common.environment()
    if built:
        from django.core.management import call_command

        call_command("simulate_la", "--size", "medium", "--years", "10", "--seed", "1", "--end-date", _common.END_DATE,
                     "--force", stdout=io.StringIO())

    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client's "testserver" host in
    child, viewer = pick_child()
    history = describe(child)
    rows = [measure(name, child, viewer, options.runs) for name in ("people:record", "people:chronology")]
    table = "\n".join(f"| `{name}` | **{median:.0f} ms** | {low:.0f} to {high:.0f} ms | {queries} | {kb:.0f} KB |"
                      for name, median, low, high, queries, kb in rows)
    source = ("`simulate_la --size medium --years 10` (built for this run)" if built
              else f"`{options.database.name}` from bench/simulate_large.py")
    _common.write_section("child_record", f"""
## Child record page: a child with ten years of history

Child {child.reference} from {source}: {history}. Viewed as {viewer.get_role_display().lower()}, {options.runs}
runs after one warm-up, through the Django test client (template rendering, access check and the audit
event for each view included).

| Page | Median | Range | Queries | Size |
|---|---|---|---|---|
{table}

Environment: {environment}.
""")
    print(_common.RESULTS.read_text())


def pick_child():
    """Of the children first referred nine or more years before the end with the most episodes, the unrestricted
    one with the longest record: visits, conferences and episodes."""
    from django.db.models import Count, Max, Min

    from casefile.accounts.models import Role, User
    from casefile.casework.models import Allocation, Episode
    from casefile.people.models import Person

    end = Episode.objects.aggregate(last=Max("referral_date"))["last"]
    long_ago = end - datetime.timedelta(days=9 * 365)
    firsts = (Episode.objects.values("child").annotate(first=Min("referral_date"), episodes=Count("id"))
              .filter(first__lte=long_ago).order_by("-episodes", "child")[:200])
    candidates = Person.objects.filter(pk__in=[row["child"] for row in firsts], restriction="").annotate(
        episode_count=Count("episodes", distinct=True), visit_count=Count("visits", distinct=True),
        conference_count=Count("conferences", distinct=True))
    child = max(candidates, key=lambda person: (
        person.visit_count + 10 * person.conference_count + 5 * person.episode_count, -person.pk))
    allocation = Allocation.objects.filter(child=child, end_date__isnull=True).select_related("worker").first()
    viewer = allocation.worker if allocation else User.objects.filter(role=Role.FRONT_DOOR).order_by("pk").first()
    return child, viewer


def describe(child) -> str:
    from casefile.casework import models as cw

    episodes = cw.Episode.objects.filter(child=child)
    first = episodes.order_by("referral_date").first().referral_date
    counts = {
        "episodes": episodes.count(), "assessments": cw.Assessment.objects.filter(episode__child=child).count(),
        "plans": cw.Plan.objects.filter(child=child).count(), "conferences": child.conferences.count(),
        "visits": child.visits.count(), "allocations": child.allocations.count(),
    }
    return f"first referred {first.isoformat()}; " + ", ".join(f"{count} {name}" for name, count in counts.items())


def measure(name: str, child, viewer, runs: int) -> tuple:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(viewer)
    url = reverse(name, kwargs={"person_id": child.pk})
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code} for {viewer}: expected 200")
    timings, queries = [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries.add(len(captured.captured_queries))
    count = "/".join(str(number) for number in sorted(queries))
    return name, statistics.median(timings), min(timings), max(timings), count, len(response.content) / 1024


if __name__ == "__main__":
    main()
