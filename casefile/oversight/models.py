"""Management oversight on the child's file: decisions with reasons, supervision, chair and IRO challenge, and the
drift and quality signals derived from the record (the signal rules themselves are in casefile/rules/).

A management decision is a record on the child's file, not a paragraph in a case note: what was decided, the
options, risks and strengths weighed (each linked, where it can be, to the evidence on the record), the child's
and the family's views and how they were weighed, the reasons, who decided and when, and any disagreement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from casefile.rules.escalation import LABELS, ORDER

USER = settings.AUTH_USER_MODEL


class DecisionKind(models.TextChoices):
    # Threshold decisions are usually the front door's (frontdoor.ThresholdDecision, shown beside these); a
    # manager may also record one here, for example on a case already open.
    THRESHOLD = "threshold", "Threshold"
    STRATEGY = "strategy", "Strategy discussion or section 47 enquiry"
    CONFERENCE_REQUEST = "conference_request", "Request for an initial child protection conference"
    PLAN = "plan", "Plan"
    STEP_DOWN = "step_down", "Step-down"
    CLOSURE = "closure", "Closure"
    TRANSFER = "transfer", "Transfer"
    LEGAL_PLANNING = "legal_planning", "Legal planning or pre-proceedings"
    ALLOCATION = "allocation", "Allocation"
    DIRECTION = "direction", "Management direction"


# How each kind reads to a parent, in the letter for the family.
PLAIN_KIND = {
    DecisionKind.THRESHOLD: "a decision about what help your family needs",
    DecisionKind.STRATEGY: "a decision about whether to make child protection enquiries",
    DecisionKind.CONFERENCE_REQUEST: "a decision to hold a child protection conference",
    DecisionKind.PLAN: "a decision about the plan for your child",
    DecisionKind.STEP_DOWN: "a decision to move support to early help",
    DecisionKind.CLOSURE: "a decision to close the case",
    DecisionKind.TRANSFER: "a decision to move the case to another team or authority",
    DecisionKind.LEGAL_PLANNING: "a decision about legal planning (pre-proceedings)",
    DecisionKind.ALLOCATION: "a decision about who will be your child’s social worker",
    DecisionKind.DIRECTION: "a decision by a manager about the work with your family",
}


class ManagementDecision(models.Model):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="management_decisions")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    options_considered = models.TextField()
    risks = models.TextField(help_text="The risks weighed")
    strengths = models.TextField(help_text="The strengths weighed")
    childs_views = models.TextField()
    family_views = models.TextField()
    views_weighed = models.TextField(help_text="How the child's and the family's views were weighed")
    decision = models.TextField()
    reasons = models.TextField()
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    shareable_with_family = models.BooleanField(default=False)
    family_summary = models.TextField(blank=True, help_text="The decision and its reasons, in plain language for "
                                                            "the child's parents")
    # A request for an initial conference needs a service manager's sign-off (permissions).
    signed_off_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["child", "decided_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} decision"

    @property
    def decided_on(self):
        """The day of the decision, in local time: a decision recorded for an earlier day is kept at its midday."""
        return timezone.localtime(self.decided_at).date()

    @property
    def needs_sign_off(self) -> bool:
        return self.kind == DecisionKind.CONFERENCE_REQUEST

    @property
    def awaiting_sign_off(self) -> bool:
        return self.needs_sign_off and self.signed_off_at is None


class DecisionEvidence(models.Model):
    """A record on the child's file that a decision weighed: `kind` names the record type (oversight/evidence.py)
    and `record_id` its row, checked by the service to be the child's own."""

    class WeighedAs(models.TextChoices):
        OPTION = "option", "Options considered"
        RISK = "risk", "Risks weighed"
        STRENGTH = "strength", "Strengths weighed"

    decision = models.ForeignKey(ManagementDecision, on_delete=models.CASCADE, related_name="evidence")
    weighed_as = models.CharField(max_length=10, choices=WeighedAs.choices)
    kind = models.CharField(max_length=30)
    record_id = models.PositiveIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "weighed_as", "kind", "record_id"],
                                               name="oversight_evidence_once_per_point")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.record_id}"


class DecisionDissent(models.Model):
    """Someone disagreed with the decision: what they said and who they are (staff or another agency's)."""

    decision = models.ForeignKey(ManagementDecision, on_delete=models.CASCADE, related_name="dissents")
    raised_by = models.CharField(max_length=200, help_text="Name and role or agency of who disagreed")
    text = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Disagreement raised by {self.raised_by}"


STAGE_CHOICES = [(stage.value, LABELS[stage]) for stage in ORDER]


# Chair and IRO challenge --------------------------------------------------------------------------------


