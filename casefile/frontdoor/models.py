"""The front door: contacts, police notifications in bulk, multi-agency checks, threshold decisions, handovers
and letters to referrers.

A contact is something that came to the front door about one or more children of a household. Each child on it
gets their own threshold decision (siblings can need different responses), made by a qualified social worker
and authorised by a manager. A decision that the child needs an assessment or a strategy discussion makes the
contact a referral: it opens a casework Episode (the CIN census record), and the child stays on the front-door
board until handed over to the assessment team. Time waiting, RAG timescales, the 1-working-day decision clock
and the referrer-feedback standard are all computed from these recorded facts; nothing here stores a due date.

`Contact.concluded_at` is the one derived value kept on the row: set by the services when the last child on the
contact leaves the front door, so the board can ask for open contacts with one indexed filter.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from casefile.core.presenters import govuk_date, govuk_datetime
from casefile.rules import codes
from casefile.rules.front_door import OUTCOME_LABELS, Outcome, Rag

USER = settings.AUTH_USER_MODEL


class Consent(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    NOT_SOUGHT = "not_sought", "Not sought"
    OVERRIDDEN = "overridden", "Overridden because of risk to the child"


# A reason is required for these consent positions.
CONSENT_NEEDS_REASON = frozenset({Consent.NOT_SOUGHT, Consent.OVERRIDDEN})


class RagRating(models.TextChoices):
    RED = Rag.RED.value, "Red"
    AMBER = Rag.AMBER.value, "Amber"
    GREEN = Rag.GREEN.value, "Green"


class DecisionOutcome(models.TextChoices):
    NO_FURTHER_ACTION = Outcome.NO_FURTHER_ACTION.value, OUTCOME_LABELS[Outcome.NO_FURTHER_ACTION]
    ADVICE = Outcome.ADVICE.value, OUTCOME_LABELS[Outcome.ADVICE]
    EARLY_HELP = Outcome.EARLY_HELP.value, OUTCOME_LABELS[Outcome.EARLY_HELP]
    ASSESSMENT = Outcome.ASSESSMENT.value, OUTCOME_LABELS[Outcome.ASSESSMENT]
    STRATEGY = Outcome.STRATEGY.value, OUTCOME_LABELS[Outcome.STRATEGY]


class CheckAgency(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"


# Police notifications: staging ----------------------------------------------------------------------------


class ImportBatch(models.Model):
    """One uploaded police CSV file, staged for preview. Its content hash makes importing it again a no-op."""

    class Status(models.TextChoices):
        STAGED = "staged", "Waiting for confirmation"
        # Its contacts are being written, a few incidents at a time (ADR 0011); not in the triage queue yet.
        CONFIRMING = "confirming", "Being imported"
        CONFIRMED = "confirmed", "Imported"
        DISCARDED = "discarded", "Discarded"

    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the file's bytes")
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STAGED)
    incident_count = models.PositiveIntegerField(default=0)
    person_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            # A file is staged or imported once; a discarded one may be uploaded again.
            models.UniqueConstraint(fields=["content_hash"], condition=~models.Q(status="discarded"),
                                    name="one_live_batch_per_file"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display().lower()})"


class PoliceNotification(models.Model):
    """One domestic-abuse incident from a police batch. After confirmation it has a contact."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="notifications")
    police_reference = models.CharField(max_length=30)
    incident_at = models.DateTimeField()
    reported_at = models.DateTimeField()
    dash_risk = models.CharField(max_length=10, choices=[("standard", "Standard"), ("medium", "Medium"),
                                                         ("high", "High")])
    children_present = models.CharField(max_length=10, choices=[("yes", "Yes"), ("no", "No"),
                                                                ("unknown", "Not known")])
    household_address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8, db_index=True)
    officer_name = models.CharField(max_length=100)
    summary = models.TextField()
    first_row = models.PositiveIntegerField(help_text="The file row of the incident's first person")
    contact = models.OneToOneField("Contact", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="police_notification")
    history = HistoricalRecords()

    class Meta:
        ordering = ["batch", "first_row"]
        indexes = [models.Index(fields=["police_reference"])]

    def __str__(self) -> str:
        return f"Police notification {self.police_reference}"


class NotificationPerson(models.Model):
    """A person named in a notification, with the record they were matched to (or will be created as)."""

    class Match(models.TextChoices):
        MATCHED = "matched", "Matched to an existing record"
        POSSIBLE = "possible", "Possible matches: check before confirming"
        NEW = "new", "No match: a new record will be created"
        SAME = "same", "The same person as an earlier row of this file"

    notification = models.ForeignKey(PoliceNotification, on_delete=models.CASCADE, related_name="people")
    row = models.PositiveIntegerField()
    role = models.CharField(max_length=20, choices=[("victim", "Victim"), ("perpetrator", "Perpetrator"),
                                                    ("child", "Child"), ("other_adult", "Other adult")])
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True, help_text="An unborn child's")
    sex = models.CharField(max_length=1)
    nhs_number = models.CharField(max_length=10, blank=True)
    match = models.CharField(max_length=10, choices=Match.choices, default=Match.NEW)
    same_as_row = models.PositiveIntegerField(
        null=True, blank=True, help_text="For SAME: the file's earlier row naming this person; they share a record")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="police_notification_mentions")
    candidates = models.JSONField(default=list, blank=True, help_text="Possible matches with scores and reasons")
    history = HistoricalRecords()

    class Meta:
        ordering = ["notification", "row"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.role})"


# Contacts -------------------------------------------------------------------------------------------------


