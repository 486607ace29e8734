"""`manage.py seed_demo`: build the demo authority (once) and print its logins, and what each finds: run after
`simulate_la`, the social workers hold children from the simulated authority at every stage."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casefile.demo import seed as demo


class Command(BaseCommand):
    help = ("Create the demo logins, a few hand-made families and contacts at the front door, and give the logins "
            "cases from the simulated authority (load it first with simulate_la). Does nothing if it already exists.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed builds the same data.")
        parser.add_argument(
            "--force", action="store_true",
            help="Seed even though CASEFILE_DEMO is off. No passwords are set then: demo passwords never reach "
                 "a real service.",
        )

    def handle(self, *args, seed: int, force: bool, **options):
        if not (settings.DEMO_MODE or force):
            raise CommandError(
                "seed_demo only runs in demo mode: set CASEFILE_DEMO=1 (as `make demo` does), "
                "or pass --force to create the data without any passwords."
            )
        result = demo.seed(seed=seed)
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"Created the demo authority (seed {seed})."))
        else:
            self.stdout.write("The demo authority already exists: nothing created.")
        self._print_logins()

    def _print_logins(self) -> None:
        rows = [("Username", "Role", "Team"), *demo.login_rows()]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        for line in demo.front_door_roles():
            self.stdout.write(line)
        for line in demo.caseload_lines(timezone.localdate()):
            self.stdout.write(line)
        if settings.DEMO_MODE:
            self.stdout.write(f"Password for every demo login: {demo.DEMO_PASSWORD}")
        else:
            self.stdout.write("No passwords are set: CASEFILE_DEMO is off, so these accounts cannot sign in.")