class Escalation(models.Model):
    """A practice concern a conference chair or IRO raised on a child's case, and where it has got to.

    Each stage it reaches is an `EscalationStage` with its response; the deadline of each is worked out from the
    stage's start (rules/escalation.py), never stored. Resolved once the chair records the resolution."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="escalations")
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="escalations_raised")
    raised_on = models.DateField()
    concern = models.TextField(help_text="What the chair is worried about in the practice on this case")
    asked_for = models.TextField(help_text="What the chair asks to happen")
    # The stage it is at now, and the day that stage started: a copy of its newest EscalationStage, so a list of
    # escalations needs no second query to know where each stands.
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES)
    stage_started_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolution = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"Practice concern raised on {self.raised_on}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class EscalationStage(models.Model):
    """One stage a concern reached: when it started, why a stage before it was passed over (if one was), and the
    response: who answered, when and what."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES)
    started_on = models.DateField()
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    skip_reason = models.TextField(blank=True, help_text="Why the stages before this one were passed over")
    responded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["escalation", "stage"], name="one_row_per_escalation_stage")]

    def __str__(self) -> str:
        return self.get_stage_display()


# The chair's feedback on conference reports -------------------------------------------------------------


class ReportFeedback(models.Model):
    """A chair's view of the quality of one agency's report to a conference: a grade and why."""

    class Grade(models.TextChoices):
        GOOD = "good", "Good"
        ADEQUATE = "adequate", "Adequate"
        POOR = "poor", "Poor"

    report = models.OneToOneField("casework.ConferenceReport", on_delete=models.CASCADE, related_name="feedback")
    grade = models.CharField(max_length=10, choices=Grade.choices)
    comment = models.TextField()
    given_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    given_on = models.DateField()
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.get_grade_display()} report"


# Supervision ---------------------------------------------------------------------------------------------

# The reflective structure of case supervision, in the order it is written and read: (field, heading).
REFLECTIVE_SECTIONS = (
    ("happening", "What is happening"),
    ("worries", "What we are worried about"),
    ("working_well", "What is working well"),
    ("hypotheses", "Hypotheses"),
    ("next_steps", "What needs to happen"),
)
STAFF_SECTIONS = (
    ("wellbeing", "Wellbeing"),
    ("caseload", "Caseload"),
    ("learning", "Learning and development"),
)


class CaseSupervision(models.Model):
    """What a worker and their manager discussed about one child in a supervision session."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_supervisions")
    worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_supervisions_received")
    supervisor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_supervisions_given")
    held_on = models.DateField()
    happening = models.TextField()
    worries = models.TextField()
    working_well = models.TextField()
    hypotheses = models.TextField()
    next_steps = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # Each sign-off records who and when. Changing a signed record is refused until the supervisor re-opens it,
    # which clears both (the history keeps what was signed).
    supervisor_signed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    supervisor_signed_at = models.DateTimeField(null=True, blank=True)
    worker_signed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    worker_signed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Case supervision on {self.held_on}"

    @property
    def is_signed_off(self) -> bool:
        """Signed by both the manager and the worker."""
        return self.supervisor_signed_at is not None and self.worker_signed_at is not None

    @property
    def has_a_signature(self) -> bool:
        return self.supervisor_signed_at is not None or self.worker_signed_at is not None


class SupervisionAction(models.Model):
    """A SMART action agreed in case supervision: who does what, by when, how it will be measured; then done."""

    supervision = models.ForeignKey(CaseSupervision, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="A named person, for example 'Sam Worker (social worker)'")
    due_date = models.DateField()
    measure = models.TextField(help_text="How everyone will know it has been done")
    completed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class StaffSupervision(models.Model):
    """A worker's own supervision: how they are, their caseload, their learning. Never on a child's file."""

    worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="staff_supervisions_received")
    supervisor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="staff_supervisions_given")
    held_on = models.DateField()
    wellbeing = models.TextField()
    caseload = models.TextField()
    learning = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Staff supervision on {self.held_on}"


class KeptSignals(models.Model):
    """One working-out of every drift and quality signal for the whole authority, kept so the practice-quality
    pages of a large authority open in under a second (oversight/kept_signals.py, ADR 0028). Derived from the
    record, never typed: made only by `kept_signals.refresh` (nightly, or when quality assurance asks), and
    only the latest is kept. It holds for `today` with the thresholds, clock settings and calendar whose digest is
    `fingerprint`; a page with any other uses the record instead."""

    computed_at = models.DateTimeField()
    today = models.DateField()
    since = models.DateField(null=True)
    fingerprint = models.CharField(max_length=64)
    children = models.PositiveIntegerField(help_text="Children checked: every child with an episode or an allocation")
    seconds = models.FloatField(help_text="How long working them out took")

    def __str__(self) -> str:
        return f"Signals for {self.today}, worked out at {self.computed_at}"


class KeptFinding(models.Model):
    """One finding of a `KeptSignals`, as casefile/rules/signals.py `Finding` made it."""

    kept = models.ForeignKey(KeptSignals, on_delete=models.CASCADE, related_name="findings")
    child = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=40)
    explanation = models.TextField()
    day = models.DateField()
    current = models.BooleanField()
    occurrences = models.PositiveIntegerField()
    # [[kind, id, plan id or null], ...]: the records the finding points at (rules.signals.Evidence).
    evidence = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["kept", "child"])]

    def __str__(self) -> str:
        return f"{self.code} for child {self.child_id}"
