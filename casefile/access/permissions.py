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
from casefile.casework.models import Allocation
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
# Who makes statutory returns and inspection lists (the CIN census, Annex A, the SSD export) and validates census
# files: performance analysts and administrators. A return holds whole cohorts of children, so no one else.
RETURNS_ROLES = frozenset({Role.PERFORMANCE_ANALYST, Role.ADMINISTRATOR})
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


def may_sign_off_step_down(user, transfer=None) -> bool:
    """A manager signs off (or returns) a step-down to early help a worker proposed; never the one who proposed it."""
    return is_manager(user) and (transfer is None or transfer.proposed_by_id != user.pk)


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
def may_end_plan_without_conference(user, child: Person) -> bool:
    """A child protection plan that ends without a conference (the child became looked after, moved away, turned 18
    or died) is ended by a manager who may change the child's record."""
    return is_manager(user) and policy.can_edit(user, child)


def may_chair_strategy_discussion(user) -> bool:
    return _has_role(user, STRATEGY_CHAIR_ROLES)


def may_chair_conference(user) -> bool:
    """Child protection conferences are chaired by a conference chair / IRO, independent of the case."""
    return _has_role(user, {Role.CONFERENCE_CHAIR})


def may_hold_cases(user) -> bool:
    """Whether a case may be allocated to this user: partners, analysts and administrators never hold one."""
    return _has_role(user, CASE_HOLDING_ROLES)


def role_holds_cases(role: str) -> bool:
    """Whether someone in this role may hold cases, for figures that read roles by the thousand (insight/cohort.py's
    workforce rows) rather than one user at a time."""
    return role in CASE_HOLDING_ROLES


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


def may_see_practice_quality(user) -> bool:
    """The practice-quality page (drift and quality signals per team, worker and child): managers, for the teams
    they oversee, and quality assurance, performance analysts and administrators, for every team. The children
    listed are only those the access policy lets the user see."""
    return is_manager(user) or may_see_practice_quality_of_every_team(user)


def may_see_practice_quality_of_every_team(user) -> bool:
    """Quality assurance, performance analysts and administrators (a manager sees the teams they oversee)."""
    return _has_role(user, {Role.QA_OFFICER, Role.PERFORMANCE_ANALYST, Role.ADMINISTRATOR})


def may_refresh_signals(user) -> bool:
    """Having every signal worked out again from the record now (oversight/kept_signals.py), rather than waiting
    for the nightly run: those who see every team's practice quality."""
    return may_see_practice_quality_of_every_team(user)


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


# Chair and IRO challenge --------------------------------------------------------------------------------

# Who answers each formal stage of a practice concern (rules/escalation.py): the manager of that level in the line
# above the team holding the child. The informal stage is answered by the allocated worker or any of them.
RESPONDS_AT_STAGE = {
    "team_manager": Role.TEAM_MANAGER,
    "service_manager": Role.SERVICE_MANAGER,
    "head_of_service": Role.HEAD_OF_SERVICE,
}


def _holding_team_managers(child: Person) -> list[User]:
    """The team manager of the team holding the child's case, and the managers above them (service manager, head
    of service): one query. Nobody when no worker is allocated."""
    allocation = (Allocation.objects.filter(child=child, end_date__isnull=True)
                  .select_related("team__manager__manager__manager__manager").first())
    if allocation is None or allocation.team.manager is None:
        return []
    return [allocation.team.manager, *allocation.team.manager.manager_chain()]


def may_raise_concern(user, child: Person) -> bool:
    """A conference chair or IRO raises a practice concern on the case of a child whose record they may change
    (they chair one of the child's conferences)."""
    return (_has_role(user, {Role.CONFERENCE_CHAIR}) and child.kind == Person.Kind.CHILD
            and policy.can_edit(user, child))


def may_see_escalations(user) -> bool:
    """The page of open escalations: chairs (those they raised) and managers (those on their teams' children)."""
    return _has_role(user, {Role.CONFERENCE_CHAIR, *MANAGER_ROLES})


