"""Staff, teams and the manager chain."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    CONFERENCE_CHAIR = "conference_chair", "Conference chair / IRO"
    FRONT_DOOR = "front_door", "Front-door practitioner"
    QA_OFFICER = "qa_officer", "Quality-assurance officer"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    PARTNER_VIEWER = "partner_viewer", "Partner agency viewer"
    ADMINISTRATOR = "administrator", "Administrator"


MANAGER_ROLES = {Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.HEAD_OF_SERVICE}
# Roles that may hold a child's case; a partner or analyst never can.
CASE_HOLDING_ROLES = {Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER, Role.FRONT_DOOR}


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"


class Team(models.Model):
    class Kind(models.TextChoices):
        FRONT_DOOR = "front_door", "Front door"
        ASSESSMENT = "assessment", "Assessment"
        CHILD_IN_NEED = "child_in_need", "Child in need and child protection"
        CONFERENCE = "conference", "Conference and review"
        QUALITY = "quality", "Quality assurance"
        PERFORMANCE = "performance", "Performance"
        EARLY_HELP = "early_help", "Early help"
        PARTNER = "partner", "Partner agency"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    manager = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.SOCIAL_WORKER)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    # The manager chain: worker -> team manager -> service manager -> head of service.
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    agency = models.CharField(max_length=20, choices=Agency.choices, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    # When a social worker qualified: in the first year after it (the ASYE year) they are supervised more often
    # (rules/supervision.py). Blank for staff who are not social workers or qualified long ago.
    qualified_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def manager_chain(self) -> list[User]:
        """Line managers upwards, stopping at a loop should one ever be recorded."""
        chain: list[User] = []
        seen = {self.pk}
        current = self.manager
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = current.manager
        return chain


class TwoFactorEnrolment(models.Model):
    """A one-time link an administrator issues so that a person can set up an authenticator app (ADR 0019).

    Without one, a password alone would be enough to enrol an app on an account that has none. Only a hash of
    the link's token is kept: the link itself is shown once, to the administrator who issued it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="two_factor_enrolments")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="issued_two_factor_enrolments")
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Authenticator set-up link for {self.user}"


# The workforce -----------------------------------------------------------------------------------------------


class EmploymentType(models.TextChoices):
    """How a worker is employed, as the DfE children's social work workforce census counts them: employed by the
    authority (permanent, fixed-term included) or through an agency. Anyone else (a student, a seconded or
    sessional worker) is "other" and counts in neither."""

    PERMANENT = "permanent", "Permanent (employed by the authority)"
    AGENCY = "agency", "Agency"
    OTHER = "other", "Other (not counted in the workforce figures)"


class WorkerRecord(models.Model):
    """A member of staff's employment, for the workforce figures (rules/indicators: agency share, vacancies,
    turnover, caseload per worker). One per person, kept by administrators; no record means not recorded."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="worker_record")
    employment_type = models.CharField(max_length=20, choices=EmploymentType.choices)
    fte = models.DecimalField("Full-time equivalent", max_digits=3, decimal_places=2)
    started_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Employment of {self.user}"


class Post(models.Model):
    """A post in a team's establishment: funded from `starts_on` until `ends_on` (none: still funded). It is
    vacant on a day unless its holder is a permanent worker in post that day (an agency worker covering it
    leaves it vacant, as the DfE counts vacancies)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(max_length=120)
    fte = models.DecimalField("Full-time equivalent", max_digits=3, decimal_places=2, default=1)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    holder = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    history = HistoricalRecords()

    class Meta:
        ordering = ["team__name", "title", "pk"]

    def __str__(self) -> str:
        return f"{self.title}, {self.team}"
