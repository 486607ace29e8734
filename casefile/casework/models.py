"""The child's journey: the record from which chronologies, due dates, signals and returns are derived.

A child in need episode runs from referral to closure (CIN census "CINdetails"). Inside it: single
assessments, strategy discussions and section 47 enquiries, conferences, plans (child protection and child
in need share one structure: outcomes, actions, contingency, reviews), core groups, visits and case notes.
Every date that drives a clock is a field here, recorded as the event happened; no due date is stored.
Looked-after children, placements and care leavers will sit beside Episode without changing it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from casefile.rules import codes

USER = settings.AUTH_USER_MODEL


def _choices(code_list: dict[str, str]) -> list[tuple[str, str]]:
    return list(code_list.items())


class Recorded(models.Model):
    """Who recorded a row and when: every journey record carries it."""

    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


# Allocation ---------------------------------------------------------------------------------------------


class Allocation(models.Model):
    """A child's case held by a worker in a team, from start to end. The open one has no end."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="allocations")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="allocations")
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)
    reason = models.TextField()
    allocated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(end_date__isnull=True), name="one_open_allocation_per_child"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} allocated to {self.worker} from {self.start_date}"


# The child's voice -------------------------------------------------------------------------------------


class HeardHow(models.TextChoices):
    """How the worker heard the child at a visit or an assessment (docs/childs-voice.md)."""

    TALKED = "talked", "Talked with the child"
    DIRECT_WORK = "direct_work", "Direct work (for example drawings, three houses, wishes and feelings tools)"
    OBSERVATION = "observation", "Observation (for babies and children who do not talk)"
    NOT_SEEN = "not_seen", "The child was not seen"


class FathersViewsNotSought(models.TextChoices):
    """Why the father's views were not sought when the case closed."""

    NOT_KNOWN = "not_known", "The father is not known"
    NOT_INVOLVED = "not_involved", "The father is not involved in the child’s life"
    WHEREABOUTS_UNKNOWN = "whereabouts_unknown", "The father’s whereabouts are unknown"
    RISK = "risk", "Asking him would put the child or someone else at risk"


# The episode --------------------------------------------------------------------------------------------


class Episode(Recorded):
    """A child in need episode: from the referral to the closure of the case."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="episodes")
    referral_date = models.DateField(help_text="The date the referral was received (CINreferralDate)")
    referral_source = models.CharField(max_length=3, choices=_choices(codes.REFERRAL_SOURCE))
    referrer_name = models.CharField(max_length=200, blank=True)
    referral_summary = models.TextField(blank=True)
    referral_decision_date = models.DateField(null=True, blank=True)
    referral_decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    referral_nfa = models.BooleanField(null=True, blank=True, help_text="Referral led to no further action")
    primary_need = models.CharField(max_length=2, choices=_choices(codes.PRIMARY_NEED), blank=True)
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=_choices(codes.REASON_FOR_CLOSURE), blank=True)
    closure_rationale = models.TextField(blank=True)
    childs_views_at_closure = models.TextField(blank=True)
    fathers_views_at_closure = models.TextField(blank=True)
    fathers_views_not_sought = models.CharField(max_length=20, choices=FathersViewsNotSought.choices, blank=True,
                                                help_text="Why the father's views were not sought at closure")
    closure_signed_off_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closure_signed_off_on = models.DateField(null=True, blank=True)
    # A closure is proposed by a worker and signed off by a manager who is someone else; until then it is open.
    closure_proposed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closure_proposed_on = models.DateField(null=True, blank=True)
    # A closure dated before its sign-off (backdated by the manager who signed it off) says why.
    closure_backdated_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referral_date", "-pk"]
        indexes = [models.Index(fields=["child", "referral_date"])]

    def __str__(self) -> str:
        return f"Episode from {self.referral_date} for {self.child}"

    @property
    def is_open(self) -> bool:
        return self.closure_date is None

    @property
    def is_step_up_from_early_help(self) -> bool:
        return self.referral_source == codes.STEP_UP_FROM_EARLY_HELP

    @property
    def fathers_views_shown(self) -> str:
        """The father's views at closure, or why they were not sought; empty when neither is recorded."""
        if self.fathers_views_at_closure:
            return self.fathers_views_at_closure
        if self.fathers_views_not_sought:
            return f"Not sought: {self.get_fathers_views_not_sought_display()}"
        return ""


# Single assessment --------------------------------------------------------------------------------------


