"""Reads for sampling children's files for case file audits: the open cases a sample is drawn from, narrowed by a
cohort filter (team, worker, plan type, age band), each child's quality signals for a risk-based sample, a round's
children, and audit coverage per team and worker. Each is a fixed number of queries, however many children.

The drawing itself is plain rules (casefile/rules/sampling.py); writes are in quality/services.py.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from casefile.accounts.models import Team, User
from casefile.casework.models import Allocation, Plan
from casefile.oversight.signals import context, signals_for_children
from casefile.people.models import Person
from casefile.quality.models import AuditRound, CaseFileAudit, SampledChild
from casefile.rules.sampling import RISK, Candidate, SignalMark
from casefile.rules.signals import SIGNALS

# Age bands a thematic sample may take, by age on the day it is drawn: (code, label, youngest, oldest).
AGE_BANDS: tuple[tuple[str, str, int, int], ...] = (
    ("under_5", "Under 5", 0, 4),
    ("5_to_9", "5 to 9", 5, 9),
    ("10_to_15", "10 to 15", 10, 15),
    ("16_and_over", "16 and over", 16, 200),
)
AGE_BAND_LABELS = {code: label for code, label, _, _ in AGE_BANDS}
PLAN_TYPES: tuple[tuple[str, str], ...] = ((Plan.Kind.CHILD_PROTECTION.value, "Child protection plan"),
                                            (Plan.Kind.CHILD_IN_NEED.value, "Child in need plan"))
PLAN_TYPE_LABELS = dict(PLAN_TYPES)
# Audited means a case file audit completed in the 12 months to the day.
COVERAGE_DAYS = 365


@dataclasses.dataclass(frozen=True)
class Filters:
    """A cohort filter: any of a team, a worker, a plan type open now, an age band (none: every open case)."""

    team: Team | None = None
    worker: User | None = None
    plan_type: str = ""
    age_band: str = ""

    def as_dict(self) -> dict:
        return {"team": self.team.pk if self.team else None, "worker": self.worker.pk if self.worker else None,
                "plan_type": self.plan_type, "age_band": self.age_band}

    def text(self) -> str:
        """'team Assessment, Sam Worker's cases, child protection plan, aged 5 to 9', or '' for every open case."""
        parts = []
        if self.team:
            parts.append(f"team {self.team.name}")
        if self.worker:
            parts.append(f"cases held by {self.worker.get_full_name() or self.worker.username}")
        if self.plan_type:
            parts.append(PLAN_TYPE_LABELS.get(self.plan_type, self.plan_type).lower())
        if self.age_band:
            parts.append(f"aged {AGE_BAND_LABELS.get(self.age_band, self.age_band).lower()}")
        return ", ".join(parts)


