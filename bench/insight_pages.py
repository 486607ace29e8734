"""Median time and query count of the quality and performance pages (issue 12) on the large authority, and the
time to compute ten years of indicators for the whole authority; figures to bench/results.md.

    .venv/bin/python bench/insight_pages.py [--database PATH] [--postgres URL] [--runs 5]

Uses the database bench/simulate_large.py leaves behind (or, with --postgres, a database where `simulate_la --size
large --seed 1 --end-date 2026-03-31` has been run: bench/signals.py --postgres builds one). Each page is fetched
through the Django test client, once to warm up and then `--runs` times: every page of issue 12 that reads the
record at scale (the clinic, the children behind a figure, the journeys and the diversity page for the whole
authority as a performance analyst and for the busiest team as its manager; the clinic, journeys and diversity
for a 12 months to a chosen day, which is not kept, and the job that works it out), and the quality-assurance,
child population, self-evaluation and workforce pages as those who use them.

"Ten years of indicators" is every indicator of the catalogue for each of the ten census years to the end of the
simulated record, and for each of its 120 months: timed as the ten-year trend page reads them (the kept figures,
`figures.kept_for` and `clinic_figures`, ADR 0029), and worked out from the record as the job that keeps them does
(`figures.indicators_over`, ADR 0031): in one process for each core of this machine, and in one process.

Targets (issue 12): every page under 1 s; ten years of indicators in under 5 s. Wall time is noisy on a shared
machine, so the CPU time of this process is given too (on SQLite it includes the database's work; on PostgreSQL
the server's is not counted).
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
from pathlib import Path

import _common

PAGE_TARGET_MS = 1000
INDICATORS_TARGET_S = 5
YEARS = 10


def first_active(role):
    from casefile.accounts.models import User

    user = User.objects.filter(role=role, is_active=True).order_by("pk").first()
    if user is None:
        raise SystemExit(f"No active user with the role {role}")
    return user


def busiest_team():
    """The team holding the most children now, with its manager."""
    from django.db.models import Count, Q

    from casefile.accounts.models import Team

    return (Team.objects.filter(manager__is_active=True)
            .annotate(held=Count("allocations", filter=Q(allocations__end_date__isnull=True)))
            .select_related("manager").order_by("-held", "pk").first())


def ten_years(end: datetime.date, runs: int) -> dict:
    """Every indicator for each census year and each month of the ten years to `end`, worked out from the record
    (`figures.indicators_over`): in as many processes as this machine gives, and in one."""
    from casefile.insight import clinic, cohort, figures
    from casefile.rules.indicators import INDICATOR_LIST, census_years, months
    from casefile.rules.indicators.core import independent

    last = f"{end.year - 1}-{end.year % 100:02d}" if end.month < 4 else f"{end.year}-{(end.year + 1) % 100:02d}"
    first_start = int(last[:4]) - YEARS + 1
    years = census_years(f"{first_start}-{(first_start + 1) % 100:02d}", last)
    periods = years + months(years[0].start, years[-1].end)
    cores = figures.cores()
    timed = {}
    for processes in (cores, 1):
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            found = figures.indicators_over(clinic.Scope(), periods, processes=processes)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        timed[processes] = (statistics.median(walls), statistics.median(cpus))
        print(f"Ten years of indicators in {processes} process(es): median {timed[processes][0]:.2f} s", flush=True)
    return {"figures": sum(map(len, found)), "indicators": len(INDICATOR_LIST), "years": len(years),
            "months": len(periods) - len(years), "first": years[0].start, "last": years[-1].end,
            "groups": len(independent(INDICATOR_LIST)), "cores": cores, "total": timed[cores][0],
            "one_process": timed[1][0], "one_process_cpu": timed[1][1],
            "rows": sum(query.count() for query in cohort.queries(years[-1].end).values()), "runs": runs}


def ten_years_kept(runs: int) -> dict:
    """Ten years of indicators for the whole authority as the ten-year trend page reads them: the kept figures of
    the ten census years and their 120 months (clinic.long_run), in one query."""
    from django.utils import timezone

    from casefile.insight import clinic, figures

    years, months = clinic.long_run(timezone.localdate())
    times, found = [], None
    for _ in range(runs):
        wall = time.perf_counter()
        kept = figures.kept_for(clinic.Scope(), years + months)
        found = kept.clinic_figures() if kept else None
        times.append(time.perf_counter() - wall)
    if found is None:
        return {"kept": False}
    print(f"Ten years of indicators, kept: median {statistics.median(times) * 1000:.0f} ms", flush=True)
    return {"kept": True, "ms": statistics.median(times) * 1000, "figures": sum(len(f.trend) for f in found),
            "first": years[0].start, "last": years[-1].end, "runs": runs}


def worked_out(day: datetime.date) -> dict:
    """The whole authority's clinic for the 12 months to `day` worked out and kept, as the job the page's button
    starts does it (figures.keep), timed once."""
    from casefile.insight import clinic, figures

    wall, cpu = time.perf_counter(), time.process_time()
    kept = figures.keep(clinic.Scope(), clinic.twelve_months_trend(day))
    found = {"sets": kept, "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    print(f"Worked out in the background: {found['wall']:.1f} s", flush=True)
    return found


def forget(day: datetime.date) -> None:
    """Leave the kept figures as the nightly job left them: without the 12 months worked out here."""
    from casefile.insight import clinic, figures
    from casefile.insight.models import StoredFigures

    for period in clinic.twelve_months_trend(day):
        StoredFigures.objects.filter(scope=figures.AUTHORITY, start=period.start, end=period.end).delete()


def refresh() -> dict:
    """Compute the kept figures the clinic, the journeys and the diversity page read, as the nightly job does: in a
    process of its own (`manage.py refresh_performance_figures`), so the pages are then timed in a process that has
    not just held the whole record (which made every page here about 1.7 times slower)."""
    import os
    import re
    import resource
    import subprocess
    import sys

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run([sys.executable, "manage.py", "refresh_performance_figures"], cwd=_common.ROOT,
                          env=os.environ, check=True, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rows = int(re.search(r"Kept ([\d,]+) sets", done.stdout).group(1).replace(",", ""))
    found = {"rows": rows, "wall": time.perf_counter() - wall,
             "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime}
    print(f"Kept figures: {rows:,} sets in {found['wall']:.0f} s ({found['cpu']:.0f} s CPU)", flush=True)
    return found


def kept_note(kept: dict | None) -> str:
    from casefile.insight.models import StoredFigures

    latest = StoredFigures.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    if latest is None:
        return "No kept figures: the clinic, journeys and diversity pages computed from the record."
    note = (f"The clinic, journeys, diversity and ten-year trend pages read kept figures (ADR 0025, 0029), computed "
            f"{latest:%Y-%m-%d %H:%M} UTC")
    if kept:
        note += (f"; computing them (`manage.py refresh_performance_figures`: {kept['rows']:,} sets) took "
                 f"{kept['wall']:.0f} s wall, {kept['cpu']:.0f} s CPU")
    return note + "."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, default=_common.DEFAULT_DATABASE)
    parser.add_argument("--postgres", help="a PostgreSQL DATABASE_URL holding the large authority")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--refresh", action="store_true",
                        help="compute the kept figures first (manage.py refresh_performance_figures), timed")
    options = parser.parse_args()
    engine = _common.setup_large(options)
    environment = _common.environment()
    kept = refresh() if options.refresh else None

    from django.conf import settings
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils.http import urlencode

    from casefile.accounts.models import Role

    setup_test_environment()  # lets the test client's "testserver" host in
    end = datetime.date.fromisoformat(_common.END_DATE)
    year = f"{end.year - 1}-{end.year % 100:02d}" if end.month < 4 else f"{end.year}-{(end.year + 1) % 100:02d}"
    analyst, qa = first_active(Role.PERFORMANCE_ANALYST), first_active(Role.QA_OFFICER)
    team = busiest_team()
    whole = urlencode({"year": year})
    admin = first_active(Role.ADMINISTRATOR)

    def children(**chosen):
        return f"{reverse('insight:children')}?{urlencode({'year': year, 'side': 'numerator', **chosen})}"

    def journey_children(**chosen):
        return f"{reverse('insight:journey_children')}?{urlencode({'year': year, **chosen})}"

    def diversity_children(**chosen):
        return f"{reverse('insight:diversity_children')}?{urlencode({'year': year, **chosen})}"

    pages = [
        ("Clinic: the whole authority (analyst)", f"{reverse('insight:clinic')}?{whole}", analyst),
        ("Clinic: the busiest team (its manager)",
         f"{reverse('insight:clinic')}?{urlencode({'year': year, 'team': team.pk})}", team.manager),
        ("Children behind a figure: re-referrals, whole authority (analyst)",
         f"{reverse('insight:children')}?{urlencode({'year': year, 'indicator': 're_referrals', 'side': 'numerator'})}",
         analyst),
        ("Children behind a figure: contacts, whole authority (analyst)", children(indicator="contacts"), analyst),
        ("Children behind a figure: open cases, the busiest team (its manager)",
         children(indicator="open_cases", team=team.pk), team.manager),
        ("Ten-year trend: the whole authority (analyst)", reverse("insight:trend"), analyst),
        ("Journeys: the whole authority (analyst)", f"{reverse('insight:journeys')}?{whole}", analyst),
        ("Diversity: the whole authority (analyst)", f"{reverse('insight:diversity')}?{whole}", analyst),
        ("Diversity: the busiest team (its manager)",
         f"{reverse('insight:diversity')}?{urlencode({'year': year, 'team': team.pk})}", team.manager),
        ("Diversity, children behind a count: contacts, ethnicity not recorded (analyst)",
         diversity_children(stage="contacts", characteristic="ethnicity", missing="1"), analyst),
        ("Journeys, children behind an outcome: assessments completed, then a section 47 enquiry (analyst)",
         journey_children(stage="assessments", outcome="section_47"), analyst),
        ("Journeys, children behind an outcome: cases closed, referred again within 12 months (analyst)",
         journey_children(stage="closures", outcome="re_referred"), analyst),
        ("Journeys, children behind an outcome: contacts, referred (analyst)",
         journey_children(stage="contacts", outcome="referral"), analyst),
        ("Child population (analyst)", reverse("insight:population"), analyst),
        ("Self-evaluation packs (analyst)", reverse("insight:packs"), analyst),
        ("Quality assurance home (QA officer)", reverse("quality:home"), qa),
        ("Audit coverage (QA officer)", reverse("quality:coverage"), qa),
        ("Audit rounds (QA officer)", reverse("quality:rounds"), qa),
        ("Theme report (QA officer)", reverse("quality:themes"), qa),
        ("Moderation agreement (QA officer)", reverse("quality:agreement"), qa),
        ("Impact at re-audit (QA officer)", reverse("quality:impact"), qa),
        ("Audit of audits (QA officer)", reverse("quality:auditors"), qa),
        ("Workforce: staff (administrator)", reverse("accounts:workers"), admin),
        ("Workforce: posts (administrator)", reverse("accounts:posts"), admin),
    ]
    # A 12 months to a chosen day is never kept nightly: on a large record the page offers to work it out in the
    # background (figures.worked_out_on_the_page), and the job it starts is timed; the clinic is then timed again.
    day = end - datetime.timedelta(days=31)
    twelve = urlencode({"period": "twelve_months", "end_day": day.day, "end_month": day.month, "end_year": day.year})
    pages += [(f"{label}, 12 months to {day:%-d %B %Y}, not kept (analyst)", f"{reverse(name)}?{twelve}", analyst)
              for label, name in (("Clinic: the whole authority", "insight:clinic"),
                                  ("Journeys: the whole authority", "insight:journeys"),
                                  ("Diversity: the whole authority", "insight:diversity"))]
    rows = [_common.measure_page(label, url, user, options.runs) for label, url, user in pages]
    work_out = worked_out(day)
    rows.append(_common.measure_page(f"Clinic: the whole authority, 12 months to {day:%-d %B %Y}, once worked out "
                                     "(analyst)", f"{reverse('insight:clinic')}?{twelve}", analyst, options.runs))
    forget(day)
    read_kept = ten_years_kept(options.runs)
    indicators = ten_years(end, max(1, options.runs // 2))
    table = "\n".join(
        f"| {row['label']} | **{row['wall']:.0f} ms**"
        f"{' (under target)' if row['wall'] < PAGE_TARGET_MS else ' (OVER target)'} | {row['cpu']:.0f} ms "
        f"| {row['low']:.0f} to {row['high']:.0f} ms | {row['runs']} | {row['queries']} | {row['kb']:.0f} KB |"
        for row in rows)
    verdict = "under target" if indicators["total"] < INDICATORS_TARGET_S else "OVER target"
    if read_kept["kept"]:
        kept_verdict = "under target" if read_kept["ms"] < INDICATORS_TARGET_S * 1000 else "OVER target"
        as_read = (f"As the ten-year trend page reads them (the figures kept nightly, ADR 0029: "
                   f"{read_kept['figures']:,} figures, {read_kept['first']} to {read_kept['last']}): "
                   f"**{read_kept['ms']:.0f} ms** ({kept_verdict}: {INDICATORS_TARGET_S} s; median of "
                   f"{read_kept['runs']}); the whole page is in the table above.")
    else:
        as_read = "No kept figures for the ten-year trend: run with --refresh to time the page as it reads them."
    _common.write_section(f"insight_pages_{engine.lower()}", f"""
