"""Work out every drift and quality signal for the whole authority from the record and keep the findings (run it
nightly, just after midnight, and after a change to the signal thresholds or the calendar)."""

from django.core.management.base import BaseCommand

from casefile.oversight import kept_signals


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        kept = kept_signals.refresh(progress=lambda done, total, stage: self.stdout.write(f"{done}/{total} {stage}"))
        self.stdout.write(self.style.SUCCESS(
            f"Kept {kept.findings.count():,} findings for {kept.today} (children checked: "
            f"{kept.children:,}), worked out in {kept.seconds:.1f} s"))