class Assessment(Recorded):
    class Outcome(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        EARLY_HELP = "early_help", "Step down to early help"
        CHILD_IN_NEED_PLAN = "cin_plan", "Child in need plan"
        STRATEGY_DISCUSSION = "strategy", "Strategy discussion (possible significant harm)"
        CONTINUE_CHILD_PROTECTION = "cp_continue", "Continue under the child protection plan"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    start_date = models.DateField(help_text="AssessmentActualStartDate")
    # The child seen, and seen alone: recorded facts, never assumed.
    child_seen = models.BooleanField(null=True, blank=True)
    child_seen_on = models.DateField(null=True, blank=True)
    child_seen_alone = models.BooleanField(null=True, blank=True)
    childs_views = models.TextField(blank=True, help_text="The child's views and lived experience, in their words")
    observations_of_child = models.TextField(blank=True, help_text="For babies and non-verbal children")
    heard_how = models.CharField(max_length=20, choices=HeardHow.choices, blank=True,
                                 help_text="How the child was heard")
    difference_made = models.TextField(blank=True, help_text="What difference the child's views made to the plan")
    family_history = models.TextField(blank=True)
    previous_involvement = models.TextField(blank=True)
    identity_needs = models.TextField(blank=True, help_text="Ethnicity, religion, culture and language")
    worries = models.TextField(blank=True)
    working_well = models.TextField(blank=True)
    needs_to_happen = models.TextField(blank=True)
    scale = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0 to 10: how safe is the child?")
    analysis = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    requires_support = models.BooleanField(
        null=True, blank=True, help_text="Was the child assessed as requiring children's social care support?"
    )
    submitted_on = models.DateField(null=True, blank=True)
    authorised_on = models.DateField(null=True, blank=True, help_text="AssessmentAuthorisationDate: the end date")
    authorised_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]

    def __str__(self) -> str:
        return f"Assessment started {self.start_date}"


class AssessmentFactor(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(max_length=3, choices=_choices(codes.ASSESSMENT_FACTORS))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="one_row_per_factor")]

    def __str__(self) -> str:
        return self.code


