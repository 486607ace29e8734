"""Django's development server (with the static files it serves), refusing to serve the demo beyond loopback."""

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticFilesRunserver
from django.core.management.base import CommandError

from casefile.core.loopback import demo_refusal


class Command(StaticFilesRunserver):
    def run(self, **options):
        # handle() has parsed the address into self.addr before it calls run().
        refusal = demo_refusal(self.addr) if settings.DEMO_MODE else None
        if refusal:
            raise CommandError(refusal)
        super().run(**options)
