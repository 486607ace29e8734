"""Median time and query count of a team manager's pages on the large authority: the queue ("Waiting for you"),
the team page, and the practice-quality pages; figures to bench/results.md.

    .venv/bin/python bench/oversight_pages.py [--database PATH] [--postgres URL] [--runs 10]

Uses the database bench/simulate_large.py leaves behind (or, with --postgres, a database at URL where `simulate_la
--size large --seed 1 --end-date 2026-03-31` has been run: bench/signals.py --postgres builds one). Picks the
assessment or child in need team whose manager oversees it alone, with nearest ten workers (the issue's "a team of
10 workers"), and, of those, the one whose manager has the most waiting for sign-off. Each page is fetched through
the Django test client, once to warm up and then `--runs` times, as the team's manager, and the every-team
practice-quality page as a quality assurance officer (the whole authority's children held in the last 12 months),
first worked out from the record on each request, then read from the kept findings (oversight/kept_signals.py,
ADR 0028) once `kept_signals.refresh` has kept them for today.

Target (issue 10): under 500 ms for the queue and the team page of a team of 10 workers on `large`. Wall time
is noisy on a shared machine, so the CPU time of this process is given too (on SQLite it includes the
database's work; on PostgreSQL the server's is not counted).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import _common

TARGET_MS = 500
TEAM_SIZE = 10


def pick_team():
    """An assessment or child in need team managed by a team manager who oversees that team alone, with about
    TEAM_SIZE active workers; of the closest, the one holding the most children."""
    from django.db.models import Count, F, Q

    from casefile.accounts.models import Role, Team
    from casefile.casework.caseloads import teams_overseen_by
    from casefile.oversight.queue import manager_queue

    teams = (Team.objects.filter(manager__role=Role.TEAM_MANAGER, manager__is_active=True,
                                 kind__in=[Team.Kind.ASSESSMENT, Team.Kind.CHILD_IN_NEED])
             .annotate(workers=Count("members", filter=Q(members__is_active=True) & ~Q(members__pk=F("manager")),
                                     distinct=True),
                       held=Count("allocations", filter=Q(allocations__end_date__isnull=True), distinct=True))
             .select_related("manager"))
    alone = [team for team in teams
             if list(teams_overseen_by(team.manager).values_list("pk", flat=True)) == [team.pk]]
    if not alone:
        raise SystemExit("No team managed by a team manager who oversees it alone")
    nearest = min(abs(team.workers - TEAM_SIZE) for team in alone)
    # Of the teams nearest the size, the one whose manager has the most waiting, then the most children held.
    return max((team for team in alone if abs(team.workers - TEAM_SIZE) == nearest),
               key=lambda team: (len(manager_queue(team.manager)), team.held, -team.pk))


def pick_qa_officer():
    from casefile.accounts.models import Role, User

    return User.objects.filter(role=Role.QA_OFFICER, is_active=True).order_by("pk").first()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, default=_common.DEFAULT_DATABASE)
    parser.add_argument("--postgres", help="a PostgreSQL DATABASE_URL holding the large authority")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--every-team-runs", type=int, default=3)
    options = parser.parse_args()
    engine = _common.setup_large(options)
    environment = _common.environment()

    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from casefile.casework.models import Allocation
    from casefile.oversight.queue import manager_queue

    setup_test_environment()  # lets the test client's "testserver" host in
    from casefile.oversight.models import KeptFinding, KeptSignals

    # Worked out from the record first: none kept from an earlier run.
    KeptFinding.objects.all().delete()
    KeptSignals.objects.all().delete()
    team = pick_team()
    manager = team.manager
    waiting = len(manager_queue(manager))
    held = Allocation.objects.filter(team=team, end_date__isnull=True).count()
    practice = reverse("oversight:practice_quality")
    pages = [
        ("Waiting for you (the queue)", reverse("oversight:queue"), manager, options.runs, True),
        ("The team page", reverse("accounts:team", kwargs={"team_id": team.pk}), manager, options.runs, True),
        ("Practice quality: the manager's team", practice, manager, options.runs, False),
        ("Practice quality: the team's children with a signal", reverse("oversight:practice_children"), manager,
         options.runs, False),
    ]
    qa = pick_qa_officer()
    if qa is not None:
        pages.append(("Practice quality: every team (QA officer)", practice, qa, options.every_team_runs, False))
    rows = [{**_common.measure_page(label, url, user, runs), "targeted": targeted, "runs": runs}
            for label, url, user, runs, targeted in pages]
    from casefile.oversight import kept_signals

    kept = kept_signals.refresh()
    kept_pages = [(f"{label}, from the kept findings", url, user, options.runs, False)
                  for label, url, user, _, _ in pages if label.startswith("Practice quality")]
    rows += [{**_common.measure_page(label, url, user, runs), "targeted": targeted, "runs": runs}
             for label, url, user, runs, targeted in kept_pages]
    table = "\n".join(
        f"| {row['label']} | **{row['wall']:.0f} ms**"
        f"{'' if not row['targeted'] else (' (under target)' if row['wall'] < TARGET_MS else ' (OVER target)')} "
        f"| {row['cpu']:.0f} ms | {row['low']:.0f} to {row['high']:.0f} ms | {row['runs']} | {row['queries']} "
        f"| {row['kb']:.0f} KB |" for row in rows)
    _common.write_section(f"oversight_pages_{engine.lower()}", f"""
## Oversight pages: a team manager's queue and team page, and practice quality, on `large` ({engine})

Team "{team.name}" ({team.workers} active workers, {held:,} children held now), viewed as its manager, who has
{waiting:,} items waiting for sign-off; the every-team page as a quality assurance officer. Through the Django
test client (access checks, template rendering and audit events included), medians after one warm-up.
Target (issue 10): under {TARGET_MS} ms for the queue and the team page. The practice-quality pages are timed
worked out from the record, then from the kept findings ({kept.findings.count():,} findings for {kept.today},
worked out and kept by `kept_signals.refresh` in {kept.seconds:.0f} s).

| Page | Median wall | Median CPU | Range (wall) | Runs | Queries | Size |
|---|---|---|---|---|---|---|
{table}

Environment: {environment}. Reproduce: `.venv/bin/python bench/oversight_pages.py`
{'--postgres URL ' if engine == 'PostgreSQL' else ''}(`make bench-oversight`).
""")


if __name__ == "__main__":
    main()
