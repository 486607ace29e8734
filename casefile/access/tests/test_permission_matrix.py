"""Every persona against every act in access/permissions.py, with the answer written out.

The personas are casefile.testing's organisation: sam (social worker, assessment team), tess (its team manager),
simon (service manager), hana (head of service), ola (social worker, another team), fran (front-door
practitioner), mo and mel (social worker and team manager of the front-door team), chris (conference chair),
quinn (QA officer), pat (performance analyst), petra (police partner viewer) and ada (administrator).
A new permission fails `test_every_permission_has_its_expectations_written_out` until its row is written here.
"""

from __future__ import annotations

import inspect

import pytest
from django.utils import timezone

from casefile.access import permissions
from casefile.accounts.models import Agency
from casefile.casework.models import Conference, EarlyHelpTransfer, Episode, Plan
from casefile.frontdoor.models import ThresholdDecision
from casefile.oversight.models import CaseSupervision, Escalation, ManagementDecision
from casefile.quality.models import AuditRound, CaseFileAudit, CaseFileAuditAction, Moderation, SampledChild
from casefile.testing import allocate, make_child

EVERYONE = {"sam", "tess", "simon", "hana", "ola", "fran", "mo", "mel", "chris", "quinn", "pat", "petra", "ada"}
MANAGERS = {"tess", "simon", "hana", "mel"}
QUALIFIED = {"sam", "ola", "mo"} | MANAGERS
FRONT_DOOR = {"fran", "mo", "mel"}
OVERSIGHT = MANAGERS | {"ada"}

