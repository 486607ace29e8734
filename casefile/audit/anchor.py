"""The audit trail's anchor outside the database (ADR 0017, docs/audit-trail.md).

Each event is sealed with an HMAC under a key the database never holds, so someone who can write to the database
cannot change, remove or insert an event and recompute the chain after it. Checkpoints of the chain's head, written
to a file outside the database (which an operator ships elsewhere), show when the newest events are cut off.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("casefile.audit")
MIN_KEY_LENGTH = 32
_last_checkpoint = {"monotonic": float("-inf")}


def canonical_json(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _local_key(path: Path) -> str:
    """The demo's (and DEBUG's) own key, made on first use in a gitignored file beside its SQLite database.
    Written aside then linked into place, so a process starting at the same moment never reads half a key."""
    if not path.exists():
        draft = path.with_name(f"{path.name}.{secrets.token_hex(4)}")
        draft.touch(mode=0o600)
        draft.write_text(secrets.token_hex(32) + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            draft.unlink()
    return path.read_text().strip()


def keys() -> dict[str, bytes]:
    """Every key that may have sealed an event, by key id: the current one and those retired by rotation."""
    retired = tuple(sorted((str(key_id), str(key)) for key_id, key in settings.CASEFILE_AUDIT_RETIRED_KEYS.items()))
    return _keys(settings.CASEFILE_AUDIT_KEY, settings.CASEFILE_AUDIT_KEY_ID, retired,
                 settings.CASEFILE_AUDIT_LOCAL_KEY_FILE)


@functools.lru_cache(maxsize=4)  # verifying a long trail asks once per event
def _keys(key: str, key_id: str, retired: tuple, local_key_file: str) -> dict[str, bytes]:
    current = key or (_local_key(Path(local_key_file)) if local_key_file else "")
    if not current:
        raise ImproperlyConfigured("Set CASEFILE_AUDIT_KEY (or CASEFILE_AUDIT_KEY_FILE): the audit trail's key.")
    found = dict(retired)
    found[key_id] = current
    short = [key_id for key_id, key in found.items() if len(key) < MIN_KEY_LENGTH]
    if short:
        raise ImproperlyConfigured(f"The audit key {', '.join(short)} is shorter than {MIN_KEY_LENGTH} characters.")
    return {key_id: key.encode("utf-8") for key_id, key in found.items()}


def current_key_id() -> str:
    keys()  # refuse to seal anything without a usable key
    return settings.CASEFILE_AUDIT_KEY_ID


class UnknownKeyError(LookupError):
    """An event or checkpoint names a key this server does not hold."""


def seal(content: bytes, key_id: str) -> str:
    """The event's (or checkpoint's) seal. Events from before the key (key id "") keep their plain SHA-256."""
    if not key_id:
        return hashlib.sha256(content).hexdigest()
    key = keys().get(key_id)
    if key is None:
        raise UnknownKeyError(key_id)
    return hmac.new(key, content, hashlib.sha256).hexdigest()


# Checkpoints: one JSON object a line, appended; "restored" lines are written by restore_db.


@dataclass(frozen=True)
class Checkpoint:
    line: int
    kind: str  # "checkpoint", or "restored" (the chain was restored from a backup that ends at this event)
    event: int
    hash: str
    at: str
    signed: bool


def write_checkpoint(kind: str = "checkpoint") -> Checkpoint | None:
    """Append the chain's head to the checkpoint file, if one is set and the trail has any event."""
    from casefile.audit.models import AuditEvent

    path = settings.CASEFILE_AUDIT_CHECKPOINT_FILE
    head = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    if not path or head is None:
        return None
    content = {"kind": kind, "event": head["id"], "hash": head["hash"],
               "at": datetime.datetime.now(datetime.UTC).isoformat(), "key_id": current_key_id()}
    content["mac"] = seal(canonical_json(content), content["key_id"])
    with open(path, "a", encoding="utf-8") as file:  # one short line per write: appends do not interleave
        file.write(json.dumps(content, sort_keys=True) + "\n")
        file.flush()
        os.fsync(file.fileno())
    _last_checkpoint["monotonic"] = time.monotonic()
    return Checkpoint(0, kind, head["id"], head["hash"], content["at"], True)


def checkpoint_if_due() -> None:
    """After an append commits: a checkpoint at most every CASEFILE_AUDIT_CHECKPOINT_SECONDS per process.

    A failure is logged, not raised: the event is already committed, and the person's request should not fail."""
    if not settings.CASEFILE_AUDIT_CHECKPOINT_FILE:
        return
    if time.monotonic() - _last_checkpoint["monotonic"] < settings.CASEFILE_AUDIT_CHECKPOINT_SECONDS:
        return
    try:
        write_checkpoint()
    except (OSError, ImproperlyConfigured):
        logger.exception("Could not write an audit checkpoint to %s", settings.CASEFILE_AUDIT_CHECKPOINT_FILE)


def read_checkpoints() -> list[Checkpoint] | None:
    """Every checkpoint line, each marked signed or not; None when no checkpoint file is set or written yet."""
    path = settings.CASEFILE_AUDIT_CHECKPOINT_FILE
    if not path or not Path(path).exists():
        return None
    found = []
    for number, text in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if text.strip():
            found.append(_parse(number, text))
    return found


def _parse(number: int, text: str) -> Checkpoint:
    try:
        content = json.loads(text)
        mac = content.pop("mac")
        signed = hmac.compare_digest(seal(canonical_json(content), content["key_id"]), mac)
        return Checkpoint(number, content["kind"], int(content["event"]), content["hash"], content["at"], signed)
    except (ValueError, KeyError, TypeError, AttributeError, UnknownKeyError):
        return Checkpoint(number, "unreadable", 0, "", "", False)
