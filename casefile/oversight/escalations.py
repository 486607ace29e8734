"""Reads of chair and IRO challenge that several pages share: where each escalation stands, the open escalations a
person sees, a child's escalations, and the counts per team for the team page and my work.

Deadlines are worked out on every read from the stage's start (rules/escalation.py) with the authority's working
calendar (casework/calendar.py), never stored. Each function costs a fixed number of queries, however many
escalations there are.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from casefile.access import policy
from casefile.accounts.models import Team
from casefile.casework.calendar import working_calendar
from casefile.casework.models import Allocation
from casefile.oversight.models import Escalation, EscalationStage
from casefile.rules import escalation as rules
from casefile.rules.working_days import WorkingCalendar

# The longest line of managers above a team's manager: service manager, head of service, and one spare.
CHAIN_ABOVE_TEAM_MANAGER = 3


def stage_limits() -> Mapping[rules.Stage, int]:
    """Working days at each stage: the local defaults, with the authority's CASEFILE_ESCALATION_WORKING_DAYS."""
    return rules.stage_limits(settings.CASEFILE_ESCALATION_WORKING_DAYS)


def stage_row(escalation: Escalation, stage: str) -> EscalationStage | None:
    """The escalation's row for one stage, from its prefetched stages."""
    return next((row for row in escalation.stages.all() if row.stage == stage), None)


def current_status(escalation: Escalation, calendar: WorkingCalendar,
                   today: datetime.date | None = None) -> rules.StageStatus:
    """Where the escalation's current stage stands today. Needs `stages` prefetched."""
    row = stage_row(escalation, escalation.stage)
    return rules.stage_status(escalation.stage, escalation.stage_started_on, row.responded_on if row else None,
                              today or timezone.localdate(), calendar, stage_limits())


def stage_statuses(escalation: Escalation, calendar: WorkingCalendar,
                   today: datetime.date | None = None) -> list[tuple[EscalationStage, rules.StageStatus]]:
    """Every stage the escalation reached, oldest first, with how it stood (a stage left unanswered stands as it
    did when the next began: it is not counted overdue for ever)."""
    today = today or timezone.localdate()
    rows = list(escalation.stages.all())
    result = []
    for position, row in enumerate(rows):
        ended = rows[position + 1].started_on if position + 1 < len(rows) else (escalation.resolved_on or today)
        result.append((row, rules.stage_status(row.stage, row.started_on, row.responded_on, ended, calendar,
                                               stage_limits())))
    return result


def with_stages(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("child", "raised_by").prefetch_related("stages__responded_by",
                                                                          "stages__started_by")


def child_escalations(child) -> list[Escalation]:
    """Every escalation about the child, open ones first, newest first."""
    rows = with_stages(Escalation.objects.filter(child=child).select_related("resolved_by"))
    return sorted(rows, key=lambda row: (not row.is_open, -row.raised_on.toordinal(), -row.pk))


def _managed_teams(user) -> QuerySet:
    """Teams the user manages, or manages the manager of (up the line)."""
    line = Q(manager=user)
    path = "manager"
    for _ in range(CHAIN_ABOVE_TEAM_MANAGER):
        path += "__manager"
        line |= Q(**{path: user})
    return Team.objects.filter(line)


def open_escalations_for(user) -> QuerySet:
    """Open escalations the user sees on their list: those they raised (a chair), and those on children whose case
    is held by a team they manage or manage from above (a manager); only children whose record they may see."""
    held = Allocation.objects.filter(end_date__isnull=True, team__in=_managed_teams(user)).values("child_id")
    candidates = Escalation.objects.filter(Q(raised_by=user) | Q(child_id__in=held), resolved_on__isnull=True)
    viewable = policy.viewable_ids(user, candidates.values_list("child_id", flat=True))
    if not viewable:
        return Escalation.objects.none()
    return with_stages(candidates.filter(child_id__in=viewable)).order_by("stage_started_on", "pk")


@dataclass(frozen=True)
class TeamEscalations:
    open: int = 0
    overdue: int = 0


def open_counts_by_team(team_ids: Iterable[int], request=None,
                        today: datetime.date | None = None) -> dict[int, TeamEscalations]:
    """Open and overdue escalations on the children each team holds, for the team page and my work: three queries
    (the escalations, their stages, the calendar) however many teams and escalations."""
    team_ids = list(team_ids)
    holding_team = Allocation.objects.filter(child=OuterRef("child_id"), end_date__isnull=True).values("team_id")[:1]
    rows = (Escalation.objects.filter(resolved_on__isnull=True).annotate(team_id=Subquery(holding_team))
            .filter(team_id__in=team_ids).prefetch_related("stages"))
    calendar = working_calendar(request)
    counts = {team_id: TeamEscalations() for team_id in team_ids}
    for row in rows:
        overdue = current_status(row, calendar, today).is_overdue
        before = counts[row.team_id]
        counts[row.team_id] = TeamEscalations(before.open + 1, before.overdue + int(overdue))
    return counts


def open_summary_for(user, request=None, today: datetime.date | None = None) -> TeamEscalations:
    """How many escalations are open on the user's list, and how many of them overdue: for a chair's or a manager's
    my work (three queries)."""
    calendar = working_calendar(request)
    statuses = [current_status(row, calendar, today) for row in open_escalations_for(user)]
    return TeamEscalations(len(statuses), sum(1 for status in statuses if status.is_overdue))
