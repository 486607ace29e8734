"""Grants that open a record beyond the ordinary rules: named users on restricted records, partner sharing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from casefile.accounts.models import Agency


class RestrictedAccessGrant(models.Model):
    """A named user who may open a restricted record. Revoked grants are kept for the record."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="restricted_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="restricted_grants")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} named on restricted record {self.child_id}"


class SharedItem(models.TextChoices):
    """What of a child's record may be shared with a partner agency, beyond who the child is."""

    EPISODES = "episodes", "Referrals, assessments, strategy discussions and enquiries"
    CONFERENCES = "conferences", "Child protection conferences"
    PLANS = "plans", "Plans, their reviews and core groups"
    VISITS = "visits", "Visits"
    CASE_NOTES = "case_notes", "Case notes"
    CHRONOLOGY = "chronology", "The chronology (the events of what else is shared)"


class AgencyShare(models.Model):
    """A child's record shared, read-only, with a partner agency until a date: who the child is, and only the
    items named (none unless chosen; access/policy.py decides which pages each opens)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="agency_shares")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    purpose = models.TextField()
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField()
    items = models.JSONField(default=list, blank=True, help_text="The SharedItem values shared")

    def __str__(self) -> str:
        return f"Record {self.child_id} shared with {self.get_agency_display()} until {self.expires_on}"