def may_escalate_concern(user, concern) -> bool:
    """The chair who raised an open concern moves it on to a later stage, or records how it was resolved."""
    return _signed_in(user) and concern.resolved_on is None and concern.raised_by_id == user.pk


def may_resolve_concern(user, concern) -> bool:
    return may_escalate_concern(user, concern)


def may_respond_to_concern(user, concern) -> bool:
    """At the informal stage: the allocated worker, or a manager in the line above the team holding the child. At a
    formal stage: the manager of that stage's level in that line (stage 1 the team manager, and so on)."""
    if not (_signed_in(user) and concern.resolved_on is None and policy.can_view(user, concern.child)):
        return False
    if concern.stage in RESPONDS_AT_STAGE:
        return user.role == RESPONDS_AT_STAGE[concern.stage] and user in _holding_team_managers(concern.child)
    allocated = Allocation.objects.filter(child=concern.child, end_date__isnull=True, worker=user).exists()
    return allocated or user in _holding_team_managers(concern.child)


def may_give_report_feedback(user, conference) -> bool:
    """The chair of a conference records what they thought of each agency's report to it."""
    return _has_role(user, {Role.CONFERENCE_CHAIR}) and conference.chair_id == user.pk
# Supervision ---------------------------------------------------------------------------------------------

def may_record_supervision(user, child: Person) -> bool:
    """Case supervision is written up by the manager who gave it, about a child whose record they may change."""
    return (is_manager(user) and child.kind == Person.Kind.CHILD and not child.merged_into_id
            and policy.can_edit(user, child))


def may_change_supervision(user, supervision) -> bool:
    """The supervisor who gave it changes it (while unsigned), adds its actions, and re-opens it once signed."""
    return is_manager(user) and supervision.supervisor_id == user.pk


def may_sign_off_supervision(user, supervision) -> bool:
    """The two people in the supervision sign it off, each for themselves: the manager and the worker."""
    return _signed_in(user) and user.pk in (supervision.supervisor_id, supervision.worker_id)


def may_complete_supervision_action(user, supervision) -> bool:
    """An action agreed in supervision is marked done by the worker or the supervisor, or by any manager who may
    change the child's record (the worker may have moved on)."""
    return _signed_in(user) and (user.pk in (supervision.supervisor_id, supervision.worker_id)
                                 or (is_manager(user) and policy.can_edit(user, supervision.child)))


def may_record_staff_supervision(user, worker: User) -> bool:
    """A worker's own supervision is recorded by a manager above them (never by the worker)."""
    return is_manager(user) and policy.oversees_worker(user, worker)


def may_see_supervision_due(user) -> bool:
    """Who is due supervision, and who is overdue: managers (for the staff below them) and administrators."""
    return _has_role(user, OVERSIGHT_ROLES)


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


# Returns ----------------------------------------------------------------------------------------------

def may_see_census_data_quality(user) -> bool:
    """The census data-quality page (every child whose record would fail a census rule now) and its check of the
    whole record: those who hold or manage cases, quality assurance, analysts and administrators. The children
    listed are only those the access policy lets the user see."""
    return _has_role(user, {*CASE_HOLDING_ROLES, *MANAGER_ROLES, Role.QA_OFFICER, Role.PERFORMANCE_ANALYST,
                            Role.ADMINISTRATOR})


def may_make_returns(user) -> bool:
    """Export a statutory return or inspection list, download one, or validate a census file: analysts and
    administrators (issue 11, item 7)."""
    return _has_role(user, RETURNS_ROLES)


# Case file audits ----------------------------------------------------------------------------------------

# Who audits case files: quality-assurance officers, managers (team, service, head of service) and administrators.
AUDITOR_ROLES = frozenset({Role.QA_OFFICER, *MANAGER_ROLES, Role.ADMINISTRATOR})


def may_conduct_case_file_audits(user) -> bool:
    """Start and grade case file audits, and see the quality page of audits and their actions: QA officers,
    managers and administrators."""
    return _has_role(user, AUDITOR_ROLES)


