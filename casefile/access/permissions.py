"""Who may do what: the one place outside access/policy.py where a user's role is compared.

policy.py decides who may see or change a person's record. This module decides which acts a user's role
allows: who may decide, authorise, sign off, allocate, chair, hand over, bulk-triage, record a visit or create
a person. Each act is one named function taking the user (and, where the answer depends on it, the object).

Services enforce these (a refusal is a ValidationError or PermissionDenied naming what the user may not do);
views and templates only ask them, through a context flag, so a page says what a user may not do before they
fill in a form. `access/tests/test_permission_matrix.py` writes out the expected answer for every persona and
every act, and `core/tests/test_layering.py` fails if a role is compared anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from casefile.access import policy
from casefile.accounts.models import CASE_HOLDING_ROLES, MANAGER_ROLES, Role, Team, User
from casefile.people.models import Person

# Who may make a threshold or referral decision: a qualified social worker or a manager.
QUALIFIED_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, *MANAGER_ROLES})
# Who may chair a strategy discussion: the qualified roles, or a conference chair / IRO.
STRATEGY_CHAIR_ROLES = QUALIFIED_ROLES | {Role.CONFERENCE_CHAIR}
# Who may allocate cases, see caseloads and the front door's weekly report: managers and administrators.
OVERSIGHT_ROLES = frozenset({*MANAGER_ROLES, Role.ADMINISTRATOR})
# Who may record a new person: whoever holds cases or manages them, and administrators.
RECORDS_PEOPLE_ROLES = frozenset({*CASE_HOLDING_ROLES, *MANAGER_ROLES, Role.ADMINISTRATOR})
# Who sees the children waiting for a worker: the front door, who take referrals, and the managers who allocate.
SEES_UNALLOCATED_ROLES = frozenset({Role.FRONT_DOOR, *OVERSIGHT_ROLES})
# Service managers and heads of service: they sign off a request for an initial conference, and decide on legal
# planning (the legal gateway), above a team manager.
SENIOR_MANAGER_ROLES = frozenset({Role.SERVICE_MANAGER, Role.HEAD_OF_SERVICE})
# Management decisions (oversight.DecisionKind) that only a service manager or above may record.
SENIOR_DECISION_KINDS = frozenset({"legal_planning"})


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _has_role(user, roles: Iterable[str]) -> bool:
    return _signed_in(user) and user.role in roles


def _staff_in(roles: Iterable[str]) -> QuerySet:
    return User.objects.filter(is_active=True, role__in=list(roles)).order_by("first_name", "last_name", "pk")


# Roles ---------------------------------------------------------------------------------------------------

def is_manager(user) -> bool:
    """A team manager, service manager or head of service."""
    return _has_role(user, MANAGER_ROLES)


def is_administrator(user) -> bool:
    return _has_role(user, {Role.ADMINISTRATOR})


def is_partner(user) -> bool:
    """A partner agency viewer: reads what is shared with their agency, changes nothing."""
    return _has_role(user, {Role.PARTNER_VIEWER})


# Decisions and authorisation -----------------------------------------------------------------------------

def may_decide(user) -> bool:
    """A threshold decision at the front door, or the decision on a referral: a qualified social worker, a
    senior practitioner or a manager."""
    return _has_role(user, QUALIFIED_ROLES)


def may_bulk_triage(user) -> bool:
    """Bulk triage records one decision per child, so it is for whoever may decide."""
    return may_decide(user)


def may_authorise_decision(user, decision=None) -> bool:
    """A manager agrees a threshold decision; never the one who made it."""
    return is_manager(user) and (decision is None or decision.decided_by_id != user.pk)


def may_authorise_assessment(user) -> bool:
    """A manager authorises a submitted assessment, or returns it for changes."""
    return is_manager(user)


def may_authorise_plan(user, plan=None) -> bool:
    """A manager authorises a submitted plan, or returns it with a comment; never the one who submitted it."""
    return is_manager(user) and (plan is None or plan.submitted_by_id != user.pk)


def may_sign_off_closure(user, episode=None) -> bool:
    """A manager signs off (or returns) a proposed closure; never the one who proposed it."""
    return is_manager(user) and (episode is None or episode.closure_proposed_by_id != user.pk)


def may_see_manager_queue(user) -> bool:
    """The queue of work waiting for a manager's sign-off (oversight/queue.py): managers only."""
    return is_manager(user)


def may_return_closure(user) -> bool:
    return is_manager(user)


