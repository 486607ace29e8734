"""Compute the kept performance figures from the record (run it nightly, after go-live, and after a data fix)."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from casefile.insight import figures


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        started = time.perf_counter()
        kept = figures.refresh(timezone.localdate(), lambda done, total, stage: self.stdout.write(
            f"{done}/{total} {stage}"))
        self.stdout.write(self.style.SUCCESS(
            f"Kept {kept:,} sets of figures in {time.perf_counter() - started:.1f} s"))
