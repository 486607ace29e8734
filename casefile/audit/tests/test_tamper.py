"""Tampering by someone who can write to the database (and drop its triggers) but does not hold the audit key:
`verify_audit` finds each change and names the event (ADR 0017). Runs on SQLite and on PostgreSQL."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from casefile.audit import anchor, guards
from casefile.audit.models import Action, AuditEvent
from casefile.audit.services import record, record_many


@pytest.fixture
def checkpoints(settings, tmp_path):
    settings.CASEFILE_AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints")
    return tmp_path / "audit-checkpoints"


@pytest.fixture
def trail(org, child):
    """Sixty events, as a morning's work leaves them."""
    record(Action.SIGN_IN, actor=org.sam)
    record(Action.VIEW, actor=org.sam, subject=child, child=child, details={"page": "people:record"})
    record_many(Action.VIEW, actor=org.tess, events=[(child, child, {"n": n}) for n in range(57)])
    record(Action.EXPORT, actor=org.tess, subject=child, child=child, reason="Court bundle")
    return list(AuditEvent.objects.order_by("id"))


def _as_someone_with_database_access(*statements) -> None:
    """Drop the append-only triggers, change rows behind the application's back, put the triggers back."""
    guards.remove(connection)
    try:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
    finally:
        guards.install(connection)


