"""`manage.py validate_cin FILE.xml --year 2025-26 [--csv OUT.csv]`: check a CIN census file against a year's
rules, print a summary and every issue, and exit 1 when it has errors (queries alone exit 0). Reads no database:
it is the same validator the page runs (casefile/rules/cin), for scripts and CI."""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from casefile.returns.validation import COLUMNS, KIND_LABELS, header_year, run_rules
from casefile.rules.cin import packs
from casefile.rules.cin.parse import CensusFileError, parse
from casefile.rules.police_notifications import neutralise_for_spreadsheet


class Command(BaseCommand):
    help = "Validate a CIN census XML file against a census year's rules; exit 1 when it has errors."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The census file (XML)")
        parser.add_argument("--year", default="", help="The census year, e.g. 2025-26 (default: the file's header)")
        parser.add_argument("--csv", dest="csv_path", default="", help="Also write the issues to this CSV file")

    def handle(self, *args, file: str, year: str, csv_path: str, **options):
        started = time.perf_counter()
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            chosen = year or header_year(data)
            if not chosen:
                raise CommandError("The file's header names no census year: give --year")
            pack = packs.pack(chosen)
            census = parse(data)
        except (CensusFileError, packs.UnknownYear) as refusal:
            raise CommandError(f"{file} was not checked: {refusal}") from None
        issues = run_rules(census, pack)
        errors = sum(1 for issue in issues if issue.is_error)
        seconds = time.perf_counter() - started
        write = self.stdout.write
        write(f"{file}: {len(census.children):,} children checked against {len(pack.rules)} rules for {chosen} "
              f"in {seconds:.1f} s")
        write(f"{errors:,} errors, {len(issues) - errors:,} queries")
        for code, count in sorted(Counter(issue.code for issue in issues).items()):
            write(f"  rule {code}: {count:,}")
        for issue in issues:
            where = f"{issue.table}.{', '.join(issue.fields)}"
            write(f"{KIND_LABELS[issue.kind]:5} {issue.code:6} {issue.child or '(the return)'}  {where} "
                  f"= {issue.value!r}: {issue.message}")
        if csv_path:
            with open(csv_path, "w", newline="", encoding="utf-8-sig") as out:
                writer = csv.writer(out)
                writer.writerow(COLUMNS)
                for issue in issues:
                    writer.writerow([neutralise_for_spreadsheet(str(cell)) for cell in (
                        issue.child or "", issue.table, ", ".join(issue.fields), issue.value, issue.code,
                        KIND_LABELS[issue.kind], issue.message)])
            write(f"Issues written to {csv_path}")
        if errors:
            sys.exit(1)
