"""Checking the audit trail: its chain, each event's seal under the audit key, and the checkpoints kept outside
the database (ADR 0003, ADR 0017, docs/audit-trail.md)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from casefile.audit import anchor
from casefile.audit.models import AuditEvent
from casefile.audit.services import GENESIS_HASH
from casefile.core.presenters import plural

UNSEALED = "is the newest event and is not sealed with the audit key: run `manage.py seal_audit` (docs/audit-trail.md)"


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    problem: str
    missing: bool = False  # a checkpointed event no longer there (expected of a restore from an older backup)


@dataclass
class Report:
    checked: int = 0
    head: int | None = None  # the newest event's id
    checkpointed_seen: set[int] = field(default_factory=set)
    problems: list[BrokenLink] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def verify(batch_size: int = 2000) -> Report:
    """Walk the chain, then compare it with the checkpoints: every problem found, each naming its event."""
    checkpoints = anchor.read_checkpoints()
    expected = _expected_heads(checkpoints or [])
    report = Report()
    broken = _walk(report, expected.values, batch_size)
    if broken is not None:
        report.problems.append(broken)
    report.problems.extend(expected.problems)
    if broken is None:
        report.problems.extend(_compare(report, expected))
    if checkpoints is None:
        report.notes.append("No checkpoint has been written outside the database (CASEFILE_AUDIT_CHECKPOINT_FILE), "
                            "so the removal of the newest events could not be checked.")
    if expected.lost:
        report.notes.append(f"Restores from backups set aside {plural(expected.lost, 'checkpoint')} of the events "
                            "lost with them.")
    return report


def first_broken_link(batch_size: int = 2000) -> tuple[int, BrokenLink | None]:
    """How many events were checked, and the first problem found, if any."""
    report = verify(batch_size)
    return report.checked, (report.problems[0] if report.problems else None)


def _walk(report: Report, checkpointed: dict, batch_size: int) -> BrokenLink | None:
    """Each event must follow the one before it and carry a seal that matches its content; once events are
    sealed under the key, no unsealed one may follow (only the trail from before the key has none)."""
    expected_prev, previous_id, sealed_seen, last_id = GENESIS_HASH, None, False, 0
    while batch := list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size]):
        for event in batch:
            broken = _check(event, expected_prev, previous_id, sealed_seen)
            if broken is not None:
                return broken
            if event.id in checkpointed:
                if checkpointed[event.id][0] != event.hash:
                    return BrokenLink(event.id, f"differs from the checkpoint written at {checkpointed[event.id][1]}")
                report.checkpointed_seen.add(event.id)
            expected_prev, previous_id, sealed_seen = event.hash, event.id, sealed_seen or bool(event.key_id)
            report.checked += 1
        last_id = report.head = batch[-1].id
    if report.head is not None and not sealed_seen:
        return BrokenLink(report.head, UNSEALED)
    return None


def _check(event: AuditEvent, expected_prev: str, previous_id: int | None, sealed_seen: bool) -> BrokenLink | None:
    if event.prev_hash != expected_prev:
        after = f"event {previous_id}" if previous_id is not None else "the start of the trail"
        return BrokenLink(event.id, f"does not follow {after} before it (events between were removed, or it was "
                                    "inserted)")
    if sealed_seen and not event.key_id:
        return BrokenLink(event.id, "is not sealed with the audit key, yet follows events that are: it was "
                                    "written without the key, not by Casefile")
    try:
        seal = event.compute_hash()
    except anchor.UnknownKeyError:
        return BrokenLink(event.id, f"is sealed with key {event.key_id!r}, which this server does not hold "
                                    "(CASEFILE_AUDIT_RETIRED_KEYS)")
    if not hmac.compare_digest(seal, event.hash):
        return BrokenLink(event.id, "has been changed since it was written (its seal does not match its content; "
                                    "a chain recomputed without the key after a removed event shows this way too)")
    return None


@dataclass
class _Expected:
    values: dict = field(default_factory=dict)  # event id -> (hash, when checkpointed)
    problems: list[BrokenLink] = field(default_factory=list)
    lost: int = 0


def _expected_heads(checkpoints: list[anchor.Checkpoint]) -> _Expected:
    """What the checkpoints say the trail held. A "restored" line (restore_db) says the trail was restored from a
    backup ending at its event: the checkpoints before it of later events describe events lost with the restore."""
    expected = _Expected()
    for checkpoint in checkpoints:
        if not checkpoint.signed:
            expected.problems.append(BrokenLink(0, f"line {checkpoint.line} of the checkpoint file is not signed "
                                                   "with the audit key (the file was edited)"))
            continue
        if checkpoint.kind == "restored":
            later = [event for event in expected.values if event > checkpoint.event]
            expected.lost += len(later)
            for event in later:
                del expected.values[event]
        expected.values[checkpoint.event] = (checkpoint.hash, checkpoint.at)
    return expected


def _compare(report: Report, expected: _Expected) -> list[BrokenLink]:
    """Every event a checkpoint recorded must still be there: the first one missing is named."""
    missing = sorted(set(expected.values) - report.checkpointed_seen)
    if not missing:
        return []
    event, when = missing[0], expected.values[missing[0]][1]
    ends = f"the trail ends at event {report.head}" if report.head is not None else "the trail is empty"
    removed = "the newest events were removed" if report.head is None or event > report.head else "it was removed"
    return [BrokenLink(event, f"is missing: the checkpoint written at {when} recorded it, but {ends} ({removed})",
                       missing=True)]
