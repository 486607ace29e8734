"""Median render time and query count of the front-door board, the history panels and the police triage queue.

    .venv/bin/python bench/front_door.py [--database PATH] [--runs 20]

Uses the database bench/simulate_large.py leaves behind (ten years of a large authority, about a million
contacts) and opens it as it is. With no such database it builds one first: `simulate_la --size medium --years
10`. Each page is fetched through the Django test client as a team manager of a front-door team, once to warm
up and then `--runs` times:

- the front-door board, with every child still at the front door;
- the contact page and the decision page for the open contact whose child has the most history (earlier
  contacts and episodes), both of which render the history panel (casefile/frontdoor/history.py);
- the police triage queue, when police contacts are waiting for a decision.

Target (the issue): under 300 ms for the board and the history panels on the large authority.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

import _common

TARGET_MS = 300


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
    from django.urls import reverse

    setup_test_environment()  # lets the test client's "testserver" host in
    manager = pick_manager()
    link, earlier = pick_contact()
    pages = [("frontdoor:board", reverse("frontdoor:board"), True)]
    pages += [(name, reverse(name, kwargs=kwargs), True) for name, kwargs in (
        ("frontdoor:contact", {"contact_id": link.contact_id}),
        ("frontdoor:decide", {"contact_id": link.contact_id, "contact_child_id": link.pk}))]
    police = police_waiting(manager)
    if police:
        pages.append(("frontdoor:triage_queue", reverse("frontdoor:triage_queue"), False))
    # Managers' lists, with no target in the issue: measured so a slow one is seen.
    pages += [(name, reverse(name), False) for name in ("frontdoor:weekly_report", "frontdoor:letters_overdue",
                                                        "frontdoor:awaiting_authorisation")]
    rows = [measure(name, url, manager, options.runs, targeted) for name, url, targeted in pages]
    table = "\n".join(
        f"| `{name}` | **{median:.0f} ms**{'' if not targeted or median < TARGET_MS else ' (OVER target)'} "
        f"| {low:.0f} to {high:.0f} ms | {queries} | {kb:.0f} KB |"
        for name, median, low, high, queries, kb, targeted in rows)
    source = ("`simulate_la --size medium --years 10` (built for this run)" if built
              else f"`{options.database.name}` from bench/simulate_large.py")
    triage = (f"{police} children on police contacts waiting for triage" if police
              else "no police contacts waiting, so the triage queue was not timed")
    _common.write_section("front_door", f"""
## Front door: the board, the history panel and the triage queue

From {source}: {count_contacts()}. The board shows **{board_size(manager)} children** still at the front door;
{triage}. The contact and decision pages are for contact {link.contact_id} about child {link.child.reference},
who has {earlier}. Viewed as a team manager of the front-door team, {options.runs} runs after one warm-up,
through the Django test client (template rendering, access checks and the audit events for each view included).
Target: under {TARGET_MS} ms for the board and the two pages with the history panel.

| Page | Median | Range | Queries | Size |
|---|---|---|---|---|
{table}

Environment: {environment}.
""")
    print(_common.RESULTS.read_text())


def pick_manager():
    """A team manager of a front-door team (the board's main reader), the first by id."""
    from casefile.accounts.models import Role, Team, User

    manager = (User.objects.filter(role=Role.TEAM_MANAGER, team__kind=Team.Kind.FRONT_DOOR, is_active=True)
               .order_by("pk").first())
    if manager is None:
        raise SystemExit("No team manager in a front-door team: is this a simulated authority?")
    return manager


def pick_contact():
    """Of the children on open contacts, the unrestricted one with the most earlier contacts and episodes."""
    from django.db.models import Count

    from casefile.casework.models import Episode
    from casefile.frontdoor.models import ContactChild

    links = list(ContactChild.objects.filter(contact__concluded_at__isnull=True, concluded_at__isnull=True,
                                             child__restriction="").select_related("child"))
    if not links:
        raise SystemExit("No open contacts: nothing to time")
    ids = [link.child_id for link in links]
    contacts = dict(ContactChild.objects.filter(child_id__in=ids).values("child").annotate(n=Count("id"))
                    .values_list("child", "n"))
    episodes = dict(Episode.objects.filter(child_id__in=ids).values("child").annotate(n=Count("id"))
                    .values_list("child", "n"))
    link = max(links, key=lambda link: (contacts.get(link.child_id, 0) + episodes.get(link.child_id, 0), -link.pk))
    earlier = contacts.get(link.child_id, 1) - 1
    return link, f"{earlier} earlier contacts and {episodes.get(link.child_id, 0)} episodes"


def count_contacts() -> str:
    from casefile.frontdoor.models import Contact, PoliceNotification

    return (f"{Contact.objects.count():,} contacts, {PoliceNotification.objects.count():,} police notifications, "
            f"{Contact.objects.filter(concluded_at__isnull=True).count():,} contacts still open")


def board_size(manager) -> int:
    from casefile.frontdoor.board import open_links

    return open_links(manager).count()


def police_waiting(manager) -> int:
    from casefile.frontdoor.services import triage

    return len(triage.queue(manager))


def measure(name: str, url: str, viewer, runs: int, targeted: bool) -> tuple:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(viewer)
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
    return (name, statistics.median(timings), min(timings), max(timings), count, len(response.content) / 1024,
            targeted)


if __name__ == "__main__":
    main()