class AssessmentAdult(models.Model):
    """Each parent and significant adult, fathers included, and whether the worker saw them."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="adults")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=100, help_text="For example: birth father, mother's partner, grandmother")
    seen = models.BooleanField(null=True, blank=True)
    seen_on = models.DateField(null=True, blank=True)
    not_seen_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"


# Strategy discussions and section 47 enquiries ----------------------------------------------------------


class Agency(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    EARLY_HELP = "early_help", "Early help"
    OTHER = "other", "Other"


class StrategyDiscussion(Recorded):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", "Strategy discussion"
        MEETING = "meeting", "Strategy meeting"

    class Decision(models.TextChoices):
        SECTION_47 = "s47", "Start section 47 enquiries"
        SINGLE_ASSESSMENT = "assessment", "No section 47: continue or start a single assessment"
        FURTHER_DISCUSSION = "further", "Hold a further strategy discussion"
        NO_FURTHER_ACTION = "nfa", "No further action"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="strategy_discussions")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DISCUSSION)
    date = models.DateField()
    chaired_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(help_text="Why a strategy discussion was needed")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    decision_rationale = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date}"


class StrategyParticipant(models.Model):
    """Who took part for each agency, and what they shared."""

    discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.CASCADE, related_name="participants")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    information_shared = models.TextField(blank=True)
    # Set when the agency did not take part: why not (police, health and social care must each be accounted for).
    absence_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.name} ({self.get_agency_display()})"


class Section47Enquiry(Recorded):
    class Outcome(models.TextChoices):
        NOT_SUBSTANTIATED = "not_substantiated", "Concerns not substantiated"
        SUBSTANTIATED_NOT_AT_RISK = "substantiated_not_at_risk", "Substantiated, but not judged at continuing risk"
        SUBSTANTIATED_AT_RISK = "substantiated_at_risk", "Substantiated and at continuing risk: convene an ICPC"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="section47_enquiries")
    # The enquiry starts at the strategy discussion that initiated it (S47ActualStartDate).
    strategy_discussion = models.OneToOneField(StrategyDiscussion, on_delete=models.PROTECT, related_name="enquiry")
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_date = models.DateField(null=True, blank=True)
    outcome_rationale = models.TextField(blank=True)
    icpc_not_required = models.BooleanField(default=False)
    icpc_not_required_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"

    def __str__(self) -> str:
        return f"Section 47 enquiry from {self.strategy_discussion.date}"

    @property
    def start_date(self):
        return self.strategy_discussion.date


class AgreedAction(models.Model):
    """An action agreed at a strategy discussion or a core group, with a named owner and a due date.

    Not a plan's SMART action (PlanAction) nor an audit trail action (audit.models.Action).
    """

    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, null=True, blank=True, on_delete=models.CASCADE, related_name="agreed_actions"
    )
    core_group = models.ForeignKey(
        "CoreGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="agreed_actions"
    )
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="A named person, for example 'Sarah Jones (social worker)'")
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.description[:60]


# Conferences --------------------------------------------------------------------------------------------


class Conference(Recorded):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial child protection conference"
        REVIEW = "review", "Review child protection conference"
        TRANSFER_IN = "transfer_in", "Transfer-in conference"

    class Decision(models.TextChoices):
        PLAN = "plan", "Child protection plan (started or continued)"
        NO_PLAN = "no_plan", "No child protection plan"
        END_PLAN = "end_plan", "End the child protection plan"

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="conferences")
    episode = models.ForeignKey(Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences")
    enquiry = models.ForeignKey(
        Section47Enquiry, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences",
        help_text="For an initial conference: the section 47 enquiry that led to it",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField()
    chair = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="chaired_conferences")
    advocacy_offered = models.BooleanField(null=True, blank=True)
    childs_views = models.TextField(blank=True, help_text="How the child's views were brought to the conference")
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    category = models.CharField(max_length=3, choices=_choices(codes.CATEGORY_OF_ABUSE), blank=True)
    decision_rationale = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date}"


class ConferenceParticipant(models.Model):
    """Who was invited and who came: the child and parents included."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    agency = models.CharField(max_length=20, choices=Agency.choices, blank=True)
    role = models.CharField(max_length=200, help_text="For example: child, mother, father, health visitor")
    invited = models.BooleanField(default=True)
    attended = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class ConferenceReport(models.Model):
    """Which agency reports arrived, and whether parents saw them beforehand."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="reports")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    received = models.BooleanField(default=False)
    received_on = models.DateField(null=True, blank=True)
    shared_with_parents = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.get_agency_display()} report"


# Plans ---------------------------------------------------------------------------------------------------


class Plan(Recorded):
    """A child protection plan or a child in need plan. Both hold outcomes, actions and a contingency."""

    class Kind(models.TextChoices):
        CHILD_PROTECTION = "cp", "Child protection plan"
        CHILD_IN_NEED = "cin", "Child in need plan"

    class EndReason(models.TextChoices):
        """Why a child protection plan ended without a review conference (blank: at a conference, or a child in
        need plan)."""

        LOOKED_AFTER = "looked_after", "The child became looked after"
        TRANSFERRED_OUT = "transferred_out", "The child moved to another authority (transfer out)"
        TURNED_18 = "turned_18", "The child turned 18"
        DIED = "died", "The child died"

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="plans")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    started_by_conference = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="plans_started"
    )
    ended_by_conference = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="plans_ended"
    )
    initial_category = models.CharField(max_length=3, choices=_choices(codes.CATEGORY_OF_ABUSE), blank=True)
    latest_category = models.CharField(max_length=3, choices=_choices(codes.CATEGORY_OF_ABUSE), blank=True)
    contingency = models.TextField(help_text="What will happen if the plan does not work")
    visit_interval_working_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Working days between visits; a child in need plan must set it"
    )
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    receiving_authority = models.CharField(max_length=200, blank=True, help_text="For a transfer out")
    end_summary = models.TextField(blank=True, help_text="For a transfer out: the summary sent with the child")
    # Authorisation (services/plans.py submit_plan, return_plan, authorise_plan): a worker submits, a manager who
    # did not submit it authorises, or returns it with a comment (ReturnedWork).
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    authorised_on = models.DateField(null=True, blank=True)
    authorised_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    authorised_despite = models.TextField(blank=True, help_text="Why it was authorised with quality flags remaining")
    flags_at_authorisation = models.JSONField(default=list, blank=True, help_text="The rule codes still flagged")
    changed_since_authorisation = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class PlanOutcome(models.Model):
    """What must be different for the child."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    description = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class PlanAction(models.Model):
    """A SMART action: who does what, by when, and how progress will be measured."""

    outcome = models.ForeignKey(PlanOutcome, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="A named person, for example 'Janice Henderson (mother)'")
    due_date = models.DateField()
    measure = models.TextField(help_text="How everyone will know it has been done")
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class PlanReview(Recorded):
    """A review of a plan: a review conference for a child protection plan, a meeting for a child in need plan."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    date = models.DateField()
    conference = models.OneToOneField(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_review"
    )
    summary = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.plan} on {self.date}"


class ActionProgress(models.Model):
    class Status(models.TextChoices):
        DONE = "done", "Done"
        PARTLY_DONE = "partly", "Partly done"
        NOT_DONE = "not_done", "Not done"

    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="progress")
    action = models.ForeignKey(PlanAction, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(max_length=10, choices=Status.choices)
    evidence = models.TextField()
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "action"], name="one_progress_per_action_review")]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_status_display()}"


class CoreGroup(Recorded):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="core_groups")
    date = models.DateField()
    attendees = models.TextField(help_text="Who came, with their agency")
    summary = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"Core group on {self.date}"


# Visits, notes, early help -------------------------------------------------------------------------------


class Visit(Recorded):
    class Kind(models.TextChoices):
        CHILD_PROTECTION = "cp", "Child protection visit"
        CHILD_IN_NEED = "cin", "Child in need visit"
        ASSESSMENT = "assessment", "Assessment visit"
        OTHER = "other", "Other visit"

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="visits")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="visits")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField()
    worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    child_seen = models.BooleanField()
    seen_alone = models.BooleanField(null=True, blank=True)
    bedroom_seen = models.BooleanField(null=True, blank=True)
    childs_words = models.TextField(blank=True, help_text="What the child said, in their own words")
    not_seen_reason = models.TextField(blank=True)
    observations = models.TextField(blank=True)
    heard_how = models.CharField(max_length=20, choices=HeardHow.choices, blank=True,
                                 help_text="How the child was heard")
    difference_made = models.TextField(blank=True, help_text="What difference the child's views made to the plan")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["child", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date}"


class CaseNote(Recorded):
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_notes")
    episode = models.ForeignKey(Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="case_notes")
    date = models.DateField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    significant = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.subject


class EarlyHelpTransfer(Recorded):
    """A step down to early help, or a step up from it: recorded both ways so the journey is one line."""

    class Direction(models.TextChoices):
        STEP_DOWN = "down", "Step down to early help"
        STEP_UP = "up", "Step up from early help"

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="early_help_transfers")
    direction = models.CharField(max_length=4, choices=Direction.choices)
    date = models.DateField()
    # A step down closes (or follows) an episode; a step up opens one with referral source 5D.
    episode = models.ForeignKey(Episode, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="early_help_transfers")
    early_help_provider = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} on {self.date}"


# The calendar ------------------------------------------------------------------------------------------


class NonWorkingDay(models.Model):
    """A one-off day off added by an administrator (a new bank holiday announced at short notice)."""

    date = models.DateField(unique=True)
    description = models.CharField(max_length=200)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.description}"


# The chronology -----------------------------------------------------------------------------------------


class ChronologyNote(models.Model):
    """A worker's analysis of one chronology event, and whether it is significant.

    The chronology itself is derived from the record; only what people add to it is stored, keyed by the
    event's stable key (for example "visit:42").
    """

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="chronology_notes")
    event_key = models.CharField(max_length=60)
    significant = models.BooleanField(null=True, blank=True, help_text="Empty: use the event type's default")
    analysis = models.TextField(blank=True)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "event_key"], name="one_note_per_chronology_event")]

    def __str__(self) -> str:
        return f"{self.event_key}: {self.analysis[:40]}"


# Work returned by a manager ----------------------------------------------------------------------------


class ReturnedWork(models.Model):
    """A manager sends a plan, an assessment or a closure back to the worker with a comment; the worker answers
    it when they send the work again. Both are on the record and in the child's chronology."""

    class Kind(models.TextChoices):
        PLAN = "plan", "Plan"
        ASSESSMENT = "assessment", "Assessment"
        CLOSURE = "closure", "Closure"

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="returned_work")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    record_id = models.PositiveIntegerField(help_text="The plan's, assessment's or episode's id")
    returned_to = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    returned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField()
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-returned_at", "-pk"]
        indexes = [models.Index(fields=["kind", "record_id"], name="returned_work_record")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} returned: {self.comment[:40]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
