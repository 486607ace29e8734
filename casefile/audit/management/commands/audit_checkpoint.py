from django.core.management.base import BaseCommand, CommandError

from casefile.audit import anchor


class Command(BaseCommand):
    help = ("Append the audit trail's head (newest event and its seal) to the checkpoint file outside the database "
            "(CASEFILE_AUDIT_CHECKPOINT_FILE). Run it from a timer; ship the file elsewhere.")

    def handle(self, *args, **options):
        checkpoint = anchor.write_checkpoint()
        if checkpoint is None:
            raise CommandError("No checkpoint written: set CASEFILE_AUDIT_CHECKPOINT_FILE, or the trail is empty.")
        self.stdout.write(f"Checkpoint: event {checkpoint.event} at {checkpoint.at}.")
