"""The Standard Safeguarding Dataset's child-protection tables as Casefile fills them: each table's columns with
the SSD's names and item references (data-to-insight/ssd-data-model `data/objects/ssd_*.yml`, commit 4987c73),
what the column holds and where in Casefile it comes from. The data dictionary in the export is written from this,
and returns/ssd.py fills the columns in this order. No Django here.

Only the columns the record holds are listed. Left out on purpose (only what the dataset's returns need): names
(pers_forename, pers_surname), the full address (addr_address_json: the postcode is kept), and free text (an
allocation's reason, an early help step-down's reason). Left out because Casefile does not record them yet:
pers_gender, pers_nationality, pers_send_flag, pers_legacy_id, pers_common_child_id, cont_contact_source_desc (the
code is given), earl_episode_end_reason, earl_episode_worker_id, icpc_icpc_target_date (a clock, never stored),
cppl_cp_plan_ola, cppr_cp_review_due, cppr_cp_review_quorate, cppr_cp_review_participation,
invo_worker_change_reason, prof_social_worker_registration_no, prof_full_time_equivalency, prof_agency_worker_flag,
dept_team_parent_id and dept_team_parent_name.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Column:
    name: str
    item_ref: str
    description: str
    source: str


def _columns(*rows: tuple[str, str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*row) for row in rows)


CHILD_ID = "the child's reference on returns (CF and 8 digits: Person.reference)"

TABLES: dict[str, tuple[Column, ...]] = {
    "ssd_person": _columns(
        ("pers_person_id", "PERS001A", "Person identifier", f"people.Person: {CHILD_ID}"),
        ("pers_sex", "PERS002A", "Sex as recorded for the CIN census (M, F, U)", "people.Person.sex"),
        ("pers_ethnicity", "PERS004A", "Ethnicity, CIN census code", "people.Person.ethnicity"),
        ("pers_dob", "PERS005A", "Date of birth", "people.Person.date_of_birth"),
        ("pers_upn_unknown", "PERS007A", "Why the UPN is not known (UN1 to UN7)", "people.Person.upn_unknown_reason"),
        ("pers_expected_dob", "PERS009A", "Expected date of birth of an unborn child",
         "people.Person.expected_date_of_birth"),
        ("pers_death_date", "PERS010A", "Date of death", "people.Person.date_of_death"),
    ),
    "ssd_address": _columns(
        ("addr_table_id", "ADDR007A", "Address row identifier", "people.Address.id"),
        ("addr_person_id", "ADDR002A", "Person identifier", f"people.Address.person: {CHILD_ID}"),
        ("addr_address_start_date", "ADDR004A", "Date the person started living at the address",
         "people.Address.start_date"),
        ("addr_address_end_date", "ADDR005A", "Date the person stopped living at the address",
         "people.Address.end_date"),
        ("addr_address_postcode", "ADDR006A", "Postcode", "people.Address.postcode"),
    ),
    "ssd_disability": _columns(
        ("disa_table_id", "DISA003A", "Disability row identifier", "people.Disability.id"),
        ("disa_person_id", "DISA001A", "Person identifier", f"people.Disability.person: {CHILD_ID}"),
        ("disa_disability_code", "DISA002A", "Disability, CIN census code (NONE: no disability)",
         "people.Disability.code"),
    ),
    "ssd_contacts": _columns(
        ("cont_contact_id", "CONT001A", "Contact identifier, one for each child on a contact",
         "frontdoor.ContactChild.id"),
        ("cont_person_id", "CONT002A", "Person identifier", f"frontdoor.ContactChild.child: {CHILD_ID}"),
        ("cont_contact_date", "CONT003A", "Date and time the front door received the contact",
         "frontdoor.Contact.received_at (local time)"),
        ("cont_contact_source_code", "CONT004A", "Source of the contact, CIN census referral source code",
         "frontdoor.Contact.source"),
        ("cont_contact_outcome_json", "CONT005A", "The authorised threshold decision's outcome, as JSON",
         "frontdoor.ThresholdDecision.outcome, once authorised"),
    ),
    "ssd_early_help_episodes": _columns(
        ("earl_episode_id", "EARL001A", "Early help episode identifier: the step down to early help",
         "casework.EarlyHelpTransfer.id (direction: step down)"),
        ("earl_person_id", "EARL002A", "Person identifier", f"casework.EarlyHelpTransfer.child: {CHILD_ID}"),
        ("earl_episode_start_date", "EARL003A", "Date of the step down to early help",
         "casework.EarlyHelpTransfer.date"),
        ("earl_episode_end_date", "EARL004A", "Date of the next step up from early help, if any",
         "casework.EarlyHelpTransfer.date (the child's next step up)"),
        ("earl_episode_organisation", "EARL007A", "Early help provider", "casework.EarlyHelpTransfer."
         "early_help_provider"),
    ),
    "ssd_cin_episodes": _columns(
        ("cine_referral_id", "CINE001A", "Referral (child in need episode) identifier", "casework.Episode.id"),
        ("cine_person_id", "CINE002A", "Person identifier", f"casework.Episode.child: {CHILD_ID}"),
        ("cine_referral_date", "CINE003A", "Date the referral was received", "casework.Episode.referral_date"),
        ("cine_cin_primary_need_code", "CINE010A", "Primary need code (N0 to N9)", "casework.Episode.primary_need"),
        ("cine_referral_source_code", "CINE004A", "Referral source, CIN census code",
         "casework.Episode.referral_source"),
        ("cine_referral_nfa", "CINE011A", "Referral led to no further action (Y or N)",
         "casework.Episode.referral_nfa"),
        ("cine_close_reason", "CINE006A", "Reason for closure (RC1 to RC9)", "casework.Episode.closure_reason"),
        ("cine_close_date", "CINE007A", "Date the case closed", "casework.Episode.closure_date"),
        ("cine_referral_team", "CINE008A", "Team holding the child on the referral date",
         "casework.Allocation.team (allocation started by the referral date)"),
        ("cine_referral_worker_id", "CINE009A", "Worker holding the child on the referral date",
         "casework.Allocation.worker (allocation started by the referral date): ssd_professionals"),
    ),
    "ssd_cin_assessments": _columns(
        ("cina_assessment_id", "CINA001A", "Assessment identifier", "casework.Assessment.id"),
        ("cina_person_id", "CINA002A", "Person identifier", f"casework.Assessment.episode.child: {CHILD_ID}"),
        ("cina_referral_id", "CINA010A", "Referral (episode) the assessment belongs to", "casework.Assessment.episode"),
        ("cina_assessment_start_date", "CINA003A", "Assessment actual start date", "casework.Assessment.start_date"),
        ("cina_assessment_child_seen", "CINA004A", "Child seen during the assessment (Y or N)",
         "casework.Assessment.child_seen"),
        ("cina_assessment_auth_date", "CINA005A", "Assessment authorisation date", "casework.Assessment.authorised_on"),
        ("cina_assessment_outcome_json", "CINA006A", "Outcome of the assessment and whether support is needed, "
         "as JSON", "casework.Assessment.outcome and requires_support"),
        ("cina_assessment_outcome_nfa", "CINA009A", "Assessment led to no further action (Y or N)",
         "casework.Assessment.outcome (nfa)"),
        ("cina_assessment_team", "CINA007A", "Team holding the child when the assessment started",
         "casework.Allocation.team"),
        ("cina_assessment_worker_id", "CINA008A", "Worker holding the child when the assessment started",
         "casework.Allocation.worker: ssd_professionals"),
    ),
    "ssd_assessment_factors": _columns(
        ("cinf_table_id", "CINF003A", "Row identifier", "casework.Assessment.id"),
        ("cinf_assessment_id", "CINF001A", "Assessment identifier", "casework.Assessment.id"),
        ("cinf_assessment_factors_json", "CINF002A", "Factors identified at the assessment, CIN census codes, as a "
         "JSON list", "casework.AssessmentFactor.code"),
    ),
    "ssd_cin_plans": _columns(
        ("cinp_cin_plan_id", "CINP001A", "Child in need plan identifier", "casework.Plan.id (kind: cin)"),
        ("cinp_referral_id", "CINP007A", "Referral (episode) the plan belongs to", "casework.Plan.episode"),
        ("cinp_person_id", "CINP002A", "Person identifier", f"casework.Plan.child: {CHILD_ID}"),
        ("cinp_cin_plan_start_date", "CINP003A", "Plan start date", "casework.Plan.start_date"),
        ("cinp_cin_plan_end_date", "CINP004A", "Plan end date", "casework.Plan.end_date"),
        ("cinp_cin_plan_team", "CINP005A", "Team holding the child when the plan started", "casework.Allocation.team"),
        ("cinp_cin_plan_worker_id", "CINP006A", "Worker holding the child when the plan started",
         "casework.Allocation.worker: ssd_professionals"),
    ),
    "ssd_cin_visits": _columns(
        ("cinv_cin_visit_id", "CINV001A", "Visit identifier", "casework.Visit.id (kind: cin)"),
        ("cinv_person_id", "CINV007A", "Person identifier", f"casework.Visit.child: {CHILD_ID}"),
        ("cinv_cin_visit_date", "CINV003A", "Visit date", "casework.Visit.date"),
        ("cinv_cin_visit_seen", "CINV004A", "Child seen (Y or N)", "casework.Visit.child_seen"),
        ("cinv_cin_visit_seen_alone", "CINV005A", "Child seen alone (Y or N)", "casework.Visit.seen_alone"),
        ("cinv_cin_visit_bedroom", "CINV006A", "Child's bedroom seen (Y or N)", "casework.Visit.bedroom_seen"),
    ),
    "ssd_s47_enquiry": _columns(
        ("s47e_s47_enquiry_id", "S47E001A", "Section 47 enquiry identifier", "casework.Section47Enquiry.id"),
        ("s47e_referral_id", "S47E010A", "Referral (episode) the enquiry belongs to",
         "casework.Section47Enquiry.episode"),
        ("s47e_person_id", "S47E002A", "Person identifier", f"casework.Section47Enquiry.episode.child: {CHILD_ID}"),
        ("s47e_s47_start_date", "S47E004A", "Date of the strategy discussion that started the enquiry",
         "casework.StrategyDiscussion.date"),
        ("s47e_s47_end_date", "S47E005A", "Date of the enquiry's outcome", "casework.Section47Enquiry.outcome_date"),
        ("s47e_s47_nfa", "S47E006A", "Concerns not substantiated (Y or N)", "casework.Section47Enquiry.outcome"),
        ("s47e_s47_outcome_json", "S47E007A", "Outcome and whether an initial conference is needed, as JSON",
         "casework.Section47Enquiry.outcome and icpc_not_required"),
        ("s47e_s47_completed_by_team", "S47E009A", "Team holding the child when the enquiry ended",
         "casework.Allocation.team"),
        ("s47e_s47_completed_by_worker_id", "S47E008A", "Worker holding the child when the enquiry ended",
         "casework.Allocation.worker: ssd_professionals"),
    ),
    "ssd_initial_cp_conference": _columns(
        ("icpc_icpc_id", "ICPC001A", "Initial conference identifier", "casework.Conference.id (kind: initial or "
         "transfer in)"),
        ("icpc_icpc_meeting_id", "ICPC009A", "Meeting identifier", "casework.Conference.id"),
        ("icpc_s47_enquiry_id", "ICPC002A", "Section 47 enquiry that led to the conference",
         "casework.Conference.enquiry"),
        ("icpc_person_id", "ICPC010A", "Person identifier", f"casework.Conference.child: {CHILD_ID}"),
        ("icpc_cp_plan_id", "ICPC011A", "Child protection plan the conference started",
         "casework.Plan.started_by_conference"),
        ("icpc_referral_id", "ICPC012A", "Referral (episode) the conference belongs to", "casework.Conference.episode"),
        ("icpc_icpc_transfer_in", "ICPC003A", "A transfer-in conference (Y or N)", "casework.Conference.kind"),
        ("icpc_icpc_date", "ICPC005A", "Conference date", "casework.Conference.date"),
        ("icpc_icpc_outcome_cp_flag", "ICPC013A", "The child was made subject to a plan (Y or N)",
         "casework.Conference.decision"),
        ("icpc_icpc_outcome_json", "ICPC006A", "The conference's decision and category, as JSON",
         "casework.Conference.decision and category"),
        ("icpc_icpc_team", "ICPC007A", "Team holding the child on the conference date", "casework.Allocation.team"),
        ("icpc_icpc_worker_id", "ICPC008A", "Worker holding the child on the conference date",
         "casework.Allocation.worker: ssd_professionals"),
    ),
    "ssd_cp_plans": _columns(
        ("cppl_cp_plan_id", "CPPL001A", "Child protection plan identifier", "casework.Plan.id (kind: cp)"),
        ("cppl_referral_id", "CPPL007A", "Referral (episode) the plan belongs to", "casework.Plan.episode"),
        ("cppl_icpc_id", "CPPL008A", "Conference that started the plan", "casework.Plan.started_by_conference"),
        ("cppl_person_id", "CPPL002A", "Person identifier", f"casework.Plan.child: {CHILD_ID}"),
        ("cppl_cp_plan_start_date", "CPPL003A", "Plan start date", "casework.Plan.start_date"),
        ("cppl_cp_plan_end_date", "CPPL004A", "Plan end date", "casework.Plan.end_date"),
        ("cppl_cp_plan_initial_category", "CPPL009A", "Initial category of abuse (NEG, PHY, EMO, SAB, MUL)",
         "casework.Plan.initial_category"),
        ("cppl_cp_plan_latest_category", "CPPL010A", "Latest category of abuse", "casework.Plan.latest_category"),
    ),
    "ssd_cp_reviews": _columns(
        ("cppr_cp_review_id", "CPPR001A", "Review identifier", "casework.PlanReview.id (of a child protection plan)"),
        ("cppr_person_id", "CPPR008A", "Person identifier", f"casework.PlanReview.plan.child: {CHILD_ID}"),
        ("cppr_cp_plan_id", "CPPR002A", "Child protection plan reviewed", "casework.PlanReview.plan"),
        ("cppr_cp_review_date", "CPPR004A", "Review conference date", "casework.PlanReview.date"),
        ("cppr_cp_review_meeting_id", "CPPR009A", "Review conference identifier", "casework.PlanReview.conference"),
        ("cppr_cp_review_outcome_continue_cp", "CPPR005A", "The plan continued (Y or N)",
         "casework.Conference.decision of the review conference"),
    ),
    "ssd_cp_visits": _columns(
        ("cppv_cp_visit_id", "CPPV007A", "Visit identifier", "casework.Visit.id (kind: cp)"),
        ("cppv_person_id", "CPPV008A", "Person identifier", f"casework.Visit.child: {CHILD_ID}"),
        ("cppv_cp_plan_id", "CPPV001A", "Child protection plan visited under", "casework.Visit.plan"),
        ("cppv_cp_visit_date", "CPPV003A", "Visit date", "casework.Visit.date"),
        ("cppv_cp_visit_seen", "CPPV004A", "Child seen (Y or N)", "casework.Visit.child_seen"),
        ("cppv_cp_visit_seen_alone", "CPPV005A", "Child seen alone (Y or N)", "casework.Visit.seen_alone"),
        ("cppv_cp_visit_bedroom", "CPPV006A", "Child's bedroom seen (Y or N)", "casework.Visit.bedroom_seen"),
    ),
    "ssd_involvements": _columns(
        ("invo_involvements_id", "INVO005A", "Involvement (allocation) identifier", "casework.Allocation.id"),
        ("invo_professional_id", "INVO006A", "Worker allocated", "casework.Allocation.worker: ssd_professionals"),
        ("invo_professional_role_id", "INVO007A", "The worker's role", "accounts.User.role"),
        ("invo_professional_team", "INVO009A", "Team holding the child", "casework.Allocation.team: ssd_department"),
        ("invo_involvement_start_date", "INVO002A", "Allocation start date", "casework.Allocation.start_date"),
        ("invo_involvement_end_date", "INVO003A", "Allocation end date", "casework.Allocation.end_date"),
        ("invo_person_id", "INVO011A", "Person identifier", f"casework.Allocation.child: {CHILD_ID}"),
        ("invo_referral_id", "INVO010A", "Referral (episode) open when the allocation started",
         "casework.Episode.id"),
    ),
    "ssd_professionals": _columns(
        ("prof_professional_id", "PROF001A", "Worker identifier", "accounts.User.id"),
        ("prof_staff_id", "PROF010A", "Staff identifier", "accounts.User.id"),
        ("prof_professional_name", "PROF013A", "Worker's name", "accounts.User first and last name"),
        ("prof_professional_job_title", "PROF007A", "Job title, or role when none is recorded",
         "accounts.User.job_title or role"),
        ("prof_professional_caseload", "PROF008A", "Children allocated now", "casework.Allocation (open)"),
        ("prof_professional_department", "PROF012A", "Worker's team", "accounts.User.team: ssd_department"),
    ),
    "ssd_department": _columns(
        ("dept_team_id", "DEPT1001A", "Team identifier", "accounts.Team.id"),
        ("dept_team_name", "DEPT1002A", "Team name", "accounts.Team.name"),
    ),
}


def dictionary_rows() -> list[tuple[str, str, str, str, str]]:
    """data_dictionary.csv: table, column, description, item reference, source field in Casefile."""
    return [(table, column.name, column.description, column.item_ref, column.source)
            for table, columns in TABLES.items() for column in columns]


DICTIONARY_HEADER = ("table", "column", "description", "item_ref", "casefile_source")
