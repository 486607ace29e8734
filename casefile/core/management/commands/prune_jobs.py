"""Delete finished background jobs, and the files they kept (PDFs of children's records), after some days."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from casefile.core.models import Job


class Command(BaseCommand):
    help = "Delete background jobs that finished more than --days days ago, with any file they kept."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Keep jobs finished within this many days (7)")

    def handle(self, *args, days: int, **options):
        cutoff = timezone.now() - datetime.timedelta(days=days)
        deleted, _ = Job.objects.filter(finished_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} job(s) finished before {timezone.localtime(cutoff):%d/%m/%Y %H:%M}")