## Quality and performance pages, and ten years of indicators, on `large` ({engine})

Pages through the Django test client (access checks, template rendering and audit events included), medians after
one warm-up; census year {year}; the busiest team is "{team.name}". Target (issue 12): every page under
{PAGE_TARGET_MS} ms.

| Page | Median wall | Median CPU | Range (wall) | Runs | Queries | Size |
|---|---|---|---|---|---|---|
{table}

A 12 months to a chosen day is not kept nightly; on a record this large (more than
{settings.CASEFILE_PAGE_CONTACTS_LIMIT:,} contacts to read) the clinic, journeys and diversity pages say so and offer
to work it out in the background. That job (`figures.keep`: the four periods of the clinic, with their journeys and
diversity) took **{work_out['wall']:.1f} s** ({work_out['cpu']:.1f} s CPU, once); the clinic then reads what it kept.

Ten years of indicators for the whole authority: all {indicators['indicators']} indicators for each of
{indicators['years']} census years and {indicators['months']} months. {as_read}

Worked out from the record, as the job that keeps the trend does ({indicators['first']} to {indicators['last']};
{indicators['figures']:,} figures from {indicators['rows']:,} rows of the record; `figures.indicators_over`: the
indicators in {indicators['groups']} groups that read no table in common, each group reading only its own tables and
computing its own figures, in processes of their own): **{indicators['total']:.2f} s** in
{indicators['cores']} processes, one for each core of this machine ({verdict}: {INDICATORS_TARGET_S} s); in one
process, the groups one after another, {indicators['one_process']:.2f} s ({indicators['one_process_cpu']:.2f} s CPU).
Medians of {indicators['runs']}.

{kept_note(kept)}

Environment: {environment}. Reproduce: `.venv/bin/python bench/insight_pages.py --refresh`
{'--postgres URL ' if engine == 'PostgreSQL' else ''}(`make bench-insight`).
""")


if __name__ == "__main__":
    main()