def _age(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def open_cases(filters: Filters, today: datetime.date) -> list[int]:
    """Children with an open allocation matching the filters (one query), never a restricted record (a sample does
    not open one) nor one merged into another, in child id order."""
    rows = Allocation.objects.filter(end_date__isnull=True, child__kind=Person.Kind.CHILD, child__restriction="",
                                     child__merged_into__isnull=True)
    if filters.team:
        rows = rows.filter(team=filters.team)
    if filters.worker:
        rows = rows.filter(worker=filters.worker)
    if filters.plan_type:
        rows = rows.filter(child__in=Plan.objects.filter(kind=filters.plan_type, end_date__isnull=True)
                           .values("child_id"))
    band = next((band for band in AGE_BANDS if band[0] == filters.age_band), None)
    ids = []
    for child_id, born in rows.order_by("child_id").values_list("child_id", "child__date_of_birth"):
        if band is not None and (born is None or not band[2] <= _age(born, today) <= band[3]):
            continue
        ids.append(child_id)
    return ids


def candidates(child_ids: Iterable[int], method: str, today: datetime.date) -> list[Candidate]:
    """The candidates as the rules read them: for a risk-based sample, with each child's quality signals still going
    on or arising in the look-back the practice-quality pages use (oversight/signals.py)."""
    child_ids = list(child_ids)
    if method != RISK:
        return [Candidate(child_id) for child_id in child_ids]
    found = signals_for_children(child_ids, context(today=today))
    return [Candidate(child_id, tuple(SignalMark(finding.code, SIGNALS[finding.code].name)
                                      for finding in found.get(child_id, [])))
            for child_id in child_ids]


def rounds() -> QuerySet:
    """Every round, newest first, with its tool and who drew it: one query."""
    return AuditRound.objects.select_related("template", "created_by").order_by("-created_on", "-pk")


def round_children(audit_round: AuditRound) -> list[SampledChild]:
    """The round's children in the order drawn, with the child, the auditor and the audit: one query."""
    children = list(SampledChild.objects.filter(round=audit_round)
                    .select_related("child", "auditor", "audit").order_by("position", "pk"))
    for sampled in children:
        sampled.round = audit_round
    return children


def sampled_to(user: User) -> list[SampledChild]:
    """The children sampled to this auditor in rounds still open, soonest due first: one query."""
    return list(SampledChild.objects.filter(auditor=user, round__closed_on__isnull=True)
                .select_related("child", "round__template", "audit").order_by("round__due_by", "round", "position"))


@dataclasses.dataclass(frozen=True)
class SampledCounts:
    """The children sampled to an auditor in rounds still open, and how many of their audits are not completed."""

    children: int
    not_completed: int


def sampled_counts(user: User) -> SampledCounts:
    """Counts only (one query), for My work: the children `sampled_to` lists, and those whose audit is not
    completed (not started, or in progress)."""
    counts = SampledChild.objects.filter(auditor=user, round__closed_on__isnull=True).aggregate(
        children=Count("pk"), done=Count("pk", filter=Q(audit__status=CaseFileAudit.Status.COMPLETED)))
    return SampledCounts(counts["children"], counts["children"] - counts["done"])


@dataclasses.dataclass(frozen=True)
class OpenRounds:
    """Rounds still open, and the children drawn in them still waiting for an auditor."""

    rounds: int
    without_auditor: int


def open_rounds() -> OpenRounds:
    """Counts only (one query), for the My work of those who draw samples: what is theirs to act on next."""
    counts = AuditRound.objects.filter(closed_on__isnull=True).aggregate(
        rounds=Count("pk", distinct=True), without_auditor=Count("children", filter=Q(children__auditor__isnull=True)))
    return OpenRounds(counts["rounds"], counts["without_auditor"])


# Coverage -------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Coverage:
    """Open cases held by a team or worker, how many of those children had a case file audit completed in the last
    12 months, and that as a percentage (None with no open cases)."""

    name: str
    open: int
    audited: int

    @property
    def percentage(self) -> float | None:
        return 100 * self.audited / self.open if self.open else None


@dataclasses.dataclass(frozen=True)
class CoverageReport:
    since: datetime.date
    overall: Coverage
    teams: list[Coverage]
    workers: list[Coverage]


def coverage(today: datetime.date) -> CoverageReport:
    """Audit coverage per team and per worker holding the children's open cases now (two queries)."""
    since = today - datetime.timedelta(days=COVERAGE_DAYS)
    audited = set(CaseFileAudit.objects.filter(status=CaseFileAudit.Status.COMPLETED, completed_on__gt=since,
                                               completed_on__lte=today).values_list("child_id", flat=True))
    rows = Allocation.objects.filter(end_date__isnull=True, child__kind=Person.Kind.CHILD).values_list(
        "child_id", "team__name", "worker__first_name", "worker__last_name", "worker__username", "worker_id")
    teams_open, teams_audited = Counter(), Counter()
    workers_open, workers_audited, worker_names = Counter(), Counter(), {}
    for child_id, team, first, last, username, worker_id in rows:
        done = child_id in audited
        teams_open[team] += 1
        teams_audited[team] += done
        workers_open[worker_id] += 1
        workers_audited[worker_id] += done
        worker_names[worker_id] = f"{first} {last}".strip() or username
    teams = [Coverage(name, teams_open[name], teams_audited[name]) for name in sorted(teams_open)]
    workers = sorted((Coverage(worker_names[pk], workers_open[pk], workers_audited[pk]) for pk in workers_open),
                     key=lambda row: (row.name, row.open))
    overall = Coverage("All teams", sum(teams_open.values()), sum(teams_audited.values()))
    return CoverageReport(since, overall, teams, workers)
