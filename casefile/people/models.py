"""People (children and adults), their identity, relationships, households and addresses.

Identity data that is not known is left empty and shown as missing: nothing here has a default that
could pass for a recorded fact.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from casefile.rules import codes, names


def _keep_last_name_key(instance: Person | Alias, save_kwargs: dict) -> None:
    """Keep the indexed sounds-alike key in step with the surname on every save, whoever saves it."""
    instance.last_name_key = names.phonetic_key(instance.last_name) if instance.last_name else ""
    update_fields = save_kwargs.get("update_fields")
    if update_fields is not None and "last_name" in update_fields:
        save_kwargs["update_fields"] = {*update_fields, "last_name_key"}


class Person(models.Model):
    class Kind(models.TextChoices):
        CHILD = "child", "Child"
        ADULT = "adult", "Adult"

    class Restriction(models.TextChoices):
        NONE = "", "Not restricted"
        ADOPTION = "adoption", "Adoption"
        STAFF_RELATIVE = "staff_relative", "Relative of a member of staff"
        HIGH_PROFILE = "high_profile", "High-profile case"
        # An emptied row left by a disposal run (casefile/retention): no one is named on it, so no one opens it.
        DISPOSED = "disposed", "Disposed of at the end of its retention period"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    first_name = models.CharField("Legal first name", max_length=100)
    middle_names = models.CharField("Legal middle names", max_length=200, blank=True)
    last_name = models.CharField("Legal last name", max_length=100)
    known_as = models.CharField("Known as", max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=list(codes.SEX.items()), blank=True)
    gender_identity = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=4, choices=list(codes.ETHNICITY.items()), blank=True)
    religion = models.CharField(max_length=100, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(null=True, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    upn_unknown_reason = models.CharField(max_length=3, choices=list(codes.UPN_UNKNOWN.items()), blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    restriction = models.CharField(max_length=20, choices=Restriction.choices, blank=True)
    # A merge points the merged record at the one kept; both histories stay, and unmerging clears it.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )
    # Sounds-alike key of last_name (rules.names.phonetic_key), set on every save, for indexed search.
    last_name_key = models.CharField(max_length=20, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["expected_date_of_birth"]),
            # A search by one name looks for it among first and known-as names, lower-cased (people/search.py).
            models.Index(Lower("first_name"), name="person_first_name_lower"),
            models.Index(Lower("known_as"), name="person_known_as_lower"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        _keep_last_name_key(self, kwargs)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def display_name(self) -> str:
        if self.known_as and self.known_as != self.first_name:
            return f"{self.full_name} (known as {self.known_as})"
        return self.full_name

    @property
    def reference(self) -> str:
        """The authority's child ID as it goes on returns: alphanumeric, at most 20 characters."""
        return self.reference_for(self.pk)

    @staticmethod
    def reference_for(pk: int) -> str:
        """A record's reference from its id alone, for returns built from rows rather than models."""
        return f"CF{pk:08d}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    @property
    def is_restricted(self) -> bool:
        return bool(self.restriction)

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        end = min(day, self.date_of_death) if self.date_of_death else day
        years = end.year - self.date_of_birth.year
        if (end.month, end.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years


class Alias(models.Model):
    class Kind(models.TextChoices):
        ALIAS = "alias", "Alias"
        PREVIOUS = "previous", "Previous name"
        NICKNAME = "nickname", "Nickname"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALIAS)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    last_name_key = models.CharField(max_length=20, blank=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(Lower("first_name"), name="alias_first_name_lower")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args, **kwargs):
        _keep_last_name_key(self, kwargs)
        super().save(*args, **kwargs)


class Disability(models.Model):
    """One CIN census disability code. No rows means not recorded; the code NONE means no disability."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disabilities")
    code = models.CharField(max_length=4, choices=list(codes.DISABILITY.items()))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "code"], name="one_row_per_disability_code")]

    def __str__(self) -> str:
        return codes.DISABILITY.get(self.code, self.code)


class Address(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, db_index=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.line_1, self.line_2, self.town, self.postcode) if part)


class Household(models.Model):
    name = models.CharField(max_length=200, help_text="A name staff recognise, such as the family surname")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.person} in {self.household}"


class Relationship(models.Model):
    """`person` is the `kind` of `relative`: for example Jane is the parent of Sam."""

    class Kind(models.TextChoices):
        PARENT = "parent", "Parent"
        STEP_PARENT = "step_parent", "Step-parent"
        SIBLING = "sibling", "Sibling"
        GRANDPARENT = "grandparent", "Grandparent"
        CARER = "carer", "Carer"
        HOUSEHOLD_MEMBER = "household_member", "Household member"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_from")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parental_responsibility = models.BooleanField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.person} is the {self.get_kind_display().lower()} of {self.relative}"


class MatchDecision(models.Model):
    """What a user decided when shown likely matches while creating a person: both outcomes are kept."""

    class Outcome(models.TextChoices):
        SAME_PERSON = "same", "Same person"
        NEW_PERSON = "new", "New person"

    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    chosen = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="match_decisions")
    candidates = models.JSONField(default=list, help_text="Candidate ids with their scores and reasons")
    entered = models.JSONField(default=dict, help_text="What the user typed when the matches were shown")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.chosen}"


class Merge(models.Model):
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_merged")
    reason = models.TextField()
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.merged} merged into {self.kept}"
