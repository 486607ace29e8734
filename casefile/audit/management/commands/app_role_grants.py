from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from casefile.audit.roles import app_role_grants


class Command(BaseCommand):
    help = ("Print the GRANT statements for the PostgreSQL role the application runs as: it owns no table, and may "
            "only read and add audit events (docs/audit-trail.md). Run the output as the owner role.")

    def add_arguments(self, parser):
        parser.add_argument("role", help="the application's role, e.g. casefile_app")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are for PostgreSQL; SQLite has none.")
        for statement in app_role_grants(role):
            self.stdout.write(statement + ";")