# Acts that depend only on who is asking.
EXPECTED = {
    "is_manager": MANAGERS,
    "is_administrator": {"ada"},
    "is_partner": {"petra"},
    "may_decide": QUALIFIED,
    "may_bulk_triage": QUALIFIED,
    "may_authorise_decision": MANAGERS,
    "may_authorise_assessment": MANAGERS,
    "may_authorise_plan": MANAGERS,
    "may_see_manager_queue": MANAGERS,
    "may_sign_off_closure": MANAGERS,
    "may_sign_off_step_down": MANAGERS,
    "may_return_closure": MANAGERS,
    "may_record_decision": MANAGERS,
    "may_sign_off_conference_request": {"simon", "hana"},
    "may_chair_strategy_discussion": QUALIFIED | {"chris"},
    "may_chair_conference": {"chris"},
    "may_hold_cases": {"sam", "tess", "ola", "fran", "mo", "mel"},
    "may_allocate": OVERSIGHT,
    "may_allocate_to_any_team": {"ada"},
    "may_see_caseloads": OVERSIGHT,
    "may_see_unallocated": OVERSIGHT | {"fran"},
    "may_change_calendar": {"ada"},
    "may_separate_merged_records": {"ada"},
    "may_use_front_door": FRONT_DOOR | {"ada"},
    "may_record_contact": FRONT_DOOR | {"ada"},
    "may_hand_over": FRONT_DOOR | {"ada"},
    "may_see_front_door_reports": OVERSIGHT,
    # Managers for their own teams; quality assurance, analysts and administrators for every team.
    "may_see_practice_quality": MANAGERS | {"quinn", "pat", "ada"},
    "may_see_practice_quality_of_every_team": {"quinn", "pat", "ada"},
    # Partners, QA officers, analysts and chairs read records but never add one.
    "may_create_person": EVERYONE - {"petra", "quinn", "pat", "chris"},
    # The open escalations page: chairs (those they raised) and managers (those on their teams' children).
    "may_see_escalations": MANAGERS | {"chris"},
    "may_see_supervision_due": OVERSIGHT,
    # Statutory returns hold whole cohorts: analysts and administrators only.
    "may_make_returns": {"pat", "ada"},
    # Moderation's agreement, impact, the theme report and the audit of audits: those who audit; never
    # practitioners, chairs, analysts or partners.
    "may_see_quality_reports": MANAGERS | {"quinn", "ada"},
    # Whose records would fail the census now: case holders and managers (the children they may see), quality
    # assurance, analysts and administrators; never partners or chairs.
    "may_see_census_data_quality": EVERYONE - {"petra", "chris"},
    # Case file audits: quality assurance, managers and administrators; a QA officer only through a sample.
    "may_conduct_case_file_audits": MANAGERS | {"quinn", "ada"},
    "audits_through_a_sample": {"quinn"},
    # Performance clinics: managers for their own teams; quality assurance, analysts and administrators for all.
    # Sampling for case file audits: quality assurance and administrators draw rounds across every team.
    "may_draw_audit_sample": {"quinn", "ada"},
    "may_see_audit_coverage": {"quinn", "pat", "ada"},
    # Who may be assigned a sampled child, so has a page of them: auditors, and partner auditors.
    "may_see_sampled_to_them": MANAGERS | {"quinn", "ada", "petra"},
    "may_see_performance": MANAGERS | {"quinn", "pat", "ada"},
    "may_see_performance_of_every_team": {"quinn", "pat", "ada"},
    "may_refresh_performance_figures": {"pat", "ada"},
    # Every signal worked out again now: those who see every team's practice quality.
    "may_refresh_signals": {"quinn", "pat", "ada"},
    # Workers' employment and the establishment's posts: administrators, who keep the staff list.
    "may_keep_workforce_records": {"ada"},
    # The child population the diversity page compares with: analysts and administrators, who make the returns.
    "may_enter_child_population": {"pat", "ada"},
    # The statistical neighbours' figures the clinic compares with: the same analysts and administrators.
    "may_enter_neighbour_figures": {"pat", "ada"},
    # The self-evaluation pack (the whole authority): analysts, senior managers and administrators.
    "may_make_self_evaluation_pack": {"pat", "simon", "hana", "ada"},
}
# Acts whose answer depends on the object too: the objects are built in `objects` below.
EXPECTED_FOR_OBJECT = {
    # The assessment team: its members, its manager and the managers above, and administrators.
    "may_see_team": {"sam", "tess", "simon", "hana", "ada"},
    # A decision mel made: any other manager may authorise it.
    "may_authorise_decision": MANAGERS - {"mel"},
    # A closure tess proposed: any other manager signs it off.
    "may_sign_off_closure": MANAGERS - {"tess"},
    # A step-down tess proposed: any other manager signs it off or returns it.
    "may_sign_off_step_down": MANAGERS - {"tess"},
    # A plan tess submitted: any other manager authorises or returns it.
    "may_authorise_plan": MANAGERS - {"tess"},
    # Lily, allocated to sam: whoever may change her record (access/tests/test_policy_matrix.py).
    "may_record_visit": {"sam", "tess", "simon", "hana"},
    # Legal planning and pre-proceedings: service managers and above.
    "may_record_decision": {"simon", "hana"},
    # A conference request simon decided: another service manager or head of service signs it off.
    "may_sign_off_conference_request": {"hana"},
    # Lily: whoever may change her record, practitioners and managers, and chris, who chairs her conference.
    "may_record_dissent": {"sam", "tess", "simon", "hana", "chris"},
    # Her plan ending without a conference: a manager who may change her record.
    "may_end_plan_without_conference": {"tess", "simon", "hana"},
    # Lily's conference is chaired by chris: he may raise a concern on her case and grade its reports.
    "may_raise_concern": {"chris"},
    "may_give_report_feedback": {"chris"},
    # A concern chris raised, now at stage 1: he moves it on or resolves it; her team's manager answers it.
    "may_escalate_concern": {"chris"},
    "may_resolve_concern": {"chris"},
    "may_respond_to_concern": {"tess"},
    # Case supervision about Lily: recorded by a manager who may change her record.
    "may_record_supervision": {"tess", "simon", "hana"},
    # Tess supervised Sam about Lily: Tess changes and re-opens it; each of the two signs it.
    "may_change_supervision": {"tess"},
    "may_sign_off_supervision": {"tess", "sam"},
    # The two of them, or a manager who may change Lily's record, mark its actions done.
    "may_complete_supervision_action": {"sam", "tess", "simon", "hana"},
    # Sam's own supervision: recorded by the managers above Sam, never by Sam.
    "may_record_staff_supervision": {"tess", "simon", "hana"},
    # Lily: a QA officer audits any child (through a sample); a manager or administrator one they may see.
    "may_audit_child": {"quinn", "tess", "simon", "hana", "mel", "ada"},
    # An audit of Lily quinn has in progress: only quinn grades it; those who conduct audits see it.
    "may_change_case_file_audit": {"quinn"},
    "may_see_case_file_audit": MANAGERS | {"quinn", "ada"},
    # An audit of Lily quinn completed: quinn sets its actions.
    "may_add_audit_action": {"quinn"},
    # An open action from that audit for sam: sam marks it done, or quinn, who set it.
    "may_complete_audit_action": {"sam", "quinn"},
    # An open multi-agency round with the police: those who draw samples manage it; auditors and the police's
    # partner viewer may be assigned its children; the child sampled to petra, only petra starts the audit of.
    "may_manage_audit_round": {"quinn", "ada"},
    "may_audit_in_round": MANAGERS | {"quinn", "ada", "petra"},
    "may_start_sampled_audit": {"petra"},
    # That completed audit by quinn: a second auditor moderates it (managers who may open Lily's record), never
    # quinn, who made it, nor an administrator.
    "may_moderate_case_file_audit": MANAGERS,
    # A moderation by tess in progress: only tess grades it; submitted, only tess records the outcome.
    "may_change_moderation": {"tess"},
    "may_record_moderation_outcome": {"tess"},
    # The completed audit's child re-audited: whoever may audit Lily.
    "may_start_re_audit": {"quinn", "tess", "simon", "hana", "mel", "ada"},
}
# Who may be chosen from a list agrees with who may do the act.
CHOOSABLE = {
    "decision_makers": "may_decide",
    "strategy_chairs": "may_chair_strategy_discussion",
    "conference_chairs": "may_chair_conference",
    "case_holders": "may_hold_cases",
}
# Functions of a role alone (for figures that read roles by the thousand) agree with the act they stand for.
BY_ROLE = {"role_holds_cases": "may_hold_cases"}