def may_audit_child(user, child: Person) -> bool:
    """A QA officer audits any child's file (starting the audit samples the child, which opens the record to them
    while the sample is open: policy.py's "qa_sample" rule); a manager or administrator audits a child whose record
    they may already see. A restricted record only by those named on it (a sample does not open one). Never an
    adult's record, nor one merged into another."""
    if not may_conduct_case_file_audits(user) or child.kind != Person.Kind.CHILD or child.merged_into_id:
        return False
    return (user.role == Role.QA_OFFICER and not child.is_restricted) or policy.can_view(user, child)


def audits_through_a_sample(user) -> bool:
    """A QA officer opens a child's record to audit it only through a sample (quality.CaseSample), which starting
    the audit makes; a manager or administrator audits what they may open already."""
    return _has_role(user, {Role.QA_OFFICER})


def may_change_case_file_audit(user, audit) -> bool:
    """Only the auditor grades the audit, and only while it is in progress."""
    return _signed_in(user) and audit.auditor_id == user.pk and not audit.is_completed


def may_see_case_file_audit(user, audit) -> bool:
    """A completed audit is shown to whoever may open the child's record (the worker and the manager act on it);
    one in progress only to its auditor and to others who conduct audits. A partner auditor sees only their own."""
    if is_partner(user):
        return audit.auditor_id == user.pk
    return _signed_in(user) and (audit.is_completed or audit.auditor_id == user.pk
                                 or may_conduct_case_file_audits(user))


def may_add_audit_action(user, audit) -> bool:
    """The auditor sets actions from a completed audit for the authority's worker or manager; a partner auditor
    grades the audit and leaves the actions to the authority."""
    return _signed_in(user) and audit.auditor_id == user.pk and audit.is_completed and not is_partner(user)


# Sampling for case file audits -----------------------------------------------------------------------------

# Who draws a sample of children's files, sees the rounds and assigns auditors: quality assurance and
# administrators (the sample is drawn across every team, so not a team's own manager).
SAMPLING_ROLES = frozenset({Role.QA_OFFICER, Role.ADMINISTRATOR})


def may_draw_audit_sample(user) -> bool:
    """Draw a round of case file audits, see its page and the children drawn: quality assurance and
    administrators."""
    return _has_role(user, SAMPLING_ROLES)


def may_manage_audit_round(user, audit_round) -> bool:
    """Assign the auditors of a round's children, and close the round: those who draw samples, while it is open."""
    return may_draw_audit_sample(user) and not audit_round.is_closed


def may_audit_in_round(user, audit_round) -> bool:
    """Who may be assigned a child of the round to audit: those who conduct case file audits, and for a
    multi-agency round a partner agency viewer of the agency the round names (a partner auditor, who sees only the
    children sampled to them)."""
    if may_conduct_case_file_audits(user):
        return True
    return (is_partner(user) and bool(audit_round.partner_agency)
            and user.agency == audit_round.partner_agency)


def may_start_sampled_audit(user, sampled) -> bool:
    """The auditor assigned a sampled child starts the audit of their file, once, while the round is open."""
    return (_signed_in(user) and sampled.auditor_id == user.pk and sampled.audit_id is None
            and not sampled.round.is_closed)


def may_see_audit_coverage(user) -> bool:
    """Audit coverage per team and worker (counts, no child named): quality assurance, performance analysts and
    administrators."""
    return _has_role(user, {Role.QA_OFFICER, Role.PERFORMANCE_ANALYST, Role.ADMINISTRATOR})


def may_see_sampled_to_them(user) -> bool:
    """The page of the children sampled to a user for audit: anyone who may be assigned one (auditors, and partner
    agency viewers, who are assigned only in a multi-agency round)."""
    return may_conduct_case_file_audits(user) or is_partner(user)


def may_complete_audit_action(user, action) -> bool:
    """The person an open action from an audit is for marks it done, with a note; so may the auditor who set it."""
    return (_signed_in(user) and action.completed_on is None
            and user.pk in (action.assignee_id, action.audit.auditor_id))


# Moderation, re-audit and the quality reports ------------------------------------------------------------

