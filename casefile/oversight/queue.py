"""What waits for a manager: one queue over every kind of work that needs their sign-off, read from the records
themselves (nothing is queued twice). A manager sees the work for children their teams hold (through their
manager chain, so a service manager sees every team under them): assessments, plans, closures and step-downs to
early help, and, for a service manager or head of service, requests for an initial conference to sign off;
front-door managers also see the threshold decisions awaiting authorisation, as the front door's own queue shows
them (a step-down the front door decided is authorised with its decision, so it is never queued again); and every
manager sees the case supervision records they gave and have still to sign.

Each item says how long it has waited in working days, counted with the authority's working calendar."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from casefile.access import permissions, policy
from casefile.accounts.models import Team, User
from casefile.casework.calendar import working_calendar
from casefile.casework.caseloads import teams_overseen_by
from casefile.casework.models import Allocation, Assessment, EarlyHelpTransfer, Episode, Plan
from casefile.casework.plan_quality import OUTCOMES_AND_ACTIONS, plan_quality
from casefile.core.prepared import id_list
from casefile.core.presenters import govuk_date
from casefile.frontdoor.access import visible_child
from casefile.frontdoor.models import ThresholdDecision
from casefile.oversight.models import CaseSupervision, DecisionKind, ManagementDecision
from casefile.people.models import Person
from casefile.rules.working_days import WorkingCalendar, working_days_between

ASSESSMENT = "Assessment to authorise"
CLOSURE = "Closure to sign off"
THRESHOLD = "Front-door decision to authorise"
PLAN = "Plan to authorise"
STEP_DOWN = "Step-down to sign off"
CONFERENCE_REQUEST = "Conference request to sign off"
SUPERVISION = "Supervision record to sign"
KINDS = (ASSESSMENT, PLAN, CLOSURE, STEP_DOWN, CONFERENCE_REQUEST, THRESHOLD, SUPERVISION)


@dataclass(frozen=True)
class QueueItem:
    kind: str
    child: Person
    worker: User | None  # who sent it: the allocated worker, the proposer or the decision maker
    team: Team | None
    since: datetime.date
    working_days: int
    url: str
    note: str = ""  # what the manager should know before opening it: a plan's quality flags


def manager_queue(user: User, *, request=None, today: datetime.date | None = None,
                  held_ids: list[int] | None = None) -> list[QueueItem]:
    """Every item waiting for this manager, longest waiting first. A fixed number of queries however long.
    `held_ids`: the children the teams hold that the user may see, when the caller has read them already (my work
    has, for its table of the teams' children): the teams' allocations are then not read again."""
    if not permissions.is_manager(user):
        return []
    today = today or timezone.localdate()
    calendar = working_calendar(request)
    # The ids the teams hold, read once: as a subquery, the access policy would be read again in every query below.
    if held_ids is None:
        held_ids = list(_team_allocations(user).values_list("child_id", flat=True))
    children = id_list(held_ids)  # past 200, one parameter: a head of service's teams hold thousands
    assessments = list(_waiting_assessments(children))
    plans = list(_waiting_plans(user, children))
    closures = list(_waiting_closures(user, children))
    step_downs = list(_waiting_step_downs(user, children))
    supervisions = list(_waiting_supervision(user))
    requests = (list(_waiting_conference_requests(user, children))
                if permissions.may_sign_off_conference_request(user) else [])
    # Who holds each child with work waiting (few), not each child the teams hold (a head of service's: thousands).
    waiting = {assessment.episode.child_id for assessment in assessments} | {
        record.child_id for record in [*plans, *closures, *step_downs, *supervisions, *requests]}
    # Each of these children was checked by the policy already (held_ids, or _seen_by): only who holds them is read.
    allocations = ({allocation.child_id: allocation for allocation in _teams_open_allocations(user)
                    .filter(child_id__in=waiting).select_related("worker", "team")} if waiting else {})
    items = [*_assessments(assessments, allocations, today, calendar),
             *_plans(plans, allocations, today, calendar),
             *_closures(closures, allocations, today, calendar),
             *_step_downs(step_downs, allocations, today, calendar),
             *_supervision_to_sign(supervisions, allocations, today, calendar),
             *_conference_requests(requests, allocations, today, calendar)]
    if policy.works_at_front_door(user):
        items += _threshold_decisions(user, today, calendar)
    return sorted(items, key=lambda item: (item.since, item.kind, item.child.last_name, item.child.pk))


def _team_allocations(user: User):
    """The open allocations of the children the user's teams hold and the user may see: who holds the work, and
    for which team. The policy's filter is a subquery, however many children."""
    return _about_children_seen_by(user, _teams_open_allocations(user)).order_by()


def _teams_open_allocations(user: User):
    return Allocation.objects.filter(end_date__isnull=True, team__in=teams_overseen_by(user).values("pk"))


def _about_children_seen_by(user: User, queryset):
    """The rows about a child the user may see. The policy is asked about these rows' children only: asked about
    everyone, it reads every person on the record."""
    viewable = policy.viewable_children(user, Person.objects.filter(pk__in=queryset.values("child_id")))
    return queryset.filter(child__in=viewable.values("pk"))


def _seen_by(user: User, rows) -> list:
    """The rows (read first) about a child the user may see: the policy is asked about their few children only,
    and not at all when there are none (usually: little waits to be signed). Built into each query, the policy's
    filter cost every manager's my work a few milliseconds a list, with nothing waiting."""
    rows = list(rows)
    viewable = policy.viewable_ids(user, {row.child_id for row in rows}, children_only=True)
    return [row for row in rows if row.child_id in viewable]


def _waited(since: datetime.date, today: datetime.date, calendar: WorkingCalendar) -> int:
    return working_days_between(since, today, calendar) if since <= today else 0


def _waiting_assessments(children):
    return (Assessment.objects.filter(submitted_on__isnull=False, authorised_on__isnull=True,
                                      episode__closure_date__isnull=True, episode__child_id__in=children)
            .select_related("episode__child").order_by())


def _assessments(waiting, allocations, today, calendar) -> list[QueueItem]:
    return [QueueItem(ASSESSMENT, assessment.episode.child, allocations[assessment.episode.child_id].worker,
                      allocations[assessment.episode.child_id].team, assessment.submitted_on,
                      _waited(assessment.submitted_on, today, calendar),
                      reverse("casework:assessment", kwargs={"person_id": assessment.episode.child_id,
                                                             "assessment_id": assessment.pk}))
            for assessment in waiting]


def _waiting_plans(user, children):
    """Submitted plans not yet authorised, never the manager's own submission, each with its quality flags (the
    outcomes and actions of them all in two queries)."""
    return (Plan.objects.filter(submitted_on__isnull=False, authorised_on__isnull=True, end_date__isnull=True,
                                child_id__in=children)
            .exclude(submitted_by=user).select_related("child", "submitted_by")
            .prefetch_related(OUTCOMES_AND_ACTIONS).order_by())


def _plans(waiting, allocations, today, calendar) -> list[QueueItem]:
    return [QueueItem(PLAN, plan.child, plan.submitted_by, allocations[plan.child_id].team, plan.submitted_on,
                      _waited(plan.submitted_on, today, calendar),
                      reverse("casework:authorise_plan", kwargs={"person_id": plan.child_id, "plan_id": plan.pk}),
                      _flags_note(plan))
            for plan in waiting]


def _flags_note(plan: Plan) -> str:
    codes = sorted({flag.warning.code for flag in plan_quality(plan)}, key=lambda code: int(code[2:]))
    return f"Quality flags: {', '.join(codes)}" if codes else "No quality flags"


def _waiting_closures(user, children):
    return (Episode.objects.filter(closure_proposed_on__isnull=False, closure_signed_off_on__isnull=True,
                                   closure_date__isnull=True, child_id__in=children)
            .exclude(closure_proposed_by=user)  # never their own: another manager signs it off
            .select_related("child", "closure_proposed_by").order_by())


def _closures(waiting, allocations, today, calendar) -> list[QueueItem]:
    return [QueueItem(CLOSURE, episode.child, episode.closure_proposed_by, allocations[episode.child_id].team,
                      episode.closure_proposed_on, _waited(episode.closure_proposed_on, today, calendar),
                      reverse("casework:sign_off_closure", kwargs={"person_id": episode.child_id,
                                                                   "episode_id": episode.pk}))
            for episode in waiting]


def _threshold_decisions(user, today, calendar) -> list[QueueItem]:
    waiting = (ThresholdDecision.objects.filter(authorised_at__isnull=True)
               .exclude(decided_by=user)  # never their own decision
               .filter(visible_child(user, "contact_child__child_id"))
               .select_related("contact_child__child", "decided_by").order_by())
    return [QueueItem(THRESHOLD, decision.contact_child.child, decision.decided_by, None,
                      timezone.localdate(decision.decided_at),
                      _waited(timezone.localdate(decision.decided_at), today, calendar),
                      reverse("frontdoor:authorise", kwargs={"decision_id": decision.pk}))
            for decision in waiting]


def _waiting_step_downs(user, children):
    """Step-downs to early help a worker proposed on their own (one recorded with a closure waits with the closure,
    and the front door's are authorised with their decision): for the children the teams hold, or proposed by
    someone in the teams (a child stepping down after closure may hold no allocation now). Never their own."""
    return _held_or_sent_by_teams(
        EarlyHelpTransfer.objects.filter(direction=EarlyHelpTransfer.Direction.STEP_DOWN, proposed_on__isnull=False,
                                         signed_off_on__isnull=True)
        .filter(Q(episode__isnull=True) | Q(episode__closure_date__isnull=False)), user, children, "proposed_by")


def _step_downs(waiting, allocations, today, calendar) -> list[QueueItem]:
    return [QueueItem(STEP_DOWN, transfer.child, transfer.proposed_by,
                      _team(allocations, transfer.child_id, transfer.proposed_by), transfer.proposed_on,
                      _waited(transfer.proposed_on, today, calendar),
                      reverse("casework:early_help_transfer", kwargs={"person_id": transfer.child_id,
                                                                      "early_help_transfer_id": transfer.pk}),
                      f"To {transfer.early_help_provider}" if transfer.early_help_provider else "")
            for transfer in waiting]


def _held_or_sent_by_teams(queryset, user: User, children, sender: str):
    """Work about a child the teams hold, or sent by someone in them (`sender` names who sent it), about a child the
    user may see, and never sent by the user: another manager signs that off."""
    teams = teams_overseen_by(user).values("pk")
    sent = queryset.filter(Q(child_id__in=children) | Q(**{f"{sender}__team__in": teams})).exclude(**{sender: user})
    return _seen_by(user, sent.select_related("child", f"{sender}__team").order_by())


def _team(allocations, child_id: int, sender: User | None) -> Team | None:
    """The team holding the child, or else the team of whoever sent the work."""
    allocation = allocations.get(child_id)
    return allocation.team if allocation is not None else (sender.team if sender is not None else None)


def _waiting_conference_requests(user, children):
    """Requests for an initial child protection conference awaiting a service manager's sign-off: for the children
    the teams under them hold, or decided by someone in those teams. Never their own decision."""
    return _held_or_sent_by_teams(
        ManagementDecision.objects.filter(kind=DecisionKind.CONFERENCE_REQUEST, signed_off_at__isnull=True),
        user, children, "decided_by")


def _conference_requests(waiting, allocations, today, calendar) -> list[QueueItem]:
    return [QueueItem(CONFERENCE_REQUEST, decision.child, decision.decided_by,
                      _team(allocations, decision.child_id, decision.decided_by), decision.decided_on,
                      _waited(decision.decided_on, today, calendar),
                      reverse("oversight:sign_off_decision", kwargs={"person_id": decision.child_id,
                                                                     "management_decision_id": decision.pk}))
            for decision in waiting]


def _waiting_supervision(user):
    """Case supervision records the manager gave and has not signed, waiting since they were written up."""
    unsigned = CaseSupervision.objects.filter(supervisor=user, supervisor_signed_at__isnull=True)
    return _seen_by(user, unsigned.select_related("child", "worker__team").order_by())


def _supervision_to_sign(waiting, allocations, today, calendar) -> list[QueueItem]:
    return [QueueItem(SUPERVISION, supervision.child, supervision.worker,
                      _team(allocations, supervision.child_id, supervision.worker),
                      timezone.localdate(supervision.recorded_at),
                      _waited(timezone.localdate(supervision.recorded_at), today, calendar),
                      reverse("oversight:case_supervision",
                              kwargs={"person_id": supervision.child_id, "supervision_id": supervision.pk}),
                      f"Held on {govuk_date(supervision.held_on)}")
            for supervision in waiting]


def supervision_for_worker_to_sign(user: User) -> list[CaseSupervision]:
    """Case supervision records about the user, as the worker, that they have still to sign (My work), oldest
    first. One query, and one more for the access check when there are some."""
    unsigned = CaseSupervision.objects.filter(worker=user, worker_signed_at__isnull=True)
    return _seen_by(user, unsigned.select_related("child", "supervisor").order_by("recorded_at", "pk"))


def queue_counts(items: list[QueueItem]) -> dict[str, int]:
    """How many of each kind wait, in the order of KINDS, leaving out kinds with none."""
    return {kind: count for kind in KINDS if (count := sum(1 for item in items if item.kind == kind))}





# How long work waited for sign-off: measured on the team page ------------------------------------------------

MEASURED_DAYS = 365


@dataclass(frozen=True)
class SignOffWaits:
    who: str  # "Everyone" or the manager who signed off
    median: float | None  # working days from sent to signed off
    count: int

    @property
    def median_text(self) -> str:
        return "None signed off" if self.median is None else f"{self.median:g}"


def sign_off_waits(team: Team, *, request=None, today: datetime.date | None = None) -> list[SignOffWaits]:
    """For the children the team holds, the median working days plans and assessments waited for authorisation,
    closures and step-downs for sign-off, requests for an initial conference for a service manager's sign-off, and
    case supervision records for the supervisor's signature, over the last year: for everyone, then per manager
    who signed off. Eight queries."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=MEASURED_DAYS)
    calendar = working_calendar(request)
    held = Allocation.objects.filter(team=team, end_date__isnull=True).values("child_id")
    assessments = (Assessment.objects.filter(episode__child_id__in=held, authorised_on__gte=since,
                                             submitted_on__isnull=False)
                   .values_list("submitted_on", "authorised_on", "authorised_by_id"))
    closures = (Episode.objects.filter(child_id__in=held, closure_signed_off_on__gte=since,
                                       closure_proposed_on__isnull=False)
                .values_list("closure_proposed_on", "closure_signed_off_on", "closure_signed_off_by_id"))
    plans = (Plan.objects.filter(child_id__in=held, authorised_on__gte=since, submitted_on__isnull=False)
             .values_list("submitted_on", "authorised_on", "authorised_by_id"))
    step_downs = (EarlyHelpTransfer.objects.filter(child_id__in=held, signed_off_on__gte=since,
                                                   proposed_on__isnull=False)
                  .values_list("proposed_on", "signed_off_on", "signed_off_by_id"))
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=timezone.get_current_timezone())
    requests = (ManagementDecision.objects.filter(child_id__in=held, kind=DecisionKind.CONFERENCE_REQUEST,
                                                  signed_off_at__gte=start)
                .values_list("decided_at", "signed_off_at", "signed_off_by_id"))
    supervisions = (CaseSupervision.objects.filter(child_id__in=held, supervisor_signed_at__gte=start)
                    .values_list("recorded_at", "supervisor_signed_at", "supervisor_signed_by_id"))
    waits: dict[int | None, list[int]] = {}
    for sent, signed, manager_id in [*assessments, *plans, *closures, *step_downs]:
        waits.setdefault(manager_id, []).append(_waited(sent, signed, calendar))
    for sent, signed, manager_id in [*requests, *supervisions]:
        waits.setdefault(manager_id, []).append(
            _waited(timezone.localdate(sent), timezone.localdate(signed), calendar))
    every = [days for days in waits.values() for days in days]
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=[pk for pk in waits if pk])}
    per_manager = sorted((SignOffWaits(names.get(pk, "Someone no longer recorded"), _median(days), len(days))
                          for pk, days in waits.items()), key=lambda row: row.who)
    return [SignOffWaits("Everyone", _median(every), len(every)), *per_manager]


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None
