"""manage.py export_cin --year 2025-26 --output FILE.xml: the CIN census file for a census year (the year ending
31 March 2026), built from the record and checked against the year's XSD and rules (the rules' counts are
printed; `validate_cin FILE` lists each issue); audited as a system export."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casefile.audit.models import Action
from casefile.audit.services import record
from casefile.core.presenters import plural
from casefile.returns import census
from casefile.rules.census_projection import UnknownYear


class Command(BaseCommand):
    help = "Export the CIN census XML for a census year, checked against the census schema."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help=f"The census year, one of {', '.join(census.YEARS)}")
        parser.add_argument("--output", required=True, help="The file to write, for example CIN_2025_26.xml")

    def handle(self, *args, year: str, output: str, **options):
        try:
            census.census_year(year)
        except UnknownYear as error:
            raise CommandError(str(error)) from None
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"There is no folder {target.parent} to write {target.name} in.")

        def progress(done: int, total: int, stage: str) -> None:
            self.stdout.write(f"{stage}…")

        try:
            made = census.export_and_validate(year, progress=progress)
        except census.SchemaProblem as problem:
            raise CommandError(f"{problem} No file was written.") from None
        xml = made.xml
        target.write_bytes(xml)
        record(Action.EXPORT, allow_anonymous=True, reason="CIN census return (system export)",
               details={"command": "export_cin", "return": "cin_census", "year": year, "format": "xml",
                        "bytes": len(xml), "file": str(target)})
        self.stdout.write(self.style.SUCCESS(f"Wrote the {year} CIN census to {target} ({len(xml):,} bytes)."))
        errors = sum(issue.is_error for issue in made.issues)
        self.stdout.write(f"Checked against the {year} rules: {plural(errors, 'error')} and "
                          f"{plural(len(made.issues) - errors, 'query', 'queries')}"
                          + (f" (manage.py validate_cin {target} --year {year} lists them)." if made.issues else "."))