class Contact(models.Model):
    """Something that came to the front door about one or more children of a household."""

    received_at = models.DateTimeField(help_text="When the front door received it: its clocks start here")
    source = models.CharField(max_length=3, choices=list(codes.REFERRAL_SOURCE.items()))
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True, help_text="Job title or relationship to the child")
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_address = models.TextField(blank=True, help_text="For the outcome letter when there is no email")
    household = models.ForeignKey("people.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="contacts")
    summary = models.TextField(help_text="What the referrer is worried about, in their words")
    consent_to_share = models.CharField(max_length=12, choices=Consent.choices)
    consent_to_share_reason = models.TextField(blank=True)
    consent_to_assessment = models.CharField(max_length=12, choices=Consent.choices)
    consent_to_assessment_reason = models.TextField(blank=True)
    rag = models.CharField(max_length=5, choices=RagRating.choices, blank=True)
    holder = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="held_contacts",
                               help_text="Who has it now")
    concluded_at = models.DateTimeField(null=True, blank=True, db_index=True,
                                        help_text="When the last child left the front door (derived)")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_at", "pk"]
        # received_at alone: performance figures read a period's contacts by when they were received.
        indexes = [models.Index(fields=["concluded_at", "received_at"]), models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return f"Contact received {govuk_datetime(self.received_at)}"

    @property
    def is_open(self) -> bool:
        return self.concluded_at is None


class ContactChild(models.Model):
    """A child a contact is about. Each child has their own decision, handover and place on the board."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="children")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="contacts")
    # Set when the child leaves the front door: decision authorised and, for a referral, handed over.
    concluded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contact", "pk"]
        constraints = [models.UniqueConstraint(fields=["contact", "child"], name="child_once_per_contact")]
        indexes = [models.Index(fields=["child", "contact"])]

    def __str__(self) -> str:
        return f"{self.child} on {self.contact}"


class ContactAdult(models.Model):
    """An adult involved (a parent, a victim or perpetrator of domestic abuse), linked to their record."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="adults")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="contacts_as_adult")
    role = models.CharField(max_length=100)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"


# Multi-agency checks ------------------------------------------------------------------------------------


class AgencyCheck(models.Model):
    """A check asked of a partner agency, and what came back. Outstanding until a response is recorded."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="checks")
    agency = models.CharField(max_length=12, choices=CheckAgency.choices)
    asked_of = models.CharField(max_length=200, help_text="The named person or team asked")
    question = models.TextField(blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True, help_text="When the agency answered")
    response_recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_agency_display()} check"

    @property
    def is_outstanding(self) -> bool:
        return self.responded_at is None


# Threshold decisions ------------------------------------------------------------------------------------


class BulkTriage(models.Model):
    """Standard-risk police notifications triaged together: one rationale for the batch, one per child."""

    rationale = models.TextField()
    outcome = models.CharField(max_length=12, choices=DecisionOutcome.choices)
    triaged_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    triaged_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Bulk triage on {govuk_date(timezone.localtime(self.triaged_at).date())}"


class ThresholdDecision(models.Model):
    """A qualified social worker's decision for one child on a contact, authorised by a manager."""

    contact_child = models.OneToOneField(ContactChild, on_delete=models.PROTECT, related_name="decision")
    level = models.CharField(max_length=20, help_text="A code from the authority's continuum of need")
    outcome = models.CharField(max_length=12, choices=DecisionOutcome.choices)
    criteria_applied = models.TextField(help_text="The threshold criteria applied")
    circumstances = models.TextField(help_text="The child's circumstances")
    history_considered = models.TextField(help_text="The history taken into account")
    consent_position = models.TextField(help_text="The consent position and how it shaped the decision")
    primary_need = models.CharField(max_length=2, choices=list(codes.PRIMARY_NEED.items()), blank=True)
    early_help_provider = models.CharField(max_length=200, blank=True)
    bulk_triage = models.ForeignKey(BulkTriage, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="decisions")
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    authorised_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    authorised_at = models.DateTimeField(null=True, blank=True)
    manager_comment = models.TextField(blank=True)
    # What the authorised decision led to: the referral's episode (or the child's episode already open, which
    # several contacts can lead to), or the step-down to early help.
    episode = models.ForeignKey("casework.Episode", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="front_door_decisions")
    early_help_transfer = models.OneToOneField("casework.EarlyHelpTransfer", null=True, blank=True,
                                               on_delete=models.PROTECT, related_name="front_door_decision")
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["authorised_at"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for {self.contact_child.child}"

    @property
    def is_authorised(self) -> bool:
        return self.authorised_at is not None

    @property
    def is_referral(self) -> bool:
        return Outcome(self.outcome).is_referral


class Handover(models.Model):
    """The transfer of a referred child from the front door to the assessment team, with its summary."""

    contact_child = models.OneToOneField(ContactChild, on_delete=models.PROTECT, related_name="handover")
    to_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(help_text="What the receiving team needs to know first")
    immediate_safety = models.TextField(help_text="Risks to the child now, and what has been done about them")
    outstanding = models.TextField(blank=True, help_text="Checks and actions not yet done")
    handed_over_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    handed_over_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Handover of {self.contact_child.child} to {self.to_team}"


class ReferrerLetter(models.Model):
    """The outcome letter to the referrer, generated from the authorised decisions, and when it was sent."""

    class Method(models.TextChoices):
        EMAIL = "email", "Email"
        POST = "post", "Post"
        SECURE_EMAIL = "secure_email", "Secure email"

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="letters")
    body = models.TextField(help_text="The letter as generated, kept as sent")
    generated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=12, choices=Method.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-generated_at", "-pk"]

    def __str__(self) -> str:
        return f"Letter to {self.contact.referrer_name or 'the referrer'}"
