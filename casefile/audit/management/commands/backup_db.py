from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casefile.audit.backups import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the whole database to a new file with the database's own tools (SQLite's online backup, "
            "pg_dump): the audit trail restores exactly and verifies (docs/backups.md).")

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="the backup file to write (must not exist)")

    def handle(self, *args, output, **options):
        try:
            backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backed up to {output} ({output.stat().st_size:,} bytes)."))
