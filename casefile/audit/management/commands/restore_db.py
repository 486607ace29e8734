from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casefile.audit.backups import BackupError, restore
from casefile.audit.management.commands.verify_audit import describe


class Command(BaseCommand):
    help = ("Restore a backup made by backup_db into a new, empty database (the one DATABASE_URL names), then "
            "verify its audit trail (docs/backups.md).")

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the file backup_db wrote")

    def handle(self, *args, backup, **options):
        try:
            report = restore(backup)
        except BackupError as error:
            raise CommandError(str(error)) from None
        lost = [problem for problem in report.problems if problem.missing]
        broken = [problem for problem in report.problems if not problem.missing]
        if broken:
            raise CommandError(f"Restored, but do not use it: {describe(broken[0])}")
        for problem in lost:
            self.stderr.write(self.style.WARNING(f"Events recorded after this backup are lost: {describe(problem)}"))
        self.stdout.write(self.style.SUCCESS(f"Restored {backup}; audit trail intact: {report.checked} events."))
