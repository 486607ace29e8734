"""The audit table refuses UPDATE and DELETE in the database itself, whatever issues the statement."""

import pytest
from django.db import DatabaseError, connection, transaction

from casefile.audit.models import Action, AuditEvent
from casefile.audit.services import record


@pytest.fixture
def event(org):
    return record(Action.SIGN_IN, actor=org.sam)


def _refused(sql: str, params=()) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return "append-only" in str(error)
    return False


def test_raw_update_is_refused(event):
    assert _refused("UPDATE audit_auditevent SET reason = 'edited' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.reason == ""


def test_raw_delete_is_refused(event):
    assert _refused("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_orm_update_and_delete_are_refused(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.VIEW)
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == Action.SIGN_IN


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists only on PostgreSQL")
@pytest.mark.django_db(transaction=True)  # committed rows: inside a test transaction TRUNCATE fails for other reasons
def test_truncate_is_refused_on_postgresql(event):
    assert _refused("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
