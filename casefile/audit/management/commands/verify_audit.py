from django.core.management.base import BaseCommand, CommandError

from casefile.audit.verify import first_broken_link


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and name the first broken link."

    def handle(self, *args, **options):
        checked, broken = first_broken_link()
        if broken is not None:
            raise CommandError(
                f"Audit trail broken at event {broken.event_id}: it {broken.problem}. "
                f"{checked} events before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked} events checked."))