def may_record_decision(user, kind: str | None = None) -> bool:
    """A management decision on a child's file (oversight): a manager; legal planning and pre-proceedings only a
    service manager or head of service. With no kind: whether the user may record any."""
    if kind in SENIOR_DECISION_KINDS:
        return _has_role(user, SENIOR_MANAGER_ROLES)
    return is_manager(user)


def may_sign_off_conference_request(user, decision=None) -> bool:
    """A service manager or head of service signs off a manager's decision to ask for an initial child protection
    conference; never the one who made it."""
    return _has_role(user, SENIOR_MANAGER_ROLES) and (decision is None or decision.decided_by_id != user.pk)


def may_record_dissent(user, child: Person) -> bool:
    """A disagreement with a management decision is recorded by a practitioner, manager or chair who may change the
    child's record (a partner's disagreement is recorded for them, with their name)."""
    return _has_role(user, STRATEGY_CHAIR_ROLES) and policy.can_edit(user, child)


def may_chair_strategy_discussion(user) -> bool:
    return _has_role(user, STRATEGY_CHAIR_ROLES)


def may_chair_conference(user) -> bool:
    """Child protection conferences are chaired by a conference chair / IRO, independent of the case."""
    return _has_role(user, {Role.CONFERENCE_CHAIR})


def may_hold_cases(user) -> bool:
    """Whether a case may be allocated to this user: partners, analysts and administrators never hold one."""
    return _has_role(user, CASE_HOLDING_ROLES)


# Allocation and oversight --------------------------------------------------------------------------------

def may_allocate(user) -> bool:
    """Team managers and above, and administrators. Which workers each may choose: allocatable_workers()."""
    return _has_role(user, OVERSIGHT_ROLES)


def may_allocate_to_any_team(user) -> bool:
    """Administrators allocate in every team; a manager only in the teams they oversee."""
    return is_administrator(user)


def may_see_caseloads(user) -> bool:
    """Managers and administrators: the same people who allocate cases."""
    return may_allocate(user)


def may_see_unallocated(user) -> bool:
    return _has_role(user, SEES_UNALLOCATED_ROLES)


def may_see_team(user, team: Team) -> bool:
    """Members, the team's manager and the managers above them, and administrators."""
    if not _signed_in(user):
        return False
    if is_administrator(user):
        return True
    if user.team_id is not None and user.team_id == team.pk:
        return True
    return team.manager is not None and (team.manager == user or user in team.manager.manager_chain())


def may_change_calendar(user) -> bool:
    """The working calendar moves every clock, so only administrators change it."""
    return is_administrator(user)


def may_separate_merged_records(user) -> bool:
    return is_administrator(user)


# The front door ------------------------------------------------------------------------------------------

def may_use_front_door(user) -> bool:
    """Front-door staff (practitioners, and the social workers and managers of a front-door team) and
    administrators."""
    return _signed_in(user) and (policy.works_at_front_door(user) or is_administrator(user))


def may_record_contact(user) -> bool:
    return may_use_front_door(user)


def may_hand_over(user) -> bool:
    return may_use_front_door(user)


def may_see_front_door_reports(user) -> bool:
    return _has_role(user, OVERSIGHT_ROLES)


# People and visits ---------------------------------------------------------------------------------------

def may_create_person(user) -> bool:
    """Practitioners, managers, the front door and administrators record new people. Partner agencies, quality
    assurance officers, analysts and chairs read records but never add one (they would be recording someone they
    could not then open: policy.py's "recorded_by" rule covers only those who may change records)."""
    return _has_role(user, RECORDS_PEOPLE_ROLES)


def may_record_visit(user, child: Person) -> bool:
    """A social worker or manager who may change the child's record may record a visit to the child. The page
    asks this before showing the form, and the visit service asks it again before saving. The front door's
    practitioners, chairs, auditors, partners and administrators do not visit, even where they may change it."""
    return (_signed_in(user) and child.kind == Person.Kind.CHILD and user.role in QUALIFIED_ROLES
            and policy.can_edit(user, child))


# Who may be chosen ---------------------------------------------------------------------------------------

def decision_makers() -> QuerySet:
    """Active staff who may be named as having made a decision."""
    return _staff_in(QUALIFIED_ROLES)


def strategy_chairs() -> QuerySet:
    return _staff_in(STRATEGY_CHAIR_ROLES)


def conference_chairs() -> QuerySet:
    return _staff_in({Role.CONFERENCE_CHAIR})


def case_holders() -> QuerySet:
    return _staff_in(CASE_HOLDING_ROLES)
