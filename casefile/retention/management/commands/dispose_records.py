"""List the children's records past their retention date (a dry run, the default), or dispose of them.

    manage.py dispose_records                         # lists what is due and its fingerprint; changes nothing
    manage.py dispose_records --approve FINGERPRINT --approved-by ada

The approval names the fingerprint of the list the administrator checked: if anything changed since (a new contact
about a listed child), nothing is disposed of and the list must be checked again (docs/production.md).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from casefile.accounts.models import User
from casefile.core.presenters import govuk_date, plural
from casefile.retention import schedule
from casefile.retention.services import dispose_due_records


class Command(BaseCommand):
    help = "List the records due for disposal (dry run), or dispose of them with --approve and --approved-by."

    def add_arguments(self, parser):
        parser.add_argument("--approve", metavar="FINGERPRINT", help="The fingerprint of the list you checked")
        parser.add_argument("--approved-by", metavar="USERNAME", help="The administrator approving the disposal")

    def handle(self, *args, approve=None, approved_by=None, **options):
        if approve is None and approved_by is None:
            self._list()
            return
        if not (approve and approved_by):
            raise CommandError("To dispose of records give both --approve FINGERPRINT and --approved-by USERNAME.")
        actor = User.objects.filter(username=approved_by, is_active=True).first()
        if actor is None:
            raise CommandError(f"--approved-by: there is no active user called {approved_by}.")
        try:
            run = dispose_due_records(actor=actor, fingerprint=approve)
        except PermissionDenied as error:
            raise CommandError(f"--approved-by: {error}") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.message_dict["fingerprint"])) from None
        for tombstone in run.records.all():
            self.stdout.write(f"Disposed of {tombstone.reference}: {tombstone.retention_kind}, {tombstone.rule}")
        self.stdout.write(self.style.SUCCESS(
            f"Disposal run {run.pk}: {plural(run.records.count(), 'record')} disposed of, approved by "
            f"{actor.username}. Each has a tombstone and an audit event."))

    def _list(self) -> None:
        found = schedule.listing()
        self.stdout.write(f"Records due for disposal on {govuk_date(found.as_of)}: {len(found.due)}")
        for file in found.due:
            verdict = file.verdict
            merged = f" (with merged records {', '.join(map(str, file.merged_ids))})" if file.merged_ids else ""
            self.stdout.write(f"  {file.person.reference}{merged}: {verdict.rule.label.lower()}, "
                              f"{verdict.rule.describe()}, due from {govuk_date(verdict.dispose_on)} "
                              f"({verdict.rule.source})")
        self.stdout.write(f"Held, with the reason: {len(found.held)}")
        for file in found.held:
            self.stdout.write(f"  {file.person.reference}: {file.verdict.held_because}")
        if found.due:
            self.stdout.write(f"Nothing was deleted. To dispose of these records, check the list, then run:\n"
                              f"  manage.py dispose_records --approve {found.fingerprint} --approved-by USERNAME")
        else:
            self.stdout.write("Nothing was deleted: no record is due.")
