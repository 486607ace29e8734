from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from casefile.audit import guards
from casefile.audit.models import Action, AuditEvent
from casefile.audit.services import GENESIS_HASH, AnonymousAuditError, record, record_many


@pytest.fixture
def chain(org, child):
    return [
        record(Action.SIGN_IN, actor=org.sam),
        record(Action.VIEW, actor=org.sam, subject=child, child=child, details={"page": "people:record"}),
        record(Action.SEARCH, actor=org.sam, details={"name": "Lily"}),
        record(Action.EXPORT, actor=org.tess, subject=child, child=child, reason="Court bundle"),
    ]


def _tamper(sql: str, params) -> None:
    """Change a row behind the application's back, as someone with database access could."""
    guards.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        guards.install(connection)


def test_each_event_points_at_the_one_before(chain):
    assert chain[0].prev_hash == GENESIS_HASH
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.hash


def test_the_hash_still_matches_after_reading_back(chain):
    for event in AuditEvent.objects.all():
        assert event.compute_hash() == event.hash


def test_verify_audit_passes_an_intact_chain(chain):
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact: 4 events" in out.getvalue()


def test_verify_audit_names_a_changed_row(chain):
    _tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["Nothing to see", chain[3].pk])
    with pytest.raises(CommandError, match=f"broken at event {chain[3].pk}: it has been changed"):
        call_command("verify_audit")


def test_verify_audit_names_the_event_after_a_deleted_row(chain):
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [chain[1].pk])
    with pytest.raises(CommandError, match=f"broken at event {chain[2].pk}: it does not follow"):
        call_command("verify_audit")


def test_verify_audit_names_the_first_of_several_broken_links(chain):
    _tamper("UPDATE audit_auditevent SET actor_role = %s WHERE id = %s", ["administrator", chain[1].pk])
    _tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["x", chain[3].pk])
    with pytest.raises(CommandError, match=f"broken at event {chain[1].pk}"):
        call_command("verify_audit")


def test_an_event_without_an_actor_is_refused(db):
    with pytest.raises(AnonymousAuditError):
        record(Action.VIEW)


def test_an_unknown_action_is_refused(org):
    with pytest.raises(ValueError):
        record("peek", actor=org.sam)


def test_events_appended_in_bulk_continue_the_chain_in_order(chain, org, child):
    bulk = record_many(Action.CREATE, actor=org.fran, events=[(child, child, {"n": n}) for n in range(3)])
    after = record(Action.SIGN_OUT, actor=org.fran)
    stored = list(AuditEvent.objects.order_by("id"))
    assert [event.details.get("n") for event in stored[-4:-1]] == [0, 1, 2]
    assert stored[-4].prev_hash == chain[-1].hash and after.prev_hash == bulk[-1].hash
    assert all(event.hash == event.compute_hash() for event in stored)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue().lower()
