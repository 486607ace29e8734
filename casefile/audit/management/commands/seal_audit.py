from django.core.management.base import BaseCommand, CommandError

from casefile.audit import anchor
from casefile.audit.models import Action, AuditEvent
from casefile.audit.services import record
from casefile.audit.verify import UNSEALED, verify


class Command(BaseCommand):
    help = ("Seal an audit trail written before the audit key existed: check its chain, then append one event "
            "sealed under the key on top of it, and write a checkpoint (docs/audit-trail.md, 'Upgrading').")

    def handle(self, *args, **options):
        head = AuditEvent.objects.order_by("-id").first()
        if head is None:
            self.stdout.write("Nothing to seal: the audit trail is empty.")
            return
        if head.key_id:
            self.stdout.write(f"Already sealed: the newest event ({head.pk}) is sealed with key {head.key_id!r}.")
            return
        report = verify()
        broken = [problem for problem in report.problems if problem.problem != UNSEALED]
        if broken:
            raise CommandError(f"Not sealed: event {broken[0].event_id} {broken[0].problem}. "
                               "Sealing would vouch for it.")
        # One event under the key whose seal covers the old head: changing any older event now breaks this seal.
        event = record(Action.SEAL, allow_anonymous=True, reason="The audit trail was sealed under its key",
                       details={"events_before": report.checked, "head": head.hash})
        anchor.write_checkpoint()
        self.stdout.write(self.style.SUCCESS(
            f"Sealed: the {report.checked} earlier events are covered by event {event.pk}."))