def _recompute_chain_without_the_key(after_id: int, key_id: str | None = None, upto: int | None = None) -> None:
    """What a forger can do: re-link the events from `after_id` (to `upto`) with hashes they can compute."""
    events = list(AuditEvent.objects.filter(id__gte=after_id, id__lte=upto or 2**62).order_by("id"))
    previous = AuditEvent.objects.filter(id__lt=after_id).order_by("-id").values_list("hash", flat=True).first()
    updates = []
    for event in events:
        event.prev_hash = previous or "0" * 64
        if key_id is not None:
            event.key_id = key_id
        content = json.dumps(event.hashed_content(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        event.hash = previous = hashlib.sha256(content.encode()).hexdigest()
        updates.append(("UPDATE audit_auditevent SET prev_hash = %s, hash = %s, key_id = %s WHERE id = %s",
                        [event.prev_hash, event.hash, event.key_id, event.id]))
    _as_someone_with_database_access(*updates)


def _verify_fails(match: str) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("verify_audit")


def test_the_key_seals_each_event_so_its_hash_is_not_a_plain_sha256(trail):
    event = trail[0]
    plain = hashlib.sha256(anchor.canonical_json(event.hashed_content())).hexdigest()
    assert event.key_id == "1" and event.hash != plain and event.hash == event.compute_hash()


def test_a_changed_row_is_named(trail):
    _as_someone_with_database_access(
        ("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["Nothing to see", trail[-1].pk]))
    _verify_fails(f"broken at event {trail[-1].pk}: it has been changed")


def test_a_changed_row_with_its_chain_recomputed_without_the_key_is_named(trail):
    _as_someone_with_database_access(
        ("UPDATE audit_auditevent SET actor_username = %s WHERE id = %s", ["someone.else", trail[5].pk]))
    _recompute_chain_without_the_key(trail[5].pk)
    _verify_fails(f"broken at event {trail[5].pk}: it has been changed")


def test_a_removed_row_with_the_chain_recomputed_without_the_key_is_named(trail):
    _as_someone_with_database_access(("DELETE FROM audit_auditevent WHERE id = %s", [trail[1].pk]))
    _recompute_chain_without_the_key(trail[2].pk)
    _verify_fails(f"broken at event {trail[2].pk}: it has been changed")


def test_a_chain_recomputed_as_if_written_before_the_key_is_named(trail):
    _as_someone_with_database_access(("DELETE FROM audit_auditevent WHERE id = %s", [trail[1].pk]))
    _recompute_chain_without_the_key(trail[2].pk, key_id="")
    _verify_fails(f"broken at event {trail[2].pk}: it is not sealed with the audit key, yet follows")


def test_a_whole_trail_rewritten_without_the_key_is_named(trail):
    _as_someone_with_database_access(("DELETE FROM audit_auditevent WHERE id = %s", [trail[1].pk]))
    _recompute_chain_without_the_key(trail[0].pk, key_id="")
    _verify_fails(f"broken at event {trail[-1].pk}: it is the newest event and is not sealed")


def test_a_removed_row_without_recomputing_is_named(trail):
    _as_someone_with_database_access(("DELETE FROM audit_auditevent WHERE id = %s", [trail[1].pk]))
    _verify_fails(f"broken at event {trail[2].pk}: it does not follow event {trail[0].pk}")


def test_the_newest_fifty_rows_cut_off_are_found_by_the_checkpoint(trail, checkpoints):
    call_command("audit_checkpoint")
    _as_someone_with_database_access(("DELETE FROM audit_auditevent WHERE id > %s", [trail[-51].pk]))
    _verify_fails(f"broken at event {trail[-1].pk}: it is missing: the checkpoint written at .* recorded it, "
                  f"but the trail ends at event {trail[-51].pk}")


def test_the_whole_trail_emptied_is_found_by_the_checkpoint(trail, checkpoints):
    call_command("audit_checkpoint")
    _as_someone_with_database_access(("DELETE FROM audit_auditevent", []))
    _verify_fails(f"broken at event {trail[-1].pk}: it is missing: .* but the trail is empty")


def test_a_cut_made_then_hidden_by_appending_new_events_is_named(trail, checkpoints, org):
    call_command("audit_checkpoint")
    _as_someone_with_database_access(("DELETE FROM audit_auditevent WHERE id > %s", [trail[-3].pk]))
    for _ in range(5):  # new events, sealed by the application, take the head past the checkpointed event
        record(Action.SIGN_IN, actor=org.sam)
    _verify_fails(f"broken at event {trail[-1].pk}: it is missing: the checkpoint written at .* recorded it")


def test_an_edited_checkpoint_file_is_named(trail, checkpoints):
    call_command("audit_checkpoint")
    line = json.loads(checkpoints.read_text())
    line["event"] = trail[-51].pk
    checkpoints.write_text(json.dumps(line) + "\n")
    _verify_fails("line 1 of the checkpoint file is not signed with the audit key")


def test_an_intact_trail_with_checkpoints_passes(trail, checkpoints, capsys):
    call_command("audit_checkpoint")
    record(Action.SIGN_OUT, actor=trail[0].actor)
    call_command("verify_audit")
    assert f"intact: {len(trail) + 1} events" in capsys.readouterr().out


def test_without_a_checkpoint_file_verify_says_a_cut_cannot_be_seen(trail, capsys):
    call_command("verify_audit")
    assert "No checkpoint has been written outside the database" in capsys.readouterr().err


def test_events_sealed_before_a_key_rotation_still_verify_with_the_retired_key(trail, settings):
    old_key = settings.CASEFILE_AUDIT_KEY
    settings.CASEFILE_AUDIT_KEY, settings.CASEFILE_AUDIT_KEY_ID = "n" * 64, "2"
    settings.CASEFILE_AUDIT_RETIRED_KEYS = {"1": old_key}
    newer = record(Action.SIGN_OUT, actor=trail[0].actor)
    assert newer.key_id == "2"
    call_command("verify_audit")
    settings.CASEFILE_AUDIT_RETIRED_KEYS = {}
    _verify_fails(f"broken at event {trail[0].pk}: it is sealed with key '1', which this server does not hold")


def test_a_key_that_is_too_short_is_refused(trail, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.CASEFILE_AUDIT_KEY = "short"
    with pytest.raises(ImproperlyConfigured, match="shorter than 32 characters"):
        record(Action.SIGN_OUT, actor=trail[0].actor)


def _trail_from_before_the_key(org, count: int = 3) -> list[AuditEvent]:
    """Events as Casefile wrote them before the audit key: plain SHA-256 links, key id ""."""
    previous, events = "0" * 64, []
    for n in range(count):
        event = AuditEvent(actor=org.sam, actor_username="sam", action=Action.VIEW, details={"n": n},
                           prev_hash=previous, key_id="")
        event.hash = previous = event.compute_hash()
        events.append(event)
    return AuditEvent.objects.bulk_create(events)


def test_a_trail_from_before_the_key_must_be_sealed_and_then_verifies(org):
    _trail_from_before_the_key(org)
    _verify_fails("it is the newest event and is not sealed with the audit key: run `manage.py seal_audit`")
    call_command("seal_audit")
    seal = AuditEvent.objects.order_by("id").last()
    assert seal.action == Action.SEAL and seal.key_id == "1" and seal.details["events_before"] == 3
    call_command("verify_audit")


def test_after_sealing_an_old_event_changed_and_recomputed_is_named(org):
    old = _trail_from_before_the_key(org)
    call_command("seal_audit")
    _as_someone_with_database_access(("UPDATE audit_auditevent SET actor_username = %s WHERE id = %s",
                                      ["nobody", old[1].pk]))
    _recompute_chain_without_the_key(old[1].pk, key_id="", upto=old[-1].pk)  # the sealed event cannot be redone
    seal = AuditEvent.objects.get(action=Action.SEAL)
    _verify_fails(f"broken at event {seal.pk}: it does not follow event {old[-1].pk}")


def test_a_broken_trail_is_not_sealed(org):
    old = _trail_from_before_the_key(org)
    _as_someone_with_database_access(("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["x", old[0].pk]))
    with pytest.raises(CommandError, match=f"Not sealed: event {old[0].pk} has been changed"):
        call_command("seal_audit")
    assert not AuditEvent.objects.filter(action=Action.SEAL).exists()


def test_a_checkpoint_is_written_after_an_append_commits_at_most_once_a_minute(org, checkpoints, settings,
                                                                               django_capture_on_commit_callbacks):
    anchor._last_checkpoint["monotonic"] = float("-inf")
    with django_capture_on_commit_callbacks(execute=True):
        first = record(Action.SIGN_IN, actor=org.sam)
    with django_capture_on_commit_callbacks(execute=True):
        record(Action.SIGN_OUT, actor=org.sam)  # within the minute: no second line
    lines = [json.loads(line) for line in checkpoints.read_text().splitlines()]
    assert [(line["kind"], line["event"], line["hash"]) for line in lines] == [("checkpoint", first.pk, first.hash)]


def test_a_restore_from_an_older_backup_is_recorded_so_later_checks_pass(trail, checkpoints, capsys):
    call_command("audit_checkpoint")
    _as_someone_with_database_access(("DELETE FROM audit_auditevent WHERE id > %s", [trail[-6].pk]))  # the backup
    _verify_fails(f"broken at event {trail[-1].pk}: it is missing")
    anchor.write_checkpoint(kind="restored")  # as restore_db does once the restored trail verifies
    call_command("verify_audit")
    assert "Restores from backups set aside 1 checkpoint of the events lost with them" in capsys.readouterr().err