@pytest.fixture
def objects(org):
    lily = make_child("Lily", "Hartley")
    allocate(lily, org.sam, allocated_by=org.tess)
    # The answer reads only who decided or proposed, so these need not be saved.
    decision = ThresholdDecision(decided_by=org.mel)
    episode = Episode(child=lily, closure_proposed_by=org.tess, closure_proposed_on=timezone.localdate())
    request = ManagementDecision(decided_by=org.simon, kind="conference_request")
    conference = Conference.objects.create(child=lily, kind=Conference.Kind.INITIAL, date=timezone.localdate(),
                                           chair=org.chris, recorded_by=org.chris)
    concern = Escalation(child=lily, raised_by=org.chris, stage="team_manager")
    supervision = CaseSupervision(child=lily, worker=org.sam, supervisor=org.tess)
    in_progress = CaseFileAudit(child=lily, auditor=org.quinn)
    completed = CaseFileAudit(child=lily, auditor=org.quinn, status=CaseFileAudit.Status.COMPLETED)
    multi_agency = AuditRound(name="Joint audit", partner_agency=Agency.POLICE)
    return {"may_see_team": org.assessment, "may_authorise_decision": decision, "may_sign_off_closure": episode,
            "may_authorise_plan": Plan(child=lily, submitted_by=org.tess),
            "may_sign_off_step_down": EarlyHelpTransfer(child=lily, proposed_by=org.tess),
            "may_record_visit": lily, "may_record_decision": "legal_planning",
            "may_sign_off_conference_request": request, "may_record_dissent": lily,
            "may_end_plan_without_conference": lily, "may_raise_concern": lily,
            "may_give_report_feedback": conference,
            "may_escalate_concern": concern, "may_resolve_concern": concern, "may_respond_to_concern": concern,
            "may_record_supervision": lily, "may_change_supervision": supervision,
            "may_sign_off_supervision": supervision, "may_complete_supervision_action": supervision,
            "may_record_staff_supervision": org.sam, "may_audit_child": lily,
            "may_change_case_file_audit": in_progress, "may_see_case_file_audit": in_progress,
            "may_add_audit_action": completed,
            "may_complete_audit_action": CaseFileAuditAction(audit=completed, assignee=org.sam),
            "may_manage_audit_round": multi_agency, "may_audit_in_round": multi_agency,
            "may_start_sampled_audit": SampledChild(round=multi_agency, child=lily, auditor=org.petra),
            "may_moderate_case_file_audit": completed, "may_start_re_audit": completed,
            "may_change_moderation": Moderation(audit=completed, moderator=org.tess),
            "may_record_moderation_outcome": Moderation(audit=completed, moderator=org.tess,
                                                        status=Moderation.Status.SUBMITTED)}


def _public_functions() -> set[str]:
    return {name for name, value in vars(permissions).items()
            if inspect.isfunction(value) and value.__module__ == permissions.__name__ and not name.startswith("_")}


def test_every_permission_has_its_expectations_written_out():
    assert _public_functions() == set(EXPECTED) | set(EXPECTED_FOR_OBJECT) | set(CHOOSABLE) | set(BY_ROLE)


@pytest.mark.parametrize("by_role", sorted(BY_ROLE))
def test_what_a_role_alone_may_do_agrees_with_the_act(org, by_role):
    act = BY_ROLE[by_role]
    assert {name for name, user in org.everyone().items() if getattr(permissions, by_role)(user.role)} == EXPECTED[act]


@pytest.mark.parametrize("act", sorted(EXPECTED))
def test_who_may_do_each_act(org, act):
    allowed = {name for name, user in org.everyone().items() if getattr(permissions, act)(user)}
    assert allowed == EXPECTED[act]


@pytest.mark.parametrize("act", sorted(EXPECTED_FOR_OBJECT))
def test_who_may_do_each_act_on_an_object(org, objects, act):
    allowed = {name for name, user in org.everyone().items() if getattr(permissions, act)(user, objects[act])}
    assert allowed == EXPECTED_FOR_OBJECT[act]


@pytest.mark.parametrize("choosable", sorted(CHOOSABLE))
def test_the_lists_to_choose_from_agree_with_the_act(org, choosable):
    listed = set(getattr(permissions, choosable)().values_list("username", flat=True))
    assert listed == EXPECTED[CHOOSABLE[choosable]]


def test_nobody_signed_out_or_deactivated_may_do_anything(org):
    from django.contrib.auth.models import AnonymousUser

    org.ada.is_active = False
    for act in EXPECTED:
        assert not getattr(permissions, act)(AnonymousUser()), act
        assert not getattr(permissions, act)(org.ada), act
