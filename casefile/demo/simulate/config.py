"""The simulator's settings: the sizes of authority, and the England 2024-25 rates and planted practice problems
it draws at. Plain data: no other module of the package is imported here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

SYSTEM_USERNAME = "simulator"
# UPNs are invented under a DfE pseudo local authority number, which the census accepts (rule 1530 refuses 999).
UPN_LA_CODE = "001"
DAY = datetime.timedelta(days=1)


# Sizes ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    name: str
    years: int
    referrals_per_year: int
    contacts_per_year: int  # one before each referral, the rest end at the front door (front_door.py)
    description: str


SIZES = {
    "small": Size("small", 1, 400, 1_600,
                  "a demo: one year of a small authority, a few hundred referrals; builds in a few seconds"),
    # Four years so the last two are in steady state (re-referrals, plans lasting 2 years): the rates test
    # measures those two years, about 5,000 referrals.
    "medium": Size("medium", 4, 2_500, 10_000,
                   "four years of a smaller-than-average authority, about 10,000 referrals; enough for the rates "
                   "to match England within 2 percentage points"),
    "large": Size("large", 10, 25_000, 100_000,
                  "ten years of a large authority: about 25,000 referrals and 100,000 contacts a year"),
}


# England 2024-25 (statutory-rules.md §8: DfE Children in need 2025, tables C1, C2, C4, D1, D7) ----------------

RE_REFERRAL_RATE = 0.226  # C1: 142,900 of 632,830 referrals within 12 months of a previous referral
REFERRAL_NFA_RATE = 0.065  # C1: referrals leading to no further action
S47_PER_REFERRAL = 230_590 / 632_830  # C4: 0.364 section 47 enquiries per referral
ICPC_PER_S47 = 72_100 / 230_590  # C4: 0.313 initial conferences per section 47 enquiry
PLAN_AT_ICPC = 0.86  # D1 and C4: 61,840 plans started / 72,100 initial conferences (approximate)
# Quantile knots (share, working days) of assessment duration, start to authorisation: C2 2025 bands
# (same day 1.8%, 1-10 11.7%, 11-20 17.3%, 21-30 15.8%, 31-40 20.3%, 41-45 18.9%, 46-50 5.8%, 51-60 4.3%,
# 61+ 4.2%); median 33, quartiles 17 and 43; 85.7% within 45.
ASSESSMENT_DAYS = [(0.0, -1), (0.018, 0), (0.1345, 10), (0.3074, 20), (0.465, 30), (0.49, 32), (0.53, 33),
                   (0.6675, 40), (0.8567, 45), (0.9147, 50), (0.9576, 60), (1.0, 110)]
# Initial conference, working days from the strategy discussion that started the s47: C4 2025 bands
# (0-10 8.7%, 11-15 72.7%); median 14; 81.4% within 15. The 18.6% over 15 is split evenly (approximate).
ICPC_DAYS = [(0.0, 2), (0.0865, 10), (0.5, 14), (0.814, 15), (0.907, 20), (1.0, 40)]
# D7 2025: child protection plans ending in the year by duration. Bands in calendar months.
CP_PLAN_BANDS = [(0.159, 0, 3), (0.110, 3, 6), (0.435, 6, 12), (0.252, 12, 24), (0.044, 24, 26)]
# Initial category of abuse. Approximate: DfE (2025, "A focus on sexual abuse and exploitation") says neglect is
# around half and emotional abuse around a third of plans, sexual abuse 2,190 of 61,840 (3.5%); physical and
# multiple share the rest.
CATEGORIES = {"NEG": 0.50, "EMO": 0.35, "PHY": 0.065, "SAB": 0.035, "MUL": 0.05}

# Approximate local shares (no single national figure): what follows an assessment that is not a s47.
AFTER_ASSESSMENT = {"nfa": 0.47, "early_help": 0.18, "cin_plan": 0.35}
RETURNING_CHILD_RATE = 0.12  # referrals of a child last referred more than 12 months ago (approximate)
SIBLING_REFERRAL_RATE = 0.25  # new children who are a known family's unreferred sibling (approximate)
STEP_DOWN_TO_CIN_AFTER_CP = 0.6
RESTRICTED_RATE = 0.003

# Disabilities, the census's codes (rules/codes.py DISABILITY). DfE "Children in need": about 12 to 13% of children
# in need have a disability recorded (8540 wants every child whose referral led to further action to have a code;
# NONE for the rest). A child referred with primary need N2 (child's disability) always has one; the other
# children are drawn at the rate that brings children in need as a whole to DISABILITY_RATE. Which codes, and how
# many a child has: approximate (autism, learning, communication and behaviour the most common; several codes for
# a child often, as rule 2888Q expects).
DISABILITY_RATE = 0.125
DISABILITY_CODES = {"AUT": 0.24, "LD": 0.20, "COMM": 0.14, "BEH": 0.12, "DDA": 0.08, "PC": 0.06, "MOB": 0.05,
                    "INC": 0.03, "HAND": 0.02, "HEAR": 0.02, "VIS": 0.02, "CON": 0.02}
DISABILITY_CODES_PER_CHILD = {1: 0.6, 2: 0.25, 3: 0.15}

# Practice problems planted (approximate, from inspection and audit findings rather than national counts).
PLANTED = {
    "late_visits": 0.10,  # a gap between visits longer than the plan's interval
    "cin_plan_not_reviewed": 0.08,  # drift: a child in need plan never reviewed
    "plan_without_progress": 0.07,  # drift: reviews where no action is ever done
    "case_left_open": 0.03,  # drift: nothing more to do, but the episode stays open for months
    "missing_ethnicity": 0.06,
    "vague_actions": 0.15,  # an owner such as "mum" and a measure such as "ongoing"
    "closure_without_childs_views": 0.20,
    "father_not_seen": 0.35,  # a known father left out of the assessment or not seen
    "referrer_not_told": 0.10,  # the referrer never hears the outcome of their contact
    "front_door_delay": 0.02,  # a contact from the last month left waiting at the front door with no decision
    # Not planted but drawn: the C2 durations above put 14.3% of assessments over 45 working days.
    "late_assessments": 1 - 0.857,
    # Drawn from a stream of their own (Simulation.side_stream), so planting them changed no journey:
    "missing_religion": 0.04,
    "missing_first_language": 0.03,
    "late_recording": 0.05,  # a visit or case note typed 6 to 15 working days after the event
    "quiet_cp_case": 0.15,  # an open child protection plan: nothing recorded from 6 to 12 weeks before the end
    "closure_history_not_shown": 0.05,  # a closure signed off without the child's history shown to the manager
}

# Not planted: these arise from the journeys drawn at England's rates. The simulator counts each as it generates
# it ("of how many": the population rules/signals.py looks at), against the thresholds below, which are
# rules/signals.py's defaults, so the signals can be checked against what was generated.
ARISING = (
    "overdue_clock",  # of statutory clocks still running at the end date
    "plan_not_started",  # of assessments that said a child in need plan was needed
    "cp_plan_15_months", "cp_plan_2_years",  # of child protection plans
    "repeat_cp_plan",  # of child protection plans: the child's second or later
    "repeated_strategy",  # of children with a strategy discussion
    "re_referral",  # of referrals of a child whose earlier episode closed
    "worker_changes",  # of children allocated a worker
    "closure_without_fathers_views",  # of closures after an assessment of a child whose father is known
)
PLAN_DUE_WORKING_DAYS = 10  # after an assessment that said a plan was needed
LONG_PLAN_MONTHS = {"cp_plan_15_months": 15, "cp_plan_2_years": 24}
RE_REFERRAL_MONTHS = 12  # after the earlier episode closed
WORKER_CHANGES = (3, 12)  # three changes of worker within 12 months
REPEATED_STRATEGY = (2, 12)  # two strategy discussions within 12 months, no initial conference since
LATE_RECORDING_WORKING_DAYS = 5
QUIET_WEEKS = 6
