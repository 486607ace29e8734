from django.core.management.base import BaseCommand, CommandError

from casefile.audit.verify import verify
from casefile.core.presenters import plural


class Command(BaseCommand):
    help = ("Check the audit trail's chain, each event's seal under the audit key, and the checkpoints kept outside "
            "the database; name each event found wrong.")

    def handle(self, *args, **options):
        report = verify()
        for note in report.notes:
            self.stderr.write(self.style.WARNING(note))
        if report.problems:
            lines = [describe(problem) for problem in report.problems]
            raise CommandError(f"{lines[0]} Intact before it: {plural(report.checked, 'event')}."
                               + "".join(f"\nAlso: {line}" for line in lines[1:]))
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {plural(report.checked, 'event')} checked."))


def describe(problem) -> str:
    if problem.event_id:
        return f"Audit trail broken at event {problem.event_id}: it {problem.problem}."
    return f"Audit trail broken: {problem.problem}."