# Who moderates a completed audit: quality-assurance officers and managers; never the audit's own auditor.
MODERATOR_ROLES = frozenset({Role.QA_OFFICER, *MANAGER_ROLES})


def may_moderate_case_file_audit(user, audit) -> bool:
    """Grade a completed audit again, blind, as a second auditor: a QA officer (starting it samples the child) or a
    manager who may open the child's record; never the first auditor, and never an audit still in progress."""
    if not _has_role(user, MODERATOR_ROLES) or not audit.is_completed or audit.auditor_id == user.pk:
        return False
    return may_audit_child(user, audit.child)


def may_change_moderation(user, moderation) -> bool:
    """Only the moderator grades their moderation, and only until they submit it."""
    return _signed_in(user) and moderation.moderator_id == user.pk and not moderation.is_submitted


def may_record_moderation_outcome(user, moderation) -> bool:
    """Once the moderator has submitted their grades and seen the first auditor's beside them, they record the
    outcome they agreed with the auditor: the grade agreed, or changed to a final grade."""
    return (_signed_in(user) and moderation.moderator_id == user.pk
            and moderation.status == moderation.Status.SUBMITTED)


def may_start_re_audit(user, audit) -> bool:
    """Re-audit a completed audit's child with the same tool, once its actions are done (the service checks them):
    whoever may audit the child."""
    return may_conduct_case_file_audits(user) and audit.is_completed and may_audit_child(user, audit.child)


def may_see_quality_reports(user) -> bool:
    """Moderation's agreement, the impact measured at re-audit, the theme report for the leadership team and the
    audit of audits: quality assurance, managers (the leadership team among them) and administrators. Figures
    across every team; a child is named only where the reader may open their record."""
    return _has_role(user, AUDITOR_ROLES)


# Performance --------------------------------------------------------------------------------------------


def may_see_performance(user) -> bool:
    """Performance clinics (insight): the indicators for a team or worker and the children behind each number.
    Managers, for the teams they oversee; quality assurance, analysts and administrators, for every team. The
    children listed are only those the access policy lets the user see."""
    return is_manager(user) or may_see_performance_of_every_team(user)


def may_see_performance_of_every_team(user) -> bool:
    """Quality assurance, performance analysts and administrators see the whole authority and every team."""
    return _has_role(user, {Role.QA_OFFICER, Role.PERFORMANCE_ANALYST, Role.ADMINISTRATOR})


def may_refresh_performance_figures(user) -> bool:
    """Having the kept performance figures computed again from the record now (insight/figures.py), rather than
    waiting for the nightly run: performance analysts and administrators."""
    return _has_role(user, {Role.PERFORMANCE_ANALYST, Role.ADMINISTRATOR})


# The workforce, the child population and the neighbours' figures -------------------------------------------

def may_keep_workforce_records(user) -> bool:
    """Each worker's employment (type, full-time equivalent, start and leave dates) and the establishment's posts,
    which the workforce figures count: administrators, who keep the staff list."""
    return is_administrator(user)


def may_enter_child_population(user) -> bool:
    """The authority's child population by ethnicity, religion, disability and sex, which the diversity page
    compares each stage with: performance analysts and administrators, who make the returns."""
    return _has_role(user, RETURNS_ROLES)


def may_enter_neighbour_figures(user) -> bool:
    """The statistical neighbours' figures, which the clinic shows beside the England figure: performance analysts
    and administrators, who enter the child population too."""
    return _has_role(user, RETURNS_ROLES)


# The self-evaluation pack holds the whole authority's figures and is what leaders put before Ofsted.
SELF_EVALUATION_ROLES = frozenset({Role.PERFORMANCE_ANALYST, Role.SERVICE_MANAGER, Role.HEAD_OF_SERVICE,
                                   Role.ADMINISTRATOR})


def may_make_self_evaluation_pack(user) -> bool:
    """Ask for a self-evaluation pack, see the list of packs and download one: performance analysts, senior managers
    (service managers and heads of service) and administrators."""
    return _has_role(user, SELF_EVALUATION_ROLES)
