"""Production runs as a PostgreSQL role that owns no table (docs/audit-trail.md): it may add audit events, and
is refused every way of changing, removing or un-guarding them."""

import secrets

import pytest
from django.db import DatabaseError, connection, transaction

from casefile.audit.models import Action, AuditEvent
from casefile.audit.roles import app_role_grants
from casefile.audit.services import record
from casefile.people.models import Person

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")


@pytest.fixture
def as_app_role(db):
    """A role made as the docs say (rolled back with the test), and the connection switched to it."""
    role = f"casefile_app_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        for statement in app_role_grants(role):
            cursor.execute(statement)
        cursor.execute(f"SET ROLE {role}")
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def _refusal(sql: str) -> str:
    """The database's error for `sql`, run as the current role (a savepoint keeps the test's transaction usable)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as error:
        return str(error)
    return ""


@pytest.mark.parametrize(("sql", "refusal"), [
    ("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_update_delete", "must be owner of table"),
    ("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", "must be owner of table"),
    ("DROP TRIGGER audit_no_update_delete ON audit_auditevent", "must be owner of"),
    ("DROP TABLE audit_auditevent", "must be owner of"),
    ("SET session_replication_role = replica", "permission denied to set parameter"),
    ("UPDATE audit_auditevent SET reason = 'edited'", "permission denied for table audit_auditevent"),
    ("DELETE FROM audit_auditevent", "permission denied for table audit_auditevent"),
    ("TRUNCATE audit_auditevent", "permission denied for table audit_auditevent"),
])
def test_the_application_role_is_refused(org, as_app_role, sql, refusal):
    record(Action.SIGN_IN, actor=org.sam)
    assert refusal in _refusal(sql)
    assert AuditEvent.objects.count() == 1


def test_the_application_role_can_still_do_its_work(org, child, as_app_role):
    event = record(Action.VIEW, actor=org.sam, subject=child, child=child)
    Person.objects.filter(pk=child.pk).update(first_name="Lilly")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == as_app_role
