"""Time the performance clinic's PDF (insight/tasks.py `_clinic_pdf`'s steps) for the whole authority on the database
bench/simulate_large.py built, and record it in bench/results.md.

    .venv/bin/python bench/clinic_pdf.py [--database PATH] [--year 2025-26]

The target (issue 12): a clinic PDF in under 10 s on the large authority. It runs as a background task either way:
reading the record alone takes over a second on `medium` (docs/insight.md).
"""

from __future__ import annotations

import argparse
import time

import _common


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=_common.DEFAULT_DATABASE)
    parser.add_argument("--year", default="2025-26")
    options = parser.parse_args()
    _common.setup_django(_common.Path(options.database), fresh=False)

    from casefile.insight import clinic, clinic_pdf, cohort

    periods = clinic.census_year_trend(options.year)
    steps = {}
    wall = time.perf_counter()
    start = time.perf_counter()
    record = cohort.load(periods[-1].end)
    steps["Reading the record (`cohort.load`)"] = time.perf_counter() - start
    start = time.perf_counter()
    found = clinic.figures(record, periods, clinic.Scope())
    steps["Every indicator over four census years"] = time.perf_counter() - start
    start = time.perf_counter()
    pdf = clinic_pdf.render("The whole authority", periods, found, produced_by="Benchmark")
    steps["Laying out the tagged PDF (WeasyPrint)"] = time.perf_counter() - start
    total = time.perf_counter() - wall
    rows = "\n".join(f"| {name} | {seconds:.1f} s |" for name, seconds in steps.items())
    verdict = "under" if total < 10 else "OVER"
    body = f"""
## Performance clinic as a PDF: the whole `large` authority, census year {options.year} and the three before

| Step | Time |
|---|---|
{rows}
| **End to end** | **{total:.1f} s** ({verdict} the 10 s target) |

{len(record.contacts):,} contacts and {len(record.episodes):,} episodes read; the PDF is {len(pdf) / 1e3:,.0f} kB.
It runs as a background task (insight/tasks.py), so the person follows its progress rather than waiting on a page.
Environment: {_common.environment()}.
"""
    print(body)
    _common.write_section("clinic_pdf_large", body)


if __name__ == "__main__":
    main()
