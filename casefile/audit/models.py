"""The append-only audit trail: who saw or did what to whose record, and why.

Rows can only be added. Database triggers refuse UPDATE and DELETE (see audit/guards.py), each row carries the
seal of the one before it, and each seal is an HMAC under a key the database never holds (audit/anchor.py), so
`manage.py verify_audit` can show any tampering, even by someone who can write to the database.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from casefile.audit import anchor


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    MERGE = "merge", "Merged"
    UNMERGE = "unmerge", "Unmerged"
    MATCH_DECISION = "match_decision", "Decided on a possible duplicate"
    RESTRICTED_ACCESS = "restricted_access", "Opened a restricted record"
    ACCESS_DENIED = "access_denied", "Was refused access"
    GRANT = "grant", "Granted access"
    REVOKE = "revoke", "Revoked access"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
    SIGN_OUT = "sign_out", "Signed out"
    IMPORT = "import", "Imported"
    AUTHORISE = "authorise", "Authorised"
    SEAL = "seal", "Sealed the audit trail under its key"
    BACKUP = "backup", "Backed up the database"
    RESTORE = "restore", "Restored the database from a backup"
    # A record deleted at the end of its retention period (casefile/retention, ADR 0020).
    DISPOSE = "dispose", "Disposed of"


# Actions that count as someone looking at a child's record, for "who has viewed this record".
VIEWING_ACTIONS = [Action.VIEW, Action.EXPORT, Action.PRINT, Action.RESTRICTED_ACCESS]


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    # Copied at the time, so the event still says who and in what role even if the account changes.
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=30, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=60, blank=True)
    child = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=36, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    # The id of the key whose HMAC is `hash` (audit/anchor.py); "" for events from before the key: plain SHA-256.
    key_id = models.CharField(max_length=40, blank=True, default="")
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["child", "occurred_at"]),
            models.Index(fields=["actor", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.subject_type}"

    def hashed_content(self) -> dict:
        """Everything that the seal covers: every field the database stores, except the id and hash."""
        content = {
            "prev_hash": self.prev_hash,
            "occurred_at": self.occurred_at.astimezone(datetime.UTC).isoformat(),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "actor_role": self.actor_role,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "child_id": self.child_id,
            "reason": self.reason,
            "request_id": self.request_id,
            "ip_address": self.ip_address,
            "details": self.details,
        }
        if self.key_id:  # events from before the key keep the content they were hashed with
            content["key_id"] = self.key_id
        return content

    def compute_hash(self) -> str:
        return anchor.seal(anchor.canonical_json(self.hashed_content()), self.key_id)
